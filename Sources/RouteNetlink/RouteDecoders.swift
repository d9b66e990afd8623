import CNetlinkHeaders
import NetModel
import Netlink

extension RouteMessageType {
    /// RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE
    public static let newRoute: UInt16 = 24
    public static let deleteRoute: UInt16 = 25
    public static let getRoute: UInt16 = 26
    /// RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH
    public static let newNeighbor: UInt16 = 28
    public static let deleteNeighbor: UInt16 = 29
    public static let getNeighbor: UInt16 = 30
    /// RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE
    public static let newRule: UInt16 = 32
    public static let deleteRule: UInt16 = 33
    public static let getRule: UInt16 = 34
}

/// RTA_* attribute types of RTM_NEWROUTE.
enum RouteAttribute {
    static let destination: UInt16 = 1   // RTA_DST
    static let source: UInt16 = 2        // RTA_SRC
    static let inputInterface: UInt16 = 3   // RTA_IIF
    static let outputInterface: UInt16 = 4  // RTA_OIF
    static let gateway: UInt16 = 5       // RTA_GATEWAY
    static let priority: UInt16 = 6      // RTA_PRIORITY
    static let preferredSource: UInt16 = 7  // RTA_PREFSRC
    static let metrics: UInt16 = 8       // RTA_METRICS
    static let multipath: UInt16 = 9     // RTA_MULTIPATH
    static let flow: UInt16 = 11         // RTA_FLOW
    static let cacheInfo: UInt16 = 12    // RTA_CACHEINFO
    static let table: UInt16 = 15        // RTA_TABLE
    static let mark: UInt16 = 16         // RTA_MARK
    static let via: UInt16 = 18          // RTA_VIA
    static let preference: UInt16 = 20   // RTA_PREF
    static let uid: UInt16 = 25          // RTA_UID
    static let nexthopID: UInt16 = 30    // RTA_NH_ID
}

/// NDA_* attributes and NTF_* flags used in requests.
enum NeighborAttribute {
    static let interfaceIndex: UInt16 = 8   // NDA_IFINDEX
    static let proxyFlag: UInt8 = 0x08      // NTF_PROXY
}

public enum RouteDecoder {
    /// struct rtmsg (12 bytes) and its attributes.
    public static func decode(_ message: NetlinkMessage) throws -> Route {
        let operation = "RTM_NEWROUTE"
        var (header, cursor) = try message.split(headerSize: 12, operation: operation)
        let family = header[0]
        var route = Route(
            family: family, destinationLength: header[1], sourceLength: header[2], tos: header[3], table: UInt32(header[4]),
            proto: header[5], scope: header[6], type: header[7], flags: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        try NetlinkError.context("\(operation) family \(family)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case RouteAttribute.destination: route.destination = try address(attribute, family: family)
                case RouteAttribute.source: route.source = try address(attribute, family: family)
                case RouteAttribute.gateway: route.gateway = try address(attribute, family: family)
                case RouteAttribute.preferredSource: route.preferredSource = try address(attribute, family: family)
                case RouteAttribute.via: route.via = try via(attribute)
                case RouteAttribute.outputInterface: route.outputInterface = try attribute.int32()
                case RouteAttribute.inputInterface: route.inputInterface = try attribute.int32()
                case RouteAttribute.priority: route.priority = try attribute.uint32()
                case RouteAttribute.table: route.table = try attribute.uint32()
                case RouteAttribute.mark: route.mark = try attribute.uint32()
                case RouteAttribute.uid: route.uid = try attribute.uint32()
                case RouteAttribute.flow: route.flow = try attribute.uint32()
                case RouteAttribute.nexthopID: route.nexthopID = try attribute.uint32()
                case RouteAttribute.preference: route.preference = try attribute.uint8()
                case RouteAttribute.cacheInfo:
                    // struct rta_cacheinfo { clntref, lastuse, expires (s32), error, used, id, ts, tsage }
                    guard attribute.payload.count >= 16 else {
                        throw NetlinkError.malformed("RTA_CACHEINFO", "\(attribute.payload.count) bytes, 32 expected", offset: attribute.offset)
                    }
                    route.expires = attribute.payload.loadUnaligned(fromByteOffset: 8, as: Int32.self)
                    route.error = attribute.payload.loadUnaligned(fromByteOffset: 12, as: Int32.self)
                case RouteAttribute.metrics:
                    var nested = attribute.nested()
                    while let metric = try nested.next() {
                        if metric.type == 16 {  // RTAX_CC_ALGO
                            route.congestionControl = metric.string()
                        } else {
                            route.metrics.append(RouteMetric(kind: metric.type, value: try metric.uint32()))
                        }
                    }
                case RouteAttribute.multipath:
                    route.nexthops = try multipath(attribute, family: family)
                default: break
                }
            }
        }
        return route
    }

    static func address(_ attribute: Attribute, family: UInt8) throws -> IPAddress? {
        switch family {
        case 2: return IPAddress(bytes: try attribute.bytes(exactly: 4))
        case 10: return IPAddress(bytes: try attribute.bytes(exactly: 16))
        default: return nil
        }
    }

    /// struct rtvia { u16 family; u8 addr[]; }
    static func via(_ attribute: Attribute) throws -> IPAddress? {
        guard attribute.payload.count >= 2 else {
            throw NetlinkError.malformed("RTA_VIA", "\(attribute.payload.count) bytes", offset: attribute.offset)
        }
        return IPAddress(bytes: attribute.payload.dropFirst(2))
    }

    /// A run of struct rtnexthop { u16 len; u8 flags; u8 hops; s32 ifindex; } each followed by
    /// its own attributes.
    static func multipath(_ attribute: Attribute, family: UInt8) throws -> [RouteNexthop] {
        var result: [RouteNexthop] = []
        let bytes = attribute.payload
        var position = 0
        while position < bytes.count {
            guard bytes.count - position >= 8 else {
                throw NetlinkError.malformed("RTA_MULTIPATH", "\(bytes.count - position) trailing bytes", offset: attribute.offset + 4 + position)
            }
            let length = Int(bytes.loadUnaligned(fromByteOffset: position, as: UInt16.self))
            guard length >= 8, length <= bytes.count - position else {
                throw NetlinkError.malformed("RTA_MULTIPATH", "next hop declares \(length) bytes", offset: attribute.offset + 4 + position)
            }
            var hop = RouteNexthop(
                interfaceIndex: bytes.loadUnaligned(fromByteOffset: position + 4, as: Int32.self),
                weight: Int(bytes[position + 3]) + 1, flags: bytes[position + 2])
            var cursor = AttributeCursor(
                UnsafeRawBufferPointer(rebasing: bytes[(position + 8)..<(position + length)]), baseOffset: attribute.offset + 12 + position)
            while let inner = try cursor.next() {
                switch inner.type {
                case RouteAttribute.gateway: hop.gateway = try address(inner, family: family)
                case RouteAttribute.via: hop.via = try via(inner)
                default: break
                }
            }
            result.append(hop)
            position += Netlink.align(length)
        }
        return result
    }
}

