import Foundation
import TestSupport
import Testing

/// One vocabulary across the JSON outputs: RFC 3339 times with a zone, rates as `…per_sec`,
/// endpoints as `{address, port}`, the cookie the same in text and JSON.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct JSONConsistencyTests {
    /// 2026-11-29T12:20:30.123Z
    static func isRFC3339(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil
    }

    @Test func timesAndRatesHaveOneForm() throws {
        let ns = try TestNamespace("json")
        try ns.ip(line: "link set lo up")
        let counters = try #require(try JSONOracle.parse(ns.netscope("counters", "--interval", "0.2", "--count", "1", "--json").stdout) as? [[String: Any]])
        #expect(counters.allSatisfy { Self.isRFC3339($0["time"]) && $0["rx_bytes_per_sec"] != nil }, "\(counters)")
        let stats = try #require(try JSONOracle.parse(ns.netscope("stats", "--interval", "0.2", "--count", "1", "--json", "-z", "Tcp.ActiveOpens").stdout) as? [[String: Any]])
        #expect(stats.count == 1 && Self.isRFC3339(stats[0]["time"]) && stats[0]["per_sec"] != nil && stats[0]["rate"] == nil, "\(stats)")
        let softnet = try #require(try JSONOracle.parse(ns.netscope("stats", "--softnet", "--interval", "0.2", "--count", "1", "--json").stdout) as? [[String: Any]])
        #expect(softnet.allSatisfy { Self.isRFC3339($0["time"]) && $0["processed_per_sec"] != nil }, "\(softnet)")
        let snapshot = try #require(try JSONOracle.parse(ns.netscope("snapshot").stdout) as? [String: Any])
        #expect(Self.isRFC3339(snapshot["taken_at"]))
    }

    @Test func theCookieIsTheSameInTextAndJSON() throws {
        let ns = try TestNamespace("jsoncookie")
        try ns.ip(line: "link set lo up")
        let holder = try NamespaceHolder(ns, script: """
            import socket, sys
            l = socket.socket(); l.bind(("127.0.0.1", 7400)); l.listen(1)
            print("ready", flush=True)
            sys.stdin.read()
            """)
        defer { _ = holder }
        let json = try #require(try JSONOracle.parse(ns.netscope("sockets", "-tln", "--json", "-e").stdout) as? [[String: Any]])
        let socket = try #require(json.first)
        let cookie = try #require(socket["cookie"] as? Int)
        #expect(socket["sk"] as? String == String(cookie, radix: 16))
        let text = try ns.netscope("sockets", "-tln", "-e").stdout
        #expect(text.contains("sk:\(String(cookie, radix: 16))"), "\(text)")
        let ss = try Shell.check(["ip", "netns", "exec", ns.name, "ss", "-tlne"])
        #expect(ss.contains("sk:\(String(cookie, radix: 16))"), "\(ss)")
    }
}
