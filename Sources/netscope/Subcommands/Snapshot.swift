import ArgumentParser
import BuildInfo
import NetscopeKit
import NetOutput
import NetQuery

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write the whole state (links, addresses, routes, rules, neighbours, qdiscs, classes, sockets, counters) as one JSON document.",
        discussion: """
            The document has a schema_version and keeps the field names of the other subcommands' \
            JSON (ip -j for links, addresses, routes, rules and neighbours; tc -j for qdiscs and \
            classes; `sockets --json` for \
            sockets, with tcp_info and memory); counters are totals. Schema: docs/snapshot.md. \
            Compare two snapshots, or one with now, with `netscope diff`.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var walk: NamespaceWalk

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write to FILE (atomically: a temporary file renamed into place) instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() throws {
        let targets = try walk.targets(global)
        let file = try output.map { try AtomicFile(path: $0) }
        let sink = OutputSink(fd: file?.fd ?? 1)
        try SnapshotCommand.write(global: global, walk: walk, targets: targets, to: sink)
        try sink.flush()
        try file?.commit()
    }

    /// The document for `targets`, into `sink` (also used by `diff … -`).
    static func write(global: GlobalOptions, walk: NamespaceWalk, targets: [NamespaceTarget?], to sink: OutputSink) throws {
        let labelled = walk.allNamespaces
        var json = JSONWriter(sink)
        SnapshotWriter.begin(&json, version: BuildInfo.version, labelled: labelled)
        _ = try walk.visit(global, targets) { target in
            if labelled { json.beginObject() }
            // Without --all-netns the walk passes nil: the namespace is --netns (or the pid's).
            try SnapshotWriter.writeNamespace(
                labelled ? target?.label : global.netns, pid: labelled ? nil : global.netnsPID, container: target?.container?.label, sources: global.sourceOptions,
                proc: global.proc, into: &json)
            if labelled { json.endObject() }
        }
        SnapshotWriter.end(&json, labelled: labelled)
    }
}
