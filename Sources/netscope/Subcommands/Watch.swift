import ArgumentParser
#if canImport(Glibc)
import Glibc
import NetModel
import NetOutput
import NetQuery
import NetRender
import TerminalIO
#endif

/// `netscope watch`: live changes. Without a subcommand, the rtnetlink objects (`watch
/// routes`, `watch links addrs`…); `watch sockets` follows socket lifecycles.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow changes live: routes, links, addresses, neighbours and rules (like `ip monitor`), or sockets.",
        discussion: """
            `netscope watch [KIND]…` follows rtnetlink objects (the `changes` subcommand, the \
            default); `netscope watch sockets` follows socket opens, state changes and closes.
            """,
        subcommands: [WatchChanges.self, WatchSockets.self],
        defaultSubcommand: WatchChanges.self
    )
}

struct WatchChanges: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Follow route, link, address, neighbour and rule changes live (like `ip monitor`); the default of `watch`.",
        discussion: """
            Kinds: routes, links, addrs, neigh, rules (default: all). One timestamped line per \
            event: new, changed or deleted, with the object as the list commands show it; --ndjson \
            gives {time, event, kind, resync, id, object} per line (time in RFC 3339 UTC; object \
            fields as in `ip -j`). \
            If the kernel drops notifications because the receive buffer overflowed (ENOBUFS), \
            netscope dumps the tables again and reports the differences as events marked resync, \
            so a consumer applying the events never diverges from the kernel. --initial first \
            reports the current state. SIGINT/SIGTERM end it cleanly.
            """
    )

    @OptionGroup var global: NamespaceOptions

    @Flag(name: .customLong("ndjson"), help: "Print newline-delimited JSON: one event object per line.")
    var ndjson = false

    @Option(name: .customLong("color"), help: ArgumentHelp("Color the lines: auto, always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto

    @Argument(help: ArgumentHelp("What to watch: routes, links, addrs, neigh, rules.", valueName: "KIND"))
    var kinds: [WatchKind] = []

    @Flag(name: .customLong("initial"), help: "First report the current state as `initial` events.")
    var initial = false

    @Option(name: .customLong("rcvbuf"), help: .hidden)
    var receiveBuffer: Int32 = 8 << 20

    func run() throws {
        try global.enterNamespace()
        StopSignal.install()
        let watcher = try Watcher(kinds: Set(kinds.isEmpty ? WatchKind.allCases : kinds), receiveBuffer: receiveBuffer, sources: global.sourceOptions)
        let sink = OutputSink()
        // A stream of events has no one-document form: --ndjson, or lines.
        let options = RenderOptions(format: ndjson ? .ndjson : .table, header: true, color: color.enabled())
        // The initial state is rendered in batches as it is handed over, not gathered first.
        var batch: [WatchEvent] = []
        let time = Timestamp.now()
        try watcher.start { event in
            guard initial else { return }
            batch.append(event)
            if batch.count == 4096 {
                WatchRenderer.render(batch, names: watcher.names, time: time, to: sink, options: options)
                batch.removeAll(keepingCapacity: true)
            }
        }
        WatchRenderer.render(batch, names: watcher.names, time: time, to: sink, options: options)
        try sink.flush()
        let watched = (kinds.isEmpty ? WatchKind.allCases : kinds).map(\.rawValue).joined(separator: ", ")
        var ready = "netscope: watching \(watched) (Ctrl-C to stop)\n"
        ready.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
        while !StopSignal.requested {
            let events = try watcher.poll(milliseconds: 250)
            if events.isEmpty { continue }
            WatchRenderer.render(events, names: watcher.names, time: Timestamp.now(), to: sink, options: options)
            try sink.flush()
        }
        try sink.flush()
    }
}

extension WatchKind: ExpressibleByArgument {}
