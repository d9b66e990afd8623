import ArgumentParser
import NetscopeKit

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two snapshots (or one with now): what appeared, vanished or changed, and counter deltas.",
        discussion: """
            A and B are files written by `netscope snapshot`; B may be "-" to compare A with the \
            state now (taken like a snapshot, in every namespace if A was taken with --all-netns). \
            Objects are matched by identity: links by name, addresses by interface and prefix, \
            routes by family, type, destination, table, tos and metric, neighbours by address and \
            device, sockets by protocol and endpoints. Sockets are compared by state only; address \
            lifetimes are ignored. Counters (protocol, per-link stats64, softnet) are shown as \
            deltas, sockstat values as gauge changes.
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

    func run() throws {
        let before = try load(first)
        let after: JSONValue
        if second == "-" {
            let sink = OutputSink(threshold: Int.max)
            let labelled = before["namespaces"] != nil
            var walk = NamespaceWalk()
            walk.allNamespaces = labelled
            try SnapshotCommand.write(global: global, walk: walk, targets: try walk.targets(global), to: sink)
            after = try JSONParser.parse(sink.pendingBytes)
        } else {
            after = try load(second)
        }
        let diff = try SnapshotDiff.compare(before, after)
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
