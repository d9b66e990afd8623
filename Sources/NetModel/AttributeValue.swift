/// A decoded netlink attribute under the JSON key iproute2 prints it with: a qdisc's
/// options (`tc -j`), a link kind's details (`ip -d -j link`'s info_data).
public enum AttributeValue: Sendable, Hashable {
    case unsigned(UInt64)
    case signed(Int64)
    case text(String)
    case bool(Bool)
    case list([UInt64])
    /// A number iproute2 prints with a fixed format ("%i.%.2i" for bridge timers), as that text.
    case decimal(String)
    /// A nested object (vxlan's port_range).
    case object([Field])
    /// An array of strings (tun's flags, a macvlan source's addresses).
    case strings([String])
    /// Another interface, by index: named when rendered (vxlan's `link`, a port's backup_port).
    case interface(Int32)
    /// A user or group id: named from the user database when rendered, as ip does (tun's
    /// owner and group).
    case user(UInt32)
    case group(UInt32)

    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: AttributeValue
        public init(_ name: String, _ value: AttributeValue) {
            self.name = name
            self.value = value
        }
    }
}

extension [AttributeValue.Field] {
    public subscript(name: String) -> AttributeValue? { first { $0.name == name }?.value }
}
