import Foundation
import TestSupport
import Testing

/// `links -d --json` against `ip -d -j link` on every link kind this machine can create, with
/// nothing left out: each kind's info_data (bridge, vxlan in its v4, v6-multicast and
/// external forms, macvlan in bridge, private and source modes, tun and tap with owner and
/// queues), a bridge port's info_slave_data, and inet6_addr_gen_mode.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct LinkDetailsLiveTests {
    static func namespace() throws -> TestNamespace {
        let ns = try TestNamespace("details")
        for line in [
            "link set lo up", "link add va type veth peer name vb", "link add br0 type bridge", "link set vb master br0",
            "link set vb type bridge_slave group_fwd_mask 0x4000 cost 7 learning off",
            "link set va up", "link set vb up", "link set br0 up",
            "link add vx0 type vxlan id 7 dstport 4789 local 10.1.0.1",
            "link add vx1 type vxlan id 8 remote 10.1.0.2 dstport 4790 dev va nolearning",
            "link add vx2 type vxlan id 9 group ff05::100 dev va dstport 4789 ttl 5 tos 0x10 ageing 100 maxaddress 10",
            "link add vx3 type vxlan external dstport 4791",
            "link add mv0 link va type macvlan mode bridge", "link add mv1 link va type macvlan mode private",
            "link add mv2 link va type macvlan mode source", "link set mv2 type macvlan macaddr add 02:00:00:00:00:aa",
            "link add ifb0 type ifb", "tuntap add mode tun name tun0", "tuntap add mode tap name tap0 user 0 group 0 multi_queue",
            "link set ifb0 addrgenmode none",
        ] {
            try ns.ip(line: line)
        }
        return ns
    }

    /// Bridge timers count down between one tool's read and the other's.
    static let timers: Set<String> = ["hello_timer", "tcn_timer", "topology_change_timer", "gc_timer", "hold_timer", "message_age_timer", "forward_delay_timer"]

    @Test func everyKindEqualsIpDJson() throws {
        let ns = try Self.namespace()
        let result = try ns.netscope("links", "-d", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let ours = try JSONOracle.parse(result.stdout)
        let ip = try JSONOracle.parse(try ns.ip("-d", "-j", "link"))
        #expect((ours as? [Any])?.count == (ip as? [Any])?.count)
        #expect(JSONOracle.differences(ours: ours, theirs: ip, tolerance: Self.timers, slack: 0.5) == [])
        // ip has a detail block for every kind with a printer; so must we.
        let kinds = (ip as? [[String: Any]] ?? []).compactMap { ($0["linkinfo"] as? [String: Any])?["info_data"] != nil ? $0["ifname"] as? String : nil }
        #expect(Set(kinds) == ["br0", "vx0", "vx1", "vx2", "vx3", "mv0", "mv1", "mv2", "tun0", "tap0"], "\(kinds)")
        // Each asked for alone: the names its details point to (vx1's underlay) still resolve.
        for name in ["vb", "vx1", "vx2", "mv2", "tap0", "ifb0"] {
            let one = try ns.netscope("links", "-d", "--json", "dev", name)
            #expect(one.status == 0, "\(one.stderr)")
            let theirs = try JSONOracle.parse(try ns.ip("-d", "-j", "link", "show", "dev", name))
            #expect(JSONOracle.differences(ours: try JSONOracle.parse(one.stdout), theirs: theirs, tolerance: Self.timers, slack: 0.5) == [], "\(name)")
        }
        // The table's DETAILS column carries the same values.
        let table = try ns.netscope("links", "-d", "vb", "ifb0")
        #expect(table.stdout.contains("bridge_slave state forwarding") || table.stdout.contains("bridge_slave state "), "\(table.stdout)")
        #expect(table.stdout.contains("cost 7") && table.stdout.contains("learning off") && table.stdout.contains("group_fwd_mask_str lldp"), "\(table.stdout)")
        #expect(table.stdout.contains("addrgenmode none"), "\(table.stdout)")
        // Without -d nothing of this is decoded or printed.
        #expect(!(try ns.netscope("links", "--json", "br0").stdout.contains("info_data")))
    }
}
