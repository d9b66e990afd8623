/// A queueing discipline or a class of one (RTM_NEWQDISC / RTM_NEWTCLASS: struct tcmsg and
/// TCA_* attributes), with its statistics (TCA_STATS2) and the options of its kind decoded
/// under the names `tc -s -j` uses.
public struct TrafficControlObject: Sendable, Equatable {
    public enum Role: Sendable, Equatable { case qdisc, trafficClass }

    public var role: Role
    /// TCA_KIND: "htb", "tbf", "pfifo_fast", "clsact", …
    public var kind: String
    /// tcm_ifindex
    public var interfaceIndex: Int32
    /// tcm_handle: major:minor (a qdisc's minor is 0).
    public var handle: UInt32
    /// tcm_parent: TC_H_ROOT for a root qdisc or class, else the parent's handle.
    public var parent: UInt32
    /// tcm_info: a qdisc's reference count; a class's leaf qdisc handle (major in the high 16 bits).
    public var info: UInt32
    /// TCA_OPTIONS of a kind netscope decodes, in tc's order and names (rates in bytes/s,
    /// sizes in bytes, times in microseconds, as `tc -j`).
    public var options: [AttributeValue.Field] = []
    /// TCA_OPTIONS of a kind netscope does not decode, as the kernel sent them.
    public var rawOptions: [UInt8]?
    /// The kind's extended statistics (TCA_STATS_APP / TCA_XSTATS) in tc's names.
    public var extendedStatistics: [AttributeValue.Field] = []
    public var statistics = TrafficControlStatistics()
    /// TCA_HW_OFFLOAD
    public var offloaded = false

    public init(role: Role, kind: String, interfaceIndex: Int32, handle: UInt32, parent: UInt32, info: UInt32) {
        self.role = role
        self.kind = kind
        self.interfaceIndex = interfaceIndex
        self.handle = handle
        self.parent = parent
        self.info = info
    }

    /// TC_H_ROOT: the parent of a root qdisc or class.
    public static let rootHandle: UInt32 = 0xFFFF_FFFF
    /// TC_H_INGRESS (= TC_H_CLSACT): the parent of ingress and clsact.
    public static let ingressHandle: UInt32 = 0xFFFF_FFF1

    public var isRoot: Bool { parent == Self.rootHandle }

    /// tc's print of a class id (print_tc_classid): "root", "none", ":MIN", "MAJ:", "MAJ:MIN" in hex.
    public static func classID(_ handle: UInt32) -> String {
        switch handle {
        case rootHandle: return "root"
        case 0: return "none"
        default:
            let major = handle >> 16, minor = handle & 0xFFFF
            if major == 0 { return ":" + String(minor, radix: 16) }
            if minor == 0 { return String(major, radix: 16) + ":" }
            return String(major, radix: 16) + ":" + String(minor, radix: 16)
        }
    }

    /// How tc names this object's handle: a qdisc by its major ("1:", "0:"), a class in full.
    public var handleName: String {
        role == .qdisc ? String(handle >> 16, radix: 16) + ":" : Self.classID(handle)
    }
}

/// tc's handle syntax, read as tc reads it (get_tc_classid, get_qdisc_handle).
public enum TrafficControlHandle {
    /// "root", "none", "ingress", "MAJ:MIN", "MAJ:", ":MIN" in hex; a qdisc handle is "MAJ:" or
    /// "MAJ" (the major alone); a class id without a colon is the whole 32-bit value.
    public static func parse(_ text: String, qdisc: Bool) -> UInt32? {
        switch text {
        case "root": return qdisc ? nil : TrafficControlObject.rootHandle
        case "none": return 0
        case "ingress": return qdisc ? nil : TrafficControlObject.ingressHandle
        default: break
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        func hex(_ part: Substring) -> UInt32? { part.isEmpty ? 0 : UInt32(part, radix: 16) }
        if qdisc {
            guard parts.count == 1 || (parts.count == 2 && parts[1].isEmpty), !parts[0].isEmpty,
                let major = hex(parts[0]), major < 1 << 16 else { return nil }
            return major << 16
        }
        if parts.count == 1 { return parts[0].isEmpty ? nil : UInt32(parts[0], radix: 16) }
        guard !(parts[0].isEmpty && parts[1].isEmpty), let major = hex(parts[0]), let minor = hex(parts[1]),
            major < 1 << 16, minor < 1 << 16 else { return nil }
        return major << 16 | minor
    }
}

/// TCA_STATS2 (or the older TCA_STATS): struct gnet_stats_basic, gnet_stats_queue and the
/// rate estimator when the object has one.
public struct TrafficControlStatistics: Sendable, Equatable {
    /// gnet_stats_basic.bytes
    public var bytes: UInt64 = 0
    /// gnet_stats_basic.packets, or TCA_STATS_PKT64 when the kernel sends it.
    public var packets: UInt64 = 0
    /// gnet_stats_queue.drops: packets dropped by this qdisc or class.
    public var drops: UInt32 = 0
    /// gnet_stats_queue.overlimits: times a packet was over the limit (delayed or dropped).
    public var overlimits: UInt32 = 0
    /// gnet_stats_queue.requeues: packets handed back by the driver.
    public var requeues: UInt32 = 0
    /// gnet_stats_queue.backlog: bytes queued now.
    public var backlog: UInt32 = 0
    /// gnet_stats_queue.qlen: packets queued now.
    public var queueLength: UInt32 = 0
    /// gnet_stats_rate_est(64): bytes and packets per second, when an estimator runs.
    public var rateBytesPerSecond: UInt64?
    public var ratePacketsPerSecond: UInt64?

    public init() {}
}

