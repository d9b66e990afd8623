import NetModel
import Netlink
import ProcNet
import SockDiag
#if canImport(Glibc)
import Glibc
#endif

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
        if request.tcpInfo { extensions.formUnion([.info, .congestion, .congestionInfo, .shutdown]) }
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
        try countTCP(states: states) { state, port, _ in each(state, port) }
    }

    /// `countTCP`, with each socket's identity on demand (read in place only when asked):
    /// what `tcpInfo(of:)` needs to ask for a socket again.
    package func countTCP(states: SocketStateSet, each: (SocketState, UInt16, () -> InetSocketIdentity) -> Void) throws {
        let connection = try sources.connection(.sockDiag)
        // Both families in one walk of the shared hash tables, where the kernel allows it.
        if !sources.isRecorded {
            var seen = 0
            do {
                try connection.dump(SockDiagRequests.tcpBothFamilies(states: states, extensions: [], bytecode: nil)) { reply in
                    let (state, port) = try SockDiagDecoder.inetStateAndPort(reply)
                    seen += 1
                    each(SocketState(rawValue: state) ?? .close, port) { SockDiagDecoder.inetIdentity(reply) }
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
                    each(SocketState(rawValue: state) ?? .close, port) { SockDiagDecoder.inetIdentity(reply) }
                }
            } catch let error as NetlinkError where error.kind == .kernel && Self.unsupported(error.errno) {
                var request = SocketRequest(protocols: [.tcp], states: states)
                request.source = .proc
                // /proc has no cookie to ask for a socket again: no identity (family 0).
                try fromProc(proto: .tcp, family: family, request: request) { each($0.state, $0.local.port) { InetSocketIdentity(family: 0) } }
            }
        }
    }

    /// tcp_info of the sockets `identities` name, each asked for alone (one hash lookup in
    /// the kernel, no walk of its tables), 64 lookups to a datagram. A socket closed since it
    /// was seen answers ENOENT and is skipped. Returns how many answered.
    package func tcpInfo(
        of identities: [InetSocketIdentity],
        each: (_ localPort: UInt16, _ rtt: UInt32, _ totalRetrans: UInt32, _ deliveryRate: UInt64?) -> Void
    ) throws -> Int {
        let known = identities.filter { $0.family != 0 }  // /proc gives no cookie to ask with
        guard !known.isEmpty else { return 0 }
        let connection = try sources.connection(.sockDiag)
        var answered = 0
        var failure: Int32?
        for start in stride(from: 0, to: known.count, by: 64) {
            let requests = known[start..<min(start + 64, known.count)].map {
                SockDiagRequests.inetOne($0, proto: .tcp, extensions: [.info])
            }
            try connection.requestBatch(requests, { _, reply in
                guard let sample = try SockDiagDecoder.tcpInfoSample(reply) else { return }
                answered += 1
                each(sample.localPort, sample.rtt, sample.totalRetrans, sample.deliveryRate)
            }, refused: { _, code in
                if code != 2 && failure == nil { failure = code }  // ENOENT: closed since
            })
            if let failure {
                throw NetlinkError(kind: .kernel, operation: "tcp sock_diag lookup", errno: failure, message: nil, offset: nil)
            }
        }
        return answered
    }

    /// Calls `each` with tcp_info's rtt, total retransmits and delivery rate of every TCP
    /// socket in `states` that `filter` selects (all without one); the kernel applies the
    /// filter, so it fills tcp_info for no other socket. Nothing is decoded beyond those fields.
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
    static func unsupported(_ code: Int32) -> Bool { [ENOENT, EOPNOTSUPP, EPROTONOSUPPORT, EINVAL].contains(code) }

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
