/// One network interface as rtnetlink describes it (RTM_NEWLINK: struct ifinfomsg + IFLA_*).
/// Optional fields are nil when the kernel did not send the attribute, so renderers can
/// omit them exactly as iproute2 does.
extension Array where Element == Interface {
    /// The interface called `name`, by its name or one of its alternative names (as ip
    /// resolves `dev NAME`).
    public func named(_ name: String) -> Interface? {
        first { $0.name == name || $0.alternativeNames.contains(name) }
    }
}

public struct Interface: Hashable, Sendable {
    /// ifi_index
    public var index: Int32
    /// IFLA_IFNAME
    public var name: String
    /// ifi_flags (IFF_*)
    public var flags: InterfaceFlags
    /// ifi_type (ARPHRD_*)
    public var linkType: UInt16
    /// IFLA_MTU, IFLA_MIN_MTU, IFLA_MAX_MTU
    public var mtu: UInt32?
    public var minMTU: UInt32?
    public var maxMTU: UInt32?
    /// IFLA_OPERSTATE (RFC 2863)
    public var operState: OperState?
    /// IFLA_LINKMODE
    public var linkMode: UInt8?
    /// IFLA_GROUP
    public var group: UInt32?
    /// IFLA_TXQLEN
    public var txQueueLength: UInt32?
    /// IFLA_QDISC
    public var qdisc: String?
    /// IFLA_MASTER: the bridge/bond this interface is a port of.
    public var masterIndex: Int32?
    /// IFLA_LINK: the peer (veth) or lower device (macvlan, vlan). 0 means "none".
    public var linkIndex: Int32?
    /// IFLA_LINK_NETNSID: set when `linkIndex` lives in another namespace.
    public var linkNetnsID: Int32?
    /// IFLA_ADDRESS, IFLA_BROADCAST, IFLA_PERM_ADDRESS
    public var address: [UInt8]?
    public var broadcast: [UInt8]?
    public var permanentAddress: [UInt8]?
    /// IFLA_IFALIAS
    public var alias: String?
    /// IFLA_PROP_LIST / IFLA_ALT_IFNAME
    public var alternativeNames: [String] = []
    /// IFLA_LINKINFO / IFLA_INFO_KIND ("veth", "bridge", …) and IFLA_INFO_SLAVE_KIND.
    public var kind: String?
    public var portKind: String?
    /// IFLA_PROMISCUITY, IFLA_ALLMULTI (counts, not flags)
    public var promiscuity: UInt32?
    public var allmulti: UInt32?
    /// IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES
    public var txQueues: UInt32?
    public var rxQueues: UInt32?
    /// IFLA_GSO_MAX_SIZE, IFLA_GSO_MAX_SEGS, IFLA_TSO_MAX_SIZE, IFLA_TSO_MAX_SEGS, IFLA_GRO_MAX_SIZE
    public var gsoMaxSize: UInt32?
    public var gsoMaxSegments: UInt32?
    public var tsoMaxSize: UInt32?
    public var tsoMaxSegments: UInt32?
    public var groMaxSize: UInt32?
    /// IFLA_CARRIER, IFLA_CARRIER_CHANGES
    public var carrier: Bool?
    public var carrierChanges: UInt32?
    /// IFLA_STATS64; nil when the dump asked the kernel to skip statistics.
    public var statistics: LinkStatistics?
    /// `ip -d`'s per-kind details; nil unless asked for (`links -d`).
    public var details: LinkDetails?

    public init(index: Int32, name: String, flags: InterfaceFlags, linkType: UInt16) {
        self.index = index
        self.name = name
        self.flags = flags
        self.linkType = linkType
    }

    /// IFF_UP is set (administratively up).
    public var isUp: Bool { flags.contains(.up) }
}

/// IFF_* bits of ifi_flags.
public struct InterfaceFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let up = InterfaceFlags(rawValue: 0x1)
    public static let broadcast = InterfaceFlags(rawValue: 0x2)
    public static let debug = InterfaceFlags(rawValue: 0x4)
    public static let loopback = InterfaceFlags(rawValue: 0x8)
    public static let pointToPoint = InterfaceFlags(rawValue: 0x10)
    public static let noTrailers = InterfaceFlags(rawValue: 0x20)
    public static let running = InterfaceFlags(rawValue: 0x40)
    public static let noARP = InterfaceFlags(rawValue: 0x80)
    public static let promiscuous = InterfaceFlags(rawValue: 0x100)
    public static let allMulticast = InterfaceFlags(rawValue: 0x200)
    public static let master = InterfaceFlags(rawValue: 0x400)
    public static let slave = InterfaceFlags(rawValue: 0x800)
    public static let multicast = InterfaceFlags(rawValue: 0x1000)
    public static let portSelect = InterfaceFlags(rawValue: 0x2000)
    public static let autoMedia = InterfaceFlags(rawValue: 0x4000)
    public static let dynamic = InterfaceFlags(rawValue: 0x8000)
    public static let lowerUp = InterfaceFlags(rawValue: 0x10000)
    public static let dormant = InterfaceFlags(rawValue: 0x20000)
    public static let echo = InterfaceFlags(rawValue: 0x40000)

    /// The names and order iproute2 prints (print_link_flags): NO-CARRIER first when the
    /// link is up without carrier, RUNNING never, unknown bits as one hex string at the end.
    public var names: [String] {
        var result: [String] = []
        forEachName { result.append($0) }
        return result
    }

    /// The same names one by one, for renderers that write them straight out (no array per
    /// link).
    public func forEachName(_ body: (String) -> Void) {
        var remaining = rawValue
        if contains(.up) && !contains(.running) { body("NO-CARRIER") }
        remaining &= ~InterfaceFlags.running.rawValue
        for (flag, name) in InterfaceFlags.printOrder where remaining & flag.rawValue != 0 {
            remaining &= ~flag.rawValue
            body(name)
        }
        if remaining != 0 { body(String(remaining, radix: 16)) }
    }

    /// print_link_flags' order, built once rather than per link.
    static let printOrder: [(InterfaceFlags, String)] = [
        (.loopback, "LOOPBACK"), (.broadcast, "BROADCAST"), (.pointToPoint, "POINTOPOINT"),
        (.multicast, "MULTICAST"), (.noARP, "NOARP"), (.allMulticast, "ALLMULTI"),
        (.promiscuous, "PROMISC"), (.master, "MASTER"), (.slave, "SLAVE"), (.debug, "DEBUG"),
        (.dynamic, "DYNAMIC"), (.autoMedia, "AUTOMEDIA"), (.portSelect, "PORTSEL"),
        (.noTrailers, "NOTRAILERS"), (.up, "UP"), (.lowerUp, "LOWER_UP"), (.dormant, "DORMANT"),
        (.echo, "ECHO"),
    ]
}

