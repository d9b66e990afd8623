import ArgumentParser
import NetModel
import NetOutput
import NetQuery
import NetRender

struct Links: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "List network interfaces (like `ip link`).",
        discussion: """
            Columns: index, name, operational state, MTU, qdisc, tx queue length, MAC, link kind \
            (veth, bridge, ...), master (bridge/bond), peer (veth peer or lower device), flags.
            --json uses the field names of `ip -j -d link`; with -d it adds what `ip -d -j link` \
            adds: linkinfo's info_data and info_slave_data, decoded per kind (bridge, bridge \
            port, vxlan, macvlan, tun), and inet6_addr_gen_mode; the table gets a DETAILS column.
            """,
        aliases: ["link"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: InterfaceSelection
    @OptionGroup var walk: NamespaceWalk
    @Flag(name: [.customShort("d"), .customLong("details")], help: "Each kind's details, as `ip -d link` (bridge, bridge port, vxlan, macvlan, tun) and the IPv6 address generation mode.")
    var details = false

    func run() throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format) { sink in
            let query = LinkQuery(connection: try global.sourceOptions.connection(.route), details: details)
            // Named interfaces in one namespace are asked for alone, not found in a dump.
            if !walk.allNamespaces, let names = selection.plainNames {
                let lookup = try query.interfaces(named: names)
                if let name = lookup.missing.first { throw InterfaceSelection.missing(name) }
                let shown = selection.filter.select(lookup.found)
                LinkRenderer.render(shown, names: InterfaceNames(lookup.found + lookup.related), to: sink, options: global.renderOptions)
                return
            }
            let all = try query.interfaces()
            if !walk.allNamespaces { try selection.check(all) }
            LinkRenderer.render(selection.filter.select(all), names: InterfaceNames(all), to: sink, options: global.renderOptions)
        }
        try sink.flush()
    }
}
