import ArgumentParser
import NetModel
import NetOutput
import NetQuery
import NetRender

struct Classes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes",
        abstract: "List traffic classes with their statistics (like `tc -s class show`).",
        discussion: """
            The classes of every interface (RTM_GETTCLASS, asked device by device as the kernel \
            requires): interface, kind, class id, parent, leaf qdisc, bytes, packets, drops, \
            overlimits, requeues, backlog, queue length, and for htb the priority, rate, ceil, burst \
            and cburst; --json adds htb's lended, borrowed, giants, tokens and ctokens. --json has \
            the keys of tc's class JSON (statistics under "stats").
            """,
        aliases: ["class"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var words: TrafficControlSelection

    func run() throws {
        try global.enterNamespace()
        let connection = try global.sourceOptions.connection(.route)
        let links = try LinkQuery(connection: connection).interfaces()
        try words.check(links)
        let filter = words.filter
        let classes = try TrafficControlQuery(connection: connection).classes(interfaces: links.filter(filter.matches).map(\.index))
        let sink = OutputSink()
        TrafficControlRenderer.render(classes, names: InterfaceNames(links), to: sink, options: global.renderOptions)
        try sink.flush()
    }
}
