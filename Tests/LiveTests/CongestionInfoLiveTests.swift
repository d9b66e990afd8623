import Foundation
import TestSupport
import Testing

/// `sockets -i` prints the congestion control's own state as ss does: a BBR connection's
/// bandwidth estimate, min RTT and gains, compared with `ss -tin` on the same idle socket.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root, iproute2 and tcp_bbr (always runs under CI=true)"))
struct CongestionInfoLiveTests {
    @Test func bbrStateEqualsSs() throws {
        _ = try? Shell.run(["modprobe", "tcp_bbr"])
        let ns = try TestNamespace("bbr")
        try ns.ip(line: "link set lo up")
        // A client with TCP_CONGESTION bbr sends 2 MB, then both ends sit idle (the estimate
        // holds still while nothing is acked).
        let holder = try NamespaceHolder(ns, script: """
            import socket, sys
            srv = socket.socket(); srv.bind(('127.0.0.1', 7400)); srv.listen(1)
            c = socket.socket(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b'bbr')
            c.connect(('127.0.0.1', 7400)); a, _ = srv.accept()
            c.sendall(b'x' * 2000000)
            got = 0
            while got < 2000000: got += len(a.recv(1 << 20))
            print('ready', flush=True)
            sys.stdin.readline()
            """)
        defer { holder.send("done") }
        usleep(300_000)
        let ss = try Shell.check(["ss", "-N", ns.name, "-tinH", "dport", "=", ":7400"])
        let match = try #require(ss.firstMatch(of: /bbr:\(bw:([0-9]+)bps,mrtt:([0-9.]+),pacing_gain:([0-9.]+),cwnd_gain:([0-9.]+)\)/), "ss: \(ss)")
        let result = try Shell.run([Shell.netscope, "sockets", "--netns", ns.name, "-ti", "--json", "dport", "=", ":7400"])
        let sockets = try #require(try JSONOracle.parse(result.stdout) as? [[String: Any]], "\(result.stderr)")
        let info = try #require((sockets.first?["tcp_info"] as? [String: Any])?["bbr_info"] as? [String: Any], "\(sockets)")
        #expect((info["bw"] as? Int).map { $0 * 8 } == Int(match.1), "bw: ss \(match.1) bit/s")
        #expect((info["min_rtt_us"] as? Int).map { Double($0) / 1000 } == Double(match.2), "mrtt: ss \(match.2) ms")
        #expect((info["pacing_gain"] as? Int).map { Double($0) / 256 } == Double(match.3))
        #expect((info["cwnd_gain"] as? Int).map { Double($0) / 256 } == Double(match.4))
        // The text form, where ss prints it (after the segment counts, before `send`).
        let text = try Shell.check([Shell.netscope, "sockets", "--netns", ns.name, "-tin", "dport", "=", ":7400"])
        #expect(text.contains("bbr:(bw:") && text.contains(",pacing_gain:\(match.3),cwnd_gain:\(match.4))"), "\(text)")
        let bbr = try #require(text.range(of: "bbr:(")), send = try #require(text.range(of: " send "))
        #expect(bbr.lowerBound < send.lowerBound)
    }
}
