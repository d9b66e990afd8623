import NetModel

/// One row of `netscope drops`: a counter, and with two readings what it did in between.
package struct DropRow: Sendable {
    package var counter: DropCounter
    /// Growth over the interval (a counter that went back, reset or wrapped, counts from 0);
    /// for a gauge (backlog) the change, which may be negative.
    package var delta: Int64?
    /// delta per second (counters only).
    package var rate: Double?

    package init(counter: DropCounter, delta: Int64? = nil, rate: Double? = nil) {
        self.counter = counter
        self.delta = delta
        self.rate = rate
    }
}

package enum DropChanges {
    /// The counters of `after` with what each did since `before`, `seconds` apart; counters
    /// absent before (a socket that started dropping, a new qdisc) count from zero. Sorted by
    /// what grew most first, then in the stack's order.
    package static func rows(before: [DropCounter], after: [DropCounter], seconds: Double) -> [DropRow] {
        var earlier: [String: UInt64] = [:]
        for counter in before { earlier[counter.key] = counter.value }
        let rows = after.enumerated().map { index, counter -> (Int, DropRow) in
            let old = earlier[counter.key] ?? 0
            if counter.isGauge {
                return (index, DropRow(counter: counter, delta: Int64(clamping: counter.value) - Int64(clamping: old)))
            }
            let delta = counter.value >= old ? counter.value - old : counter.value
            return (index, DropRow(counter: counter, delta: Int64(clamping: delta), rate: seconds > 0 ? Double(delta) / seconds : nil))
        }
        return rows.sorted { a, b in
            let growthA = a.1.counter.isGauge ? 0 : a.1.delta ?? 0, growthB = b.1.counter.isGauge ? 0 : b.1.delta ?? 0
            return growthA != growthB ? growthA > growthB : a.0 < b.0
        }.map(\.1)
    }
}
