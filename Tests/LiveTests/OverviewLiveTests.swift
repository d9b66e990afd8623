import Foundation
import TestSupport
import Testing

/// `overview` on a namespace whose listeners, connections and traffic the test controls,
/// cross-checked against ss and ip on the same namespace.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct OverviewLiveTests {
    /// A listener with a full accept queue (4 of 4, never accepted), a quiet dual-stack
    /// listener, and one connection with a reader thread that moves bytes on command.
    static let script = #"""
        import socket, sys, threading, time
        full = socket.socket(); full.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        full.bind(("127.0.0.1", 8080)); full.listen(4)
        queued = [socket.create_connection(("127.0.0.1", 8080)) for _ in range(4)]
        quiet = socket.socket(socket.AF_INET6); quiet.bind(("::", 9000)); quiet.listen(128)
        server = socket.socket(); server.bind(("127.0.0.1", 7000)); server.listen(1)
        client = socket.create_connection(("127.0.0.1", 7000)); peer, _ = server.accept()
        received = [0]
        def drain():
            while True:
                data = peer.recv(65536)
                if not data: return
                received[0] += len(data)
        threading.Thread(target=drain, daemon=True).start()
        extra = []
        time.sleep(0.2)
        print("ready", flush=True)
        for line in sys.stdin:
            words = line.split()
            if words[0] == "send":
                want = received[0] + int(words[1])
                client.sendall(b"x" * int(words[1]))
                while received[0] < want: time.sleep(0.01)
                print("sent", flush=True)
            elif words[0] == "flood":
                for _ in range(3):
                    s = socket.socket(); s.setblocking(False); s.connect_ex(("127.0.0.1", 8080)); extra.append(s)
                time.sleep(0.5)
                print("flooded", flush=True)
        """#

    static func namespace() throws -> TestNamespace {
        let ns = try TestNamespace("ovw")
        // No DAD: the IPv6 link-local addresses (and their local routes) exist as soon as the
        // links are up, not at a moment of the kernel's choosing between two reads.
        for key in ["all", "default"] {
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.\(key).accept_dad=0"])
        }
        for line in ["link set lo up", "link add ova type veth peer name ovb", "link set ova up", "link set ovb up",
                     "addr add 10.7.0.1/24 dev ova", "route add default via 10.7.0.2"] {
            try ns.ip(line: line)
        }
        usleep(200_000)
        return ns
    }

    static func overview(_ ns: TestNamespace, _ arguments: String...) throws -> [String: Any] {
        let result = try Shell.run([Shell.netscope, "overview", "--netns", ns.name, "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONOracle.parse(result.stdout) as? [String: Any])
    }

    @Test func totalsAgreeWithSsAndIp() throws {
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        #expect(holder.send("send 300000") == "sent")
        let overview = try Self.overview(ns, "--interval", "0")

        // Listeners: the full one first, flagged; its numbers are what ss shows as Recv-Q/Send-Q.
        let listeners = try #require(overview["listeners"] as? [[String: Any]])
        func endpoint(_ value: Any?) -> String {
            let object = value as? [String: Any] ?? [:]
            return "\(object["address"] ?? "-"):\(object["port"] ?? "-")"
        }
        #expect(endpoint(listeners.first?["local"]) == "127.0.0.1:8080")
        #expect(listeners.first?["accept_queue"] as? Int == 4 && listeners.first?["backlog"] as? Int == 4)
        #expect(listeners.first?["abnormal"] as? Bool == true)
        #expect(listeners.contains { endpoint($0["local"]) == ":::9000" && $0["abnormal"] as? Bool == false })
        let ssListen = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-Hltn", "sport = :8080"])
        let fields = ssListen.split(separator: " ", omittingEmptySubsequences: true)
        #expect(fields.count >= 3 && fields[1] == "4" && fields[2] == "4", "ss says: \(ssListen)")
        let alerts = overview["alerts"] as? [String] ?? []
        #expect(alerts.contains("listener 127.0.0.1:8080: accept queue 4 of 4"))

        // Without an interval each interface has its totals (ip -s link), not empty rates.
        let rows = try #require(overview["interfaces"] as? [[String: Any]])
        let links = try #require(try JSONOracle.parse(try ns.ip("-j", "-s", "link")) as? [[String: Any]])
        for interface in rows {
            let totals = try #require(interface["totals"] as? [String: Any], "\(interface["ifname"]!) has no totals")
            let link = try #require(links.first { $0["ifname"] as? String == interface["ifname"] as? String })
            let rx = ((link["stats64"] as? [String: Any])?["rx"] as? [String: Any])?["packets"] as? Int ?? -1
            let ours = totals["rx_packets"] as? Int ?? -1
            // lo carries the holder's traffic and may move between the two reads.
            #expect(ours <= rx && rx - ours <= (interface["ifname"] as? String == "lo" ? 1000 : 5), "\(interface["ifname"]!): \(ours) vs ip \(rx)")
        }
        let text = try ns.netscope("overview", "--interval", "0")
        #expect(text.stdout.contains("RX-BYTES") && !text.stdout.contains("RX-B/s"))

        // Socket counts by protocol and state equal ss's.
        var ssCounts: [String: Int] = [:]
        for line in try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-Htan"]).split(separator: "\n") {
            ssCounts[String(line.split(separator: " ")[0]), default: 0] += 1
        }
        let sockets = try #require(overview["sockets"] as? [[String: Any]])
        let tcp = try #require(sockets.first { $0["protocol"] as? String == "tcp" })
        #expect(tcp["states"] as? [String: Int] == ssCounts)
        #expect(tcp["total"] as? Int == ssCounts.values.reduce(0, +))

        // Talkers since connect: the 300,000 bytes from both ends, as ss -i reports them
        // (bytes_acked counts the SYN too: 300,001).
        let talkers = try #require(overview["talkers"] as? [[String: Any]])
        let ssInfo = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-Htin", "dport = :7000"])
        let acked = try #require(ssInfo.components(separatedBy: "bytes_acked:").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) })
        #expect(acked == 300_001)
        #expect(talkers.contains { endpoint($0["peer"]) == "127.0.0.1:7000" && $0["bytes_acked"] as? Int == acked })
        #expect(talkers.contains { (($0["local"] as? [String: Any])?["port"] as? Int) == 7000 && (($0["local"] as? [String: Any])?["address"] as? String) == "127.0.0.1" && $0["bytes_received"] as? Int == 300_000 })

        // Interfaces and addresses as ip has them; the default route; routes per table as ip counts them.
        let interfaces = try #require(overview["interfaces"] as? [[String: Any]])
        let ipLinks = try #require(try JSONOracle.parse(try ns.ip("-j", "link")) as? [[String: Any]])
        #expect(interfaces.map { $0["ifname"] as! String } == ipLinks.map { $0["ifname"] as! String })
        let ipAddresses = try #require(try JSONOracle.parse(try ns.ip("-j", "addr")) as? [[String: Any]])
        for link in ipAddresses {
            let expected = (link["addr_info"] as! [[String: Any]]).map { "\($0["local"]!)/\($0["prefixlen"]!)" }
            #expect(interfaces.first { $0["ifname"] as? String == link["ifname"] as? String }?["addresses"] as? [String] == expected)
        }
        #expect((interfaces.first { $0["ifname"] as? String == "ova" }?["addresses"] as? [String])?.first == "10.7.0.1/24")
        let routing = try #require(overview["routing"] as? [String: Any])
        let defaults = try #require(routing["default_routes"] as? [[String: Any]])
        #expect(defaults.count == 1 && defaults[0]["gateway"] as? String == "10.7.0.2" && defaults[0]["dev"] as? String == "ova")
        let tables = try #require(routing["tables"] as? [[String: Any]])
        for family in ["inet", "inet6"] {
            let ipRoutes = try #require(try JSONOracle.parse(try ns.ip(family == "inet" ? "-4" : "-6", "-j", "route", "show", "table", "all")) as? [[String: Any]])
            var byTable: [String: Int] = [:]
            for route in ipRoutes { byTable[route["table"] as? String ?? "main", default: 0] += 1 }
            var ours: [String: Int] = [:]
            for table in tables where table["family"] as? String == family { ours[table["table"] as! String] = table["routes"] as? Int }
            #expect(ours == byTable, "\(family)")
        }
        _ = holder
    }

    /// Rates over a real interval: bytes moved mid-interval show up as the talker's rate, and
    /// connections refused by the full listener show up as listen overflows, highlighted.
    @Test func ratesAndAlarmsOverAnInterval() throws {
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Shell.netscope)
        process.arguments = ["overview", "--netns", ns.name, "--json", "--interval", "3"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // The first sample takes milliseconds; a second leaves room for a loaded CI machine.
        usleep(1_000_000)
        #expect(holder.send("send 500000") == "sent")
        #expect(holder.send("flood") == "flooded")
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let overview = try #require(try JSONOracle.parse(String(decoding: data, as: UTF8.self)) as? [String: Any])
        let interval = try #require(overview["interval"] as? Double)
        #expect(interval > 2.9 && interval < 4)
        let talkers = try #require(overview["talkers"] as? [[String: Any]])
        let sender = try #require(talkers.first { ($0["tx_bytes_per_sec"] as? Double ?? 0) > 0 })
        let moved = (sender["tx_bytes_per_sec"] as! Double) * interval
        #expect(abs(moved - 500_000) < 1, "moved \(moved) bytes")
        let lo = try #require((overview["interfaces"] as? [[String: Any]])?.first { $0["ifname"] as? String == "lo" })
        #expect((lo["rx_bytes_per_sec"] as! Double) * interval >= 500_000)
        let health = try #require(overview["health"] as? [[String: Any]])
        let overflows = try #require(health.first { $0["name"] as? String == "TCP listen overflows" })
        #expect((overflows["delta"] as? Int ?? 0) > 0 && overflows["abnormal"] as? Bool == true)
        #expect((overview["alerts"] as? [String] ?? []).contains { $0.hasPrefix("TCP listen overflows") })
        _ = holder
    }

    @Test func tableShowsTheSections() throws {
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        let result = try ns.netscope("overview", "--interval", "0.2")
        #expect(result.status == 0)
        for section in ["INTERFACES", "ROUTING", "SOCKETS", "TCP LISTENERS", "TCP TOP TALKERS", "PROTOCOL HEALTH", "ATTENTION"] {
            #expect(result.stdout.contains(section + "\n") || result.stdout.contains(section + " ("), "no \(section)")
        }
        #expect(result.stdout.contains("default (IPv4) via 10.7.0.2 dev ova table main"))
        #expect(result.stdout.contains("! listener 127.0.0.1:8080: accept queue 4 of 4"))
        // The default subcommand is the overview.
        let bare = try Shell.run([Shell.netscope, "--netns", ns.name, "--interval", "0"])
        #expect(bare.status == 0 && bare.stdout.hasPrefix("netscope overview"))
        _ = holder
    }

    @Test func allNamespacesAreLabelled() throws {
        let first = try Self.namespace()
        let second = try TestNamespace("ovw2")
        try second.ip(line: "link set lo up")
        let result = try Shell.run([Shell.netscope, "overview", "--all-netns", "--interval", "0", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let list = try #require(try JSONOracle.parse(result.stdout) as? [[String: Any]])
        let names = list.compactMap { $0["netns"] as? String }
        #expect(names.contains(first.name) && names.contains(second.name))
        let mine = try #require(list.first { $0["netns"] as? String == first.name })
        #expect((mine["interfaces"] as? [[String: Any]])?.contains { $0["ifname"] as? String == "ova" } == true)
        let other = try #require(list.first { $0["netns"] as? String == second.name })
        #expect((other["interfaces"] as? [[String: Any]])?.map { $0["ifname"] as! String } == ["lo"])
        let clash = try Shell.run([Shell.netscope, "overview", "--all-netns", "--netns", first.name])
        #expect(clash.status != 0 && clash.stderr.contains("--all-netns cannot be combined"))
    }
}
