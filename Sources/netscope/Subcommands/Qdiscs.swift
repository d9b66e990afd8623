import ArgumentParser
import NetModel
import Netlink
import NetOutput
import NetQuery
import NetRender

/// `tc`'s words: `dev NAME` (the word "dev" is optional) selects interfaces; `root`,
/// `ingress`, `parent ID`, `handle ID` (qdiscs) and `classid ID` (classes) select objects,
/// as `tc qdisc show dev NAME root` and `tc class show dev NAME classid 1:10` do.
struct TrafficControlSelection: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "[dev] NAME… [root|ingress|parent ID|handle ID|classid ID]: interfaces by name or glob (e.g. 'veth*') and objects by id, as `tc … show`.",
            valueName: "WORD"),
        completion: Completions.interfaces)
    var words: [String] = []

    /// What the words select.
    struct Parsed: Equatable {
        var names: [String] = []
        var parent: UInt32?
        var handle: UInt32?
        var classID: UInt32?
    }

    var names: [String] { (try? Self.parse(words))?.names ?? [] }

    mutating func validate() throws { _ = try Self.parse(words) }

    static func parse(_ words: [String]) throws -> Parsed {
        var parsed = Parsed()
        var index = 0
        func value(_ keyword: String) throws -> String {
            index += 1
            guard index < words.count else { throw ValidationError("\(keyword) needs a value, as in `\(keyword) \(keyword == "dev" ? "eth0" : "1:10")`.") }
            return words[index]
        }
        func id(_ keyword: String, qdisc: Bool) throws -> UInt32 {
            let text = try value(keyword)
            guard let handle = TrafficControlHandle.parse(text, qdisc: qdisc) else {
                throw ValidationError("\(keyword) \(text): not a tc handle (MAJ:MIN in hex, MAJ:, root, none).")
            }
            return handle
        }
        while index < words.count {
            switch words[index] {
            case "dev": parsed.names.append(try value("dev"))
            case "root": parsed.parent = TrafficControlObject.rootHandle
            case "ingress", "clsact": parsed.parent = TrafficControlObject.ingressHandle
            case "parent": parsed.parent = try id("parent", qdisc: false)
            case "handle": parsed.handle = try id("handle", qdisc: true)
            case "classid": parsed.classID = try id("classid", qdisc: false)
            default: parsed.names.append(words[index])
            }
            index += 1
        }
        return parsed
    }

    /// Keeps the objects the id words select.
    func select(_ objects: [TrafficControlObject]) -> [TrafficControlObject] {
        guard let parsed = try? Self.parse(words) else { return objects }
        return objects.filter { object in
            // For classes, tc's `parent` asks the kernel for the classes of the qdisc with that
            // major (tc_dump_tclass_qdisc compares TC_H_MAJ), the class itself included.
            let parentMatches = parsed.parent.map { parent in
                object.role == .trafficClass && parent != TrafficControlObject.rootHandle
                    ? object.handle >> 16 == parent >> 16 : object.parent == parent
            } ?? true
            return parentMatches && (parsed.handle.map { object.handle == $0 } ?? true) && (parsed.classID.map { object.handle == $0 } ?? true)
        }
    }

    /// Whether every interface is wanted, or one named exactly: then the names of the few
    /// devices shown are looked up alone (SIOCGIFNAME) instead of dumping every link. Globs,
    /// several names and recorded runs (whose captures hold the link dump) dump the links.
    func needsLinkDump(_ sources: SourceOptions) -> Bool {
        sources.isRecorded || names.count > 1
            || names.contains { $0.contains(where: { "*?[".contains($0) }) }
    }

    /// The interfaces chosen, and the names to print: from a link dump, or looked up.
    /// nil: every interface. An exact name that matches nothing is an error, as for `links`.
    func resolve(_ sources: SourceOptions, connection: NetlinkConnection, strict: Bool = true) throws -> (chosen: Set<Int32>?, names: InterfaceNames, lookup: Bool) {
        // Across namespaces a named device need not exist in each: those show nothing.
        if needsLinkDump(sources) || !strict {
            let links = try LinkQuery(connection: connection).interfaces()
            if strict { try InterfaceSelection.check(names, links) }
            let filter = InterfaceFilter(patterns: names, upOnly: false)
            return (names.isEmpty ? nil : Set(links.filter(filter.matches).map(\.index)), InterfaceNames(links), false)
        }
        guard let name = names.first else { return (nil, InterfaceNames(names: [:]), true) }
        guard let index = InterfaceLookup.index(of: name) else {
            throw CLIError("no interface \"\(name)\" (`netscope links` lists them)")
        }
        return ([index], InterfaceNames(names: [index: name]), false)
    }

    /// What `qdiscs` and `classes` share: enter the namespace, settle which interfaces, ask
    /// `fetch` for the objects, name their devices and render them.
    func show(
        _ global: GlobalOptions, walk: NamespaceWalk, role: TrafficControlObject.Role,
        fetch: (TrafficControlQuery, Set<Int32>?) throws -> [TrafficControlObject]
    ) throws {
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format) { sink in
            let connection = try global.sourceOptions.connection(.route)
            let (chosen, known, lookup) = try resolve(global.sourceOptions, connection: connection, strict: !walk.allNamespaces)
            let objects = select(try fetch(TrafficControlQuery(connection: connection), chosen))
            let names = lookup ? InterfaceLookup.names(objects.map(\.interfaceIndex)) : known
            TrafficControlRenderer.render(objects, role: role, names: names, to: sink, options: global.renderOptions)
        }
        try sink.flush()
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
    @OptionGroup var walk: NamespaceWalk

    func run() throws {
        try words.show(global, walk: walk, role: .qdisc) { query, chosen in
            let qdiscs = try query.qdiscs(interface: chosen?.count == 1 ? chosen?.first : nil)
            guard let chosen else { return qdiscs }
            return qdiscs.filter { chosen.contains($0.interfaceIndex) }
        }
    }
}