public enum RuleDecoder {
    /// struct fib_rule_hdr (12 bytes) and FRA_* attributes.
    public static func decode(_ message: NetlinkMessage) throws -> Rule {
        let operation = "RTM_NEWRULE"
        var (header, cursor) = try message.split(headerSize: 12, operation: operation)
        let family = header[0]
        var rule = Rule(
            family: family, destinationLength: header[1], sourceLength: header[2], tos: header[3], table: UInt32(header[4]),
            action: header[7], flags: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        try NetlinkError.context("\(operation) family \(family)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case 1: rule.destination = try RouteDecoder.address(attribute, family: family)   // FRA_DST
                case 2: rule.source = try RouteDecoder.address(attribute, family: family)        // FRA_SRC
                case 3: rule.inputInterface = attribute.string()                               // FRA_IIFNAME
                case 4: rule.gotoTarget = try attribute.uint32()                               // FRA_GOTO
                case 6: rule.priority = try attribute.uint32()                                 // FRA_PRIORITY
                case 10: rule.fwmark = try attribute.uint32()                                  // FRA_FWMARK
                case 11: rule.flow = try attribute.uint32()                                    // FRA_FLOW
                case 12: rule.tunnelID = UInt64(bigEndian: try attribute.uint64())             // FRA_TUN_ID
                case 13: rule.suppressInterfaceGroup = try attribute.uint32()                  // FRA_SUPPRESS_IFGROUP
                case 14: rule.suppressPrefixLength = try attribute.uint32()                    // FRA_SUPPRESS_PREFIXLEN
                case 15: rule.table = try attribute.uint32()                                   // FRA_TABLE
                case 16: rule.fwmask = try attribute.uint32()                                  // FRA_FWMASK
                case 17: rule.outputInterface = attribute.string()                             // FRA_OIFNAME
                case 19: rule.l3mdev = try attribute.uint8() != 0                              // FRA_L3MDEV
                case 20:                                                                       // FRA_UID_RANGE
                    let raw = try attribute.bytes(exactly: 8)
                    rule.uidRange = (raw.loadUnaligned(as: UInt32.self), raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                case 21: rule.proto = try attribute.uint8()                                    // FRA_PROTOCOL
                case 22: rule.ipProto = try attribute.uint8()                                  // FRA_IP_PROTO
                case 23, 24:                                                                   // FRA_SPORT_RANGE, FRA_DPORT_RANGE
                    let raw = try attribute.bytes(exactly: 4)
                    let range = (raw.loadUnaligned(as: UInt16.self), raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                    if attribute.type == 23 { rule.sourcePortRange = range } else { rule.destinationPortRange = range }
                default: break
                }
            }
        }
        return rule
    }
}

public enum NeighborDecoder {
    /// struct ndmsg (12 bytes) and NDA_* attributes.
    public static func decode(_ message: NetlinkMessage) throws -> Neighbor {
        let operation = "RTM_NEWNEIGH"
        var (header, cursor) = try message.split(headerSize: 12, operation: operation)
        let family = header[0]
        var neighbor = Neighbor(
            family: family, interfaceIndex: header.loadUnaligned(fromByteOffset: 4, as: Int32.self),
            state: header.loadUnaligned(fromByteOffset: 8, as: UInt16.self), flags: header[10], type: header[11])
        try NetlinkError.context("\(operation) ifindex \(neighbor.interfaceIndex)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case 1: neighbor.destination = try RouteDecoder.address(attribute, family: family)  // NDA_DST
                case 2: neighbor.linkAddress = attribute.bytes()                                    // NDA_LLADDR
                case 3:                                                                             // NDA_CACHEINFO
                    let raw = try attribute.bytes(exactly: 16)
                    neighbor.confirmed = raw.loadUnaligned(as: UInt32.self)
                    neighbor.used = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                    neighbor.updated = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
                    neighbor.referenceCount = raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
                case 4: neighbor.probes = try attribute.uint32()                                    // NDA_PROBES
                case 12: neighbor.proto = try attribute.uint8()                                     // NDA_PROTOCOL
                default: break
                }
            }
        }
        return neighbor
    }
}

