import NetModel
import Netlink
import RouteNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Interfaces and their addresses, read over rtnetlink.
public struct LinkQuery {
    public let connection: NetlinkConnection

    public init(connection: NetlinkConnection) { self.connection = connection }

    /// Every interface, in the kernel's (ifindex) order.
    public func interfaces(filter: LinkDumpFilter = [.virtualFunctions, .skipStatistics]) throws -> [Interface] {
        try connection.collect(RouteRequests.dumpLinks(filter: filter), LinkDecoder.decode)
    }

    /// Every address of every family, in the kernel's order.
    public func addresses() throws -> [InterfaceAddress] {
        try connection.collect(RouteRequests.dumpAddresses(), AddressDecoder.decode)
    }
}

/// Selects interfaces by name glob(s) (matching the name or an alternative name) and state.
public struct InterfaceFilter: Sendable {
    public var patterns: [String]
    public var upOnly: Bool

    public init(patterns: [String] = [], upOnly: Bool = false) {
        self.patterns = patterns
        self.upOnly = upOnly
    }

    public func matches(_ interface: Interface) -> Bool {
        if upOnly && !interface.isUp { return false }
        if patterns.isEmpty { return true }
        let names = [interface.name] + interface.alternativeNames
        return patterns.contains { pattern in names.contains { Glob.matches(pattern, $0) } }
    }
}
