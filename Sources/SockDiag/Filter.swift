import NetModel

/// ss's filter expressions: `sport = :22`, `dport > :1024`, `src 10.0.0.0/8`,
/// `dst [::1]:443`, `dev eth0`, joined by and/or/not and parentheses. Grouping as in ss
/// (misc/ssfilter.y): `not` applies to the one expression after it; `and`, `or` and
/// juxtaposition (an implied `and`) have equal precedence and group left to right, so
/// `a or b and c` means `(a or b) and c`. Parentheses say anything else.
public indirect enum SocketFilter: Equatable, Sendable {
    case and(SocketFilter, SocketFilter)
    case or(SocketFilter, SocketFilter)
    case not(SocketFilter)
    /// src/dst HOST: address with prefix and/or port; unix paths for AF_UNIX.
    case host(FilterSide, HostCondition)
    /// sport/dport OP PORT
    case port(FilterSide, PortComparison, UInt16)
    /// dev NAME, resolved to an ifindex before use (`resolvingDevices`).
    case device(name: String, index: UInt32?)
    /// fwmark MARK[/MASK] (SO_MARK; the kernel reports it to CAP_NET_ADMIN only).
    case mark(UInt32, mask: UInt32)
    /// cgroup PATH (a cgroup v2 path), resolved to the cgroup's id before use.
    case cgroup(path: String, id: UInt64?)
    /// autobound: sockets whose local port the kernel chose (no explicit bind). As ss, the
    /// kernel's test (INET_DIAG_BC_AUTO) and, in user space, a local port inside
    /// net.ipv4.ip_local_port_range (`ports`, filled in by `resolvingPortRange`).
    case autobound(ports: ClosedRange<UInt16>?)

    /// Replaces device names with indexes; throws for a name that is not an interface here.
    public func resolvingDevices(_ lookup: (String) -> UInt32?) throws -> SocketFilter {
        try mapLeaves { leaf in
            guard case let .device(name, nil) = leaf else { return leaf }
            if let index = UInt32(name) { return .device(name: name, index: index) }
            guard let index = lookup(name) else { throw FilterError(message: "dev \(name): no such interface") }
            return .device(name: name, index: index)
        }
    }

    /// Replaces cgroup paths with cgroup ids; throws for a path that is not a cgroup.
    public func resolvingCgroups(_ lookup: (String) -> UInt64?) throws -> SocketFilter {
        try mapLeaves { leaf in
            guard case let .cgroup(path, nil) = leaf else { return leaf }
            guard let id = lookup(path) else { throw FilterError(message: "cgroup \(path): no such cgroup (a path in the cgroup v2 hierarchy)") }
            return .cgroup(path: path, id: id)
        }
    }

    func mapLeaves(_ transform: (SocketFilter) throws -> SocketFilter) throws -> SocketFilter {
        switch self {
        case let .and(a, b): return .and(try a.mapLeaves(transform), try b.mapLeaves(transform))
        case let .or(a, b): return .or(try a.mapLeaves(transform), try b.mapLeaves(transform))
        case let .not(a): return .not(try a.mapLeaves(transform))
        default: return try transform(self)
        }
    }

    func contains(_ test: (SocketFilter) -> Bool) -> Bool {
        switch self {
        case let .and(a, b), let .or(a, b): return a.contains(test) || b.contains(test)
        case let .not(a): return a.contains(test)
        default: return test(self)
        }
    }

    /// Fills in the ephemeral port range for `autobound`.
    public func resolvingPortRange(_ range: ClosedRange<UInt16>) throws -> SocketFilter {
        try mapLeaves { leaf in
            if case .autobound(nil) = leaf { return .autobound(ports: range) }
            return leaf
        }
    }

    /// Whether sockets the kernel's bytecode accepted must be checked again here: ss re-checks
    /// `autobound` against the port range, and so must we to select what it selects.
    public var needsUserSpaceRecheck: Bool { contains { if case .autobound = $0 { return true } else { return false } } }

    /// Whether any part needs interface names resolved.
    public var mentionsDevice: Bool { contains { if case .device = $0 { return true } else { return false } } }

    /// Whether any part needs cgroup paths resolved.
    public var mentionsCgroup: Bool { contains { if case .cgroup = $0 { return true } else { return false } } }
}

public enum FilterSide: Sendable, Equatable { case source, destination }

public enum PortComparison: String, Sendable, Equatable {
    case equal = "=", notEqual = "!=", greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<"
}

