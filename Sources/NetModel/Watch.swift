/// What `netscope watch` can follow.
public enum WatchKind: String, CaseIterable, Sendable {
    case links, addrs, routes, neigh, rules


    public var singular: String {
        switch self {
        case .links: return "link"
        case .addrs: return "addr"
        case .routes: return "route"
        case .neigh: return "neigh"
        case .rules: return "rule"
        }
    }
}

/// One object the watcher holds, boxed (indirect): the watcher's state is a dictionary of
/// these, and inline each of its buckets was as wide as the widest case. With a link (473
/// bytes) inline, `watch routes --initial` at 1.2M routes held 1.72 GB; with links and rules
/// boxed, 1.01 GB (a route is 237 bytes, and a dictionary of 1.2M has 2^21 buckets); with
/// every case boxed, where a bucket holds a pointer and each object one allocation of its own
/// size, 0.72 GB.
public indirect enum WatchedObject: Hashable, Sendable {
    case link(Interface)
    case address(InterfaceAddress)
    case route(Route)
    case neighbor(Neighbor)
    case rule(Rule)

    public var kind: WatchKind {
        switch self {
        case .link: return .links
        case .address: return .addrs
        case .route: return .routes
        case .neighbor: return .neigh
        case .rule: return .rules
        }
    }

    /// The kernel's identity of the object: a new notification with the same key replaces it.
    public var key: String {
        switch self {
        case .link(let interface): return "link|\(interface.index)"
        case .address(let address):
            return "addr|\(address.interfaceIndex)|\(address.family.rawValue)|\(address.primary?.description ?? "-")/\(address.prefixLength)"
        case .route(let route): return "route|" + route.key
        case .neighbor(let neighbor): return "neigh|" + neighbor.key
        case .rule(let rule): return "rule|" + rule.key
        }
    }

    /// The object without values that tick by themselves (statistics, lifetimes, expiry,
    /// neighbour timers): what is compared to decide whether something changed.
    public var sanitized: WatchedObject {
        switch self {
        case .link(var interface):
            interface.statistics = nil
            interface.carrierChanges = nil
            return .link(interface)
        case .address(var address):
            if address.validLifetime != InterfaceAddress.forever { address.validLifetime = nil }
            if address.preferredLifetime != InterfaceAddress.forever { address.preferredLifetime = nil }
            return .address(address)
        case .route(var route):
            route.expires = nil
            return .route(route)
        case .neighbor(var neighbor):
            neighbor.used = nil
            neighbor.confirmed = nil
            neighbor.updated = nil
            neighbor.referenceCount = nil
            neighbor.probes = nil
            return .neighbor(neighbor)
        case .rule: return self
        }
    }

    /// A hash of the sanitized object: what a watcher holds to tell whether a notification
    /// changed anything, instead of a second, sanitized copy of every object (with a million
    /// routes, that copy was a third of `watch`'s memory). Seeded per process, so it is only
    /// compared within one.
    public var digest: Int { sanitized.hashValue }
}

/// One line of `netscope watch`.
public struct WatchEvent: Sendable {
    public enum Action: String, Sendable { case new, changed, deleted, initial }
    public var action: Action
    public var object: WatchedObject
    /// Found by re-dumping after the kernel dropped notifications (ENOBUFS), not notified.
    public var resync: Bool
    public var key: String { object.key }

    public init(action: Action, object: WatchedObject, resync: Bool) {
        self.action = action
        self.object = object
        self.resync = resync
    }
}
