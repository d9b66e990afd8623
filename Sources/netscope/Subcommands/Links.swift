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
            --json uses the field names of `ip -j -d link`.
            """,
        aliases: ["link"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: InterfaceSelection
    @OptionGroup var walk: NamespaceWalk

    func run() throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format) { sink in
            let query = LinkQuery(connection: try global.sourceOptions.connection(.route))
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
