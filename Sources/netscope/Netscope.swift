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
            // The version alone is answered before anything else (read from argv, not through
            // CommandLine.arguments and the command's configuration, whose first use costs
            // a fifth of a millisecond): what scripts and package checks run most, the same
            // line ArgumentParser prints.
            if CommandLine.argc == 2, let word = CommandLine.unsafeArgv[1], strcmp(word, "--version") == 0 {
                var line = BuildInfo.versionLine + "\n"
                line.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
                return
            }
            // From argv directly: CommandLine.arguments's first reading costs more.
            var arguments: [String] = []
            arguments.reserveCapacity(Int(CommandLine.argc))
            for index in 1..<max(1, Int(CommandLine.argc)) { arguments.append(CommandLine.unsafeArgv[index].map { String(cString: $0) } ?? "") }
            let normalized = try ArgumentOrder.normalize(arguments, root: Netscope.self)
            path = normalized.path
            if let quick = quickParse(normalized) {
                try quick.run()
            } else {
                var command = try parseAsRoot(normalized.arguments)
                try command.run()
            }
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
    static let treeWords = ["-h", "--help", "--version", "help"]

    /// The subcommand parsed without building the whole command tree: first by the start-up
    /// parser (CommandTable, the plain command lines), then by ArgumentParser on the
    /// subcommand alone. Anything neither accepts cleanly (help, errors, completion requests)
    /// returns nil and is parsed again from the root, so messages stay the same.
    static func quickParse(_ normalized: ArgumentOrder.Line) -> QuickCommand? {
        let own = normalized.own
        if own.contains(where: { treeWords.contains($0) || $0.hasPrefix("--generate-completion") || $0.hasPrefix("--experimental") || $0.hasPrefix("---") }) {
            return nil
        }
        // NETSCOPE_PARSER=argument-parser: ArgumentParser parses every line (for comparison).
        if getenv("NETSCOPE_PARSER").map({ String(cString: $0) }) != "argument-parser",
           let command = CommandTable.parse(own, path: normalized.path) {
            return command
        }
        return (try? normalized.leaf.parseAsRoot(Array(own))).map(QuickCommand.command)
    }

    static func fail(_ text: String, status: Int32) -> Never {
        var line = "netscope: error: " + text.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "; ") + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        Glibc.exit(status)
    }
}
