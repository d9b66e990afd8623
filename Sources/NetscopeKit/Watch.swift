import CNetlinkHeaders
import NetModel
import Netlink
import RouteNetlink
#if canImport(Glibc)
import Glibc
#endif

/// What `netscope watch` can follow.
public enum WatchKind: String, CaseIterable, Sendable {
    case links, addrs, routes, neigh, rules

    /// RTNLGRP_* groups carrying this kind's notifications.
    var groups: [UInt32] {
        switch self {
        case .links: return [1]            // RTNLGRP_LINK
        case .addrs: return [5, 9]         // RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR
        case .routes: return [7, 11]       // RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE
        case .neigh: return [3]            // RTNLGRP_NEIGH
        case .rules: return [8, 19]        // RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE
        }
    }

    var singular: String {
        switch self {
        case .links: return "link"
        case .addrs: return "addr"
        case .routes: return "route"
        case .neigh: return "neigh"
        case .rules: return "rule"
        }
    }
}

/// One object the watcher holds.
public enum WatchedObject: Sendable {
    case link(Interface)
    case address(InterfaceAddress)
    case route(Route)
    case neighbor(Neighbor)
    case rule(Rule)

    var kind: WatchKind {
        switch self {
        case .link: return .links
        case .address: return .addrs
        case .route: return .routes
        case .neighbor: return .neigh
        case .rule: return .rules
        }
    }

