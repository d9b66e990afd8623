import Foundation
import Netlink
import NetModel
import RouteNetlink
import TestSupport
import Testing

/// The route, rule and neighbour decoders on dumps captured from a real kernel
/// (Fixtures/capture-routes.sh), checked against what `ip -j` said about the same namespace,
/// and against every truncation of the captured datagrams.
@Suite struct RouteReplayTests {
    /// The reply messages of `type` in a capture, decoded.
    static func decoded<T>(_ file: String, type: UInt16, _ decode: (NetlinkMessage) throws -> T) throws -> [T] {
        var result: [T] = []
        for datagram in try CaptureFormat.datagrams(in: FixtureFiles.bytes(file)) {
            try datagram.withUnsafeBytes { bytes in
                try Netlink.forEachMessage(in: bytes, operation: file) { message in
                    if message.type == type { result.append(try decode(message)) }
                    return true
                }
            }
        }
        return result
    }

    static func replay(_ arguments: [String]) throws -> Any {
        let result = try Shell.run([Shell.netscope] + arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONOracle.parse(result.stdout)
    }

    @Test func routesEqualIproute2() throws {
        let ours = try Self.replay(["routes", "--replay-raw", FixtureFiles.url("routes.nlcap").path, "--table", "all"])
        let theirs = try JSONOracle.parse(FixtureFiles.text("routes.ip.json"))
        #expect(JSONOracle.differences(ours: ours, theirs: theirs, tolerance: ["expires"], slack: 2) == [])
    }

    @Test func rulesEqualIproute2() throws {
        let ours = try Self.replay(["rules", "--replay-raw", FixtureFiles.url("rules.nlcap").path])
        let theirs = try JSONOracle.parse(FixtureFiles.text("rules.ip.json"))
        #expect(JSONOracle.differences(ours: ours, theirs: theirs) == [])
    }

    @Test func neighboursEqualIproute2() throws {
        let ours = try Self.replay(["neigh", "--replay-raw", FixtureFiles.url("neigh.nlcap").path])
        let theirs = try JSONOracle.parse(FixtureFiles.text("neigh.ip.json"))
        #expect(JSONOracle.differences(ours: ours, theirs: theirs, tolerance: ["used", "confirmed", "updated"], slack: 5) == [])
    }

    /// What the decoders must get right that a JSON comparison could hide: multipath weights,
    /// nexthop objects, appended aliases with their own identity, rule selectors.
    @Test func decodedFacts() throws {
        let routes = try Self.decoded("routes.nlcap", type: RouteMessageType.newRoute, RouteDecoder.decode)
        let multipath = try #require(routes.first { $0.destination == IPAddress("172.16.0.0") })
        #expect(multipath.nexthops.map(\.weight) == [2, 3])
        #expect(routes.first { $0.destination == IPAddress("10.60.0.0") }?.nexthopID == 10)
        let aliases = routes.filter { $0.destination == IPAddress("10.55.0.0") }
        #expect(aliases.count == 2 && Set(aliases.map(\.key)).count == 2 && Set(aliases.map(\.baseKey)).count == 1)
        #expect(Set(routes.map(\.key)).count == routes.count, "two routes share a key")
        let rules = try Self.decoded("rules.nlcap", type: RouteMessageType.newRule, RuleDecoder.decode)
        let fwmark = try #require(rules.first { $0.priority == 1001 })
        #expect(fwmark.fwmark == 0x10 && fwmark.fwmask == 0xff)
        let ports = try #require(rules.first { $0.priority == 1006 })
        #expect(ports.ipProto == 6 && ports.destinationPortRange?.start == 80 && ports.destinationPortRange?.end == 90)
        #expect(rules.first { $0.priority == 1007 }?.uidRange?.end == 2000)
        #expect(rules.first { $0.priority == 1005 }?.suppressPrefixLength == 0)
        let neighbours = try Self.decoded("neigh.nlcap", type: RouteMessageType.newNeighbor, NeighborDecoder.decode)
        #expect(neighbours.contains { $0.destination == IPAddress("10.0.0.5") && $0.flags & 0x80 != 0 && $0.state == 0x04 })
    }

    /// Every truncation of every captured message either decodes what is whole (a cut
    /// between attributes) or raises NetlinkError naming the problem: never a crash, never
    /// another kind of error; and cuts inside an attribute are caught.
    @Test func everyTruncationIsReported() throws {
        try Self.expectTruncationsReported("routes.nlcap", types: [RouteMessageType.newRoute]) { _ = try RouteDecoder.decode($0) }
        try Self.expectTruncationsReported("rules.nlcap", types: [RouteMessageType.newRule]) { _ = try RuleDecoder.decode($0) }
        try Self.expectTruncationsReported("neigh.nlcap", types: [RouteMessageType.newNeighbor]) { _ = try NeighborDecoder.decode($0) }
    }

    /// Cuts every captured message of `types` in `file` at every length and decodes it: each
    /// cut must decode or throw NetlinkError (anything else is recorded), and more than ten
    /// must be caught, so the test cannot pass by decoding nothing.
    static func expectTruncationsReported(_ file: String, types: Set<UInt16>, _ decode: (NetlinkMessage) throws -> Void) throws {
        var caught = 0
        for datagram in try CaptureFormat.datagrams(in: FixtureFiles.bytes(file)) {
            let length = Int(datagram.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
            let messageType = datagram.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt16.self) }
            guard types.contains(messageType), length <= datagram.count else { continue }
            for cut in 16..<length {
                var bytes = Array(datagram[0..<cut])
                bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(cut), as: UInt32.self) }
                do {
                    try bytes.withUnsafeBytes { raw in
                        try Netlink.forEachMessage(in: raw, operation: file) { message in
                            try decode(message)
                            return true
                        }
                    }
                } catch is NetlinkError {
                    caught += 1
                } catch {
                    Issue.record("\(file) cut at \(cut): \(error)")
                }
            }
        }
        #expect(caught > 10, "\(file): only \(caught) truncations were caught")
    }
}
