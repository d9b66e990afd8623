import CNetlinkHeaders
import NetModel
import Netlink

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
    /// RTAX_CC_ALGO: inside RTA_METRICS, the congestion control algorithm's name.
    static let congestionControlMetric: UInt16 = 16
}

public enum RouteDecoder {
    /// struct rtmsg (12 bytes) and its attributes.
    public static func decode(_ message: NetlinkMessage) throws -> Route {
        let operation = "RTM_NEWROUTE"
        var (raw, cursor) = try message.split(headerSize: MemoryLayout<rtmsg>.size, operation: operation)
        let header = raw.loadUnaligned(as: rtmsg.self)
        let family = AddressFamily(rawValue: header.rtm_family)
        var route = Route(
            family: family, destinationLength: header.rtm_dst_len, sourceLength: header.rtm_src_len, tos: header.rtm_tos,
            table: UInt32(header.rtm_table), proto: header.rtm_protocol, scope: header.rtm_scope, type: header.rtm_type,
            flags: header.rtm_flags)
        try NetlinkError.context("\(operation) family \(family.rawValue)") {
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
                        if metric.type == RouteAttribute.congestionControlMetric {
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

    static func address(_ attribute: Attribute, family: AddressFamily) throws -> IPAddress? {
        switch family {
        case .inet: return IPAddress(bytes: try attribute.bytes(exactly: 4))
        case .inet6: return IPAddress(bytes: try attribute.bytes(exactly: 16))
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
    static func multipath(_ attribute: Attribute, family: AddressFamily) throws -> [RouteNexthop] {
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
