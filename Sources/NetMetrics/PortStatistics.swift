import NetModel

/// The listening sockets on one (family, address, port): one socket, or a SO_REUSEPORT group.
/// Pure aggregation: the collector feeds it what the kernel reported.
package struct ListenerGroup {
    package struct Key: Hashable {
        package var family: String
        package var address: String
        package var port: UInt16

        package init(family: String, address: String, port: UInt16) {
            self.family = family
            self.address = address
            self.port = port
        }
    }
    package var queue: UInt64 = 0
    package var backlog: UInt64 = 0
    package var sockets = 0
    /// Members whose accept queue is full (the kernel's sk_acceptq_is_full: queue > backlog).
    package var full = 0
    package var maxFill = 0.0
    /// SK_MEMINFO_DROPS of the members, added up (a full accept queue counts here).
    package var drops: UInt64 = 0

    package init() {}

    package mutating func add(queue: UInt32, backlog: UInt32) {
        self.queue += UInt64(queue)
        self.backlog += UInt64(backlog)
        sockets += 1
        if queue > backlog { full += 1 }
        maxFill = max(maxFill, backlog > 0 ? Double(queue) / Double(backlog) : (queue > 0 ? 1 : 0))
    }
}

/// Per listening port: established connections and their tcp_info.
package struct PortStatistics {
    package static let rttBounds: [Double] = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
    package static let retransmitBounds: [Double] = [0, 1, 2, 5, 10, 50, 100]
    package static let deliveryBounds: [Double] = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

    package var established = 0
    /// Connections whose tcp_info the histograms hold.
    package var sampled = 0
    package var rtt = Histogram(bounds: PortStatistics.rttBounds)
    package var retransmits = Histogram(bounds: PortStatistics.retransmitBounds)
    package var delivery = Histogram(bounds: PortStatistics.deliveryBounds)

    package init() {}
}

/// Which listening ports keep per-port series under --max-ports: the ports in trouble first
/// (a full accept queue, then one filling past `warning`), then the busiest. A port whose
/// queue overflows is never cut for one that merely has traffic.
package enum PortRanking {
    package static func rank(
        ports: Set<UInt16>, groups: [(key: ListenerGroup.Key, value: ListenerGroup)], warning: Double,
        established: (UInt16) -> Int
    ) -> [UInt16] {
        var trouble: [UInt16: (full: Int, fill: Double)] = [:]
        for (key, group) in groups {
            let now = trouble[key.port] ?? (0, 0)
            trouble[key.port] = (now.full + group.full, max(now.fill, group.maxFill))
        }
        return ports.sorted { a, b in
            let x = trouble[a] ?? (0, 0), y = trouble[b] ?? (0, 0)
            if (x.full > 0) != (y.full > 0) { return x.full > 0 }
            if (x.fill >= warning) != (y.fill >= warning) { return x.fill >= warning }
            return (established(a), b) > (established(b), a)
        }
    }
}
