import ArgumentParser
import BuildInfo
#if canImport(Glibc)
import Glibc
#endif

@main
struct Netscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netscope",
        abstract: "Live state of the Linux network stack: overview, links, addresses, routes, sockets, counters, snapshots.",
        discussion: """
            Reads the kernel over netlink (rtnetlink, sock_diag) and /proc/net. Read-only.
            Every subcommand takes --netns NAME / --netns-pid PID, --json / --ndjson, --no-header and --color.
            """,
        version: BuildInfo.versionLine,
        subcommands: [OverviewCommand.self, TopCommand.self, SnapshotCommand.self, DiffCommand.self, MetricsCommand.self, ServeCommand.self, Links.self, Addrs.self, Routes.self, Rules.self, Neighbors.self, Qdiscs.self, Classes.self, Drops.self, PathCommand.self, Watch.self, Sockets.self, Counters.self, Stats.self, Namespaces.self],
        defaultSubcommand: OverviewCommand.self
    )

    /// Exit status of a usage mistake (EX_USAGE, as ArgumentParser uses); 1 is a kernel or
    /// runtime error (and `diff --exit-code` finding differences).
    static let usageExitCode: Int32 = 64

    /// Parses the reordered command line and runs it; every error is one line on stderr in
    /// the same style as warnings ("netscope: error: …"), help and --version go to stdout.
    static func main() {
        var path: [String] = []
        do {
            let normalized = try ArgumentOrder.normalize(Array(CommandLine.arguments.dropFirst()), root: Netscope.self)
            path = normalized.path
            var command = try leafParse(normalized) ?? parseAsRoot(normalized.arguments)
            try command.run()
        } catch let failure as UsageError {
            fail(failure.description, status: usageExitCode)
        } catch {
            let code = exitCode(for: error)
            let message = self.message(for: error)
            // Help, --version and plain exit codes (diff --exit-code): as ArgumentParser does.
            if code == .success || message.isEmpty { exit(withError: error) }
            var text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            if code.rawValue == usageExitCode || code == .validationFailure {
                text += " (see `netscope\(path.isEmpty ? "" : " " + path.joined(separator: " ")) --help`)"
            }
            fail(text, status: code.rawValue)
        }
    }

    /// Words that ArgumentParser answers itself (help, version, completion scripts, the
    /// tool-info dump): these go through the whole tree so the answer names the full path.
    static let treeWords: Set<String> = ["-h", "--help", "--version", "help"]

    /// The subcommand parsed on its own, without building the whole command tree: about a
    /// tenth of start-up. Anything it does not accept cleanly (help, errors, completion
    /// requests) returns nil and is parsed again from the root, so messages stay the same.
    static func leafParse(_ normalized: (arguments: [String], path: [String], leaf: ParsableCommand.Type)) -> ParsableCommand? {
        let own = normalized.arguments.dropFirst(normalized.path.count)
        if own.contains(where: { treeWords.contains($0) || $0.hasPrefix("--generate-completion") || $0.hasPrefix("--experimental") || $0.hasPrefix("---") }) {
            return nil
        }
        return try? normalized.leaf.parseAsRoot(Array(own))
    }

    static func fail(_ text: String, status: Int32) -> Never {
        var line = "netscope: error: " + text.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "; ") + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        Glibc.exit(status)
    }
}
