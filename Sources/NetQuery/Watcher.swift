import CNetlinkHeaders
import NetModel
import Netlink
import RouteNetlink
#if canImport(Glibc)
import Glibc
#endif


extension WatchKind {
    /// The rtnetlink multicast groups carrying this kind's notifications.
    var groups: [UInt32] {
        switch self {
        case .links: return [UInt32(RTNLGRP_LINK.rawValue)]
        case .addrs: return [UInt32(RTNLGRP_IPV4_IFADDR.rawValue), UInt32(RTNLGRP_IPV6_IFADDR.rawValue)]
        case .routes: return [UInt32(RTNLGRP_IPV4_ROUTE.rawValue), UInt32(RTNLGRP_IPV6_ROUTE.rawValue)]
        case .neigh: return [UInt32(RTNLGRP_NEIGH.rawValue)]
        case .rules: return [UInt32(RTNLGRP_IPV4_RULE.rawValue), UInt32(RTNLGRP_IPV6_RULE.rawValue)]
        }
    }
}

/// Follows rtnetlink multicast notifications and keeps the state they describe. When the
/// socket overflows (ENOBUFS: notifications were lost), it dumps every watched table again,
/// diffs against what it holds and reports the differences as `resync` events, so a consumer
/// that applies the events always ends up with the kernel's state.
package final class Watcher {
    package let kinds: Set<WatchKind>
    private let events: NotificationTransport
    private let buffer: UnsafeMutableRawBufferPointer
    private let dumps: NetlinkConnection
    /// key -> the object as notified, with the digest of its sanitized form.
    private var state: [String: Held] = [:]
    /// Route base key -> the keys of the routes held under it: what a `replace` may replace.
    private var routesByBase: [String: BaseKeys] = [:]
    /// The links held, apart: their names are refreshed on every link event, and looking
    /// for them among a million routes made each one cost a walk of the whole state.
    private var links: [Int32: Interface] = [:]
    /// Set when a notification cannot be applied unambiguously (a replace with several
    /// candidates): the batch ends with a re-dump instead of a guess.
    private var resyncNeeded = false
    private(set) package var names: InterfaceNames
    /// How many times notifications were lost and state was re-read.
    package private(set) var resyncs = 0

    /// Subscribes a notification socket to the kinds' groups and opens the dump connection.
    package convenience init(kinds: Set<WatchKind>, receiveBuffer: Int32, sources: SourceOptions) throws {
        let socket = try NetlinkSocket(protocol: .route)
        socket.setReceiveBuffer(bytes: receiveBuffer)
        // Links are always followed: routes and neighbours name their devices.
        for kind in kinds.union([.links]) {
            for group in kind.groups { try socket.subscribe(group: group) }
        }
        self.init(kinds: kinds, events: socket, dumps: try sources.connection(.route))
    }

    /// The watcher over any notification source and dump connection: a subscribed socket and
    /// the kernel, or a script and a recording (tests).
    package init(kinds: Set<WatchKind>, events: NotificationTransport, dumps: NetlinkConnection) {
        self.kinds = kinds
        self.events = events
        self.dumps = dumps
        buffer = .allocate(byteCount: 1 << 20, alignment: 8)
        names = InterfaceNames([])
    }

    deinit { buffer.deallocate() }

    /// Reads the current state (after subscribing, so nothing falls between the two).
    /// Returns it as `initial` events.
    package func start() throws -> [WatchEvent] {
        var events: [WatchEvent] = []
        try start { events.append($0) }
        return events
    }

    /// Reads the current state and hands it to `initial` as `initial` events, in the kernel's
    /// order, once it is all held: nothing but the keys' order is kept besides the state.
    package func start(_ initial: (WatchEvent) -> Void) throws {
        for key in try reload() {
            guard let held = state[key], kinds.contains(held.object.kind) else { continue }
            initial(WatchEvent(action: .initial, object: held.object, resync: false))
        }
    }

    private func reset() {
        state = [:]
        routesByBase = [:]
        links = [:]
    }

    /// Empties the state and reads every watched table into it, as `store` holds objects;
    /// returns the keys in the kernel's order (a dump marked inconsistent starts it again).
    private func reload() throws -> [String] {
        var order: [String] = []
        reset()
        try dumpAll(restart: { order.removeAll(); self.reset() }) { object in
            let key = object.key
            order.append(key)
            store(object, key: key)
        }
        refreshNames()
        return order
    }

    /// Reads every watched table in the kernel's order and hands each object to `each`, so
    /// no array of a million routes is built. A dump the kernel marks inconsistent
    /// (NLM_F_DUMP_INTR) starts the whole read again, after `restart`, at most five times.
    private func dumpAll(restart: () -> Void, _ each: (WatchedObject) -> Void) throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let linkQuery = LinkQuery(connection: dumps)
                for link in try linkQuery.interfaces() { each(.link(link)) }
                let query = RouteQuery(connection: dumps)
                if kinds.contains(.addrs) { for address in try linkQuery.addresses() { each(.address(address)) } }
                if kinds.contains(.routes) { try query.routes { each(.route($0)) } }
                if kinds.contains(.neigh) { for neighbor in try query.neighbors(all: true) { each(.neighbor(neighbor)) } }
                if kinds.contains(.rules) { for rule in try query.rules() { each(.rule(rule)) } }
                return
            } catch let error as NetlinkError where error.kind == .interrupted && attempt < 5 {
                restart()
            }
        }
    }

    /// Waits up to `milliseconds` for notifications and returns the events they make (after
    /// an overflow, the resync events). Empty on timeout or when a signal interrupted the wait.
    package func poll(milliseconds: Int32) throws -> [WatchEvent] {
        guard events.waitReadable(milliseconds: milliseconds) else { return [] }
        let count: Int
        do {
            count = try events.receive(into: buffer)
        } catch let error as NetlinkError where error.errno == ENOBUFS {
            return try resync()
        }
        var result: [WatchEvent] = []
        try Netlink.forEachMessage(in: UnsafeRawBufferPointer(rebasing: buffer[0..<count]), operation: "rtnetlink notification") { message in
            result += try apply(message)
            return true
        }
        if resyncNeeded {
            resyncNeeded = false
            result += try resync()
        }
        return result
    }

    /// Holds `object` under its key (and routes under their base key too).
    private func store(_ object: WatchedObject, key: String) {
        state[key] = Held(digest: object.digest, object: object)
        switch object {
        case .route(let route): routesByBase[route.baseKey, default: .none].insert(key)
        case .link(let interface): links[interface.index] = interface
        default: break
        }
    }

    private func forget(_ key: String) {
        guard let old = state.removeValue(forKey: key) else { return }
        switch old.object {
        case .route(let route):
            let base = route.baseKey
            routesByBase[base]?.remove(key)
            if routesByBase[base]?.isEmpty == true { routesByBase[base] = nil }
        case .link(let interface): links[interface.index] = nil
        default: break
        }
    }

    /// A route notification, with what the kernel does that a plain key lookup misses:
    /// `replace` (NLM_F_REPLACE) removes the route it replaced, which may have had another
    /// identity (another next hop or type); appending a gateway to an IPv6 route adds a
    /// nexthop to the multipath route; deleting one gateway of it removes only that nexthop.
    /// Returns the events that come first (a replaced route's deletion), the object to
    /// store, and whether it is deleted (a partial multipath delete leaves a route: a change).
    private func applyRoute(_ incoming: Route, deleted: Bool, flags: UInt16) -> (events: [WatchEvent], object: WatchedObject, deleted: Bool)? {
        var route = incoming
        // The state is keyed by WatchedObject.key ("route|" + Route.key).
        let key = WatchedObject.route(route).key
        var events: [WatchEvent] = []
        let held: Route? = {
            if case .route(let r)? = state[key]?.object { return r }
            return nil
        }()
        if route.mergesNexthops, let held {
            let heldHops = held.nexthopIdentities
            let hops = Set(route.nexthopIdentities)
            if deleted, heldHops.contains(where: { !hops.contains($0) }) {
                // One gateway of the multipath route went: the rest stays, as one route.
                return (events, .route(Self.remaining(held, without: hops)), false)
            }
            if !deleted, flags & UInt16(NLM_F_APPEND) != 0, flags & UInt16(NLM_F_REPLACE) == 0,
                heldHops.contains(where: { !hops.contains($0) }) {
                route = Self.merged(held, route)
            }
        }
        if !deleted, flags & UInt16(NLM_F_REPLACE) != 0 {
            let others = (routesByBase[route.baseKey]?.keys ?? []).subtracting([key])
            if others.count == 1, let old = others.first, let previous = state[old] {
                forget(old)
                if kinds.contains(.routes) { events.append(WatchEvent(action: .deleted, object: previous.object, resync: false)) }
            } else if others.count > 1 {
                // The kernel replaced the first of several; which one is not in the message.
                resyncNeeded = true
            }
        }
        return (events, .route(route), deleted)
    }

    /// `held` without the nexthops in `gone`; a single remaining nexthop becomes a plain route,
    /// as the kernel then dumps it.
    static func remaining(_ held: Route, without gone: Set<String>) -> Route {
        var route = held
        var hops = held.hops
        hops.removeAll { gone.contains($0.identity) }
        if hops.count == 1 {
            route.nexthops = []
            route.gateway = hops[0].gateway
            route.via = hops[0].via
            route.outputInterface = hops[0].interfaceIndex
        } else {
            route.nexthops = hops
        }
        return route
    }

    /// `held` with the nexthops of `added` it lacks.
    static func merged(_ held: Route, _ added: Route) -> Route {
        var route = added
        var all = held.hops
        let known = Set(all.map(\.identity))
        for hop in added.hops where !known.contains(hop.identity) { all.append(hop) }
        route.nexthops = all
        route.gateway = nil
        route.via = nil
        route.outputInterface = nil
        return route
    }

    /// Decodes one notification, updates the state and says what changed (empty when nothing did).
    private func apply(_ message: NetlinkMessage) throws -> [WatchEvent] {
        var object: WatchedObject
        let deleted: Bool
        var prefix: [WatchEvent] = []
        switch message.type {
        case RouteMessageType.newLink, RouteMessageType.deleteLink:
            object = .link(try LinkDecoder.decode(message))
            deleted = message.type == RouteMessageType.deleteLink
        case RouteMessageType.newAddress, RouteMessageType.deleteAddress:
            object = .address(try AddressDecoder.decode(message))
            deleted = message.type == RouteMessageType.deleteAddress
        case RouteMessageType.newRoute, RouteMessageType.deleteRoute:
            let route = try RouteDecoder.decode(message)
            guard route.family == .inet || route.family == .inet6 else { return [] }
            let isDelete = message.type == RouteMessageType.deleteRoute
            guard let applied = applyRoute(route, deleted: isDelete, flags: message.flags) else { return [] }
            prefix = applied.events
            object = applied.object
            deleted = applied.deleted
        case RouteMessageType.newNeighbor, RouteMessageType.deleteNeighbor:
            let neighbor = try NeighborDecoder.decode(message)
            guard neighbor.family == .inet || neighbor.family == .inet6 else { return [] }
            object = .neighbor(neighbor)
            deleted = message.type == RouteMessageType.deleteNeighbor
        case RouteMessageType.newRule, RouteMessageType.deleteRule:
            object = .rule(try RuleDecoder.decode(message))
            deleted = message.type == RouteMessageType.deleteRule
        default:
            return []
        }
        let key = object.key
        let known = state[key]
        if deleted {
            guard known != nil else { return prefix }
            forget(key)
        } else {
            if let known, known.digest == object.digest { return prefix }
            forget(key)
            store(object, key: key)
        }
        if case .link = object { refreshNames() }
        guard kinds.contains(object.kind) else { return prefix }
        return prefix + [WatchEvent(action: deleted ? .deleted : (known == nil ? .new : .changed), object: object, resync: false)]
    }

    private func refreshNames() {
        names = InterfaceNames(Array(links.values))
    }

    /// Re-dumps every watched table and reports how it differs from what was held.
    private func resync() throws -> [WatchEvent] {
        resyncs += 1
        // Drain what is queued: it predates the dump, which supersedes it.
        while events.waitReadable(milliseconds: 0) {
            _ = try? events.receive(into: buffer)
        }
        // What was held, to compare with, and to keep if the re-read fails.
        let previous = (state: state, bases: routesByBase, links: links)
        let order: [String]
        do {
            order = try reload()
        } catch {
            (state, routesByBase, links) = previous
            refreshNames()
            throw error
        }
        var result: [WatchEvent] = []
        for key in order {
            guard let fresh = state[key] else { continue }
            if let old = previous.state[key] {
                if old.digest != fresh.digest {
                    result.append(WatchEvent(action: .changed, object: fresh.object, resync: true))
                }
            } else {
                result.append(WatchEvent(action: .new, object: fresh.object, resync: true))
            }
        }
        // Only the vanished keys are sorted (not the whole state: a million tuples).
        for key in previous.state.keys.filter({ state[$0] == nil }).sorted() {
            result.append(WatchEvent(action: .deleted, object: previous.state[key]!.object, resync: true))
        }
        return result.filter { kinds.contains($0.object.kind) }
    }
}

/// What the watcher holds per object: the object as notified (what a deletion or a replace
/// reports) and the digest of its sanitized form (what decides whether it changed).
private struct Held {
    var digest: Int
    var object: WatchedObject
}

/// The keys held under one route base key: nearly always one, so no Set is made for it
/// (a Set per route was a fifth of `watch`'s memory with a million routes).
private enum BaseKeys {
    case none
    case one(String)
    case many(Set<String>)

    var keys: Set<String> {
        switch self {
        case .none: return []
        case .one(let key): return [key]
        case .many(let keys): return keys
        }
    }

    var isEmpty: Bool { if case .none = self { return true }; return false }

    mutating func insert(_ key: String) {
        switch self {
        case .none: self = .one(key)
        case .one(let held): if held != key { self = .many([held, key]) }
        case .many(var keys):
            self = .none  // drop the reference, so the insert does not copy the set
            keys.insert(key)
            self = .many(keys)
        }
    }

    mutating func remove(_ key: String) {
        switch self {
        case .none: break
        case .one(let held): if held == key { self = .none }
        case .many(var keys):
            self = .none
            keys.remove(key)
            self = keys.count == 1 ? .one(keys.first!) : .many(keys)
        }
    }
}
