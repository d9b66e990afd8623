import ArgumentParser
import NetAnalysis
import NetOutput
import NetQuery
import NetRender

extension SnapshotDiff.SocketScope: ExpressibleByArgument {}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two snapshots (or one with now): what appeared, vanished or changed, and counter deltas.",
        discussion: """
            A and B are files written by `netscope snapshot`; B may be "-" to compare A with the \
            state now (taken like a snapshot, in every namespace if A was taken with --all-netns). \
            Objects are matched by identity: links by name, addresses by interface and prefix, \
            routes by the kernel's key (family, table, destination, source, tos, metric) plus \
            their next hop and, for non-unicast routes, type (IPv6 gateway routes by the key \
            alone: the kernel merges them into one multipath route); a route replaced by another \
            under the same key is shown as changed. Neighbours by address and device, qdiscs and \
            classes by device, handle and parent (kind and options compared), sockets by \
            protocol and endpoints (a repeated identity, as in a SO_REUSEPORT group, is numbered \
            #2, #3, …). Only listening sockets are compared unless --sockets says otherwise \
            (connections come and go by themselves), and by state only; address lifetimes are \
            ignored. Counters (protocol, per-link stats64, per-qdisc, softnet) are shown as deltas, sockstat \
            values as gauge changes. `diff A -` reads the namespace A was taken in (its netns or \
            netns_pid field) unless --netns or --netns-pid names one; naming another one is an error.
            With --exit-code, exits 1 when an object appeared, vanished or changed (counters do \
            not count), like `git diff --exit-code`.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The earlier snapshot.", valueName: "A"))
    var first: String

    @Argument(help: ArgumentHelp("The later snapshot, or - for now.", valueName: "B"))
    var second: String

    @Flag(name: .customLong("exit-code"), help: "Exit with 1 when objects differ.")
    var exitCode = false

    @Option(name: .customLong("sockets"), help: ArgumentHelp("Which sockets to compare: none, listening or all.", valueName: "WHICH"))
    var sockets: SnapshotDiff.SocketScope = .listening

    func run() throws {
        let before = try load(first)
        let after: JSONValue
        if second == "-" {
            let sink = OutputSink(threshold: Int.max)
            let labelled = before["namespaces"] != nil
            var walk = NamespaceWalk()
            walk.allNamespaces = labelled
            var now = global
            if !labelled {
                let recordedName = before["netns"]?.string
                let recordedPID = before["netns_pid"]?.integer.flatMap { Int32(exactly: $0) }
                if global.netns == nil && global.netnsPID == nil {
                    now.netns = recordedName
                    now.netnsPID = recordedName == nil ? recordedPID : nil
                } else if global.netns != recordedName || (global.netnsPID != nil && global.netnsPID != recordedPID) {
                    let recorded = recordedName.map { "namespace \"\($0)\"" } ?? recordedPID.map { "the namespace of pid \($0)" } ?? "the current namespace"
                    let asked = global.netns.map { "\"\($0)\"" } ?? "pid \(global.netnsPID!)"
                    throw CLIError("\(first) was taken in \(recorded), not in \(asked): drop --netns/--netns-pid to compare with that namespace now")
                }
            }
            try SnapshotCommand.write(global: now, walk: walk, targets: try walk.targets(now), to: sink)
            after = try JSONParser.parse(sink.pendingBytes)
        } else {
            after = try load(second)
        }
        let diff = try SnapshotDiff.compare(before, after, sockets: sockets)
        let sink = OutputSink()
        DiffRenderer.render(diff, to: sink, options: global.renderOptions)
        try sink.flush()
        if exitCode && !(diff.appeared.isEmpty && diff.vanished.isEmpty && diff.changed.isEmpty) {
            throw ExitCode(1)
        }
    }

    func load(_ path: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(try readFile(path))
        } catch let error as JSONParseError {
            throw CLIError("\(path): \(error)")
        }
    }
}
