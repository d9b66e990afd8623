import Foundation
import NetModel
import NetOutput
import NetQuery
import NetRender
import Netlink
import ProcNet
import SockDiag
import TestSupport
import Testing

/// Destroy notifications captured from a real kernel (Fixtures/destroy.nlcap, written by
/// capture-destroy.py with what the sockets were in destroy.expected.json), decoded, broken,
/// and fed to the socket watcher with scripted dumps and overflows.
@Suite struct SocketWatchTests {
    static func notifications() throws -> [[UInt8]] { try CaptureFormat.datagrams(in: FixtureFiles.bytes("destroy.nlcap")) }

    static func decode(_ datagram: [UInt8]) throws -> Socket {
        try datagram.withUnsafeBytes { raw in
            var socket: Socket?
            try Netlink.forEachMessage(in: raw, operation: "test") { socket = try SockDiagDecoder.destroyed($0); return false }
            return try #require(socket)
        }
    }

    @Test func capturedNotificationsDecodeToWhatTheSocketsWere() throws {
        let expected = try #require(try JSONOracle.parse(FixtureFiles.text("destroy.expected.json")) as? [[String: Any]])
        let sockets = try Self.notifications().map(Self.decode)
        #expect(sockets.count == expected.count)
        for want in expected {
            let family: AddressFamily = (want["family"] as? String ?? "").hasSuffix("6") ? .inet6 : .inet
            let match = sockets.filter {
                $0.proto.rawValue == want["proto"] as? String && $0.family == family
                    && Int($0.local.port) == want["local"] as? Int && Int($0.peer.port) == want["peer"] as? Int
            }
            #expect(match.count == 1, "\(want)")
            guard let socket = match.first else { continue }
            // The state at destruction: CLOSE for TCP, ESTABLISHED for a connected UDP socket.
            #expect(socket.state == (socket.proto == .udp && socket.peer.port != 0 ? .established : .close))
            #expect(socket.inode == 0 && socket.uid == nil)
            #expect(socket.cookie != nil && socket.cookie != 0)
            #expect(socket.sendQueue < 1 << 31 && socket.receiveQueue < 1 << 31, "no -1 queues")
            if socket.proto == .udp {
                #expect(socket.tcpInfo == nil)
                continue
            }
            let info = try #require(socket.tcpInfo?.value)
            #expect(info.state == 7)
            if let sent = want["bytes_sent"] as? Int, let received = want["bytes_received_data"] as? Int {
                #expect(info.bytesSent == UInt64(sent))
                // Sequence space: bytes_acked counts the SYN (and the FIN once acked).
                #expect(info.bytesAcked.map { $0 >= UInt64(sent + 1) && $0 <= UInt64(sent + 2) } == true, "\(String(describing: info.bytesAcked))")
                #expect(info.bytesReceived.map { $0 >= UInt64(received) && $0 <= UInt64(received + 1) } == true)
            }
        }
        // Cookies are the kernel's identity: no two sockets share one.
        #expect(Set(sockets.compactMap(\.cookie)).count == sockets.count)
    }

