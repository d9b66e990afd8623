import SockDiag
import ProcNet
import NetModel
import Netlink
import RouteNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Interfaces and their addresses, read over rtnetlink.
package struct LinkQuery {
    package let connection: NetlinkConnection

    package init(connection: NetlinkConnection) { self.connection = connection }

    /// Every interface, in the kernel's (ifindex) order.
    package func interfaces(filter: LinkDumpFilter = [.virtualFunctions, .skipStatistics]) throws -> [Interface] {
        try connection.collect(RouteRequests.dumpLinks(filter: filter), LinkDecoder.decode)
    }

    /// One interface by index or name, asked for alone; nil when there is none (ENODEV).
    package func interface(index: Int32 = 0, name: String? = nil) throws -> Interface? {
        var found: Interface?
        do {
            try connection.request(RouteRequests.getLink(index: index, name: name)) { found = try LinkDecoder.decode($0) }
        } catch let error as NetlinkError where error.kind == .kernel && error.errno == ENODEV {
            return nil
        }
        return found
    }

    /// Every address of every family, in the kernel's order.
    package func addresses() throws -> [InterfaceAddress] {
        try connection.collect(RouteRequests.dumpAddresses(), AddressDecoder.decode)
    }
}
