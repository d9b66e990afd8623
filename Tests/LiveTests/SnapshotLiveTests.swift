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
        #expect(snapshot["netns"] is NSNull)
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
        // Routes: what ip says appeared and vanished, by the same identity.
        #expect(ids("appeared", "route") == routesAfter.subtracting(routesBefore))
        #expect(ids("vanished", "route") == routesBefore.subtracting(routesAfter))
        #expect(ids("appeared", "route").contains("inet unicast 10.60.0.0/16 table main"))
        #expect(ids("appeared", "address") == ["sb 10.9.9.1/24"])
        #expect(ids("vanished", "link") == ["gone", "gone2"])
        #expect(ids("appeared", "link").isEmpty && ids("vanished", "address").isEmpty)
        let changed = diff["changed"] as? [[String: Any]] ?? []
        func fields(_ kind: String, _ id: String) -> [String: [String: Any]] {
            changed.first { $0["kind"] as? String == kind && $0["id"] as? String == id }?["fields"] as? [String: [String: Any]] ?? [:]
        }
        #expect(fields("route", "inet unicast 10.44.0.0/16 table main")["gateway"]?["to"] as? String == "10.8.0.3")
        #expect(fields("link", "sa")["mtu"]?["from"] as? Int == 1500 && fields("link", "sa")["mtu"]?["to"] as? Int == 1400)
        #expect(fields("neighbor", "inet 10.8.0.9 dev sa")["lladdr"]?["to"] as? String == "02:00:00:00:00:0a")
        // Nothing else changed: the veth peer's flags and the like stay put.
        let kinds = Set(changed.map { "\($0["kind"]!) \($0["id"]!)" })
        #expect(kinds.isSubset(of: ["route inet unicast 10.44.0.0/16 table main", "link sa", "neighbor inet 10.8.0.9 dev sa"]), "\(kinds)")

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
            var id = "inet \(r["type"] as? String ?? "unicast") \(r["dst"]!) table \(r["table"] as? String ?? "main")"
            if let tos = r["tos"] { id += " tos \(tos)" }
            if let metric = r["metric"] { id += " metric \(metric)" }
            return id
        })
    }
}
