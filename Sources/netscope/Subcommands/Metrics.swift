import ArgumentParser
import NetscopeKit
import NetOutput

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print Prometheus metrics (text format 0.0.4, or OpenMetrics 1.0 with --openmetrics).",
        discussion: """
            Collects now and prints every selected family: interface counters and state, protocol \
            counters (counter or gauge as the kernel means them), sockstat, softnet per CPU, \
            sockets by protocol and state, TCP listeners (accept queue, backlog, established \
            connections per port), tcp_info histograms per listening port, routes and neighbours; \
            plus each collector's duration and success. The metric list is in docs/metrics.md.
            --output FILE writes atomically (temporary file, then rename), for node_exporter's \
            textfile collector: `netscope metrics --output /var/lib/node_exporter/netscope.prom`.
            --all-netns reads every network namespace of the host, every series labelled netns \
            and, when known, container (docker:ID, pod:UID, …); --max-netns N bounds how many.
            """
    )

    @OptionGroup var global: NamespaceOptions
    @OptionGroup var selection: MetricsSelection
    @OptionGroup var walk: NamespaceWalk

    @Flag(name: .customLong("openmetrics"), help: "Write OpenMetrics 1.0 text (ends with # EOF) instead of the 0.0.4 format.")
    var openMetrics = false

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write to FILE atomically instead of standard output.", valueName: "FILE"))
    var output: String?

    func validate() throws {
        // `all` quietly leaves it out; naming it is a mistake worth a line.
        if let list = selection.collectors, list.split(separator: ",").contains(where: { $0.filter { !$0.isWhitespace } == "connections" }) {
            throw ValidationError("the connections collector counts closes as they happen, between scrapes: use it with `netscope serve`")
        }
    }

    func run() throws {
        // Opened before entering a namespace, so a relative path means what the user meant.
        let file = try output.map { try AtomicFile(path: $0) }
        let sink = OutputSink(fd: file?.fd ?? 1)
        if walk.allNamespaces {
            try walk.checkAlone(global)
            let exporter = MetricsExporter(
                sources: global.sourceOptions, proc: global.proc, options: try selection.options(insideNamespace: false, allNamespaces: true))
            let warnings = NamespaceMetrics(exporter: exporter, maxNamespaces: selection.maxNetns).write(to: sink, format: openMetrics ? .openMetrics : .prometheus)
            try sink.flush()
            try file?.commit()
            for line in warnings { warn(line) }
            return
        }
        try global.enterNamespace()
        let exporter = MetricsExporter(
            sources: global.sourceOptions, proc: global.proc,
            options: try selection.options(insideNamespace: global.netns != nil || global.netnsPID != nil))
        let failures = exporter.write(to: sink, format: openMetrics ? .openMetrics : .prometheus)
        try sink.flush()
        try file?.commit()
        for (collector, reason) in failures { warn("collector \(collector.rawValue) failed: \(reason)") }
    }
}
