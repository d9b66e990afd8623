import Foundation
import NetModel
import TestSupport
import Testing
import NetAnalysis
import NetOutput
import NetRender

/// Two fixed samples one second apart, with one of everything overview must notice.
enum OverviewSamples {
    static func interface(_ index: Int32, _ name: String, _ state: OperState, rx: UInt64, tx: UInt64, errors: UInt64 = 0, drops: UInt64 = 0) -> Interface {
        var interface = Interface(index: index, name: name, flags: [.up], linkType: 1)
        interface.operState = state
        var stats = LinkStatistics()
        stats.rxBytes = rx
        stats.txBytes = tx
        stats.rxPackets = rx / 100
        stats.txPackets = tx / 100
        stats.rxErrors = errors
        stats.rxDropped = drops
        interface.statistics = stats
        return interface
    }

    static func address(_ index: Int32, _ text: String, _ prefix: UInt8) -> InterfaceAddress {
        var address = InterfaceAddress(family: text.contains(":") ? .inet6 : .inet, prefixLength: prefix, flags: [], scope: 0, interfaceIndex: index)
        address.local = IPAddress(text)
        return address
    }

    static func counters(_ values: [String: Int64]) -> [ProtocolCounter] {
        values.keys.sorted().map { name in
            let parts = name.split(separator: ".")
            return ProtocolCounter(group: String(parts[0]), field: String(parts[1]), value: values[name]!)
        }
    }

    static func sample(time: Double, later: Bool) -> StackSample {
        var sample = StackSample()
        sample.time = time
        let step: UInt64 = later ? 1 : 0
        sample.interfaces = [
            interface(1, "lo", .unknown, rx: 5000 + step * 1000, tx: 5000 + step * 1000),
            interface(2, "eth0", .up, rx: 1_000_000 + step * 2_500_000, tx: 800_000 + step * 120_000, errors: step * 3, drops: 0),
            interface(later ? 4 : 3, "veth-new", .down, rx: 0, tx: 0),
        ]
        sample.addresses = [address(1, "127.0.0.1", 8), address(2, "10.0.0.5", 24), address(2, "2001:db8::5", 64)]
        var defaultRoute = Route(family: .inet, destinationLength: 0, sourceLength: 0, tos: 0, table: 254, proto: 4, scope: 0, type: 1, flags: 0)
        defaultRoute.gateway = IPAddress("10.0.0.1")
        defaultRoute.outputInterface = 2
        defaultRoute.priority = 100
        sample.defaultRoutes = [defaultRoute]
        sample.routeCounts = [.init(family: .inet, table: 254, count: 3), .init(family: .inet, table: 255, count: 6), .init(family: .inet6, table: 254, count: 2)]
        sample.ruleCount = (3, 2)
        sample.neighborCount = 4
        sample.socketCounts = [
            .init(proto: .tcp, state: .established, count: 12), .init(proto: .tcp, state: .listen, count: 3),
            .init(proto: .tcp, state: .timeWait, count: 1), .init(proto: .udp, state: .close, count: 2),
        ]
        sample.listeners = [
            .init(local: "*:80", port: 80, acceptQueue: 120, backlog: 128),
            .init(local: "127.0.0.1:5432", port: 5432, acceptQueue: 0, backlog: 244),
            .init(local: "[::]:22", port: 22, acceptQueue: 1, backlog: 128),
        ]
        sample.connections = [
            .init(cookie: 1, local: "10.0.0.5:80", peer: "10.0.0.9:50000", bytesSent: 10_000 + step * 2_000_000, bytesReceived: 500 + step * 1000),
            .init(cookie: 2, local: "10.0.0.5:80", peer: "10.0.0.7:40000", bytesSent: 9_000_000, bytesReceived: 100),
        ] + (later ? [.init(cookie: 3, local: "10.0.0.5:22", peer: "10.0.0.8:1234", bytesSent: 4000, bytesReceived: 3000)] : [])
        let base: [String: Int64] = [
            "Tcp.RetransSegs": 100, "Tcp.OutSegs": 10_000, "TcpExt.ListenOverflows": 7, "TcpExt.ListenDrops": 7,
            "TcpExt.TCPBacklogDrop": 0, "Tcp.OutRsts": 20, "Tcp.EstabResets": 2, "TcpExt.TCPTimeouts": 5,
            "Udp.RcvbufErrors": 0, "Udp6.RcvbufErrors": 0, "Udp.SndbufErrors": 0, "Udp.InCsumErrors": 0, "Ip.ReasmFails": 0,
        ]
        var values = base
        if later {
            values["Tcp.RetransSegs"]! += 50
            values["Tcp.OutSegs"]! += 1000
            values["TcpExt.ListenOverflows"]! += 2
            values["TcpExt.ListenDrops"]! += 2
            values["Tcp.OutRsts"]! += 1
        }
        sample.protocolCounters = counters(values)
        sample.softnet = [
            SoftnetStatistics(cpu: 0, processed: 1000, dropped: 0, timeSqueeze: later ? 3 : 1, cpuCollision: 0, receivedRPS: 0, flowLimitCount: 0),
            SoftnetStatistics(cpu: 1, processed: 900, dropped: 0, timeSqueeze: 0, cpuCollision: 0, receivedRPS: 0, flowLimitCount: 0),
        ]
        // The drops ledger: a tbf that dropped, a neighbour table that refused, one counter
        // that only shows pressure, and one that did not move.
        sample.drops = [
            DropCounter(layer: .transport, path: .receive, object: "TcpExt", counter: "TcpExtListenOverflows", value: UInt64(values["TcpExt.ListenOverflows"]!), meaning: "m"),
            DropCounter(layer: .neighbour, path: .transmit, object: "arp_cache", counter: "unresolved_discards", value: later ? 14 : 4, meaning: "m"),
            DropCounter(layer: .qdisc, path: .transmit, object: "eth0 qdisc tbf 1:", counter: "drops", value: later ? 300 : 0, meaning: "m"),
            DropCounter(layer: .qdisc, path: .transmit, object: "eth0 qdisc tbf 1:", counter: "overlimits", value: later ? 900 : 0, meaning: "m"),
            DropCounter(layer: .device, path: .receive, object: "eth0", counter: "rx_dropped", value: 5, meaning: "m"),
        ]
        return sample
    }

