import ArgumentParser
import NetModel
import NetAnalysis
import NetOutput
import NetQuery
import NetRender

struct Counters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counters",
        abstract: "Per-interface packet, byte, error and drop counters, or live rates (also `netscope stats link`).",
        discussion: """
            Reads rtnl_link_stats64 (IFLA_STATS64) over netlink: 64-bit counters since the interface \
            was created. -d adds the error breakdown of `ip -s -s link`. Table numbers use `ip -h` \
            units (K = 1000); --exact prints them whole. --json has the link fields and the stats64 \
            object of `ip -j -s -s link`.
            With --interval SECS, prints per-second rates for every interval (like `sar -n DEV`). \
            An interface that appears, is recreated or has its counters reset shows no rate for \
            that interval instead of a negative or huge one.
            """
    )

    @OptionGroup var arguments: CountersArguments

    func run() throws { try arguments.execute() }
}

/// Everything `counters` (and its alias `stats link`) takes, and what it does.
struct CountersArguments: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: InterfaceSelection
    @OptionGroup var timing: IntervalOptions
    @OptionGroup var walk: NamespaceWalk

    @Flag(name: [.customShort("d"), .customLong("details")], help: "Add the error breakdown (like `ip -s -s`).")
    var details = false

    @Flag(name: .customLong("exact"), help: "Print exact numbers instead of K/M/G units.")
    var exact = false

    func validate() throws {
        if walk.allNamespaces && timing.rates {
            throw ValidationError("--all-netns reads each namespace once; for rates across namespaces use `netscope overview --all-netns` or `netscope top --all-netns`.")
        }
    }

    func execute() throws {
        let filter = selection.filter
        let sink = OutputSink()
        if walk.allNamespaces {
            try walk.each(global, sink: sink, format: global.format) { sink in
                let all = try LinkQuery(connection: try global.sourceOptions.connection(.route)).interfaces(filter: [])
                CounterRenderer.render(
                    filter.select(all), names: InterfaceNames(all), detailed: details, exact: exact, to: sink,
                    options: global.renderOptions)
            }
            try sink.flush()
            return
        }
        try global.enterNamespace()
        let query = LinkQuery(connection: try global.sourceOptions.connection(.route))
        // An empty filter mask: statistics included, VF details not needed.
        let sample = { try query.interfaces(filter: []) }
        guard timing.rates else {
            let all = try sample()
            try selection.check(all)
            CounterRenderer.render(
                filter.select(all), names: InterfaceNames(all), detailed: details, exact: exact, to: sink,
                options: global.renderOptions)
            try sink.flush()
            return
        }
        if !selection.names.isEmpty { try selection.check(try sample()) }
        let options = global.renderOptions
        try timing.run(sample: sample, sink: sink, format: options.format) { previous, current, seconds in
            let rates = RateCalculator.interfaces(previous: previous, current: filter.select(current), seconds: seconds)
            CounterRenderer.renderRates(rates, time: Timestamp.now(), exact: exact, to: sink, options: options)
            try sink.flush()
        }
    }
}
