import NetModel
import Netlink
import RouteNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Routes, rules, neighbours and `route get`, over rtnetlink.
package struct RouteQuery {
    package let connection: NetlinkConnection

    package init(connection: NetlinkConnection) { self.connection = connection }

    /// IPv4 and/or IPv6 routes; `table` nil means every table.
    package func routes(ipv4: Bool = true, ipv6: Bool = true, table: UInt32? = nil) throws -> [Route] {
        try Self.families(ipv4: ipv4, ipv6: ipv6).flatMap { family in
            try Self.absentIsEmpty {
                try connection.collect(RouteRequests.dumpRoutes(family: family, table: table)) { message in
                    let route = try RouteDecoder.decode(message)
                    return Self.inTable(route, table) ? route : nil
                }
            } ?? []
        }
    }

    /// Runs a dump of one family; a family without the table asked for (strict checking
    /// answers ENOENT: "ipv6: FIB table does not exist") or a family the kernel lacks
    /// (EAFNOSUPPORT, IPv6 disabled at boot) is an empty answer, as `ip` treats it.
    static func absentIsEmpty<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as NetlinkError where error.kind == .kernel && [ENOENT, EAFNOSUPPORT, EOPNOTSUPP].contains(error.errno) {
            return nil
        }
    }

    /// AF_INET and/or AF_INET6, in that order.
    static func families(ipv4: Bool, ipv6: Bool) -> [AddressFamily] {
        (ipv4 ? [.inet] : []) + (ipv6 ? [.inet6] : [])
    }

    /// Without strict checking an old kernel ignores RTA_TABLE: the table is checked here too.
    static func inTable(_ route: Route, _ table: UInt32?) -> Bool {
        table.map { route.table == $0 } ?? true
    }

    /// Streams routes to `each` as they are decoded, keeping none: for listing very large
    /// tables. A dump the kernel marks inconsistent (NLM_F_DUMP_INTR) cannot be taken back
    /// once printed, so it is reported as an error instead of being repeated.
    package func routes(
        ipv4: Bool = true, ipv6: Bool = true, table: UInt32? = nil, selector: RouteSelector = RouteSelector(),
        each: (Route) throws -> Void
    ) throws {
        for family in Self.families(ipv4: ipv4, ipv6: ipv6) {
            let interrupted = {
                throw NetlinkError(kind: .interrupted, operation: "RTM_GETROUTE dump",
                                   message: "the routing table changed during the dump; run again")
            }
            _ = try Self.absentIsEmpty {
                // The kernel filters what strict checking lets it (device, protocol, type); the
                // selector is checked again here, with ip's semantics.
                let request = RouteRequests.dumpRoutes(
                    family: family, table: table, outputInterface: selector.outputInterface, proto: selector.proto, type: selector.type)
                // Most listings select nothing: then no per-route call into the selector (a
                // Route is large, and passing it across a module boundary costs).
                let selecting = !selector.isEmpty
                try connection.dump(request, restart: interrupted) { message in
                    let route = try RouteDecoder.decode(message)
                    if Self.inTable(route, table) && (!selecting || selector.matches(route)) { try each(route) }
                }
            }
        }
    }

    package func rules(ipv4: Bool = true, ipv6: Bool = true) throws -> [Rule] {
        try Self.families(ipv4: ipv4, ipv6: ipv6).flatMap { family in
            try Self.absentIsEmpty { try connection.collect(RouteRequests.dumpRules(family: family), RuleDecoder.decode) } ?? []
        }
    }

    /// ARP and NDP entries (the kernel's neighbour tables for IPv4 and IPv6). Like `ip neigh`,
    /// entries in NOARP or no state (multicast mappings, say) are left out unless `all`.
    package func neighbors(
        ipv4: Bool = true, ipv6: Bool = true, all: Bool = false, selector: NeighborSelector = NeighborSelector()
    ) throws -> [Neighbor] {
        try Self.families(ipv4: ipv4, ipv6: ipv6).flatMap { family in
            try Self.absentIsEmpty {
                let request = RouteRequests.dumpNeighbors(family: family, interface: selector.interface, proxy: selector.proxy)
                return try connection.collect(request) { message in
                    let neighbor = try NeighborDecoder.decode(message)
                    guard neighbor.family == family, selector.matches(neighbor) else { return nil }
                    if selector.proxy || selector.states != nil { return neighbor }
                    let shown = all || neighbor.state & 0xBF != 0 || neighbor.flags & (0x08 | 0x10) != 0
                    return shown ? neighbor : nil
                }
            } ?? []
        }
    }

    /// The kernel's answer for a lookup with every selector (`ip route get`, and with
    /// `fibMatch` its `fibmatch` form).
    package func get(_ lookup: RouteLookup) throws -> Route {
        var answer: Route?
        try connection.request(RouteRequests.getRoute(lookup)) { message in answer = try RouteDecoder.decode(message) }
        guard let answer else { throw NetlinkError.malformed("RTM_GETROUTE", "the kernel answered without a route", offset: 0) }
        return answer
    }

    /// The kernel's own answer for one destination (RTM_GETROUTE without NLM_F_DUMP).
    package func get(
        _ destination: IPAddress, from source: IPAddress? = nil, inputInterface: Int32? = nil,
        outputInterface: Int32? = nil, mark: UInt32? = nil
    ) throws -> Route {
        var answer: Route?
        try connection.request(RouteRequests.getRoute(
            destination: destination, source: source, inputInterface: inputInterface, outputInterface: outputInterface,
            mark: mark)) { message in
            answer = try RouteDecoder.decode(message)
        }
        guard let answer else {
            throw NetlinkError.malformed("RTM_GETROUTE", "the kernel answered without a route", offset: 0)
        }
        return answer
    }
}