    /// The kernel's identity of the object: a new notification with the same key replaces it.
    var key: String {
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
    var sanitized: WatchedObject {
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

    /// Equality of sanitized objects.
    static func same(_ a: WatchedObject, _ b: WatchedObject) -> Bool {
        switch (a, b) {
        case let (.link(x), .link(y)): return x == y
        case let (.address(x), .address(y)): return x == y
        case let (.route(x), .route(y)): return x == y
        case let (.neighbor(x), .neighbor(y)): return x == y
        case let (.rule(x), .rule(y)): return x == y
        default: return false
        }
    }
}

/// One line of `netscope watch`.
public struct WatchEvent: Sendable {
    public enum Action: String, Sendable { case new, changed, deleted, initial }
    public var action: Action
    public var object: WatchedObject
    /// Found by re-dumping after the kernel dropped notifications (ENOBUFS), not notified.
    public var resync: Bool
    public var key: String { object.key }
}

/// Follows rtnetlink multicast notifications and keeps the state they describe. When the
/// socket overflows (ENOBUFS: notifications were lost), it dumps every watched table again,
/// diffs against what it holds and reports the differences as `resync` events, so a consumer
/// that applies the events always ends up with the kernel's state.
public final class Watcher {
    public let kinds: Set<WatchKind>
    private let events: NetlinkSocket
    private let buffer: UnsafeMutableRawBufferPointer
    private let dumps: NetlinkConnection
    /// key -> (sanitized object for comparison, object as notified)
    private var state: [String: (content: WatchedObject, object: WatchedObject)] = [:]
    /// Route base key -> the keys of the routes held under it: what a `replace` may replace.
    private var routesByBase: [String: Set<String>] = [:]
    /// Set when a notification cannot be applied unambiguously (a replace with several
    /// candidates): the batch ends with a re-dump instead of a guess.
    private var resyncNeeded = false
    private(set) public var names: InterfaceNames
    /// How many times notifications were lost and state was re-read.
    public private(set) var resyncs = 0

    public init(kinds: Set<WatchKind>, receiveBuffer: Int32, sources: SourceOptions) throws {
        self.kinds = kinds
        events = try NetlinkSocket(protocol: .route)
        events.setReceiveBuffer(bytes: receiveBuffer)
        // Links are always followed: routes and neighbours name their devices.
        for kind in kinds.union([.links]) {
            for group in kind.groups { try events.subscribe(group: group) }
        }
        buffer = .allocate(byteCount: 1 << 20, alignment: 8)
        dumps = try sources.connection(.route)
        names = InterfaceNames([])
    }

    deinit { buffer.deallocate() }

    /// Reads the current state (after subscribing, so nothing falls between the two).
    /// Returns it as `initial` events.
    public func start() throws -> [WatchEvent] {
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
    public func poll(milliseconds: Int32) throws -> [WatchEvent] {
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
            let heldHops = held.nexthopSet.map { "\($0.gateway)@\($0.interface)" }
            let hops = Set(route.nexthopSet.map { "\($0.gateway)@\($0.interface)" })
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
        var hops = held.nexthops
        if hops.isEmpty {
            var hop = RouteNexthop(interfaceIndex: held.outputInterface ?? 0, weight: 1, flags: 0)
            hop.gateway = held.gateway
            hops = [hop]
        }
        hops.removeAll { gone.contains("\($0.gateway?.description ?? $0.via?.description ?? "-")@\($0.interfaceIndex)") }
        if hops.count == 1 {
            route.nexthops = []
            route.gateway = hops[0].gateway
            route.outputInterface = hops[0].interfaceIndex
        } else {
            route.nexthops = hops
        }
        return route
    }

    /// `held` with the nexthops of `added` it lacks.
    static func merged(_ held: Route, _ added: Route) -> Route {
        func hops(_ r: Route) -> [RouteNexthop] {
            if !r.nexthops.isEmpty { return r.nexthops }
            var hop = RouteNexthop(interfaceIndex: r.outputInterface ?? 0, weight: 1, flags: 0)
            hop.gateway = r.gateway
            return [hop]
        }
        var route = added
        var all = hops(held)
        for hop in hops(added) where !all.contains(where: { $0.gateway == hop.gateway && $0.interfaceIndex == hop.interfaceIndex }) {
            all.append(hop)
        }
        route.nexthops = all
        route.gateway = nil
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
            guard route.family == AddressFamily.inet.rawValue || route.family == AddressFamily.inet6.rawValue else { return [] }
            let isDelete = message.type == RouteMessageType.deleteRoute
            guard let applied = applyRoute(route, deleted: isDelete, flags: message.flags) else { return [] }
            prefix = applied.events
            object = applied.object
            deleted = applied.deleted
        case RouteMessageType.newNeighbor, RouteMessageType.deleteNeighbor:
            let neighbor = try NeighborDecoder.decode(message)
            guard neighbor.family == AddressFamily.inet.rawValue || neighbor.family == AddressFamily.inet6.rawValue else { return [] }
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

/// Renders watch events: one timestamped line each, or NDJSON.
public enum WatchRenderer {
    public static func render(_ events: [WatchEvent], names: InterfaceNames, time: Timestamp, to sink: OutputSink, options: RenderOptions) {
        for event in events {
            if options.format == .table {
                var line = "\(time.clock)  \(pad(event.action.rawValue, 7))  \(pad(event.object.kind.singular, 5))  \(summary(event.object, names: names))"
                if event.resync { line += "  [resync]" }
                sink.write(TextTable.terminalSafe(line) + "\n")
            } else {
                var json = JSONWriter(sink)
                json.beginObject()
                json.field("time", time.rfc3339)
                json.field("event", event.action.rawValue)
                json.field("kind", event.object.kind.singular)
                json.field("resync", event.resync)
                json.field("id", event.key)
                json.key("object")
                json.beginObject()
                switch event.object {
                case .link(let interface): LinkJSON.writeFields(interface, names: names, into: &json)
                case .address(let address):
                    json.field("ifindex", address.interfaceIndex)
                    json.field("ifname", names[address.interfaceIndex])
                    json.key("addr_info")
                    json.beginArray()
                    AddressRenderer.writeAddress(address, into: &json)
                    json.endArray()
                case .route(let route): RouteRenderer.writeFields(route, names: names, showTable: true, into: &json)
                case .neighbor(let neighbor): NeighborRenderer.writeFields(neighbor, names: names, into: &json)
                case .rule(let rule):
                    json.field("family", RouteNames.family(rule.family))
                    RuleRenderer.writeFields(rule, into: &json)
                }
                json.endObject()
                json.endObject()
                json.newline()
            }
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// The object in one line, in the words of `ip monitor`.
    public static func summary(_ object: WatchedObject, names: InterfaceNames) -> String {
        switch object {
        case .link(let i):
            var parts = ["\(i.index): \(i.name)", i.operState?.name ?? "-", "mtu \(i.mtu.map(String.init) ?? "-")"]
            if let kind = i.kind { parts.append(kind) }
            if let master = i.masterIndex { parts.append("master \(names[master])") }
            parts.append("<\(i.flags.names.joined(separator: ","))>")
            return parts.joined(separator: " ")
        case .address(let a):
            return "\(names[a.interfaceIndex]) \(a.family.name) \(AddressRenderer.addressText(a)) scope \(ScopeNames.name(a.scope))"
        case .route(let r):
            var parts = [r.type == 1 ? "" : RouteNames.type(r.type) + " ", RouteRenderer.destinationText(r)].joined()
            if let gateway = r.gateway { parts += " via \(gateway)" }
            for hop in r.nexthops { parts += " nexthop via \(hop.gateway?.description ?? "-") dev \(names[hop.interfaceIndex]) weight \(hop.weight)" }
            if let oif = r.outputInterface { parts += " dev \(names[oif])" }
            if r.table != Route.mainTable { parts += " table \(RouteNames.table(r.table))" }
            parts += " proto \(RouteNames.proto(r.proto))"
            if r.scope != 0 { parts += " scope \(ScopeNames.name(r.scope))" }
            if let source = r.preferredSource { parts += " src \(source)" }
            if let metric = r.priority { parts += " metric \(metric)" }
            return parts
        case .neighbor(let n):
            var parts = "\(n.destination?.description ?? "-") dev \(names[n.interfaceIndex])"
            if let lladdr = n.linkAddress { parts += " lladdr \(HardwareAddress.hex(lladdr))" }
            if n.flags & 0x80 != 0 { parts += " router" }
            return parts + " " + RouteNames.neighborStates(n.state).joined(separator: ",")
        case .rule(let r):
            var text = "\(r.priority ?? 0): from "
            if let source = r.source { text += "\(source)/\(r.sourceLength)" } else { text += "all" }
            if let destination = r.destination { text += " to \(destination)/\(r.destinationLength)" }
            if let iif = r.inputInterface { text += " iif \(iif)" }
            if let mark = r.fwmark { text += " fwmark 0x" + String(mark, radix: 16) }
            return text + " " + RuleRenderer.actionText(r)
        }
    }
}

/// SIGINT/SIGTERM end long-running views cleanly: the handlers only set a flag.
public enum StopSignal {
    public static func install() { netscope_install_stop_handlers() }
    public static var requested: Bool { netscope_stop_requested() != 0 }
}
