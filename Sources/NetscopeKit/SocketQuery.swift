import NetModel
import Netlink
import ProcNet
import SockDiag

/// Where socket lists come from: sock_diag, /proc/net tables, or sock_diag with a /proc
/// fallback for families the kernel cannot dump (`--source`).
public enum SocketSource: String, Sendable, CaseIterable {
    case auto, netlink, proc
}

/// What `netscope sockets` asks for.
public struct SocketRequest: Sendable {
    public var protocols: Set<SocketProtocol>
    public var ipv4 = true
    public var ipv6 = true
    public var states: SocketStateSet
    public var filter: SocketFilter?
    public var tcpInfo = false
    public var memory = false
    public var source: SocketSource = .auto

    public init(protocols: Set<SocketProtocol>, states: SocketStateSet) {
        self.protocols = protocols
        self.states = states
    }
}

/// The sockets, plus notes for the user (a family the kernel does not support, a fallback).
public struct SocketResult: Sendable {
    public var sockets: [Socket] = []
    public var notes: [String] = []
}

public struct SocketQuery {
    public let sources: SourceOptions
    public let proc: ProcRoot

    public init(sources: SourceOptions, proc: ProcRoot) {
        self.sources = sources
        self.proc = proc
    }

    /// Fixed order: tcp, udp, raw, mptcp, sctp, unix, packet, netlink; inet families v4 then v6.
    public func run(_ request: SocketRequest) throws -> SocketResult {
        var result = SocketResult()
        let order: [SocketProtocol] = [.tcp, .udp, .raw, .mptcp, .sctp, .unixStream, .unixDatagram, .unixSequential, .packetRaw, .netlink]
        var connection: NetlinkConnection?
        func diag() throws -> NetlinkConnection {
            if let connection { return connection }
            let opened = try sources.connection(.sockDiag)
            connection = opened
            return opened
        }
        // Bytecode for the kernel when the whole filter can be compiled; else filter here.
        var bytecode: [UInt8]?
        if let filter = request.filter { bytecode = try? FilterCompiler.compile(filter) }
        var extensions: SockDiagRequests.Extensions = []
        if request.tcpInfo { extensions.formUnion([.info, .congestion, .shutdown]) }
        if request.memory { extensions.insert(.skMemInfo) }
        var unixDone = false
        let wantsUnix = request.protocols.contains(where: \.isUnix)
        let wantsPacket = request.protocols.contains(where: \.isPacket)
        for proto in order {
            let wanted = request.protocols.contains(proto) || (proto.isUnix && wantsUnix) || (proto == .packetRaw && wantsPacket)
            guard wanted else { continue }
            if proto.isInet {
                for family: UInt8 in [2, 10] where family == 2 ? request.ipv4 : request.ipv6 {
                    let start = result.sockets.count
                    do {
                        if request.source == .proc {
                            try appendFromProc(proto: proto, family: family, request: request, into: &result)
                        } else {
                            let message = SockDiagRequests.inet(
                                family: family, proto: proto, states: request.states, extensions: extensions, bytecode: bytecode)
                            try diag().dump(message, restart: { result.sockets.removeSubrange(start...) }) { reply in
                                result.sockets.append(try SockDiagDecoder.inet(reply, proto: proto))
                            }
                        }
                    } catch let error as NetlinkError where error.kind == .kernel && Self.unsupported(error.errno) {
                        result.sockets.removeSubrange(start...)
                        if request.source == .auto, [.tcp, .udp, .raw].contains(proto) {
                            result.notes.append("\(proto.rawValue)\(family == 10 ? "6" : ""): sock_diag not available (\(NetlinkError.errnoText(error.errno))); read /proc/net instead")
                            try appendFromProc(proto: proto, family: family, request: request, into: &result)
                        } else if family == 2 || !request.ipv4 {
                            result.notes.append("\(proto.rawValue): not supported by this kernel (\(NetlinkError.errnoText(error.errno)))")
                        }
                    }
                    if bytecode == nil, let filter = request.filter {
                        let kept = result.sockets[start...].filter { FilterEvaluator.matches(filter, $0) }
                        result.sockets.replaceSubrange(start..., with: kept)
                    }
                }
            } else if proto.isUnix {
                // One unix dump serves all three types.
                guard !unixDone else { continue }
                unixDone = true
                let start = result.sockets.count
                if request.source == .proc {
                    try appendUnixFromProc(request: request, into: &result)
                } else {
                    try diag().dump(SockDiagRequests.unix(states: request.states, memory: request.memory),
                                    restart: { result.sockets.removeSubrange(start...) }) { reply in
                        let socket = try SockDiagDecoder.unix(reply)
                        if request.protocols.contains(socket.proto) { result.sockets.append(socket) }
                    }
                }
                applyUserFilter(request, from: start, to: &result)
            } else if proto == .packetRaw || proto == .netlink {
                guard request.states.contains(.close) else { continue }
                let start = result.sockets.count
                let message = proto == .netlink ? SockDiagRequests.netlink() : SockDiagRequests.packet()
                do {
                    try diag().dump(message, restart: { result.sockets.removeSubrange(start...) }) { reply in
                        let socket = proto == .netlink ? try SockDiagDecoder.netlink(reply) : try SockDiagDecoder.packet(reply)
                        if request.protocols.contains(socket.proto) { result.sockets.append(socket) }
                    }
                } catch let error as NetlinkError where error.kind == .kernel && Self.unsupported(error.errno) {
                    result.notes.append("\(proto == .netlink ? "netlink" : "packet"): not supported by this kernel (\(NetlinkError.errnoText(error.errno)))")
                }
                applyUserFilter(request, from: start, to: &result)
            }
        }
        return result
    }

