import NetModel
import Netlink
import RouteNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Interfaces and their addresses, read over rtnetlink.
package struct LinkQuery {
    package let connection: NetlinkConnection
    /// Decode `ip -d`'s per-kind details too (`links -d`).
    package var details = false

    package init(connection: NetlinkConnection, details: Bool = false) {
        self.connection = connection
        self.details = details
    }

    /// Every interface, in the kernel's (ifindex) order.
    package func interfaces(filter: LinkDumpFilter = [.virtualFunctions, .skipStatistics]) throws -> [Interface] {
        let details = self.details
        return try connection.collect(RouteRequests.dumpLinks(filter: filter)) { try LinkDecoder.decode($0, details: details) }
    }

    /// One interface by index or name, asked for alone; nil when there is none (ENODEV).
    package func interface(index: Int32 = 0, name: String? = nil) throws -> Interface? {
        var found: Interface?
        do {
            try connection.request(RouteRequests.getLink(index: index, name: name)) { found = try LinkDecoder.decode($0, details: details) }
        } catch let error as NetlinkError where error.kind == .kernel && error.errno == ENODEV {
            return nil
        }
        return found
    }

    /// The interfaces named (`links eth0`, `addrs eth0`), each asked for alone by name
    /// (the kernel matches alternative names too), instead of a dump of every link; as
    /// `ip link show dev X` asks. `related` holds the masters and lower devices or peers they
    /// point to, asked for by index, so their names (and M-DOWN) show as in a full listing.
    /// `missing` holds the names the kernel has no interface for.
    package func interfaces(named names: [String]) throws -> (found: [Interface], related: [Interface], missing: [String]) {
        var found: [Interface] = []
        var missing: [String] = []
        for name in names {
            guard let interface = try interface(name: name) else { missing.append(name); continue }
            if !found.contains(where: { $0.index == interface.index }) { found.append(interface) }
        }
        found.sort { $0.index < $1.index }
        var related: [Interface] = []
        var asked = Set(found.map(\.index))
        for interface in found {
            // IFLA_LINK in another namespace (a veth peer moved away) is not ours to resolve.
            let lower = interface.linkNetnsID == nil ? interface.linkIndex : nil
            // And the devices its details name (a vxlan's underlay, a bridge port's backup).
            let named = [interface.details?.kindData, interface.details?.portData].compactMap { $0 }.joined().compactMap { field -> Int32? in
                if case .interface(let index) = field.value { return index }
                return nil
            }
            for index in [interface.masterIndex, lower].compactMap({ $0 }) + named where index != 0 && asked.insert(index).inserted {
                if let other = try self.interface(index: index) { related.append(other) }
            }
        }
        return (found, related, missing)
    }

    /// Every address of every family, in the kernel's order.
    package func addresses() throws -> [InterfaceAddress] {
        try connection.collect(RouteRequests.dumpAddresses(), AddressDecoder.decode)
    }

    /// The addresses of one interface: a dump the kernel filters by ifa_index (strict
    /// checking), as `ip addr show dev X` asks.
    package func addresses(index: Int32) throws -> [InterfaceAddress] {
        // A kernel without strict checking ignores ifa_index and dumps them all.
        try connection.collect(RouteRequests.dumpAddresses(index: index), AddressDecoder.decode).filter { $0.interfaceIndex == index }
    }
}
