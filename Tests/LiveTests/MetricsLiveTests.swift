import Foundation
import TestSupport
import Testing

/// `netscope metrics` checked by Prometheus's own tools and against ip, nstat and ss.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root, iproute2, promtool and python3-prometheus-client (always runs under CI=true)"))
struct MetricsLiveTests {
    /// Three listeners (one with two queued connections, one with three established
    /// connections), for the per-port series.
    static let script = #"""
        import socket, sys
        a = socket.socket(); a.bind(("127.0.0.1", 8080)); a.listen(4)
        queued = [socket.create_connection(("127.0.0.1", 8080)) for _ in range(2)]
        b = socket.socket(); b.bind(("127.0.0.1", 8081)); b.listen(16)
        clients = [socket.create_connection(("127.0.0.1", 8081)) for _ in range(3)]
        served = [b.accept()[0] for _ in range(3)]
        for c in clients: c.sendall(b"x" * 1000)
        c6 = socket.socket(socket.AF_INET6); c6.bind(("::", 8082)); c6.listen(8)
        print("ready", flush=True)
        sys.stdin.read()
        """#

    static func namespace() throws -> TestNamespace {
        let ns = try TestNamespace("met")
        for key in ["all", "default"] {
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.\(key).disable_ipv6=1"])
        }
        for line in ["link set lo up", "link add xm0 type veth peer name xm1", "link set xm0 up", "link set xm1 up",
                     "addr add 10.6.0.1/24 dev xm0", "addr add 10.6.0.2/24 dev xm1"] {
            try ns.ip(line: line)
        }
        return ns
    }

    /// "name{labels}" -> value, from the text format.
    static func samples(_ text: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            result[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return result
    }

    /// With a second CPU the socket pass runs beside the other collectors; confined to one CPU
    /// (taskset) the same scrape runs them one after another. Both must give the same
    /// families, series and order: only values may differ. (The test runs with at least two
    /// CPUs allowed, or it would compare the one-thread path with itself.)
    @Test func theSocketPassBesideTheOtherCollectorsChangesNoSeries() throws {
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        defer { _ = holder }
        #expect(ProcessInfo.processInfo.activeProcessorCount > 1, "one CPU: nothing runs beside the socket pass")
        func identities(_ text: String) -> [String] {
            text.split(separator: "\n").map { line in
                line.hasPrefix("#") ? String(line) : String(line[..<(line.lastIndex(of: " ") ?? line.endIndex)])
            }
        }
        for format in [["--collectors", "all"], ["--collectors", "all", "--openmetrics"], []] {
            let beside = try Shell.run([Shell.netscope, "metrics", "--netns", ns.name] + format)
            let alone = try Shell.run(["taskset", "-c", "0", Shell.netscope, "metrics", "--netns", ns.name] + format)
            #expect(beside.status == 0 && alone.status == 0, "\(beside.stderr)\(alone.stderr)")
            #expect(identities(beside.stdout) == identities(alone.stdout), "\(format)")
            // The socket pass and the collectors beside it both wrote their series.
            #expect(beside.stdout.contains("netscope_tcp_listen_sockets{"), "\(format)")
            #expect(beside.stdout.contains("netscope_interface_"), "\(format)")
        }
    }

    @Test func promtoolAndTheOpenMetricsParserAcceptTheOutput() throws {
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        defer { _ = holder }
        let text = try ns.netscope("metrics", "--collectors", "all")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("# TYPE netscope_tcp_rtt_seconds histogram"))
        let promtool = try Shell.run(["sh", "-c", "promtool check metrics"], input: text.stdout)
        #expect(promtool.status == 0, "promtool: \(promtool.stdout)\(promtool.stderr)")
        let openMetrics = try ns.netscope("metrics", "--openmetrics", "--collectors", "all")
        #expect(openMetrics.stdout.hasSuffix("# EOF\n"))
        // Debian's python3 (python3-prometheus-client), whatever python3 is first on PATH.
        let parser = try Shell.run(["/usr/bin/python3", "-c", """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            from prometheus_client.parser import text_string_to_metric_families as prom
            om_families = list(om(sys.stdin.read()))
            print(len(om_families), sum(len(f.samples) for f in om_families))
            """], input: openMetrics.stdout)
        #expect(parser.status == 0, "OpenMetrics parser: \(parser.stderr)")
        let counts = parser.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 2 && counts[0] > 100 && counts[1] > counts[0])
        let plain = try Shell.run(["/usr/bin/python3", "-c", """
            import sys
            from prometheus_client.parser import text_string_to_metric_families as prom
            print(len(list(prom(sys.stdin.read()))))
            """], input: text.stdout)
        #expect(plain.status == 0 && Int(plain.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == counts[0], "\(plain.stderr)")
    }

    @Test func valuesAgreeWithIpNstatAndSs() throws {
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        defer { _ = holder }
        // 300 datagrams of 100 bytes to a closed port.
        try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c",
                         "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nfor _ in range(300): s.sendto(b'x'*100,('127.0.0.1',9))"])
        let result = try ns.netscope("metrics", "--collectors", "all")
        let metrics = Self.samples(result.stdout)
        let links = try #require(try JSONOracle.parse(try ns.ip("-j", "-s", "-s", "link")) as? [[String: Any]])
        for link in links {
            let name = link["ifname"] as! String
            let stats = link["stats64"] as! [String: Any]
            let rx = stats["rx"] as! [String: Any], tx = stats["tx"] as! [String: Any]
            // lo carries the holder's connections, which may still be acknowledging: compare the veths.
            guard name != "lo" else { continue }
            #expect(metrics["netscope_interface_receive_bytes_total{device=\"\(name)\"}"] == Double(rx["bytes"] as! Int), "\(name)")
            #expect(metrics["netscope_interface_transmit_packets_total{device=\"\(name)\"}"] == Double(tx["packets"] as! Int), "\(name)")
            #expect(metrics["netscope_interface_mtu_bytes{device=\"\(name)\"}"] == Double(link["mtu"] as! Int))
        }
        #expect(metrics["netscope_interface_up{device=\"xm0\"}"] == 1)
        // Protocol counters: what nstat reads in the same namespace, typed.
        let nstat = try #require(try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "nstat", "-a", "-z", "--json"])) as? [String: Any])
        let kernel = try #require(nstat["kernel"] as? [String: Any])
        #expect(metrics["netscope_netstat_udp_no_ports_total"] == Double(kernel["UdpNoPorts"] as! Int))
        #expect(metrics["netscope_netstat_udp_no_ports_total"] == 300)
        // Tcp.CurrEstab (a gauge; nstat leaves it out) counts ESTABLISHED and CLOSE-WAIT sockets.
        let established = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-Htan", "state", "established", "state", "close-wait"])
        #expect(metrics["netscope_netstat_tcp_curr_estab"] == Double(established.split(separator: "\n").count))
        #expect(metrics["netscope_netstat_ip_default_ttl"] == 64)
        // Listeners as ss shows them: Recv-Q is the accept queue, Send-Q the backlog.
        #expect(metrics["netscope_tcp_listen_queue_length{family=\"inet\",address=\"127.0.0.1\",port=\"8080\"}"] == 2)
        #expect(metrics["netscope_tcp_listen_backlog{family=\"inet\",address=\"127.0.0.1\",port=\"8080\"}"] == 4)
        #expect(metrics["netscope_tcp_listen_backlog{family=\"inet6\",address=\"::\",port=\"8082\"}"] == 8)
        #expect(metrics["netscope_tcp_established_connections{port=\"8081\"}"] == 3)
        #expect(metrics["netscope_tcp_established_connections{port=\"8080\"}"] == 2)
        #expect(metrics["netscope_tcp_rtt_seconds_count{port=\"8081\"}"] == 3)
        #expect(metrics["netscope_tcp_rtt_seconds_bucket{port=\"8081\",le=\"+Inf\"}"] == 3)
        // Socket counts by state equal ss's.
        var ss: [String: Double] = [:]
        for line in try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-Htan"]).split(separator: "\n") {
            ss[String(line.split(separator: " ")[0]), default: 0] += 1
        }
        for (state, count) in ss {
            #expect(metrics["netscope_sockets{protocol=\"tcp\",state=\"\(state)\"}"] == count, "\(state)")
        }
        // Routes per table as ip counts them.
        let local = try #require(try JSONOracle.parse(try ns.ip("-j", "route", "show", "table", "local")) as? [[String: Any]])
        let ours = metrics.filter { $0.key.hasPrefix("netscope_routes{family=\"inet\",table=\"local\"") }.values.reduce(0, +)
        #expect(ours == Double(local.count))
        #expect(metrics.filter { $0.key.hasPrefix("netscope_scrape_collector_success") }.values.allSatisfy { $0 == 1 })
    }

    @Test func boundsSelectorsAndAtomicOutput() throws {
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        defer { _ = holder }
        let bounded = Self.samples(try ns.netscope("metrics", "--max-ports", "1", "--collectors", "listeners,tcpinfo").stdout)
        #expect(bounded["netscope_scrape_series_truncated{collector=\"listeners\"}"] == 2)
        #expect(bounded["netscope_scrape_series_truncated{collector=\"tcpinfo\"}"] == 2)
        // The busiest port (three connections) is the one kept.
        #expect(bounded["netscope_tcp_established_connections{port=\"8081\"}"] == 3)
        #expect(bounded.keys.allSatisfy { !$0.hasPrefix("netscope_interface_") })
        let selected = Self.samples(try ns.netscope("metrics", "--collectors", "interfaces", "--device-exclude", "xm.*").stdout)
        #expect(selected["netscope_interface_up{device=\"lo\"}"] == 1)
        #expect(selected.keys.allSatisfy { !$0.contains("device=\"xm0\"") })
        let fields = Self.samples(try ns.netscope("metrics", "--collectors", "protocols", "--protocol-fields", "Udp\\..*").stdout)
        #expect(fields.keys.contains("netscope_netstat_udp_no_ports_total"))
        #expect(!fields.keys.contains { $0.hasPrefix("netscope_netstat_tcp") })
        // tcp_info of at most N connections per port: 8081 (three) is sampled, 8080 (two)
        // is read whole, and no connection is counted twice.
        for (sample, expected) in [(2, ["8081": 2.0, "8080": 2.0]), (1, ["8081": 1, "8080": 1]), (0, ["8081": 3, "8080": 2])] {
            let sampled = Self.samples(try ns.netscope("metrics", "--collectors", "listeners,tcpinfo", "--tcpinfo-sample", String(sample)).stdout)
            for (port, count) in expected {
                #expect(sampled["netscope_tcp_rtt_seconds_count{port=\"\(port)\"}"] == count, "sample \(sample) port \(port)")
                #expect(sampled["netscope_tcp_delivery_rate_bytes_bucket{port=\"\(port)\",le=\"+Inf\"}"] == count, "sample \(sample) port \(port)")
                #expect(sampled["netscope_tcp_info_sampled_connections{port=\"\(port)\"}"] == count, "sample \(sample) port \(port)")
            }
            #expect(sampled["netscope_tcp_established_connections{port=\"8081\"}"] == 3)
        }
        let negative = try ns.netscope("metrics", "--tcpinfo-sample=-1")
        #expect(negative.status != 0 && negative.stderr.contains("--tcpinfo-sample must be 0 or more"))
        // tcp_info histograms only when asked for.
        let plain = try ns.netscope("metrics").stdout
        #expect(plain.contains("netscope_tcp_listen_backlog{") && !plain.contains("netscope_tcp_rtt_seconds"))
        let bad = try ns.netscope("metrics", "--collectors", "interfaces,nosuch")
        #expect(bad.status != 0 && bad.stderr.contains("unknown collector \"nosuch\""))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nst-prom-\(ns.name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("netscope.prom").path
        let written = try ns.netscope("metrics", "--output", file)
        #expect(written.status == 0 && written.stdout.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("netscope_interface_up"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["netscope.prom"])
        let nowhere = try ns.netscope("metrics", "--output", directory.appendingPathComponent("no/such/dir.prom").path)
        #expect(nowhere.status == 1 && nowhere.stderr.contains("cannot create a temporary file"))
    }

    /// The example configuration and alert rules are valid, and every metric they use exists.
    @Test func examplesAreValidAndUseRealMetrics() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        let config = try Shell.run(["promtool", "check", "config", examples.appendingPathComponent("prometheus.yml").path])
        #expect(config.status == 0, "\(config.stdout)\(config.stderr)")
        let rules = try Shell.run(["promtool", "check", "rules", examples.appendingPathComponent("alerts.yml").path])
        #expect(rules.status == 0, "\(rules.stdout)\(rules.stderr)")
        let ns = try Self.namespace()
        let holder = try NamespaceHolder(ns, script: Self.script)
        defer { _ = holder }
        let output = try ns.netscope("metrics").stdout
        let text = try String(contentsOf: examples.appendingPathComponent("alerts.yml"), encoding: .utf8)
        let used = Set(text.matches(of: /netscope_[a-z_]+/).map { String($0.output) })
        #expect(used.count >= 6)
        for name in used {
            #expect(output.contains("\n\(name){") || output.contains("\n\(name) "), "\(name) is not exported")
        }
    }

    /// A full disk: the write fails with a clear error, the old file stays as it was, and no
    /// temporary file is left behind.
    @Test func fullDiskKeepsTheOldFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nst-full-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Shell.check(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", directory.path])
        defer {
            _ = try? Shell.run(["umount", directory.path])
            try? FileManager.default.removeItem(at: directory)
        }
        let file = directory.appendingPathComponent("netscope.prom").path
        try "old\n".write(toFile: file, atomically: false, encoding: .utf8)
        let result = try Shell.run([Shell.netscope, "metrics", "--output", file])
        #expect(result.status == 1 && result.stderr.contains("No space left on device"), "\(result.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["netscope.prom"])
    }

    /// nginx's default dual-stack pair (0.0.0.0:7000 and v6only [::]:7000), a SO_REUSEPORT
    /// pair on 7001, a listener whose accept queue overflows (7002) and a busy one (7003):
    /// every series is unique (the strict OpenMetrics parser accepts the scrape), the group
    /// adds up, and --max-ports 1 keeps the overflowing port, not the busy one.
    @Test func dualStackAndReuseportListenersGiveUniqueSeries() throws {
        let ns = try TestNamespace("metdual")
        try ns.ip(line: "link set lo up")
        let holder = try NamespaceHolder(ns, script: #"""
            import socket, sys, time
            v4 = socket.socket(); v4.bind(("0.0.0.0", 7000)); v4.listen(8)
            v6 = socket.socket(socket.AF_INET6); v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            v6.bind(("::", 7000)); v6.listen(8)
            group = []
            for _ in range(2):
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                s.bind(("0.0.0.0", 7001)); s.listen(4); group.append(s)
            full = socket.socket(); full.bind(("127.0.0.1", 7002)); full.listen(1)
            pending = []
            for _ in range(4):
                c = socket.socket(); c.setblocking(False); c.connect_ex(("127.0.0.1", 7002)); pending.append(c)
            busy = socket.socket(); busy.bind(("127.0.0.1", 7003)); busy.listen(16)
            clients = [socket.create_connection(("127.0.0.1", 7003)) for _ in range(5)]
            served = [busy.accept()[0] for _ in range(5)]
            time.sleep(0.5)
            print("ready", flush=True)
            sys.stdin.read()
            """#)
        defer { _ = holder }
        let text = try ns.netscope("metrics", "--openmetrics", "--collectors", "listeners")
        #expect(text.status == 0, "\(text.stderr)")
        let series = text.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0[..<$0.lastIndex(of: " ")!]) }
        #expect(Set(series).count == series.count, "duplicate series: \(series.filter { s in series.filter { $0 == s }.count > 1 })")
        let parser = try Shell.run(["/usr/bin/python3", "-c", """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            print(sum(len(f.samples) for f in om(sys.stdin.read())))
            """], input: text.stdout)
        #expect(parser.status == 0, "OpenMetrics parser: \(parser.stderr)")
        let metrics = Self.samples(text.stdout)
        #expect(metrics["netscope_tcp_listen_backlog{family=\"inet\",address=\"0.0.0.0\",port=\"7000\"}"] == 8)
        #expect(metrics["netscope_tcp_listen_backlog{family=\"inet6\",address=\"::\",port=\"7000\"}"] == 8)
        #expect(metrics["netscope_tcp_listen_sockets{family=\"inet\",address=\"0.0.0.0\",port=\"7001\"}"] == 2)
        #expect(metrics["netscope_tcp_listen_backlog{family=\"inet\",address=\"0.0.0.0\",port=\"7001\"}"] == 8)
        // ss is the oracle for the overflowing queue: Recv-Q above Send-Q.
        let ss = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-Hltn", "sport", "= :7002"]).split(separator: " ").filter { !$0.isEmpty }
        let queue = Double(ss[1])!, backlog = Double(ss[2])!
        #expect(queue > backlog)
        #expect(metrics["netscope_tcp_listen_queue_length{family=\"inet\",address=\"127.0.0.1\",port=\"7002\"}"] == queue)
        #expect(metrics["netscope_tcp_listen_full_sockets{family=\"inet\",address=\"127.0.0.1\",port=\"7002\"}"] == 1)
        let bounded = Self.samples(try ns.netscope("metrics", "--max-ports", "1", "--collectors", "listeners").stdout)
        #expect(bounded["netscope_tcp_listen_full_sockets{family=\"inet\",address=\"127.0.0.1\",port=\"7002\"}"] == 1)
        #expect(bounded.keys.allSatisfy { !$0.contains("port=\"7003\"") })
        // overview shows the pair as ss does, not as *:7000 twice.
        let overview = try ns.netscope("overview", "--interval", "0", "--top", "20", "--json")
        let document = try #require(try JSONOracle.parse(overview.stdout) as? [String: Any])
        let locals = (document["listeners"] as? [[String: Any]] ?? []).map { listener -> String in
            let local = listener["local"] as? [String: Any] ?? [:]
            return "\(local["address"] ?? "-") \(local["port"] ?? "-")"
        }
        #expect(locals.filter { $0 == "0.0.0.0 7000" }.count == 1 && locals.filter { $0 == ":: 7000" }.count == 1, "\(locals)")
        let table = try ns.netscope("overview", "--interval", "0", "--top", "20").stdout
        #expect(table.contains("0.0.0.0:7000") && table.contains("[::]:7000"))
    }
}
