import NetModel
import Netlink

extension RouteMessageType {
    /// RTM_NEWNEIGHTBL, RTM_GETNEIGHTBL
    public static let newNeighborTable: UInt16 = 64
    public static let getNeighborTable: UInt16 = 66
}

/// NDTA_* attributes of RTM_NEWNEIGHTBL (linux/neighbour.h).
enum NeighborTableAttribute {
    static let name: UInt16 = 1     // NDTA_NAME
    static let config: UInt16 = 5   // NDTA_CONFIG: struct ndt_config
    static let stats: UInt16 = 7    // NDTA_STATS: struct ndt_stats
}

public enum NeighborTableDecoder {
    /// sizeof(struct ndtmsg): family and three pad bytes.
    static let headerSize = 4

    /// One table. The dump also sends one message per (table, device) with only that
    /// device's parameters (NDTA_PARMS, no NDTA_CONFIG): those return nil.
    public static func decode(_ message: NetlinkMessage) throws -> NeighborTable? {
        var (header, cursor) = try message.split(headerSize: headerSize, operation: "RTM_NEWNEIGHTBL")
        var table = NeighborTable(family: AddressFamily(rawValue: header.load(as: UInt8.self)), name: "")
        var isTable = false
        try NetlinkError.context("RTM_NEWNEIGHTBL") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case NeighborTableAttribute.name: table.name = attribute.string()
                case NeighborTableAttribute.config:
                    // struct ndt_config { __u16 key_len, entry_size; __u32 entries; … }
                    isTable = true
                    table.entries = try attribute.atLeast(8).loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                case NeighborTableAttribute.stats:
                    let raw = try attribute.atLeast(8 * NeighborTable.statisticNames.count)
                    table.statistics = (0..<raw.count / 8).map { index in
                        let name = index < NeighborTable.statisticNames.count ? NeighborTable.statisticNames[index] : "field\(index)"
                        return (name: name, value: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
                    }
                default: break
                }
            }
        }
        return isTable ? table : nil
    }
}

extension RouteRequests {
    /// RTM_GETNEIGHTBL with NLM_F_DUMP: every neighbour table (and their per-device parameters).
    public static func dumpNeighborTables() -> NetlinkRequest {
        NetlinkRequest(
            type: RouteMessageType.getNeighborTable, flags: NetlinkFlags.dump, header: UInt32(0), operation: "RTM_GETNEIGHTBL dump")
    }
}
