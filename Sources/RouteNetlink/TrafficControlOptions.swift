import NetModel
import Netlink

/// TCA_OPTIONS and extended statistics of the qdisc and class kinds netscope decodes, under
/// the keys and in the order of tc's JSON (iproute2 tc/q_*.c print_qopt/print_copt/print_xstats).
/// Kinds not listed here keep their raw bytes.
enum TrafficControlOptions {
    /// TCA_HTB_* (linux/pkt_sched.h)
    enum HTB {
        static let parameters: UInt16 = 1     // TCA_HTB_PARMS: struct tc_htb_opt
        static let initial: UInt16 = 2        // TCA_HTB_INIT: struct tc_htb_glob
        static let directQueueLength: UInt16 = 5  // TCA_HTB_DIRECT_QLEN
        static let rate64: UInt16 = 6         // TCA_HTB_RATE64
        static let ceil64: UInt16 = 7         // TCA_HTB_CEIL64
    }
    /// TCA_TBF_* (linux/pkt_sched.h)
    enum TBF {
        static let parameters: UInt16 = 1     // TCA_TBF_PARMS: struct tc_tbf_qopt
        static let rate64: UInt16 = 4         // TCA_TBF_RATE64
        static let peakRate64: UInt16 = 5     // TCA_TBF_PRATE64
    }
    /// TCA_PRIO_MQ (linux/pkt_sched.h), nested after struct tc_prio_qopt.
    static let prioMultiqueue: UInt16 = 1
    /// TCA_FQ_CODEL_* (linux/pkt_sched.h)
    enum FQCodel {
        static let target: UInt16 = 1, limit: UInt16 = 2, interval: UInt16 = 3, ecn: UInt16 = 4, flows: UInt16 = 5
        static let quantum: UInt16 = 6, ceThreshold: UInt16 = 7, dropBatchSize: UInt16 = 8, memoryLimit: UInt16 = 9
        /// TCA_FQ_CODEL_XSTATS_QDISC: the type of struct tc_fq_codel_xstats for a qdisc.
        static let qdiscStatistics: UInt32 = 0
    }

    /// nil: a kind netscope does not decode.
    static func decode(kind: String, role: TrafficControlObject.Role, _ options: Attribute) throws -> [AttributeValue.Field]? {
        switch kind {
        case "htb": return try role == .qdisc ? htbQdisc(options) : htbClass(options)
        case "tbf": return try tbf(options)
        case "pfifo", "bfifo", "pfifo_head_drop":
            // struct tc_fifo_qopt { __u32 limit; }: packets for pfifo, bytes for bfifo.
            return [.init("limit", .unsigned(UInt64(try options.uint32())))]
        case "pfifo_fast", "prio": return try prio(options)
        case "mq", "clsact", "ingress", "noqueue": return []
        case "fq_codel" where role == .qdisc: return try fqCodel(options)
        default: return nil
        }
    }

