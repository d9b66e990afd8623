import Foundation
import Netlink
import NetModel
import RouteNetlink
import TestSupport
import Testing

/// The neighbour-table decoder on the RTM_GETNEIGHTBL dump inside the drops capture
/// (Fixtures/capture-tc.sh), against `ip -s -j ntable` of the same moment.
@Suite struct NeighborTableReplayTests {
    static func tables() throws -> [NeighborTable] {
        try RouteReplayTests.decoded("drops.nlcap", type: RouteMessageType.newNeighborTable, NeighborTableDecoder.decode).compactMap { $0 }
    }

    @Test func tablesEqualIpSNtable() throws {
        let ours = try Self.tables()
        let theirs = (try JSONOracle.parse(FixtureFiles.text("ntable.ip.json")) as? [[String: Any]] ?? []).filter { $0["dev"] == nil }
        #expect(ours.map(\.name) == theirs.compactMap { $0["name"] as? String })
        for (table, oracle) in zip(ours, theirs) {
            #expect(table.family.name == oracle["family"] as? String)
            #expect(table.entries.map(Int.init) == oracle["entries"] as? Int)
            #expect(table.statistics.map(\.name).prefix(NeighborTable.statisticNames.count).elementsEqual(NeighborTable.statisticNames))
            // Host-wide counters that the rest of the machine moves between the two reads:
            // the ones that count drops must be equal, the busy ones close.
            for (name, value) in table.statistics {
                guard let expected = (oracle[name] as? NSNumber)?.uint64Value else { continue }
                if ["res_failed", "table_fulls", "forced_gc_runs", "hash_grows"].contains(name) {
                    #expect(value == expected, "\(table.name) \(name)")
                } else {
                    #expect(value <= expected && expected - value < 10_000, "\(table.name) \(name): \(value) vs ip \(expected)")
                }
            }
        }
    }

    @Test func everyTruncationIsReported() throws {
        try RouteReplayTests.expectTruncationsReported("drops.nlcap", types: [RouteMessageType.newNeighborTable]) {
            _ = try NeighborTableDecoder.decode($0)
        }
    }
}
