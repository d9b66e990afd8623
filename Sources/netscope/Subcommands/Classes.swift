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
            requires, for the devices whose qdiscs have classes): interface, kind, class id, parent, \
            leaf qdisc, bytes, packets, drops, overlimits, requeues, backlog, queue length, and for \
            htb the priority, rate, ceil, burst and cburst; --json adds htb's lended, borrowed, \
            giants, tokens and ctokens. --json has the keys of tc's class JSON (statistics under "stats").
            """,
        aliases: ["class"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var words: TrafficControlSelection
    @OptionGroup var walk: NamespaceWalk

    func run() throws {
        try words.show(global, walk: walk, role: .trafficClass) { query, chosen in
            // Only devices with a classful qdisc have classes: ask the qdisc dump which those are.
            var devices = Set(try query.qdiscs().filter { TrafficControlQuery.classful.contains($0.kind) }.map(\.interfaceIndex))
            if let chosen { devices.formIntersection(chosen) }
            return try query.classes(interfaces: devices.sorted())
        }
    }
}
