import NetModel
import Netlink
import ProcNet
import SockDiag
#if canImport(Glibc)
import Glibc
#endif

/// What `watch sockets` follows.
package struct SocketWatchRequest: Sendable {
    /// TCP and/or UDP: the protocols the kernel announces closes of.
    package var protocols: Set<SocketProtocol>
    package var ipv4 = true
    package var ipv6 = true
    /// States whose sockets are dumped and whose closes are reported. TIME-WAIT and
    /// SYN-RECV are mini-sockets the kernel never announces, so they are never in it.
    package var states: SocketStateSet
    package var filter: SocketFilter?
    /// tcp_info (and congestion control) on opened and state events; closes always carry it.
    package var tcpInfo = false
    /// Attribute sockets to processes (-p).
    package var processes = false

    package init(protocols: Set<SocketProtocol>, states: SocketStateSet) {
        self.protocols = protocols
        self.states = states
    }

    var families: [AddressFamily] { (ipv4 ? [.inet] : []) + (ipv6 ? [.inet6] : []) }
    var pairs: [(SocketProtocol, AddressFamily)] {
        [SocketProtocol.tcp, .udp].filter(protocols.contains).flatMap { proto in families.map { (proto, $0) } }
    }
}

/// Follows socket lifecycles: closes from the sock_diag destroy groups (with the final
/// tcp_info), opens and state changes from dumps diffed by socket cookie. Closes are
/// matched by cookie to what the dumps saw, for the connection's age, its last state and
/// its process. Notifications the kernel drops are counted from the socket's sk_drops and
/// reported as `lost` events, never hidden.
package final class SocketWatcher {
    package let request: SocketWatchRequest
    private let events: NotificationTransport
    private let dumps: NetlinkConnection
    private let proc: ProcRoot
    private let now: () -> Double
    private let buffer: UnsafeMutableRawBufferPointer
    private let bytecode: [UInt8]?
    /// The filter is checked here too: for closes always (the kernel does not filter
    /// notifications), for dumps when it could not be compiled or needs a recheck.
    private let dumpRecheck: Bool

    /// What a dump saw of a socket, by cookie.
    private struct Known {
        var state: SocketState
        var firstSeen: Double
        var lastSeen: Double
        var owners: [SocketOwner]
        /// The dump before the one that first saw it (it opened after); nil: it was there at
        /// the first dump.
        var openedAfter: Double?
        /// Whether it was ever in a watched state (else it is followed only to know where a
        /// watched socket goes, and its events are not reported).
        var watched: Bool
    }
    /// The time of the last dump: a socket no dump saw opened after it.
    private var lastDump: Double?
    /// The states dumped: the watched ones and every state a TCP socket can reach from them,
    /// so a watched socket that moves on (ESTAB to CLOSE-WAIT) is still followed and its
    /// close reports the state it really had last, whatever the selection.
    let dumpedStates: SocketStateSet
    private var known: [UInt64: Known] = [:]
    /// idiag_timer of the kernel's TIME-WAIT mini-sockets (inet_twsk_diag_fill), which dumps
    /// also return for FIN-WAIT-2 when an orphaned connection's full socket is gone.
    static let timeWaitTimer: UInt8 = 3
    /// Cookies whose close was announced, with when a dump last showed them. An orphaned
    /// connection's full socket is destroyed (and announced) when it moves to FIN-WAIT-2 or
    /// TIME-WAIT, but dumps go on showing the mini-socket that replaces it, with the same
    /// cookie: that is not a new socket.
    private var closedCookies: [UInt64: Double] = [:]
    /// Listening TCP ports, from the dumps: which side of a closed connection is the server.
    private(set) package var listeningPorts: Set<UInt16> = []
    private var reportedDrops: UInt64 = 0
    /// How long a socket that left the dumps waits for its close notification before it is
    /// forgotten (it moved to a state not watched, or its close was lost).
    package var grace: Double = 10
    /// Processes that could not be inspected in the last scan (-p without privilege).
    private(set) package var deniedProcesses = 0
    /// A note for the user: the filter is applied here, not by the kernel.
    private(set) package var notes: [String] = []

    /// Subscribes to the destroy groups of the requested protocols and families, then opens
    /// the dump connection (in that order, so no close falls between the two).
    package convenience init(request: SocketWatchRequest, receiveBuffer: Int32, sources: SourceOptions, proc: ProcRoot) throws {
        let socket = try NetlinkSocket(protocol: .sockDiag)
        socket.setReceiveBuffer(bytes: receiveBuffer)
        for (proto, family) in request.pairs {
            if let group = SockDiagDestroyGroup.group(proto: proto, family: family) { try socket.subscribe(group: group.rawValue) }
        }
        try self.init(request: request, events: socket, dumps: try sources.connection(.sockDiag), proc: proc, now: monotonicSeconds)
    }

    /// Over any notification source and dump connection (a script and a recording in tests).
    package init(request: SocketWatchRequest, events: NotificationTransport, dumps: NetlinkConnection, proc: ProcRoot, now: @escaping () -> Double) throws {
        self.request = request
        self.events = events
        self.dumps = dumps
        self.proc = proc
        self.now = now
        buffer = .allocate(byteCount: 64 << 10, alignment: 8)
        var compiled: [UInt8]?
        if let filter = request.filter {
            compiled = try? FilterCompiler.compile(filter)
            if compiled == nil { notes.append("the filter cannot be compiled to inet_diag bytecode; the dumps are filtered here") }
        }
        bytecode = compiled
        dumpedStates = request.protocols.contains(.tcp) ? Self.reachable(from: request.states) : request.states
        dumpRecheck = request.filter != nil && (compiled == nil || request.filter?.needsUserSpaceRecheck == true)
        reportedDrops = events.droppedNotifications() ?? 0
    }

    deinit { buffer.deallocate() }

    /// The full-socket states a TCP socket moves to from each state (RFC 793's diagram as
    /// net/ipv4/tcp.c implements it; TIME-WAIT and SYN-RECV are mini-sockets, not followed).
    /// CLOSE ends a connection's life: a socket connected or listening again starts a new one.
    static let successors: [SocketState: [SocketState]] = [
        .listen: [.close], .synSent: [.established, .close],
        .established: [.finWait1, .closeWait, .close], .finWait1: [.finWait2, .closing, .close],
        .finWait2: [.close], .closing: [.close], .closeWait: [.lastAck, .close], .lastAck: [.close],
    ]

    /// `states` and every state reachable from them.
    package static func reachable(from states: SocketStateSet) -> SocketStateSet {
        var result = states
        var pending = SocketState.allCases.filter { states.contains($0) }
        while let state = pending.popLast() {
            for next in successors[state] ?? [] where !result.contains(next) {
                result.formUnion(SocketStateSet([next]))
                pending.append(next)
            }
        }
        return result
    }

    /// The first dump. Returns what exists as `initial` events (the caller prints them or not).
    package func start() throws -> [SocketEvent] {
        try rescan(kind: .initial)
    }

    /// Dumps the watched sockets and diffs them with the previous dump by cookie: new cookies
    /// are `opened`, a changed state is `state`. Also reports drops counted since the last look.
    package func rescan() throws -> [SocketEvent] {
        var result = lossEvents()
        result += try rescan(kind: .opened)
        return result
    }

    private func rescan(kind: SocketEvent.Kind) throws -> [SocketEvent] {
        let time = now()
        var result: [SocketEvent] = []
        var fresh: [Int] = []
        var added: [UInt64] = []
        var ports = Set<UInt16>()
        var extensions: SockDiagRequests.Extensions = []
        if request.tcpInfo { extensions.formUnion([.info, .congestion, .congestionInfo, .shutdown]) }
        // Every TCP listener, whatever the filter (a few sockets): they tell server from client.
        if request.protocols.contains(.tcp) {
            for family in request.families {
                let message = SockDiagRequests.inet(family: family, proto: .tcp, states: SocketStateSet([.listen]), extensions: [], bytecode: nil)
                try dumps.dump(message) { ports.insert(try SockDiagDecoder.inetStateAndPort($0).localPort) }
            }
        }
        for (proto, family) in request.pairs {
            let states = proto == .tcp ? dumpedStates : request.states
            let message = SockDiagRequests.inet(family: family, proto: proto, states: states, extensions: extensions, bytecode: bytecode)
            try dumps.dump(message) { reply in
                let (cookie, rawState, _) = try SockDiagDecoder.inetCookieStateAndPort(reply)
                let state = SocketState(rawValue: rawState) ?? .close
                // A TIME-WAIT mini-socket in its FIN-WAIT-2 substate: not a full socket.
                if reply.payload[2] == Self.timeWaitTimer { return }
                if closedCookies[cookie] != nil {
                    closedCookies[cookie] = time
                    return
                }
                let watched = request.states.contains(state)
                if var entry = known[cookie] {
                    entry.lastSeen = time
                    if entry.state != state {
                        let previous = entry.state
                        entry.state = state
                        // A change into, out of or within the watched states is reported.
                        let report = watched || request.states.contains(previous)
                        entry.watched = entry.watched || watched
                        known[cookie] = entry
                        if report {
                            var socket = try SockDiagDecoder.inet(reply, proto: proto)
                            socket.owners = entry.owners
                            result.append(SocketEvent(kind: .state, socket: socket, lastState: previous))
                        }
                    } else {
                        known[cookie] = entry
                    }
                    return
                }
                let socket = try SockDiagDecoder.inet(reply, proto: proto)
                if dumpRecheck, let filter = request.filter, !FilterEvaluator.matches(filter, socket) { return }
                let openedAfter = kind == .initial ? nil : lastDump
                known[cookie] = Known(state: state, firstSeen: time, lastSeen: time, owners: [], openedAfter: openedAfter, watched: watched)
                added.append(cookie)
                guard watched else { return }
                fresh.append(result.count)
                result.append(SocketEvent(kind: kind, socket: socket))
            }
        }
        // Bounds that hold however long the dump took: a socket it saw existed by its end
        // (firstSeen), one it did not see opened after its start (lastDump).
        let end = now()
        if end != time { for cookie in added { known[cookie]?.firstSeen = end } }
        lastDump = time
        listeningPorts = ports
        if request.processes && !fresh.isEmpty {
            let scan = ProcessScanner(root: proc).scan(inodes: Set(fresh.compactMap { result[$0].socket?.inode }))
            deniedProcesses = scan.deniedProcesses
            for index in fresh {
                guard let socket = result[index].socket, let owners = scan.owners[socket.inode], let cookie = socket.cookie else { continue }
                result[index].socket?.owners = owners
                known[cookie]?.owners = owners
            }
        }
        // Sockets that left the dumps wait `grace` seconds for their close notification.
        known = known.filter { time - $0.value.lastSeen < grace }
        closedCookies = closedCookies.filter { time - $0.value < grace }
        return result
    }

    /// Waits up to `milliseconds` for close notifications and returns the events they make,
    /// at most `limit` at a time so output keeps flowing. An overflow is a `lost` event.
    package func poll(milliseconds: Int32, limit: Int = 4096) throws -> [SocketEvent] {
        var result: [SocketEvent] = []
        var wait = milliseconds
        while result.count < limit, events.waitReadable(milliseconds: wait) {
            wait = 0
            let count: Int
            do {
                count = try events.receive(into: buffer)
            } catch let error as NetlinkError where error.errno == ENOBUFS {
                result += lossEvents(overflowed: true)
                continue
            } catch let error as NetlinkError where error.errno == EAGAIN {
                break
            }
            try Netlink.forEachMessage(in: UnsafeRawBufferPointer(rebasing: buffer[0..<count]), operation: "sock_diag destroy notification") { message in
                if let event = try closed(message) { result.append(event) }
                return true
            }
        }
        return result
    }

    /// What is still queued, and drops not yet reported: the last events before exit.
    package func finish() throws -> [SocketEvent] {
        var result: [SocketEvent] = []
        while true {
            let batch = try poll(milliseconds: 0)
            result += batch
            if batch.isEmpty { break }
        }
        return result + lossEvents()
    }

    /// One close notification as an event, or nil when the watch does not select it.
    private func closed(_ message: NetlinkMessage) throws -> SocketEvent? {
        guard message.type == SockDiagRequests.messageType else { return nil }
        var socket = try SockDiagDecoder.destroyed(message)
        guard request.protocols.contains(socket.proto), socket.family == .inet ? request.ipv4 : request.ipv6 else { return nil }
        let time = now()
        let entry = socket.cookie.flatMap { known.removeValue(forKey: $0) }
        if let cookie = socket.cookie { closedCookies[cookie] = time }
        if let entry {
            // Followed by the dumps: reported when it was ever in a watched state.
            guard entry.watched else { return nil }
        } else {
            // A socket that lived and died between two dumps: connected ones count as
            // ESTABLISHED, others as unconnected (CLOSE), for the state selection.
            guard request.states.contains(socket.peer.port != 0 ? .established : .close) else { return nil }
        }
        if let filter = request.filter, !FilterEvaluator.matches(filter, socket) { return nil }
        socket.owners = entry?.owners ?? []
        var event = SocketEvent(kind: .closed, socket: socket, lastState: entry?.state)
        if let entry {
            event.lifetime = Lifetime(atLeast: max(0, time - entry.firstSeen), atMost: entry.openedAfter.map { max(0, time - $0) })
        } else if let lastDump {
            event.lifetime = Lifetime(atLeast: 0, atMost: max(0, time - lastDump))
        }
        return event
    }

    /// A `lost` event for drops the kernel counted since the last report; after an overflow
    /// with nothing counted (or no counter), one that says an unknown number was lost.
    private func lossEvents(overflowed: Bool = false) -> [SocketEvent] {
        guard let drops = events.droppedNotifications() else {
            return overflowed ? [SocketEvent(kind: .lost, socket: nil, lost: nil)] : []
        }
        // sk_drops is a u32 in the kernel: it may wrap.
        let delta = drops >= reportedDrops ? drops - reportedDrops : drops &+ (1 << 32) &- reportedDrops
        reportedDrops = drops
        if delta > 0 { return [SocketEvent(kind: .lost, socket: nil, lost: delta)] }
        // ENOBUFS with no drop counted yet: the count follows in a later event.
        return []
    }
}