extension RouteRequests {
    /// RTM_GETROUTE dump. `family` 0 dumps every family (the caller keeps IPv4/IPv6);
    /// `table`, when given, becomes RTA_TABLE so the kernel (strict checking) filters.
    /// RTM_GETROUTE dump of one family. Under strict checking the kernel filters by table
    /// (RTA_TABLE), output device (RTA_OIF: routes with a nexthop on it), protocol and type
    /// (rtm_protocol, rtm_type); callers check again for kernels without strict checking.
    public static func dumpRoutes(
        family: UInt8, table: UInt32?, outputInterface: Int32? = nil, proto: UInt8? = nil, type: UInt8? = nil
    ) -> NetlinkRequest {
        var header = rtmsg()
        header.rtm_family = family
        if let proto { header.rtm_protocol = proto }
        if let type { header.rtm_type = type }
        return NetlinkRequest(type: RouteMessageType.getRoute, flags: NetlinkFlags.dump, header: header, operation: "RTM_GETROUTE dump") { nlh in
            if let table { mnlPutU32(nlh, RouteAttribute.table, table) }
            if let outputInterface { mnlPutU32(nlh, RouteAttribute.outputInterface, UInt32(bitPattern: outputInterface)) }
        }
    }

    public static func dumpRules(family: UInt8) -> NetlinkRequest {
        var header = rtmsg()  // struct fib_rule_hdr has the same 12-byte layout
        header.rtm_family = family
        return NetlinkRequest(type: RouteMessageType.getRule, flags: NetlinkFlags.dump, header: header, operation: "RTM_GETRULE dump")
    }

    /// RTM_GETNEIGH dump of one family: of one interface (NDA_IFINDEX, filtered by the kernel
    /// under strict checking), or of the proxy entries (NTF_PROXY: the pneigh table).
    public static func dumpNeighbors(family: UInt8, interface: Int32? = nil, proxy: Bool = false) -> NetlinkRequest {
        var header = ndmsg()
        header.ndm_family = family
        if proxy { header.ndm_flags = NeighborAttribute.proxyFlag }
        return NetlinkRequest(type: RouteMessageType.getNeighbor, flags: NetlinkFlags.dump, header: header, operation: "RTM_GETNEIGH dump") { nlh in
            if let interface { mnlPutU32(nlh, NeighborAttribute.interfaceIndex, UInt32(bitPattern: interface)) }
        }
    }

    /// What `ip route get` asks: RTM_GETROUTE for one destination, answered with the route
    /// the kernel would use.
    public static func getRoute(
        destination: IPAddress, source: IPAddress?, inputInterface: Int32?, outputInterface: Int32?, mark: UInt32?
    ) -> NetlinkRequest {
        var header = rtmsg()
        header.rtm_family = destination.family == .inet ? 2 : 10
        header.rtm_dst_len = destination.family == .inet ? 32 : 128
        if let source { header.rtm_src_len = source.family == .inet ? 32 : 128 }
        // RTM_F_LOOKUP_TABLE: report the table the lookup matched in (as ip route get asks);
        // IPv6 rejects the flag under strict checking and always reports its table.
        if destination.family == .inet { header.rtm_flags = 0x1000 }
        return NetlinkRequest(type: RouteMessageType.getRoute, flags: 0, header: header, operation: "RTM_GETROUTE") { nlh in
            mnlPutBytes(nlh, RouteAttribute.destination, destination.bytes)
            if let source { mnlPutBytes(nlh, RouteAttribute.source, source.bytes) }
            if let inputInterface { mnlPutU32(nlh, RouteAttribute.inputInterface, UInt32(bitPattern: inputInterface)) }
            if let outputInterface { mnlPutU32(nlh, RouteAttribute.outputInterface, UInt32(bitPattern: outputInterface)) }
            if let mark { mnlPutU32(nlh, RouteAttribute.mark, mark) }
        }
    }
}
