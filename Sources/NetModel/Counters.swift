/// Whether a value only grows (a counter: rates and deltas make sense) or goes up and down
/// (a gauge: the value itself is the information).
public enum ValueKind: String, Sendable, Hashable {
    case counter, gauge
}

/// One protocol statistic from /proc/net/snmp, /proc/net/netstat or /proc/net/snmp6:
/// `Tcp.RetransSegs`, `TcpExt.ListenOverflows`, `Ip6.InReceives`.
public struct ProtocolCounter: Hashable, Sendable {
    /// The group: Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite, TcpExt, IpExt, MPTcpExt, Ip6, Icmp6, Udp6, …
    public var group: String
    /// The field within the group: RetransSegs, InReceives, …
    public var field: String
    /// The value as the kernel printed it: an unsigned 64-bit number (%lu), except the one
    /// signed field, Tcp.MaxConn (-1 where the limit is dynamic, RFC 2012), kept as its bit
    /// pattern.
    public var raw: UInt64
    /// Whether `raw` is a signed number (Tcp.MaxConn).
    public var signed: Bool

    /// The value as a signed number; an unsigned value past Int64.max is clamped (use `raw`).
    public var value: Int64 { signed ? Int64(bitPattern: raw) : Int64(clamping: raw) }

    /// The exact decimal text, whatever the sign.
    public var text: String { signed ? String(Int64(bitPattern: raw)) : String(raw) }

    public init(group: String, field: String, value: Int64) {
        self.group = group
        self.field = field
        self.raw = UInt64(bitPattern: value)
        self.signed = value < 0 || Self.signedFields.contains("\(group).\(field)")
    }

    public init(group: String, field: String, raw: UInt64, signed: Bool) {
        self.group = group
        self.field = field
        self.raw = raw
        self.signed = signed
    }

    /// The fields the kernel prints with %ld rather than %lu (net/ipv4/proc.c).
    public static let signedFields: Set<String> = ["Tcp.MaxConn"]

    /// "Tcp.RetransSegs"
    public var name: String { "\(group).\(field)" }
    /// nstat's spelling, "TcpRetransSegs", so nstat habits and globs carry over.
    public var nstatName: String { group + field }

    public var kind: ValueKind { ProtocolCounter.gauges.contains(name) ? .gauge : .counter }

    /// The fields the kernel reports as current values rather than running totals:
    /// configuration (Ip.Forwarding 1/2, Ip.DefaultTTL, the Tcp RTO bounds in ms, Tcp.MaxConn)
    /// and state (Tcp.CurrEstab, MPTcpExt.MPCurrEstab, dev_snmp6 ifIndex). Everything else in
    /// these files is a counter; `nstat` leaves exactly these gauges out of its deltas.
    public static let gauges: Set<String> = [
        "Ip.Forwarding", "Ip.DefaultTTL", "Tcp.RtoAlgorithm", "Tcp.RtoMin", "Tcp.RtoMax", "Tcp.MaxConn",
        "Tcp.CurrEstab", "MPTcpExt.MPCurrEstab", "Snmp6.ifIndex",
    ]
}

/// One line of /proc/net/sockstat or sockstat6: `TCP: inuse 1 orphan 0 tw 1 alloc 1 mem 204`.
/// All are gauges; `mem` is in pages.
public struct SocketStatistic: Hashable, Sendable {
    public var group: String
    public var field: String
    public var value: Int64

    public init(group: String, field: String, value: Int64) {
        self.group = group
        self.field = field
        self.value = value
    }
}

/// One CPU's row of /proc/net/softnet_stat. The kernel prints 32-bit hex values that wrap.
public struct SoftnetStatistics: Hashable, Sendable {
    /// The CPU number: the kernel's own column where it prints one (5.10+), else the row index.
    public var cpu: Int
    /// Packets taken off the backlog queue and processed.
    public var processed: UInt32
    /// Packets dropped because the backlog queue was full (netdev_max_backlog).
    public var dropped: UInt32
    /// Times net_rx_action ran out of budget or time with work left (netdev_budget).
    public var timeSqueeze: UInt32
    public var cpuCollision: UInt32
    /// Times this CPU was woken by an RPS IPI.
    public var receivedRPS: UInt32
    public var flowLimitCount: UInt32
    /// Columns beyond the ones named above, in the order the kernel printed them.
    public var extra: [UInt32]

    public init(cpu: Int, processed: UInt32, dropped: UInt32, timeSqueeze: UInt32, cpuCollision: UInt32,
                receivedRPS: UInt32, flowLimitCount: UInt32, extra: [UInt32] = []) {
        self.cpu = cpu
        self.processed = processed
        self.dropped = dropped
        self.timeSqueeze = timeSqueeze
        self.cpuCollision = cpuCollision
        self.receivedRPS = receivedRPS
        self.flowLimitCount = flowLimitCount
        self.extra = extra
    }
}

/// struct rtnl_link_stats64 (IFLA_STATS64), and the same counters from /proc/net/dev.
/// Fields a kernel does not report stay 0.
public struct LinkStatistics: Hashable, Sendable {
    public var rxPackets: UInt64 = 0
    public var txPackets: UInt64 = 0
    public var rxBytes: UInt64 = 0
    public var txBytes: UInt64 = 0
    public var rxErrors: UInt64 = 0
    public var txErrors: UInt64 = 0
    public var rxDropped: UInt64 = 0
    public var txDropped: UInt64 = 0
    public var multicast: UInt64 = 0
    public var collisions: UInt64 = 0
    public var rxLengthErrors: UInt64 = 0
    public var rxOverErrors: UInt64 = 0
    public var rxCRCErrors: UInt64 = 0
    public var rxFrameErrors: UInt64 = 0
    public var rxFIFOErrors: UInt64 = 0
    public var rxMissedErrors: UInt64 = 0
    public var txAbortedErrors: UInt64 = 0
    public var txCarrierErrors: UInt64 = 0
    public var txFIFOErrors: UInt64 = 0
    public var txHeartbeatErrors: UInt64 = 0
    public var txWindowErrors: UInt64 = 0
    public var rxCompressed: UInt64 = 0
    public var txCompressed: UInt64 = 0
    public var rxNoHandler: UInt64 = 0
    public var rxOtherhostDropped: UInt64 = 0

    public init() {}

    /// The fields in rtnl_link_stats64 order, for decoding and generic arithmetic. Key paths are
    /// immutable values, so sharing the array across threads is safe despite the annotation.
    nonisolated(unsafe) public static let fieldOrder: [WritableKeyPath<LinkStatistics, UInt64>] = [
        \.rxPackets, \.txPackets, \.rxBytes, \.txBytes, \.rxErrors, \.txErrors, \.rxDropped, \.txDropped,
        \.multicast, \.collisions, \.rxLengthErrors, \.rxOverErrors, \.rxCRCErrors, \.rxFrameErrors,
        \.rxFIFOErrors, \.rxMissedErrors, \.txAbortedErrors, \.txCarrierErrors, \.txFIFOErrors,
        \.txHeartbeatErrors, \.txWindowErrors, \.rxCompressed, \.txCompressed, \.rxNoHandler,
        \.rxOtherhostDropped,
    ]
}
