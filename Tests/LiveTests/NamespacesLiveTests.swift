import Foundation
import TestSupport
import Testing

/// Every namespace on the host: ones made with `unshare -n` (no name in /run/netns), held by
/// processes in cgroups named like a Docker scope and a Kubernetes pod, beside a named one.
/// lsns, ss (through nsenter and -N), promtool and the OpenMetrics parser are the oracles.
@Suite(
    .enabled(if: LiveEnvironment.shouldRun, "needs root, iproute2, util-linux and a writable cgroup hierarchy (always runs under CI=true)"),
    .serialized)
struct NamespacesLiveTests {
    /// Listens on 127.0.0.1:PORT (TCP and UDP) and opens N connections to itself.
    static let script = """
        import socket, subprocess, sys, os
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        port, n = int(sys.argv[1]), int(sys.argv[2])
        l = socket.socket(); l.bind(("127.0.0.1", port)); l.listen(64)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", port))
        keep = []
        for _ in range(n):
            c = socket.create_connection(("127.0.0.1", port)); s, _ = l.accept(); keep += [c, s]
        print("ready", os.getpid(), flush=True)
        sys.stdin.readline()
        """

    /// A process in a namespace of its own, moved into the cgroup `path` (made here, under
    /// the named systemd hierarchy, and removed when the container goes, even on failure).
    final class Container: @unchecked Sendable {
        let holder: NamespaceHolder
        let cgroups: [String]
        var pid: Int32 { holder.process.processIdentifier }

        init(cgroup path: String, port: Int, connections: Int) throws {
            var made: [String] = []
            var walk = "/sys/fs/cgroup/systemd"
            for part in path.split(separator: "/") {
                walk += "/\(part)"
                if !FileManager.default.fileExists(atPath: walk) {
                    try FileManager.default.createDirectory(atPath: walk, withIntermediateDirectories: false)
                    made.append(walk)
                }
            }
            cgroups = made.reversed()
            do {
                holder = try NamespaceHolder(prefix: ["unshare", "-n"], script: NamespacesLiveTests.script, arguments: [String(port), String(connections)])
                try "\(holder.process.processIdentifier)\n".write(toFile: walk + "/cgroup.procs", atomically: false, encoding: .utf8)
            } catch {
                for directory in made.reversed() { rmdir(directory) }
                throw error
            }
        }

        /// readlink /proc/PID/ns/net's inode.
        var inode: String {
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")) ?? ""
            return String(link.dropFirst(5).dropLast())
        }

        deinit {
            kill(pid, SIGKILL)
            holder.process.waitUntilExit()
            for directory in cgroups {
                // The kernel frees the emptied cgroup a moment after the process is reaped.
                for _ in 0..<50 where rmdir(directory) != 0 && errno == EBUSY { usleep(20_000) }
            }
        }
    }

    static func hex(_ seed: Int) -> String {
        (0..<64).map { String("0123456789abcdef"[String.Index(utf16Offset: ($0 * 7 + seed) % 16, in: "0123456789abcdef")]) }.joined()
    }

