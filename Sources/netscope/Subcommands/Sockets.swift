import ArgumentParser
import NetModel
import ProcNet
import SockDiag
#if canImport(Glibc)
import Glibc
import NetOutput
import NetQuery
import NetRender
#endif

struct Sockets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sockets",
        abstract: "List sockets over sock_diag, like `ss`.",
        discussion: """
            Families: -t tcp, -u udp, -w raw, -x unix, -0 packet, --netlink, -M mptcp, -S sctp \
            (default: tcp, udp, raw, unix). Without -a or -l, listening and unconnected sockets \
            and TIME-WAIT/SYN-RECV are left out, as ss does.
            After the flags: `state NAME` (repeatable; names: \(SocketStateSet.names.joined(separator: ", "))) \
            or `exclude NAME`, applied left to right as in ss (the first `state` starts from no \
            state, the first `exclude` from all), then an ss filter expression, as words or one \
            quoted argument: sport/dport OP :PORT (OP: = != > < >= <=; PORT decimal, 0x hex, \
            leading-zero octal or a service name), src/dst ADDR[/PREFIX][:PORT] ([v6] in brackets, \
            any, inet:/inet6:/unix: prefixes; with -x alone a unix path glob), dev NAME, \
            fwmark MARK[/MASK], cgroup PATH, autobound, joined with and/or/not and parentheses. \
            Inet filters are compiled to inet_diag bytecode and run in the kernel; other families \
            are filtered here with the same expression. An address condition checks the family \
            first, as the kernel does (src ::/0 is IPv6 only).
            --json objects: netid, family, protocol, state, queues {recv, send}, local and peer \
            {address, port, interface | path, inode}, uid, inode, cookie, cgroup_id, timer, memory, \
            congestion, tcp_info {...}, processes [{pid, comm, fd}] (docs/sockets.md).
            """,
        aliases: ["ss", "socket"]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var walk: NamespaceWalk

    @Flag(name: [.customShort("t"), .customLong("tcp")], help: "TCP sockets.") var tcp = false
    @Flag(name: [.customShort("u"), .customLong("udp")], help: "UDP sockets.") var udp = false
    @Flag(name: [.customShort("w"), .customLong("raw")], help: "RAW sockets.") var raw = false
    @Flag(name: [.customShort("x"), .customLong("unix")], help: "UNIX sockets.") var unix = false
    @Flag(name: [.customShort("0"), .customLong("packet")], help: "PACKET sockets.") var packet = false
    @Flag(name: .customLong("netlink"), help: "NETLINK sockets.") var netlink = false
    @Flag(name: [.customShort("M"), .customLong("mptcp")], help: "MPTCP sockets.") var mptcp = false
    @Flag(name: [.customShort("S"), .customLong("sctp")], help: "SCTP sockets.") var sctp = false
    @Flag(name: .customShort("4"), help: "IPv4 only.") var ipv4 = false
    @Flag(name: .customShort("6"), help: "IPv6 only.") var ipv6 = false
    @Flag(name: [.customShort("a"), .customLong("all")], help: "All states, listening and unconnected included.") var all = false
    @Flag(name: [.customShort("l"), .customLong("listening")], help: "Only listening (and unconnected) sockets.") var listening = false
    @Flag(name: [.customShort("n"), .customLong("numeric")], help: "Accepted for ss compatibility: names are never resolved.") var numeric = false
    @Flag(name: .customShort("H"), help: "Leave out the header (same as --no-header).") var noHeaderShort = false
    @Flag(name: [.customShort("e"), .customLong("extended")], help: "uid, inode, cookie, cgroup.") var extended = false
    @Flag(name: [.customShort("m"), .customLong("memory")], help: "Socket memory (skmem).") var memory = false
    @Flag(name: [.customShort("i"), .customLong("info")], help: "TCP internals (tcp_info, congestion control).") var info = false
    @Flag(name: [.customShort("o"), .customLong("options")], help: "Timers.") var timers = false
    @Flag(name: [.customShort("p"), .customLong("processes")], help: "Processes holding each socket.") var processes = false
    @Flag(name: [.customShort("s"), .customLong("summary")], help: "Summary from /proc/net/sockstat and snmp.") var summary = false

    @Option(name: .customShort("N"), help: ArgumentHelp("Same as --netns NAME (ss's -N).", valueName: "NAME"), completion: Completions.namespaces)
    var netnsShort: String?

    @Option(name: .customLong("sort"), help: ArgumentHelp("Sort by: \(SocketSortKey.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "KEY"))
    var sort: SocketSortKey?

    @Option(name: .customLong("source"), help: ArgumentHelp("Where to read sockets: auto (sock_diag, /proc where it is missing), netlink, proc.", valueName: "SOURCE"))
    var source: SocketSource = .auto

    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("[state NAME]… [exclude NAME]… [FILTER EXPRESSION]", valueName: "FILTER"),
        completion: Completions.socketFilter)
    var words: [String] = []

    func validate() throws {
        if netnsShort != nil && (global.netns != nil || global.netnsPID != nil) {
            throw ValidationError("-N cannot be combined with --netns or --netns-pid.")
        }
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 cannot be combined.") }
        if all && listening { throw ValidationError("-a and -l cannot be combined.") }
    }

    /// The `state`/`exclude` words and the filter expression (see SocketWords).
    func stateAndFilter(context: FilterParser.Context = .any, protocols: Set<SocketProtocol>) throws -> (SocketStateSet, SocketFilter?) {
        try SocketWords.statesAndFilter(
            words, initial: all ? .all : listening ? .listening : .defaultView, fallback: .defaultView, context: context, protocols: protocols)
    }

    func run() throws {
        var global = self.global
        if let netnsShort { global.netns = netnsShort }
        let sink = OutputSink()
        try walk.each(global, sink: sink, format: global.format, headings: summary) { sink in try list(global, into: sink) }
        try sink.flush()
    }

    /// The sockets of the namespace the walk is in.
    func list(_ global: GlobalOptions, into sink: OutputSink) throws {
        // One SourceOptions for the whole run: a replay must serve both connections from one file.
        let sources = global.sourceOptions
        var options = global.renderOptions
        if noHeaderShort { options.header = false }
        let proc = global.proc
        if summary {
            let query = ProcQuery(root: proc)
            SocketSummary.render(statistics: try query.socketStatistics(), counters: try query.protocolCounters(), to: sink, options: options)
            return
        }
        var protocols = Set<SocketProtocol>()
        if tcp { protocols.insert(.tcp) }
        if udp { protocols.insert(.udp) }
        if raw { protocols.insert(.raw) }
        if unix { protocols.formUnion([.unixStream, .unixDatagram, .unixSequential]) }
        if packet { protocols.formUnion([.packetRaw, .packetDatagram]) }
        if netlink { protocols.insert(.netlink) }
        if mptcp { protocols.insert(.mptcp) }
        if sctp { protocols.insert(.sctp) }
        if protocols.isEmpty { protocols = [.tcp, .udp, .raw, .unixStream, .unixDatagram, .unixSequential] }
        let unixOnly = protocols.allSatisfy(\.isUnix)
        var (states, filter) = try stateAndFilter(context: unixOnly ? .unixOnly : .any, protocols: protocols)
        // Interface names, for `dev NAME` and for bound devices and packet sockets: one link
        // dump, a millisecond even with hundreds of interfaces.
        let links = try LinkQuery(connection: try sources.connection(.route)).interfaces()
        let names = InterfaceNames(links)
        if let current = filter { filter = try SocketWords.resolve(current, proc: proc, links: links) }
        var request = SocketRequest(protocols: protocols, states: states)
        request.ipv4 = !ipv6
        request.ipv6 = !ipv4
        request.filter = filter
        request.tcpInfo = info || sort?.needsTCPInfo == true
        request.memory = memory
        request.source = source
        let query = SocketQuery(sources: sources, proc: proc)
        var details = SocketDetails()
        details.extended = extended
        details.timers = timers
        details.memory = memory
        details.info = info
        details.processes = processes
        let kinds = Set(protocols.map { $0.isUnix ? "unix" : $0.isPacket ? "packet" : $0.rawValue })
        details.showNetid = kinds.count > 1
        let explicit = tcp || udp || raw || unix || packet || netlink || mptcp || sctp

        // Streaming (nothing kept per socket but its output) unless sorting. With -p the
        // sockets are dumped twice: first their inodes only, then, once /proc has been
        // scanned for those inodes, again to print with their owners; so what is held is the
        // shown sockets' inodes and owners, not their rows. A socket opened between the two
        // dumps shows no process, as one whose process exited between dump and scan does.
        if sort == nil {
            var owners = SocketOwnerMap()
            if processes {
                var wanted = Set<UInt64>()
                _ = try query.run(request) { SocketOwnerMap.inodes(of: $0, into: &wanted) }
                owners = scanProcesses(wanted, proc: proc)
            }
            func withOwners(_ socket: Socket) -> Socket {
                guard processes else { return socket }
                var socket = socket
                owners.fill(&socket)
                return socket
            }
            if options.format == .table {
                var writer = SocketTableWriter(details: details, names: names, sink: sink, options: options)
                let notes = try query.run(request) { writer.add(withOwners($0)) }
                writer.finish()
                report(notes, explicit: explicit)
            } else {
                var writer = SocketJSONWriter(sink: sink, lines: options.format == .ndjson, names: names)
                let notes = try query.run(request) { writer.add(withOwners($0)) }
                writer.finish()
                report(notes, explicit: explicit)
            }
            return
        }

        var result = try query.collect(request)
        if processes {
            var wanted = Set<UInt64>()
            for socket in result.sockets { SocketOwnerMap.inodes(of: socket, into: &wanted) }
            let owners = scanProcesses(wanted, proc: proc)
            for index in result.sockets.indices { owners.fill(&result.sockets[index]) }
        }
        if let sort { sort.sort(&result.sockets) }
        if options.format == .table {
            var writer = SocketTableWriter(
                details: details, names: names, sink: sink, options: options, expectedRows: result.sockets.count)
            for socket in result.sockets { writer.add(socket) }
            writer.finish()
        } else {
            var writer = SocketJSONWriter(sink: sink, lines: options.format == .ndjson, names: names)
            for socket in result.sockets { writer.add(socket) }
            writer.finish()
        }
        report(result.notes, explicit: explicit)
    }

    /// One pass over /proc/*/fd for these inodes; a permission gap is reported once.
    func scanProcesses(_ inodes: Set<UInt64>, proc: ProcRoot) -> SocketOwnerMap {
        let scan = ProcessScanner(root: proc).scan(inodes: inodes)
        if scan.deniedProcesses > 0 {
            warn("\(scan.deniedProcesses) processes could not be inspected (permission denied); their sockets show no process")
        }
        return scan.owners
    }

    /// Fallbacks and unsupported families are worth a line only when the user asked for that
    /// family by name; the default set quietly shows what the kernel has.
    func report(_ notes: [String], explicit: Bool) {
        guard explicit else { return }
        for note in notes { warn(note) }
    }
}

extension SocketSortKey: ExpressibleByArgument {}
extension SocketSource: ExpressibleByArgument {}
