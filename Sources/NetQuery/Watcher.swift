import SockDiag
import ProcNet
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
    /// key -> (sanitized object for comparison, object as notified)
    private var state: [String: (content: WatchedObject, object: WatchedObject)] = [:]
    /// Route base key -> the keys of the routes held under it: what a `replace` may replace.
    private var routesByBase: [String: Set<String>] = [:]
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
        let snapshot = try dumpAll()
        state = [:]
        routesByBase = [:]
        for object in snapshot { store(object) }
        return snapshot.filter { kinds.contains($0.kind) }.map { WatchEvent(action: .initial, object: $0, resync: false) }
    }

    private func dumpAll() throws -> [WatchedObject] {
        let linkQuery = LinkQuery(connection: dumps)
        let links = try linkQuery.interfaces()
        names = InterfaceNames(links)
        var objects = links.map(WatchedObject.link)
        let query = RouteQuery(connection: dumps)
        if kinds.contains(.addrs) { objects += try linkQuery.addresses().map(WatchedObject.address) }
        if kinds.contains(.routes) { objects += try query.routes().map(WatchedObject.route) }
        if kinds.contains(.neigh) { objects += try query.neighbors(all: true).map(WatchedObject.neighbor) }
        if kinds.contains(.rules) { objects += try query.rules().map(WatchedObject.rule) }
        return objects
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
    private func store(_ object: WatchedObject) {
        let key = object.key
        state[key] = (object.sanitized, object)
        if case .route(let route) = object { routesByBase[route.baseKey, default: []].insert(key) }
    }

    private func forget(_ key: String) {
        guard let old = state.removeValue(forKey: key) else { return }
        if case .route(let route) = old.object {
            routesByBase[route.baseKey]?.remove(key)
            if routesByBase[route.baseKey]?.isEmpty == true { routesByBase[route.baseKey] = nil }
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
            let others = (routesByBase[route.baseKey] ?? []).subtracting([key])
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
        let content = object.sanitized
        let known = state[key]
        if deleted {
            guard known != nil else { return prefix }
            forget(key)
        } else {
            if let known, WatchedObject.same(known.content, content) { return prefix }
            forget(key)
            store(object)
        }
        if case .link = object { refreshNames() }
        guard kinds.contains(object.kind) else { return prefix }
        return prefix + [WatchEvent(action: deleted ? .deleted : (known == nil ? .new : .changed), object: object, resync: false)]
    }

    private func refreshNames() {
        names = InterfaceNames(state.values.compactMap { entry in
            if case .link(let interface) = entry.object { return interface }
            return nil
        })
    }

    /// Re-dumps every watched table and reports how it differs from what was held.
    private func resync() throws -> [WatchEvent] {
        resyncs += 1
        // Drain what is queued: it predates the dump, which supersedes it.
        while events.waitReadable(milliseconds: 0) {
            _ = try? events.receive(into: buffer)
        }
        let fresh = try dumpAll()
        var next: [String: (content: WatchedObject, object: WatchedObject)] = [:]
        for object in fresh { next[object.key] = (object.sanitized, object) }
        routesByBase = [:]
        for object in fresh { if case .route(let route) = object { routesByBase[route.baseKey, default: []].insert(object.key) } }
        var result: [WatchEvent] = []
        for object in fresh {
            let key = object.key
            if let old = state[key] {
                if !WatchedObject.same(old.content, next[key]!.content) {
                    result.append(WatchEvent(action: .changed, object: object, resync: true))
                }
            } else {
                result.append(WatchEvent(action: .new, object: object, resync: true))
            }
        }
        for (key, old) in state.sorted(by: { $0.key < $1.key }) where next[key] == nil {
            result.append(WatchEvent(action: .deleted, object: old.object, resync: true))
        }
        state = next
        return result.filter { kinds.contains($0.object.kind) }
    }
}
