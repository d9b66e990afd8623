import BuildInfo
import NetQuery
import NetRender
import NetAnalysis
import NetOutput
import NetMetrics
import NetModel
import Netlink
import ProcNet
import SockDiag
#if canImport(Glibc)
import Glibc
#endif

/// The groups of metrics `netscope metrics` and `serve` can collect (`--collectors`).
package enum MetricsCollector: String, CaseIterable, Sendable {
    case interfaces, protocols, sockstat, softnet, sockets, listeners, tcpinfo, connections, routes, neighbors, qdiscs, ntables, conntrack, ethtool

    package var summary: String {
        switch self {
        case .interfaces: return "per-interface counters and state (rtnetlink IFLA_STATS64)"
        case .protocols: return "every counter of /proc/net/snmp, netstat and snmp6, typed"
        case .sockstat: return "/proc/net/sockstat and sockstat6"
        case .softnet: return "/proc/net/softnet_stat per CPU"
        case .sockets: return "socket counts by protocol and state (sock_diag)"
        case .listeners: return "TCP listeners: accept queue, backlog, established connections per port"
        case .tcpinfo: return "tcp_info histograms (rtt, retransmits, delivery rate) per listening port"
        case .connections: return "closed TCP connections per service port and side, with duration and byte histograms (serve only: it follows closes between scrapes)"
        case .routes: return "route counts per family, table, protocol and type"
        case .neighbors: return "neighbour counts per family and state"
        case .qdiscs: return "every qdisc's statistics (tc -s qdisc): bytes, packets, drops, overlimits, requeues, backlog"
        case .ntables: return "neighbour-table statistics (ip -s ntable): resolution failures, table fulls, unresolved discards"
        case .conntrack: return "conntrack statistics (/proc/net/stat/nf_conntrack) when conntrack is loaded"
        case .ethtool: return "the IEEE 802.3 and RMON standard statistics of drivers that report them (ethtool netlink)"
        }
    }
}

/// What to collect and how much.
package struct MetricsOptions: @unchecked Sendable {
    /// Every collector but `tcpinfo`, whose cost grows with the connections it reads (the
    /// kernel fills tcp_info for each); `--collectors all` or a list that names it adds it.
    package var collectors = MetricsOptions.defaultCollectors
    /// ntables and ethtool are asked for by name (or all): their dumps carry a message per
    /// device (per table, for ntables), which on a host of many virtual devices is a fixed
    /// cost of every scrape for series that are host-wide or, for veths, empty.
    /// `connections` keeps a subscription and dumps TCP sockets once a second in the
    /// background, a cost that grows with the connections: `serve` runs it when named (or all).
    package static let defaultCollectors = Set(MetricsCollector.allCases).subtracting([.tcpinfo, .ntables, .ethtool, .connections])
    /// Devices whose whole name matches `deviceInclude` (when set) and not `deviceExclude`.
    package var deviceInclude: Regex<AnyRegexOutput>?
    package var deviceExclude: Regex<AnyRegexOutput>?
    /// Protocol counters (Group.Field) whose whole name matches; nil: all.
    package var protocolFields: Regex<AnyRegexOutput>?
    /// At most this many listening ports get per-port series (the busiest first).
    package var maxPorts = 64
    /// The tcpinfo collector reads tcp_info of at most this many established connections per
    /// listening port (a sample in the kernel's hash order: docs/metrics.md, "tcp_info
    /// sampling"); 0 reads every one.
    package var tcpInfoSample = MetricsOptions.defaultTCPInfoSample
    /// About ±3 percentage points on any histogram bucket's share at 95% confidence.
    package static let defaultTCPInfoSample = 1000
    /// Read interface speeds from /sys/class/net (only right in the namespace sysfs was mounted in).
    package var sysfsSpeed = true

    package init() {}

    func deviceSelected(_ name: String) -> Bool {
        if let include = deviceInclude, (try? include.wholeMatch(in: name)) == nil { return false }
        if let exclude = deviceExclude, (try? exclude.wholeMatch(in: name)) != nil { return false }
        return true
    }
}

