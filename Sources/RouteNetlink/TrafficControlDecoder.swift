import NetModel
import Netlink

/// tc message types (linux/rtnetlink.h).
extension RouteMessageType {
    /// RTM_NEWQDISC, RTM_GETQDISC
    public static let newQdisc: UInt16 = 36
    public static let getQdisc: UInt16 = 38
    /// RTM_NEWTCLASS, RTM_GETTCLASS
    public static let newClass: UInt16 = 40
    public static let getClass: UInt16 = 42
}

/// TCA_* attributes of RTM_NEWQDISC / RTM_NEWTCLASS (linux/rtnetlink.h) and TCA_STATS_*
/// inside TCA_STATS2 (linux/gen_stats.h).
enum TrafficControlAttribute {
    static let kind: UInt16 = 1            // TCA_KIND
    static let options: UInt16 = 2         // TCA_OPTIONS
    static let stats: UInt16 = 3           // TCA_STATS (struct tc_stats, before TCA_STATS2)
    static let extendedStats: UInt16 = 4   // TCA_XSTATS
    static let stats2: UInt16 = 7          // TCA_STATS2
    static let hardwareOffload: UInt16 = 12  // TCA_HW_OFFLOAD

    static let statsBasic: UInt16 = 1      // TCA_STATS_BASIC: struct gnet_stats_basic
    static let statsRateEstimate: UInt16 = 2  // TCA_STATS_RATE_EST: struct gnet_stats_rate_est
    static let statsQueue: UInt16 = 3      // TCA_STATS_QUEUE: struct gnet_stats_queue
    static let statsApplication: UInt16 = 4  // TCA_STATS_APP: the kind's xstats
    static let statsRateEstimate64: UInt16 = 5  // TCA_STATS_RATE_EST64
    static let statsPackets64: UInt16 = 8  // TCA_STATS_PKT64
}

public enum TrafficControlDecoder {
    /// sizeof(struct tcmsg): family, 3 pad bytes, ifindex, handle, parent, info.
    static let headerSize = 20

    /// One qdisc (RTM_NEWQDISC) or class (RTM_NEWTCLASS).
    public static func decode(_ message: NetlinkMessage) throws -> TrafficControlObject {
        let role: TrafficControlObject.Role = message.type == RouteMessageType.newClass ? .trafficClass : .qdisc
        let operation = role == .qdisc ? "RTM_NEWQDISC" : "RTM_NEWTCLASS"
        var (header, cursor) = try message.split(headerSize: headerSize, operation: operation)
        var object = TrafficControlObject(
            role: role, kind: "", interfaceIndex: header.loadUnaligned(fromByteOffset: 4, as: Int32.self),
            handle: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
            parent: header.loadUnaligned(fromByteOffset: 12, as: UInt32.self),
            info: header.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        var options: Attribute?
        var applicationStats: Attribute?
        try NetlinkError.context("\(operation) ifindex \(object.interfaceIndex) handle \(TrafficControlObject.classID(object.handle))") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case TrafficControlAttribute.kind: object.kind = attribute.string()
                case TrafficControlAttribute.options: options = attribute
                case TrafficControlAttribute.stats2: try statistics2(attribute, into: &object.statistics, application: &applicationStats)
                case TrafficControlAttribute.stats:
                    // struct tc_stats, for kernels without TCA_STATS2: bytes u64, packets,
                    // drops, overlimits, bps, pps, qlen, backlog (u32 each).
                    let raw = try attribute.atLeast(36)
                    if object.statistics == TrafficControlStatistics() {
                        object.statistics.bytes = raw.loadUnaligned(as: UInt64.self)
                        object.statistics.packets = UInt64(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
                        object.statistics.drops = raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
                        object.statistics.overlimits = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
                        object.statistics.queueLength = raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self)
                        object.statistics.backlog = raw.loadUnaligned(fromByteOffset: 32, as: UInt32.self)
                    }
                case TrafficControlAttribute.extendedStats: if applicationStats == nil { applicationStats = attribute }
                case TrafficControlAttribute.hardwareOffload: object.offloaded = try attribute.uint8() != 0
                default: break
                }
            }
            if let options {
                if let decoded = try TrafficControlOptions.decode(kind: object.kind, role: role, options) {
                    object.options = decoded
                } else {
                    object.rawOptions = options.bytes()
                }
            }
            if let applicationStats {
                object.extendedStatistics = try TrafficControlOptions.extendedStatistics(kind: object.kind, role: role, applicationStats)
            }
        }
        return object
    }

    static func statistics2(_ attribute: Attribute, into stats: inout TrafficControlStatistics, application: inout Attribute?) throws {
        var cursor = attribute.nested()
        var packets64: UInt64?
        while let item = try cursor.next() {
            switch item.type {
            case TrafficControlAttribute.statsBasic:
                // struct gnet_stats_basic { __u64 bytes; __u32 packets; } (12 bytes, 16 with padding)
                let raw = try item.atLeast(12)
                stats.bytes = raw.loadUnaligned(as: UInt64.self)
                stats.packets = UInt64(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            case TrafficControlAttribute.statsPackets64: packets64 = try item.uint64()
            case TrafficControlAttribute.statsQueue:
                // struct gnet_stats_queue { qlen, backlog, drops, requeues, overlimits }
                let raw = try item.atLeast(20)
                stats.queueLength = raw.loadUnaligned(as: UInt32.self)
                stats.backlog = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                stats.drops = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
                stats.requeues = raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
                stats.overlimits = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
            case TrafficControlAttribute.statsRateEstimate64:
                let raw = try item.atLeast(16)
                stats.rateBytesPerSecond = raw.loadUnaligned(as: UInt64.self)
                stats.ratePacketsPerSecond = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            case TrafficControlAttribute.statsRateEstimate where stats.rateBytesPerSecond == nil:
                let raw = try item.atLeast(8)
                stats.rateBytesPerSecond = UInt64(raw.loadUnaligned(as: UInt32.self))
                stats.ratePacketsPerSecond = UInt64(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            case TrafficControlAttribute.statsApplication: application = item
            default: break
            }
        }
        // The kernel sends TCA_STATS_PKT64 when the 32-bit count in gnet_stats_basic wrapped.
        if let packets64 { stats.packets = packets64 }
    }
}

extension Attribute {
    /// At least `count` payload bytes (a struct the kernel may have grown since).
    func atLeast(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard payload.count >= count else {
            throw NetlinkError.malformed(
                "attribute", "attribute type \(type) has \(payload.count) payload bytes, expected at least \(count)", offset: offset)
        }
        return payload
    }
}
