import NetOutput
import NetModel

/// Per-interface rates between two samples of IFLA_STATS64.
package struct InterfaceRate: Sendable {
    package var index: Int32
    package var name: String
    package var seconds: Double
    /// What each counter grew by over `seconds`; nil when there is no honest rate for this
    /// interval: the interface is new or was recreated (another ifindex), or a counter went
    /// backwards (a driver reset it).
    package var delta: LinkStatistics?
    package var note: String?
}

package enum RateCalculator {
    /// Rates for every interface of `current` that has statistics, matched to `previous` by
    /// ifindex and name. 64-bit counters do not wrap in practice, so a decrease means a reset,
    /// and an interface that restarts shows no rate rather than a negative or huge one.
    package static func interfaces(previous: [Interface], current: [Interface], seconds: Double) -> [InterfaceRate] {
        var before: [Int32: Interface] = [:]
        for interface in previous { before[interface.index] = interface }
        return current.compactMap { now in
            guard let nowStats = now.statistics else { return nil }
            var rate = InterfaceRate(index: now.index, name: now.name, seconds: seconds)
            guard let then = before[now.index], then.name == now.name, let thenStats = then.statistics else {
                rate.note = before[now.index] == nil ? "new" : "recreated"
                return rate
            }
            var delta = LinkStatistics()
            for field in LinkStatistics.fieldOrder {
                let (a, b) = (thenStats[keyPath: field], nowStats[keyPath: field])
                guard b >= a else {
                    rate.note = "counters reset"
                    return rate
                }
                delta[keyPath: field] = b - a
            }
            rate.delta = delta
            return rate
        }
    }

    /// Protocol counter deltas between two samples: counters as a difference (nil when it went
    /// backwards, e.g. a namespace was recreated), gauges as their current value.
    package static func protocols(previous: [ProtocolCounter], current: [ProtocolCounter]) -> [(ProtocolCounter, Int64?)] {
        var before: [String: Int64] = [:]
        for counter in previous { before[counter.name] = counter.value }
        return current.map { counter in
            guard counter.kind == .counter else { return (counter, nil) }
            guard let old = before[counter.name], counter.value >= old else { return (counter, nil) }
            return (counter, counter.value - old)
        }
    }

    /// Softnet deltas per CPU; the kernel's 32-bit columns wrap, so differences are taken modulo 2^32.
    package static func softnet(previous: [SoftnetStatistics], current: [SoftnetStatistics]) -> [SoftnetStatistics] {
        var before: [Int: SoftnetStatistics] = [:]
        for row in previous { before[row.cpu] = row }
        return current.compactMap { now in
            guard let then = before[now.cpu] else { return nil }
            return SoftnetStatistics(
                cpu: now.cpu, processed: now.processed &- then.processed, dropped: now.dropped &- then.dropped,
                timeSqueeze: now.timeSqueeze &- then.timeSqueeze, cpuCollision: now.cpuCollision &- then.cpuCollision,
                receivedRPS: now.receivedRPS &- then.receivedRPS, flowLimitCount: now.flowLimitCount &- then.flowLimitCount)
        }
    }
}