    struct Fixture {
        let named: TestNamespace
        let namedHolder: NamespaceHolder
        let nsid: Int
        let docker: Container
        let dockerID: String
        let pod: Container
        let podUID: String
    }

    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }
    static let counter = Counter()

    static func fixture() throws -> Fixture {
        // Unique per fixture: cgroup names and nsids are host-wide.
        let pid = Int(getpid()) * 8 + counter.next()
        let named = try TestNamespace("nsl")
        let nsid = 1000 + pid % 100_000
        try Shell.check(["ip", "netns", "set", named.name, String(nsid)])
        let namedHolder = try NamespaceHolder(named, script: script, arguments: ["7000", "1"])
        let dockerID = hex(pid)
        let docker = try Container(cgroup: "system.slice/docker-\(dockerID).scope", port: 7001, connections: 3)
        let uid = String(format: "%08x-1234-5678-9abc-%012x", pid, pid)
        let podSlice = "kubepods-besteffort-pod\(uid.replacingOccurrences(of: "-", with: "_")).slice"
        let pod = try Container(
            cgroup: "kubepods.slice/kubepods-besteffort.slice/\(podSlice)/cri-containerd-\(hex(pid + 1)).scope", port: 7002, connections: 2)
        return Fixture(named: named, namedHolder: namedHolder, nsid: nsid, docker: docker, dockerID: dockerID, pod: pod, podUID: uid)
    }

    static func objects(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONOracle.parse(text) as? [[String: Any]])
    }

    @Test func namespacesListsThemWithLsnsInodesAndContainers() throws {
        let f = try Self.fixture()
        let result = try Shell.run([Shell.netscope, "namespaces", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let list = try Self.objects(result.stdout)
        // lsns -t net: the inode and process count of each namespace a process holds.
        let lsns = try #require(try JSONOracle.parse(try Shell.check(["lsns", "-t", "net", "-J", "-o", "NS,NPROCS,PID"])) as? [String: Any])
        let rows = try #require(lsns["namespaces"] as? [[String: Any]])
        for (container, label, port) in [(f.docker, "docker:\(f.dockerID)", 7001), (f.pod, "pod:\(f.podUID)", 7002)] {
            let mine = try #require(list.first { "\($0["inode"]!)" == container.inode }, "no namespace \(container.inode)")
            #expect(mine["netns"] as? String == "net:[\(container.inode)]")
            #expect(mine["container"] as? String == label)
            #expect((mine["pids"] as? [Int])?.contains(Int(container.pid)) == true)
            #expect((mine["commands"] as? [String]) == ["python3"])
            let theirs = try #require(rows.first { "\($0["ns"]!)" == container.inode })
            #expect("\(theirs["nprocs"]!)" == "\(mine["processes"]!)")
            #expect(mine["names"] as? [String] == [])
            // What is in it, counted by entering it.
            #expect(mine["interfaces"] as? Int == 1 && mine["listeners"] as? Int == 1 && mine["udp"] as? Int == 1, "\(mine)")
            let tcp = try #require(mine["tcp"] as? [String: Int])
            #expect(tcp["ESTAB"] == (port == 7001 ? 6 : 4) && tcp["LISTEN"] == 1, "\(tcp)")
        }
        let named = try #require(list.first { $0["netns"] as? String == f.named.name })
        #expect(named["names"] as? [String] == [f.named.name])
        #expect(named["nsid"] as? Int == f.nsid)
        #expect((named["tcp"] as? [String: Int])?["ESTAB"] == 2)
        // ip netns list-id agrees on the id.
        #expect(try Shell.check(["ip", "netns", "list-id"]).contains("nsid \(f.nsid) "))
        #expect(list.filter { $0["current"] as? Bool == true }.count == 1)
        let table = try Shell.run([Shell.netscope, "netns"])
        #expect(table.stdout.contains("docker:\(f.dockerID.prefix(12))") && table.stdout.contains("pod:\(f.podUID)"), "\(table.stdout)")
        _ = f
    }

    @Test func listenersOfEveryNamespaceMatchSsInEach() throws {
        let f = try Self.fixture()
        let result = try Shell.run([Shell.netscope, "sockets", "-tln", "--all-netns", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let sockets = try Self.objects(result.stdout)
        func ours(_ label: String) -> Set<String> {
            Set(sockets.filter { $0["netns"] as? String == label }.map { socket in
                let local = socket["local"] as! [String: Any]
                return "\(local["address"]!):\(local["port"]!)"
            })
        }
        func theirs(_ command: [String]) throws -> Set<String> {
            Set(try Shell.check(command).split(separator: "\n").map { String($0.split(separator: " ", omittingEmptySubsequences: true)[3]) })
        }
        for container in [f.docker, f.pod] {
            let expected = try theirs(["nsenter", "--net=/proc/\(container.pid)/ns/net", "ss", "-tlnH"])
            #expect(ours("net:[\(container.inode)]") == expected && !expected.isEmpty)
        }
        #expect(ours(f.named.name) == (try theirs(["ss", "-N", f.named.name, "-tlnH"])))
        // Rows carry the container.
        let docker = try #require(sockets.first { $0["netns"] as? String == "net:[\(f.docker.inode)]" })
        #expect(docker["container"] as? String == "docker:\(f.dockerID)")
        // The table has the column; established connections per namespace equal ss's.
        let table = try Shell.check([Shell.netscope, "sockets", "-tn", "--all-netns"])
        #expect(table.hasPrefix("NETNS "))
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("net:[\(f.pod.inode)] ") }
        let ss = try Shell.check(["nsenter", "--net=/proc/\(f.pod.pid)/ns/net", "ss", "-tnH"]).split(separator: "\n")
        #expect(rows.count == ss.count && rows.count == 4)
        // Other commands label the same way.
        let links = try Self.objects(try Shell.check([Shell.netscope, "links", "--all-netns", "--json"]))
        #expect(links.contains { $0["netns"] as? String == "net:[\(f.pod.inode)]" && $0["ifname"] as? String == "lo" && $0["container"] as? String == "pod:\(f.podUID)" })
        let addrs = try Self.objects(try Shell.check([Shell.netscope, "addrs", "--all-netns", "--json"]))
        #expect(addrs.contains { $0["netns"] as? String == f.named.name })
        _ = f
    }

    @Test func metricsOfEveryNamespaceAreLabelledAndValid() throws {
        let f = try Self.fixture()
        let text = try Shell.run([Shell.netscope, "metrics", "--all-netns"])
        #expect(text.status == 0, "\(text.stderr)")
        let promtool = try Shell.run(["sh", "-c", "promtool check metrics"], input: text.stdout)
        #expect(promtool.status == 0, "promtool: \(promtool.stdout)\(promtool.stderr)")
        let openMetrics = try Shell.run([Shell.netscope, "metrics", "--all-netns", "--openmetrics"])
        let parser = try Shell.run(["/usr/bin/python3", "-c", """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            values = {}
            for family in om(sys.stdin.read()):
                for sample in family.samples:
                    if "netns" in sample.labels:
                        values.setdefault(sample.labels["netns"], set()).add(sample.labels.get("container", ""))
            for netns, containers in sorted(values.items()):
                print(netns, len(containers), ",".join(sorted(containers)))
            """], input: openMetrics.stdout)
        #expect(parser.status == 0, "OpenMetrics parser: \(parser.stderr)")
        var containers: [String: String] = [:]
        for line in parser.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            // One container value per namespace: the label never changes within one.
            #expect(parts[1] == "1", "\(line)")
            containers[parts[0]] = parts.count > 2 ? parts[2] : ""
        }
        #expect(containers["net:[\(f.docker.inode)]"] == "docker:\(f.dockerID)")
        #expect(containers["net:[\(f.pod.inode)]"] == "pod:\(f.podUID)")
        #expect(containers[f.named.name] == "")
        // Every netns label value is one namespace: netscope_netns_info has one sample each,
        // with distinct inodes.
        let info = openMetrics.stdout.split(separator: "\n").filter { $0.hasPrefix("netscope_netns_info{") }
        let inodes = info.compactMap { $0.split(separator: "inode=\"").last?.split(separator: "\"").first }
        #expect(Set(inodes).count == info.count && info.count == containers.count)
        #expect(openMetrics.stdout.contains("netscope_tcp_listeners{netns=\"net:[\(f.docker.inode)]\",container=\"docker:\(f.dockerID)\"") || openMetrics.stdout.contains("netns=\"net:[\(f.docker.inode)]\",container=\"docker:\(f.dockerID)\",port=\"7001\""))
        // --max-netns bounds the label values and says how many it cut.
        let one = try Shell.check([Shell.netscope, "metrics", "--all-netns", "--max-netns", "1"])
        let labels = Set(one.split(separator: "\n").compactMap { $0.split(separator: "netns=\"").dropFirst().first?.split(separator: "\"").first })
        #expect(labels.count == 1)
        let dropped = one.split(separator: "\n").first { $0.hasPrefix("netscope_netns_dropped ") }
        #expect((dropped.flatMap { Int($0.split(separator: " ")[1]) } ?? 0) >= 3)
        _ = f
    }

    /// serve --all-netns scrapes every namespace on threads of its own each time: what one
    /// scrape allocates must be freed (it once kept every namespace's text, 4 MB a scrape here).
    @Test func serveAllNamespacesKeepsItsMemoryFlat() throws {
        let f = try Self.fixture()
        let server = try ServeLiveTests.Server(["--all-netns"])
        func scrape() throws -> String {
            try Shell.check(["python3", "-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=60).read().decode())",
                             server.url + "/metrics"])
        }
        func resident() throws -> Int {
            let status = try String(contentsOfFile: "/proc/\(server.process.processIdentifier)/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
            return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        }
        let first = try scrape()
        #expect(first.contains("netns=\"net:[\(f.docker.inode)]\",container=\"docker:\(f.dockerID)\""))
        for _ in 0..<3 { _ = try scrape() }
        let settled = try resident()
        for _ in 0..<20 { _ = try scrape() }
        let after = try resident()
        // Twenty scrapes of a body this size leaked ~40 MB before; allow allocator noise.
        #expect(after - settled < 4096, "VmRSS \(settled) KiB → \(after) KiB after 20 scrapes")
        _ = f
    }

    @Test func netnsTakesAPathAPidAndAnInode() throws {
        let f = try Self.fixture()
        let pid = String(f.docker.pid)
        let expected = try Self.objects(try Shell.check(["nsenter", "--net=/proc/\(pid)/ns/net", "ip", "-j", "link"])).map { $0["ifname"] as! String }
        for spelling in [pid, "/proc/\(pid)/ns/net", "net:[\(f.docker.inode)]", "net:\(f.docker.inode)"] {
            let links = try Shell.run([Shell.netscope, "links", "--json", "--netns", spelling])
            #expect(links.status == 0, "\(spelling): \(links.stderr)")
            #expect(try Self.objects(links.stdout).map { $0["ifname"] as! String } == expected, "\(spelling)")
        }
        let sockets = try Shell.check([Shell.netscope, "sockets", "-tlnH", "-N", pid])
        #expect(sockets.contains("127.0.0.1:7001"))
        // Bad input: one line each, exit 1.
        for (spelling, message) in [
            ("999999999", "no process 999999999"), ("/etc/hostname", "is not a namespace file"),
            ("net:[1]", "no network namespace net:[1]"), ("/proc/self/ns/uts", "not a network namespace"),
            ("/nonexistent/ns", "No such file or directory"),
        ] {
            let result = try Shell.run([Shell.netscope, "links", "--netns", spelling])
            #expect(result.status == 1 && result.stderr.contains(message), "\(spelling): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        let clash = try Shell.run([Shell.netscope, "links", "--all-netns", "--netns", pid])
        #expect(clash.status != 0 && clash.stderr.contains("--all-netns cannot be combined"))
        _ = f
    }

    @Test func unprivilegedListsWhatItCanAndSaysWhatItCouldNot() throws {
        let f = try Self.fixture()
        let sockets = try FaultTests.asNobody(["sockets", "-tln", "--all-netns"])
        #expect(sockets.status == 0, "\(sockets.stderr)")
        #expect(sockets.stderr.contains("could not enter") && sockets.stderr.contains("CAP_SYS_ADMIN"), "\(sockets.stderr)")
        #expect(sockets.stderr.contains(f.named.name))
        let rows = sockets.stdout.split(separator: "\n").dropFirst()
        #expect(!rows.contains { $0.hasPrefix(f.named.name) })
        let list = try FaultTests.asNobody(["namespaces", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let found = try Self.objects(list.stdout)
        // The named one is visible (its mount needs no privilege), but not counted; root's
        // processes, and so the containers, are hidden.
        let named = try #require(found.first { $0["netns"] as? String == f.named.name })
        #expect(named["interfaces"] == nil && (named["error"] as? String)?.contains("CAP_SYS_ADMIN") == true)
        #expect(!found.contains { "\($0["inode"]!)" == f.docker.inode })
        #expect(found.first { $0["current"] as? Bool == true }?["interfaces"] != nil)
        _ = f
    }
}
