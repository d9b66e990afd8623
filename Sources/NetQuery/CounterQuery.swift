import Netlink
import NetModel
import ProcNet

/// Protocol counters and kernel softnet statistics from /proc/net.
package struct ProcQuery: Sendable {
    package let root: ProcRoot

    package init(root: ProcRoot) { self.root = root }

    /// net.ipv4.ip_local_port_range ("32768\t60999"): the ports the kernel gives connecting
    /// sockets; Linux's default when unreadable. /proc/sys shows the reading thread's namespace.
    package func ephemeralPorts() -> ClosedRange<UInt16> {
        let text = (try? root.read("sys/net/ipv4/ip_local_port_range")) ?? ""
        let bounds = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { UInt16($0) }
        return bounds.count == 2 && bounds[0] <= bounds[1] ? bounds[0]...bounds[1] : ConnectionSide.defaultEphemeralPorts
    }

    /// Every counter of snmp, netstat and (when IPv6 is enabled) snmp6, in file order.
    package func protocolCounters() throws -> [ProtocolCounter] {
        var result: [ProtocolCounter] = []
        for file in Self.protocolFiles { result += try protocolCounters(file) }
        return result
    }

    /// The files protocol counters come from, each a source of its own.
    package static let protocolFiles = ["net/snmp", "net/netstat", "net/snmp6"]

    /// One of `protocolFiles`; snmp6 is absent without IPv6 (no counters, no error).
    package func protocolCounters(_ file: String) throws -> [ProtocolCounter] {
        if file == "net/snmp6" {
            guard root.exists(file) else { return [] }
            return try SNMP6Parser.parse(try root.read(file), file: root.file(file))
        }
        return try SNMPParser.parse(try root.read(file), file: root.file(file))
    }

    package func softnet() throws -> [SoftnetStatistics] {
        try SoftnetParser.parse(try root.read("net/softnet_stat"), file: root.file("net/softnet_stat"))
    }

    /// sockstat followed by sockstat6 (absent without IPv6).
    package func socketStatistics() throws -> [SocketStatistic] {
        var result = try SockstatParser.parse(try root.read("net/sockstat"), file: root.file("net/sockstat"))
        if root.exists("net/sockstat6") {
            result += try SockstatParser.parse(try root.read("net/sockstat6"), file: root.file("net/sockstat6"))
        }
        return result
    }

    package func devices() throws -> [ProcDevEntry] {
        try DevParser.parse(try root.read("net/dev"), file: root.file("net/dev"))
    }

    /// A /proc/net/stat table (arp_cache, ndisc_cache, nf_conntrack) added up over the CPUs;
    /// nil when the file does not exist (no IPv6, conntrack not loaded).
    package func statTable(_ name: String) throws -> [(name: String, value: UInt64)]? {
        let relative = "net/stat/" + name
        guard root.exists(relative) else { return nil }
        return try StatTableParser.parse(try root.read(relative), file: root.file(relative))
    }
}
