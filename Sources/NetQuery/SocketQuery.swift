import RouteNetlink
import NetModel
import Netlink
import ProcNet
import SockDiag

/// Where socket lists come from: sock_diag, /proc/net tables, or sock_diag with a /proc
/// fallback for families the kernel cannot dump (`--source`).
package enum SocketSource: String, Sendable, CaseIterable {
    case auto, netlink, proc
}

/// What `netscope sockets` asks for.
package struct SocketRequest: Sendable {
    package var protocols: Set<SocketProtocol>
    package var ipv4 = true
    package var ipv6 = true
    package var states: SocketStateSet
    package var filter: SocketFilter?
    package var tcpInfo = false
    package var memory = false
    package var source: SocketSource = .auto

    package init(protocols: Set<SocketProtocol>, states: SocketStateSet) {
        self.protocols = protocols
        self.states = states
    }
}

/// Collected sockets, plus notes for the user (a family the kernel does not support, a fallback).
package struct SocketResult: Sendable {
    package var sockets: [Socket] = []
    package var notes: [String] = []
}

/// Streams sockets out of sock_diag (or /proc) one at a time: nothing is kept unless the
/// consumer keeps it, so listing 100k sockets needs memory for the output only.
package struct SocketQuery {
    package let sources: SourceOptions
    package let proc: ProcRoot

    package init(sources: SourceOptions, proc: ProcRoot) {
        self.sources = sources
        self.proc = proc
    }

    /// All matching sockets in one array (for sorting and process attribution).
    package func collect(_ request: SocketRequest) throws -> SocketResult {
        var result = SocketResult()
        result.notes = try run(request) { result.sockets.append($0) }
        return result
    }

    /// Calls `each` for every matching socket in a fixed order (tcp, udp, raw, mptcp, sctp:
    /// IPv4 then IPv6, except live TCP of both families, which comes in the kernel's hash
    /// order; unix; packet; netlink) and returns notes for the user.
    package func run(_ request: SocketRequest, each: (Socket) throws -> Void) throws -> [String] {
        var notes: [String] = []
        var connection: NetlinkConnection?
        func diag() throws -> NetlinkConnection {
            if let connection { return connection }
            let opened = try sources.connection(.sockDiag)
            connection = opened
            return opened
        }
        // The kernel filters inet sockets when the whole expression compiles to bytecode;
        // otherwise (a unix path in it) every family is filtered here.
        var bytecode: [UInt8]?
        if let filter = request.filter { bytecode = try? FilterCompiler.compile(filter) }
        let userFilter: SocketFilter? = request.filter
        // Some conditions are checked again here after the kernel's bytecode, as ss does.
        let recheck = request.filter?.needsUserSpaceRecheck ?? false
        var extensions: SockDiagRequests.Extensions = []
        if request.tcpInfo { extensions.formUnion([.info, .congestion, .shutdown]) }
        if request.memory { extensions.insert(.skMemInfo) }
        // sock_diag dumps are not marked NLM_F_DUMP_INTR by the kernel; if one ever is, the
        // sockets streamed so far cannot be taken back, so say so instead of repeating them.
        let interrupted = {
            throw NetlinkError(kind: .interrupted, operation: "sock_diag dump",
                               message: "the socket dump was interrupted; run again")
        }

        // TCP of both families in one dump (see tcpBothFamilies): one walk of the host-wide
        // hash tables instead of two. Recorded runs keep the per-family requests their
        // captures hold.
        var tcpDone = false
        if request.protocols.contains(.tcp) && request.ipv4 && request.ipv6 && request.source != .proc && !sources.isRecorded {
            var emitted = 0
            do {
                let message = SockDiagRequests.tcpBothFamilies(states: request.states, extensions: extensions, bytecode: bytecode)
                try diag().dump(message, restart: interrupted) { reply in
                    let socket = try SockDiagDecoder.inet(reply, proto: .tcp)
                    if bytecode == nil || recheck, let filter = userFilter, !FilterEvaluator.matches(filter, socket) { return }
                    emitted += 1
                    try each(socket)
                }
                tcpDone = true
            } catch let error as NetlinkError where error.kind == .kernel && emitted == 0 {
                // A kernel without the old request: ask per family below.
            }
        }

        for proto in [SocketProtocol.tcp, .udp, .raw, .mptcp, .sctp] where request.protocols.contains(proto) {
            if proto == .tcp && tcpDone { continue }
            for family in [AddressFamily.inet, .inet6] where family == .inet ? request.ipv4 : request.ipv6 {
                if request.source == .proc {
                    try fromProc(proto: proto, family: family, request: request, each: each)
                    continue
                }
                var emitted = 0
                do {
                    let message = SockDiagRequests.inet(
                        family: family, proto: proto, states: request.states, extensions: extensions, bytecode: bytecode)
                    try diag().dump(message, restart: interrupted) { reply in
                        let socket = try SockDiagDecoder.inet(reply, proto: proto)
                        if bytecode == nil || recheck, let filter = userFilter, !FilterEvaluator.matches(filter, socket) { return }
                        emitted += 1
                        try each(socket)
                    }
                } catch let error as NetlinkError where error.kind == .kernel && emitted == 0 && Self.unsupported(error.errno) {
                    let name = "\(proto.rawValue)\(family == .inet6 ? "6" : "")"
                    if request.source == .auto, [.tcp, .udp, .raw].contains(proto) {
                        notes.append("\(name): sock_diag not available (\(NetlinkError.errnoText(error.errno))); read /proc/net instead")
                        try fromProc(proto: proto, family: family, request: request, each: each)
                    } else if family == .inet || !request.ipv4 {
                        notes.append("\(proto.rawValue): not supported by this kernel (\(NetlinkError.errnoText(error.errno)))")
                    }
                }
            }
        }

        if request.protocols.contains(where: \.isUnix) {
            if request.source == .proc {
                try unixFromProc(request: request, each: each)
            } else {
                try diag().dump(SockDiagRequests.unix(states: request.states, memory: request.memory), restart: interrupted) { reply in
                    let socket = try SockDiagDecoder.unix(reply)
                    guard request.protocols.contains(socket.proto) else { return }
                    if let filter = userFilter, !FilterEvaluator.matches(filter, socket) { return }
                    try each(socket)
                }
            }
        }

        // Packet and netlink sockets have no connection state: they show as UNCONN.
        for (wanted, message, name) in [
            (request.protocols.contains(where: \.isPacket), SockDiagRequests.packet(), "packet"),
            (request.protocols.contains(.netlink), SockDiagRequests.netlink(), "netlink"),
        ] where wanted && request.states.contains(.close) {
            do {
                try diag().dump(message, restart: interrupted) { reply in
                    let socket = name == "netlink" ? try SockDiagDecoder.netlink(reply) : try SockDiagDecoder.packet(reply)
                    guard request.protocols.contains(socket.proto) else { return }
                    if let filter = userFilter, !FilterEvaluator.matches(filter, socket) { return }
                    try each(socket)
                }
            } catch let error as NetlinkError where error.kind == .kernel && Self.unsupported(error.errno) {
                notes.append("\(name): not supported by this kernel (\(NetlinkError.errnoText(error.errno)))")
            }
        }
        return notes
    }

    /// Calls `each` with the state and local port of every TCP socket in `states`, both
    /// families, decoding nothing else: the cheap pass that counts sockets for metrics.
    /// Falls back to /proc like `run` when sock_diag cannot dump TCP.
    package func countTCP(states: SocketStateSet, each: (SocketState, UInt16) -> Void) throws {
        let connection = try sources.connection(.sockDiag)
        // Both families in one walk of the shared hash tables, where the kernel allows it.
        if !sources.isRecorded {
            var seen = 0
            do {
                try connection.dump(SockDiagRequests.tcpBothFamilies(states: states, extensions: [], bytecode: nil)) { reply in
                    let (state, port) = try SockDiagDecoder.inetStateAndPort(reply)
                    seen += 1
                    each(SocketState(rawValue: state) ?? .close, port)
                }
                return
            } catch let error as NetlinkError where error.kind == .kernel && seen == 0 {
                // Not answered: per family below.
            }
        }
        for family in [AddressFamily.inet, .inet6] {
            do {
                let message = SockDiagRequests.inet(family: family, proto: .tcp, states: states, extensions: [], bytecode: nil)
                try connection.dump(message) { reply in
                    let (state, port) = try SockDiagDecoder.inetStateAndPort(reply)
                    each(SocketState(rawValue: state) ?? .close, port)
                }
            } catch let error as NetlinkError where error.kind == .kernel && Self.unsupported(error.errno) {
                var request = SocketRequest(protocols: [.tcp], states: states)
                request.source = .proc
                try fromProc(proto: .tcp, family: family, request: request) { each($0.state, $0.local.port) }
            }
        }
    }

    /// Calls `each` with tcp_info's rtt, total retransmits and delivery rate of every TCP
    /// socket in `states` that `filter` selects (all without one); the kernel applies the
    /// filter, so it fills tcp_info for no other socket. Nothing is decoded beyond those fields.
    /// tcp_info of at most `limit` established connections of each of `ports` (local ports):
    /// the first ones of the kernel's walk of its established hash table. That table is keyed
    /// by a hash of the 4-tuple with a random per-boot secret, so the first `limit` of a port
    /// are a sample that has nothing to do with RTT, retransmits or rate. One dump, filtered
    /// by the kernel to these ports, is abandoned as soon as every port has its `limit`
    /// (closing the socket ends it): the walk stops early and the kernel fills tcp_info for
    /// few more than `limit` per port. Returns how many each port got. Recorded runs
    /// (--dump-raw, --replay-raw) read the whole dump per family, the order their captures
    /// hold, and keep the first `limit` of each port.
    package func tcpInfoSample(
        ports: [UInt16], limit: Int,
        each: (_ localPort: UInt16, _ rtt: UInt32, _ totalRetrans: UInt32, _ deliveryRate: UInt64?) -> Void
    ) throws -> [UInt16: Int] {
        struct Enough: Error {}
        guard !ports.isEmpty, limit > 0 else { return [:] }
        var read = Dictionary(uniqueKeysWithValues: ports.map { ($0, 0) })
        var unfilled = ports.count
        // Past 256 ports the bytecode would grow too long: then the counts alone filter.
        var bytecode: [UInt8]?
        if ports.count <= 256 {
            var chain = SocketFilter.port(.source, .equal, ports[0])
            for port in ports.dropFirst() { chain = .or(chain, .port(.source, .equal, port)) }
            bytecode = try FilterCompiler.compile(chain)
        }
        var messages = 0
        func take(_ reply: NetlinkMessage) throws {
            messages += 1
            guard let sample = try SockDiagDecoder.tcpInfoSample(reply), let count = read[sample.localPort], count < limit else { return }
            read[sample.localPort] = count + 1
            each(sample.localPort, sample.rtt, sample.totalRetrans, sample.deliveryRate)
            if count + 1 == limit { unfilled -= 1 }
            if unfilled == 0 && !sources.isRecorded { throw Enough() }
        }
        let established = SocketStateSet([.established])
        if !sources.isRecorded {
            // A connection of its own: an abandoned dump leaves the socket unusable.
            let connection = try sources.connection(.sockDiag)
            do {
                try connection.dump(SockDiagRequests.tcpBothFamilies(states: established, extensions: [.info], bytecode: bytecode), take)
                return read
            } catch is Enough {
                return read
            } catch let error as NetlinkError where error.kind == .kernel && messages == 0 {
                // Not answered (a kernel without the both-families dump): per family below.
            }
        }
        let connection = try sources.connection(.sockDiag)
        do {
            for family in [AddressFamily.inet, .inet6] {
                try connection.dump(
                    SockDiagRequests.inet(family: family, proto: .tcp, states: established, extensions: [.info], bytecode: bytecode), take)
            }
        } catch is Enough {}
        return read
    }

    package func tcpInfoSamples(
        states: SocketStateSet, filter: SocketFilter?,
        each: (_ localPort: UInt16, _ rtt: UInt32, _ totalRetrans: UInt32, _ deliveryRate: UInt64?) -> Void
    ) throws {
        let connection = try sources.connection(.sockDiag)
        let bytecode = try filter.map(FilterCompiler.compile)
        for family in [AddressFamily.inet, .inet6] {
            let message = SockDiagRequests.inet(family: family, proto: .tcp, states: states, extensions: [.info], bytecode: bytecode)
            try connection.dump(message) { reply in
                if let sample = try SockDiagDecoder.tcpInfoSample(reply) {
                    each(sample.localPort, sample.rtt, sample.totalRetrans, sample.deliveryRate)
                }
            }
        }
    }

    /// sock_diag answers ENOENT when the protocol's diag module is missing, EOPNOTSUPP or
    /// EPROTONOSUPPORT when the protocol itself is, EINVAL on kernels that predate it.
    static func unsupported(_ code: Int32) -> Bool { code == 2 || code == 95 || code == 93 || code == 22 }

    func fromProc(proto: SocketProtocol, family: AddressFamily, request: SocketRequest, each: (Socket) throws -> Void) throws {
        let name: String
        switch proto {
        case .tcp: name = "tcp"
        case .udp: name = "udp"
        case .raw: name = "raw"
        default: return
        }
        let relative = "net/\(name)\(family == .inet6 ? "6" : "")"
        guard proc.exists(relative) else { return }
        for entry in try SocketTableParser.parseInet(try proc.read(relative), file: proc.file(relative)) {
            let socket = SocketConversion.socket(from: entry, proto: proto)
            guard request.states.contains(socket.state) else { continue }
            if let filter = request.filter, !FilterEvaluator.matches(filter, socket) { continue }
            try each(socket)
        }
    }

    func unixFromProc(request: SocketRequest, each: (Socket) throws -> Void) throws {
        for entry in try SocketTableParser.parseUnix(try proc.read("net/unix"), file: proc.file("net/unix")) {
            guard let socket = SocketConversion.socket(from: entry), request.protocols.contains(socket.proto),
                request.states.contains(socket.state)
            else { continue }
            if let filter = request.filter, !FilterEvaluator.matches(filter, socket) { continue }
            try each(socket)
        }
    }
}
