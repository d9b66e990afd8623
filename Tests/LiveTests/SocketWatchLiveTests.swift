import Foundation
import TestSupport
import Testing

/// `netscope watch sockets` against real connection churn, with `ss -E` as the oracle.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct SocketWatchLiveTests {
    typealias Watching = WatchLiveTests.Watching

    static func namespace(_ label: String) throws -> TestNamespace {
        let ns = try TestNamespace(label)
        try ns.ip(line: "link set lo up")
        return ns
    }

    /// `count` connections to 127.0.0.1:PORT, one after another: connection i sends
    /// 1000 + i bytes, shuts down its send side, the server reads to EOF and both close.
    /// Prints {client port: bytes} as JSON.
    static let churn = """
        import socket, sys, json
        port, count = int(sys.argv[1]), int(sys.argv[2])
        srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(('127.0.0.1', port)); srv.listen(128)
        sent = {}
        for i in range(count):
            c = socket.create_connection(('127.0.0.1', port)); a, _ = srv.accept()
            n = 1000 + i
            c.sendall(b'x' * n); c.shutdown(socket.SHUT_WR)
            got = 0
            while True:
                d = a.recv(65536)
                if not d: break
                got += len(d)
            assert got == n
            sent[c.getsockname()[1]] = n
            a.close(); c.close()
        srv.close()
        print(json.dumps(sent))
        """

    /// `ss -E` in the namespace (all states: the kernel reports closed sockets as UNCONN),
    /// line-buffered into a file.
    final class Follower {
        let process = Process()
        let path = "/tmp/netscope-ss-E-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        init(_ ns: TestNamespace, _ flags: [String]) throws {
            FileManager.default.createFile(atPath: path, contents: nil)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ip", "netns", "exec", ns.name, "stdbuf", "-oL", "ss", "-E", "-a", "-n", "-H"] + flags
            process.standardOutput = FileHandle(forWritingAtPath: path)
            try process.run()
            usleep(300_000)
        }
        func stop() -> [String] {
            usleep(300_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        }
    }

    static func closes(_ events: [[String: Any]]) -> [[String: Any]] { events.filter { $0["event"] as? String == "closed" } }

    static func ports(_ event: [String: Any]) -> (local: Int, peer: Int) {
        let object = event["object"] as? [String: Any] ?? [:]
        return ((object["local"] as? [String: Any])?["port"] as? Int ?? -1, (object["peer"] as? [String: Any])?["port"] as? Int ?? -1)
    }

    static func info(_ event: [String: Any]) -> [String: Any] {
        (event["object"] as? [String: Any])?["tcp_info"] as? [String: Any] ?? [:]
    }

    @Test func twoThousandShortConnectionsCloseOnceEachWithTheirBytes() throws {
        let ns = try Self.namespace("sockwatch")
        let oracle = try Follower(ns, ["-t"])
        let watch = try Watching(ns, ["-t"], command: ["watch", "sockets"])
        let server = try ServeLiveTests.Server(["--netns", ns.name, "--collectors", "connections"])
        let run = try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c", Self.churn, "7000", "2000"])
        let events = try watch.stop(settle: 0.5)
        let ssLines = oracle.stop()
        let metrics = try Self.scrape(server.port, openMetrics: false)
        let openMetrics = try Self.scrape(server.port, openMetrics: true)
        let sent = try #require(try JSONOracle.parse(run.trimmingCharacters(in: .whitespacesAndNewlines)) as? [String: Int])
        #expect(sent.count == 2000)

        let closes = Self.closes(events)
        #expect(events.allSatisfy { $0["event"] as? String != "lost" }, "no notification may be lost at this rate")
        // 2,000 connections have two ends each, and the listener closes too: what ss -E saw.
        #expect(closes.count == 4001)
        #expect(closes.count == ssLines.count, "ss -E saw \(ssLines.count) closes")
        var clientEnds: [Int: [[String: Any]]] = [:], serverEnds: [Int: [[String: Any]]] = [:]
        for event in closes {
            let (local, peer) = Self.ports(event)
            if peer == 7000 { clientEnds[local, default: []].append(event) }
            if local == 7000 && peer != 0 { serverEnds[peer, default: []].append(event) }
            let object = event["object"] as? [String: Any] ?? [:]
            #expect(event["id"] as? Int == object["cookie"] as? Int, "the event id is the socket cookie")
            #expect(object["state"] as? String == "UNCONN")
        }
        for (portText, bytes) in sent {
            let port = Int(portText)!
            let client = clientEnds[port] ?? [], server = serverEnds[port] ?? []
            #expect(client.count == 1 && server.count == 1, "port \(port): \(client.count) client and \(server.count) server closes")
            guard let c = client.first, let s = server.first else { continue }
            // tcp_info counts sequence space: the sender's bytes_acked includes its SYN and
            // FIN, the receiver's bytes_received the FIN; bytes_sent is the data alone.
            #expect(Self.info(c)["bytes_sent"] as? Int == bytes)
            #expect(Self.info(c)["bytes_acked"] as? Int == bytes + 2)
            #expect(Self.info(s)["bytes_received"] as? Int == bytes + 1)
        }
        // The ss -E lines name the same 4-tuples.
        let ssTuples = Set(ssLines.map { $0.split(separator: " ", omittingEmptySubsequences: true).suffix(2).joined(separator: " ") })
        let ours = Set(closes.map { event -> String in
            let (local, peer) = Self.ports(event)
            return "127.0.0.1:\(local) " + (peer == 0 ? "0.0.0.0:*" : "127.0.0.1:\(peer)")
        })
        #expect(ours == ssTuples)
        #expect(watch.errorText.contains("4001 closed"), "exit summary: \(watch.errorText)")
        let summary = watch.errorText.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(summary.contains("closed 2000 tcp port 7000 (client side)") && summary.contains("closed 2000 tcp port 7000 (server side)"), "\(summary)")
        #expect(watch.errorText.contains("nothing lost"))

        // serve counted the same closes, and the same bytes, as the watch printed.
        let samples = MetricsLiveTests.samples(metrics)
        for side in ["client", "server"] {
            let labels = "{port=\"7000\",side=\"\(side)\"}"
            #expect(samples["netscope_tcp_connections_closed_total\(labels)"] == 2000, "\(side)")
            // Each close is in the histogram or counted as of unknown duration, never both.
            let observed = samples["netscope_tcp_connection_duration_seconds_count\(labels)"] ?? -1
            #expect(observed + (samples["netscope_tcp_connection_duration_unknown_total\(labels)"] ?? -1) == 2000)
            let ends = side == "client" ? clientEnds.values.flatMap { $0 } : serverEnds.values.flatMap { $0 }
            let bytes = ends.reduce(0) { $0 + (Self.info($1)["bytes_acked"] as? Int ?? 0) + (Self.info($1)["bytes_received"] as? Int ?? 0) }
            #expect(samples["netscope_tcp_connection_bytes_sum\(labels)"] == Double(bytes), "\(side) bytes")
        }
        #expect(samples["netscope_socket_events_lost_total"] == 0)
        let promtool = try Shell.run(["sh", "-c", "promtool check metrics"], input: metrics)
        #expect(promtool.status == 0, "promtool: \(promtool.stdout)\(promtool.stderr)")
        let parser = try Shell.run(["/usr/bin/python3", "-c", """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            names = [f.name for f in om(sys.stdin.read())]
            assert "netscope_tcp_connection_duration_seconds" in names and "netscope_tcp_connections_closed" in names, names
            """], input: openMetrics)
        #expect(parser.status == 0, "OpenMetrics parser: \(parser.stderr)")
    }

    /// One scrape of `serve` on 127.0.0.1:PORT, in the 0.0.4 text format or OpenMetrics.
    static func scrape(_ port: Int, openMetrics: Bool) throws -> String {
        let accept = openMetrics ? "application/openmetrics-text; version=1.0.0" : "text/plain"
        return try Shell.check(["/usr/bin/python3", "-c", """
            import sys, urllib.request
            request = urllib.request.Request(sys.argv[1], headers={"Accept": sys.argv[2]})
            sys.stdout.write(urllib.request.urlopen(request, timeout=30).read().decode())
            """, "http://127.0.0.1:\(port)/metrics", accept])
    }

    @Test func aClosedConnectionNamesItsProcessAfterTheProcessExited() throws {
        let ns = try Self.namespace("sockproc")
        let watch = try Watching(ns, ["-t", "-p", "--interval", "0.2", "sport = :7100 or dport = :7100"], command: ["watch", "sockets"])
        // Three connections held for a second, then the process exits: the kernel closes them.
        let script = """
            import socket, time, os, sys
            srv = socket.socket(); srv.bind(('127.0.0.1', 7100)); srv.listen(8)
            pairs = []
            for i in range(3):
                c = socket.create_connection(('127.0.0.1', 7100)); a, _ = srv.accept(); pairs.append((c, a))
            print(os.getpid(), flush=True)
            time.sleep(1.0)
            os._exit(0)
            """
        let output = try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c", script])
        let pid = try #require(Int(output.trimmingCharacters(in: .whitespacesAndNewlines)))
        let events = try watch.stop(settle: 0.5)
        let closes = Self.closes(events)
        #expect(closes.count == 7, "3 connections (two ends each) and the listener")
        for event in closes {
            let processes = (event["object"] as? [String: Any])?["processes"] as? [[String: Any]] ?? []
            #expect(processes.first?["pid"] as? Int == pid, "close of \(Self.ports(event)) names pid \(pid): \(processes)")
            #expect(processes.first?["comm"] as? String == "python3")
            #expect((event["age_min_ms"] as? Int ?? 0) >= 600, "seen open at least 0.6 s before the close")
            #expect(event["last_state"] as? String == ((Self.ports(event).peer == 0) ? "LISTEN" : "ESTAB"))
        }
        let opened = events.filter { $0["event"] as? String == "opened" }
        #expect(opened.count == 7, "the dumps saw every socket open")
        #expect(Set(opened.compactMap { $0["id"] as? Int }) == Set(closes.compactMap { $0["id"] as? Int }), "opens and closes share the cookie")
    }

    @Test func anOverflowIsReportedAsExactlyWhatIsMissing() throws {
        let ns = try Self.namespace("sockloss")
        // The smallest receive buffer, and the watcher frozen while 20,000 UDP sockets close.
        let watch = try Watching(ns, ["-u", "--rcvbuf", "1024"], command: ["watch", "sockets"])
        watch.freeze()
        let script = """
            import socket
            for i in range(20000):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); s.close()
            """
        _ = try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c", script])
        watch.thaw()
        let events = try watch.stop(settle: 1.0)
        let closes = Self.closes(events).count
        let lostEvents = events.filter { $0["event"] as? String == "lost" }
        let lost = lostEvents.reduce(0) { $0 + ($1["lost"] as? Int ?? 0) }
        #expect(!lostEvents.isEmpty, "a frozen reader with a 2 KiB buffer must lose notifications")
        #expect(lostEvents.allSatisfy { $0["lost"] is Int }, "the kernel's drop counter gives a number")
        #expect(closes + lost == 20000, "\(closes) closes + \(lost) lost")
        #expect(watch.errorText.contains("LOST \(lost) close notifications"), "exit summary: \(watch.errorText)")
    }

    @Test func serveCountsLossWhenItFallsBehind() throws {
        let ns = try Self.namespace("sockserve")
        let server = try ServeLiveTests.Server(["--netns", ns.name, "--collectors", "connections"])
        // Frozen while 10,000 connections (20,000 closes) overflow its 8 MiB buffer.
        kill(server.process.processIdentifier, SIGSTOP)
        _ = try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c", Self.churn, "7300", "10000"])
        kill(server.process.processIdentifier, SIGCONT)
        usleep(1_500_000)
        let samples = MetricsLiveTests.samples(try Self.scrape(server.port, openMetrics: false))
        let closed = ["client", "server"].reduce(0.0) { $0 + (samples["netscope_tcp_connections_closed_total{port=\"7300\",side=\"\($1)\"}"] ?? 0) }
        let lost = try #require(samples["netscope_socket_events_lost_total"])
        #expect(lost > 0, "20,000 closes do not fit 8 MiB")
        // Every connection close is counted or lost; the listener's close may be among the lost.
        #expect(closed + lost == 20000 || closed + lost == 20001, "\(closed) closed + \(lost) lost")
    }

    @Test func anUnprivilegedWatchSeesClosesAndSaysWhatItCannotSee() throws {
        let ns = try Self.namespace("socknobody")
        let holder = try NamespaceHolder(ns, script: """
            import socket, sys
            srv = socket.socket(); srv.bind(('127.0.0.1', 7200)); srv.listen(8)
            c = socket.create_connection(('127.0.0.1', 7200)); a, _ = srv.accept()
            print('ready', flush=True)
            for line in sys.stdin:
                c.close(); a.close(); print('closed', flush=True)
            """)
        let process = Process()
        let output = Pipe(), errors = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", ns.name, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                             Shell.netscope, "watch", "sockets", "-t", "-p", "--ndjson", "--interval", "0.2"]
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        usleep(700_000)
        #expect(holder.send("close") == "closed")
        usleep(500_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let warnings = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let closes = text.split(separator: "\n").compactMap { try? JSONOracle.parse(String($0)) as? [String: Any] }.filter {
            $0["event"] as? String == "closed"
        }
        #expect(process.terminationStatus == 0, "\(warnings)")
        #expect(closes.count == 2, "both ends of the connection: \(text)")
        #expect(warnings.contains("could not be inspected"), "says that -p cannot see root's processes: \(warnings)")
    }

    @Test func aFilterTheKernelCannotRunIsAppliedHereWithANote() throws {
        let ns = try Self.namespace("sockfilter")
        // A unix path cannot be inet_diag bytecode: the watch still runs, and says so.
        let result = try Shell.run(["ip", "netns", "exec", ns.name, "timeout", "1", Shell.netscope, "watch", "sockets", "-t", "src unix:/tmp/x"])
        #expect(result.status == 124, "it ran until stopped: \(result.stderr)")
        #expect(result.stderr.contains("cannot be compiled to inet_diag bytecode; the dumps are filtered here"), "\(result.stderr)")
    }

    @Test func badArgumentsAreOneLine() throws {
        for (arguments, needle) in [(["-4", "-6"], "-4 and -6"), (["--interval", "0"], "--interval"), (["sport", "="], "filter"),
                                    (["state", "time-wait"], "no state left")] {
            let result = try Shell.run([Shell.netscope, "watch", "sockets"] + arguments)
            #expect(result.status != 0 && result.stderr.contains(needle), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 2, "\(arguments): \(result.stderr)")
        }
    }
}