/// struct inet_diag_hostcond, plus the unix path form.
public struct HostCondition: Equatable, Sendable {
    /// AF_UNSPEC (0), AF_INET (2) or AF_INET6 (10).
    public var family: UInt8 = 0
    public var address: IPAddress?
    public var prefixLength: UInt8 = 0
    /// -1: any port.
    public var port: Int32 = -1
    /// A unix socket path or glob ("/run/*", "@abstract").
    public var unixPath: String?

    public init(family: UInt8 = 0, address: IPAddress? = nil, prefixLength: UInt8 = 0, port: Int32 = -1, unixPath: String? = nil) {
        self.family = family
        self.address = address
        self.prefixLength = prefixLength
        self.port = port
        self.unixPath = unixPath
    }
}

public struct FilterError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { "filter: \(message)" }
}

/// Parses ss's filter syntax from command-line words.
public struct FilterParser {
    private var tokens: [String]
    private var position = 0

    /// What the sockets asked for are, which decides how `src`/`dst` values are read: with
    /// unix sockets only (`-x`), as ss does, a value is a unix path glob (`*.sock`, `*`).
    public enum Context: Sendable { case any, unixOnly }

    /// Words as the shell passed them. As in ss, every word is split at blanks too, so the
    /// whole expression may be one quoted argument ('dport != :22'); parentheses and a
    /// leading `!` may also be glued to words (`!(dport = :22)`), which ss does not accept.
    /// `services`: the protocols whose service names a port may be ("tcp", "udp"), those of
    /// the sockets listed, as ss looks them up.
    public static func parse(_ words: [String], context: Context = .any, services: [String] = ["tcp", "udp"]) throws -> SocketFilter? {
        let tokens = tokenize(words)
        if tokens.isEmpty { return nil }
        var parser = FilterParser(tokens: tokens)
        parser.context = context
        parser.services = services
        let filter = try parser.parseList()
        if parser.position < parser.tokens.count {
            throw FilterError(message: "unexpected \"\(parser.tokens[parser.position])\"")
        }
        return filter
    }

    private init(tokens: [String]) { self.tokens = tokens }
    private var context = Context.any
    private var services = ["tcp", "udp"]

