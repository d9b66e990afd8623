import ArgumentParser
import NetModel

/// Which interfaces to show: name globs and --up.
struct InterfaceSelection: ParsableArguments {
    @Argument(
        help: ArgumentHelp("[dev] NAME…: interface names or globs (e.g. 'veth*'); alternative names match too.", valueName: "NAME"),
        completion: Completions.interfaces)
    var words: [String] = []

    /// The names, with ip's `dev NAME` read as NAME (`ip link show dev eth0`); a device
    /// called "dev" is `dev dev`, as for ip.
    var names: [String] {
        var result: [String] = []
        var index = 0
        while index < words.count {
            if words[index] == "dev" && index + 1 < words.count { index += 1 }
            result.append(words[index])
            index += 1
        }
        return result
    }

    @Flag(name: .customLong("up"), help: "Only interfaces that are administratively up.")
    var up = false

    var filter: InterfaceFilter { InterfaceFilter(patterns: names, upOnly: up) }

    /// The names when every one is a plain name (no glob): then each interface can be asked
    /// for alone instead of dumping them all.
    var plainNames: [String]? {
        names.isEmpty || names.contains(where: Self.isGlob) ? nil : names
    }

    /// A name without glob characters that matches no interface is a mistake (exit 1, one
    /// line), not an empty table; a glob may match nothing.
    func check(_ interfaces: [Interface]) throws { try Self.check(names, interfaces) }

    static func check(_ names: [String], _ interfaces: [Interface]) throws {
        for name in names where !isGlob(name) {
            guard interfaces.named(name) != nil else { throw missing(name) }
        }
    }

    static func missing(_ name: String) -> CLIError {
        CLIError("no interface \"\(name)\" (`netscope links` lists them)")
    }

    static func isGlob(_ name: String) -> Bool { name.contains(where: { "*?[".contains($0) }) }
}
