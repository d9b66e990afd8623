import ArgumentParser
import NetOutput
import NetQuery
import NetRender

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List policy routing rules (like `ip rule`).",
        discussion: "--json has the objects of `ip -j rule` (priority, src, srclen, dst, dstlen, fwmark, fwmask, iif, oif, table, action, …).",
        aliases: ["rule"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var walk: NamespaceWalk
    @Flag(name: .customShort("4"), help: "IPv4 only.") var ipv4 = false
    @Flag(name: .customShort("6"), help: "IPv6 only.") var ipv6 = false

    func validate() throws {
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 cannot be combined.") }
    }

    func run() throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format) { sink in
            let rules = try RouteQuery(connection: try global.sourceOptions.connection(.route)).rules(ipv4: !ipv6, ipv6: !ipv4)
            RuleRenderer.render(rules, to: sink, options: global.renderOptions)
        }
        try sink.flush()
    }
}
