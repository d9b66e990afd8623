import CNetlinkHeaders
import NetModel
import Netlink

/// NDA_* attribute types of RTM_NEWNEIGH (linux/neighbour.h), and the NTF_* flag requests use.
enum NeighborAttribute {
    static let destination: UInt16 = 1      // NDA_DST
    static let linkAddress: UInt16 = 2      // NDA_LLADDR
    static let cacheInfo: UInt16 = 3        // NDA_CACHEINFO
    static let probes: UInt16 = 4           // NDA_PROBES
    static let interfaceIndex: UInt16 = 8   // NDA_IFINDEX
    static let proto: UInt16 = 12           // NDA_PROTOCOL
    static let proxyFlag: UInt8 = 0x08      // NTF_PROXY
}

public enum NeighborDecoder {
    /// struct ndmsg (12 bytes) and NDA_* attributes.
    public static func decode(_ message: NetlinkMessage) throws -> Neighbor {
        let operation = "RTM_NEWNEIGH"
        var (raw, cursor) = try message.split(headerSize: MemoryLayout<ndmsg>.size, operation: operation)
        let header = raw.loadUnaligned(as: ndmsg.self)
        let family = AddressFamily(rawValue: header.ndm_family)
        var neighbor = Neighbor(
            family: family, interfaceIndex: header.ndm_ifindex, state: header.ndm_state, flags: header.ndm_flags, type: header.ndm_type)
        try NetlinkError.context("\(operation) ifindex \(neighbor.interfaceIndex)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case NeighborAttribute.destination: neighbor.destination = try RouteDecoder.address(attribute, family: family)
                case NeighborAttribute.linkAddress: neighbor.linkAddress = attribute.bytes()
                case NeighborAttribute.cacheInfo:  // struct nda_cacheinfo { confirmed, used, updated, refcnt }
                    let raw = try attribute.bytes(exactly: 16)
                    neighbor.confirmed = raw.loadUnaligned(as: UInt32.self)
                    neighbor.used = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                    neighbor.updated = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
                    neighbor.referenceCount = raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
                case NeighborAttribute.probes: neighbor.probes = try attribute.uint32()
                case NeighborAttribute.proto: neighbor.proto = try attribute.uint8()
                default: break
                }
            }
        }
        return neighbor
    }
}
