import NetModel

/// Closed TCP connections counted per (service port, side), for `serve`'s `connections`
/// collector: how many closed, how long they lived, how many bytes they carried. Pure
/// aggregation: the close monitor feeds it what the destroy notifications said.
///
/// Series are counters, so a port that has its own series keeps it for good: ports get one
/// in the order their first close arrives, up to `maxPorts`; later ports are counted under
/// port "other". Ranking by volume would move counts between series and break monotonicity.
package struct ClosedConnections: Sendable {
    /// Seconds: from a millisecond handshake-and-close to an hour-long session.
    package static let durationBounds: [Double] = [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800, 3600]
    /// Bytes in both directions: an empty connection, a request, a page, a download.
    package static let byteBounds: [Double] = [1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    package struct Key: Hashable, Sendable, Comparable {
        /// nil: the ports past --max-ports.
        package var port: UInt16?
        package var side: ConnectionSide
        package static func < (a: Key, b: Key) -> Bool {
            (a.port.map(Int.init) ?? 65536, a.side.rawValue) < (b.port.map(Int.init) ?? 65536, b.side.rawValue)
        }
    }

    package struct Entry: Sendable {
        package var closed: UInt64 = 0
        package var duration = Histogram(bounds: ClosedConnections.durationBounds)
        /// Closes whose lifetime is not bounded within one bucket: not in `duration`.
        package var durationUnknown: UInt64 = 0
        package var bytes = Histogram(bounds: ClosedConnections.byteBounds)
    }

    package let maxPorts: Int
    package private(set) var entries: [Key: Entry] = [:]
    private var ports: Set<UInt16> = []
    /// Close notifications the kernel dropped (sk_drops of the monitor's socket).
    package var lost: UInt64 = 0

    package init(maxPorts: Int) { self.maxPorts = maxPorts }

    /// Counts one close. Its lifetime goes into the histogram only when both bounds fall in
    /// the same bucket (so every bucket count is exact), as the middle of the bounds (so the
    /// sum is within half the bounds' width of the truth per connection); otherwise it is
    /// counted as unknown. Nothing is invented for a connection no dump bounded.
    package mutating func add(port: UInt16, side: ConnectionSide, lifetime: Lifetime?, bytes: UInt64) {
        if !ports.contains(port) && ports.count < maxPorts { ports.insert(port) }
        let key = Key(port: ports.contains(port) ? port : nil, side: side)
        entries[key, default: Entry()].closed += 1
        if let value = Self.observable(lifetime) {
            entries[key]!.duration.observe(value)
        } else {
            entries[key]!.durationUnknown += 1
        }
        entries[key]!.bytes.observe(Double(bytes))
    }

    /// The value a lifetime is observed as, or nil when its bounds straddle a bucket bound.
    package static func observable(_ lifetime: Lifetime?) -> Double? {
        guard let lifetime, let atMost = lifetime.atMost else { return nil }
        func bucket(_ value: Double) -> Int { durationBounds.firstIndex { value <= $0 } ?? durationBounds.count }
        guard bucket(lifetime.atLeast) == bucket(atMost) else { return nil }
        return (lifetime.atLeast + atMost) / 2
    }

    /// The four families, every series in a fixed order.
    package func write(into w: inout MetricsWriter) {
        let keys = entries.keys.sorted()
        func labels(_ key: Key) -> KeyValuePairs<String, String> {
            ["port": key.port.map(String.init) ?? "other", "side": key.side.rawValue]
        }
        w.family(
            "netscope_tcp_connections_closed", .counter,
            help: "TCP connections closed, by service port (the listener's port for accepted connections, the peer's for outgoing ones) and side; from the sock_diag destroy notifications.")
        for key in keys { w.sample(labels(key), entries[key]!.closed) }
        w.family(
            "netscope_tcp_connection_duration_seconds", .histogram,
            help: "Lifetime of closed TCP connections whose dumps (one a second) bound it within one bucket; observed as the middle of the bounds, so each bucket count is exact and the sum is within half a second per connection.",
            unit: "seconds")
        for key in keys { w.histogram(labels(key), entries[key]!.duration) }
        w.family(
            "netscope_tcp_connection_duration_unknown", .counter,
            help: "Closed TCP connections left out of netscope_tcp_connection_duration_seconds: their lifetime was not bounded within one bucket (most that lived under a few seconds, and those open before netscope started).")
        for key in keys { w.sample(labels(key), entries[key]!.durationUnknown) }
        w.family(
            "netscope_tcp_connection_bytes", .histogram,
            help: "Bytes each closed TCP connection carried, both directions (tcpi_bytes_acked + tcpi_bytes_received; sequence space, so SYN and FIN count one each).",
            unit: "bytes")
        for key in keys { w.histogram(labels(key), entries[key]!.bytes) }
        w.family("netscope_socket_events_lost", .counter, help: "Close notifications the kernel dropped because netscope's receive buffer was full.")
        w.sample([:], lost)
    }
}
