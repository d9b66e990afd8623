import ArgumentParser
import NetModel
import NetOutput
import NetQuery
import NetRender

/// `tc`'s words: `dev NAME` (the word "dev" is optional) selects interfaces.
struct TrafficControlSelection: ParsableArguments {
    @Argument(
        help: ArgumentHelp("[dev] NAME…: interfaces by name or glob (e.g. 'veth*'), as `tc … show dev NAME`.", valueName: "NAME"),
        completion: Completions.interfaces)
    var words: [String] = []

    var names: [String] { words.filter { $0 != "dev" } }
    var filter: InterfaceFilter { InterfaceFilter(patterns: names, upOnly: false) }

    /// Unknown exact names are an error, as for `links`.
    func check(_ interfaces: [Interface]) throws { try InterfaceSelection.check(names, interfaces) }

    /// The one interface named exactly, which the kernel can be asked about alone.
    func single(_ interfaces: [Interface]) -> Int32? {
        names.count == 1 && !names[0].contains(where: { "*?[".contains($0) }) ? interfaces.named(names[0])?.index : nil
    }
}

struct Qdiscs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qdiscs",
        abstract: "List queueing disciplines with their statistics (like `tc -s qdisc show`).",
        discussion: """
            Every qdisc of every interface, child qdiscs included (RTM_GETQDISC): interface, kind, \
            handle, parent, bytes and packets sent, drops, overlimits, requeues, backlog (bytes) and \
            queue length (packets) now, and the options of htb, tbf, pfifo, bfifo, pfifo_fast/prio, mq, \
            clsact, ingress and fq_codel (other kinds: the size of their undecoded options). A rate \
            estimator's bits and packets per second show as "est". --json has the keys of \
            `tc -s -j qdisc show` (plus options_raw for kinds not decoded).
            """,
        aliases: ["qdisc"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var words: TrafficControlSelection

    func run() throws {
        try global.enterNamespace()
        let connection = try global.sourceOptions.connection(.route)
        let links = try LinkQuery(connection: connection).interfaces()
        try words.check(links)
        let filter = words.filter
        let chosen = Set(links.filter(filter.matches).map(\.index))
        let qdiscs = try TrafficControlQuery(connection: connection).qdiscs(interface: words.single(links))
        let sink = OutputSink()
        TrafficControlRenderer.render(qdiscs.filter { chosen.contains($0.interfaceIndex) }, names: InterfaceNames(links), to: sink, options: global.renderOptions)
        try sink.flush()
    }
}