    static var overview: Overview {
        OverviewBuilder.build(previous: sample(time: 10, later: false), current: sample(time: 11, later: true), top: 2)
    }
}

@Suite struct OverviewTests {
    static let fixtures = FixtureFiles.directory

    /// Compares with a committed golden file; NETSCOPE_UPDATE_GOLDEN=1 rewrites it instead.
    static func golden(_ name: String, _ text: String) throws {
        let expected = try FixtureFiles.golden(name, text)
        #expect(text == expected, "\(name) differs; inspect and rerun with NETSCOPE_UPDATE_GOLDEN=1 if intended")
    }

    static func render(_ overviews: [Overview], _ format: OutputFormat) -> String {
        let sink = OutputSink(threshold: Int.max)
        OverviewRenderer.render(overviews, to: sink, options: RenderOptions(format: format))
        return sink.pending
    }

    @Test func tableMatchesGolden() throws {
        try Self.golden("overview.golden.txt", Self.render([OverviewSamples.overview], .table))
    }

    @Test func jsonMatchesGolden() throws {
        try Self.golden("overview.golden.json", Self.render([OverviewSamples.overview], .json))
    }

    @Test func whatIsAbnormal() {
        let overview = OverviewSamples.overview
        #expect(overview.seconds == 1)
        // eth0 grew 3 rx errors: flagged; lo did not.
        #expect(overview.interfaces.first { $0.name == "eth0" }?.abnormal == true)
        #expect(overview.interfaces.first { $0.name == "lo" }?.abnormal == false)
        let eth0 = overview.interfaces.first { $0.name == "eth0" }!.rates!
        #expect(eth0.rxBytes == 2_500_000 && eth0.txBytes == 120_000 && eth0.errors == 3)
        // Recreated with another ifindex: no rate, says why.
        let recreated = overview.interfaces.first { $0.name == "veth-new" }!
        #expect(recreated.rates == nil && recreated.note == "new")
        // 120 of 128 is 94%: flagged, and first.
        #expect(overview.listeners.map(\.local) == ["*:80", "[::]:22"])
        #expect(overview.listeners[0].abnormal && !overview.listeners[1].abnormal)
        // Talkers by bytes moved in the interval, not since connect: cookie 2 sent 9 MB before.
        #expect(overview.talkers.map(\.peer) == ["10.0.0.9:50000", "10.0.0.8:1234"])
        #expect(overview.talkers[0].sentPerSecond == 2_000_000)
        let health = Dictionary(uniqueKeysWithValues: overview.health.map { ($0.label, $0) })
        #expect(health["TCP listen overflows"]?.delta == 2 && health["TCP listen overflows"]?.abnormal == true)
        // 50 of 1000 sent segments retransmitted: 5%.
        #expect(health["TCP retransmitted segments"]?.abnormal == true)
        #expect(health["TCP retransmitted segments"]?.detail == "5.00% of sent segments")
        #expect(health["TCP resets sent"]?.abnormal == false)
        #expect(health["softnet time squeezes"]?.delta == 2)
        // DROPS: the losses that grew, most first (not tbf's 900 overlimits: shaping, a delay);
        // ATTENTION adds the losses no row above names (not the listen overflows, already a
        // health row; not the device counter that did not move).
        #expect(overview.drops.map(\.counter.counter) == ["drops", "unresolved_discards", "TcpExtListenOverflows"])
        #expect(overview.drops.map(\.delta) == [300, 10, 2])
        #expect(overview.alerts.count == 8)
        #expect(overview.alerts.suffix(2) == ["qdisc eth0 qdisc tbf 1: drops +300 in 1.0 s", "neighbour arp_cache unresolved_discards +10 in 1.0 s"])
    }

    @Test func oneSampleHasTotalsButNoRates() {
        let overview = OverviewBuilder.build(previous: nil, current: OverviewSamples.sample(time: 1, later: false))
        #expect(overview.seconds == nil)
        #expect(overview.interfaces.allSatisfy { $0.rates == nil })
        #expect(overview.health.allSatisfy { $0.delta == nil && !$0.abnormal })
        #expect(overview.talkers.first?.peer == "10.0.0.7:40000")  // most bytes since connect
        #expect(overview.alerts.isEmpty == false)  // the full listener is visible without an interval
    }
}
