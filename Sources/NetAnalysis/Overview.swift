import NetOutput
import NetModel

/// One screen about a namespace's stack, derived from two samples (or one: then there are
/// totals but no rates). Pure: built from `StackSample`s, rendered by `OverviewRenderer`.
package struct Overview: Sendable {
    /// Seconds between the samples; nil when built from one sample.
    package var seconds: Double?
    /// The namespace's name with --all-netns (nil: the current one).
    package var namespace: String?
    /// Its container label (docker:…, pod:…), when its processes' cgroups name one.
    package var container: String?
    package var interfaces: [InterfaceRow] = []
    package var defaultRoutes: [DefaultRoute] = []
    package var routeTables: [StackSample.RouteCount] = []
    package var rules = (ipv4: 0, ipv6: 0)
    package var neighbors = 0
    package var sockets: [SocketRow] = []
    package var listeners: [ListenerRow] = []
    package var talkers: [TalkerRow] = []
    package var health: [HealthRow] = []
    /// Drop and error counters of every layer that grew in the interval, what grew most first.
    package var drops: [DropRow] = []
    /// Every protocol counter that moved in the interval (for top's counters pane).
    package var counterRates: [CounterRate] = []
    /// What could not be read.
    package var notes: [String] = []
    /// Socket families read from /proc instead of sock_diag, or not available.
    package var socketNotes: [String] = []

    package struct CounterRate: Sendable {
        package var name: String
        package var delta: Int64
        package var perSecond: Double
    }

    package struct InterfaceRow: Sendable {
        package var name: String
        package var state: OperState?
        package var addresses: [String]
        /// Per second over the interval: rx/tx bytes, rx/tx packets, errors, drops (rx + tx).
        package var rates: Rates?
        /// Without an interval: the counters since the interface came up (same fields, totals).
        package var totals: Rates?
        /// Why there is no rate (new, recreated, counters reset, no interval).
        package var note: String?
        package var abnormal: Bool { (rates?.errors ?? 0) > 0 || (rates?.drops ?? 0) > 0 }
    }

    package struct Rates: Sendable {
        package var rxBytes, txBytes, rxPackets, txPackets, errors, drops: Double
    }

    package struct DefaultRoute: Sendable {
        package var family: String
        package var gateway: String?
        package var device: String?
        package var table: String
        package var metric: UInt32?
        package var multipath: Int
    }

    package struct SocketRow: Sendable {
        package var proto: String
        package var total: Int
        /// ss state names in the kernel's order, with their counts.
        package var states: [(name: String, count: Int)]
    }

    package struct ListenerRow: Sendable {
        package var local: String
        package var acceptQueue: UInt32
        package var backlog: UInt32
        /// acceptQueue / backlog; connections are dropped (ListenOverflows) when it reaches 1.
        package var fill: Double
        package var abnormal: Bool { fill >= Overview.listenerFillWarning }
    }

    package struct TalkerRow: Sendable {
        package var local: String
        package var peer: String
        /// Bytes per second over the interval, or nil without one (then `sent`/`received` are totals).
        package var sentPerSecond: Double?
        package var receivedPerSecond: Double?
        package var sent: UInt64
        package var received: UInt64
    }

    package struct HealthRow: Sendable {
        package var label: String
        /// The counters summed into this row (Group.Field).
        package var counters: [String]
        package var total: Int64
        package var delta: Int64?
        package var perSecond: Double?
        /// Extra context: the retransmit share of sent segments.
        package var detail: String?
        package var abnormal: Bool
    }

    /// A listener whose accept queue is this full is about to drop connections.
    package static let listenerFillWarning = 0.8

    /// Everything highlighted, one line each: what a person should look at first.
    package var alerts: [String] {
        var result: [String] = []
        for row in interfaces where row.abnormal {
            result.append("\(row.name): \(Units.human(row.rates!.errors))/s errors, \(Units.human(row.rates!.drops))/s drops")
        }
        for row in listeners where row.abnormal {
            result.append("listener \(row.local): accept queue \(row.acceptQueue) of \(row.backlog)")
        }
        for row in health where row.abnormal {
            result.append("\(row.label): \(row.delta ?? row.total) in \(Units.fixed(seconds ?? 0, decimals: 1)) s")
        }
        // Losses the rows above do not already name (DROPS holds losses only).
        let named = Set(OverviewBuilder.healthRows.flatMap(\.counters).map { $0.replacingDot() })
        for row in drops {
            if row.counter.layer == .device || row.counter.layer == .backlog || named.contains(row.counter.counter) { continue }
            result.append("\(row.counter.layer.name) \(row.counter.object) \(row.counter.counter) +\(row.delta ?? 0) in \(Units.fixed(seconds ?? 0, decimals: 1)) s")
        }
        return result
    }
}

