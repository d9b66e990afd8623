import ArgumentParser
import NetModel
import NetAnalysis
import NetOutput
import NetQuery
import NetRender

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Protocol counters from /proc/net (like `nstat`), softnet per CPU, or `stats link`.",
        subcommands: [ProtocolStats.self, LinkStats.self],
        defaultSubcommand: ProtocolStats.self
    )
}

/// `netscope stats [GLOB…]`
struct ProtocolStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protocols",
        abstract: "Every counter of /proc/net/snmp, netstat and snmp6 as Group.Field value.",
        discussion: """
            Names are Group.Field (Tcp.RetransSegs, TcpExt.ListenOverflows, Ip6.InReceives); globs \
            match them and nstat's spelling (TcpRetransSegs). Zero values are hidden unless -z. \
            TYPE says whether a value is a counter (a running total) or a gauge (a current value: \
            Ip.Forwarding, Ip.DefaultTTL, Tcp.RtoAlgorithm/RtoMin/RtoMax (ms), Tcp.MaxConn, Tcp.CurrEstab).
            With --interval SECS, shows each counter's delta and rate per interval and gauges' \
            current values; nothing is kept between runs (no history file).
            --softnet shows /proc/net/softnet_stat per CPU instead: packets processed, dropped \
            (backlog full), time squeezes (budget exhausted), collisions, RPS wake-ups, flow-limit \
            drops; with --interval, per second (the kernel's 32-bit counters wrap; deltas are modulo 2^32).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var timing: IntervalOptions
    @OptionGroup var walk: NamespaceWalk

    @Argument(help: ArgumentHelp("Counter names or globs, e.g. 'Tcp*Retrans*'.", valueName: "GLOB"))
    var patterns: [String] = []

    @Flag(name: [.customShort("z"), .customLong("zeros")], help: "Show counters that are zero (or did not change).")
    var zeros = false

    @Flag(name: .customLong("softnet"), help: "Show per-CPU softnet statistics instead.")
    var softnet = false

    func validate() throws {
        if walk.allNamespaces && timing.rates {
            throw ValidationError("--all-netns reads each namespace once; for rates across namespaces use `netscope overview --all-netns` or `netscope top --all-netns`.")
        }
    }

    func run() throws {
        let query = ProcQuery(root: global.proc)
        let sink = OutputSink()
        let options = global.renderOptions
        let filter = CounterFilter(patterns: patterns, includeZero: zeros)
        if walk.allNamespaces {
            try walk.each(global, sink: sink, format: options.format) { sink in
                if softnet {
                    StatsRenderer.renderSoftnet(try query.softnet(), seconds: nil, time: nil, to: sink, options: options)
                } else {
                    StatsRenderer.render(try query.protocolCounters(), filter: filter, to: sink, options: options)
                }
            }
            try sink.flush()
            return
        }
        try global.enterNamespace()
        if softnet {
            guard timing.rates else {
                StatsRenderer.renderSoftnet(try query.softnet(), seconds: nil, time: nil, to: sink, options: options)
                try sink.flush()
                return
            }
            try timing.run(sample: query.softnet, sink: sink, format: options.format) { previous, current, seconds in
                StatsRenderer.renderSoftnet(
                    RateCalculator.softnet(previous: previous, current: current), seconds: seconds, time: Timestamp.now(),
                    to: sink, options: options)
                try sink.flush()
                }
            return
        }
        let unknown = filter.unknownNames(in: try query.protocolCounters())
        if !unknown.isEmpty {
            throw CLIError("unknown counter \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")): names are Group.Field (Tcp.CurrEstab) or nstat's (TcpCurrEstab); `netscope stats -z` lists them")
        }
        guard timing.rates else {
            StatsRenderer.render(try query.protocolCounters(), filter: filter, to: sink, options: options)
            try sink.flush()
            return
        }
        try timing.run(sample: query.protocolCounters, sink: sink, format: options.format) { previous, current, seconds in
            StatsRenderer.renderDeltas(
                RateCalculator.protocols(previous: previous, current: current), seconds: seconds, time: Timestamp.now(),
                filter: filter, to: sink, options: options)
            try sink.flush()
        }
    }
}

/// `netscope stats link …` is `netscope counters …`.
struct LinkStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Same as `netscope counters`."
    )

    @OptionGroup var arguments: CountersArguments

    func run() throws { try arguments.execute() }
}
