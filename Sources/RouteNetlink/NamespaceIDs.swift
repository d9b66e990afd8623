import CMnl
import CNetlinkHeaders
import Netlink

/// Network namespace ids (RTM_GETNSID, `ip netns list-id`): the number the current
/// namespace uses for another one in IFLA_LINK_NETNSID (a veth peer's namespace).
extension RouteMessageType {
    /// RTM_NEWNSID: the kernel's answer.
    public static let newNamespaceID: UInt16 = 88
    /// RTM_GETNSID
    public static let getNamespaceID: UInt16 = 90
}

/// NETNSA_* attributes (linux/net_namespace.h).
enum NamespaceIDAttribute {
    /// NETNSA_NSID (s32): the id, or NETNSA_NSID_NOT_ASSIGNED (-1).
    static let id: UInt16 = 1
    /// NETNSA_FD (u32): a file descriptor of the namespace asked about.
    static let fd: UInt16 = 3
    /// NETNSA_NSID_NOT_ASSIGNED
    static let notAssigned: Int32 = -1
}

/// struct rtgenmsg: one family byte (AF_UNSPEC here); netlink pads it to four.
struct GenericRouteHeader: BitwiseCopyable {
    var family: UInt8 = 0
    var padding: (UInt8, UInt8, UInt8) = (0, 0, 0)
}

extension RouteRequests {
    /// RTM_GETNSID for the namespace open at `fd`, as `ip netns list-id` resolves one.
    public static func getNamespaceID(fd: Int32) -> NetlinkRequest {
        NetlinkRequest(type: RouteMessageType.getNamespaceID, flags: 0, header: GenericRouteHeader(), operation: "RTM_GETNSID") { nlh in
            mnl_attr_put_u32(nlh, NamespaceIDAttribute.fd, UInt32(bitPattern: fd))
        }
    }
}

public enum NamespaceIDDecoder {
    /// The id in an RTM_NEWNSID answer; nil when none is assigned (or the message is another).
    public static func decode(_ message: NetlinkMessage) throws -> Int32? {
        guard message.type == RouteMessageType.newNamespaceID else { return nil }
        var (_, attributes) = try message.split(headerSize: MemoryLayout<GenericRouteHeader>.size, operation: "RTM_NEWNSID")
        while let attribute = try attributes.next() {
            if attribute.type == NamespaceIDAttribute.id {
                let id = try attribute.int32()
                return id == NamespaceIDAttribute.notAssigned ? nil : id
            }
        }
        return nil
    }
}
