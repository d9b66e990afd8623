import ArgumentParser
import NetModel
import NetscopeKit
#if canImport(Glibc)
import Glibc
import NetAnalysis
import NetOutput
import NetRender
#endif

/// `netscope path`: how the kernel would handle one packet, step by step.
struct PathCommand: ParsableCommand, ValuesCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "How the kernel would handle a packet to DEST, step by step: rules, route, neighbour, device, socket, verdict.",
        discussion: """
            Walks the policy rules in priority order (whether each matches the flow and why \
            not, what its action gives: a table lookup, goto, nop, blackhole, unreachable, \
            prohibit, suppress_prefixlength/suppress_ifgroup), shows the FIB entry that matched \
            (RTM_GETROUTE with RTM_F_FIB_MATCH) and the kernel's resolved route for this flow \
            (ports, protocol, mark and uid included, so multipath picks what real traffic gets), \
            the next hop's neighbour entry, the egress device (state, carrier, MTU, path MTU, \
            master, root qdisc drops and backlog), for a local destination the socket that \
            receives it (the established one for the 4-tuple with --sport and --from, else the \
            listener: a specific address before the wildcard, IPV6_V6ONLY honoured, every member \
            of a SO_REUSEPORT group, with its process), and with --iif the forwarding and \
            reverse-path (rp_filter) checks. Ends with one verdict. The kernel's own answer is \
            authoritative; the rule walk explains it and says so if it ends elsewhere.
            Without --iif the packet is sent from this host (iif lo, your uid); with --iif it \
            arrives on that interface (no uid). --json: the kernel's answer with `ip -j route \
            get`'s field names at the top level, plus rules, match, neighbor, device, socket, \
            forwarding, verdict {outcome, text}, agrees and steps. --check exits 1 unless the \
            packet is delivered, sent or forwarded. Read-only; unprivileged users see \
            everything but other users' processes.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The destination address (a name only with --resolve).", valueName: "DEST"))
    var destination: String

    @Option(name: .customLong("from"), help: ArgumentHelp("Source address.", valueName: "SRC"))
    var source: String?

    @Option(name: .customLong("iif"), help: ArgumentHelp("The packet arrives on DEV (forwarded or received).", valueName: "DEV"), completion: Completions.interfaces)
    var inputInterface: String?

    @Option(name: .customLong("oif"), help: ArgumentHelp("Send through DEV.", valueName: "DEV"), completion: Completions.interfaces)
    var outputInterface: String?

    @Option(name: .customLong("vrf"), help: ArgumentHelp("Look up in VRF NAME (its device as the output interface, as `ip route get vrf` does).", valueName: "NAME"), completion: Completions.interfaces)
    var vrf: String?

    @Option(name: .customLong("mark"), help: ArgumentHelp("Firewall mark (decimal or 0x hex).", valueName: "N"))
    var mark: String?

    @Option(name: .customLong("uid"), parsing: .unconditional, help: ArgumentHelp("The sending user's uid (default: yours).", valueName: "N"))
    var uid: UInt32?

    @Option(name: .customLong("tos"), help: ArgumentHelp("TOS/DSCP byte (decimal or 0x hex).", valueName: "N"))
    var tos: String?

    @Option(name: .customLong("proto"), help: ArgumentHelp("tcp, udp, icmp, icmpv6 or a protocol number.", valueName: "PROTO"))
    var proto: String?

    @Option(name: .customLong("sport"), parsing: .unconditional, help: ArgumentHelp("Source port.", valueName: "N"))
    var sourcePort: Int?

    @Option(name: .customLong("dport"), parsing: .unconditional, help: ArgumentHelp("Destination port.", valueName: "N"))
    var destinationPort: Int?

    @Flag(name: .customLong("resolve"), help: "Resolve DEST (and SRC) as host names.")
    var resolve = false

    @Flag(name: .customLong("check"), help: "Exit 1 unless the packet is delivered, sent or forwarded.")
    var check = false

    static func number(_ text: String, _ flag: String, max: UInt32) throws -> UInt32 {
        let value = text.lowercased().hasPrefix("0x") ? UInt32(text.dropFirst(2), radix: 16) : UInt32(text)
        guard let value, value <= max else { throw ValidationError("\(flag): expected a number up to \(max), got \"\(text)\"") }
        return value
    }

    static func protocolNumber(_ text: String) throws -> UInt8 {
        switch text.lowercased() {
        case "tcp": return 6
        case "udp": return 17
        case "icmp": return 1
        case "icmpv6", "ipv6-icmp": return 58
        case "sctp": return 132
        default:
            guard let number = UInt8(text) else { throw ValidationError("--proto: expected tcp, udp, icmp, icmpv6 or a number up to 255, got \"\(text)\"") }
            return number
        }
    }

    // The work is the plain twin's (below), which the start-up parser fills directly.
    func validate() throws { try values.validate() }

    func run() throws { try values.run() }
}

extension PathCommand.Values: CommandValues {
    func address(_ text: String, _ what: String) throws -> IPAddress {
        if let address = IPAddress(text) { return address }
        guard resolve else { throw ValidationError("\(what) \"\(text)\" is not an IPv4 or IPv6 address (add --resolve to look names up)") }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(text, nil, &hints, &result) == 0, let first = result else { throw CLIError("\(what) \"\(text)\" does not resolve") }
        defer { freeaddrinfo(result) }
        let raw = UnsafeRawPointer(first.pointee.ai_addr!)
        if first.pointee.ai_family == AF_INET {
            return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin_addr) { IPAddress(bytes: $0)! }
            }
        }
        return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
            withUnsafeBytes(of: pointer.pointee.sin6_addr) { IPAddress(bytes: $0)! }
        }
    }

    func validate() throws {
        if let mark { _ = try PathCommand.number(mark, "--mark", max: UInt32.max) }
        if let tos { _ = try PathCommand.number(tos, "--tos", max: 255) }
        if let proto { _ = try PathCommand.protocolNumber(proto) }
        for (flag, port) in [("--sport", sourcePort), ("--dport", destinationPort)] {
            if let port, !(0...Int(UInt16.max)).contains(port) { throw ValidationError("\(flag) must be between 0 and 65535.") }
        }
        if vrf != nil && outputInterface != nil { throw ValidationError("--vrf and --oif cannot be combined: the VRF is the output interface.") }
    }

    func run() throws {
        try global.enterNamespace()
        var flow = PacketFlow(destination: try address(destination, "DEST"))
        if let source {
            let from = try address(source, "--from")
            guard from.family == flow.destination.family else {
                throw ValidationError("--from \(from) is \(from.family.name) but DEST \(flow.destination) is \(flow.destination.family.name)")
            }
            flow.source = from
        }
        flow.inputInterface = inputInterface
        flow.outputInterface = outputInterface ?? vrf
        flow.mark = try mark.map { try PathCommand.number($0, "--mark", max: UInt32.max) }
        flow.uid = uid
        flow.tos = try tos.map { UInt8(try PathCommand.number($0, "--tos", max: 255)) }
        flow.ipProto = try proto.map(PathCommand.protocolNumber)
        if flow.ipProto == nil && (sourcePort != nil || destinationPort != nil) { flow.ipProto = 6 }
        flow.sourcePort = sourcePort.map { UInt16($0) }
        flow.destinationPort = destinationPort.map { UInt16($0) }
        let trace = PathTrace(sources: global.sourceOptions, proc: global.proc)
        let report: PathReport
        do {
            report = try trace.trace(flow)
        } catch let error as PathTrace.UnknownInterface {
            throw CLIError(error.description)
        } catch let error as PathTrace.InterfaceDown {
            throw CLIError(error.description)
        }
        if let error = report.facts.resolvedError, !PathReport.Refusal.explained.contains(error) {
            throw CLIError("the kernel refused the lookup: \(String(cString: strerror(error)))\(inputInterface.map { " (is \($0) up?)" } ?? "")")
        }
        let sink = OutputSink()
        var options = global.renderOptions
        if options.format == .ndjson { options.format = .json }
        PathRenderer.render(report, to: sink, options: options)
        try sink.flush()
        if check && !report.outcome.isDelivery { throw ExitCode(1) }
    }
}