/// IF_OPER_* (RFC 2863 operational status).
public enum OperState: UInt8, Hashable, Sendable, CaseIterable {
    case unknown = 0, notPresent, down, lowerLayerDown, testing, dormant, up

    /// The names iproute2 prints.
    public var name: String {
        switch self {
        case .unknown: return "UNKNOWN"
        case .notPresent: return "NOTPRESENT"
        case .down: return "DOWN"
        case .lowerLayerDown: return "LOWERLAYERDOWN"
        case .testing: return "TESTING"
        case .dormant: return "DORMANT"
        case .up: return "UP"
        }
    }
}

/// Names iproute2 uses for ifi_type (lib/ll_types.c), for the values seen on real hosts.
public enum LinkTypeNames {
    public static func name(_ type: UInt16) -> String {
        switch type {
        case 0: return "netrom"
        case 1: return "ether"
        case 2: return "eether"
        case 3: return "ax25"
        case 4: return "pronet"
        case 5: return "chaos"
        case 6: return "ieee802"
        case 7: return "arcnet"
        case 8: return "atalk"
        case 15: return "dlci"
        case 19: return "atm"
        case 23: return "metricom"
        case 24: return "ieee1394"
        case 27: return "eui64"
        case 32: return "infiniband"
        case 256: return "slip"
        case 257: return "cslip"
        case 258: return "slip6"
        case 259: return "cslip6"
        case 260: return "rsrvd"
        case 264: return "adapt"
        case 270: return "rose"
        case 271: return "x25"
        case 272: return "hwx25"
        case 280: return "can"
        case 281: return "mctp"
        case 512: return "ppp"
        case 513: return "hdlc"
        case 516: return "lapb"
        case 517: return "ddcmp"
        case 518: return "rawhdlc"
        case 519: return "rawip"
        case 768: return "ipip"
        case 769: return "tunnel6"
        case 770: return "frad"
        case 771: return "skip"
        case 772: return "loopback"
        case 773: return "localtlk"
        case 774: return "fddi"
        case 775: return "bif"
        case 776: return "sit"
        case 777: return "ip/ddp"
        case 778: return "gre"
        case 779: return "pimreg"
        case 780: return "hippi"
        case 781: return "ash"
        case 782: return "econet"
        case 783: return "irda"
        case 784: return "fcpp"
        case 785: return "fcal"
        case 786: return "fcpl"
        case 787: return "fcfb0"
        case 800: return "tr"
        case 801: return "ieee802.11"
        case 802: return "ieee802.11/prism"
        case 803: return "ieee802.11/radiotap"
        case 804: return "ieee802.15.4"
        case 805: return "ieee802.15.4/monitor"
        case 820: return "phonet"
        case 821: return "phonet_pipe"
        case 822: return "caif"
        case 823: return "gre6"
        case 824: return "netlink"
        case 825: return "6lowpan"
        case 65534: return "none"
        case 65535: return "void"
        default: return "[\(type)]"
        }
    }
}

/// What `ip -d link` adds per kind: IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA decoded under
/// iproute2's keys, and the IPv6 address generation mode. A class: held links stay small.
public final class LinkDetails: Sendable, Hashable {
    /// linkinfo.info_data (bridge, vxlan, macvlan, tun); nil for kinds ip prints none for.
    public let kindData: [AttributeValue.Field]?
    /// linkinfo.info_slave_data (a bridge port's state, cost, flags, …).
    public let portData: [AttributeValue.Field]?
    /// inet6_addr_gen_mode ("eui64", "none", "stable_secret", "random").
    public let addressGenerationMode: String?

    public init(kindData: [AttributeValue.Field]?, portData: [AttributeValue.Field]?, addressGenerationMode: String?) {
        self.kindData = kindData
        self.portData = portData
        self.addressGenerationMode = addressGenerationMode
    }

    public static func == (a: LinkDetails, b: LinkDetails) -> Bool {
        a.kindData == b.kindData && a.portData == b.portData && a.addressGenerationMode == b.addressGenerationMode
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kindData)
        hasher.combine(portData)
        hasher.combine(addressGenerationMode)
    }
}
