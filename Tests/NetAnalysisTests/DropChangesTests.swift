import NetAnalysis
import NetModel
import Testing

@Suite struct DropChangesTests {
    static func counter(_ object: String, _ name: String, _ value: UInt64, gauge: Bool = false, layer: DropLayer = .qdisc) -> DropCounter {
        DropCounter(layer: layer, path: .transmit, object: object, counter: name, value: value, meaning: "m", isGauge: gauge)
    }

    /// What grew comes first (most first), then the rest in the stack's order; a counter that
    /// went back counts from zero; a new one counts from zero; a gauge shows its change but no rate.
    @Test func growthFirstResetsAndGauges() {
        let before = [
            Self.counter("a", "drops", 10), Self.counter("b", "drops", 100), Self.counter("c", "backlog", 500, gauge: true),
            Self.counter("d", "drops", 1000),
        ]
        let after = [
            Self.counter("a", "drops", 15), Self.counter("b", "drops", 100), Self.counter("c", "backlog", 200, gauge: true),
            Self.counter("d", "drops", 7), Self.counter("e", "drops", 40, layer: .socket),
        ]
        let rows = DropChanges.rows(before: before, after: after, seconds: 2)
        #expect(rows.map(\.counter.object) == ["e", "d", "a", "b", "c"])
        #expect(rows.map(\.delta) == [40, 7, 5, 0, -300])
        #expect(rows.map(\.rate) == [20, 3.5, 2.5, 0, nil])
    }
}
