/// An address prefix as ip reads one: `10.0.0.0/8`, `10.1.2.3` (a host), `default`/`all`/
/// `any` (length 0 of the family, or of either family).
public struct IPPrefix: Equatable, Sendable {
    public var address: IPAddress?
    public var length: UInt8
    /// nil: either family (`default` without -4/-6).
    public var family: AddressFamily?

    public init(address: IPAddress?, length: UInt8, family: AddressFamily?) {
        self.address = address
        self.length = length
        self.family = family
    }

    public init?(_ text: String, family preferred: AddressFamily? = nil) {
        if ["default", "all", "any"].contains(text) {
            self.init(address: nil, length: 0, family: preferred)
            return
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let full: UInt8 = address.family == .inet ? 32 : 128
        var length = full
        if parts.count == 2 {
            guard let value = UInt8(parts[1]), value <= full else { return nil }
            length = value
        }
        self.init(address: address, length: length, family: address.family)
    }

    /// Whether the first `bits` bits of `other` equal this prefix's address (ip's inet_addr_match).
    public func covers(_ other: IPAddress?, bits: UInt8) -> Bool {
        guard bits > 0 else { return true }
        guard let mine = address?.bytes, let theirs = other?.bytes, mine.count == theirs.count else { return false }
        return IPAddress.prefixMatch(mine, theirs, bits: Int(bits))
    }
}

/// ip route's selectors (`ip route show dev X proto P type T scope S via GW src A
/// root|match|exact PREFIX`), with ip's semantics (iproute.c filter_nlmsg). The kernel is
/// asked narrowly where strict checking lets it filter (device, protocol, type); every
/// selector is checked here as well, for kernels that ignore them.
public struct RouteSelector: Equatable, Sendable {
    /// dev/oif: the route's own output interface (a multipath route has none, as in ip).
    public var outputInterface: Int32?
    public var proto: UInt8?
    public var type: UInt8?
    public var scope: UInt8?
    /// via: the gateway (RTA_GATEWAY or RTA_VIA) within this prefix.
    public var via: IPPrefix?
    /// src: the preferred source within this prefix.
    public var preferredSource: IPPrefix?
    /// root PREFIX: routes inside it (at least as long); match PREFIX: routes that cover it
    /// (at most as long); exact (and a bare PREFIX): both.
    public var root: IPPrefix?
    public var match: IPPrefix?

    public init() {}

    public var isEmpty: Bool { self == RouteSelector() }

    public func matches(_ route: Route) -> Bool {
        if let oif = outputInterface, route.outputInterface != oif { return false }
        if let proto, route.proto != proto { return false }
        if let type, route.type != type { return false }
        if let scope, route.scope != scope { return false }
        let family = route.family
        if let root {
            if let wanted = root.family, wanted != family { return false }
            if root.length > route.destinationLength || !root.covers(route.destination, bits: root.length) { return false }
        }
        if let match {
            if let wanted = match.family, wanted != family { return false }
            if match.length < route.destinationLength || !match.covers(route.destination, bits: route.destinationLength) { return false }
        }
        if let via {
            guard let gateway = route.gateway ?? route.via, via.family.map({ $0 == gateway.family }) ?? true,
                via.covers(gateway, bits: via.length)
            else { return false }
        }
        if let source = preferredSource {
            guard let prefsrc = route.preferredSource, source.family.map({ $0 == prefsrc.family }) ?? true,
                source.covers(prefsrc, bits: source.length)
            else { return false }
        }
        return true
    }
}

/// ip neigh's selectors: `dev X`, `nud STATE…`, `proxy`.
public struct NeighborSelector: Equatable, Sendable {
    public var interface: Int32?
    /// NUD_* bits; nil: ip's default (everything but NOARP and no state, unless -a).
    public var states: UInt16?
    public var proxy = false

    public init() {}

    public func matches(_ neighbor: Neighbor) -> Bool {
        if let interface, neighbor.interfaceIndex != interface { return false }
        if proxy { return neighbor.flags & Neighbor.proxyFlag != 0 }
        if let states {
            // "nud none" selects entries with no state bit at all.
            return states == 0 ? neighbor.state == 0 : neighbor.state & states != 0
        }
        return true
    }
}
