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

    /// Replaces device names with indexes; throws for a name that is not an interface here.
    public func resolvingDevices(_ lookup: (String) -> UInt32?) throws -> SocketFilter {
        switch self {
        case let .and(a, b): return .and(try a.resolvingDevices(lookup), try b.resolvingDevices(lookup))
        case let .or(a, b): return .or(try a.resolvingDevices(lookup), try b.resolvingDevices(lookup))
        case let .not(a): return .not(try a.resolvingDevices(lookup))
        case let .device(name, nil):
            if let index = UInt32(name) { return .device(name: name, index: index) }
            guard let index = lookup(name) else { throw FilterError(message: "dev \(name): no such interface") }
            return .device(name: name, index: index)
        default: return self
        }
    }

    /// Whether any part needs interface names resolved.
    public var mentionsDevice: Bool {
        switch self {
        case let .and(a, b), let .or(a, b): return a.mentionsDevice || b.mentionsDevice
        case let .not(a): return a.mentionsDevice
        case .device: return true
        default: return false
        }
    }
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

    /// Words as the shell passed them; parentheses and `!` may be glued to words.
    public static func parse(_ words: [String]) throws -> SocketFilter? {
        var tokens: [String] = []
        for word in words {
            var current = ""
            for character in word {
                if character == "(" || character == ")" || (character == "!" && current.isEmpty && !word.hasPrefix("!=")) {
                    if !current.isEmpty { tokens.append(current); current = "" }
                    tokens.append(String(character))
                } else if character == " " || character == "\t" || character == "\n" {
                    if !current.isEmpty { tokens.append(current); current = "" }
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { tokens.append(current) }
        }
        if tokens.isEmpty { return nil }
        var parser = FilterParser(tokens: tokens)
        let filter = try parser.parseList()
        if parser.position < parser.tokens.count {
            throw FilterError(message: "unexpected \"\(parser.tokens[parser.position])\"")
        }
        return filter
    }

    private init(tokens: [String]) { self.tokens = tokens }

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
            var negate = false
            if let op = current, ["=", "==", "eq"].contains(op) { position += 1 }
            else if let op = current, ["!=", "neq"].contains(op) { position += 1; negate = true }
            let condition = try FilterParser.hostCondition(try next())
            return negate ? .not(.host(side, condition)) : .host(side, condition)
        case "sport", "dport":
            let side: FilterSide = word == "sport" ? .source : .destination
            var comparison = PortComparison.equal
            if let op = current, let parsed = FilterParser.comparison(op) {
                comparison = parsed
                position += 1
            }
            let text = try next()
            let condition = try FilterParser.hostCondition(text.hasPrefix(":") || text.hasPrefix("*:") ? text : ":" + text)
            guard condition.address == nil, condition.port >= 0 else {
                throw FilterError(message: "\(word) needs a port, e.g. \(word) = :22 (found \"\(text)\")")
            }
            return .port(side, comparison, UInt16(condition.port))
        case "dev":
            var negate = false
            if let op = current, ["=", "==", "eq"].contains(op) { position += 1 }
            else if let op = current, ["!=", "neq"].contains(op) { position += 1; negate = true }
            let name = try next()
            return negate ? .not(.device(name: name, index: nil)) : .device(name: name, index: nil)
        default:
            throw FilterError(message: "unknown filter word \"\(word)\" (expected src, dst, sport, dport, dev, not, and, or, parentheses)")
        }
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
    /// `[V6][/N][:PORT]`, bare `V6[/N]`, or a unix path (`/…` or `@…`).
    public static func hostCondition(_ text: String) throws -> HostCondition {
        func port(_ value: Substring) throws -> Int32 {
            if value == "*" || value.isEmpty { return -1 }
            guard let number = UInt16(value) else { throw FilterError(message: "bad port \"\(value)\"") }
            return Int32(number)
        }
        func prefix(_ value: Substring, max: UInt8) throws -> UInt8 {
            guard let number = UInt8(value), number <= max else { throw FilterError(message: "bad prefix length \"/\(value)\"") }
            return number
        }
        if text == "*" { return HostCondition() }
        if text.hasPrefix("/") || text.hasPrefix("@") { return HostCondition(unixPath: text) }
        if text.hasPrefix(":") { return HostCondition(port: try port(text.dropFirst())) }
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
            let family: UInt8 = address.family == .inet ? 2 : 10
            return HostCondition(family: family, address: address, prefixLength: family == 2 ? min(length, 32) : length, port: portValue)
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
