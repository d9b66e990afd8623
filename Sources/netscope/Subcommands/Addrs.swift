import ArgumentParser
import NetModel
import NetOutput
import NetQuery
import NetRender

struct Addrs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addrs",
        abstract: "List interface addresses, IPv4 and IPv6 (like `ip addr`).",
        discussion: """
            One row per address with prefix, broadcast, scope, label, lifetimes and flags; \
            interfaces without addresses show one row of dashes.
            --json has the shape of `ip -j addr`: each interface with its addr_info list.
            """,
        aliases: ["addr", "address", "addresses"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: InterfaceSelection
    @OptionGroup var walk: NamespaceWalk

    @Flag(name: .customShort("4"), help: "IPv4 addresses only.")
    var ipv4 = false

    @Flag(name: .customShort("6"), help: "IPv6 addresses only.")
    var ipv6 = false

    func validate() throws {
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 cannot be combined.") }
    }

    func run() throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format) { sink in
            let query = LinkQuery(connection: try global.sourceOptions.connection(.route))
            let all: [Interface]
            var addresses: [InterfaceAddress]
            let names: InterfaceNames
            // Named interfaces in one namespace: each link and its addresses asked for alone.
            if !walk.allNamespaces, let plain = selection.plainNames {
                let lookup = try query.interfaces(named: plain)
                if let name = lookup.missing.first { throw InterfaceSelection.missing(name) }
                all = lookup.found
                addresses = try lookup.found.flatMap { try query.addresses(index: $0.index) }
                names = InterfaceNames(lookup.found + lookup.related)
            } else {
                all = try query.interfaces()
                addresses = try query.addresses()
                names = InterfaceNames(all)
            }
            if ipv4 { addresses = addresses.filter { $0.family == .inet } }
            if ipv6 { addresses = addresses.filter { $0.family == .inet6 } }
            // Across namespaces a device named on the command line need not be in every one.
            if !walk.allNamespaces { try selection.check(all) }
            AddressRenderer.render(
                selection.filter.select(all), addresses: addresses, names: names, to: sink,
                options: global.renderOptions)
        }
        try sink.flush()
    }
}
