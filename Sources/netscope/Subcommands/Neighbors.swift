import ArgumentParser
import NetscopeKit

struct Neighbors: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbors",
        abstract: "List the ARP and NDP neighbour caches (like `ip neigh`).",
        discussion: """
            Address, device, link-layer address, NUD state (REACHABLE, STALE, FAILED, …), router flag, \
            probes, and seconds since the entry was used, confirmed and updated. --json has the keys \
            of `ip -j -s neigh`.
            """,
        aliases: ["neigh", "neighbor", "neighbour", "neighbours"]
    )

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customShort("4"), help: "IPv4 (ARP) only.") var ipv4 = false
    @Flag(name: .customShort("6"), help: "IPv6 (NDP) only.") var ipv6 = false
    @Flag(name: [.customShort("a"), .customLong("all")], help: "Also entries in NOARP or no state (multicast mappings), as `ip neigh show nud all`.")
    var all = false

    func validate() throws {
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 cannot be combined.") }
    }

    func run() throws {
        try global.enterNamespace()
        let connection = try global.sourceOptions.connection(.route)
        let links = try LinkQuery(connection: connection).interfaces()
        let neighbors = try RouteQuery(connection: connection).neighbors(ipv4: !ipv6, ipv6: !ipv4, all: all)
        let sink = OutputSink()
        NeighborRenderer.render(neighbors, names: InterfaceNames(links), to: sink, options: global.renderOptions)
        try sink.flush()
    }
}
