import CMnl
import CNetlinkHeaders
import NetModel
import Netlink

/// ETHTOOL_MSG_STATS_GET over the "ethtool" generic netlink family (linux/ethtool_netlink.h).
public enum EthtoolStats {
    /// ETHTOOL_GENL_NAME, ETHTOOL_GENL_VERSION
    public static let familyName = "ethtool"
    static let version: UInt8 = 1
    /// ETHTOOL_MSG_STATS_GET
    static let statsGet: UInt8 = 32
    /// ETHTOOL_A_STATS_HEADER, ETHTOOL_A_STATS_GROUPS, ETHTOOL_A_STATS_GRP
    static let headerAttribute: UInt16 = 2
    static let groupsAttribute: UInt16 = 3
    static let groupAttribute: UInt16 = 4
    /// ETHTOOL_A_HEADER_DEV_INDEX (u32), ETHTOOL_A_HEADER_DEV_NAME (string)
    static let deviceIndex: UInt16 = 1
    static let deviceName: UInt16 = 2
    /// ETHTOOL_A_BITSET_NOMASK (flag), ETHTOOL_A_BITSET_SIZE (u32), ETHTOOL_A_BITSET_VALUE (binary)
    static let bitsetNoMask: UInt16 = 1
    static let bitsetSize: UInt16 = 2
    static let bitsetValue: UInt16 = 4
    /// ETHTOOL_A_STATS_GRP_ID (u32), ETHTOOL_A_STATS_GRP_STAT (nest of u64 keyed by statistic)
    static let groupID: UInt16 = 2
    static let groupStatistics: UInt16 = 4
    /// ETHTOOL_STAT_NOT_SET: what the kernel fills in for a statistic the driver lacks.
    static let notSet = UInt64.max

    /// A dump of every device's standard statistics, all four groups asked for as a compact
    /// bitset (NOMASK, 4 bits set).
    public static func dumpRequest(family: UInt16) -> NetlinkRequest {
        NetlinkRequest(
            type: family, flags: NetlinkFlags.dump, header: GenericNetlink.header(command: statsGet, version: version),
            operation: "ETHTOOL_MSG_STATS_GET dump"
        ) { nlh in
            let header = mnl_attr_nest_start(nlh, headerAttribute)
            mnl_attr_nest_end(nlh, header)
            let groups = mnl_attr_nest_start(nlh, groupsAttribute)
            mnl_attr_put(nlh, bitsetNoMask, 0, nil)
            mnl_attr_put_u32(nlh, bitsetSize, UInt32(EthtoolStatistics.groupNames.count))
            mnl_attr_put_u32(nlh, bitsetValue, (1 << UInt32(EthtoolStatistics.groupNames.count)) - 1)
            mnl_attr_nest_end(nlh, groups)
        }
    }

    /// One device's reply; groups without a single statistic the driver fills are left out.
    public static func decode(_ message: NetlinkMessage) throws -> EthtoolStatistics {
        var (_, cursor) = try message.split(headerSize: GenericNetlink.headerSize, operation: "ETHTOOL_MSG_STATS_GET_REPLY")
        var result = EthtoolStatistics(interfaceIndex: 0, interfaceName: "")
        try NetlinkError.context("ETHTOOL_MSG_STATS_GET_REPLY") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case headerAttribute:
                    var inner = attribute.nested()
                    while let item = try inner.next() {
                        if item.type == deviceIndex { result.interfaceIndex = Int32(bitPattern: try item.uint32()) }
                        if item.type == deviceName { result.interfaceName = item.string() }
                    }
                case groupAttribute:
                    var id: UInt32?
                    var values: [(UInt16, UInt64)] = []
                    var inner = attribute.nested()
                    while let item = try inner.next() {
                        if item.type == groupID { id = try item.uint32() }
                        if item.type == groupStatistics {
                            var stats = item.nested()
                            while let stat = try stats.next() {
                                let value = try stat.uint64()
                                if value != notSet { values.append((stat.type, value)) }
                            }
                        }
                    }
                    guard let id, Int(id) < EthtoolStatistics.groupNames.count, !values.isEmpty else { continue }
                    let names = EthtoolStatistics.statisticNames[Int(id)]
                    result.groups.append(EthtoolStatistics.Group(
                        name: EthtoolStatistics.groupNames[Int(id)],
                        values: values.map { .init(name: Int($0.0) < names.count ? names[Int($0.0)] : "stat\($0.0)", value: $0.1) }))
                default: break
                }
            }
        }
        return result
    }
}
