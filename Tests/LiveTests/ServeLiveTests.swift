import Foundation
import TestSupport
import Testing

/// `netscope serve`: scraped by a real Prometheus, and still answering after malformed
/// requests, huge headers, 100 concurrent scrapes, slow clients and clients that hang up.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root, iproute2 and prometheus (always runs under CI=true)"))
struct ServeLiveTests {
    /// A running `netscope serve` on a free loopback port.
    final class Server: @unchecked Sendable {
        let process = Process()
        let errors = Pipe()
        var port = 0

        init(_ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: Shell.netscope)
            process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var text = ""
            while !text.contains("\n") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: #"127\.0\.0\.1:(\d+)/metrics"#, options: .regularExpression) else {
                throw Shell.Failure(description: "serve did not start: \(text)")
            }
            port = Int(text[range].dropFirst("127.0.0.1:".count).dropLast("/metrics".count))!
        }

        var url: String { "http://127.0.0.1:\(port)" }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func prometheusScrapesItAndSeesOurSeries() throws {
        let ns = try TestNamespace("srv")
        try ns.ip(line: "link set lo up")
        try ns.ip(line: "link add sv0 type veth peer name sv1")
        // 33 datagrams to a closed port: Udp.NoPorts of this namespace only (the host's differs).
        try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c",
                         "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nfor _ in range(33): s.sendto(b'x',('127.0.0.1',9))"])
        let server = try Server(["--netns", ns.name])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nst-prom-\(ns.name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: netscope
                static_configs:
                  - targets: ['127.0.0.1:\(server.port)']
            """
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let prometheusPort = 39000 + Int(getpid() % 1000)
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        prometheus.arguments = [
            "prometheus", "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(prometheusPort)",
        ]
        prometheus.standardOutput = FileHandle.nullDevice
        prometheus.standardError = FileHandle.nullDevice
        try prometheus.run()
        defer { prometheus.terminate(); prometheus.waitUntilExit() }

        func query(_ expression: String) -> [[String: Any]] {
            let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
            guard let text = try? Shell.check(["python3", "-c", """
                import urllib.request, sys
                print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())
                """, "http://127.0.0.1:\(prometheusPort)/api/v1/query?query=\(encoded)"]),
                let json = try? JSONOracle.parse(text) as? [String: Any], let data = json["data"] as? [String: Any]
            else { return [] }
            return data["result"] as? [[String: Any]] ?? []
        }
        var up: [[String: Any]] = []
        var veth: [[String: Any]] = []
        for _ in 0..<60 {
            up = query("up{job=\"netscope\"}")
            veth = query("netscope_interface_info{device=\"sv1\"}")
            if (up.first?["value"] as? [Any])?.last as? String == "1" && !veth.isEmpty { break }
            usleep(500_000)
        }
        #expect((up.first?["value"] as? [Any])?.last as? String == "1", "up: \(up)")
        // A series only the namespace has: the metrics come from --netns, the socket listens outside.
        #expect(!veth.isEmpty)
        // /proc/net as the collection thread's namespace sees it, not the host's.
        let noPorts = query("netscope_netstat_udp_no_ports_total")
        #expect((noPorts.first?["value"] as? [Any])?.last as? String == "33", "\(noPorts)")
        #expect(server.process.isRunning)
    }

    @Test func survivesBadClientsAndStillAnswers() throws {
        let server = try Server(["--request-timeout", "1", "--max-connections", "8", "--collectors", "interfaces,protocols,sockstat"])
        let script = #"""
            import socket, sys, threading, time, urllib.request, gzip
            port = int(sys.argv[1])
            def raw(data, read=True):
                # What came back; "reset" when the server cut the connection before we read an
                # answer (it may, while a client is still sending more than it accepts).
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                out = b""
                try:
                    s.sendall(data)
                    if not read: s.close(); return b""
                    while True:
                        chunk = s.recv(65536)
                        if not chunk: break
                        out += chunk
                except socket.timeout:
                    pass
                except (ConnectionResetError, BrokenPipeError):
                    if not out: out = b"reset"
                s.close()
                return out
            results = {}
            results["malformed"] = raw(b"GARBAGE\r\n\r\n")[:12].decode()
            results["huge"] = raw(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n")[:12].decode()
            many = b"".join(b"X-H%d: v\r\n" % i for i in range(100))
            results["many_headers"] = raw(b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")[:12].decode()
            results["post"] = raw(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + b"z" * 5000)[:12].decode()
            results["missing"] = raw(b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")[:12].decode()
            raw(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", read=False)   # hangs up before the answer
            # A slow client: half a request, then one header byte at a time.
            slow = socket.create_connection(("127.0.0.1", port), timeout=10)
            slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            start = time.time(); cut = False
            try:
                for _ in range(20):
                    slow.sendall(b"X")
                    time.sleep(0.25)
                    slow.settimeout(0.01)
                    try:
                        if slow.recv(1) == b"": cut = True; break
                    except socket.timeout:
                        pass
            except (BrokenPipeError, ConnectionResetError):
                cut = True
            results["slowloris_cut"] = cut
            results["slowloris_seconds"] = round(time.time() - start, 1)
            # 100 scrapes at once, more than --max-connections: they wait, and all succeed.
            codes = []
            def scrape():
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=30) as r:
                        body = r.read()
                        codes.append((r.status, body.endswith(b"\n") and b"netscope_interface_up" in body))
                except Exception as e:
                    codes.append((str(e), False))
            threads = [threading.Thread(target=scrape) for _ in range(100)]
            for t in threads: t.start()
            for t in threads: t.join()
            results["concurrent_ok"] = sum(1 for c in codes if c == (200, True))
            # Afterwards: gzip and OpenMetrics negotiation still work.
            req = urllib.request.Request("http://127.0.0.1:%d/metrics" % port, headers={"Accept-Encoding": "gzip", "Accept": "application/openmetrics-text; version=1.0.0"})
            with urllib.request.urlopen(req, timeout=10) as r:
                results["encoding"] = r.headers.get("Content-Encoding")
                results["type"] = r.headers.get("Content-Type")
                results["eof"] = gzip.decompress(r.read()).endswith(b"# EOF\n")
            print(repr(results))
            """#
        let result = try Shell.run(["python3", "-c", script, String(server.port)])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("'malformed': 'HTTP/1.1 400'"), "\(out)")
        // 400 from the HTTP parser's own limit, or the connection cut while the client still sends.
        #expect(out.contains("'huge': 'HTTP/1.1 4") || out.contains("'huge': 'reset'"), "\(out)")
        #expect(out.contains("'many_headers': 'HTTP/1.1 431'"), "\(out)")
        #expect(out.contains("'post': 'HTTP/1.1 4"), "\(out)")
        #expect(out.contains("'missing': 'HTTP/1.1 404'"), "\(out)")
        #expect(out.contains("'slowloris_cut': True"), "\(out)")
        #expect(out.contains("'concurrent_ok': 100"), "\(out)")
        #expect(out.contains("'encoding': 'gzip'"), "\(out)")
        #expect(out.contains("'type': 'application/openmetrics-text; version=1.0.0; charset=utf-8'"), "\(out)")
        #expect(out.contains("'eof': True"), "\(out)")
        #expect(server.process.isRunning, "the server died")
    }

    @Test func listensOnLoopbackByDefault() throws {
        let help = try Shell.check([Shell.netscope, "serve", "--help"])
        #expect(help.contains("default: 127.0.0.1:29100"))
        let taken = try Server([])
        let clash = try Shell.run([Shell.netscope, "serve", "--listen", "127.0.0.1:\(taken.port)"])
        #expect(clash.status == 1 && clash.stderr.contains("cannot listen on 127.0.0.1:\(taken.port)"))
    }
}
