import NetModel
import ProcNet

/// Protocol counters and kernel softnet statistics from /proc/net.
public struct ProcQuery: Sendable {
    public let root: ProcRoot

    public init(root: ProcRoot) { self.root = root }

    /// Every counter of snmp, netstat and (when IPv6 is enabled) snmp6, in file order.
    public func protocolCounters() throws -> [ProtocolCounter] {
        var result = try SNMPParser.parse(try root.read("net/snmp"), file: root.file("net/snmp"))
        result += try SNMPParser.parse(try root.read("net/netstat"), file: root.file("net/netstat"))
        if root.exists("net/snmp6") {
            result += try SNMP6Parser.parse(try root.read("net/snmp6"), file: root.file("net/snmp6"))
        }
        return result
    }

    public func softnet() throws -> [SoftnetStatistics] {
        try SoftnetParser.parse(try root.read("net/softnet_stat"), file: root.file("net/softnet_stat"))
    }

    /// sockstat followed by sockstat6 (absent without IPv6).
    public func socketStatistics() throws -> [SocketStatistic] {
        var result = try SockstatParser.parse(try root.read("net/sockstat"), file: root.file("net/sockstat"))
        if root.exists("net/sockstat6") {
            result += try SockstatParser.parse(try root.read("net/sockstat6"), file: root.file("net/sockstat6"))
        }
        return result
    }

    public func devices() throws -> [ProcDevEntry] {
        try DevParser.parse(try root.read("net/dev"), file: root.file("net/dev"))
    }
}

/// Selects protocol counters by glob, against `Group.Field` and nstat's `GroupField`.
public struct CounterFilter: Sendable {
    public var patterns: [String]
    public var includeZero: Bool

    public init(patterns: [String] = [], includeZero: Bool = false) {
        self.patterns = patterns
        self.includeZero = includeZero
    }

    public func matches(_ counter: ProtocolCounter) -> Bool {
        patterns.isEmpty || patterns.contains { Glob.matches($0, counter.name) || Glob.matches($0, counter.nstatName) }
    }

    /// A pattern without glob characters names one counter.
    static func isExact(_ pattern: String) -> Bool { !pattern.contains { "*?[".contains($0) } }

    /// Whether the user named this counter exactly: it is shown even when zero (or unchanged),
    /// since asking for Tcp.CurrEstab and getting nothing reads as "no such counter".
    public func names(_ counter: ProtocolCounter) -> Bool {
        patterns.contains { Self.isExact($0) && ($0 == counter.name || $0 == counter.nstatName) }
    }

    /// Exact names that match no counter the kernel has: a typo, reported as an error.
    public func unknownNames(in counters: [ProtocolCounter]) -> [String] {
        patterns.filter { pattern in
            Self.isExact(pattern) && !counters.contains { $0.name == pattern || $0.nstatName == pattern }
        }
    }

    /// Shown: matched, and non-zero unless zeros are asked for or the counter was named.
    public func shows(_ counter: ProtocolCounter, moved: Bool) -> Bool {
        matches(counter) && (includeZero || moved || names(counter))
    }
}
