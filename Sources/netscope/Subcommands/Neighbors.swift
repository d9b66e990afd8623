import ArgumentParser
import NetModel
import NetOutput
import NetQuery
import NetRender

struct Neighbors: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbors",
        abstract: "List the ARP and NDP neighbour caches (like `ip neigh`).",
        discussion: """
            Address, device, link-layer address, NUD state (REACHABLE, STALE, FAILED, …), router flag, \
            probes, and seconds since the entry was used, confirmed and updated. --json has the keys \
            of `ip -j -s neigh`. Selectors as ip's: dev X (filtered by the kernel), nud STATE \
            (repeatable; all for every state), proxy (the proxy ARP/NDP entries), to PREFIX or a bare PREFIX.
            """,
        aliases: ["neigh", "neighbor", "neighbour", "neighbours"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var walk: NamespaceWalk
    @Flag(name: .customShort("4"), help: "IPv4 (ARP) only.") var ipv4 = false
    @Flag(name: .customShort("6"), help: "IPv6 (NDP) only.") var ipv6 = false
    @Flag(name: [.customShort("a"), .customLong("all")], help: "Also entries in NOARP or no state (multicast mappings), as `ip neigh show nud all`.")
    var all = false

    @Argument(
        help: ArgumentHelp("ip's selectors: [dev X] [nud STATE]… [proxy] [to PREFIX]", valueName: "SELECTOR"),
        completion: Completions.neighborSelector)
    var words: [String] = []

    func validate() throws {
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 cannot be combined.") }
    }

    func run() throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format) { sink in
            let connection = try global.sourceOptions.connection(.route)
            let links = try LinkQuery(connection: connection).interfaces()
            let (selector, prefix) = try SelectorWords.neighbor(words, interfaces: links)
            var neighbors = try RouteQuery(connection: connection).neighbors(
                ipv4: !ipv6 && prefix?.family != .inet6, ipv6: !ipv4 && prefix?.family != .inet, all: all, selector: selector)
            if let prefix { neighbors = neighbors.filter { prefix.covers($0.destination, bits: prefix.length) } }
            NeighborRenderer.render(neighbors, names: InterfaceNames(links), to: sink, options: global.renderOptions)
        }
        try sink.flush()
    }
}
