/// rtnetlink message types (RTM_*), as numbers: uapi values never change, and naming them
/// here rather than importing them keeps the build independent of the host's header version.
public enum RouteMessageType {
    /// RTM_NEWLINK
    public static let newLink: UInt16 = 16
    /// RTM_DELLINK
    public static let deleteLink: UInt16 = 17
    /// RTM_GETLINK
    public static let getLink: UInt16 = 18
    /// RTM_NEWADDR
    public static let newAddress: UInt16 = 20
    /// RTM_DELADDR
    public static let deleteAddress: UInt16 = 21
    /// RTM_GETADDR
    public static let getAddress: UInt16 = 22
}

extension RouteMessageType {
    /// RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE
    public static let newRoute: UInt16 = 24
    public static let deleteRoute: UInt16 = 25
    public static let getRoute: UInt16 = 26
    /// RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH
    public static let newNeighbor: UInt16 = 28
    public static let deleteNeighbor: UInt16 = 29
    public static let getNeighbor: UInt16 = 30
    /// RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE
    public static let newRule: UInt16 = 32
    public static let deleteRule: UInt16 = 33
    public static let getRule: UInt16 = 34
}

/// IFLA_* attribute types of RTM_NEWLINK.
enum LinkAttribute {
    static let address: UInt16 = 1           // IFLA_ADDRESS
    static let broadcast: UInt16 = 2         // IFLA_BROADCAST
    static let name: UInt16 = 3              // IFLA_IFNAME
    static let mtu: UInt16 = 4               // IFLA_MTU
    static let link: UInt16 = 5              // IFLA_LINK
    static let qdisc: UInt16 = 6             // IFLA_QDISC
    static let master: UInt16 = 10           // IFLA_MASTER
    static let txQueueLength: UInt16 = 13    // IFLA_TXQLEN
    static let operState: UInt16 = 16        // IFLA_OPERSTATE
    static let linkMode: UInt16 = 17         // IFLA_LINKMODE
    static let linkInfo: UInt16 = 18         // IFLA_LINKINFO
    static let alias: UInt16 = 20            // IFLA_IFALIAS
    static let statistics64: UInt16 = 23     // IFLA_STATS64
    static let group: UInt16 = 27            // IFLA_GROUP
    static let extMask: UInt16 = 29          // IFLA_EXT_MASK
    static let promiscuity: UInt16 = 30      // IFLA_PROMISCUITY
    static let txQueues: UInt16 = 31         // IFLA_NUM_TX_QUEUES
    static let rxQueues: UInt16 = 32         // IFLA_NUM_RX_QUEUES
    static let carrier: UInt16 = 33          // IFLA_CARRIER
    static let carrierChanges: UInt16 = 35   // IFLA_CARRIER_CHANGES
    static let linkNetnsID: UInt16 = 37      // IFLA_LINK_NETNSID
    static let gsoMaxSegments: UInt16 = 40   // IFLA_GSO_MAX_SEGS
    static let gsoMaxSize: UInt16 = 41       // IFLA_GSO_MAX_SIZE
    static let minMTU: UInt16 = 50           // IFLA_MIN_MTU
    static let maxMTU: UInt16 = 51           // IFLA_MAX_MTU
    static let propertyList: UInt16 = 52     // IFLA_PROP_LIST
    static let familySpecific: UInt16 = 26   // IFLA_AF_SPEC
    static let alternativeName: UInt16 = 53  // IFLA_ALT_IFNAME
    static let permanentAddress: UInt16 = 54 // IFLA_PERM_ADDRESS
    static let groMaxSize: UInt16 = 58       // IFLA_GRO_MAX_SIZE
    static let tsoMaxSize: UInt16 = 59       // IFLA_TSO_MAX_SIZE
    static let tsoMaxSegments: UInt16 = 60   // IFLA_TSO_MAX_SEGS
    static let allmulti: UInt16 = 61         // IFLA_ALLMULTI
}

/// IFLA_INFO_* inside IFLA_LINKINFO.
enum LinkInfoAttribute {
    static let kind: UInt16 = 1              // IFLA_INFO_KIND
    static let data: UInt16 = 2              // IFLA_INFO_DATA
    static let portKind: UInt16 = 4          // IFLA_INFO_SLAVE_KIND
    static let portData: UInt16 = 5          // IFLA_INFO_SLAVE_DATA
}

/// IFA_* attribute types of RTM_NEWADDR.
enum AddressAttribute {
    static let address: UInt16 = 1           // IFA_ADDRESS
    static let local: UInt16 = 2             // IFA_LOCAL
    static let label: UInt16 = 3             // IFA_LABEL
    static let broadcast: UInt16 = 4         // IFA_BROADCAST
    static let anycast: UInt16 = 5           // IFA_ANYCAST
    static let cacheInfo: UInt16 = 6         // IFA_CACHEINFO
    static let flags: UInt16 = 8             // IFA_FLAGS
    static let routePriority: UInt16 = 9     // IFA_RT_PRIORITY
    static let proto: UInt16 = 11            // IFA_PROTO
}

/// RTEXT_FILTER_* bits for IFLA_EXT_MASK.
public struct LinkDumpFilter: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// RTEXT_FILTER_VF: include SR-IOV VF info.
    public static let virtualFunctions = LinkDumpFilter(rawValue: 1 << 0)
    /// RTEXT_FILTER_SKIP_STATS: leave IFLA_STATS/IFLA_STATS64 out (a third of each message).
    public static let skipStatistics = LinkDumpFilter(rawValue: 1 << 3)
}
