/// One route (RTM_NEWROUTE: struct rtmsg + RTA_*).
public struct Route: Hashable, Sendable {
    /// rtm_family: AF_INET or AF_INET6
    public var family: AddressFamily
    /// rtm_dst_len / RTA_DST; a nil destination with length 0 is the default route.
    public var destination: IPAddress?
    public var destinationLength: UInt8
    /// rtm_src_len / RTA_SRC (source-specific routes, "from")
    public var source: IPAddress?
    public var sourceLength: UInt8
    /// rtm_tos
    public var tos: UInt8
    /// RTA_TABLE, else rtm_table
    public var table: UInt32
    /// rtm_protocol (RTPROT_*)
    public var proto: UInt8
    /// rtm_scope (RT_SCOPE_*)
    public var scope: UInt8
    /// rtm_type (RTN_*)
    public var type: UInt8
    /// rtm_flags (RTNH_F_* in the low byte, RTM_F_* above)
    public var flags: UInt32
    /// RTA_GATEWAY
    public var gateway: IPAddress?
    /// RTA_VIA: a gateway of another family (IPv4 route via IPv6 next hop)
    public var via: IPAddress?
    /// RTA_OIF / RTA_IIF
    public var outputInterface: Int32?
    public var inputInterface: Int32?
    /// RTA_PRIORITY ("metric")
    public var priority: UInt32?
    /// RTA_PREFSRC
    public var preferredSource: IPAddress?
    /// RTA_NH_ID: the route uses a nexthop object
    public var nexthopID: UInt32?
    /// RTA_MULTIPATH
    public var nexthops: [RouteNexthop] = []
    /// RTA_METRICS, as (RTAX_* number, value); RTAX_CC_ALGO is in `congestionControl`.
    public var metrics: [RouteMetric] = []
    public var congestionControl: String?
    /// RTA_CACHEINFO rta_expires, in clock ticks (USER_HZ); 0 = does not expire
    public var expires: Int32?
    /// RTA_CACHEINFO rta_error
    public var error: Int32?
    /// RTA_PREF (IPv6 router preference: 0 medium, 1 high, 3 low)
    public var preference: UInt8?
    /// RTA_MARK, RTA_UID (route get replies)
    public var mark: UInt32?
    public var uid: UInt32?
    /// RTA_FLOW (realms)
    public var flow: UInt32?

    public init(family: AddressFamily, destinationLength: UInt8, sourceLength: UInt8, tos: UInt8, table: UInt32, proto: UInt8,
                scope: UInt8, type: UInt8, flags: UInt32) {
        self.family = family
        self.destinationLength = destinationLength
        self.sourceLength = sourceLength
        self.tos = tos
        self.table = table
        self.proto = proto
        self.scope = scope
        self.type = type
        self.flags = flags
    }

    /// The part of the key the kernel looks up on add, replace and delete: family, table,
    /// destination, source (IPv6 "from"), tos (IPv4) and priority. Several routes can share
    /// it (`ip route append`, IPv6 link routes on several devices); `key` tells them apart.
    public var baseKey: String {
        "\(family.rawValue)|\(table)|\(destination?.description ?? "-")/\(destinationLength)|\(source?.description ?? "-")/\(sourceLength)|\(tos)|\(priority ?? 0)"
    }

    /// IPv6 gateway routes that the kernel merges into one multipath route per base key
    /// (rt6_qualify_for_ecmp: a gateway, not learned from a router advertisement, no nexthop
    /// object). Their identity is the base key alone: appending a gateway adds a nexthop.
    public var mergesNexthops: Bool {
        family == .inet6 && nexthopID == nil && type == Self.unicastType
            && proto != Self.protocolRouterAdvertisement && (gateway != nil || !nexthops.isEmpty)
    }

    /// The kernel's own identity of a route: the base key plus what distinguishes routes that
    /// share it. IPv4 keeps several aliases per base key (append, prepend), told apart by type
    /// and next hop; IPv6 keeps one route per device and gateway, except gateway routes, which
    /// merge into one multipath route. The type is not part of a lone route's identity in the
    /// kernel (`replace` can turn a blackhole into a unicast route), but `Watcher` handles
    /// replace explicitly, so the id may change there: it reports the old id deleted.
    public var key: String {
        if mergesNexthops { return baseKey + "|ecmp" }
        var tail = type == Self.unicastType ? "" : "type \(type) "
        if let id = nexthopID {
            tail += "nhid \(id)"
        } else {
            tail += nexthopIdentities.joined(by: ",")
        }
        return baseKey + "|" + tail
    }

    /// The next hops as a list: a multipath route's, or a single-path route's one (its
    /// gateway or via, and device) with weight 1.
    public var hops: [RouteNexthop] {
        if !nexthops.isEmpty { return nexthops }
        var hop = RouteNexthop(interfaceIndex: outputInterface ?? 0, weight: 1, flags: 0)
        hop.gateway = gateway
        hop.via = via
        return [hop]
    }

    /// The next hops' identities, sorted: the kernel reports a multipath route's hops in
    /// insertion order, which differs between a notification and a later dump.
    public var nexthopIdentities: [String] { hops.map(\.identity).sorted() }

    /// RTN_UNICAST
    public static let unicastType: UInt8 = 1
    /// RTPROT_RA: installed from a router advertisement
    public static let protocolRouterAdvertisement: UInt8 = 9

    /// RT_TABLE_MAIN, RT_TABLE_LOCAL
    public static let mainTable: UInt32 = 254
    public static let localTable: UInt32 = 255
}

