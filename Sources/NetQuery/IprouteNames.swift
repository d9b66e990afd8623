import Netlink
import NetModel
import ProcNet

/// Names the user types for numbers, read as ip reads them: the built-in names, then
/// iproute2's databases (/etc/iproute2/rt_tables, rt_tables.d/*.conf, rt_protos,
/// rt_protos.d/*.conf, and the same under /usr/share/iproute2 where newer iproute2 keeps its
/// defaults). A number is always accepted.
package enum IprouteNames {
    /// The directories ip reads, in its order: the administrator's first.
    static let directories = ["/etc/iproute2", "/usr/share/iproute2"]

    /// "NUMBER NAME" lines; '#' starts a comment. Pure, for tests and fuzzing.
    package static func parse(_ text: String) -> [(number: UInt32, name: String)] {
        var result: [(number: UInt32, name: String)] = []
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            let text = fields[0]
            let number = text.hasPrefix("0x") ? UInt32(text.dropFirst(2), radix: 16) : UInt32(text)
            if let number { result.append((number, String(fields[1]))) }
        }
        return result
    }

    /// Every entry of database `name` ("rt_tables", "rt_protos").
    static func load(_ name: String) -> [(number: UInt32, name: String)] {
        var entries: [(number: UInt32, name: String)] = []
        for directory in directories {
            let root = ProcRoot(path: directory)
            for file in [name] + root.list(name + ".d").filter({ $0.hasSuffix(".conf") }).map({ "\(name).d/\($0)" }) {
                if let text = try? root.read(file) { entries += parse(text) }
            }
        }
        return entries
    }

    static func number(_ text: String, builtin: (String) -> UInt32?, database: String) -> UInt32? {
        if let value = builtin(text) { return value }
        if text.hasPrefix("0x"), let value = UInt32(text.dropFirst(2), radix: 16) { return value }
        if let value = UInt32(text) { return value }
        return load(database).first { $0.name == text }?.number
    }

    /// A routing table: main, local, default, a number or a name from rt_tables.
    package static func table(named text: String) -> UInt32? {
        number(text, builtin: RouteNames.table(named:), database: "rt_tables")
    }

    /// A route protocol: kernel, boot, static, ra, bird, … or a number or a name from rt_protos.
    package static func proto(named text: String) -> UInt8? {
        let builtin = { (name: String) -> UInt32? in (0...255).first { RouteNames.proto(UInt8($0)) == name }.map(UInt32.init) }
        return number(text, builtin: builtin, database: "rt_protos").flatMap(UInt8.init(exactly:))
    }

    /// A route type: unicast, local, broadcast, blackhole, unreachable, prohibit, throw, …
    package static func type(named text: String) -> UInt8? {
        (0...11).first { RouteNames.type(UInt8($0)) == text }.map(UInt8.init) ?? UInt8(text)
    }

    /// A scope: global (universe), site, link, host, nowhere, or a number.
    package static func scope(named text: String) -> UInt8? {
        if text == "universe" { return 0 }
        return [0, 200, 253, 254, 255].first { ScopeNames.name(UInt8($0)) == text }.map(UInt8.init) ?? UInt8(text)
    }

    /// NUD_* bits of ip's state names (`nud STATE`), "all" for every state.
    package static func neighborState(named text: String) -> UInt16? {
        let names: [String: UInt16] = [
            "incomplete": 0x01, "reachable": 0x02, "stale": 0x04, "delay": 0x08, "probe": 0x10, "failed": 0x20,
            "noarp": 0x40, "permanent": 0x80, "none": 0x00, "all": 0xFF,
        ]
        return names[text.lowercased()]
    }
}
