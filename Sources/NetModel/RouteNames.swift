#if canImport(Glibc)
import Glibc
#endif
/// Name tables several layers use: the query layer parses them, the renderers print them.

/// iproute2's names for route and rule numbers (lib/rt_names.c and /etc/iproute2 defaults).
public enum RouteNames {
    /// The family as iproute2 names it: inet, inet6, bridge (AF_BRIDGE neighbours), or the number.
    public static func family(_ value: AddressFamily) -> String { value == .bridge ? "bridge" : value.name }

    public static func table(_ id: UInt32) -> String {
        switch id {
        case 0: return "unspec"
        case 253: return "default"
        case 254: return "main"
        case 255: return "local"
        default: return String(id)
        }
    }

    /// Parses `main`, `local`, `default` or a number.
    public static func table(named name: String) -> UInt32? {
        switch name {
        case "main": return 254
        case "local": return 255
        case "default": return 253
        default: return UInt32(name)
        }
    }

    public static func proto(_ value: UInt8) -> String {
        switch value {
        case 0: return "unspec"
        case 1: return "redirect"
        case 2: return "kernel"
        case 3: return "boot"
        case 4: return "static"
        case 8: return "gated"
        case 9: return "ra"
        case 10: return "mrt"
        case 11: return "zebra"
        case 12: return "bird"
        case 13: return "dnrouted"
        case 14: return "xorp"
        case 15: return "ntk"
        case 16: return "dhcp"
        case 17: return "mrouted"
        case 18: return "keepalived"
        case 42: return "babel"
        case 99: return "openr"
        case 186: return "bgp"
        case 187: return "isis"
        case 188: return "ospf"
        case 189: return "rip"
        case 192: return "eigrp"
        default: return String(value)
        }
    }

    public static func type(_ value: UInt8) -> String {
        switch value {
        case 0: return "none"
        case 1: return "unicast"
        case 2: return "local"
        case 3: return "broadcast"
        case 4: return "anycast"
        case 5: return "multicast"
        case 6: return "blackhole"
        case 7: return "unreachable"
        case 8: return "prohibit"
        case 9: return "throw"
        case 10: return "nat"
        case 11: return "xresolve"
        default: return String(value)
        }
    }

    /// RTM_F_CLONED: a cached route, as `route get` answers.
    public static let clonedFlag: UInt32 = 0x200

    /// RTNH_F_* and RTM_F_* bits and names, in print_rt_flags's order.
    public static let routeFlagNames: [(UInt32, String)] = [
        (0x1, "dead"), (0x4, "onlink"), (0x2, "pervasive"), (0x8, "offload"), (0x40, "trap"), (0x100, "notify"),
        (0x10, "linkdown"), (0x20, "unresolved"), (0x2000, "rt_offload"), (0x4000, "rt_trap"), (0x20000, "rt_offload_failed"),
    ]

    public static func routeFlags(_ flags: UInt32) -> [String] {
        if flags == 0 { return [] }
        return routeFlagNames.filter { flags & $0.0 != 0 }.map(\.1)
    }

    /// The same names without building an array (for the per-route hot path).
    public static func forEachRouteFlag(_ flags: UInt32, _ body: (String) -> Void) {
        for (bit, name) in routeFlagNames where flags & bit != 0 { body(name) }
    }

    /// RTAX_* metric names.
    public static func metric(_ kind: UInt16) -> String {
        switch kind {
        case 1: return "lock"
        case 2: return "mtu"
        case 3: return "window"
        case 4: return "rtt"
        case 5: return "rttvar"
        case 6: return "ssthresh"
        case 7: return "cwnd"
        case 8: return "advmss"
        case 9: return "reordering"
        case 10: return "hoplimit"
        case 11: return "initcwnd"
        case 12: return "features"
        case 13: return "rto_min"
        case 14: return "initrwnd"
        case 15: return "quickack"
        case 17: return "fastopen_no_cookie"
        default: return "metric_\(kind)"
        }
    }

    /// NUD_* state names in bit order.
    public static func neighborStates(_ state: UInt16) -> [String] {
        let table: [(UInt16, String)] = [
            (0x01, "INCOMPLETE"), (0x02, "REACHABLE"), (0x04, "STALE"), (0x08, "DELAY"), (0x10, "PROBE"),
            (0x20, "FAILED"), (0x40, "NOARP"), (0x80, "PERMANENT"),
        ]
        var names = table.filter { state & $0.0 != 0 }.map(\.1)
        let unknown = state & ~0xff
        if unknown != 0 { names.append("0x" + String(unknown, radix: 16)) }
        if state == 0 { names = ["NONE"] }
        return names
    }

    /// An IP protocol number by its /etc/protocols name (getprotobynumber), as iproute2 prints it.
    public static func ipProtocol(_ number: UInt8) -> String {
        guard let entry = getprotobynumber(Int32(number)), let name = entry.pointee.p_name else { return String(number) }
        return String(cString: name)
    }

    /// FR_ACT_* as `ip rule` prints a non-table action.
    public static func ruleAction(_ action: UInt8) -> String {
        switch action {
        case 2: return "goto"
        case 3: return "nop"
        case 6: return "blackhole"
        case 7: return "unreachable"
        case 8: return "prohibit"
        default: return String(action)
        }
    }
}
