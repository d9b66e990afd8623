import Foundation
import TestSupport
import Testing

/// Routes, rules, neighbours and route get against iproute2 on the same namespace.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct RouteLiveTests {
    static func topology() throws -> TestNamespace {
        let ns = try TestNamespace("route")
        try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
        for line in [
            "link set lo up", "link add ra type veth peer name rb", "link add rc type veth peer name rd",
            "link set ra up", "link set rb up", "link set rc up", "link set rd up",
            "addr add 10.0.0.1/24 dev ra", "addr add 10.0.1.1/24 dev rc", "addr add 2001:db8::1/64 dev ra nodad",
            "addr add 2001:db8:1::1/64 dev rc nodad",
            "route add 192.168.0.0/16 via 10.0.0.2 metric 50 proto static",
            "route add blackhole 10.99.0.0/16", "route add unreachable 10.98.0.0/16", "route add prohibit 10.97.0.0/16",
            "route add 172.16.0.0/12 nexthop via 10.0.0.2 weight 2 nexthop via 10.0.1.2 weight 3",
            "route add 10.50.0.0/16 via 10.0.0.2 table 100", "route add 10.51.0.0/16 dev rc table 200 proto bird",
            "route add default via 10.0.0.254 mtu 1400 advmss 1360",
            "route add 10.70.0.1 dev ra scope link src 10.0.0.1",
            "route add throw 10.96.0.0/16 table 100",
            "nexthop add id 10 via 10.0.0.3 dev ra", "route add 10.60.0.0/16 nhid 10",
            "-6 route add 2001:db8:5::/48 via 2001:db8::2 metric 77 mtu 1280",
            "-6 route add 2001:db8:6::/48 via 2001:db8:1::2 metric 100 expires 300",
            "-6 route add blackhole 2001:db8:7::/48", "-6 route add 2001:db8:8::/48 dev rc table 100",
            "-6 route add 2001:db8:9::/48 nexthop via 2001:db8::2 dev ra nexthop via 2001:db8:1::2 dev rc",
            "rule add from 10.1.0.0/16 table 100 pref 1000", "rule add fwmark 0x10/0xff lookup 100 pref 1001",
            "rule add iif ra to 10.2.0.0/16 prohibit pref 1002", "rule add not from 10.3.0.0/16 lookup 200 pref 1003",
            "rule add tos 0x10 lookup main pref 1004", "rule add from all lookup 100 suppress_prefixlength 0 pref 1005",
            "rule add ipproto tcp dport 80-90 lookup 100 pref 1006", "rule add uidrange 1000-2000 lookup 100 pref 1007",
            "-6 rule add from 2001:db8::/32 table 100 pref 2000",
            "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev ra nud permanent",
            "neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev ra nud stale router",
            "neigh add 10.0.1.9 dev rc nud failed",
            "-6 neigh add 2001:db8::2 lladdr 02:00:00:00:00:03 dev ra router nud reachable",
        ] {
            try ns.ip(line: line)
        }
        return ns
    }

    func compare(_ ns: TestNamespace, ours: [String], ip: [String]) throws {
        let result = try ns.netscope(ours + ["--json"])
        #expect(result.status == 0, "\(ours): \(result.stderr)")
        let mine = try JSONOracle.parse(result.stdout)
        let theirs = try JSONOracle.parse(try Shell.check(["ip", "-n", ns.name, "-j"] + ip))
        #expect((theirs as? [Any])?.isEmpty == false, "\(ip) printed nothing")
        let differences = JSONOracle.differences(ours: mine, theirs: theirs, tolerance: ["expires"], slack: 2)
        #expect(differences == [], "netscope \(ours.joined(separator: " ")) vs ip \(ip.joined(separator: " "))")
    }

    @Test func routesAgreeWithIp() throws {
        let ns = try Self.topology()
        try compare(ns, ours: ["routes", "--table", "all", "-4"], ip: ["-4", "route", "show", "table", "all"])
        try compare(ns, ours: ["routes", "--table", "all", "-6"], ip: ["-6", "route", "show", "table", "all"])
        try compare(ns, ours: ["routes", "-4"], ip: ["-4", "route", "show"])
        try compare(ns, ours: ["routes", "-6"], ip: ["-6", "route", "show"])
        try compare(ns, ours: ["routes", "--table", "100", "-4"], ip: ["-4", "route", "show", "table", "100"])
        try compare(ns, ours: ["routes", "--table", "local", "-4"], ip: ["-4", "route", "show", "table", "local"])
        // The table view names every route; the multipath one with both next hops.
        let table = try ns.netscope("routes", "--table", "all", "--no-header")
        #expect(table.stdout.contains("10.0.0.2@ra*2,10.0.1.2@rc*3"))
        #expect(table.stdout.contains("blackhole") && table.stdout.contains("prohibit") && table.stdout.contains("unreachable"))
        #expect(table.stdout.contains("nhid 10") && table.stdout.contains("mtu 1400 advmss 1360"))
    }

    @Test func rulesAndNeighboursAgreeWithIp() throws {
        let ns = try Self.topology()
        try compare(ns, ours: ["rules", "-4"], ip: ["-4", "rule"])
        try compare(ns, ours: ["rules", "-6"], ip: ["-6", "rule"])
        try compare(ns, ours: ["neigh"], ip: ["neigh"])
        try compare(ns, ours: ["neigh", "-4"], ip: ["-s", "-4", "neigh"])
    }

    @Test(arguments: [
        ["192.168.1.1"], ["10.0.0.7", "from", "10.0.0.1"], ["10.0.0.1"], ["172.16.5.5"], ["8.8.8.8", "mark", "0x10"],
        ["2001:db8:5::9"], ["2001:db8::7"], ["10.0.1.5", "oif", "rc"], ["10.0.0.9", "from", "10.0.1.2", "iif", "rc"],
    ])
    func routeGetAgreesWithIp(_ arguments: [String]) throws {
        let ns = try Self.topology()
        try compare(ns, ours: ["route", "get"] + arguments, ip: ["route", "get"] + arguments)
    }

    @Test func routeGetErrorsAreOneLine() throws {
        let ns = try Self.topology()
        let unreachable = try ns.netscope("route", "get", "10.98.1.1")
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.hasPrefix("netscope: error: RTM_GETROUTE: No route to host"))
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
        let bad = try ns.netscope("route", "get", "not-an-address")
        #expect(bad.status == 1 && bad.stderr.contains("needs an IPv4 or IPv6 address"))
    }

    /// A table that exists for one family only is an empty answer for the other, as in ip
    /// (strict checking makes the kernel answer ENOENT for a family without that table).
    @Test func aTableOfOneFamilyIsNotAnError() throws {
        let ns = try Self.topology()
        try ns.ip(line: "-6 route add blackhole 2001:db8:77::/48 table 300")
        try compare(ns, ours: ["routes", "--table", "200"], ip: ["route", "show", "table", "200"])
        let v6only = try ns.netscope("routes", "--table", "300", "--json")
        #expect(v6only.status == 0, "\(v6only.stderr)")
        let routes = try #require(try JSONOracle.parse(v6only.stdout) as? [[String: Any]])
        #expect(routes.map { $0["dst"] as? String } == ["2001:db8:77::/48"])
        let none = try ns.netscope("routes", "--table", "4000")
        #expect(none.status == 0, "\(none.stderr)")
    }

    /// `rules` lists both families, so it says which each rule belongs to.
    @Test func rulesNameTheirFamily() throws {
        let ns = try Self.topology()
        let table = try ns.netscope("rules")
        let lines = table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.first?.contains("FAMILY") == true)
        #expect(lines.filter { $0.first == "0" }.map { $0[1] }.sorted() == ["inet", "inet6"])
        let json = try #require(try JSONOracle.parse(try ns.netscope("rules", "--json").stdout) as? [[String: Any]])
        #expect(json.contains { $0["family"] as? String == "inet6" && $0["priority"] as? Int == 2000 })
        #expect(json.contains { $0["family"] as? String == "inet" && $0["priority"] as? Int == 1000 })
    }

    /// Column widths are settled per section (family and table), not frozen on the first
    /// 4,096 rows: IPv6 routes after thousands of IPv4 ones, and the local table after main,
    /// stay aligned among themselves.
    @Test func widthsAreMeasuredPerSection() throws {
        let ns = try TestNamespace("routewide")
        for line in ["link set lo up", "link add w0 type veth peer name w1", "link set w0 up"] { try ns.ip(line: line) }
        let dir = FileManager.default.temporaryDirectory
        let v4 = dir.appendingPathComponent("nst-\(ns.name).v4"), v6 = dir.appendingPathComponent("nst-\(ns.name).v6")
        defer { try? FileManager.default.removeItem(at: v4); try? FileManager.default.removeItem(at: v6) }
        try (0..<4200).map { "route add 10.\($0 / 250).\($0 % 250).0/24 dev w0\n" }.joined().write(to: v4, atomically: true, encoding: .utf8)
        try (0..<30).map { "route add 2001:db8:\($0)::/64 dev w0\n" }.joined().write(to: v6, atomically: true, encoding: .utf8)
        try Shell.check(["ip", "-n", ns.name, "-batch", v4.path])
        try Shell.check(["ip", "-n", ns.name, "-6", "-batch", v6.path])
        let output = try ns.netscope("routes", "--table", "all", "--no-header").stdout
        // Where the second column (GATEWAY) starts, per (family, table) section.
        var starts: [String: Set<Int>] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 3 else { continue }
            let family = fields[0].contains(":") ? "inet6" : "inet"
            let gateway = line.distance(from: line.startIndex, to: line.range(of: "  " + fields[1])!.lowerBound)
            starts["\(family) \(fields[3])", default: []].insert(gateway)
        }
        #expect(starts["inet6 main"]?.count == 1, "\(starts)")
        #expect(starts["inet local"]?.count == 1, "\(starts)")
        #expect(starts["inet main"]?.count == 1, "\(starts)")
    }

    /// ip's selectors select the same routes and neighbours as ip on the same namespace.
    @Test(arguments: [
        ["dev", "ra"], ["dev", "rc", "table", "all"], ["proto", "static"], ["proto", "bird", "table", "all"], ["type", "blackhole"],
        ["scope", "link"], ["via", "10.0.0.2"], ["src", "10.0.0.1"], ["root", "10.0.0.0/8"], ["match", "10.99.1.1"],
        ["exact", "10.0.0.0/24"], ["10.0.0.0/24"], ["table", "100"], ["table", "all", "type", "throw"], ["match", "default"],
        ["proto", "kernel", "scope", "link", "dev", "ra"],
    ])
    func routeSelectorsAgreeWithIp(_ words: [String]) throws {
        let ns = try Self.topology()
        // An IPv4 address in the words makes it an IPv4 question (ip refuses it with -6).
        for family in words.contains(where: { $0.contains(".") }) ? ["-4"] : ["-4", "-6"] {
            let ours = try ns.netscope(["routes", family, "--json"] + words)
            #expect(ours.status == 0, "\(words): \(ours.stderr)")
            let mine = try #require(try JSONOracle.parse(ours.stdout) as? [[String: Any]])
            let theirs = try #require(try JSONOracle.parse(try Shell.check(["ip", "-n", ns.name, "-j", family, "route", "show"] + words)) as? [[String: Any]])
            func describe(_ routes: [[String: Any]]) -> [String] {
                // (ip leaves out the fields a selector fixes, such as dev and gateway.)
                routes.map { "\($0["type"] ?? "unicast") \($0["dst"] ?? "-") \($0["table"] ?? "main")" }.sorted()
            }
            #expect(describe(mine) == describe(theirs), "netscope routes \(family) \(words) vs ip")
        }
    }

    @Test(arguments: [["dev", "ra"], ["nud", "permanent"], ["nud", "stale"], ["nud", "failed"], ["nud", "all"], ["10.0.0.0/24"], ["proxy"]])
    func neighborSelectorsAgreeWithIp(_ words: [String]) throws {
        let ns = try Self.topology()
        try ns.ip(line: "neigh add proxy 10.0.0.77 dev ra")
        func ip() throws -> [[String: Any]] {
            try #require(try JSONOracle.parse(try Shell.check(["ip", "-n", ns.name, "-j", "neigh", "show"] + words)) as? [[String: Any]])
        }
        // IPv6 keeps adding solicited-node multicast entries while the new interfaces run
        // DAD, so netscope's answer is checked between two readings of ip's: every entry ip
        // listed before is there, and nothing ip did not list after.
        let before = try ip()
        let mine = try #require(try JSONOracle.parse(try ns.netscope(["neigh", "--json"] + words).stdout) as? [[String: Any]])
        let after = try ip()
        // Counted by destination: ip leaves out `dev` when the selector names the device, and
        // the same multicast address sits on several devices.
        func describe(_ list: [[String: Any]]) -> [String: Int] {
            list.reduce(into: [:]) { counts, entry in counts["\(entry["dst"] ?? "-")\(entry["proxy"] != nil ? " proxy" : "")", default: 0] += 1 }
        }
        func within(_ small: [String: Int], _ large: [String: Int]) -> Bool { small.allSatisfy { large[$0.key, default: 0] >= $0.value } }
        #expect(within(describe(before), describe(mine)), "netscope neigh \(words) misses entries ip listed before it: \(describe(before)) vs \(describe(mine))")
        #expect(within(describe(mine), describe(after)), "netscope neigh \(words) lists entries ip did not: \(describe(mine)) vs \(describe(after))")
        #expect(!mine.isEmpty, "\(words) selected nothing")
    }
}
