import ArgumentParser
import NetscopeKit

/// Which interfaces to show: name globs and --up.
struct InterfaceSelection: ParsableArguments {
    @Argument(
        help: ArgumentHelp("Interface names or globs (e.g. 'veth*'); alternative names match too.", valueName: "NAME"),
        completion: Completions.interfaces)
    var names: [String] = []

    @Flag(name: .customLong("up"), help: "Only interfaces that are administratively up.")
    var up = false

    var filter: InterfaceFilter { InterfaceFilter(patterns: names, upOnly: up) }
}
