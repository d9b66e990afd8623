/// What `netscope path` asks about: one flow, with the selectors of `ip route get`.
public struct PacketFlow: Sendable {
    public var destination: IPAddress
    public var source: IPAddress?
    /// The interface the packet arrives on (a forwarded or received packet); nil: sent from here.
    public var inputInterface: String?
    public var outputInterface: String?
    public var mark: UInt32?
    public var uid: UInt32?
    public var tos: UInt8?
    /// IPPROTO_*: 6 tcp, 17 udp, 1 icmp, 58 icmpv6.
    public var ipProto: UInt8?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?

    public init(destination: IPAddress) { self.destination = destination }

    public var family: AddressFamily { destination.family }
}

/// RTM_GETROUTE's selectors, with interfaces as indexes: what the kernel is asked.
public struct RouteLookup: Sendable {
    public var destination: IPAddress
    public var source: IPAddress?
    public var inputInterface: Int32?
    public var outputInterface: Int32?
    public var mark: UInt32?
    public var uid: UInt32?
    public var tos: UInt8?
    public var ipProto: UInt8?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    /// RTM_F_FIB_MATCH: answer with the FIB entry that matched, not the resolved route.
    public var fibMatch = false

    public init(destination: IPAddress) { self.destination = destination }
}

/// Route types (RTN_*), named as ip names them.
public enum RouteType {
    public static let unicast: UInt8 = 1      // RTN_UNICAST
    public static let local: UInt8 = 2        // RTN_LOCAL
    public static let broadcast: UInt8 = 3    // RTN_BROADCAST
    public static let anycast: UInt8 = 4      // RTN_ANYCAST
    public static let multicast: UInt8 = 5    // RTN_MULTICAST
    public static let blackhole: UInt8 = 6    // RTN_BLACKHOLE
    public static let unreachable: UInt8 = 7  // RTN_UNREACHABLE
    public static let prohibit: UInt8 = 8     // RTN_PROHIBIT
    public static let `throw`: UInt8 = 9      // RTN_THROW
}

/// Policy rule actions (FR_ACT_* in linux/fib_rules.h).
public enum RuleAction {
    public static let toTable: UInt8 = 1      // FR_ACT_TO_TBL
    public static let goto: UInt8 = 2         // FR_ACT_GOTO
    public static let nop: UInt8 = 3          // FR_ACT_NOP
    public static let blackhole: UInt8 = 6    // FR_ACT_BLACKHOLE
    public static let unreachable: UInt8 = 7  // FR_ACT_UNREACHABLE
    public static let prohibit: UInt8 = 8     // FR_ACT_PROHIBIT
}

/// Rule flags (FIB_RULE_* in linux/fib_rules.h).
public enum RuleFlag {
    public static let invert: UInt32 = 0x2        // FIB_RULE_INVERT
    public static let iifDetached: UInt32 = 0x8   // FIB_RULE_IIF_DETACHED
    public static let oifDetached: UInt32 = 0x10  // FIB_RULE_OIF_DETACHED
}