/// Builds an `Overview` from samples.
package enum OverviewBuilder {
    /// What protocol health shows: a label, the counters summed, and whether any increase is
    /// a problem worth highlighting (resets and timeouts happen on healthy hosts; drops do not).
    static let healthRows: [(label: String, counters: [String], alarming: Bool)] = [
        ("TCP retransmitted segments", ["Tcp.RetransSegs"], false),
        ("TCP listen overflows", ["TcpExt.ListenOverflows"], true),
        ("TCP listen drops", ["TcpExt.ListenDrops"], true),
        ("TCP backlog drops", ["TcpExt.TCPBacklogDrop"], true),
        ("TCP resets sent", ["Tcp.OutRsts"], false),
        ("TCP connections reset", ["Tcp.EstabResets"], false),
        ("TCP timeouts", ["TcpExt.TCPTimeouts"], false),
        ("UDP receive-buffer errors", ["Udp.RcvbufErrors", "Udp6.RcvbufErrors"], true),
        ("UDP send-buffer errors", ["Udp.SndbufErrors", "Udp6.SndbufErrors"], true),
        ("UDP checksum errors", ["Udp.InCsumErrors", "Udp6.InCsumErrors"], true),
        ("IP reassembly failures", ["Ip.ReasmFails", "Ip6.ReasmFails"], true),
    ]

    /// Retransmissions above this share of sent segments are highlighted.
    static let retransmitWarning = 0.01

    /// Overviews of namespace-labelled samples (--all-netns), each built against the previous
    /// sample of the same name: a namespace that appeared in between has no rates yet.
    package static func build(
        previous: [(String?, StackSample)], current: [(String?, StackSample)], top: Int = 5
    ) -> [Overview] {
        current.map { name, sample in
            var overview = build(previous: previous.first { $0.0 == name }?.1, current: sample, top: top)
            overview.namespace = name
            return overview
        }
    }

    package static func build(previous: StackSample?, current: StackSample, top: Int = 5) -> Overview {
        var overview = Overview()
        let seconds = previous.map { current.time - $0.time }.flatMap { $0 > 0 ? $0 : nil }
        overview.seconds = seconds
        overview.notes = current.notes
        overview.socketNotes = current.socketNotes
        let names = InterfaceNames(current.interfaces)

        // Interfaces, with rates where there is an honest one.
        var addresses: [Int32: [String]] = [:]
        for address in current.addresses {
            addresses[address.interfaceIndex, default: []].append(address.text)
        }
        var rates: [Int32: InterfaceRate] = [:]
        if let previous, let seconds {
            for rate in RateCalculator.interfaces(previous: previous.interfaces, current: current.interfaces, seconds: seconds) {
                rates[rate.index] = rate
            }
        }
        for interface in current.interfaces {
            var row = Overview.InterfaceRow(
                name: interface.name, state: interface.operState,
                addresses: addresses[interface.index] ?? [], rates: nil, note: nil)
            if seconds == nil, let stats = interface.statistics {
                row.totals = Overview.Rates(
                    rxBytes: Double(stats.rxBytes), txBytes: Double(stats.txBytes), rxPackets: Double(stats.rxPackets),
                    txPackets: Double(stats.txPackets), errors: Double(stats.rxErrors + stats.txErrors),
                    drops: Double(stats.rxDropped + stats.txDropped))
            }
            if let seconds, let rate = rates[interface.index] {
                if let d = rate.delta {
                    row.rates = Overview.Rates(
                        rxBytes: Double(d.rxBytes) / seconds, txBytes: Double(d.txBytes) / seconds,
                        rxPackets: Double(d.rxPackets) / seconds, txPackets: Double(d.txPackets) / seconds,
                        errors: Double(d.rxErrors + d.txErrors) / seconds, drops: Double(d.rxDropped + d.txDropped) / seconds)
                } else {
                    row.note = rate.note
                }
            }
            overview.interfaces.append(row)
        }

        // Routing.
        for route in current.defaultRoutes {
            let device = route.outputInterface.map { names[$0] } ?? route.nexthops.first.map { names[$0.interfaceIndex] }
            overview.defaultRoutes.append(Overview.DefaultRoute(
                family: RouteNames.family(route.family),
                gateway: (route.gateway ?? route.via ?? route.nexthops.first?.gateway)?.description,
                device: device, table: RouteNames.table(route.table), metric: route.priority,
                multipath: route.nexthops.count))
        }
        overview.routeTables = current.routeCounts
        overview.rules = current.ruleCount
        overview.neighbors = current.neighborCount

        // Sockets by protocol and state.
        var order: [SocketProtocol] = []
        var byProto: [SocketProtocol: [(String, Int)]] = [:]
        for count in current.socketCounts {
            if byProto[count.proto] == nil { order.append(count.proto) }
            byProto[count.proto, default: []].append((count.state.ssName, count.count))
        }
        overview.sockets = order.map { proto in
            let states = byProto[proto]!
            return Overview.SocketRow(proto: proto.netid, total: states.reduce(0) { $0 + $1.1 }, states: states.map { (name: $0.0, count: $0.1) })
        }

        // Listeners, fullest accept queue first.
        overview.listeners = current.listeners.map { listener in
            Overview.ListenerRow(
                local: listener.local, acceptQueue: listener.acceptQueue, backlog: listener.backlog,
                fill: listener.backlog > 0 ? Double(listener.acceptQueue) / Double(listener.backlog) : 0)
        }
        .sorted { ($0.fill, $0.acceptQueue) > ($1.fill, $1.acceptQueue) || (($0.fill, $0.acceptQueue) == ($1.fill, $1.acceptQueue) && $0.local < $1.local) }
        if overview.listeners.count > top { overview.listeners.removeLast(overview.listeners.count - top) }

        // Talkers: bytes moved in the interval, matched by socket cookie.
        var talkers: [(row: Overview.TalkerRow, weight: UInt64)] = []
        if let previous, let seconds {
            var before: [UInt64: StackSample.Connection] = [:]
            for connection in previous.connections { before[connection.cookie] = connection }
            for now in current.connections {
                let then = before[now.cookie]
                let sent = now.bytesSent &- (then?.bytesSent ?? 0)
                let received = now.bytesReceived &- (then?.bytesReceived ?? 0)
                // A connection opened during the interval counts from zero; a counter that went
                // backwards is a reused cookie, which the kernel never produces, so skip it.
                guard sent <= now.bytesSent, received <= now.bytesReceived, sent + received > 0 else { continue }
                talkers.append((Overview.TalkerRow(
                    local: now.local, peer: now.peer, sentPerSecond: Double(sent) / seconds,
                    receivedPerSecond: Double(received) / seconds, sent: now.bytesSent, received: now.bytesReceived), sent + received))
            }
        } else {
            for now in current.connections where now.bytesSent + now.bytesReceived > 0 {
                talkers.append((Overview.TalkerRow(
                    local: now.local, peer: now.peer, sentPerSecond: nil, receivedPerSecond: nil,
                    sent: now.bytesSent, received: now.bytesReceived), now.bytesSent + now.bytesReceived))
            }
        }
        talkers.sort { $0.weight > $1.weight || ($0.weight == $1.weight && ($0.row.local, $0.row.peer) < ($1.row.local, $1.row.peer)) }
        overview.talkers = talkers.prefix(top).map(\.row)

        // Protocol health.
        var now: [String: Int64] = [:]
        for counter in current.protocolCounters { now[counter.name] = counter.value }
        var then: [String: Int64] = [:]
        for counter in previous?.protocolCounters ?? [] { then[counter.name] = counter.value }
        func sum(_ names: [String], _ values: [String: Int64]) -> Int64? {
            let present = names.compactMap { values[$0] }
            return present.isEmpty ? nil : present.reduce(0, +)
        }
        for (label, counters, alarming) in healthRows {
            guard let total = sum(counters, now) else { continue }
            var row = Overview.HealthRow(label: label, counters: counters, total: total, abnormal: false)
            if let seconds, let old = sum(counters, then), total >= old {
                row.delta = total - old
                row.perSecond = Double(total - old) / seconds
                row.abnormal = alarming && total > old
            }
            if label.hasPrefix("TCP retransmitted"), let out = sum(["Tcp.OutSegs"], now) {
                let sentNow = out - (sum(["Tcp.OutSegs"], then) ?? 0)
                let retransmitted = row.delta ?? total
                if sentNow > 0 {
                    let share = Double(retransmitted) / Double(sentNow)
                    row.detail = Units.fixed(share * 100, decimals: 2) + "% of sent segments"
                    row.abnormal = row.delta != nil && retransmitted >= 10 && share >= retransmitWarning
                }
            }
            overview.health.append(row)
        }
        if let previous, let seconds {
            for (counter, delta) in RateCalculator.protocols(previous: previous.protocolCounters, current: current.protocolCounters) {
                if let delta, delta > 0 {
                    overview.counterRates.append(Overview.CounterRate(name: counter.name, delta: delta, perSecond: Double(delta) / seconds))
                }
            }
        }
        if let previous, let seconds {
            // Losses only: pressure counters (a shaper's overlimits, requeues, squeezes) are
            // delays or warnings, listed by `drops`, not under DROPS.
            overview.drops = DropChanges.rows(before: previous.drops, after: current.drops, seconds: seconds)
                .filter { !$0.counter.isGauge && ($0.delta ?? 0) > 0 && !DropCatalog.pressure.contains($0.counter.counter) }
        }
        if !current.softnet.isEmpty {
            let deltas = previous.map { RateCalculator.softnet(previous: $0.softnet, current: current.softnet) }
            for (label, field) in [("softnet backlog drops", \SoftnetStatistics.dropped), ("softnet time squeezes", \.timeSqueeze)] {
                let total = current.softnet.reduce(Int64(0)) { $0 + Int64($1[keyPath: field]) }
                var row = Overview.HealthRow(label: label, counters: ["softnet_stat"], total: total, abnormal: false)
                if let deltas, let seconds {
                    let delta = deltas.reduce(Int64(0)) { $0 + Int64($1[keyPath: field]) }
                    row.delta = delta
                    row.perSecond = Double(delta) / seconds
                    row.abnormal = delta > 0
                }
                overview.health.append(row)
            }
        }
        return overview
    }
}

extension String {
    /// "TcpExt.ListenOverflows" → "TcpExtListenOverflows" (the overview's Group.Field to nstat's name).
    func replacingDot() -> String { String(filter { $0 != "." }) }
}
