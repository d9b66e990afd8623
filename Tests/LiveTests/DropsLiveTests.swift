import Foundation
import TestSupport
import Testing

/// `netscope drops` against each source tool on the same namespace: tc for the tbf drops,
/// nstat for UdpRcvbufErrors, UdpNoPorts and TcpExtListenOverflows, ss -m for a socket's own
/// drops, ethtool -S for the veth driver's counters, ip -s -s for the device's.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root, iproute2 and ethtool (always runs under CI=true)"))
struct DropsLiveTests {
    /// Floods a UDP socket with a tiny receive buffer (never read), sends to a closed port,
    /// overflows a listener with backlog 1 that never accepts, and floods a tight tbf; holds
    /// the sockets until the test ends.
    static let script = """
        import socket, sys, time
        r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        r.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        r.bind(("127.0.0.1", 5353))
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(2000): s.sendto(b"x" * 1000, ("127.0.0.1", 5353))
        for _ in range(50): s.sendto(b"y", ("127.0.0.1", 5999))
        l = socket.socket(); l.bind(("127.0.0.1", 7000)); l.listen(1)
        clients = []
        for _ in range(20):
            c = socket.socket(); c.setblocking(False); c.connect_ex(("127.0.0.1", 7000)); clients.append(c)
        time.sleep(0.5)
        for _ in range(3000):
            try: s.sendto(b"x" * 1000, ("10.9.1.2", 9))
            except OSError: pass
        print("ready", flush=True)
        for line in sys.stdin: print("ok", flush=True)
        """

