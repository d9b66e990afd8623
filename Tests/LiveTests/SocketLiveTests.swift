import Foundation
import TestSupport
import Testing

/// netscope sockets against ss on the same namespace, socket by socket.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct SocketLiveTests {
    /// Listeners (v4, v6-only, dual-stack), established pairs over each, UDP bound and
    /// connected, a UNIX stream listener with a connection, an abstract UNIX datagram socket, a
    /// packet socket; and a second process whose name needs escaping.
    static let holderScript = #"""
        import socket, os, sys, time, ctypes
        d = sys.argv[1]
        l4 = socket.socket(); l4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l4.bind(("127.0.0.1", 8080)); l4.listen(16)
        l6 = socket.socket(socket.AF_INET6); l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1); l6.bind(("::1", 8443)); l6.listen(4)
        dual = socket.socket(socket.AF_INET6); dual.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); dual.bind(("::", 9090)); dual.listen(8)
        c = socket.create_connection(("127.0.0.1", 8080)); s, _ = l4.accept(); c.send(b"x" * 100)
        c6 = socket.create_connection(("::1", 8443)); s6, _ = l6.accept(); s6.send(b"y" * 7)
        cd = socket.create_connection(("127.0.0.1", 9090)); sd, _ = dual.accept()
        extra = [socket.create_connection(("127.0.0.1", 8080)) for _ in range(3)]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 5353))
        uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.connect(("127.0.0.1", 5353))
        u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::", 5354))
        x = socket.socket(socket.AF_UNIX); p = os.path.join(d, "stream.sock"); x.bind(p); x.listen(1)
        xc = socket.socket(socket.AF_UNIX); xc.connect(p); xs, _ = x.accept()
        a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); a.bind("\0nst-abstract-" + str(os.getpid()))
        g = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); g.bind(os.path.join(d, "dgram.sock"))
        pk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)); pk.bind(("lo", 0))
        pid = os.fork()
        if pid == 0:
            libc = ctypes.CDLL(None)
            libc.prctl(15, b'we"ird n\x01me', 0, 0, 0)
            w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); w.bind(("127.0.0.1", 7777))
            time.sleep(600)
            os._exit(0)
        time.sleep(0.3)
        print("ready", pid, flush=True)
        time.sleep(600)
        """#

    final class Holder {
        let namespace: TestNamespace
        let process = Process()
        let directory: URL
        var weirdPID: Int32 = 0

        init() throws {
            namespace = try TestNamespace("sock")
            try namespace.ip(line: "link set lo up")
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("nst-\(namespace.name)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ip", "netns", "exec", namespace.name, "python3", "-c", SocketLiveTests.holderScript, directory.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            // The first line says the sockets exist.
            var line = Data()
            while !line.contains(10) {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            let words = String(decoding: line, as: UTF8.self).split(separator: " ")
            guard words.first == "ready", words.count == 2, let pid = Int32(words[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw Shell.Failure(description: "socket holder did not start: \(String(decoding: line, as: UTF8.self))")
            }
            weirdPID = pid
        }

        deinit {
            kill(weirdPID, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// One socket as ss printed it.
    struct SSLine: Hashable {
        var netid: String, state: String, recvQ: Int, sendQ: Int, local: String, peer: String
        var pids: Set<Int32>
    }

    static let stateNames: Set<String> = ["ESTAB", "LISTEN", "UNCONN", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
                                          "TIME-WAIT", "CLOSE-WAIT", "LAST-ACK", "CLOSING"]

    /// ss leaves the Netid column out when one protocol is selected, and the State column when
    /// one state is: `netid` and `state` fill them in.
    static func parseSS(_ text: String, netid: String = "tcp", state: String? = nil) -> [SSLine] {
        text.split(separator: "\n").compactMap { raw in
            guard !raw.hasPrefix("\t"), !raw.hasPrefix(" ") else { return nil }
            var t = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if let state { t.insert(state, at: 0) }
            if let first = t.first, stateNames.contains(first) { t.insert(netid, at: 0) }
            guard t.count >= 6 else { return nil }
            let unix = t[0].hasPrefix("u_")
            let local = unix ? t[4] + " " + t[5] : t[4]
            let peer = unix ? t[6] + " " + t[7] : t[5]
            // ss prints process names raw, so a name with a space splits the users:(…) token:
            // take every pid= from the rest of the line instead.
            var pids = Set<Int32>()
            let rest = t[(unix ? 8 : 6)...].joined(separator: " ")
            for part in rest.components(separatedBy: "pid=").dropFirst() {
                if let pid = Int32(part.prefix { $0.isNumber }) { pids.insert(pid) }
            }
            return SSLine(netid: t[0], state: t[1], recvQ: Int(t[2]) ?? -1, sendQ: Int(t[3]) ?? -1, local: local, peer: peer, pids: pids)
        }
    }

    /// Our JSON object rendered the way ss prints it, from the JSON fields alone.
    static func line(fromJSON s: [String: Any]) -> SSLine {
        let netid = s["netid"] as! String
        let queues = s["queues"] as! [String: Any]
        func endpoint(_ local: Bool) -> String {
            let e = s[local ? "local" : "peer"] as! [String: Any]
            if netid.hasPrefix("u_") {
                return "\(local ? (e["path"] as? String ?? "*") : "*") \(e["inode"] as! Int)"
            }
            if netid.hasPrefix("p_") {
                guard local else { return "*" }
                let proto = e["protocol"] as! Int
                return "\(proto == 3 ? "*" : String(proto)):\(e["interface"] as? String ?? "*")"
            }
            let address = e["address"] as! String
            let port = e["port"] as! Int
            let family = s["family"] as! String
            let localAddress = (s["local"] as! [String: Any])["address"] as! String
            var text: String
            if family == "inet6", s["v6only"] as? Bool == false, localAddress == "::", address == "::" {
                text = "*"
            } else {
                text = family == "inet6" ? "[\(address)]" : address
            }
            if local, let device = e["interface"] as? String { text += "%" + device }
            return text + ":" + (port == 0 ? "*" : String(port))
        }
        let pids = Set(((s["processes"] as? [[String: Any]]) ?? []).compactMap { ($0["pid"] as? Int).map(Int32.init) })
        return SSLine(netid: netid, state: s["state"] as! String, recvQ: queues["recv"] as! Int, sendQ: queues["send"] as! Int,
                      local: endpoint(true), peer: endpoint(false), pids: pids)
    }

    @Test func everySocketAgreesWithSS() throws {
        let holder = try Holder()
        let ns = holder.namespace
        let ss = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-tuxanpe0H"])
        let ours = try ns.netscope("sockets", "-tuxanpe0", "--json")
        #expect(ours.status == 0, "\(ours.stderr)")
        let objects = try #require(try JSONOracle.parse(ours.stdout) as? [[String: Any]])
        let theirs = Set(Self.parseSS(ss))
        let mine = Set(objects.map(Self.line(fromJSON:)))
        #expect(theirs.count >= 20)
        let onlySS = theirs.subtracting(mine), onlyOurs = mine.subtracting(theirs)
        #expect(onlySS.isEmpty && onlyOurs.isEmpty, "only ss: \(onlySS)\nonly netscope: \(onlyOurs)")
        // Inodes and uids: ss -e prints ino:N (inet, packet) and uid:N when not 0.
        for raw in ss.split(separator: "\n") where !raw.hasPrefix("u_") && !raw.hasPrefix("\t") {
            guard let inode = raw.split(separator: " ").first(where: { $0.hasPrefix("ino:") }).flatMap({ Int($0.dropFirst(4)) }) else { continue }
            let object = objects.first { $0["inode"] as? Int == inode }
            #expect(object != nil, "ss socket with inode \(inode) missing")
            let uid = raw.split(separator: " ").first { $0.hasPrefix("uid:") }.flatMap { Int($0.dropFirst(4)) } ?? 0
            #expect(object?["uid"] as? Int == uid)
        }
    }

    @Test func defaultListeningAndStateViewsAgreeWithSS() throws {
        let holder = try Holder()
        let ns = holder.namespace
        for args in [["-tn"], ["-tln"], ["-uan"], ["-xln"], ["-tan", "state", "established"], ["-tan", "state", "listening"],
                     ["-tan", "exclude", "established"], ["-tan", "state", "connected"], ["-tan", "state", "synchronized"],
                     ["-tan", "state", "big"], ["-4tan"], ["-6tan"], ["-tan", "state", "bucket"]] {
            let netid = args[0].contains("u") ? "udp" : "tcp"
            let single = args.count == 3 && args[1] == "state" ? ["established": "ESTAB", "listening": "LISTEN"][args[2]] : nil
            let ss = Set(Self.parseSS(try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-H"] + args), netid: netid, state: single))
            let ours = try ns.netscope(["sockets", "--json"] + args)
            let objects = try #require(try JSONOracle.parse(ours.stdout) as? [[String: Any]], "\(args): \(ours.stderr)")
            let mine = Set(objects.map(Self.line(fromJSON:)))
            #expect(mine == ss, "ss \(args.joined(separator: " ")): only ss \(ss.subtracting(mine)); only netscope \(mine.subtracting(ss))")
        }
    }

    static let expressions = [
        "sport = :8080", "dport = :8080", "sport != :8080", "sport > :9000", "sport < :9000", "sport >= :8443",
        "dport <= :8443", "sport eq :9090", "dport gt :1024", "src 127.0.0.1", "src 127.0.0.0/8", "dst [::1]",
        "src [::1]:8443", "dst 127.0.0.1:9090", "src [::ffff:127.0.0.1]", "not sport = :8080", "! dport = :8080",
        "sport = :8080 or dport = :8080", "sport = :8080 or sport = :8443 and dst [::1]",
        "( sport = :8080 or sport = :8443 ) and dst [::1]", "src 127.0.0.1 dport = :8080",
        "not ( src 127.0.0.1 or src [::1] )", "dev lo", "not dev lo", "src :8443 or dst :8443",
    ]

    @Test(arguments: expressions)
    func filterExpressionAgreesWithSS(_ expression: String) throws {
        let holder = try Holder()
        let ns = holder.namespace
        let words = expression.split(separator: " ").map(String.init)
        let ss = Set(Self.parseSS(try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-tanH"] + words)))
        let ours = try ns.netscope(["sockets", "-tan", "--json"] + words)
        #expect(ours.status == 0, "\(ours.stderr)")
        let objects = try #require(try JSONOracle.parse(ours.stdout) as? [[String: Any]])
        let mine = Set(objects.map(Self.line(fromJSON:)))
        #expect(mine == ss, "only ss \(ss.subtracting(mine)); only netscope \(mine.subtracting(ss))")
    }

    @Test func unixFilterInUserSpace() throws {
        let holder = try Holder()
        let pattern = holder.directory.path + "/*.sock"
        let ss = Set(Self.parseSS(try Shell.check(["ip", "netns", "exec", holder.namespace.name, "ss", "-xanH", "src", pattern])))
        let ours = try holder.namespace.netscope(["sockets", "-xan", "--json", "src", pattern])
        let objects = try #require(try JSONOracle.parse(ours.stdout) as? [[String: Any]])
        #expect(!ss.isEmpty)
        #expect(Set(objects.map(Self.line(fromJSON:))) == ss)
    }

    @Test func processNamesAreEscapedAndPeersResolved() throws {
        let holder = try Holder()
        let ns = holder.namespace
        let json = try ns.netscope("sockets", "-uan", "-p", "--json", "sport", "=", ":7777")
        let objects = try #require(try JSONOracle.parse(json.stdout) as? [[String: Any]])
        let owner = try #require((objects.first?["processes"] as? [[String: Any]])?.first)
        #expect(owner["comm"] as? String == "we\"ird n\u{1}me")
        #expect(owner["pid"] as? Int == Int(holder.weirdPID))
        let table = try ns.netscope("sockets", "-uan", "-p", "-H", "sport", "=", ":7777")
        #expect(table.stdout.contains(#"users:(("we\"ird\x20n\x01me",pid="#))
        #expect(!table.stdout.contains("\u{1}"))
        // A connected unix pair: each side names the process holding the other end.
        let unix = try #require(try JSONOracle.parse(ns.netscope("sockets", "-xan", "-p", "--json").stdout) as? [[String: Any]])
        let connected = unix.filter { $0["state"] as? String == "ESTAB" }
        #expect(connected.count == 2)
        for socket in connected {
            let peer = socket["peer"] as! [String: Any]
            #expect((peer["processes"] as? [[String: Any]])?.isEmpty == false)
        }
    }

    @Test func procFallbackGivesTheSameModel() throws {
        let holder = try Holder()
        let ns = holder.namespace
        func lines(_ source: String) throws -> Set<SSLine> {
            let result = try ns.netscope("sockets", "-tuan", "--json", "--source", source)
            let objects = try #require(try JSONOracle.parse(result.stdout) as? [[String: Any]])
            // /proc has no backlog for listeners and no v6only flag: compare what both know.
            return Set(objects.map(Self.line(fromJSON:)).map { line in
                var copy = line
                if copy.state == "LISTEN" { copy.sendQ = 0 }
                copy.local = copy.local.replacingOccurrences(of: "*:", with: "[::]:")
                copy.peer = copy.peer.replacingOccurrences(of: "*:*", with: "[::]:*")
                return copy
            })
        }
        let viaNetlink = try lines("netlink")
        let viaProc = try lines("proc")
        #expect(viaNetlink.count >= 15)
        #expect(viaNetlink == viaProc)
    }

    @Test func summaryAndErrors() throws {
        let holder = try Holder()
        let ns = holder.namespace
        let summary = try ns.netscope("sockets", "-s")
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("TCP:"))
        let json = try #require(try JSONOracle.parse(ns.netscope("sockets", "-s", "--json").stdout) as? [String: Any])
        let tcp = try #require(json["tcp"] as? [String: Any])
        // ss -s prints "TCP:   N (estab E, closed C, orphaned O, timewait T)".
        let ssSummary = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-s"])
        let tcpLine = try #require(ssSummary.split(separator: "\n").first { $0.hasPrefix("TCP:") })
        let estab = tcpLine.components(separatedBy: "estab ")[1].prefix { $0.isNumber }
        #expect(tcp["estab"] as? Int == Int(estab))
        #expect(tcp["estab"] as? Int == 12)  // 6 loopback connections, both ends
        // (The TCP total and "closed" come from sockstat's alloc count, which is global, not per
        // namespace, so they move with other tests' sockets and are not compared.)
        #expect(summary.stdout.contains("estab \(estab),"))
        let bad = try ns.netscope("sockets", "-tan", "sport", "=", ":x")
        // A bad filter is a usage error (64); an interface that is not there is a runtime one (1).
        #expect(bad.status == 64)
        #expect(bad.stderr == "netscope: error: filter: bad port \"x\" (a number, or a service name from /etc/services for tcp) (see `netscope sockets --help`)\n")
        let nodev = try ns.netscope("sockets", "-tan", "dev", "nosuch0")
        #expect(nodev.status == 1 && nodev.stderr.contains("no such interface"))
    }

    /// Filters written the way people write them for ss, as one quoted argument or as words,
    /// select the same sockets as ss on the same namespace; state and exclude combine left
    /// to right as in ss.
    @Test func filtersSelectWhatSsSelects() throws {
        let holder = try Holder()
        let ns = holder.namespace
        // The socket's local and peer endpoints: the last two columns in both tools (ss drops
        // the State column when one state is selected).
        func rows(_ output: String) -> [String] {
            output.split(separator: "\n").map { line in
                line.split(separator: " ", omittingEmptySubsequences: true).suffix(2).joined(separator: " ")
            }.sorted()
        }
        let cases: [[String]] = [
            ["-tan", "dport != :8080"], ["-tan", "dev != lo"], ["-tan", "dev ne lo"], ["-tan", "sport = :0x1f90"],
            ["-tan", "src ::/0"], ["-tan", "dst ::ffff:127.0.0.0/104"], ["-tan", "src any"], ["-tan", "sport = :http-alt"],
            ["-tan", "( sport = :8080 or dport = :8080 ) and not src [::1]"], ["-tan", "exclude", "time-wait", "state", "close-wait"],
            ["-tln", "exclude", "listening"], ["-tan", "state", "established", "exclude", "established"],
            ["-tan", "state", "established", "dport = :8080"], ["-tan", "autobound"],
        ]
        for arguments in cases {
            let ours = try ns.netscope(["sockets", "-H"] + arguments)
            #expect(ours.status == 0, "\(arguments): \(ours.stderr)")
            let theirs = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-H"] + arguments)
            #expect(rows(ours.stdout) == rows(theirs), "netscope \(arguments) vs ss")
        }
        // Unix: `src *` is every socket (ss's fnmatch), globs need not start with / under -x,
        // and classes work.
        for arguments in [["-xa", "src", "*"], ["-xa", "src *.sock"], ["-xa", "src", "*/[d-s]*.sock"], ["-xa", "dst", "*"]] {
            let ours = try ns.netscope(["sockets", "-H"] + arguments)
            #expect(ours.status == 0, "\(arguments): \(ours.stderr)")
            let theirs = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-H"] + arguments)
            #expect(ours.stdout.split(separator: "\n").count == theirs.split(separator: "\n").count, "netscope \(arguments) vs ss:\n\(ours.stdout)\n\(theirs)")
            #expect(!ours.stdout.isEmpty, "\(arguments) matched nothing")
        }
        // ss's -N, and options wherever they are.
        let dashN = try Shell.run([Shell.netscope, "sockets", "-tln", "-N", ns.name])
        #expect(dashN.status == 0 && dashN.stdout.contains("127.0.0.1:8080"), "\(dashN.stderr)")
        let late = try Shell.run([Shell.netscope, "sockets", "-N", ns.name, "state", "listening", "-t", "--json"])
        #expect(late.status == 0 && late.stdout.hasPrefix("["), "\(late.stderr)")
        let typo = try ns.netscope("sockets", "--jsn")
        #expect(typo.status != 0 && typo.stderr.contains("--jsn") && !typo.stderr.contains("filter word"), "\(typo.stderr)")
    }

    /// `cgroup PATH` selects the sockets created in that cgroup v2 group (the id the kernel
    /// reports as cgroup_id). Runs in a private mount namespace with its own cgroup2 mount, so
    /// the host's hierarchy is not touched; the group is removed afterwards.
    @Test func cgroupFilterSelectsTheGroupsSockets() throws {
        let ns = try TestNamespace("sockcg")
        try ns.ip(line: "link set lo up")
        let mount = "/tmp/nst-cg2-\(getpid())"
        let script = """
            set -e
            mkdir -p \(mount)
            mount -t cgroup2 none \(mount)
            mkdir -p \(mount)/nstcg
            cleanup() { echo $$ > \(mount)/cgroup.procs; rmdir \(mount)/nstcg; umount \(mount); rmdir \(mount); }
            trap cleanup EXIT
            ip netns exec \(ns.name) python3 -c 'import socket,time; l=socket.socket(); l.bind(("127.0.0.1",7501)); l.listen(1); time.sleep(4)' &
            outside=$!
            sh -c 'echo $$ > \(mount)/nstcg/cgroup.procs; exec ip netns exec \(ns.name) python3 -c "import socket,time; l=socket.socket(); l.bind((\\"127.0.0.1\\",7502)); l.listen(1); time.sleep(4)"' &
            inside=$!
            sleep 0.5
            echo "group $(stat -c %i \(mount)/nstcg)"
            \(Shell.netscope) sockets -tln -H --netns \(ns.name) cgroup /nstcg
            echo "--"
            \(Shell.netscope) sockets -tln -H --netns \(ns.name) --json -e
            echo "--"
            \(Shell.netscope) sockets -tln -H --netns \(ns.name) cgroup /nosuch || echo "status $?"
            wait $outside $inside
            """
        let result = try Shell.run(["unshare", "-m", "sh", "-c", script])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let parts = result.stdout.components(separatedBy: "--\n")
        #expect(parts.count == 3, "\(result.stdout)")
        guard parts.count == 3 else { return }
        #expect(parts[0].contains("127.0.0.1:7502") && !parts[0].contains("127.0.0.1:7501"), "\(parts[0])")
        // The id the filter resolved is the cgroup_id sock_diag reports for that socket.
        let group = parts[0].split(separator: "\n").first { $0.hasPrefix("group ") }.map { String($0.dropFirst(6)) }
        let sockets = try #require(try JSONOracle.parse(parts[1]) as? [[String: Any]])
        let inside = sockets.first { (($0["local"] as? [String: Any])?["port"] as? Int) == 7502 }
        #expect(inside.map { "\($0["cgroup_id"]!)" } == group)
        #expect(parts[2].contains("status 1") && result.stderr.contains("cgroup /nosuch: no such cgroup"), "\(parts[2]) \(result.stderr)")
    }

    /// ss -s counts TIME-WAIT sockets in the TCP total; so does `sockets -s`.
    @Test func summaryCountsTimeWaitAsSsDoes() throws {
        let ns = try TestNamespace("sumtw")
        try ns.ip(line: "link set lo up")
        try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c", """
            import socket
            l = socket.socket(); l.bind(("127.0.0.1", 7100)); l.listen(64)
            for _ in range(30):
                c = socket.create_connection(("127.0.0.1", 7100)); s, _ = l.accept(); c.close(); s.recv(1); s.close()
            """])
        let json = try #require(try JSONOracle.parse(ns.netscope("sockets", "-s", "--json").stdout) as? [String: Any])
        let tcp = try #require(json["tcp"] as? [String: Any])
        let sockstat = try #require(json["sockstat"] as? [[String: Any]])
        let alloc = sockstat.first { $0["group"] as? String == "TCP" && $0["field"] as? String == "alloc" }?["value"] as? Int
        let timewait = try #require(tcp["timewait"] as? Int)
        #expect(timewait == 30)
        #expect(tcp["total"] as? Int == (alloc ?? -1) + timewait)
        let ssLine = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-s"]).split(separator: "\n").first { $0.hasPrefix("TCP:") } ?? ""
        #expect(ssLine.contains("timewait \(timewait))"), "\(ssLine)")
    }

    /// A counter the user names is printed even when it is zero; a name that is no counter is
    /// an error, not an empty list.
    @Test func namedCountersAreAlwaysPrinted() throws {
        let ns = try TestNamespace("statzero")
        let zero = try ns.netscope("stats", "--json", "Tcp.CurrEstab")
        let rows = try #require(try JSONOracle.parse(zero.stdout) as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["value"] as? Int == 0)
        let nstatName = try #require(try JSONOracle.parse(ns.netscope("stats", "--json", "TcpActiveOpens").stdout) as? [[String: Any]])
        #expect(nstatName.first?["name"] as? String == "Tcp.ActiveOpens")
        let unknown = try ns.netscope("stats", "nosuchcounter")
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown counter \"nosuchcounter\""))
        #expect(unknown.stderr.split(separator: "\n").count == 1)
        // Globs still leave zeros out.
        let glob = try ns.netscope("stats", "--json", "Tcp.Curr*")
        #expect((try JSONOracle.parse(glob.stdout) as? [Any])?.isEmpty == true)
    }
}

extension TestNamespace {
    func netscope(_ arguments: [String]) throws -> Shell.Result {
        try Shell.run([Shell.netscope] + arguments + ["--netns", name])
    }
}
