import CMnl
import CNetlinkHeaders
import NetModel
import Netlink

/// Dump requests for rtnetlink objects.
public enum RouteRequests {
    /// IFNAMSIZ: the longest IFLA_IFNAME is one byte less (the terminating NUL).
    public static let interfaceNameSize = 16

    /// RTM_GETLINK with NLM_F_DUMP. `filter` becomes IFLA_EXT_MASK.
    public static func dumpLinks(filter: LinkDumpFilter = [.virtualFunctions, .skipStatistics]) -> NetlinkRequest {
        NetlinkRequest(
            type: RouteMessageType.getLink, flags: NetlinkFlags.dump, header: ifinfomsg(), operation: "RTM_GETLINK dump"
        ) { nlh in
            mnl_attr_put_u32(nlh, LinkAttribute.extMask, filter.rawValue)
        }
    }

    /// RTM_GETLINK for one interface, by index or by name: one message back, not a dump of
    /// every link. The kernel matches either attribute against names and alternative names;
    /// IFLA_IFNAME's policy stops at IFNAMSIZ, so a longer name goes as IFLA_ALT_IFNAME (as
    /// iproute2's ll_link_get does).
    public static func getLink(index: Int32 = 0, name: String? = nil) -> NetlinkRequest {
        var header = ifinfomsg()
        header.ifi_index = index
        return NetlinkRequest(type: RouteMessageType.getLink, flags: 0, header: header, operation: "RTM_GETLINK") { nlh in
            if let name {
                mnl_attr_put_strz(nlh, name.utf8.count < interfaceNameSize ? LinkAttribute.name : LinkAttribute.alternativeName, name)
            }
            mnl_attr_put_u32(nlh, LinkAttribute.extMask, LinkDumpFilter.skipStatistics.rawValue)
        }
    }

    /// RTM_GETADDR with NLM_F_DUMP; AF_UNSPEC dumps IPv4 and IPv6. A non-zero `index`
    /// (ifa_index) has the kernel (strict checking, Linux 4.20+) send that interface's only.
    public static func dumpAddresses(family: AddressFamily = .other(0), index: Int32 = 0) -> NetlinkRequest {
        var header = ifaddrmsg()
        header.ifa_family = family.rawValue
        header.ifa_index = UInt32(bitPattern: index)
        return NetlinkRequest(
            type: RouteMessageType.getAddress, flags: NetlinkFlags.dump, header: header, operation: "RTM_GETADDR dump")
    }
}

/// mnl_attr_put_u32 / mnl_attr_put with Swift types.
func mnlPutU32(_ nlh: UnsafeMutablePointer<nlmsghdr>, _ type: UInt16, _ value: UInt32) {
    mnl_attr_put_u32(nlh, type, value)
}

func mnlPutBytes(_ nlh: UnsafeMutablePointer<nlmsghdr>, _ type: UInt16, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { mnl_attr_put(nlh, type, $0.count, $0.baseAddress) }
}

extension RouteRequests {
    /// RTM_GETROUTE dump of one family. Under strict checking the kernel filters by table
    /// (RTA_TABLE), output device (RTA_OIF: routes with a nexthop on it), protocol and type
    /// (rtm_protocol, rtm_type); callers check again for kernels without strict checking.
    public static func dumpRoutes(
        family: AddressFamily, table: UInt32?, outputInterface: Int32? = nil, proto: UInt8? = nil, type: UInt8? = nil
    ) -> NetlinkRequest {
        var header = rtmsg()
        header.rtm_family = family.rawValue
        if let proto { header.rtm_protocol = proto }
        if let type { header.rtm_type = type }
        return NetlinkRequest(type: RouteMessageType.getRoute, flags: NetlinkFlags.dump, header: header, operation: "RTM_GETROUTE dump") { nlh in
            if let table { mnlPutU32(nlh, RouteAttribute.table, table) }
            if let outputInterface { mnlPutU32(nlh, RouteAttribute.outputInterface, UInt32(bitPattern: outputInterface)) }
        }
    }

    public static func dumpRules(family: AddressFamily) -> NetlinkRequest {
        var header = fib_rule_hdr()
        header.family = family.rawValue
        return NetlinkRequest(type: RouteMessageType.getRule, flags: NetlinkFlags.dump, header: header, operation: "RTM_GETRULE dump")
    }

