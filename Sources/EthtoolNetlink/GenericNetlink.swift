import CMnl
import CNetlinkHeaders
import NetModel
import Netlink

/// Generic netlink (linux/genetlink.h): families are resolved by name through the controller.
public enum GenericNetlink {
    /// GENL_ID_CTRL: the controller family's fixed message type.
    public static let controllerType: UInt16 = 0x10
    /// CTRL_CMD_GETFAMILY
    static let getFamily: UInt8 = 3
    /// CTRL_ATTR_FAMILY_ID (u16), CTRL_ATTR_FAMILY_NAME (string)
    static let familyIDAttribute: UInt16 = 1
    static let familyNameAttribute: UInt16 = 2
    /// sizeof(struct genlmsghdr): cmd, version, reserved u16.
    public static let headerSize = 4

    /// struct genlmsghdr as four bytes.
    static func header(command: UInt8, version: UInt8) -> UInt32 {
        UInt32(command) | UInt32(version) << 8
    }

    /// CTRL_CMD_GETFAMILY for one family by name.
    public static func resolveRequest(name: String) -> NetlinkRequest {
        NetlinkRequest(type: controllerType, flags: 0, header: header(command: getFamily, version: 1), operation: "CTRL_CMD_GETFAMILY \(name)") { nlh in
            mnl_attr_put_strz(nlh, familyNameAttribute, name)
        }
    }

    /// The family id in a CTRL_CMD_NEWFAMILY reply.
    public static func familyID(_ message: NetlinkMessage) throws -> UInt16? {
        var (_, cursor) = try message.split(headerSize: headerSize, operation: "CTRL_CMD_NEWFAMILY")
        while let attribute = try cursor.next() {
            if attribute.type == familyIDAttribute { return try attribute.uint16() }
        }
        return nil
    }
}
