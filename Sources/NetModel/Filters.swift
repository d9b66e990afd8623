/// Name and glob selections of interfaces and counters, shared by the queries and the
/// renderers.
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

/// Selects interfaces by name glob(s) (matching the name or an alternative name) and state.
public struct InterfaceFilter: Sendable {
    public var patterns: [String]
    public var upOnly: Bool

    public init(patterns: [String] = [], upOnly: Bool = false) {
        self.patterns = patterns
        self.upOnly = upOnly
    }

    /// The interfaces that match, in order. With no pattern and no `upOnly` this is the same
    /// array, not a copy of every (large) Interface value.
    public func select(_ interfaces: [Interface]) -> [Interface] {
        if !upOnly && patterns.isEmpty { return interfaces }
        return interfaces.filter(matches)
    }

    public func matches(_ interface: Interface) -> Bool {
        if upOnly && !interface.isUp { return false }
        if patterns.isEmpty { return true }
        let names = [interface.name] + interface.alternativeNames
        return patterns.contains { pattern in names.contains { Glob.matches(pattern, $0) } }
    }
}
