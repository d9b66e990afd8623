import Foundation
import TestSupport
import Testing

/// `netscope path` where its first answers were wrong (issue 31): the local table merged
/// into main, the wording of no-route-and-no-forwarding, local delivery and an unresolved
/// neighbour. Oracles: `ip -j route show table local`, `ip -j route get`, sysctl and
/// `ip -j neigh` on the same namespace.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct PathTrustLiveTests {
    static func namespace() throws -> TestNamespace {
        let ns = try TestNamespace("ptrust")
        for line in ["link set lo up", "link add va type veth peer name vb", "link set va up", "link set vb up",
                     "addr add 10.1.0.1/24 dev va", "addr add 10.2.0.1/24 dev vb"] {
            try ns.ip(line: line)
        }
        return ns
    }

    static func path(_ ns: TestNamespace, _ arguments: [String]) throws -> [String: Any] {
        let result = try Shell.run([Shell.netscope, "path", "--netns", ns.name, "--json"] + arguments)
        return try #require(try JSONOracle.parse(result.stdout) as? [String: Any], "\(arguments): \(result.stderr)")
    }

    static func rules(_ report: [String: Any]) -> [[String: Any]] { report["rules"] as? [[String: Any]] ?? [] }

    @Test func theLocalTableIsReadAndItsMergeIntoMainNamed() throws {
        let ns = try Self.namespace()
        for address in ["127.0.0.1", "10.1.0.1"] {
            // Oracle: the route is listed in table local, and `ip route get` says table main.
            let local = try #require(try JSONOracle.parse(try ns.ip("-j", "route", "show", "table", "local", address)) as? [[String: Any]])
            #expect(local.count == 1 && local.first?["type"] as? String == "local", "ip route show table local \(address): \(local)")
            let kernel = try #require((try JSONOracle.parse(try ns.ip("-j", "route", "get", address)) as? [[String: Any]])?.first)
            #expect(kernel["table"] == nil, "ip route get \(address) names table main (omitted): \(kernel)")
            let mine = try Self.path(ns, [address])
            // ip -j route get's top-level fields stay the kernel's.
            #expect(mine["table"] == nil && mine["type"] as? String == "local" && mine["dst"] as? String == address)
            let rules = Self.rules(mine)
            #expect(rules.count == 1, "rule 0 ends the walk: \(rules)")
            #expect(rules.first?["outcome"] as? String == "table local: local \(address)/32", "\(rules)")
            #expect(mine["local_merged"] as? Bool == true)
            let steps = mine["steps"] as? [String] ?? []
            #expect(steps.contains { $0.contains("ip route show table local") }, "\(steps)")
            #expect(steps.contains { $0.hasPrefix("route: local \(address) matched \(address)/32 in table local") }, "\(steps)")
        }
        // Once a rule is added the kernel unmerges (fib_unmerge): ip route get says table local.
        try ns.ip(line: "rule add pref 500 from 192.0.2.1 lookup 100")
        let kernel = try #require((try JSONOracle.parse(try ns.ip("-j", "route", "get", "127.0.0.1")) as? [[String: Any]])?.first)
        let mine = try Self.path(ns, ["127.0.0.1"])
        #expect(kernel["table"] as? String == "local")
        #expect(mine["table"] as? String == "local" && mine["local_merged"] == nil, "\(mine)")
        #expect(Self.rules(mine).first?["outcome"] as? String == "table local: local 127.0.0.1/32")
    }

    @Test func noRouteWithForwardingOffReadsAsBoth() throws {
        let ns = try Self.namespace()
        // Oracle: forwarding is off, and the kernel answers EHOSTUNREACH for a packet it has no route for.
        #expect(try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-n", "net.ipv4.ip_forward"]).hasPrefix("0"))
        let ip = try Shell.run(["ip", "-n", ns.name, "route", "get", "8.8.8.8", "from", "10.2.0.5", "iif", "vb"])
        #expect(ip.stderr.contains("No route to host"), "\(ip.stderr)")
        let result = try Shell.run([Shell.netscope, "path", "--netns", ns.name, "8.8.8.8", "--from", "10.2.0.5", "--iif", "vb"])
        #expect(!result.stdout.contains("end elsewhere"), "\(result.stdout)")
        #expect(result.stdout.contains("verdict: dropped: no route to 8.8.8.8, and this host does not forward (net.ipv4.ip_forward = 0): host unreachable"),
                "\(result.stdout)")
        let mine = try Self.path(ns, ["8.8.8.8", "--from", "10.2.0.5", "--iif", "vb"])
        #expect(mine["error"] as? String == "EHOSTUNREACH")
        // Every table the walk names was read: main and default hold nothing for it (ip says so too).
        #expect(try ns.ip("route", "show", "table", "main", "match", "8.8.8.8").isEmpty)
        #expect(Self.rules(mine).map { $0["outcome"] as? String ?? "" } == ["table local: no route", "table main: no route", "table default: no route"])
    }

    @Test func localDeliveryDoesNotTalkOfForwarding() throws {
        let ns = try Self.namespace()
        #expect(try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-n", "net.ipv4.ip_forward"]).hasPrefix("0"))
        let result = try Shell.run([Shell.netscope, "path", "--netns", ns.name, "10.1.0.1", "--from", "10.2.0.5", "--iif", "vb"])
        #expect(result.status == 0 && result.stdout.contains("verdict: delivered locally"), "\(result.stdout)")
        #expect(!result.stdout.contains("forwarding off"), "\(result.stdout)")
        #expect(result.stdout.contains("forwarding: rp_filter"), "\(result.stdout)")
    }

    @Test func anUnresolvedNeighbourIsQueuedNotSent() throws {
        let ns = try Self.namespace()
        // Many probes, so the entry stays INCOMPLETE for the length of the test.
        try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv4.neigh.va.mcast_solicit=60"])
        try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c",
                         "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('10.1.0.78', 9))"])
        func state() throws -> [String] {
            let entries = try JSONOracle.parse(try ns.ip("-j", "neigh", "show", "10.1.0.78", "dev", "va")) as? [[String: Any]]
            return entries?.first?["state"] as? [String] ?? []
        }
        #expect(try state() == ["INCOMPLETE"])
        let mine = try Self.path(ns, ["10.1.0.78"])
        let verdict = mine["verdict"] as? [String: Any]
        #expect(verdict?["outcome"] as? String == "queued", "\(verdict ?? [:])")
        #expect((verdict?["text"] as? String)?.contains("unresolved (INCOMPLETE)") == true)
        #expect(try Shell.run([Shell.netscope, "path", "--netns", ns.name, "--check", "10.1.0.78"]).status == 1)
        #expect(try state() == ["INCOMPLETE"], "the oracle still holds after path ran")
    }
}