    static func tokenize(_ words: [String]) -> [String] {
        var tokens: [String] = []
        for word in words {
            for piece in word.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                var rest = Substring(piece)
                // A leading "!" is "not" unless it starts "!=".
                while rest.first == "!" && !rest.hasPrefix("!=") && rest.count > 1 {
                    tokens.append("!")
                    rest = rest.dropFirst()
                }
                var current = ""
                for character in rest {
                    if character == "(" || character == ")" {
                        if !current.isEmpty { tokens.append(current); current = "" }
                        tokens.append(String(character))
                    } else {
                        current.append(character)
                    }
                }
                if !current.isEmpty { tokens.append(current) }
            }
        }
        return tokens
    }

    private var current: String? { position < tokens.count ? tokens[position] : nil }

    /// Parentheses and negations nest at most this deep, and an expression has at most
    /// `maximumConditions` conditions: the parser, the bytecode compiler (whose jumps are
    /// 16-bit) and the evaluator recurse over the tree, and a hostile or mistaken command
    /// line must get an error, not a stack overflow.
    public static let maximumDepth = 64
    public static let maximumConditions = 1024
    private var depth = 0
    private var conditions = 0

    private mutating func nest() throws {
        depth += 1
        guard depth <= FilterParser.maximumDepth else {
            throw FilterError(message: "expression nested deeper than \(FilterParser.maximumDepth) levels")
        }
    }

    private mutating func next() throws -> String {
        guard let token = current else { throw FilterError(message: "expression ends too early") }
        position += 1
        return token
    }

    private static let orWords: Set<String> = ["or", "|", "||"]
    private static let andWords: Set<String> = ["and", "&", "&&"]
    private static let notWords: Set<String> = ["not", "!"]

    /// exprlist: expr | exprlist ('|' | '&' | nothing) expr — left to right, one precedence.
    private mutating func parseList() throws -> SocketFilter {
        var left = try parseNot()
        while let token = current, token != ")" {
            if FilterParser.orWords.contains(token) {
                position += 1
                left = .or(left, try parseNot())
            } else {
                if FilterParser.andWords.contains(token) { position += 1 }
                left = .and(left, try parseNot())
            }
        }
        return left
    }

    private mutating func parseNot() throws -> SocketFilter {
        if let token = current, FilterParser.notWords.contains(token) {
            position += 1
            try nest()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> SocketFilter {
        let word = try next()
        if word != "(" {
            conditions += 1
            guard conditions <= FilterParser.maximumConditions else {
                throw FilterError(message: "expression has more than \(FilterParser.maximumConditions) conditions")
            }
        }
        switch word {
        case "(":
            try nest()
            defer { depth -= 1 }
            let inner = try parseList()
            guard current == ")" else { throw FilterError(message: "missing \")\"") }
            position += 1
            return inner
        case "src", "dst":
            let side: FilterSide = word == "src" ? .source : .destination
            let negate = try FilterParser.equality(&self, word)
            let condition = try FilterParser.hostCondition(try next(), context: context, services: services)
            return negate ? .not(.host(side, condition)) : .host(side, condition)
        case "sport", "dport":
            let side: FilterSide = word == "sport" ? .source : .destination
            var comparison = PortComparison.equal
            if let op = current, let parsed = FilterParser.comparison(op) {
                comparison = parsed
                position += 1
            }
            let text = try next()
            let condition = try FilterParser.hostCondition(text.hasPrefix(":") || text.hasPrefix("*:") ? text : ":" + text, services: services)
            guard condition.address == nil, condition.port >= 0 else {
                throw FilterError(message: "\(word) needs a port, e.g. \(word) = :22 (found \"\(text)\")")
            }
            return .port(side, comparison, UInt16(condition.port))
        case "dev":
            let negate = try FilterParser.equality(&self, word)
            let name = try next()
            return negate ? .not(.device(name: name, index: nil)) : .device(name: name, index: nil)
        case "fwmark", "mark":
            let negate = try FilterParser.equality(&self, word)
            let text = try next()
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let mark = FilterParser.number(parts[0]).flatMap(UInt32.init(exactly:)),
                let mask = parts.count == 2 ? FilterParser.number(parts[1]).flatMap(UInt32.init(exactly:)) : 0xFFFF_FFFF
            else { throw FilterError(message: "bad mark \"\(text)\" (MARK[/MASK], decimal or 0x hex)") }
            return negate ? .not(.mark(mark, mask: mask)) : .mark(mark, mask: mask)
        case "cgroup":
            let negate = try FilterParser.equality(&self, word)
            let path = try next()
            return negate ? .not(.cgroup(path: path, id: nil)) : .cgroup(path: path, id: nil)
        case "autobound":
            return .autobound(ports: nil)
        default:
            throw FilterError(message: "unknown filter word \"\(word)\" (expected src, dst, sport, dport, dev, fwmark, cgroup, autobound, not, and, or, parentheses)")
        }
    }

    /// The optional `=`/`==`/`eq` or `!=`/`ne`/`neq` after src, dst, dev, fwmark and cgroup;
    /// true when it negates. Ordering comparisons are for ports only.
    static func equality(_ parser: inout FilterParser, _ word: String) throws -> Bool {
        guard let op = parser.current, let comparison = comparison(op) else { return false }
        parser.position += 1
        switch comparison {
        case .equal: return false
        case .notEqual: return true
        default: throw FilterError(message: "\(word) takes = or !=, not \"\(op)\"")
        }
    }

    /// A number as strtoul with base 0 reads it, as ss does: 0x1f hex, 017 octal, else decimal.
    static func number(_ text: Substring) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return text.count > 2 ? UInt64(text.dropFirst(2), radix: 16) : nil }
        if text.count > 1 && text.hasPrefix("0") { return UInt64(text.dropFirst(), radix: 8) }
        return UInt64(text)
    }

    static func comparison(_ op: String) -> PortComparison? {
        switch op {
        case "=", "==", "eq": return .equal
        case "!=", "neq", "ne": return .notEqual
        case ">=", "ge", "geq": return .greaterOrEqual
        case "<=", "le", "leq": return .lessOrEqual
        case ">", "gt": return .greater
        case "<", "lt": return .less
        default: return nil
        }
    }

    /// `*`, `:PORT`, `*:PORT`, `A.B.C.D[/N][:PORT]` (also ss's short `10/8`),
    /// `[V6][/N][:PORT]`, bare `V6[/N]`, `any`/`default`/`all`, a unix path (`/…` or `@…`,
    /// any glob with -x only, or after `unix:`), and ss's family prefixes `inet:`, `inet6:`
    /// and `unix:`. Ports are numbers as ss reads them (0x hex, leading-zero octal) or
    /// service names from /etc/services.
    public static func hostCondition(_ text: String, context: Context = .any, services: [String] = ["tcp", "udp"]) throws -> HostCondition {
        if text.hasPrefix("unix:") { return HostCondition(unixPath: String(text.dropFirst(5))) }
        if context == .unixOnly { return HostCondition(unixPath: text) }
        if text.hasPrefix("inet6:") {
            var condition = try hostCondition(String(text.dropFirst(6)), services: services)
            guard condition.family != 2, condition.unixPath == nil else { throw FilterError(message: "\"\(text)\" is not an IPv6 address") }
            condition.family = 10
            return condition
        }
        if text.hasPrefix("inet:") {
            var condition = try hostCondition(String(text.dropFirst(5)), services: services)
            guard condition.family != 10, condition.unixPath == nil else { throw FilterError(message: "\"\(text)\" is not an IPv4 address") }
            condition.family = 2
            return condition
        }
        if ["any", "default", "all"].contains(text) { return HostCondition() }
        func port(_ value: Substring) throws -> Int32 {
            if value == "*" || value.isEmpty { return -1 }
            if let number = FilterParser.number(value) {
                guard number <= UInt64(UInt16.max) else { throw FilterError(message: "bad port \"\(value)\"") }
                return Int32(number)
            }
            if let first = value.first, first.isLetter, let number = try ServiceNames.port(String(value), protocols: services) { return Int32(number) }
            let which = services.isEmpty ? "" : " for \(services.joined(separator: "/"))"
            throw FilterError(message: "bad port \"\(value)\" (a number, or a service name from /etc/services\(which))")
        }
        func prefix(_ value: Substring, max: UInt8) throws -> UInt8 {
            guard let number = UInt8(value), number <= max else { throw FilterError(message: "bad prefix length \"/\(value)\"") }
            return number
        }
        if text == "*" { return HostCondition() }
        if text.hasPrefix("/") || text.hasPrefix("@") { return HostCondition(unixPath: text) }
        if text.hasPrefix(":") && !text.hasPrefix("::") { return HostCondition(port: try port(text.dropFirst())) }
        if text.hasPrefix("*:") { return HostCondition(port: try port(text.dropFirst(2))) }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw FilterError(message: "missing \"]\" in \"\(text)\"") }
            var inside = text[text.index(after: text.startIndex)..<close]
            var rest = text[text.index(after: close)...]
            var length: UInt8 = 128
            if let slash = inside.firstIndex(of: "/") {
                length = try prefix(inside[inside.index(after: slash)...], max: 128)
                inside = inside[..<slash]
            }
            if rest.hasPrefix("/") {
                let end = rest.firstIndex(of: ":") ?? rest.endIndex
                length = try prefix(rest[rest.index(after: rest.startIndex)..<end], max: 128)
                rest = rest[end...]
            }
            var portValue: Int32 = -1
            if rest.hasPrefix(":") { portValue = try port(rest.dropFirst()) } else if !rest.isEmpty {
                throw FilterError(message: "cannot parse \"\(text)\"")
            }
            if inside == "*" || inside.isEmpty { return HostCondition(port: portValue) }
            guard let address = IPAddress(inside), address.family == .inet6 || address.family == .inet else {
                throw FilterError(message: "bad address \"\(inside)\"")
            }
            return HostCondition(
                family: address.family.rawValue, address: address, prefixLength: min(length, address.family.hostPrefixLength), port: portValue)
        }
        if text.filter({ $0 == ":" }).count > 1 {
            var addressText = Substring(text)
            var length: UInt8 = 128
            if let slash = addressText.firstIndex(of: "/") {
                length = try prefix(addressText[addressText.index(after: slash)...], max: 128)
                addressText = addressText[..<slash]
            }
            guard let address = IPAddress(addressText) else { throw FilterError(message: "bad address \"\(addressText)\"") }
            return HostCondition(family: 10, address: address, prefixLength: length)
        }
        // IPv4, possibly shortened ("10/8") and with a port.
        var body = Substring(text)
        var portValue: Int32 = -1
        if let colon = body.firstIndex(of: ":") {
            portValue = try port(body[body.index(after: colon)...])
            body = body[..<colon]
        }
        var length: UInt8? = nil
        if let slash = body.firstIndex(of: "/") {
            length = try prefix(body[body.index(after: slash)...], max: 32)
            body = body[..<slash]
        }
        if body == "*" { return HostCondition(port: portValue) }
        var parts = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...4).contains(parts.count), parts.allSatisfy({ UInt8($0) != nil }) else {
            throw FilterError(message: "cannot parse address \"\(text)\" (host names are not resolved; use an address)")
        }
        let given = parts.count
        while parts.count < 4 { parts.append("0") }
        guard let address = IPAddress(parts.joined(separator: ".")) else { throw FilterError(message: "bad address \"\(body)\"") }
        return HostCondition(family: 2, address: address, prefixLength: length ?? UInt8(given * 8), port: portValue)
    }
}
