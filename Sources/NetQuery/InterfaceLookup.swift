import CNetlinkHeaders
import NetModel
import Netlink
#if canImport(Glibc)
import Glibc
#endif

/// Interface names and indexes of the current namespace by SIOCGIFNAME / SIOCGIFINDEX
/// (if_indextoname, if_nametoindex): for commands that show a few devices' names, a full
/// RTM_GETLINK dump (about 1 KB per link, most of it per-family configuration) costs more
/// than everything else they do.
package enum InterfaceLookup {
    /// The names of these indexes; an index that vanished meanwhile is left out.
    package static func names(_ indexes: some Sequence<Int32>) -> InterfaceNames {
        var names: [Int32: String] = [:]
        // One socket for every lookup (if_indextoname would open one per index).
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return InterfaceNames(names: [:]) }
        defer { close(fd) }
        var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        for index in indexes where names[index] == nil && index > 0 {
            if netscope_interface_name(fd, index, &buffer) == 0 { names[index] = String(cString: buffer) }
        }
        return InterfaceNames(names: names)
    }

    /// The names of these indexes: looked up alone, or from a link dump when the run is
    /// recorded (its capture must hold the same requests on both sides).
    package static func names(
        _ indexes: some Sequence<Int32>, sources: SourceOptions, connection: NetlinkConnection
    ) throws -> InterfaceNames {
        sources.isRecorded ? InterfaceNames(try LinkQuery(connection: connection).interfaces()) : names(indexes)
    }

    /// The index of the interface called `name`, or nil when there is none.
    package static func index(of name: String) -> Int32? {
        let index = if_nametoindex(name)
        return index == 0 ? nil : Int32(index)
    }
}
