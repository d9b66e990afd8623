import CNetlinkHeaders
import NetModel
import Netlink

/// Decodes RTM_NEWLINK messages into `Interface` values.
public enum LinkDecoder {
    static let headerSize = MemoryLayout<ifinfomsg>.size

    /// Decodes one RTM_NEWLINK/RTM_DELLINK message. Unknown attributes are skipped;
    /// a wrong-length known attribute or a truncated message throws `.malformed`.
    public static func decode(_ message: NetlinkMessage) throws -> Interface {
        try decode(message, details: false)
    }

    /// With `details`, also `ip -d`'s per-kind details (LinkDetailsDecoder): only when asked,
    /// a bridge's fifty attributes are not decoded for every `links`.
    public static func decode(_ message: NetlinkMessage, details: Bool) throws -> Interface {
        let operation = "RTM_NEWLINK"
        guard message.type == RouteMessageType.newLink || message.type == RouteMessageType.deleteLink else {
            throw NetlinkError.malformed(operation, "unexpected message type \(message.type) in a link dump", offset: message.offset)
        }
        var (header, cursor) = try message.split(headerSize: headerSize, operation: operation)
        let info = header.loadUnaligned(as: ifinfomsg.self)
        var interface = Interface(
            index: info.ifi_index, name: "", flags: InterfaceFlags(rawValue: info.ifi_flags), linkType: info.ifi_type)
        var sawName = false
        // The nests are decoded once the kinds are known (IFLA_INFO_DATA may come before
        // IFLA_INFO_SLAVE_KIND), while the message is still in the buffer.
        var kindData: Attribute?, portData: Attribute?, familySpecific: Attribute?
        try NetlinkError.context("\(operation) ifindex \(info.ifi_index)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case LinkAttribute.name: interface.name = attribute.string(); sawName = true
                case LinkAttribute.address: interface.address = attribute.bytes()
                case LinkAttribute.broadcast: interface.broadcast = attribute.bytes()
                case LinkAttribute.permanentAddress: interface.permanentAddress = attribute.bytes()
                case LinkAttribute.mtu: interface.mtu = try attribute.uint32()
                case LinkAttribute.minMTU: interface.minMTU = try attribute.uint32()
                case LinkAttribute.maxMTU: interface.maxMTU = try attribute.uint32()
                case LinkAttribute.link: interface.linkIndex = try attribute.int32()
                case LinkAttribute.linkNetnsID: interface.linkNetnsID = try attribute.int32()
                case LinkAttribute.master: interface.masterIndex = try attribute.int32()
                case LinkAttribute.qdisc: interface.qdisc = attribute.string()
                case LinkAttribute.txQueueLength: interface.txQueueLength = try attribute.uint32()
                case LinkAttribute.operState: interface.operState = OperState(rawValue: try attribute.uint8()) ?? .unknown
                case LinkAttribute.linkMode: interface.linkMode = try attribute.uint8()
                case LinkAttribute.group: interface.group = try attribute.uint32()
                case LinkAttribute.alias: interface.alias = attribute.string()
                case LinkAttribute.promiscuity: interface.promiscuity = try attribute.uint32()
                case LinkAttribute.allmulti: interface.allmulti = try attribute.uint32()
                case LinkAttribute.txQueues: interface.txQueues = try attribute.uint32()
                case LinkAttribute.rxQueues: interface.rxQueues = try attribute.uint32()
                case LinkAttribute.gsoMaxSize: interface.gsoMaxSize = try attribute.uint32()
                case LinkAttribute.gsoMaxSegments: interface.gsoMaxSegments = try attribute.uint32()
                case LinkAttribute.tsoMaxSize: interface.tsoMaxSize = try attribute.uint32()
                case LinkAttribute.tsoMaxSegments: interface.tsoMaxSegments = try attribute.uint32()
                case LinkAttribute.groMaxSize: interface.groMaxSize = try attribute.uint32()
                case LinkAttribute.carrier: interface.carrier = try attribute.uint8() != 0
                case LinkAttribute.carrierChanges: interface.carrierChanges = try attribute.uint32()
                case LinkAttribute.statistics64: interface.statistics = try decodeStatistics(attribute)
                case LinkAttribute.linkInfo:
                    var nested = attribute.nested()
                    while let inner = try nested.next() {
                        switch inner.type {
                        case LinkInfoAttribute.kind: interface.kind = inner.string()
                        case LinkInfoAttribute.portKind: interface.portKind = inner.string()
                        case LinkInfoAttribute.data where details: kindData = inner
                        case LinkInfoAttribute.portData where details: portData = inner
                        default: break
                        }
                    }
                case LinkAttribute.familySpecific where details: familySpecific = attribute
                case LinkAttribute.propertyList:
                    var nested = attribute.nested()
                    while let inner = try nested.next() {
                        if inner.type == LinkAttribute.alternativeName { interface.alternativeNames.append(inner.string()) }
                    }
                default: break
                }
            }
        }
        guard sawName else {
            throw NetlinkError.malformed(operation, "link \(info.ifi_index) has no IFLA_IFNAME", offset: message.offset)
        }
        if details {
            try NetlinkError.context("\(operation) \(interface.name) details") {
                interface.details = LinkDetails(
                    kindData: try kindData.flatMap { data in try interface.kind.flatMap { try LinkDetailsDecoder.infoData(kind: $0, data) } },
                    portData: try portData.flatMap { data in try interface.portKind.flatMap { try LinkDetailsDecoder.portData(kind: $0, data) } },
                    addressGenerationMode: try familySpecific.flatMap(LinkDetailsDecoder.addressGenerationMode))
            }
        }
        return interface
    }

    /// struct rtnl_link_stats64, read length-tolerantly: kernels before 4.6 end at rx_nohandler's
    /// predecessor, 5.19 added rx_otherhost_dropped; what was not sent stays 0, what a newer
    /// kernel appends is ignored. Fewer than the original 23 fields is malformed.
    static func decodeStatistics(_ attribute: Attribute) throws -> LinkStatistics {
        let count = attribute.payload.count / 8
        guard count >= 23 else {
            throw NetlinkError.malformed(
                "IFLA_STATS64", "\(attribute.payload.count) bytes, rtnl_link_stats64 has at least 184", offset: attribute.offset)
        }
        // Field by field rather than through LinkStatistics.fieldOrder: instantiating its 25 key
        // paths is a fixed cost every command that reads links would pay at start-up.
        let payload = attribute.payload
        func field(_ index: Int) -> UInt64 { index < count ? payload.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self) : 0 }
        var s = LinkStatistics()
        s.rxPackets = field(0); s.txPackets = field(1); s.rxBytes = field(2); s.txBytes = field(3)
        s.rxErrors = field(4); s.txErrors = field(5); s.rxDropped = field(6); s.txDropped = field(7)
        s.multicast = field(8); s.collisions = field(9); s.rxLengthErrors = field(10); s.rxOverErrors = field(11)
        s.rxCRCErrors = field(12); s.rxFrameErrors = field(13); s.rxFIFOErrors = field(14); s.rxMissedErrors = field(15)
        s.txAbortedErrors = field(16); s.txCarrierErrors = field(17); s.txFIFOErrors = field(18)
        s.txHeartbeatErrors = field(19); s.txWindowErrors = field(20); s.rxCompressed = field(21); s.txCompressed = field(22)
        s.rxNoHandler = field(23); s.rxOtherhostDropped = field(24)
        return s
    }
}
