import Foundation
import Netlink
import NetModel
import RouteNetlink
import TestSupport
import Testing

/// The qdisc and class decoders on dumps captured from a real kernel
/// (Fixtures/capture-tc.sh), against `tc -s -j qdisc show` of the same state, and against
/// every truncation of the captured messages.
@Suite struct TrafficControlReplayTests {
    @Test func qdiscsEqualTc() throws {
        let ours = try RouteReplayTests.replay(["qdiscs", "--replay-raw", FixtureFiles.url("qdiscs.nlcap").path])
        let theirs = try JSONOracle.parse(FixtureFiles.text("qdiscs.tc.json"))
        #expect(JSONOracle.differences(ours: ours, theirs: theirs) == [])
    }

    @Test func decodedFacts() throws {
        let qdiscs = try RouteReplayTests.decoded("qdiscs.nlcap", type: RouteMessageType.newQdisc, TrafficControlDecoder.decode)
        let tbf = try #require(qdiscs.first { $0.kind == "tbf" })
        #expect(tbf.handle == 0x0002_0000 && tbf.isRoot && tbf.statistics.drops > 100 && tbf.options["rate"] == .unsigned(25_000))
        let pfifo = try #require(qdiscs.first { $0.kind == "pfifo" })
        #expect(pfifo.parent == 0x0001_0010 && pfifo.options["limit"] == .unsigned(50))
        let clsact = try #require(qdiscs.first { $0.kind == "clsact" })
        #expect(clsact.parent == TrafficControlObject.ingressHandle && TrafficControlObject.classID(clsact.parent) == "ffff:fff1")
        #expect(qdiscs.first { $0.kind == "pfifo_fast" }?.options["priomap"] == .list([1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]))
        let classes = try RouteReplayTests.decoded("classes.nlcap", type: RouteMessageType.newClass, TrafficControlDecoder.decode)
        #expect(classes.count == 3 && classes.allSatisfy { $0.role == .trafficClass && $0.kind == "htb" })
        let leaf = try #require(classes.first { $0.handle == 0x0001_0010 })
        #expect(leaf.info >> 16 == 0x10 && leaf.options["prio"] == .signed(1) && leaf.options["rate"] == .unsigned(125_000))
        #expect(leaf.options["ceil"] == .unsigned(1_250_000) && leaf.options["burst"] == .unsigned(1600))
        #expect(leaf.extendedStatistics.map(\.name) == ["lended", "borrowed", "giants", "tokens", "ctokens"])
        // tc's text for the same classes: the packets it counted.
        let text = try FixtureFiles.text("classes.tc.txt")
        #expect(text.contains("Sent \(leaf.statistics.bytes) bytes \(leaf.statistics.packets) pkt"))
    }

    /// A kind netscope does not decode keeps its options raw; a malformed known kind is an error.
    @Test func unknownKindsStayRawAndBadOptionsAreErrors() throws {
        func message(kind: String, options: [UInt8]) -> [UInt8] {
            func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
                let length = 4 + payload.count
                var bytes = withUnsafeBytes(of: UInt16(length).littleEndian, Array.init) + withUnsafeBytes(of: type.littleEndian, Array.init) + payload
                while bytes.count % 4 != 0 { bytes.append(0) }
                return bytes
            }
            let body = [UInt8](repeating: 0, count: 20) + attribute(1, Array(kind.utf8) + [0]) + attribute(2, options)
            let length = UInt32(16 + body.count)
            return withUnsafeBytes(of: length.littleEndian, Array.init) + withUnsafeBytes(of: RouteMessageType.newQdisc.littleEndian, Array.init)
                + [0, 0] + [UInt8](repeating: 0, count: 8) + body
        }
        func decode(_ bytes: [UInt8]) throws -> TrafficControlObject {
            var result: TrafficControlObject?
            try bytes.withUnsafeBytes { raw in
                try Netlink.forEachMessage(in: raw, operation: "test") { message in
                    result = try TrafficControlDecoder.decode(message)
                    return true
                }
            }
            return try #require(result)
        }
        let cake = try decode(message(kind: "cake", options: [8, 0, 1, 0, 1, 2, 3, 4]))
        #expect(cake.rawOptions == [8, 0, 1, 0, 1, 2, 3, 4] && cake.options.isEmpty)
        #expect(throws: NetlinkError.self) { try decode(message(kind: "pfifo", options: [1, 2])) }
    }

    /// The drops ledger from the same capture and the captured /proc tree: each source's
    /// number where its own tool put it, the layers in the stack's order, zeros only with --all.
    @Test func dropsLedgerFromACapture() throws {
        let arguments = ["drops", "--replay-raw", FixtureFiles.url("drops.nlcap").path, "--proc-root", FixtureFiles.url("proc").path]
        let all = try RouteReplayTests.replay(arguments + ["--all"]) as? [[String: Any]] ?? []
        let shown = try RouteReplayTests.replay(arguments) as? [[String: Any]] ?? []
        func value(_ rows: [[String: Any]], _ object: String, _ counter: String) -> Int? {
            rows.first { $0["object"] as? String == object && $0["counter"] as? String == counter }?["value"] as? Int
        }
        let tc = try JSONOracle.parse(FixtureFiles.text("qdiscs.tc.json")) as? [[String: Any]] ?? []
        let tbfDrops = tc.first { $0["kind"] as? String == "tbf" }?["drops"] as? Int
        #expect(tbfDrops != nil && value(shown, "b0 qdisc tbf 2:", "drops") == tbfDrops)
        let snmp = try FixtureFiles.text("proc/net/snmp").split(separator: "\n").filter { $0.hasPrefix("Udp: ") }.map { $0.split(separator: " ") }
        let noPorts = Int(snmp[1][snmp[0].firstIndex(of: "NoPorts")!])
        #expect(value(all, "Udp", "UdpNoPorts") == noPorts)
        let layers = ["socket", "tcp/udp", "ip", "conntrack", "neighbour", "backlog", "qdisc", "device", "driver"]
        let order = all.compactMap { layers.firstIndex(of: $0["layer"] as? String ?? "") }
        #expect(order == order.sorted() && Set(order).count >= 6, "\(Set(order))")
        #expect(shown.allSatisfy { ($0["value"] as? Int ?? 0) > 0 } && shown.count < all.count)
        // No driver rows from a recording: ethtool is not netlink.
        #expect(!all.contains { $0["layer"] as? String == "driver" })
    }

    @Test func everyTruncationIsReported() throws {
        for file in ["qdiscs.nlcap", "classes.nlcap"] {
            try RouteReplayTests.expectTruncationsReported(file, types: [RouteMessageType.newQdisc, RouteMessageType.newClass]) {
                _ = try TrafficControlDecoder.decode($0)
            }
        }
    }
}
