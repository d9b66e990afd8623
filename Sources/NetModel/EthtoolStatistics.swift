/// A device's standard statistics over ethtool netlink (ETHTOOL_MSG_STATS_GET), as
/// `ethtool -S DEV --all-groups` shows them: IEEE 802.3 PHY, MAC and MAC-control counters and
/// RMON, each under the kernel's own name. Drivers that implement none send empty groups.
public struct EthtoolStatistics: Sendable, Equatable {
    public var interfaceIndex: Int32
    public var interfaceName: String
    public var groups: [Group] = []

    public init(interfaceIndex: Int32, interfaceName: String) {
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
    }

    public struct Group: Sendable, Equatable {
        /// "eth-phy", "eth-mac", "eth-ctrl", "rmon" (ethtool's group names).
        public var name: String
        public var values: [Value]
        public init(name: String, values: [Value]) {
            self.name = name
            self.values = values
        }
    }

    public struct Value: Sendable, Equatable {
        public var name: String
        public var value: UInt64
        public init(name: String, value: UInt64) {
            self.name = name
            self.value = value
        }
    }

    /// ETHTOOL_STATS_* group ids to names, and each group's statistic names by attribute type
    /// (the kernel's stats_std_names, stats_eth_phy_names, stats_eth_mac_names,
    /// stats_eth_ctrl_names and stats_rmon_names; uapi order, which never changes).
    public static let groupNames = ["eth-phy", "eth-mac", "eth-ctrl", "rmon"]
    public static let statisticNames: [[String]] = [
        ["SymbolErrorDuringCarrier"],
        [
            "FramesTransmittedOK", "SingleCollisionFrames", "MultipleCollisionFrames", "FramesReceivedOK",
            "FrameCheckSequenceErrors", "AlignmentErrors", "OctetsTransmittedOK", "FramesWithDeferredXmissions",
            "LateCollisions", "FramesAbortedDueToXSColls", "FramesLostDueToIntMACXmitError", "CarrierSenseErrors",
            "OctetsReceivedOK", "FramesLostDueToIntMACRcvError", "MulticastFramesXmittedOK", "BroadcastFramesXmittedOK",
            "FramesWithExcessiveDeferral", "MulticastFramesReceivedOK", "BroadcastFramesReceivedOK", "InRangeLengthErrors",
            "OutOfRangeLengthField", "FrameTooLongErrors",
        ],
        ["MACControlFramesTransmitted", "MACControlFramesReceived", "UnsupportedOpcodesReceived"],
        ["etherStatsUndersizePkts", "etherStatsOversizePkts", "etherStatsFragments", "etherStatsJabbers"],
    ]

    /// The standard statistics that count lost or damaged frames, with what they mean.
    public static let dropMeanings: [String: (path: DropPath, meaning: String)] = [
        "SymbolErrorDuringCarrier": (.receive, "PHY symbol errors: a bad cable, optic or link partner"),
        "FrameCheckSequenceErrors": (.receive, "frames received with a bad FCS (checksum): a physical-layer problem"),
        "AlignmentErrors": (.receive, "misaligned frames received"),
        "LateCollisions": (.transmit, "late collisions: a duplex mismatch"),
        "FramesAbortedDueToXSColls": (.transmit, "frames not sent after excessive collisions"),
        "FramesLostDueToIntMACXmitError": (.transmit, "frames lost to an internal MAC transmit error"),
        "CarrierSenseErrors": (.transmit, "carrier lost while sending"),
        "FramesLostDueToIntMACRcvError": (.receive, "frames lost to an internal MAC receive error (often: no buffer)"),
        "InRangeLengthErrors": (.receive, "frames whose length field disagrees with their size"),
        "OutOfRangeLengthField": (.receive, "frames with an out-of-range length field"),
        "FrameTooLongErrors": (.receive, "frames longer than the maximum (an MTU mismatch)"),
        "UnsupportedOpcodesReceived": (.receive, "MAC control frames with an unsupported opcode"),
        "etherStatsUndersizePkts": (.receive, "frames shorter than 64 bytes, well formed (RMON)"),
        "etherStatsOversizePkts": (.receive, "frames longer than the maximum, well formed (RMON)"),
        "etherStatsFragments": (.receive, "short frames with a bad FCS: collision fragments (RMON)"),
        "etherStatsJabbers": (.receive, "long frames with a bad FCS (RMON)"),
    ]
}
