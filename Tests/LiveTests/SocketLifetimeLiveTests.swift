import Foundation
import TestSupport
import Testing

/// What `watch sockets` and `serve`'s connections collector say of a close: the last state,
/// whatever the state selection (oracle: `ss -tan` while the socket sits in CLOSE-WAIT), and
/// lifetimes that contain the durations the test measured itself (time.monotonic around
/// connect and close) or are left out, never invented.
@Suite(.serialized, .enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct SocketLifetimeLiveTests {
    typealias Watching = WatchLiveTests.Watching

    @Test func aCloseReportsItsRealLastStateWhateverTheSelection() throws {
        let ns = try SocketWatchLiveTests.namespace("socklast")
        let filtered = try Watching(ns, ["-t", "--interval", "0.2", "state", "established"], command: ["watch", "sockets"])
        let everything = try Watching(ns, ["-t", "--interval", "0.2"], command: ["watch", "sockets"])
        // The client closes first: the server's end sits in CLOSE-WAIT until it closes too.
        let holder = try NamespaceHolder(ns, script: """
            import socket, sys
            srv = socket.socket(); srv.bind(('127.0.0.1', 7200)); srv.listen(8)
            c = socket.create_connection(('127.0.0.1', 7200)); a, _ = srv.accept()
            print('ready', a.getpeername()[1], flush=True)
            sys.stdin.readline(); c.close(); print('half', flush=True)
            sys.stdin.readline(); a.close(); srv.close(); print('done', flush=True)
            """)
        usleep(600_000)
        #expect(holder.send("close client") == "half")
        usleep(800_000)
        let ss = try Shell.check(["ss", "-N", ns.name, "-Htan", "state", "close-wait", "sport", "=", ":7200"])
        #expect(ss.split(separator: "\n").count == 1, "ss shows the server end in CLOSE-WAIT: \(ss)")
        #expect(holder.send("close server") == "done")
        let mine = SocketWatchLiveTests.closes(try filtered.stop(settle: 0.6))
        let all = SocketWatchLiveTests.closes(try everything.stop(settle: 0.6))
        func serverEnd(_ closes: [[String: Any]]) -> [String: Any]? {
            closes.first { let p = SocketWatchLiveTests.ports($0); return p.local == 7200 && p.peer != 0 }
        }
        let unfilteredState = serverEnd(all)?["last_state"] as? String
        #expect(unfilteredState == "CLOSE-WAIT", "the unfiltered watch: \(all)")
        #expect(serverEnd(mine)?["last_state"] as? String == "CLOSE-WAIT", "state established: \(mine)")
    }

    /// Three connections of 5 ms, 300 ms and 3 s, each on its own port.
    static let timed = """
        import socket, sys, time, json
        out = {}
        for port, hold in ((7301, 0.005), (7302, 0.3), (7303, 3.0)):
            srv = socket.socket(); srv.bind(('127.0.0.1', port)); srv.listen(8)
            time.sleep(1.5)   # the listener is dumped before the connection opens
            start = time.monotonic()
            c = socket.create_connection(('127.0.0.1', port)); a, _ = srv.accept()
            time.sleep(hold)
            c.close(); a.close()
            out[port] = time.monotonic() - start
            srv.close()
        print(json.dumps(out))
        """

    @Test func lifetimesContainTheMeasuredDurationsOrAreLeftOut() throws {
        let ns = try SocketWatchLiveTests.namespace("socklife")
        let watch = try Watching(ns, ["-t", "--interval", "1"], command: ["watch", "sockets"])
        let server = try ServeLiveTests.Server(["--netns", ns.name, "--collectors", "connections"])
        let run = try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c", Self.timed])
        let measured = try #require(try JSONOracle.parse(run.trimmingCharacters(in: .whitespacesAndNewlines)) as? [String: Double])
        usleep(500_000)
        let events = try watch.stop(settle: 0.5)
        let samples = MetricsLiveTests.samples(try SocketWatchLiveTests.scrape(server.port, openMetrics: false))
        // Margin for the clocks: the script times connect() to close(), the watcher dumps and
        // notifications; both run on this machine.
        let margin = 0.05
        for (portText, duration) in measured {
            let port = Int(portText)!
            let closes = SocketWatchLiveTests.closes(events).filter { SocketWatchLiveTests.ports($0).local == port && SocketWatchLiveTests.ports($0).peer != 0 }
            #expect(closes.count == 1, "port \(port): one server-side close")
            for close in closes {
                let low = Double(close["age_min_ms"] as? Int ?? 0) / 1000
                let high = (close["age_max_ms"] as? Int).map { Double($0) / 1000 }
                #expect(low <= duration + margin, "port \(port): at least \(low) s, measured \(duration) s")
                #expect(high == nil || high! >= duration - margin, "port \(port): at most \(high ?? -1) s, measured \(duration) s")
            }
            let labels = "{port=\"\(port)\",side=\"server\"}"
            #expect(samples["netscope_tcp_connections_closed_total\(labels)"] == 1, "port \(port)")
            let counted = samples["netscope_tcp_connection_duration_seconds_count\(labels)"] ?? -1
            let unknown = samples["netscope_tcp_connection_duration_unknown_total\(labels)"] ?? -1
            #expect(counted + unknown == 1, "port \(port): \(counted) observed, \(unknown) unknown")
            if counted == 1 {
                // Observed: in the bucket that holds the measured duration, the sum within half
                // the dump interval (1 s) of it.
                let bounds = [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800, 3600]
                let index = bounds.firstIndex { duration <= $0 }!
                let le = bounds[index]
                #expect(samples["netscope_tcp_connection_duration_seconds_bucket{port=\"\(port)\",side=\"server\",le=\"\(Self.format(le))\"}"] == 1,
                        "port \(port): \(duration) s belongs under le=\(le)")
                if index > 0 {
                    #expect(samples["netscope_tcp_connection_duration_seconds_bucket{port=\"\(port)\",side=\"server\",le=\"\(Self.format(bounds[index - 1]))\"}"] == 0,
                            "port \(port): \(duration) s is above le=\(bounds[index - 1])")
                }
                let sum = samples["netscope_tcp_connection_duration_seconds_sum\(labels)"] ?? -1
                #expect(abs(sum - duration) <= 0.5 + 0.2, "port \(port): sum \(sum), measured \(duration)")
            }
        }
        // The 5 ms connection cannot be bounded within one bucket by dumps a second apart,
        // and the 3 s one always is ((1, 5]).
        #expect(samples["netscope_tcp_connection_duration_unknown_total{port=\"7301\",side=\"server\"}"] == 1)
        #expect(samples["netscope_tcp_connection_duration_seconds_count{port=\"7303\",side=\"server\"}"] == 1)
    }

    static func format(_ bound: Double) -> String {
        bound == bound.rounded() ? String(Int(bound)) : String(bound)
    }
}