    static func nstat(_ ns: TestNamespace) throws -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in try Shell.check(["ip", "netns", "exec", ns.name, "nstat", "-asz"]).split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.count >= 2, let value = UInt64(words[1]) { values[String(words[0])] = value }
        }
        return values
    }

    @Test func eachLayerEqualsItsOwnTool() throws {
        let ns = try TrafficControlLiveTests.plainPair(label: "drops")
        try Shell.check(["ip", "netns", "exec", ns.name, "tc", "qdisc", "add", "dev", "b0", "root", "handle", "2:", "tbf", "rate", "200kbit", "burst", "4kb", "limit", "8kb"])
        let holder = try NamespaceHolder(ns, script: Self.script)
        for _ in 0..<100 {  // until tbf's queue has drained
            let json = try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-s", "-j", "qdisc", "show", "dev", "b0"])
            if (try JSONOracle.parse(json) as? [[String: Any]])?.first?["qlen"] as? Int == 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let before = try Self.nstat(ns)
        let result = try ns.netscope("drops", "--all", "--json", "-p")
        let after = try Self.nstat(ns)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try JSONOracle.parse(result.stdout) as? [[String: Any]] ?? []
        func value(_ layer: String, _ object: String? = nil, _ counter: String) -> UInt64? {
            rows.first { $0["layer"] as? String == layer && $0["counter"] as? String == counter && (object == nil || $0["object"] as? String == object) }
                .flatMap { ($0["value"] as? NSNumber)?.uint64Value }
        }
        // Every row has the documented fields and a meaning.
        #expect(rows.allSatisfy { row in ["layer", "object", "counter", "value", "meaning"].allSatisfy { row[$0] != nil } && !(row["meaning"] as? String ?? "").isEmpty })

        // nstat: the counters the flood moved, read between two nstat readings.
        for (name, floor) in [("UdpRcvbufErrors", UInt64(100)), ("UdpNoPorts", UInt64(50)), ("TcpExtListenOverflows", UInt64(1))] {
            let ours = value("tcp/udp", nil, name)
            let low = before[name] ?? 0, high = after[name] ?? 0
            #expect(ours.map { $0 >= low && $0 <= high && $0 >= floor } == true, "\(name): ours \(String(describing: ours)), nstat \(low)…\(high)")
        }

        // ss -m: the flooded socket's own drops, with its process.
        let ss = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-uamnH", "src", "127.0.0.1:5353"])
        let ssDrops = ss.firstMatch(of: /,d([0-9]+)\)/).map { UInt64($0.1)! }
        let socketRow = rows.first { $0["layer"] as? String == "socket" && ($0["object"] as? String ?? "").hasPrefix("udp 127.0.0.1:5353") }
        #expect(ssDrops != nil && ssDrops! > 0 && (socketRow?["value"] as? NSNumber)?.uint64Value == ssDrops, "ss: \(ss) ours: \(String(describing: socketRow))")
        #expect((socketRow?["object"] as? String ?? "").contains("python3[\(holder.process.processIdentifier)]") || (socketRow?["object"] as? String ?? "").contains("python3["),
                "\(String(describing: socketRow))")

        // tc: the tbf drops.
        let tc = try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-s", "-j", "qdisc", "show", "dev", "b0"])) as? [[String: Any]]
        let tcDrops = (tc?.first?["drops"] as? NSNumber)?.uint64Value
        #expect(tcDrops != nil && tcDrops! > 100 && value("qdisc", "b0 qdisc tbf 2:", "drops") == tcDrops, "tc \(String(describing: tcDrops))")

        // ethtool -S: every driver counter we show for the veths, equal.
        for device in ["a0", "b0"] {
            let text = try Shell.check(["ip", "netns", "exec", ns.name, "ethtool", "-S", device])
            var theirs: [String: UInt64] = [:]
            for line in text.split(separator: "\n").dropFirst() {
                let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, let number = UInt64(parts[1]) { theirs[parts[0]] = number }
            }
            let ours = rows.filter { $0["layer"] as? String == "driver" && $0["object"] as? String == device }
            #expect(ours.count >= 3, "\(device): \(ours)")
            for row in ours {
                let name = row["counter"] as? String ?? "?"
                #expect((row["value"] as? NSNumber)?.uint64Value == theirs[name], "\(device) \(name)")
            }
        }
        // Metrics: the qdisc, listener-drop, neighbour-table and conntrack families, each
        // series once, with tc's and ss's numbers.
        let metrics = try ns.netscope("metrics", "--collectors", "qdiscs,listeners,ntables,conntrack")
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let samples = metrics.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let series = samples.map { $0.split(separator: " ").dropLast().joined(separator: " ") }
        #expect(Set(series).count == series.count, "a series appears twice")
        #expect(samples.contains("netscope_qdisc_drops_total{device=\"b0\",kind=\"tbf\",handle=\"2:\",parent=\"root\"} \(tcDrops ?? 0)"))
        let listener = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-ltmnH", "src", "127.0.0.1:7000"])
        let listenerDrops = listener.firstMatch(of: /,d([0-9]+)\)/).map { String($0.1) } ?? "?"
        #expect(samples.contains("netscope_tcp_listen_drops_total{family=\"inet\",address=\"127.0.0.1\",port=\"7000\"} \(listenerDrops)"),
                "ss: \(listener)")
        // The listener's own drops are accept-queue overflows (ListenDrops), not a full
        // receive buffer: between what ss -m and nstat (the namespace's only listener) say
        // before and after (the clients' SYN retransmits keep adding to it).
        func ssListenDrops() throws -> Int {
            let text = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-ltmnH", "src", "127.0.0.1:7000"])
            return try #require(text.firstMatch(of: /,d([0-9]+)\)/).flatMap { Int($0.1) })
        }
        let listenBefore = (try ssListenDrops(), Int(try Self.nstat(ns)["TcpExtListenDrops"] ?? 0))
        let again = try #require(try JSONOracle.parse(try ns.netscope("drops", "--json").stdout) as? [[String: Any]])
        let listenAfter = (try ssListenDrops(), Int(try Self.nstat(ns)["TcpExtListenDrops"] ?? 0))
        let listenerRow = again.first { $0["layer"] as? String == "socket" && ($0["object"] as? String ?? "").hasPrefix("tcp 127.0.0.1:7000") }
        #expect(listenerRow?["meaning"] as? String == "connection requests this listener dropped: its accept queue (the listen() backlog) was full or a SYN could not be queued (TcpExtListenDrops)",
                "\(String(describing: listenerRow))")
        let ours = listenerRow?["value"] as? Int ?? -1
        #expect(listenBefore.0 > 0 && listenBefore.0 <= ours && ours <= listenAfter.0, "ss -m says \(listenBefore.0)…\(listenAfter.0), ours \(ours)")
        #expect(listenBefore.1 <= ours && ours <= listenAfter.1, "nstat TcpExtListenDrops says \(listenBefore.1)…\(listenAfter.1), ours \(ours)")
        #expect(samples.contains { $0.hasPrefix("netscope_neighbor_table_res_failed_total{table=\"arp_cache\"} ") })
        #expect(samples.contains { $0.hasPrefix("netscope_conntrack_entries ") } == FileManager.default.fileExists(atPath: "/proc/net/stat/nf_conntrack"))

        // --stack: the same numbers as a picture of the stack, 80 columns, colour only when asked.
        let picture = try ns.netscope("drops", "--stack")
        #expect(picture.status == 0, "\(picture.stderr)")
        let lines = picture.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 } && !picture.stdout.contains("\u{1B}["), "\(picture.stdout)")
        for layer in ["socket", "tcp/udp", "ip", "conntrack", "neighbour", "backlog", "qdisc", "device", "driver"] {
            #expect(lines.contains { $0.hasPrefix("| \(layer) ") }, "\(layer) missing")
        }
        let socketLine = lines.firstIndex { $0.hasPrefix("| socket ") }.map { lines[$0 + 1] } ?? ""
        #expect(socketLine.contains("\(ssDrops ?? 0) drops") && socketLine.contains("udp 127.0.0.1"), "\(picture.stdout)")
        let qdiscLine = lines.firstIndex { $0.hasPrefix("| qdisc ") }.map { lines[$0 + 1] } ?? ""
        #expect(qdiscLine.contains("\(tcDrops ?? 0) drops b0 tbf 2:"), "\(picture.stdout)")
        let colored = try ns.netscope("drops", "--stack", "--color", "always")
        #expect(colored.stdout.contains("\u{1B}[33m"))
        let refused = try ns.netscope("drops", "--stack", "--json")
        #expect(refused.status == 64 && refused.stderr.contains("--stack"), "\(refused.stderr)")
        _ = holder.send("done")

        // The default hides zeros; --interval adds delta and rate.
        let nonzero = try JSONOracle.parse(try ns.netscope("drops", "--json").stdout) as? [[String: Any]] ?? []
        #expect(!nonzero.isEmpty && nonzero.allSatisfy { ($0["value"] as? NSNumber)?.uint64Value ?? 0 > 0 })
        let timed = try JSONOracle.parse(try ns.netscope("drops", "--interval", "0.2", "--json").stdout) as? [[String: Any]] ?? []
        #expect(!timed.isEmpty && timed.allSatisfy { $0["delta"] != nil && $0["rate"] != nil || $0["layer"] as? String == "qdisc" })
    }

    /// The ethtool netlink family resolves and its standard statistics equal
    /// `ethtool --json -S DEV --all-groups` for every device (veths report none, so both sides
    /// must be empty, and the collector must still succeed).
    @Test func standardStatisticsEqualEthtool() throws {
        let ns = try TrafficControlLiveTests.plainPair(label: "ethstd")
        let metrics = try ns.netscope("metrics", "--collectors", "ethtool")
        #expect(metrics.status == 0 && metrics.stdout.contains("netscope_scrape_collector_success{collector=\"ethtool\"} 1"), "\(metrics.stdout)")
        let series = metrics.stdout.split(separator: "\n").filter { $0.hasPrefix("netscope_ethtool_") }
        for device in ["a0", "b0", "c0"] {
            let text = try Shell.check(["ip", "netns", "exec", ns.name, "ethtool", "--json", "-S", device, "--all-groups"])
            let groups = (try JSONOracle.parse(text) as? [[String: Any]])?.first ?? [:]
            var expected: [String] = []
            for (group, values) in groups where group != "ifname" {
                for (name, value) in values as? [String: Any] ?? [:] {
                    let metric = "netscope_ethtool_\(group.replacingOccurrences(of: "-", with: "_"))_"
                    expected.append("\(metric)…\(name) \(value)")
                }
            }
            let ours = series.filter { $0.contains("device=\"\(device)\"") }
            #expect(ours.count == expected.count, "\(device): ours \(ours), ethtool \(text)")
        }
    }

    /// A malformed /proc/net/snmp6 (a "Mode:" line, which is no counter): `drops` leaves
    /// that source out, names it on stderr and shows the rest (the softnet rows of the same
    /// tree, as `stats --softnet` reads them); `metrics` never exports it as a series.
    @Test func oneMalformedSourceIsNamedAndTheRestShown() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/proc").path
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("netscope-proc-\(getpid())").path
        try? FileManager.default.removeItem(atPath: tree)
        defer { try? FileManager.default.removeItem(atPath: tree) }
        try FileManager.default.copyItem(atPath: fixtures, toPath: tree)
        let snmp6 = tree + "/net/snmp6"
        let text = try String(contentsOfFile: snmp6, encoding: .utf8)
        try (text + "Mode: 1\n").write(toFile: snmp6, atomically: true, encoding: .utf8)
        let ns = try TestNamespace("dropsbad")
        let result = try Shell.run([Shell.netscope, "drops", "--netns", ns.name, "--proc-root", tree, "--all", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONOracle.parse(result.stdout) as? [[String: Any]])
        #expect(result.stderr.contains("/proc/net/snmp6 left out") && result.stderr.contains("\"Mode:\" is not a counter name"), "\(result.stderr)")
        // snmp and netstat are sources of their own: their rows stay (UdpNoPorts of the tree).
        #expect(rows.contains { $0["counter"] as? String == "UdpNoPorts" })
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        // The oracle: the softnet rows of the same tree, as stats --softnet parses them.
        let softnet = try Shell.check([Shell.netscope, "stats", "--softnet", "--proc-root", tree, "--json"])
        let cpus = (try JSONOracle.parse(softnet) as? [[String: Any]] ?? []).count
        #expect(cpus > 0 && rows.filter { $0["layer"] as? String == "backlog" && $0["counter"] as? String == "dropped" }.count == cpus)
        #expect(!rows.contains { ($0["counter"] as? String ?? "").contains("Mode") })
        // Read twice (--interval): the failed source is still named once.
        let twice = try Shell.run([Shell.netscope, "drops", "--netns", ns.name, "--proc-root", tree, "--interval", "0.2"])
        #expect(twice.status == 0 && twice.stderr.split(separator: "\n").count == 1, "\(twice.stderr)")
        let metrics = try Shell.run([Shell.netscope, "metrics", "--netns", ns.name, "--proc-root", tree])
        #expect(!metrics.stdout.contains("Mode"), "no series from a malformed line")
    }

    /// htb's overlimits count the times it held traffic back over its rate: delay, not loss.
    /// tc says the class overlimited and dropped nothing; `overview`'s DROPS (losses) must not
    /// list it, and `drops` says what it means.
    @Test func aShapersOverlimitsAreNotLosses() throws {
        let ns = try TestNamespace("htb")
        for line in ["link set lo up", "link add h0 type veth peer name h1", "link set h0 up", "link set h1 up",
                     "addr add 10.7.0.1/24 dev h0", "neigh add 10.7.0.9 lladdr 02:00:00:00:00:09 dev h0"] {
            try ns.ip(line: line)
        }
        for command in ["qdisc add dev h0 root handle 1: htb default 10", "class add dev h0 parent 1: classid 1:10 htb rate 1mbit ceil 1mbit burst 2k",
                        "qdisc add dev h0 parent 1:10 handle 10: pfifo limit 10000"] {
            try Shell.check(["ip", "netns", "exec", ns.name, "tc"] + command.split(separator: " ").map(String.init))
        }
        // 300 kB at 1 Mbit/s: the queue drains for about 2.4 s, well past the 1 s interval.
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sender.arguments = ["ip", "netns", "exec", ns.name, "python3", "-c",
                            "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nfor _ in range(300): s.sendto(b'x'*1000,('10.7.0.9',9))"]
        try sender.run()
        sender.waitUntilExit()
        let overview = try Shell.run([Shell.netscope, "overview", "--netns", ns.name, "--interval", "1", "--json"])
        #expect(overview.status == 0, "\(overview.stderr)")
        let object = try #require(try JSONOracle.parse(overview.stdout) as? [String: Any])
        let drops = object["drops"] as? [[String: Any]] ?? []
        #expect(!drops.contains { $0["counter"] as? String == "overlimits" }, "DROPS lists losses only: \(drops)")
        #expect(!(object["alerts"] as? [String] ?? []).contains { $0.contains("overlimits") })
        // The oracle: tc saw the htb qdisc overlimit and nothing dropped under it (tc has no
        // JSON for htb classes).
        let tc = try #require(try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-s", "-j", "qdisc", "show", "dev", "h0"])) as? [[String: Any]])
        let htb = try #require(tc.first { $0["kind"] as? String == "htb" })
        #expect((htb["overlimits"] as? Int ?? 0) > 0 && tc.allSatisfy { $0["drops"] as? Int == 0 }, "tc: \(tc)")
        let rows = try #require(try JSONOracle.parse(try Shell.check([Shell.netscope, "drops", "--netns", ns.name, "--json"])) as? [[String: Any]])
        let row = rows.first { $0["object"] as? String == "h0 qdisc htb 1:" && $0["counter"] as? String == "overlimits" }
        #expect((row?["value"] as? Int) == htb["overlimits"] as? Int)
        #expect((row?["meaning"] as? String ?? "").hasSuffix("a delay, not a loss (losses are its drops)"), "\(String(describing: row))")
    }
}
