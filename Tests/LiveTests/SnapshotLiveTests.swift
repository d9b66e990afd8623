import Foundation
import TestSupport
import Testing

/// snapshot -> scripted changes -> diff reports exactly those changes; the snapshot's
/// sections equal what ip, ss and /proc say about the same namespace.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct SnapshotLiveTests {
    static func namespace() throws -> TestNamespace {
        let ns = try TestNamespace("snap")
        // IPv6 off: link-local addresses and routes would appear at moments of the kernel's choosing.
        for key in ["all", "default"] {
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.\(key).disable_ipv6=1"])
        }
        for line in ["link set lo up", "link add sa type veth peer name sb", "link set sa up", "link set sb up",
                     "link add gone type veth peer name gone2", "addr add 10.8.0.1/24 dev sa",
                     "route add 10.44.0.0/16 via 10.8.0.2", "neigh add 10.8.0.9 lladdr 02:00:00:00:00:09 dev sa"] {
            try ns.ip(line: line)
        }
        return ns
    }

    static func snapshot(_ ns: TestNamespace, _ path: String) throws -> [String: Any] {
        let result = try ns.netscope("snapshot", "-o", path)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONOracle.parse(try String(contentsOfFile: path, encoding: .utf8)) as? [String: Any])
    }

    @Test func sectionsAgreeWithIpSsAndProc() throws {
        let ns = try Self.namespace()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(ns.name).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let holder = try NamespaceHolder(ns, script: """
            import socket, sys
            l = socket.socket(); l.bind(("127.0.0.1", 8080)); l.listen(8)
            c = socket.create_connection(("127.0.0.1", 8080)); s, _ = l.accept()
            u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); u.bind("\\0nst-snap")
            print("ready", flush=True)
            sys.stdin.read()
            """)
        defer { _ = holder }
        let snapshot = try Self.snapshot(ns, path)
        #expect(snapshot["schema_version"] as? Int == 1)
        #expect(snapshot["netns"] as? String == ns.name)
        func names(_ key: String, _ field: String) -> [String] { (snapshot[key] as? [[String: Any]] ?? []).map { "\($0[field] ?? "-")" } }
        let ipLinks = try #require(try JSONOracle.parse(try ns.ip("-j", "link")) as? [[String: Any]])
        #expect(names("links", "ifname") == ipLinks.map { $0["ifname"] as! String })
        let ipRoutes = try #require(try JSONOracle.parse(try ns.ip("-j", "route", "show", "table", "all")) as? [[String: Any]])
        #expect(Set(names("routes", "dst")) == Set(ipRoutes.map { $0["dst"] as! String }))
        let ipRules = try #require(try JSONOracle.parse(try ns.ip("-j", "rule")) as? [[String: Any]])
        #expect((snapshot["rules"] as? [[String: Any]])?.filter { $0["family"] as? String == "inet" }.count == ipRules.count)
        #expect(names("neighbors", "dst").contains("10.8.0.9"))
        // Every protocol counter nstat knows is there (values move, names do not).
        let nstat = try #require(try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "nstat", "-a", "-z", "--json"])) as? [String: Any])
        let kernel = try #require(nstat["kernel"] as? [String: Any])
        let counters = try #require(snapshot["protocol_counters"] as? [String: Any])
        let spelled = Set(counters.keys.map { $0.replacingOccurrences(of: ".", with: "") })
        #expect(Set(kernel.keys).subtracting(spelled).isEmpty, "missing: \(Set(kernel.keys).subtracting(spelled))")
        // Sockets as ss lists them (ss's own netlink socket is not in ours, nor are ours in ss's).
        let ssLines = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-Han", "-f", "inet", "-f", "unix", "-f", "link"])
        let sockets = snapshot["sockets"] as? [[String: Any]] ?? []
        #expect(sockets.filter { $0["netid"] as? String != "nl" }.count == ssLines.split(separator: "\n").count)
        #expect(sockets.filter { $0["netid"] as? String != "nl" }.count == 4)
    }

    @Test func diffReportsExactlyTheScriptedChanges() throws {
        let ns = try Self.namespace()
        let before = FileManager.default.temporaryDirectory.appendingPathComponent("\(ns.name)-a.json").path
        let after = FileManager.default.temporaryDirectory.appendingPathComponent("\(ns.name)-b.json").path
        defer { for path in [before, after] { try? FileManager.default.removeItem(atPath: path) } }
        _ = try Self.snapshot(ns, before)
        let routesBefore = try Self.routeIds(ns)
        for line in ["route add 10.60.0.0/16 via 10.8.0.2", "route replace 10.44.0.0/16 via 10.8.0.3", "link set sa mtu 1400",
                     "addr add 10.9.9.1/24 dev sb", "link del gone", "neigh change 10.8.0.9 lladdr 02:00:00:00:00:0a dev sa"] {
            try ns.ip(line: line)
        }
        let routesAfter = try Self.routeIds(ns)
        _ = try Self.snapshot(ns, after)

        let result = try ns.netscope("diff", before, after, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let diff = try #require(try JSONOracle.parse(result.stdout) as? [String: Any])
        func ids(_ key: String, _ kind: String) -> Set<String> {
            Set((diff[key] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == kind }.map { $0["id"] as! String })
        }
        // Routes: what ip says appeared and vanished, by the same identity; the replaced route
        // (alone under its key before and after) is a change instead.
        let replaced = { (id: String) in id.hasPrefix("inet 10.44.0.0/16 ") }
        #expect(ids("appeared", "route") == routesAfter.subtracting(routesBefore).filter { !replaced($0) })
        #expect(ids("vanished", "route") == routesBefore.subtracting(routesAfter).filter { !replaced($0) })
        #expect(ids("appeared", "route").contains("inet 10.60.0.0/16 table main via 10.8.0.2 dev sa"))
        #expect(ids("appeared", "address") == ["sb 10.9.9.1/24"])
        #expect(ids("vanished", "link") == ["gone", "gone2"])
        #expect(ids("appeared", "link").isEmpty && ids("vanished", "address").isEmpty)
        let changed = diff["changed"] as? [[String: Any]] ?? []
        func fields(_ kind: String, _ id: String) -> [String: [String: Any]] {
            changed.first { $0["kind"] as? String == kind && $0["id"] as? String == id }?["fields"] as? [String: [String: Any]] ?? [:]
        }
        #expect(fields("route", "inet 10.44.0.0/16 table main")["gateway"]?["to"] as? String == "10.8.0.3")
        #expect(fields("link", "sa")["mtu"]?["from"] as? Int == 1500 && fields("link", "sa")["mtu"]?["to"] as? Int == 1400)
        #expect(fields("neighbor", "inet 10.8.0.9 dev sa")["lladdr"]?["to"] as? String == "02:00:00:00:00:0a")
        // Nothing else changed: the veth peer's flags and the like stay put.
        let kinds = Set(changed.map { "\($0["kind"]!) \($0["id"]!)" })
        #expect(kinds.isSubset(of: ["route inet 10.44.0.0/16 table main", "link sa", "neighbor inet 10.8.0.9 dev sa"]), "\(kinds)")

        // Against now ("-"), with nothing changed since the second snapshot: no object differs
        // (so netscope's own netlink sockets are not in its snapshots).
        let now = try ns.netscope("diff", after, "-", "--exit-code")
        #expect(now.status == 0, "\(now.stdout)\(now.stderr)")
        let differs = try ns.netscope("diff", before, "-", "--exit-code")
        #expect(differs.status == 1)
        #expect(differs.stdout.contains("~ link sa: mtu 1500 -> 1400"))
        #expect(differs.stdout.contains("- link gone"))
    }

    @Test func countersAreDeltas() throws {
        let ns = try Self.namespace()
        let before = FileManager.default.temporaryDirectory.appendingPathComponent("\(ns.name)-c.json").path
        defer { try? FileManager.default.removeItem(atPath: before) }
        _ = try Self.snapshot(ns, before)
        // 200 datagrams of 100 bytes to a port nobody listens on: Udp.NoPorts grows by exactly 200.
        try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c",
                         "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nfor _ in range(200): s.sendto(b'x'*100,('127.0.0.1',9))"])
        let result = try ns.netscope("diff", before, "-", "--json")
        let diff = try #require(try JSONOracle.parse(result.stdout) as? [String: Any])
        let counters = diff["counters"] as? [[String: Any]] ?? []
        func delta(_ group: String, _ name: String) -> Int? {
            counters.first { $0["group"] as? String == group && $0["name"] as? String == name }?["delta"] as? Int
        }
        #expect(delta("protocol", "Udp.NoPorts") == 200)
        #expect(delta("protocol", "Udp.OutDatagrams") == 200)
        #expect(delta("link", "lo rx.packets") == 400)  // each datagram and its ICMP port unreachable
    }

    @Test func badInputIsOneClearError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nst-bad-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"schema_version\": 1, \"links\": [".write(toFile: path, atomically: true, encoding: .utf8)
        let truncated = try Shell.run([Shell.netscope, "diff", path, path])
        #expect(truncated.status == 1 && truncated.stderr.contains("\(path): invalid JSON at byte"))
        try "{\"links\": []}".write(toFile: path, atomically: true, encoding: .utf8)
        let foreign = try Shell.run([Shell.netscope, "diff", path, path])
        #expect(foreign.status == 1 && foreign.stderr.contains("not a netscope snapshot"))
        let missing = try Shell.run([Shell.netscope, "diff", path + ".nope", path])
        #expect(missing.status == 1 && missing.stderr.contains("No such file"))
    }

    /// ip's routes under the identity diff uses.
    static func routeIds(_ ns: TestNamespace) throws -> Set<String> {
        let routes = try #require(try JSONOracle.parse(try ns.ip("-j", "route", "show", "table", "all")) as? [[String: Any]])
        return Set(routes.map { r in
            // The kernel's key, then the type and next hop that tell apart routes sharing it.
            var id = "inet \(r["dst"]!) table \(r["table"] as? String ?? "main")"
            if let tos = r["tos"] { id += " tos \(tos)" }
            if let metric = r["metric"] { id += " metric \(metric)" }
            if let type = r["type"] { id += " \(type)" }
            if let gateway = r["gateway"] { id += " via \(gateway)" }
            if let dev = r["dev"] { id += " dev \(dev)" }
            return id
        })
    }

    /// An unchanged namespace with IPv6 link routes on two devices, a dual-stack listener
    /// pair and connections churning through TIME-WAIT: `diff s1 s1` and `diff s1 -` (which
    /// reads the namespace s1 records) are empty; naming another namespace is refused; one
    /// deleted fe80::/64 is exactly that deletion.
    @Test func anUnchangedNamespaceUnderChurnDiffsEmpty() throws {
        let ns = try TestNamespace("snapchurn")
        for key in ["all", "default"] {
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.\(key).accept_dad=0"])
        }
        for line in ["link set lo up", "link add sa type veth peer name sb", "link set sa up", "link set sb up",
                     "addr add 10.8.0.1/24 dev sa", "route append 10.50.0.0/16 dev sa", "route append 10.50.0.0/16 dev sb"] {
            try ns.ip(line: line)
        }
        usleep(300_000)
        let holder = try NamespaceHolder(ns, script: """
            import socket, sys
            v4 = socket.socket(); v4.bind(("0.0.0.0", 7000)); v4.listen(64)
            v6 = socket.socket(socket.AF_INET6); v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            v6.bind(("::", 7000)); v6.listen(64)
            print("ready", flush=True)
            for line in sys.stdin:
                for _ in range(int(line)):
                    c = socket.create_connection(("127.0.0.1", 7000)); s, _ = v4.accept(); c.close(); s.close()
                print("done", flush=True)
            """)
        defer { _ = holder }
        #expect(holder.send("20") == "done")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(ns.name).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Self.snapshot(ns, path)
        let itself = try Shell.run([Shell.netscope, "diff", path, path, "--exit-code"])
        #expect(itself.status == 0 && !itself.stdout.contains("+ ") && !itself.stdout.contains("- ") && !itself.stdout.contains("~ "), "\(itself.stdout)")
        #expect(holder.send("50") == "done")
        // No --netns: the namespace comes from the snapshot.
        let now = try Shell.run([Shell.netscope, "diff", path, "-", "--exit-code", "--no-header"])
        #expect(now.status == 0, "diff of an unchanged namespace: \(now.stdout) \(now.stderr)")
        #expect(!now.stdout.contains("+ ") && !now.stdout.contains("- ") && !now.stdout.contains("~ "), "\(now.stdout)")
        let other = try Shell.run([Shell.netscope, "diff", path, "-", "--netns", "nst-no-such-ns"])
        #expect(other.status == 1 && other.stderr.contains("was taken in namespace \"\(ns.name)\""), "\(other.stderr)")
        try ns.ip(line: "-6 route del fe80::/64 dev sb")
        let deleted = try Shell.run([Shell.netscope, "diff", path, "-", "--exit-code", "--no-header", "--json"])
        #expect(deleted.status == 1)
        let document = try #require(try JSONOracle.parse(deleted.stdout) as? [String: Any])
        let vanished = (document["vanished"] as? [[String: Any]] ?? []).map { "\($0["kind"]!) \($0["id"]!)" }
        #expect(vanished == ["route inet6 fe80::/64 table main metric 256 dev sb"], "\(deleted.stdout)")
        #expect((document["appeared"] as? [Any])?.isEmpty ?? true)
        #expect((document["changed"] as? [Any])?.isEmpty ?? true)
    }

    /// Queueing drifts too: `tc qdisc change … rate 200kbit` -> 300kbit, an htb class's rate,
    /// a qdisc added and one deleted, each reported once under tc's identity (device, handle,
    /// parent); traffic through the qdiscs moves only their counters, and an unchanged
    /// namespace (htb's direct_packets_stat growing) still diffs empty.
    @Test func qdiscsAndClassesDriftAsTcChangesThem() throws {
        let ns = try Self.namespace()
        func tc(_ line: String) throws { try Shell.check(["ip", "netns", "exec", ns.name, "tc"] + line.split(separator: " ").map(String.init)) }
        try tc("qdisc add dev sa root handle 2: tbf rate 200kbit burst 4kb limit 8kb")
        try tc("qdisc add dev sb root handle 1: htb")
        try tc("class add dev sb parent 1: classid 1:10 htb rate 1mbit ceil 1mbit")
        try tc("qdisc add dev lo root handle 5: pfifo limit 100")
        let paths = ["a", "b", "c"].map { FileManager.default.temporaryDirectory.appendingPathComponent("\(ns.name)-tc-\($0).json").path }
        defer { for path in paths { try? FileManager.default.removeItem(atPath: path) } }
        let first = try Self.snapshot(ns, paths[0])
        // The snapshot's queueing objects are tc's: the same kinds and handles as tc -j lists.
        let tcQdiscs = try #require(try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-j", "qdisc", "show"])) as? [[String: Any]])
        let ours = (first["qdiscs"] as? [[String: Any]] ?? []).map { "\($0["dev"]!) \($0["kind"]!) \($0["handle"]!)" }
        #expect(Set(ours) == Set(tcQdiscs.map { "\($0["dev"]!) \($0["kind"]!) \($0["handle"]!)" }), "\(ours)")
        #expect((first["classes"] as? [[String: Any]])?.map { $0["handle"] as? String } == ["1:10"])
        // Traffic (htb's direct_packets_stat grows: no default class) changes no object.
        try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c",
                         "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nfor _ in range(30): s.sendto(b'x'*100,('10.8.0.9',9))\nfor _ in range(30): s.sendto(b'x'*100,('127.0.0.1',9))"])
        _ = try Self.snapshot(ns, paths[1])
        let quiet = try ns.netscope("diff", paths[0], paths[1], "--json")
        let quietDiff = try #require(try JSONOracle.parse(quiet.stdout) as? [String: Any])
        #expect((quietDiff["changed"] as? [Any])?.isEmpty == true, "\(quiet.stdout)")
        let counters = quietDiff["counters"] as? [[String: Any]] ?? []
        #expect(counters.contains { $0["group"] as? String == "qdisc" && $0["name"] as? String == "lo pfifo 5: packets" && ($0["delta"] as? Int ?? 0) >= 30 },
                "\(counters)")

        try tc("qdisc change dev sa root handle 2: tbf rate 300kbit burst 4kb limit 8kb")
        try tc("class change dev sb parent 1: classid 1:10 htb rate 2mbit ceil 2mbit")
        try tc("qdisc del dev lo root")
        try tc("qdisc add dev sb parent 1:10 handle 10: pfifo limit 50")
        _ = try Self.snapshot(ns, paths[2])
        let result = try ns.netscope("diff", paths[1], paths[2], "--json")
        let diff = try #require(try JSONOracle.parse(result.stdout) as? [String: Any])
        func entries(_ key: String) -> [String] { (diff[key] as? [[String: Any]] ?? []).map { "\($0["kind"]!) \($0["id"]!)" } }
        // Deleting lo's pfifo gives lo back its default noqueue (as tc now lists), and the
        // link's qdisc field changes with it.
        let lo = try #require(try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-j", "qdisc", "show", "dev", "lo"])) as? [[String: Any]])
        #expect(lo.map { "\($0["kind"]!) \($0["handle"]!)" } == ["noqueue 0:"])
        #expect(Set(entries("appeared")) == ["qdisc dev sb handle 10: parent 1:10", "qdisc dev lo handle 0: parent root"], "\(result.stdout)")
        #expect(entries("vanished") == ["qdisc dev lo handle 5: parent root"], "\(result.stdout)")
        #expect(Set(entries("changed")) == ["qdisc dev sa handle 2: parent root", "class dev sb handle 1:10 parent root", "link lo"], "\(result.stdout)")
        let changed = diff["changed"] as? [[String: Any]] ?? []
        let tbf = changed.first { $0["kind"] as? String == "qdisc" }?["fields"] as? [String: [String: Any]]
        // tc's own JSON gives the rates in bytes per second: 200 kbit/s and 300 kbit/s.
        #expect((tbf?["options"]?["from"] as? [String: Any])?["rate"] as? Int == 25000)
        #expect((tbf?["options"]?["to"] as? [String: Any])?["rate"] as? Int == 37500)
        let tcNow = try #require(try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-j", "qdisc", "show", "dev", "sa"])) as? [[String: Any]])
        #expect((tcNow.first?["options"] as? [String: Any])?["rate"] as? Int == 37500, "tc: \(tcNow)")
        let htb = changed.first { $0["kind"] as? String == "class" }?["fields"] as? [String: [String: Any]]
        #expect(htb?["rate"]?["from"] as? Int == 125000 && htb?["rate"]?["to"] as? Int == 250000, "\(String(describing: htb))")
        // And against the live namespace, nothing since.
        #expect(try ns.netscope("diff", paths[2], "-", "--exit-code").status == 0)
    }
}
