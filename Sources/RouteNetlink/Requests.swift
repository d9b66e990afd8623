import CMnl
import CNetlinkHeaders
import Netlink

/// Dump requests for rtnetlink objects.
public enum RouteRequests {
    /// RTM_GETLINK with NLM_F_DUMP. `filter` becomes IFLA_EXT_MASK.
    public static func dumpLinks(filter: LinkDumpFilter = [.virtualFunctions, .skipStatistics]) -> NetlinkRequest {
        NetlinkRequest(
            type: RouteMessageType.getLink, flags: NetlinkFlags.dump, header: ifinfomsg(), operation: "RTM_GETLINK dump"
        ) { nlh in
            mnl_attr_put_u32(nlh, LinkAttribute.extMask, filter.rawValue)
        }
    }

    /// RTM_GETADDR with NLM_F_DUMP; family 0 (AF_UNSPEC) dumps IPv4 and IPv6.
    public static func dumpAddresses(family: UInt8 = 0) -> NetlinkRequest {
        var header = ifaddrmsg()
        header.ifa_family = family
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
