import NetModel
import Testing
import NetAnalysis
import NetOutput

@Suite struct RateTests {
    func interface(_ index: Int32, _ name: String, rxBytes: UInt64, txPackets: UInt64 = 0) -> Interface {
        var interface = Interface(index: index, name: name, flags: [.up], linkType: 1)
        var stats = LinkStatistics()
        stats.rxBytes = rxBytes
        stats.txPackets = txPackets
        interface.statistics = stats
        return interface
    }

    @Test func steadyTraffic() {
        let rates = RateCalculator.interfaces(
            previous: [interface(2, "eth0", rxBytes: 1000, txPackets: 10)],
            current: [interface(2, "eth0", rxBytes: 3000, txPackets: 30)], seconds: 2)
        #expect(rates.count == 1)
        #expect(rates[0].delta?.rxBytes == 2000)
        #expect(rates[0].delta?.txPackets == 20)
        #expect(rates[0].seconds == 2)
    }

    @Test func counterNearTheTopOf64Bits() {
        let rates = RateCalculator.interfaces(
            previous: [interface(2, "eth0", rxBytes: UInt64.max - 10)],
            current: [interface(2, "eth0", rxBytes: UInt64.max)], seconds: 1)
        #expect(rates[0].delta?.rxBytes == 10)
    }

    @Test func recreatedNewAndResetInterfacesHaveNoRate() {
        let rates = RateCalculator.interfaces(
            previous: [interface(2, "eth0", rxBytes: 5000), interface(3, "veth0", rxBytes: 100), interface(4, "br0", rxBytes: 9)],
            current: [
                interface(2, "eth0", rxBytes: 10),      // reset by the driver
                interface(7, "veth0", rxBytes: 50),     // deleted and created again: new ifindex
                interface(3, "other", rxBytes: 500),    // index reused by another name
                interface(4, "br0", rxBytes: 9),
            ], seconds: 1)
        #expect(rates.map(\.note) == ["counters reset", "new", "recreated", nil])
        #expect(rates.prefix(3).allSatisfy { $0.delta == nil })
        #expect(rates[3].delta?.rxBytes == 0)
    }

    @Test func protocolDeltas() {
        let before = [ProtocolCounter(group: "Tcp", field: "ActiveOpens", value: 10), ProtocolCounter(group: "Tcp", field: "CurrEstab", value: 4),
                      ProtocolCounter(group: "Udp", field: "InDatagrams", value: 50)]
        let after = [ProtocolCounter(group: "Tcp", field: "ActiveOpens", value: 15), ProtocolCounter(group: "Tcp", field: "CurrEstab", value: 2),
                     ProtocolCounter(group: "Udp", field: "InDatagrams", value: 3), ProtocolCounter(group: "New", field: "X", value: 1)]
        let deltas = RateCalculator.protocols(previous: before, current: after)
        #expect(deltas.map(\.1) == [5, nil, nil, nil])
        #expect(deltas[1].0.kind == .gauge)
    }

    @Test func softnetWrapsAt32Bits() {
        let before = [SoftnetStatistics(cpu: 0, processed: 0xFFFF_FFF0, dropped: 1, timeSqueeze: 0, cpuCollision: 0, receivedRPS: 0, flowLimitCount: 0)]
        let after = [SoftnetStatistics(cpu: 0, processed: 0x10, dropped: 1, timeSqueeze: 3, cpuCollision: 0, receivedRPS: 0, flowLimitCount: 0),
                     SoftnetStatistics(cpu: 1, processed: 5, dropped: 0, timeSqueeze: 0, cpuCollision: 0, receivedRPS: 0, flowLimitCount: 0)]
        let deltas = RateCalculator.softnet(previous: before, current: after)
        #expect(deltas.count == 1)
        #expect(deltas[0].processed == 0x20)
        #expect(deltas[0].timeSqueeze == 3)
    }

    @Test func humanUnitsLikeIpDashH() {
        #expect(Units.human(UInt64(999)) == "999")
        #expect(Units.human(UInt64(1000)) == "1.00K")
        #expect(Units.human(UInt64(1_234_567)) == "1.23M")
        #expect(Units.human(UInt64(12_345_678_901)) == "12.3G")
        #expect(Units.human(UInt64(999_600)) == "1.00M")
        #expect(Units.human(2.5) == "2.5")
    }

    @Test func counterGlobsMatchBothSpellings() {
        let counter = ProtocolCounter(group: "TcpExt", field: "TCPLostRetransmit", value: 1)
        #expect(CounterFilter(patterns: ["Tcp*Retrans*"]).matches(counter))
        #expect(CounterFilter(patterns: ["TcpExtTCPLost*"]).matches(counter))
        #expect(!CounterFilter(patterns: ["Udp*"]).matches(counter))
    }
}
