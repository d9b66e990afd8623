import ArgumentParser
import NetModel
import NetOutput
import NetQuery
import NetRender

struct Routes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "List routes (like `ip route`), or ask the kernel which route it would use (`route get`).",
        subcommands: [RouteList.self, RouteGet.self],
        defaultSubcommand: RouteList.self,
        aliases: ["route"]
    )
}

struct RouteList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "IPv4 and IPv6 routes of one table or all of them.",
        discussion: """
            Every route type (unicast, local, broadcast, blackhole, unreachable, prohibit, multicast, …), \
            protocol, scope, metric, prefsrc, gateway, multipath next hops with weights (in the \
            table as gw@dev*weight), nexthop objects (nhid), route metrics (mtu, advmss, …), \
            expiry and flags. --json has the objects of `ip -j route` (dst, gateway, dev, \
            protocol, scope, prefsrc, metric, table, type, nexthops, flags, metrics, …).
            Selectors as ip's: table T (names from rt_tables), dev X, proto P (names from \
            rt_protos), type T, scope S, via GW, src ADDR, root PREFIX (routes inside it), match \
            PREFIX (routes that cover it), exact PREFIX or a bare PREFIX. The kernel filters by \
            table, device, protocol and type (strict checking); the rest are checked here.
            """,
        aliases: ["list"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var walk: NamespaceWalk

    @Option(name: .customLong("table"), help: ArgumentHelp("Table: all, main, local, default, a number or a name from rt_tables (default: main, as ip).", valueName: "TABLE"))
    var table = "main"

    @Argument(
        help: ArgumentHelp("ip's selectors: [table T] [dev X] [proto P] [type T] [scope S] [via GW] [src ADDR] [root|match|exact PREFIX]", valueName: "SELECTOR"),
        completion: Completions.routeSelector)
    var words: [String] = []

    @Flag(name: .customShort("4"), help: "IPv4 only.") var ipv4 = false
    @Flag(name: .customShort("6"), help: "IPv6 only.") var ipv6 = false

    func validate() throws {
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 cannot be combined.") }
        if table != "all" && IprouteNames.table(named: table) == nil {
            throw ValidationError("--table takes all, main, local, default, a number or a name from rt_tables, not \"\(table)\".")
        }
    }

    func run() throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format) { sink in try list(into: sink) }
        try sink.flush()
    }

    func list(into sink: OutputSink) throws {
        let sources = global.sourceOptions
        let connection = try sources.connection(.route)
        let links = try LinkQuery(connection: connection).interfaces()
        let (selector, tableWord) = try SelectorWords.route(words, family: ipv4 ? .inet : ipv6 ? .inet6 : nil, interfaces: links)
        let name = tableWord ?? table
        guard name == "all" || IprouteNames.table(named: name) != nil else {
            throw ValidationError("table: all, main, local, default, a number or a name from rt_tables, not \"\(name)\"")
        }
        let id = name == "all" ? nil : IprouteNames.table(named: name)
        // A prefix of one family selects that family only.
        let prefixFamily = selector.root?.family ?? selector.match?.family
        let v4 = !ipv6 && prefixFamily != .inet6
        let v6 = !ipv4 && prefixFamily != .inet
        // Routes go from the receive buffer to the output one by one; none are kept.
        var writer = RouteStreamWriter(names: InterfaceNames(links), showTable: id == nil, sink: sink, options: global.renderOptions)
        try RouteQuery(connection: connection).routes(ipv4: v4, ipv6: v6, table: id, selector: selector) { writer.add($0) }
        writer.finish()
    }
}

struct RouteGet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "The route the kernel picks for ADDR (RTM_GETROUTE, like `ip route get`).",
        discussion: "Usage: netscope route get ADDR [from SRC] [iif DEV] [oif DEV] [mark N]"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("ADDR [from SRC] [iif DEV] [oif DEV] [mark N]", valueName: "ADDR"))
    var words: [String]

    func run() throws {
        try global.enterNamespace()
        guard let first = words.first, let destination = IPAddress(first) else {
            throw CLIError("route get needs an IPv4 or IPv6 address, not \"\(words.first ?? "")\"")
        }
        var source: IPAddress?
        var iif: String?, oif: String?
        var mark: UInt32?
        var rest = words.dropFirst()
        while let key = rest.first {
            rest = rest.dropFirst()
            guard let value = rest.first else { throw CLIError("\(key) needs a value") }
            rest = rest.dropFirst()
            switch key {
            case "from":
                guard let address = IPAddress(value) else { throw CLIError("from: not an address: \"\(value)\"") }
                source = address
            case "iif": iif = value
            case "oif", "dev": oif = value
            case "mark":
                guard let number = value.hasPrefix("0x") ? UInt32(value.dropFirst(2), radix: 16) : UInt32(value) else {
                    throw CLIError("mark: not a number: \"\(value)\"")
                }
                mark = number
            default: throw CLIError("unknown route get keyword \"\(key)\" (from, iif, oif, mark)")
            }
        }
        let connection = try global.sourceOptions.connection(.route)
        let links = try LinkQuery(connection: connection).interfaces()
        func index(_ name: String?) throws -> Int32? {
            guard let name else { return nil }
            guard let link = links.named(name) else {
                throw CLIError("no such interface \"\(name)\"")
            }
            return link.index
        }
        let route = try RouteQuery(connection: connection).get(
            destination, from: source, inputInterface: try index(iif), outputInterface: try index(oif), mark: mark)
        let sink = OutputSink()
        RouteRenderer.render([route], names: InterfaceNames(links), showTable: true, to: sink, options: global.renderOptions)
        try sink.flush()
    }
}
