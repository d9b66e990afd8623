import ArgumentParser
import NetAnalysis
import NetModel
import NetOutput
import NetRender
import NetQuery

struct Drops: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drops",
        abstract: "Where packets are lost: every drop and error counter, layer by layer.",
        discussion: """
            One ledger from the sockets down to the NIC: sockets with their own drop counter \
            (SK_MEMINFO_DROPS, `ss -m`'s d; the --top N that dropped most), TCP/UDP and IP/ICMP \
            discard and error counters (nstat's names, from snmp, netstat and snmp6), conntrack \
            (/proc/net/stat/nf_conntrack), the neighbour tables (arp_cache, ndisc_cache: \
            unresolved_discards, res_failed, table_fulls), each CPU's input backlog (softnet_stat \
            dropped, time_squeeze), every qdisc and class (tc -s drops, overlimits, requeues, \
            backlog), each interface's rtnl_link_stats64 errors (ip -s -s names) and its driver's \
            own counters (ethtool -S). Each row has the layer, the object, the counter, its value \
            and what it means. Only counters above zero are shown unless --all. With --interval \
            SECS the namespace is read twice and each row gets its delta and rate, what grew first. \
            --json/--ndjson objects have layer, object, counter, value, (delta, rate), meaning. \
            --stack draws the same numbers as the stack itself (80 columns): a box per layer, the \
            packets through it receiving and sending (per second with --interval) and its largest \
            (or fastest-growing) drop counter on each side. \
            Needs no privilege; `-p` names other users' processes only with CAP_SYS_PTRACE.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var walk: NamespaceWalk
    @Flag(name: .customLong("all"), help: "Every drop and error counter, zeros included.") var all = false
    @Option(name: .customLong("interval"), parsing: .unconditional, help: ArgumentHelp("Read twice, SECS apart, and show each counter's delta and rate.", valueName: "SECS"))
    var interval: Double?
    @Option(name: .customLong("top"), parsing: .unconditional, help: ArgumentHelp("At most N sockets with drops, the most first.", valueName: "N"))
    var top = 10
    @Flag(name: [.customShort("p"), .customLong("processes")], help: "Name the process holding each socket that dropped.")
    var processes = false
    @Flag(name: .customLong("stack"), help: "Draw the stack: one box per layer, receive and transmit traffic beside the drops.")
    var stack = false

    func validate() throws {
        if let interval { try IntervalOptions.check(interval) }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more.") }
        if walk.allNamespaces && interval != nil {
            throw ValidationError("--all-netns reads each namespace once; for drop rates across namespaces use `netscope overview --all-netns` or `netscope top --all-netns`.")
        }
        if stack && global.renderOptions.format != .table {
            throw ValidationError("--stack is a picture for people; --json and --ndjson list the same counters without it.")
        }
    }

    func run() throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format, headings: stack) { sink in try report(into: sink) }
        try sink.flush()
    }

    /// Names each source that failed on stderr; fails only when none could be read, so one
    /// unreadable or malformed source does not hide the others (as with `metrics`).
    static func checked(_ result: DropCollection.Result, warning: Bool = true) throws -> DropCollection.Result {
        if warning { for failure in result.failures { warn("drops: \(failure.source) left out: \(failure.error)") } }
        if result.succeeded == 0 && !result.failures.isEmpty { throw CLIError("drops: no source could be read") }
        return result
    }

    func report(into sink: OutputSink) throws {
        var collection = DropCollection(sources: global.sourceOptions, proc: global.proc)
        collection.socketLimit = top
        collection.processes = processes
        let first = try Self.checked(try collection.collect())
        var rows: [DropRow]
        var denied = first.deniedProcesses
        let seconds = interval ?? 0
        var traffic = DropStackRenderer.Traffic(before: nil, after: first.throughput, seconds: 0)
        if seconds > 0 {
            let start = monotonicSeconds()
            sleep(seconds: seconds)
            // Its failures were named after the first reading.
            let second = try Self.checked(try collection.collect(), warning: false)
            let elapsed = monotonicSeconds() - start
            denied = second.deniedProcesses
            rows = DropChanges.rows(before: first.counters, after: second.counters, seconds: elapsed)
            traffic = DropStackRenderer.Traffic(before: first.throughput, after: second.throughput, seconds: elapsed)
            if !all && !stack { rows = rows.filter { $0.counter.value > 0 } }
        } else {
            rows = first.counters.filter { all || stack || $0.value > 0 }.map { DropRow(counter: $0) }
        }
        for note in first.notes { warn(note) }
        if denied > 0 { warn("\(denied) processes could not be inspected (permission denied); their sockets show no process") }
        if stack {
            DropStackRenderer.render(rows, traffic: traffic, interval: seconds > 0, to: sink, options: global.renderOptions)
        } else {
            DropRenderer.render(rows, interval: seconds > 0, to: sink, options: global.renderOptions)
        }
    }
}