    static func extendedStatistics(kind: String, role: TrafficControlObject.Role, _ stats: Attribute) throws -> [AttributeValue.Field] {
        switch (kind, role) {
        case ("htb", .trafficClass):
            // struct tc_htb_xstats { lends, borrows, giants; __s32 tokens, ctokens; }
            let raw = try stats.atLeast(20)
            return [
                .init("lended", .unsigned(UInt64(raw.loadUnaligned(as: UInt32.self)))),
                .init("borrowed", .unsigned(UInt64(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))),
                .init("giants", .unsigned(UInt64(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))),
                .init("tokens", .signed(Int64(raw.loadUnaligned(fromByteOffset: 12, as: Int32.self)))),
                .init("ctokens", .signed(Int64(raw.loadUnaligned(fromByteOffset: 16, as: Int32.self)))),
            ]
        case ("fq_codel", .qdisc):
            // struct tc_fq_codel_xstats { type; tc_fq_codel_qd_stats } with type 0 (TCA_FQ_CODEL_XSTATS_QDISC).
            let raw = try stats.atLeast(28)
            guard raw.loadUnaligned(as: UInt32.self) == FQCodel.qdiscStatistics else { return [] }
            func field(_ index: Int) -> UInt64 {
                let offset = 4 + index * 4
                return offset + 4 <= raw.count ? UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) : 0
            }
            return [
                .init("maxpacket", .unsigned(field(0))), .init("drop_overlimit", .unsigned(field(1))),
                .init("new_flow_count", .unsigned(field(3))), .init("ecn_mark", .unsigned(field(2))),
                .init("new_flows_len", .unsigned(field(4))), .init("old_flows_len", .unsigned(field(5))),
                .init("ce_mark", .unsigned(field(6))), .init("memory_used", .unsigned(field(7))),
                .init("drop_overmemory", .unsigned(field(8))),
            ]
        default: return []
        }
    }

    // MARK: kinds

    /// The kernel's scheduler clock: one psched tick is 64 ns (PSCHED_SHIFT 6), so tc's
    /// tick_in_usec is 15.625 on every kernel since 2.6.31.
    static let ticksPerMicrosecond = 15.625

    /// tc_calc_xmitsize: bytes sent at `rate` bytes/s during `ticks`.
    static func bytes(rate: UInt64, ticks: UInt32) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: Int64(Double(rate) * (Double(ticks) / ticksPerMicrosecond) / 1_000_000)))
    }

    /// struct tc_ratespec: cell_log u8, linklayer u8, overhead u16, cell_align s16, mpu u16, rate u32.
    struct RateSpec {
        var linkLayer: UInt8, overhead: UInt16, rate: UInt32
        init(_ raw: UnsafeRawBufferPointer, at offset: Int) {
            linkLayer = raw.load(fromByteOffset: offset + 1, as: UInt8.self) & 0x0F
            overhead = raw.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self)
            rate = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
        }
        /// TC_LINKLAYER_ETHERNET 1, TC_LINKLAYER_ATM 2
        var linkLayerName: String? { linkLayer > 1 ? (linkLayer == 2 ? "atm" : "unknown") : nil }
    }

    /// A 64-bit rate attribute (TCA_*_RATE64) when the kernel sent one, else the 32-bit
    /// rate of the ratespec: the kernel sends the 64-bit one only past 32 bits.
    static func rate64(_ attribute: Attribute?, else rate: UInt32) throws -> UInt64 {
        try attribute.map { try $0.uint64() } ?? UInt64(rate)
    }

    static func attributes(_ options: Attribute) throws -> [UInt16: Attribute] {
        var found: [UInt16: Attribute] = [:]
        var cursor = options.nested()
        while let item = try cursor.next() { found[item.type] = item }
        return found
    }

    /// TCA_HTB_INIT: struct tc_htb_glob, and TCA_HTB_DIRECT_QLEN.
    static func htbQdisc(_ options: Attribute) throws -> [AttributeValue.Field] {
        let found = try attributes(options)
        var fields: [AttributeValue.Field] = []
        if let initial = found[HTB.initial] {
            let raw = try initial.atLeast(20)
            fields.append(.init("r2q", .signed(Int64(raw.loadUnaligned(fromByteOffset: 4, as: Int32.self)))))
            fields.append(.init("default", .text("0x" + String(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self), radix: 16))))
            fields.append(.init("direct_packets_stat", .unsigned(UInt64(raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))))
        }
        if let directQueue = found[HTB.directQueueLength], directQueue.payload.count >= 4 {
            fields.append(.init("direct_qlen", .unsigned(UInt64(try directQueue.uint32()))))
        }
        return fields
    }

    /// TCA_HTB_PARMS: struct tc_htb_opt, with TCA_HTB_RATE64 and TCA_HTB_CEIL64 past 32 bits.
    static func htbClass(_ options: Attribute) throws -> [AttributeValue.Field] {
        let found = try attributes(options)
        guard let parameters = found[HTB.parameters] else { return [] }
        let raw = try parameters.atLeast(44)
        let rate = RateSpec(raw, at: 0), ceil = RateSpec(raw, at: 12)
        let buffer = raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)
        let ceilBuffer = raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self)
        let level = raw.loadUnaligned(fromByteOffset: 36, as: UInt32.self)
        let priority = raw.loadUnaligned(fromByteOffset: 40, as: UInt32.self)
        let rate64 = try Self.rate64(found[HTB.rate64], else: rate.rate)
        let ceil64 = try Self.rate64(found[HTB.ceil64], else: ceil.rate)
        var fields: [AttributeValue.Field] = []
        if level == 0 { fields.append(.init("prio", .signed(Int64(Int32(bitPattern: priority))))) }
        fields.append(.init("rate", .unsigned(rate64)))
        if rate.overhead != 0 { fields.append(.init("overhead", .unsigned(UInt64(rate.overhead)))) }
        fields.append(.init("ceil", .unsigned(ceil64)))
        if let layer = rate.linkLayerName { fields.append(.init("linklayer", .text(layer))) }
        fields.append(.init("burst", .unsigned(bytes(rate: rate64, ticks: buffer))))
        fields.append(.init("cburst", .unsigned(bytes(rate: ceil64, ticks: ceilBuffer))))
        return fields
    }

    /// TCA_TBF_PARMS: struct tc_tbf_qopt, with TCA_TBF_RATE64 / TCA_TBF_PRATE64 past 32 bits.
    static func tbf(_ options: Attribute) throws -> [AttributeValue.Field] {
        let found = try attributes(options)
        guard let parameters = found[TBF.parameters] else { return [] }
        let raw = try parameters.atLeast(36)
        let rate = RateSpec(raw, at: 0), peak = RateSpec(raw, at: 12)
        let limit = raw.loadUnaligned(fromByteOffset: 24, as: UInt32.self)
        let buffer = raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self)
        let mtu = raw.loadUnaligned(fromByteOffset: 32, as: UInt32.self)
        let rate64 = try Self.rate64(found[TBF.rate64], else: rate.rate)
        let peak64 = try Self.rate64(found[TBF.peakRate64], else: peak.rate)
        var fields: [AttributeValue.Field] = [
            .init("rate", .unsigned(rate64)), .init("burst", .unsigned(bytes(rate: rate64, ticks: buffer))),
        ]
        if peak64 != 0 && mtu != 0 { fields.append(.init("minburst", .unsigned(bytes(rate: peak64, ticks: mtu)))) }
        // tc's latency: how long a full queue (limit bytes) takes to drain, less the burst.
        var latency = 1_000_000 * (Double(limit) / Double(rate64)) - Double(buffer) / ticksPerMicrosecond
        if peak64 != 0 {
            latency = max(latency, 1_000_000 * (Double(limit) / Double(peak64)) - Double(mtu) / ticksPerMicrosecond)
        }
        if latency >= 0 && latency.isFinite {
            fields.append(.init("lat", .unsigned(UInt64(latency))))
        } else {
            fields.append(.init("limit", .unsigned(UInt64(limit))))
        }
        if rate.overhead != 0 { fields.append(.init("overhead", .signed(Int64(rate.overhead)))) }
        if let layer = rate.linkLayerName { fields.append(.init("linklayer", .text(layer))) }
        return fields
    }

    /// struct tc_prio_qopt { int bands; __u8 priomap[16]; } then, nested after it, TCA_PRIO_MQ (1).
    static func prio(_ options: Attribute) throws -> [AttributeValue.Field] {
        let raw = try options.atLeast(20)
        let bands = raw.loadUnaligned(as: UInt32.self)
        let map = (0..<16).map { UInt64(raw.load(fromByteOffset: 4 + $0, as: UInt8.self)) }
        var multiqueue = false
        // nested attributes follow the aligned struct (parse_rtattr_nested_compat).
        if raw.count > 20 {
            var cursor = AttributeCursor(UnsafeRawBufferPointer(rebasing: raw[20...]), baseOffset: options.offset + 24)
            while let item = try cursor.next() { if item.type == prioMultiqueue { multiqueue = try item.uint8() != 0 } }
        }
        return [.init("bands", .unsigned(UInt64(bands))), .init("priomap", .list(map)), .init("multiqueue", .bool(multiqueue))]
    }

    /// TCA_FQ_CODEL_*: times (target, interval, ce_threshold) in µs, as tc's JSON.
    static func fqCodel(_ options: Attribute) throws -> [AttributeValue.Field] {
        let found = try attributes(options)
        var fields: [AttributeValue.Field] = []
        func add(_ type: UInt16, _ name: String) throws {
            if let item = found[type] { fields.append(.init(name, .unsigned(UInt64(try item.uint32())))) }
        }
        try add(FQCodel.limit, "limit"); try add(FQCodel.flows, "flows"); try add(FQCodel.quantum, "quantum")
        try add(FQCodel.target, "target"); try add(FQCodel.ceThreshold, "ce_threshold"); try add(FQCodel.interval, "interval")
        try add(FQCodel.memoryLimit, "memory_limit")
        if let ecn = found[FQCodel.ecn] { fields.append(.init("ecn", .bool(try ecn.uint32() != 0))) }
        try add(FQCodel.dropBatchSize, "drop_batch")
        return fields
    }
}
