import ArgumentParser

@main
struct Netscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netscope",
        abstract: "Live state of the Linux network stack: overview, links, addresses, routes, sockets, counters, snapshots.",
        discussion: """
            Reads the kernel over netlink (rtnetlink, sock_diag) and /proc/net. Read-only.
            Every subcommand takes --netns NAME / --netns-pid PID, --json / --ndjson, --no-header and --color.
            """,
        version: "0.1.0",
        subcommands: [OverviewCommand.self, TopCommand.self, SnapshotCommand.self, DiffCommand.self, MetricsCommand.self, ServeCommand.self, Links.self, Addrs.self, Routes.self, Rules.self, Neighbors.self, Watch.self, Sockets.self, Counters.self, Stats.self],
        defaultSubcommand: OverviewCommand.self
    )
}
