import CNetlinkHeaders
import EthtoolNetlink
import NetModel
import Netlink
#if canImport(Glibc)
import Glibc
#endif

/// A driver's own statistics, as `ethtool -S` prints them (SIOCETHTOOL: ETHTOOL_GSSET_INFO,
/// ETHTOOL_GSTRINGS, ETHTOOL_GSTATS). Needs no privilege; read in the current namespace.
package struct EthtoolQuery {
    /// ETH_GSTRING_LEN: every statistic's name is a 32-byte NUL-padded field.
    static let nameLength = 32

    package init() {}

    /// (name, value) in the driver's order; nil when the device has none (lo, bridges) or is gone.
    package func driverStatistics(interface name: String) -> [(name: String, value: UInt64)]? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let count = netscope_ethtool_stats_count(fd, name)
        guard count > 0, count < 1 << 16 else { return nil }
        var names = [CChar](repeating: 0, count: Int(count) * Self.nameLength)
        var values = [UInt64](repeating: 0, count: Int(count))
        let filled = netscope_ethtool_stats(fd, name, UInt32(count), &names, &values)
        guard filled > 0 else { return nil }
        return (0..<Int(filled)).map { index in
            let start = index * Self.nameLength
            let bytes = names[start..<start + Self.nameLength].prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return (name: String(decoding: bytes, as: UTF8.self), value: values[index])
        }
    }
}

/// The standard statistics of every device over ethtool netlink (`ethtool -S DEV --all-groups`).
package struct EthtoolStandardQuery {
    package let sources: SourceOptions

    package init(sources: SourceOptions) { self.sources = sources }

    /// Every device's groups (devices whose driver fills none come back empty); nil when the
    /// kernel has no ethtool netlink family (before 5.6, or built without it).
    package func statistics() throws -> [EthtoolStatistics]? {
        let connection = try sources.connection(.generic)
        var family: UInt16?
        do {
            try connection.request(GenericNetlink.resolveRequest(name: EthtoolStats.familyName)) { message in
                if message.type == GenericNetlink.controllerType { family = try GenericNetlink.familyID(message) }
            }
        } catch let error as NetlinkError where error.kind == .kernel && error.errno == ENOENT {
            return nil
        }
        guard let family else { return nil }
        return try connection.collect(EthtoolStats.dumpRequest(family: family)) { message in
            message.type == family ? try EthtoolStats.decode(message) : nil
        }
    }
}
