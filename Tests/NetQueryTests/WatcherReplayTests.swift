import Netlink
import NetModel
import NetQuery
import RouteNetlink
import TestSupport
import Testing

/// The watcher on recorded input: dumps captured from a real kernel (Fixtures/routes.nlcap)
/// behind the dump connection, notifications and an overflow (ENOBUFS) from a script. After
/// the overflow it must re-dump and report exactly what it missed, as resync events.
@Suite struct WatcherReplayTests {
    static let deleteRoute: UInt16 = 25  // RTM_DELROUTE

    /// The messages of a datagram (nlmsg_len walk), as byte arrays.
    static func messages(_ datagram: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var position = 0
        while datagram.count - position >= 16 {
            let length = Int(datagram.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: UInt32.self) })
            guard length >= 16, position + length <= datagram.count else { break }
            result.append(Array(datagram[position..<(position + length)]))
            position += (length + 3) & ~3
        }
        return result
    }

    static func route(_ message: [UInt8]) -> Route? {
        let type = message.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt16.self) }
        guard type == RouteMessageType.newRoute else { return nil }
        return message.withUnsafeBytes { bytes -> Route? in
            var decoded: Route?
            try? Netlink.forEachMessage(in: bytes, operation: "test") { decoded = try RouteDecoder.decode($0); return false }
            return decoded
        }
    }

    /// The captured dump without the route messages whose destination is in `dropped`.
    static func dump(_ datagrams: [[UInt8]], dropping dropped: Set<String>) -> [[UInt8]] {
        datagrams.map { datagram in
            var out: [UInt8] = []
            for message in messages(datagram) {
                if let route = route(message), let destination = route.destination, dropped.contains("\(destination)/\(route.destinationLength)") {
                    continue
                }
                out += message
                while out.count % 4 != 0 { out.append(0) }
            }
            return out
        }
    }

    @Test func anOverflowIsResyncedWithExactlyWhatWasMissed() throws {
        let captured = try CaptureFormat.datagrams(in: FixtureFiles.bytes("routes.nlcap"))
        let all = captured.flatMap(Self.messages)
        let blackhole = try #require(all.first { Self.route($0)?.destination == IPAddress("10.99.0.0") })
        var deletion = blackhole
        deletion.withUnsafeMutableBytes { $0.storeBytes(of: Self.deleteRoute, toByteOffset: 4, as: UInt16.self) }
        let routeCount = all.compactMap(Self.route).count

        // Two dump rounds: the state at start, then the state after the overflow, in which
        // 192.168.0.0/16 was deleted too (its notification lost in the overflow).
        let after = Self.dump(captured, dropping: ["10.99.0.0/16", "192.168.0.0/16"])
        let dumps = NetlinkConnection(transport: ReplayTransport(datagrams: captured + after))
        // The re-add arrives after the re-dump (the pause): what was queued before it is
        // drained, since the dump supersedes it.
        let script = ScriptedNotifications([.datagram(deletion), .overflow, .pause, .datagram(blackhole)])
        let watcher = Watcher(kinds: [.routes], events: script, dumps: dumps)

        let initial = try watcher.start()
        #expect(initial.count == routeCount && initial.allSatisfy { $0.action == .initial })
        #expect(Set(initial.map(\.key)).count == initial.count, "two initial routes share an id")

        func describe(_ events: [WatchEvent]) -> [String] {
            events.map { event in
                guard case .route(let route) = event.object else { return "\(event.action) \(event.object.kind)" }
                return "\(event.action.rawValue) \(route.destination.map(String.init(describing:)) ?? "-")/\(route.destinationLength)\(event.resync ? " resync" : "")"
            }
        }
        #expect(describe(try watcher.poll(milliseconds: 0)) == ["deleted 10.99.0.0/16"])
        #expect(describe(try watcher.poll(milliseconds: 0)) == ["deleted 192.168.0.0/16 resync"])
        #expect(watcher.resyncs == 1)
        #expect(describe(try watcher.poll(milliseconds: 0)) == ["new 10.99.0.0/16"])
        #expect(script.remaining == 0)
        #expect(try watcher.poll(milliseconds: 0).isEmpty)
    }
}
