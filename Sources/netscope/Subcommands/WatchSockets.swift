import ArgumentParser
import NetModel
import SockDiag
#if canImport(Glibc)
import Glibc
import NetOutput
import NetQuery
import NetRender
import TerminalIO
#endif

/// `netscope watch sockets`: socket lifecycles, with closes from the kernel's destroy groups.
struct WatchSockets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sockets",
        abstract: "Follow TCP and UDP sockets live: opened, state changes, and closes with their final tcp_info.",
        discussion: """
            Closes come from the sock_diag destroy multicast groups: the kernel announces every \
            destroyed TCP and UDP socket with its final state (tcp_info: bytes_acked, \
            bytes_received, retransmits, rtt…), however short its life; no privilege is needed. \
            Opens and state changes come from dumps every --interval, diffed by socket cookie \
            (the event id). A close is matched to what the dumps saw: its `age` is bounded by \
            them (age_min_ms from the first dump that saw it, age_max_ms from the dump before; \
            `<` when no dump saw it, `>` when it was there at the start); -p names the process \
            even after it exited. \
            States: every full socket (TIME-WAIT and SYN-RECV are mini-sockets the kernel does \
            not announce); -l, or `state`/`exclude` words as in `sockets`, narrow it; the dumps \
            also follow watched sockets into the states they move on to, so a close reports the \
            state it was really last seen in. A close is reported for a socket that was ever in \
            a watched state; one never seen counts as established \
            when it had a peer, else as unconnected. The filter expression is the one of \
            `sockets` (run in the kernel for dumps, here for closes; `cgroup` cannot match a \
            close, which carries no cgroup). \
            When the kernel drops close notifications (the receive buffer was full), a `lost` \
            event says how many (from the socket's drop counter); the exit summary repeats it. \
            --ndjson objects: {time, event, id, last_state, age_min_ms, age_max_ms, lost, object} with \
            `object` as in `sockets --json` (docs/socket-events.md). SIGINT/SIGTERM end it \
            with a summary on stderr.
            """
    )

    @OptionGroup var global: NamespaceOptions

    @Flag(name: [.customShort("t"), .customLong("tcp")], help: "TCP sockets.") var tcp = false
    @Flag(name: [.customShort("u"), .customLong("udp")], help: "UDP sockets.") var udp = false
    @Flag(name: .customShort("4"), help: "IPv4 only.") var ipv4 = false
    @Flag(name: .customShort("6"), help: "IPv6 only.") var ipv6 = false
    @Flag(name: [.customShort("l"), .customLong("listening")], help: "Only listening (and unconnected) sockets.") var listening = false
    @Flag(name: [.customShort("n"), .customLong("numeric")], help: "Accepted for ss compatibility: names are never resolved.") var numeric = false
    @Flag(name: [.customShort("p"), .customLong("processes")], help: "The process holding each socket (kept for its close).") var processes = false
    @Flag(name: [.customShort("i"), .customLong("info")], help: "tcp_info on opened and state events too (closes always have it).") var info = false

    @Option(name: .customShort("N"), help: ArgumentHelp("Same as --netns NAME (ss's -N).", valueName: "NAME"), completion: Completions.namespaces)
    var netnsShort: String?

    @Flag(name: .customLong("ndjson"), help: "Print newline-delimited JSON: one event object per line.")
    var ndjson = false

    @Option(name: .customLong("color"), help: ArgumentHelp("Color the lines: auto, always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto

    @Flag(name: .customLong("initial"), help: "First report the sockets that exist as `initial` events.")
    var initial = false

    @Option(name: .customLong("interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between the dumps that find opens and state changes.", valueName: "SECS"))
    var interval: Double = 1

    @Option(
        name: .customLong("rcvbuf"),
        help: ArgumentHelp("Receive buffer for close notifications, in bytes (past net.core.rmem_max only with CAP_NET_ADMIN).", valueName: "BYTES"))
    var receiveBuffer: Int32 = 8 << 20

    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("[state NAME]… [exclude NAME]… [FILTER EXPRESSION]", valueName: "FILTER"),
        completion: Completions.socketFilter)
    var words: [String] = []

    func validate() throws {
        if netnsShort != nil && (global.netns != nil || global.netnsPID != nil) {
            throw ValidationError("-N cannot be combined with --netns or --netns-pid.")
        }
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 cannot be combined.") }
        guard interval >= IntervalOptions.shortest && interval <= IntervalOptions.longest else {
            throw ValidationError("--interval must be between \(IntervalOptions.shortest) and \(Int(IntervalOptions.longest)) seconds.")
        }
        guard receiveBuffer >= 1024 else { throw ValidationError("--rcvbuf must be at least 1024 bytes.") }
    }

    func run() throws {
        var global = self.global
        if let netnsShort { global.netns = netnsShort }
        try global.enterNamespace()
        StopSignal.install()
        let proc = global.proc
        let sources = global.sourceOptions
        let links = try LinkQuery(connection: try sources.connection(.route)).interfaces()
        let names = InterfaceNames(links)

        var (states, filter) = try SocketWords.statesAndFilter(
            words, initial: listening ? .listening : .big, all: .big, fallback: .big, context: .any,
            protocols: tcp || udp ? Set([tcp ? .tcp : nil, udp ? .udp : nil].compactMap { $0 }) : [.tcp, .udp])
        if !states.isDisjoint(with: .bucket) {
            states.subtract(.bucket)
            warn("TIME-WAIT and SYN-RECV are left out: the kernel announces no close for these mini-sockets")
            guard !states.isEmpty else { throw CLIError("no state left to watch") }
        }
        if let current = filter { filter = try SocketWords.resolve(current, proc: proc, links: links) }
        var request = SocketWatchRequest(protocols: tcp || udp ? Set([tcp ? .tcp : nil, udp ? .udp : nil].compactMap { $0 }) : [.tcp, .udp], states: states)
        request.ipv4 = !ipv6
        request.ipv6 = !ipv4
        request.filter = filter
        request.tcpInfo = info
        request.processes = processes

        let watcher = try SocketWatcher(request: request, receiveBuffer: receiveBuffer, sources: sources, proc: proc)
        for note in watcher.notes { warn(note) }
        let sink = OutputSink()
        // A stream of events has no one-document form: --ndjson, or lines.
        let options = RenderOptions(format: ndjson ? .ndjson : .table, header: true, color: color.enabled())
        var tally = SocketEventTally()
        let ephemeral = ProcQuery(root: proc).ephemeralPorts()
        func emit(_ events: [SocketEvent]) throws {
            guard !events.isEmpty else { return }
            for event in events {
                tally.add(event, listeningPorts: watcher.listeningPorts, ephemeral: ephemeral)
                // On a terminal the line says it; a machine stream also gets it on stderr.
                if event.kind == .lost && ndjson { warn(SocketEventRenderer.lossText(event)) }
            }
            SocketEventRenderer.render(events, names: names, time: Timestamp.now(), to: sink, options: options)
            try sink.flush()
        }

        let start = try watcher.start()
        if initial { try emit(start) }
        if processes && watcher.deniedProcesses > 0 {
            warn("\(watcher.deniedProcesses) processes could not be inspected (permission denied): -p names only the processes you may read")
        }
        var ready = "netscope: watching sockets (Ctrl-C to stop)\n"
        ready.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
        var nextDump = monotonicSeconds() + interval
        while !StopSignal.requested {
            let wait = max(0, min(250, Int32((nextDump - monotonicSeconds()) * 1000)))
            try emit(try watcher.poll(milliseconds: wait))
            if monotonicSeconds() >= nextDump {
                try emit(try watcher.rescan())
                // Never a burst of catch-up dumps after a slow one.
                nextDump = max(nextDump + interval, monotonicSeconds())
            }
        }
        try emit(try watcher.finish())
        var summary = SocketEventRenderer.summary(tally)
        summary.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
