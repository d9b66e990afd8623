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

    /// Every address of every family, in the kernel's order.
    package func addresses() throws -> [InterfaceAddress] {
        try connection.collect(RouteRequests.dumpAddresses(), AddressDecoder.decode)
    }
}