/// Collects and writes every selected metric family. Each collector writes into a buffer of
/// its own first: one that fails leaves nothing half-written, and its failure is a metric
/// (`netscope_scrape_collector_success 0`) rather than a broken scrape. Sendable for the
/// server, which calls it from its one collection thread; a scrape runs its socket pass and
/// the other collectors on two threads of its own (see `write`).
package struct MetricsExporter: @unchecked Sendable {
    package let sources: SourceOptions
    package let proc: ProcRoot
    package var options: MetricsOptions
    /// The close monitor `serve` runs for the `connections` collector (nil: not collected).
    package var connections: ConnectionCloseMonitor?
    /// Labels every series gets first (`netns`, `container`: one namespace of --all-netns).
    package var constantLabels: [(key: String, value: String)] = []

    package init(sources: SourceOptions, proc: ProcRoot, options: MetricsOptions) {
        self.sources = sources
        self.proc = proc
        self.options = options
    }

    /// Everything, into `sink`. Returns the collectors that failed and why.
    @discardableResult
    package func write(to sink: OutputSink, format: MetricsFormat, buildInfo: Bool = true, finish: Bool = true) -> [(MetricsCollector, String)] {
        var failures: [(MetricsCollector, String)] = []
        var timings: [(MetricsCollector, Double, Bool)] = []
        var truncated: [(String, Int)] = []
        var route: NetlinkConnection?
        func rtnl() throws -> NetlinkConnection {
            if let route { return route }
            let opened = try sources.connection(.route)
            route = opened
            return opened
        }
        let socketCollectors: Set<MetricsCollector> = [.sockets, .listeners, .tcpinfo]
        let selected = MetricsCollector.allCases.filter { options.collectors.contains($0) }
        /// What one collector (or the one socket pass) left: its text, and per collector it
        /// served, its time and its failure if any.
        struct Outcome {
            var text: [UInt8] = []
            var ran: [MetricsCollector] = []
            var seconds = 0.0
            var failure: String?
            var truncated: [(String, Int)] = []
        }
        func collect(_ collector: MetricsCollector) -> Outcome {
            let buffer = OutputSink(threshold: Int.max)
            var writer = MetricsWriter(buffer, format: format)
            writer.constantLabels = constantLabels
            let start = monotonicSeconds()
            var outcome = Outcome(ran: [collector])
            do {
                switch collector {
                case .interfaces: try interfaces(try rtnl(), &writer)
                case .protocols: try protocols(&writer)
                case .sockstat: try sockstat(&writer)
                case .softnet: try softnet(&writer)
                case .sockets, .listeners, .tcpinfo:
                    // One pass over the sockets serves all three.
                    outcome.ran = selected.filter(socketCollectors.contains)
                    outcome.truncated = try sockets(Set(outcome.ran), &writer)
                case .connections:
                    guard let connections else { return Outcome() }
                    try connections.snapshot().write(into: &writer)
                case .routes: try routes(try rtnl(), &writer)
                case .neighbors: try neighbors(try rtnl(), &writer)
                case .qdiscs: try qdiscs(try rtnl(), &writer)
                case .ntables: try neighborTables(try rtnl(), &writer)
                case .conntrack: try conntrack(&writer)
                case .ethtool: try ethtool(&writer)
                }
                outcome.text = buffer.pendingBytes
            } catch {
                // The rtnetlink connection is reopened after a failure on it; the socket pass,
                // which may run on another thread, has its own.
                if error is NetlinkError, !socketCollectors.contains(collector) { route = nil }
                outcome.failure = "\(error)"
            }
            outcome.seconds = monotonicSeconds() - start
            return outcome
        }
        // The socket pass is most of a scrape at many connections, and most of it is the
        // kernel filling inet_diag replies; the other collectors read rtnetlink and /proc. With
        // a second CPU they run beside it on a thread of their own (each thread inherits this
        // one's namespace), and their texts still go out in the collectors' order. A capture
        // or a replay must see the requests in one order, so it keeps to one thread.
        let socketFirst = selected.first(where: socketCollectors.contains)
        let others = selected.filter { !socketCollectors.contains($0) }
        var socketOutcome: Outcome?
        var otherOutcomes: [MetricsCollector: Outcome] = [:]
        if let socketFirst, !others.isEmpty, sources.captureFile == nil, sources.replayFile == nil,
           NetlinkConnection.mayUseSecondCPU() {
            try? NetworkNamespace.onDedicatedThreads(2) { index in
                if index == 0 {
                    socketOutcome = collect(socketFirst)
                } else {
                    for collector in others { otherOutcomes[collector] = collect(collector) }
                }
            }
        }
        for collector in selected {
            let outcome: Outcome
            if socketCollectors.contains(collector) {
                // The pass ran once, at the first of the three.
                guard collector == socketFirst else { continue }
                outcome = socketOutcome ?? collect(collector)
            } else {
                outcome = otherOutcomes[collector] ?? collect(collector)
            }
            truncated += outcome.truncated
            if let failure = outcome.failure {
                for name in outcome.ran {
                    failures.append((name, failure))
                    timings.append((name, outcome.seconds, false))
                }
            } else {
                outcome.text.withUnsafeBufferPointer { sink.append($0) }
                for name in outcome.ran { timings.append((name, outcome.seconds, true)) }
            }
        }
        var writer = MetricsWriter(sink, format: format)
        if buildInfo { Self.writeBuildInfo(&writer) }
        writer.constantLabels = constantLabels
        writer.family("netscope_scrape_collector_duration_seconds", .gauge, help: "How long each collector took in this scrape.", unit: "seconds")
        for (name, seconds, _) in timings { writer.sample(["collector": name.rawValue], seconds) }
        writer.family("netscope_scrape_collector_success", .gauge, help: "1 when the collector read everything, 0 when it failed (see the log).")
        for (name, _, success) in timings { writer.sample(["collector": name.rawValue], success ? 1 : 0) }
        writer.family(
            "netscope_scrape_series_truncated", .gauge,
            help: "Series left out by a cardinality bound (--max-ports) in this scrape; 0 when nothing was cut.")
        for collector in [MetricsCollector.listeners, .tcpinfo] where options.collectors.contains(collector) {
            let cut = truncated.filter { $0.0 == collector.rawValue }.reduce(0) { $0 + $1.1 }
            writer.sample(["collector": collector.rawValue], cut)
        }
        if finish { writer.finish() }
        return failures
    }

    /// node_exporter's convention (node_exporter_build_info): an info-style gauge that is
    /// always 1, so a dashboard can join the version and commit onto any series.
    static func writeBuildInfo(_ writer: inout MetricsWriter) {
        writer.family("netscope_build_info", .gauge, help: "The netscope release and git commit that produced these metrics; always 1.")
        writer.sample(["version": BuildInfo.version, "commit": BuildInfo.commit], 1)
    }

    // MARK: interfaces

    func interfaces(_ connection: NetlinkConnection, _ w: inout MetricsWriter) throws {
        let all = try LinkQuery(connection: connection).interfaces(filter: []).filter { options.deviceSelected($0.name) }
        let counters: [(String, String, KeyPath<LinkStatistics, UInt64>)] = [
            ("receive_bytes", "Bytes received.", \.rxBytes), ("transmit_bytes", "Bytes sent.", \.txBytes),
            ("receive_packets", "Packets received.", \.rxPackets), ("transmit_packets", "Packets sent.", \.txPackets),
            ("receive_errors", "Receive errors.", \.rxErrors), ("transmit_errors", "Transmit errors.", \.txErrors),
            ("receive_dropped", "Received packets dropped (no buffer, no handler, …).", \.rxDropped),
            ("transmit_dropped", "Packets dropped before sending.", \.txDropped),
            ("receive_multicast_packets", "Multicast packets received.", \.multicast),
            ("transmit_collisions", "Collisions while sending.", \.collisions),
            ("receive_missed_errors", "Packets the hardware missed (rx_missed_errors).", \.rxMissedErrors),
            ("receive_nohandler_packets", "Packets dropped for want of a protocol handler.", \.rxNoHandler),
        ]
        for (name, help, field) in counters {
            w.family("netscope_interface_\(name)", .counter, help: "\(help) rtnl_link_stats64, since the interface was created.")
            for interface in all {
                if let stats = interface.statistics { w.sample(["device": interface.name], stats[keyPath: field]) }
            }
        }
        w.family("netscope_interface_carrier_changes", .counter, help: "Times the carrier went up or down (IFLA_CARRIER_CHANGES).")
        for interface in all { if let changes = interface.carrierChanges { w.sample(["device": interface.name], UInt64(changes)) } }
        w.family("netscope_interface_up", .gauge, help: "1 when the operational state is UP (or UNKNOWN with the link administratively up, as for lo).")
        for interface in all {
            let up = interface.operState == .up || (interface.operState == .unknown && interface.isUp)
            w.sample(["device": interface.name], up ? 1 : 0)
        }
        w.family("netscope_interface_mtu_bytes", .gauge, help: "MTU.", unit: "bytes")
        for interface in all { if let mtu = interface.mtu { w.sample(["device": interface.name], UInt64(mtu)) } }
        w.family("netscope_interface_info", .gauge, help: "Interface facts as labels; the value is always 1.")
        for interface in all {
            let address = interface.address.map { HardwareAddress.format($0, linkType: interface.linkType) } ?? ""
            w.sample(["device": interface.name, "operstate": interface.operState?.name ?? "UNKNOWN",
                      "kind": interface.kind ?? "", "address": address, "ifindex": String(interface.index)], 1)
        }
        guard options.sysfsSpeed else { return }
        var speeds: [(String, UInt64)] = []
        for interface in all {
            if let speed = LinkSpeed.bytesPerSecond(of: interface.name) { speeds.append((interface.name, speed)) }
        }
        guard !speeds.isEmpty else { return }
        w.family("netscope_interface_speed_bytes", .gauge, help: "Link speed in bytes per second, where the driver reports one.", unit: "bytes")
        for (name, speed) in speeds { w.sample(["device": name], speed) }
    }

    // MARK: /proc/net

    func protocols(_ w: inout MetricsWriter) throws {
        for counter in try ProcQuery(root: proc).protocolCounters() {
            if let fields = options.protocolFields, (try? fields.wholeMatch(in: counter.name)) == nil { continue }
            let name = "netscope_netstat_" + MetricsWriter.snakeCase(counter.group) + "_" + MetricsWriter.snakeCase(counter.field)
            let kind: MetricType = counter.kind == .counter ? .counter : .gauge
            w.family(name, kind, help: "\(counter.name) from /proc/net/\(Self.file(of: counter.group)).")
            if kind == .counter && !counter.signed { w.sample([:], counter.raw) } else { w.sample([:], counter.value) }
        }
    }

    static func file(of group: String) -> String {
        if group.hasSuffix("6") && group != "Udp6" || ["Ip6", "Icmp6", "Udp6", "UdpLite6"].contains(group) { return "snmp6" }
        return group.hasSuffix("Ext") ? "netstat" : "snmp"
    }

    func sockstat(_ w: inout MetricsWriter) throws {
        let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        for statistic in try ProcQuery(root: proc).socketStatistics() {
            let name = "netscope_sockstat_" + MetricsWriter.snakeCase(statistic.group) + "_" + MetricsWriter.snakeCase(statistic.field)
            w.family(name, .gauge, help: "\(statistic.group) \(statistic.field) from /proc/net/sockstat\(statistic.group.hasSuffix("6") ? "6" : "")\(statistic.field == "mem" ? " (pages)" : "").")
            w.sample([:], statistic.value)
            if statistic.field == "mem" {
                w.family(name + "_bytes", .gauge, help: "\(statistic.group) mem in bytes.", unit: "bytes")
                w.sample([:], UInt64(max(0, statistic.value)) * pageSize)
            }
        }
    }

    func softnet(_ w: inout MetricsWriter) throws {
        let rows = try ProcQuery(root: proc).softnet()
        let fields: [(String, String, KeyPath<SoftnetStatistics, UInt32>)] = [
            ("processed", "Packets processed by the CPU's backlog (net_rx_action).", \.processed),
            ("dropped", "Packets dropped because the backlog queue was full (netdev_max_backlog).", \.dropped),
            ("times_squeezed", "Times net_rx_action ran out of budget or time with work left.", \.timeSqueeze),
            ("cpu_collisions", "Collisions taking the transmit lock.", \.cpuCollision),
            ("received_rps", "Times this CPU was woken by RPS.", \.receivedRPS),
            ("flow_limit", "Packets dropped by the flow limit.", \.flowLimitCount),
        ]
        for (name, help, field) in fields {
            w.family("netscope_softnet_\(name)", .counter, help: "\(help) /proc/net/softnet_stat; 32-bit, wraps.")
            for row in rows { w.sample(["cpu": String(row.cpu)], UInt64(row[keyPath: field])) }
        }
    }

    // MARK: queues, neighbour tables, conntrack

    /// Every qdisc but noqueue (the default of virtual devices: it never queues nor drops, so
    /// its series would only add cardinality, a series set per veth).
    func qdiscs(_ connection: NetlinkConnection, _ w: inout MetricsWriter) throws {
        let all = try TrafficControlQuery(connection: connection).qdiscs().filter { $0.kind != "noqueue" }
        let names = try InterfaceLookup.names(all.map(\.interfaceIndex), sources: sources, connection: connection)
        let qdiscs = all.filter { options.deviceSelected(names[$0.interfaceIndex]) }
        func labels(_ q: TrafficControlObject) -> KeyValuePairs<String, String> {
            ["device": names[q.interfaceIndex], "kind": q.kind, "handle": q.handleName,
             "parent": q.isRoot ? "root" : TrafficControlObject.classID(q.parent)]
        }
        let counters: [(String, String, (TrafficControlStatistics) -> UInt64)] = [
            ("bytes", "Bytes sent through this qdisc (tc -s: Sent … bytes).", { $0.bytes }),
            ("packets", "Packets sent through this qdisc.", { $0.packets }),
            ("drops", "Packets this qdisc dropped (queue full, shaper or policer).", { UInt64($0.drops) }),
            ("overlimits", "Packets over this qdisc's rate (delayed or dropped).", { UInt64($0.overlimits) }),
            ("requeues", "Packets handed back by the driver (device queue busy).", { UInt64($0.requeues) }),
        ]
        for (name, help, value) in counters {
            w.family("netscope_qdisc_\(name)", .counter, help: help + " Restarts from 0 when the qdisc is replaced.")
            for q in qdiscs { w.sample(labels(q), value(q.statistics)) }
        }
        w.family("netscope_qdisc_backlog_bytes", .gauge, help: "Bytes queued in this qdisc now.", unit: "bytes")
        for q in qdiscs { w.sample(labels(q), UInt64(q.statistics.backlog)) }
        w.family("netscope_qdisc_queue_length", .gauge, help: "Packets queued in this qdisc now (qlen).")
        for q in qdiscs { w.sample(labels(q), UInt64(q.statistics.queueLength)) }
    }

    func neighborTables(_ connection: NetlinkConnection, _ w: inout MetricsWriter) throws {
        let tables = try NeighborTableQuery(connection: connection).tables()
        let proc = ProcQuery(root: self.proc)
        w.family("netscope_neighbor_table_entries", .gauge, help: "Entries in this neighbour table (host-wide: the tables are the kernel's).")
        for table in tables { w.sample(["table": table.name], UInt64(table.entries ?? 0)) }
        for name in NeighborTable.statisticNames {
            w.family("netscope_neighbor_table_\(name)", .counter, help: "ndt_stats \(name) of this neighbour table, as ip -s ntable shows it (host-wide).")
            for table in tables {
                if let value = table.statistics.first(where: { $0.name == name })?.value { w.sample(["table": table.name], value) }
            }
        }
        // Only in the initial namespace's /proc/net/stat.
        let discards = try tables.compactMap { table in
            try proc.statTable(table.name)?.first { $0.name == "unresolved_discards" }.map { (table.name, $0.value) }
        }
        if !discards.isEmpty {
            w.family("netscope_neighbor_table_unresolved_discards", .counter, help: "Packets dropped while waiting for ARP/ND to resolve their next hop (/proc/net/stat).")
            for (name, value) in discards { w.sample(["table": name], value) }
        }
    }

    func conntrack(_ w: inout MetricsWriter) throws {
        guard let table = try ProcQuery(root: proc).statTable("nf_conntrack") else { return }
        for (name, value) in table {
            if name == "entries" {
                w.family("netscope_conntrack_entries", .gauge, help: "Connections tracked now (/proc/net/stat/nf_conntrack).")
            } else {
                w.family("netscope_conntrack_\(name)", .counter, help: "\(DropCatalog.conntrack[name] ?? "conntrack statistic \(name)") (/proc/net/stat/nf_conntrack, all CPUs).")
            }
            w.sample([:], value)
        }
    }

    /// One family per standard statistic (as node_exporter's ethtool collector names each
    /// statistic), devices as labels; nothing when no driver reports any.
    func ethtool(_ w: inout MetricsWriter) throws {
        let devices = (try EthtoolStandardQuery(sources: sources).statistics() ?? []).filter { options.deviceSelected($0.interfaceName) }
        var families: [String: [(String, UInt64)]] = [:]
        var order: [String] = []
        for device in devices {
            for group in device.groups {
                for statistic in group.values {
                    let name = "netscope_ethtool_" + MetricsWriter.snakeCase(group.name.replacingDashes()) + "_" + MetricsWriter.snakeCase(statistic.name)
                    if families[name] == nil { order.append(name) }
                    families[name, default: []].append((device.interfaceName, statistic.value))
                }
            }
        }
        for name in order {
            w.family(name, .counter, help: "ethtool standard statistic (ethtool -S DEV --all-groups).")
            for (device, value) in families[name] ?? [] { w.sample(["device": device], value) }
        }
    }

    // MARK: sockets

    func sockets(_ wanted: Set<MetricsCollector>, _ w: inout MetricsWriter) throws -> [(String, Int)] {
        let query = SocketQuery(sources: sources, proc: proc)
        let own = OwnSockets()
        var counts: [SocketProtocol: [SocketState: Int]] = [:]
        // First the listeners (a small, state-filtered dump), so the big pass knows which
        // local ports are server ports. One series per (family, address, port): the sockets
        // of a SO_REUSEPORT group add up, and a dual-stack pair (0.0.0.0 and v6only ::) is
        // two series told apart by family, never one series twice.
        var groups: [ListenerGroup.Key: ListenerGroup] = [:]
        var listenerCount = 0
        var listenRequest = SocketRequest(protocols: [.tcp], states: SocketStateSet([.listen]))
        listenRequest.memory = wanted.contains(.listeners)
        _ = try query.run(listenRequest) { socket in
            let key = ListenerGroup.Key(
                family: RouteNames.family(socket.family), address: socket.local.address?.description ?? "*", port: socket.local.port)
            groups[key, default: ListenerGroup()].add(queue: socket.receiveQueue, backlog: socket.sendQueue)
            groups[key]?.drops += UInt64(socket.memory?.drops ?? 0)
            listenerCount += 1
        }
        let listeners = groups.sorted { ($0.key.port, $0.key.family, $0.key.address) < ($1.key.port, $1.key.family, $1.key.address) }
        let listeningPorts = Set(groups.keys.map(\.port))
        // Port -> slot in `statistics`: an array lookup per socket instead of hashing.
        var slot = [Int32](repeating: -1, count: 65536)
        var statistics: [PortStatistics] = []
        for port in listeningPorts {
            slot[Int(port)] = Int32(statistics.count)
            statistics.append(PortStatistics())
        }
        let needInfo = wanted.contains(.tcpinfo)
        // The tcp_info sample: the identities of the first `limit` established connections of
        // each listening port in the counting walk's order (the kernel's hash order), asked
        // for one by one afterwards. Nothing is walked twice.
        let limit = options.tcpInfoSample
        var captured: [[InetSocketIdentity]] = needInfo && limit > 0 ? Array(repeating: [], count: statistics.count) : []

        // Every other TCP socket: state and local port only, read in place.
        var tcpStates = [Int](repeating: 0, count: 256)
        try query.countTCP(states: SocketStateSet(rawValue: SocketStateSet.all.rawValue & ~SocketState.listen.bit)) { state, port, identity in
            tcpStates[Int(state.rawValue)] += 1
            guard state == .established, slot[Int(port)] >= 0 else { return }
            let index = Int(slot[Int(port)])
            statistics[index].established += 1
            if !captured.isEmpty, captured[index].count < limit { captured[index].append(identity()) }
        }
        for state in SocketState.allCases where tcpStates[Int(state.rawValue)] > 0 {
            counts[.tcp, default: [:]][state] = tcpStates[Int(state.rawValue)]
        }
        if listenerCount > 0 { counts[.tcp, default: [:]][.listen] = listenerCount }

        func established(_ port: UInt16) -> Int { statistics[Int(slot[Int(port)])].established }
        // The ports in trouble first, then the busiest (PortRanking).
        let ranked = PortRanking.rank(
            ports: listeningPorts, groups: listeners, warning: Overview.listenerFillWarning,
            established: { statistics[Int(slot[Int($0)])].established })
        let kept = Array(ranked.prefix(options.maxPorts))
        if needInfo && !kept.isEmpty {
            func observe(_ port: UInt16, _ rtt: UInt32, _ retransmits: UInt32, _ rate: UInt64?) {
                let index = Int(slot[Int(port)])
                guard index >= 0 else { return }
                statistics[index].sampled += 1
                statistics[index].rtt.observe(Double(rtt) / 1e6)
                statistics[index].retransmits.observe(Double(retransmits))
                if let rate { statistics[index].delivery.observe(Double(rate)) }
            }
            if limit > 0 {
                // Each kept port's sample, socket by socket: one hash lookup each in the kernel,
                // so the cost follows the sample, not the connections.
                for port in kept { _ = try query.tcpInfo(of: captured[Int(slot[Int(port)])], each: observe) }
            } else {
                // Every connection: one dump filtered by the kernel (sport = :P or …), so it
                // fills tcp_info for no other socket. Past 256 ports the program would grow too
                // long: then every established socket is read and the port slots filter.
                var filter: SocketFilter?
                if kept.count <= 256 {
                    var chain = SocketFilter.port(.source, .equal, kept[0])
                    for port in kept.dropFirst() { chain = .or(chain, .port(.source, .equal, port)) }
                    filter = chain
                }
                try query.tcpInfoSamples(states: SocketStateSet([.established]), filter: filter, each: observe)
            }
        }
        if wanted.contains(.sockets) {
            let request = SocketRequest(protocols: Set(SocketProtocol.allCases).subtracting([.tcp, .sctp]), states: .all)
            _ = try query.run(request) { socket in
                if own.contains(socket) { return }
                counts[socket.proto, default: [:]][socket.state, default: 0] += 1
            }
            w.family("netscope_sockets", .gauge, help: "Sockets by protocol (ss's netid) and state (netscope's own netlink sockets excluded).")
            for proto in SocketProtocol.allCases {
                for state in SocketState.allCases {
                    if let count = counts[proto]?[state] { w.sample(["protocol": proto.netid, "state": state.ssName], count) }
                }
            }
        }

        var truncated: [(String, Int)] = []
        if wanted.contains(.listeners) {
            let keptSet = Set(kept)
            let shown = listeners.filter { keptSet.contains($0.key.port) }
            truncated.append(("listeners", listeners.count - shown.count))
            w.family("netscope_tcp_listen_queue_length", .gauge, help: "Connections waiting in the accept queues of the listening sockets on this address and port (a SO_REUSEPORT group adds up).")
            for (key, group) in shown { w.sample(["family": key.family, "address": key.address, "port": String(key.port)], UInt64(group.queue)) }
            w.family("netscope_tcp_listen_backlog", .gauge, help: "The accept-queue limits (listen() backlog, capped by net.core.somaxconn) of the listening sockets on this address and port, added up.")
            for (key, group) in shown { w.sample(["family": key.family, "address": key.address, "port": String(key.port)], UInt64(group.backlog)) }
            w.family("netscope_tcp_listen_sockets", .gauge, help: "Listening sockets on this address and port (more than 1: a SO_REUSEPORT group).")
            for (key, group) in shown { w.sample(["family": key.family, "address": key.address, "port": String(key.port)], UInt64(group.sockets)) }
            w.family("netscope_tcp_listen_full_sockets", .gauge, help: "Listening sockets on this address and port whose accept queue is full (new connections are dropped: ListenOverflows).")
            for (key, group) in shown { w.sample(["family": key.family, "address": key.address, "port": String(key.port)], UInt64(group.full)) }
            w.family("netscope_tcp_listen_drops", .counter, help: "Packets dropped by the listening sockets on this address and port (SK_MEMINFO_DROPS, added up: a full accept queue, memory); restarts from 0 when the sockets are recreated.")
            for (key, group) in shown { w.sample(["family": key.family, "address": key.address, "port": String(key.port)], group.drops) }
            w.family("netscope_tcp_established_connections", .gauge, help: "Established TCP connections whose local port is a listening port.")
            for port in kept { w.sample(["port": String(port)], established(port)) }
        }
        if needInfo {
            truncated.append(("tcpinfo", max(0, ranked.count - kept.count)))
            w.family("netscope_tcp_rtt_seconds", .histogram, help: "Smoothed RTT (tcpi_rtt) of established connections, per listening port.", unit: "seconds")
            for port in kept { w.histogram(["port": String(port)], statistics[Int(slot[Int(port)])].rtt) }
            w.family("netscope_tcp_connection_retransmits", .histogram, help: "Retransmitted segments over each connection's life (tcpi_total_retrans), per listening port.")
            for port in kept { w.histogram(["port": String(port)], statistics[Int(slot[Int(port)])].retransmits) }
            w.family("netscope_tcp_delivery_rate_bytes", .histogram, help: "Delivery rate (tcpi_delivery_rate) in bytes per second, per listening port.", unit: "bytes")
            for port in kept { w.histogram(["port": String(port)], statistics[Int(slot[Int(port)])].delivery) }
            w.family("netscope_tcp_info_sampled_connections", .gauge, help: "Established connections of this listening port that the tcp_info histograms describe: all of them, or a sample of --tcpinfo-sample (the first in the kernel's hash order, unrelated to RTT or rate) when the port has more.")
            for port in kept { w.sample(["port": String(port)], statistics[Int(slot[Int(port)])].sampled) }
        }
        return truncated
    }

    // MARK: routes and neighbours

    func routes(_ connection: NetlinkConnection, _ w: inout MetricsWriter) throws {
        var counts: [String: (KeyValuePairs<String, String>, Int)] = [:]
        var order: [String] = []
        try RouteQuery(connection: connection).routes { route in
            let family = RouteNames.family(route.family)
            let table = RouteNames.table(route.table), proto = RouteNames.proto(route.proto), type = RouteNames.type(route.type)
            let key = "\(family)|\(table)|\(proto)|\(type)"
            if counts[key] == nil {
                counts[key] = (["family": family, "table": table, "protocol": proto, "type": type], 0)
                order.append(key)
            }
            counts[key]!.1 += 1
        }
        w.family("netscope_routes", .gauge, help: "Routes per family, table, protocol (who installed them) and type.")
        for key in order.sorted() { w.sample(counts[key]!.0, counts[key]!.1) }
    }

    func neighbors(_ connection: NetlinkConnection, _ w: inout MetricsWriter) throws {
        var counts: [String: Int] = [:]
        for neighbor in try RouteQuery(connection: connection).neighbors(all: true) {
            let family = RouteNames.family(neighbor.family)
            let state = RouteNames.neighborStates(neighbor.state).first ?? "NONE"
            counts["\(family)|\(state)", default: 0] += 1
        }
        w.family("netscope_neighbors", .gauge, help: "Neighbour (ARP/NDP) entries per family and state.")
        for key in counts.keys.sorted() {
            let parts = key.split(separator: "|")
            w.sample(["family": String(parts[0]), "state": String(parts[1])], counts[key]!)
        }
    }
}

extension String {
    /// "eth-mac" → "eth_mac": group names as metric name parts.
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