    /// RTM_GETNEIGH dump of one family: of one interface (NDA_IFINDEX, filtered by the kernel
    /// under strict checking), or of the proxy entries (NTF_PROXY: the pneigh table).
    public static func dumpNeighbors(family: AddressFamily, interface: Int32? = nil, proxy: Bool = false) -> NetlinkRequest {
        var header = ndmsg()
        header.ndm_family = family.rawValue
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
        var lookup = RouteLookup(destination: destination)
        lookup.source = source
        lookup.inputInterface = inputInterface
        lookup.outputInterface = outputInterface
        lookup.mark = mark
        return getRoute(lookup)
    }

    /// RTM_F_FIB_MATCH: answer with the FIB entry that matched (`ip route get … fibmatch`).
    static let fibMatchFlag: UInt32 = 0x2000
    /// RTA_IP_PROTO (u8), RTA_SPORT and RTA_DPORT (u16, network order): the flow's
    /// protocol and ports, so multipath hashing and ipproto/port rules see what real traffic has.
    static let ipProtoAttribute: UInt16 = 27
    static let sourcePortAttribute: UInt16 = 28
    static let destinationPortAttribute: UInt16 = 29

    /// RTM_GETROUTE with every selector `ip route get` has (uid, tos, ipproto, sport, dport).
    public static func getRoute(_ lookup: RouteLookup) -> NetlinkRequest {
        var header = rtmsg()
        let destination = lookup.destination
        header.rtm_family = destination.family.rawValue
        header.rtm_dst_len = destination.family.hostPrefixLength
        if let source = lookup.source { header.rtm_src_len = source.family.hostPrefixLength }
        header.rtm_tos = lookup.tos ?? 0
        // Report the table the lookup matched in (as ip route get asks); IPv6 rejects the
        // flag under strict checking and always reports its table.
        if destination.family == .inet { header.rtm_flags = UInt32(RTM_F_LOOKUP_TABLE) }
        if lookup.fibMatch { header.rtm_flags |= fibMatchFlag }
        let operation = lookup.fibMatch ? "RTM_GETROUTE fibmatch" : "RTM_GETROUTE"
        return NetlinkRequest(type: RouteMessageType.getRoute, flags: 0, header: header, operation: operation) { nlh in
            mnlPutBytes(nlh, RouteAttribute.destination, destination.bytes)
            if let source = lookup.source { mnlPutBytes(nlh, RouteAttribute.source, source.bytes) }
            if let index = lookup.inputInterface { mnlPutU32(nlh, RouteAttribute.inputInterface, UInt32(bitPattern: index)) }
            if let index = lookup.outputInterface { mnlPutU32(nlh, RouteAttribute.outputInterface, UInt32(bitPattern: index)) }
            if let mark = lookup.mark { mnlPutU32(nlh, RouteAttribute.mark, mark) }
            if let uid = lookup.uid { mnlPutU32(nlh, RouteAttribute.uid, uid) }
            if let proto = lookup.ipProto { mnl_attr_put_u8(nlh, ipProtoAttribute, proto) }
            if let port = lookup.sourcePort { mnl_attr_put_u16(nlh, sourcePortAttribute, port.bigEndian) }
            if let port = lookup.destinationPort { mnl_attr_put_u16(nlh, destinationPortAttribute, port.bigEndian) }
        }
    }
}

extension RouteRequests {
    /// RTM_GETQDISC / RTM_GETTCLASS with NLM_F_DUMP (struct tcmsg). The kernel dumps qdiscs
    /// of every device (tcm_ifindex only narrows classes, whose dump is per device).
    public static func dumpTrafficControl(classes: Bool, interface: Int32 = 0) -> NetlinkRequest {
        var header = tcmsg()
        header.tcm_ifindex = interface
        return NetlinkRequest(
            type: classes ? RouteMessageType.getClass : RouteMessageType.getQdisc, flags: NetlinkFlags.dump, header: header,
            operation: classes ? "RTM_GETTCLASS dump" : "RTM_GETQDISC dump")
    }
}
