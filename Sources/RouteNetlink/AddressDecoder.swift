import CNetlinkHeaders
import NetModel
import Netlink

/// Decodes RTM_NEWADDR messages into `InterfaceAddress` values.
public enum AddressDecoder {
    static let headerSize = MemoryLayout<ifaddrmsg>.size

    public static func decode(_ message: NetlinkMessage) throws -> InterfaceAddress {
        let operation = "RTM_NEWADDR"
        guard message.type == RouteMessageType.newAddress || message.type == RouteMessageType.deleteAddress else {
            throw NetlinkError.malformed(operation, "unexpected message type \(message.type) in an address dump", offset: message.offset)
        }
        var (header, cursor) = try message.split(headerSize: headerSize, operation: operation)
        let info = header.loadUnaligned(as: ifaddrmsg.self)
        let family = AddressFamily(rawValue: info.ifa_family)
        var address = InterfaceAddress(
            family: family, prefixLength: info.ifa_prefixlen, flags: AddressFlags(rawValue: UInt32(info.ifa_flags)),
            scope: info.ifa_scope, interfaceIndex: Int32(bitPattern: info.ifa_index))
        let width = family == .inet ? 4 : family == .inet6 ? 16 : 0

        func ip(_ attribute: Attribute) throws -> IPAddress? {
            // Families other than inet/inet6 (e.g. DECnet, MCTP) carry other address forms.
            guard width > 0 else { return nil }
            return IPAddress(bytes: try attribute.bytes(exactly: width))
        }

        try NetlinkError.context("\(operation) ifindex \(info.ifa_index)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case AddressAttribute.address: address.address = try ip(attribute)
                case AddressAttribute.local: address.local = try ip(attribute)
                case AddressAttribute.broadcast: address.broadcast = try ip(attribute)
                case AddressAttribute.anycast: address.anycast = try ip(attribute)
                case AddressAttribute.label: address.label = attribute.string()
                case AddressAttribute.flags: address.flags = AddressFlags(rawValue: try attribute.uint32())
                case AddressAttribute.routePriority: address.metric = try attribute.uint32()
                case AddressAttribute.proto: address.proto = try attribute.uint8()
                case AddressAttribute.cacheInfo:
                    // struct ifa_cacheinfo { ifa_prefered, ifa_valid, cstamp, tstamp }
                    guard attribute.payload.count >= 8 else {
                        throw NetlinkError.malformed(
                            operation, "IFA_CACHEINFO has \(attribute.payload.count) bytes, expected 16", offset: attribute.offset)
                    }
                    address.preferredLifetime = attribute.payload.loadUnaligned(as: UInt32.self)
                    address.validLifetime = attribute.payload.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                default: break
                }
            }
        }
        return address
    }
}
