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
            var command = try parseAsRoot(normalized.arguments)
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

    static func fail(_ text: String, status: Int32) -> Never {
        var line = "netscope: error: " + text.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "; ") + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        Glibc.exit(status)
    }
}