    @Test func brokenNotificationsAreErrorsNotCrashes() throws {
        let message = try #require(Self.notifications().first)
        // Cut at every length: each either decodes or throws, never traps.
        for length in stride(from: 16, to: message.count, by: 1) {
            var cut = Array(message[0..<length])
            cut.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(length), toByteOffset: 0, as: UInt32.self) }
            _ = try? Self.decode(cut)
        }
        // The header alone (no INET_DIAG_PROTOCOL) and an SCTP protocol: one clear error each.
        var bare = Array(message[0..<(16 + 72)])
        let bareLength = UInt32(bare.count)
        bare.withUnsafeMutableBytes { $0.storeBytes(of: bareLength, toByteOffset: 0, as: UInt32.self) }
        #expect(throws: NetlinkError.self) { _ = try Self.decode(bare) }
        do {
            _ = try Self.decode(bare)
        } catch let error as NetlinkError {
            #expect("\(error)".contains("INET_DIAG_PROTOCOL"))
        }
        var sctp = message
        let protocolOffset = Self.attributeOffset(sctp, type: 10)
        sctp[try #require(protocolOffset) + 4] = 132
        #expect(throws: NetlinkError.self) { _ = try Self.decode(sctp) }
    }

    /// The offset of the first attribute of `type` after the inet_diag_msg.
    static func attributeOffset(_ message: [UInt8], type: UInt16) -> Int? {
        var position = 16 + 72
        while position + 4 <= message.count {
            let length = Int(message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: UInt16.self) })
            let kind = message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 2, as: UInt16.self) }
            if kind == type { return position }
            guard length >= 4 else { return nil }
            position += (length + 3) & ~3
        }
        return nil
    }

    /// A dump reply made of captured notifications (the same inet_diag_msg) with the given
    /// states, then NLMSG_DONE.
    static func dump(_ messages: [([UInt8], SocketState)]) -> [[UInt8]] {
        var datagram: [UInt8] = []
        for (message, state) in messages {
            var copy = message
            copy[16 + 1] = state.rawValue
            copy[6] = 2  // NLM_F_MULTI
            datagram += copy
            while datagram.count % 4 != 0 { datagram.append(0) }
        }
        var done = [UInt8](repeating: 0, count: 20)
        done[0] = 20
        done[4] = 3  // NLMSG_DONE
        done[6] = 2
        return [datagram + done]
    }

    static let emptyDump: [[UInt8]] = dump([])

    @Test func theWatcherMatchesClosesToDumpsAndCountsLoss() throws {
        let captured = try Self.notifications()
        // The IPv4 connection's two ends and its listener.
        let sockets = try captured.map(Self.decode)
        let client = try #require(captured.indices.first { sockets[$0].proto == .tcp && sockets[$0].family == .inet && sockets[$0].peer.port != 0 })
        let server = try #require(captured.indices.first { $0 != client && sockets[$0].proto == .tcp && sockets[$0].family == .inet && sockets[$0].peer.port != 0 })
        let listenerPort = sockets[server].local.port

        // start(): listeners (none), then TCP/IPv4 with the client ESTABLISHED. rescan(): the
        // client in FIN-WAIT-2 and the server seen for the first time in CLOSE-WAIT.
        var datagrams: [[UInt8]] = []
        datagrams += Self.emptyDump
        datagrams += Self.dump([(captured[client], .established)])
        datagrams += Self.dump([(captured[server], .listen)])
        datagrams += Self.dump([(captured[client], .finWait2), (captured[server], .closeWait)])
        // After both closes: the client's cookie again (the mini-socket that outlives an
        // orphaned connection's full socket): not a new socket.
        datagrams += Self.emptyDump
        datagrams += Self.dump([(captured[client], .finWait2)])
        let dumps = NetlinkConnection(transport: ReplayTransport(datagrams: datagrams))
        let events = ScriptedNotifications([
            .datagram(captured[client]), .lost(5), .pause,
            .datagram(captured[server]), .pause,
        ])
        var clock = 100.0
        var request = SocketWatchRequest(protocols: [.tcp], states: .big)
        request.ipv6 = false
        let watcher = try SocketWatcher(request: request, events: events, dumps: dumps, proc: ProcRoot(path: "/nonexistent"), now: { clock })

        let initial = try watcher.start()
        #expect(initial.map(\.kind) == [.initial])
        #expect(initial.first?.socket?.state == .established)

        clock = 101.5
        let changes = try watcher.rescan()
        #expect(changes.map(\.kind) == [.state, .opened])
        #expect(changes.first?.lastState == .established && changes.first?.socket?.state == .finWait2)
        #expect(watcher.listeningPorts == [listenerPort], "the side comes from the listener dump")

        clock = 102.25
        let closes = try watcher.poll(milliseconds: 0)
        #expect(closes.map(\.kind) == [.closed, .lost])
        #expect(closes.first?.id == sockets[client].cookie)
        #expect(closes.first?.lastState == .finWait2)
        #expect(closes.first?.lifetime == Lifetime(atLeast: 2.25, atMost: nil), "there at the first dump (t=100): no upper bound")
        #expect(closes.last?.lost == 5)

        let last = try watcher.poll(milliseconds: 0)
        #expect(last.map(\.kind) == [.closed])
        #expect(last.first?.lifetime == Lifetime(atLeast: 0.75, atMost: 2.25) && last.first?.lastState == .closeWait,
                "first seen at t=101.5, not there at t=100: it opened between the two")
        #expect(try watcher.finish().isEmpty, "nothing more queued, no drop unreported")

        // The tally: one close on each side of the listener's port, five lost.
        var tally = SocketEventTally()
        for event in initial + changes + closes + last { tally.add(event, listeningPorts: watcher.listeningPorts, ephemeral: ConnectionSide.defaultEphemeralPorts) }
        #expect(tally.lost == 5)
        #expect(tally.closedByPort[.init(proto: .tcp, side: .server, port: listenerPort)] == 1)
        #expect(tally.closedByPort[.init(proto: .tcp, side: .client, port: listenerPort)] == 1)
        #expect(SocketEventRenderer.summary(tally).contains("LOST 5 close notifications"))

        clock = 103
        #expect(try watcher.rescan().isEmpty, "a closed cookie seen again is not opened")
    }

    /// The dumps follow a watched socket into every state it can reach, so its close says
    /// where it really was last (CLOSE-WAIT after ESTAB), whatever the selection.
    @Test func aStateSelectionDumpsWhatItsSocketsBecome() {
        let reached = SocketWatcher.reachable(from: SocketStateSet([.established]))
        #expect(reached == SocketStateSet([.established, .finWait1, .finWait2, .closing, .closeWait, .lastAck, .close]))
        #expect(SocketWatcher.reachable(from: SocketStateSet([.listen])) == SocketStateSet([.listen, .close]))
        #expect(SocketWatcher.reachable(from: .big) == .big, "nothing outside the full sockets")
    }

    @Test func closesOutsideTheSelectionAreLeftOut() throws {
        let captured = try Self.notifications()
        let sockets = try captured.map(Self.decode)
        // A filter on a port none of them has, then listening only: the connected closes go.
        let filter = try #require(try FilterParser.parse(["dport", "=", ":1"]))
        var request = SocketWatchRequest(protocols: [.tcp, .udp], states: .big)
        request.filter = filter
        let watcher = try SocketWatcher(
            request: request, events: ScriptedNotifications(captured.map { .datagram($0) }),
            dumps: NetlinkConnection(transport: ReplayTransport(datagrams: Array(repeating: Self.emptyDump[0], count: 6))),
            proc: ProcRoot(path: "/nonexistent"), now: { 0 })
        _ = try watcher.start()
        #expect(try watcher.poll(milliseconds: 0).isEmpty)

        var listening = SocketWatchRequest(protocols: [.tcp, .udp], states: .listening)
        listening.ipv6 = false
        let narrow = try SocketWatcher(
            request: listening, events: ScriptedNotifications(captured.map { .datagram($0) }),
            dumps: NetlinkConnection(transport: ReplayTransport(datagrams: Array(repeating: Self.emptyDump[0], count: 3))),
            proc: ProcRoot(path: "/nonexistent"), now: { 0 })
        _ = try narrow.start()
        let kept = try narrow.poll(milliseconds: 0).compactMap(\.socket)
        #expect(kept.count == sockets.filter { $0.family == .inet && $0.peer.port == 0 }.count)
        #expect(kept.allSatisfy { $0.family == .inet && $0.peer.port == 0 })
    }

    @Test func eventsRenderAsDocumented() throws {
        let socket = try Self.decode(try #require(Self.notifications().first))
        let time = Timestamp(seconds: 1_800_000_000, nanoseconds: 5_000_000)
        let sink = OutputSink(fd: -1, threshold: Int.max)
        let events = [SocketEvent(kind: .closed, socket: socket, lastState: .established, lifetime: Lifetime(atLeast: 1.502, atMost: 2.5)),
                      SocketEvent(kind: .lost, socket: nil, lost: 7), SocketEvent(kind: .lost, socket: nil, lost: nil)]
        SocketEventRenderer.render(events, names: nil, time: time, to: sink, options: RenderOptions(format: .ndjson, header: true, color: false))
        let lines = sink.pending.split(separator: "\n").map { try? JSONOracle.parse(String($0)) as? [String: Any] }
        #expect(lines.count == 3)
        let closed = try #require(lines[0])
        #expect(closed["time"] as? String == "2027-01-15T08:00:00.005Z")
        #expect(closed["event"] as? String == "closed" && closed["last_state"] as? String == "ESTAB")
        #expect(closed["age_min_ms"] as? Int == 1502 && closed["age_max_ms"] as? Int == 2500)
        #expect(closed["id"] as? Int == socket.cookie.map(Int.init))
        #expect(((closed["object"] as? [String: Any])?["tcp_info"] as? [String: Any])?["bytes_acked"] != nil)
        #expect(lines[1]?["lost"] as? Int == 7 && lines[1]?["object"] == nil)
        #expect(lines[2]?.keys.contains("lost") == true && lines[2]?["lost"] is NSNull, "an unknown loss is null, not left out")
        let text = SocketEventRenderer.line(events[0], names: nil, time: time)
        #expect(text.contains("closed") && text.contains("ESTAB") && text.contains("age 1.502-2.500s") && text.contains("sent 1000"))
    }
}
