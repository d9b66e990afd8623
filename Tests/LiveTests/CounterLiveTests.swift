import Foundation
import TestSupport
import Testing

/// Interface counters and protocol statistics against iproute2, /proc and known traffic.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct CounterLiveTests {
    /// Two namespaces joined by a veth pair, IPv6 off and static neighbours, so the only
    /// packets on the wire are the ones a test sends.
    static func quietPair() throws -> (TestNamespace, TestNamespace) {
        let a = try TestNamespace("cnt-a")
        let b = try TestNamespace("cnt-b")
        for ns in [a, b] {
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"])
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"])
        }
        try a.ip("link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b.name)
        try a.ip(line: "addr add 10.5.0.1/24 dev va")
        try b.ip(line: "addr add 10.5.0.2/24 dev vb")
        try a.ip(line: "link set va up")
        try b.ip(line: "link set vb up")
        let macB = try #require(try JSONOracle.parse(b.ip("-j", "link", "show", "vb")) as? [[String: Any]])[0]["address"] as! String
        let macA = try #require(try JSONOracle.parse(a.ip("-j", "link", "show", "va")) as? [[String: Any]])[0]["address"] as! String
        try a.ip("neigh", "add", "10.5.0.2", "lladdr", macB, "dev", "va", "nud", "permanent")
        try b.ip("neigh", "add", "10.5.0.1", "lladdr", macA, "dev", "vb", "nud", "permanent")
        // B drops the datagrams quietly: a bound socket that is never read, so no ICMP replies.
        a.companions.append(b)
        return (a, b)
    }

    /// Sends `count` UDP datagrams of `size` bytes from A to B, paced at `rate` per second
    /// (0: as fast as possible).
    static func sender(_ ns: TestNamespace, count: Int, size: Int, rate: Int) -> [String] {
        let script = """
            import socket, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            start = time.monotonic()
            for i in range(\(count)):
                if \(rate) > 0:
                    delay = start + i / \(rate) - time.monotonic()
                    if delay > 0: time.sleep(delay)
                s.sendto(b"x" * \(size), ("10.5.0.2", 9))
            """
        return ["ip", "netns", "exec", ns.name, "python3", "-c", script]
    }

    static func sink(_ ns: TestNamespace) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", ns.name, "python3", "-c",
            "import socket, time\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(('10.5.0.2', 9))\ntime.sleep(30)"]
        try process.run()
        usleep(300_000)
        return process
    }

    @Test func countersAgreeWithIpAndProcAfterKnownTraffic() throws {
        let (a, b) = try Self.quietPair()
        let receiver = try Self.sink(b)
        defer { kill(receiver.processIdentifier, SIGKILL); receiver.waitUntilExit() }
        try Shell.check(Self.sender(a, count: 500, size: 200, rate: 0))
        usleep(200_000)

        let ours = try #require(try JSONOracle.parse(a.netscope("counters", "--json").stdout) as? [[String: Any]])
        let ip = try JSONOracle.parse(a.ip("-j", "-s", "-s", "link"))
        #expect(JSONOracle.differences(ours: ours, theirs: ip) == [])

        let va = try #require(ours.first { $0["ifname"] as? String == "va" })
        let stats = try #require(va["stats64"] as? [String: [String: Any]])
        let txPackets = try #require(stats["tx"]?["packets"] as? Int)
        let txBytes = try #require(stats["tx"]?["bytes"] as? Int)
        // 500 datagrams of 200 bytes: 14 Ethernet + 20 IP + 8 UDP + 200 = 242 bytes each.
        #expect(txPackets == 500)
        #expect(txBytes == 500 * 242)

        // /proc/net/dev of the same namespace agrees column by column.
        let dev = try Shell.check(["ip", "netns", "exec", a.name, "cat", "/proc/net/dev"])
        let line = try #require(dev.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("va:") })
        let numbers = line.split(separator: ":")[1].split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 16)
        #expect(numbers[0] == stats["rx"]?["bytes"] as? Int)
        #expect(numbers[1] == stats["rx"]?["packets"] as? Int)
        #expect(numbers[8] == txBytes)
        #expect(numbers[9] == txPackets)

        let table = try a.netscope("stats", "link", "--exact", "-d", "va")
        #expect(table.status == 0)
        #expect(table.stdout.contains("121000") && table.stdout.contains("500"))
    }

    @Test func ratesAreWithinFivePercentOfTheTruth() throws {
        let (a, b) = try Self.quietPair()
        let receiver = try Self.sink(b)
        defer { kill(receiver.processIdentifier, SIGKILL); receiver.waitUntilExit() }
        let traffic = Process()
        traffic.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        traffic.arguments = Self.sender(a, count: 2000 * 6, size: 100, rate: 2000)
        try traffic.run()
        defer { traffic.terminate(); traffic.waitUntilExit() }
        usleep(700_000)
        let result = try a.netscope("counters", "--interval", "1", "--count", "3", "--ndjson", "va")
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").compactMap { try? JSONOracle.parse(String($0)) as? [String: Any] }
        #expect(rows.count == 3)
        for row in rows {
            let packets = try #require(row["tx_packets_per_sec"] as? Double)
            let bytes = try #require(row["tx_bytes_per_sec"] as? Double)
            #expect(abs(packets - 2000) <= 100, "tx \(packets) packets/s, expected 2000 ± 5%")
            #expect(abs(bytes - 2000 * 142) <= 2000 * 142 * 0.05, "tx \(bytes) bytes/s")
        }
    }

    @Test func protocolCountersAgreeWithNstat() throws {
        let (a, _) = try Self.quietPair()
        try Shell.check(Self.sender(a, count: 50, size: 10, rate: 0))
        let ours = try #require(try JSONOracle.parse(a.netscope("stats", "--json", "-z").stdout) as? [[String: Any]])
        let nstatText = try Shell.check(["ip", "netns", "exec", a.name, "nstat", "-a", "-s", "-z", "--json"])
        let nstat = try #require((try JSONOracle.parse(nstatText) as? [String: Any])?["kernel"] as? [String: Any])
        var byNstatName: [String: Int] = [:]
        for counter in ours {
            byNstatName[(counter["group"] as! String) + (counter["field"] as! String)] = counter["value"] as? Int
        }
        var compared = 0
        for (name, value) in nstat {
            #expect(byNstatName[name] == value as? Int, "\(name): ours \(String(describing: byNstatName[name])), nstat \(value)")
            compared += 1
        }
        #expect(compared > 200)
        #expect(byNstatName["UdpOutDatagrams"] == 50)
        // Gauges are ours alone (nstat leaves them out) and are typed as such.
        let forwarding = try #require(ours.first { $0["name"] as? String == "Ip.Forwarding" })
        #expect(forwarding["type"] as? String == "gauge")
    }

    @Test func globsZerosAndDeltas() throws {
        let (a, _) = try Self.quietPair()
        let plain = try a.netscope("stats", "Udp*")
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("Udp.OutDatagrams"))  // zero in a fresh namespace: hidden
        let zeros = try a.netscope("stats", "-z", "UdpOutDatagrams", "Tcp.MaxConn")
        #expect(zeros.stdout.contains("Udp.OutDatagrams") && zeros.stdout.contains("-1"))
        // During an interval with 30 datagrams sent, the delta view shows exactly 30.
        let traffic = Process()
        traffic.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        traffic.arguments = Self.sender(a, count: 30, size: 10, rate: 30)
        let live = Process()
        live.executableURL = URL(fileURLWithPath: Shell.netscope)
        live.arguments = ["stats", "--interval", "2", "--count", "1", "--ndjson", "Udp.OutDatagrams", "--netns", a.name]
        let pipe = Pipe()
        live.standardOutput = pipe
        try live.run()
        usleep(200_000)
        try traffic.run()
        traffic.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        live.waitUntilExit()
        let row = try #require(try JSONOracle.parse(output.trimmingCharacters(in: .whitespacesAndNewlines)) as? [String: Any])
        #expect(row["delta"] as? Int == 30)
    }

    @Test func procRootReadsACapturedTree() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/proc").path
        let result = try Shell.run([Shell.netscope, "stats", "--proc-root", fixtures, "--json", "-z", "Tcp.MaxConn"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"value\":-1"))
        let softnet = try Shell.run([Shell.netscope, "stats", "--softnet", "--proc-root", fixtures, "--no-header"])
        #expect(softnet.status == 0)
        #expect(!softnet.stdout.isEmpty)
        let missing = try Shell.run([Shell.netscope, "stats", "--proc-root", "/nonexistent"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/net/snmp: cannot open"))
    }
}