    /// sock_diag answers ENOENT when the protocol's diag module is missing, EOPNOTSUPP or
    /// EPROTONOSUPPORT when the protocol itself is.
    static func unsupported(_ code: Int32) -> Bool { code == 2 || code == 95 || code == 93 || code == 22 }

    func applyUserFilter(_ request: SocketRequest, from start: Int, to result: inout SocketResult) {
        guard let filter = request.filter else { return }
        let kept = result.sockets[start...].filter { FilterEvaluator.matches(filter, $0) }
        result.sockets.replaceSubrange(start..., with: kept)
    }

    func appendFromProc(proto: SocketProtocol, family: UInt8, request: SocketRequest, into result: inout SocketResult) throws {
        let name: String
        switch proto {
        case .tcp: name = "tcp"
        case .udp: name = "udp"
        case .raw: name = "raw"
        default: return
        }
        let relative = "net/\(name)\(family == 10 ? "6" : "")"
        guard proc.exists(relative) else { return }
        for entry in try SocketTableParser.parseInet(try proc.read(relative), file: proc.file(relative)) {
            let socket = SocketConversion.socket(from: entry, proto: proto)
            guard request.states.contains(socket.state) else { continue }
            if let filter = request.filter, !FilterEvaluator.matches(filter, socket) { continue }
            result.sockets.append(socket)
        }
    }

    func appendUnixFromProc(request: SocketRequest, into result: inout SocketResult) throws {
        for entry in try SocketTableParser.parseUnix(try proc.read("net/unix"), file: proc.file("net/unix")) {
            guard let socket = SocketConversion.socket(from: entry), request.protocols.contains(socket.proto),
                request.states.contains(socket.state)
            else { continue }
            result.sockets.append(socket)
        }
    }
}

/// /proc/net rows to the same `Socket` model sock_diag produces.
public enum SocketConversion {
    public static func socket(from entry: ProcInetSocket, proto: SocketProtocol) -> Socket {
        var local = SocketEndpoint(address: entry.local, port: entry.localPort)
        local.inode = entry.inode
        var socket = Socket(
            proto: proto, family: entry.local.family == .inet ? 2 : 10, state: SocketState(rawValue: entry.state) ?? .close,
            local: local, peer: SocketEndpoint(address: entry.remote, port: entry.remotePort),
            receiveQueue: entry.rxQueue, sendQueue: entry.txQueue, inode: entry.inode)
        socket.uid = entry.uid
        if entry.timer != 0 {
            // tm->when is in clock ticks (USER_HZ = 100 on Linux): 10 ms each.
            socket.timer = SocketTimer(
                kind: entry.timer, expiresMilliseconds: UInt32(clamping: entry.timerExpires * 10),
                retransmits: UInt8(clamping: entry.retransmits))
        }
        return socket
    }

    public static func socket(from entry: ProcUnixSocket) -> Socket? {
        let proto: SocketProtocol
        switch entry.type {
        case 1: proto = .unixStream
        case 2: proto = .unixDatagram
        case 5: proto = .unixSequential
        default: return nil
        }
        let state: SocketState
        if entry.isListening {
            state = .listen
        } else {
            switch entry.state {
            case 2: state = .synSent
            case 3: state = .established
            case 4: state = .closing
            default: state = .close
            }
        }
        var local = SocketEndpoint()
        local.path = entry.path
        local.inode = entry.inode
        return Socket(proto: proto, family: 1, state: state, local: local, peer: SocketEndpoint(), receiveQueue: 0, sendQueue: 0,
                      inode: entry.inode)
    }
}