/// One next hop of a multipath route (struct rtnexthop + RTA_GATEWAY/RTA_VIA).
public struct RouteNexthop: Hashable, Sendable {
    public var interfaceIndex: Int32
    /// rtnh_hops + 1
    public var weight: Int
    /// RTNH_F_*
    public var flags: UInt8
    public var gateway: IPAddress?
    public var via: IPAddress?

    public init(interfaceIndex: Int32, weight: Int, flags: UInt8) {
        self.interfaceIndex = interfaceIndex
        self.weight = weight
        self.flags = flags
    }

    /// What tells this hop apart from the route's others: "GATEWAY@IFINDEX" ("-" without one).
    public var identity: String { "\(gateway?.description ?? via?.description ?? "-")@\(interfaceIndex)" }
}

public struct RouteMetric: Hashable, Sendable {
    /// RTAX_*
    public var kind: UInt16
    public var value: UInt32

    public init(kind: UInt16, value: UInt32) {
        self.kind = kind
        self.value = value
    }
}

/// One policy routing rule (RTM_NEWRULE: struct fib_rule_hdr + FRA_*).
public struct Rule: Hashable, Sendable {
    /// fib_rule_hdr family: AF_INET or AF_INET6
    public var family: AddressFamily
    public var destinationLength: UInt8
    public var sourceLength: UInt8
    public var tos: UInt8
    /// FRA_TABLE, else the header's table
    public var table: UInt32
    /// FR_ACT_*: 1 to table, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit
    public var action: UInt8
    /// FIB_RULE_* (0x2 invert, 0x8 iif detached, 0x10 oif detached, 0x4 unresolved)
    public var flags: UInt32
    public var priority: UInt32?
    public var source: IPAddress?
    public var destination: IPAddress?
    public var inputInterface: String?
    public var outputInterface: String?
    public var fwmark: UInt32?
    public var fwmask: UInt32?
    public var gotoTarget: UInt32?
    public var suppressPrefixLength: UInt32?
    public var suppressInterfaceGroup: UInt32?
    public var l3mdev: Bool = false
    public var uidRange: (start: UInt32, end: UInt32)?
    public var proto: UInt8?
    public var ipProto: UInt8?
    public var sourcePortRange: (start: UInt16, end: UInt16)?
    public var destinationPortRange: (start: UInt16, end: UInt16)?
    public var tunnelID: UInt64?
    public var flow: UInt32?

    public init(family: AddressFamily, destinationLength: UInt8, sourceLength: UInt8, tos: UInt8, table: UInt32, action: UInt8, flags: UInt32) {
        self.family = family
        self.destinationLength = destinationLength
        self.sourceLength = sourceLength
        self.tos = tos
        self.table = table
        self.action = action
        self.flags = flags
    }

    public static func == (a: Rule, b: Rule) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// Rules have no identity but their whole content.
    public var key: String {
        var parts: [String] = ["\(family.rawValue)", "\(priority ?? 0)", "\(source?.description ?? "")/\(sourceLength)",
                               "\(destination?.description ?? "")/\(destinationLength)", "\(tos)", "\(table)", "\(action)",
                               "\(flags)", inputInterface ?? "", outputInterface ?? "", "\(fwmark ?? 0)/\(fwmask ?? 0)",
                               "\(gotoTarget ?? 0)", "\(suppressPrefixLength ?? 0)", "\(suppressInterfaceGroup ?? 0)",
                               "\(l3mdev)", "\(proto ?? 0)", "\(ipProto ?? 0)", "\(tunnelID ?? 0)", "\(flow ?? 0)"]
        if let uid = uidRange { parts.append("uid\(uid.start)-\(uid.end)") }
        if let p = sourcePortRange { parts.append("sp\(p.start)-\(p.end)") }
        if let p = destinationPortRange { parts.append("dp\(p.start)-\(p.end)") }
        return parts.joined(by: "|")
    }
}

/// One neighbour cache entry, ARP or NDP (RTM_NEWNEIGH: struct ndmsg + NDA_*).
public struct Neighbor: Hashable, Sendable {
    /// ndm_family: AF_INET, AF_INET6 (or AF_BRIDGE for a bridge's FDB)
    public var family: AddressFamily
    public var interfaceIndex: Int32
    /// NUD_* bits
    public var state: UInt16
    /// NTF_* (0x80 router, 0x08 proxy, 0x10 extern_learn, 0x20 offloaded)
    public var flags: UInt8
    public var type: UInt8
    public var destination: IPAddress?
    public var linkAddress: [UInt8]?
    public var probes: UInt32?
    /// NDA_CACHEINFO: ms since confirmed / used / updated, and the reference count
    public var confirmed: UInt32?
    public var used: UInt32?
    public var updated: UInt32?
    public var referenceCount: UInt32?
    public var proto: UInt8?

    public init(family: AddressFamily, interfaceIndex: Int32, state: UInt16, flags: UInt8, type: UInt8) {
        self.family = family
        self.interfaceIndex = interfaceIndex
        self.state = state
        self.flags = flags
        self.type = type
    }

    public var key: String { "\(family.rawValue)|\(interfaceIndex)|\(destination?.description ?? "-")" }

    /// NTF_PROXY: a proxy ARP/NDP entry (ip neigh show proxy).
    public static let proxyFlag: UInt8 = 0x08

    /// The parts that define the entry, without the timers that tick on their own.
    public var content: String {
        "\(key)|\(state)|\(flags)|\(linkAddress.map { HardwareAddress.hex($0) } ?? "-")|\(proto ?? 0)"
    }
}
