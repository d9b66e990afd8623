import ArgumentParser
import NetAnalysis
import NetModel
import NetOutput
import NetQuery
import NetRender

struct OverviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overview",
        abstract: "One screen about the whole stack: interfaces and rates, routing, sockets, listeners, talkers, protocol health.",
        discussion: """
            Samples the namespace twice, --interval seconds apart (default 1), and shows: every \
            interface with its state, addresses and rx/tx rates; default routes, routes per table, \
            rule and neighbour counts; sockets by protocol and state; TCP listeners with the \
            fullest accept queues (queue vs backlog); the TCP connections that moved the most \
            bytes in the interval (from tcp_info); and protocol health: retransmits, listen \
            overflows and drops, resets, UDP buffer errors, softnet drops and squeezes.
            Anything abnormal (interface errors or drops, a listener at 80% of its backlog or \
            more, a drop counter that grew, retransmits at 1% of sent segments or more) is marked \
            with "!" and repeated under ATTENTION. --interval 0 reads once and shows totals only.
            --json / --ndjson: the schema is in docs/overview.md.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var walk: NamespaceWalk

    @Option(name: .customLong("interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between the two samples; 0 reads once (no rates).", valueName: "SECS"))
    var interval: Double = 1

    @Option(name: .customLong("top"), parsing: .unconditional, help: ArgumentHelp("How many listeners and talkers to show.", valueName: "N"))
    var top = 5

    func validate() throws {
        try IntervalOptions.check(interval)
        guard top > 0 else { throw ValidationError("--top must be at least 1.") }
    }

    func run() throws {
        let targets = try walk.targets(global)
        let collector = StackCollector(sources: global.sourceOptions, proc: global.proc)
        let sample = { (_: NamespaceTarget?) in try collector.sample() }
        var first: [(String?, StackSample)] = []
        if interval > 0 {
            first = try walk.visit(global, targets, sample)
            sleep(seconds: interval)
        }
        var overviews = OverviewBuilder.build(previous: first, current: try walk.visit(global, targets, sample), top: top)
        for index in overviews.indices {
            overviews[index].container = targets.first { $0?.label == overviews[index].namespace }??.container?.label
        }
        let sink = OutputSink()
        OverviewRenderer.render(overviews, to: sink, options: global.renderOptions)
        try sink.flush()
        // What could not be read goes to stderr, as ss prints its warnings; the JSON carries
        // it in "notes" (with the socket families read from /proc instead of sock_diag).
        if global.format == .table {
            for overview in overviews {
                for note in overview.notes { warn("\(overview.namespace.map { "[\($0)] " } ?? "")\(note)") }
            }
        }
    }
}
