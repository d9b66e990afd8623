import ProcNet

/// An interface's link speed from sysfs (/sys/class/net/NAME/speed, ethtool's Mbit/s), in
/// bytes per second. Only right in the namespace sysfs was mounted in; nil when the driver
/// reports none (-1) or the file is missing.
package enum LinkSpeed {
    package static func bytesPerSecond(of interface: String) -> UInt64? {
        guard let text = try? ProcRoot(path: "/sys/class/net").read("\(interface)/speed"),
            let mbits = Int64(text.filter { !$0.isWhitespace }), mbits > 0
        else { return nil }
        return UInt64(mbits) * 125_000
    }
}
