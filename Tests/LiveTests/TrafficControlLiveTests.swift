import Foundation
import TestSupport
import Testing

/// `qdiscs` and `classes` against `tc -s` on the same state: an htb tree with classes and a
/// child pfifo, clsact, bfifo, and a tbf made to drop by a UDP flood.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct TrafficControlLiveTests {
    /// A namespace whose a0 carries htb (1:1 → 1:10 → pfifo 10:) and clsact, b0 a tight tbf,
    /// c0 a bfifo, all veths into a peer namespace; traffic has gone through each and stopped.
    static func shapedNamespace() throws -> TestNamespace {
        let ns = try plainPair(label: "tc")
        func tc(_ line: String) throws { try Shell.check(["ip", "netns", "exec", ns.name, "tc"] + line.split(separator: " ").map(String.init)) }
        try tc("qdisc add dev a0 root handle 1: htb default 10")
        try tc("class add dev a0 parent 1: classid 1:1 htb rate 10mbit ceil 20mbit")
        try tc("class add dev a0 parent 1:1 classid 1:10 htb rate 1mbit ceil 10mbit prio 1")
        try tc("class add dev a0 parent 1:1 classid 1:20 htb rate 2mbit ceil 4mbit prio 2")
        try tc("qdisc add dev a0 parent 1:10 handle 10: pfifo limit 50")
        try tc("qdisc add dev a0 clsact")
        try tc("qdisc add dev b0 root handle 2: tbf rate 200kbit burst 4kb limit 8kb")
        // A rate estimator: TCA_STATS_RATE_EST64 (tc's rate and pps).
        try tc("qdisc add dev c0 root handle 3: estimator 1sec 8sec bfifo limit 30000")
        // 3,000 datagrams of 1,000 bytes at once through b0: far more than tbf lets through.
        let flood = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for target in ("10.9.0.2", "10.9.2.2"):
                for _ in range(40): s.sendto(b"x" * 200, (target, 9))
            for _ in range(3000):
                try: s.sendto(b"x" * 1000, ("10.9.1.2", 9))
                except OSError: pass
            """
        try Shell.check(["ip", "netns", "exec", ns.name, "python3", "-c", flood])
        // Compared once the queues are empty, so both tools read the same numbers.
        for _ in 0..<100 {
            let queued = try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-s", "-j", "qdisc", "show"])
            if let list = try JSONOracle.parse(queued) as? [[String: Any]], list.allSatisfy({ ($0["qlen"] as? Int) == 0 }) { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return ns
    }

    /// A namespace with veths a0, b0, c0 (10.9.0-2.1/24) into a peer namespace, IPv6 off.
    static func plainPair(label: String) throws -> TestNamespace {
        let ns = try TestNamespace(label)
        let peer = try TestNamespace(label + "peer")
        ns.companions.append(peer)
        // No IPv6 on the veths: router solicitations and MLD reports would move the counters
        // between one tool's reading and the other's.
        for namespace in [ns, peer] {
            for key in ["all", "default"] {
                try Shell.check(["ip", "netns", "exec", namespace.name, "sysctl", "-qw", "net.ipv6.conf.\(key).disable_ipv6=1"])
            }
        }
        try ns.ip(line: "link set lo up")
        for (index, name) in ["a", "b", "c"].enumerated() {
            try ns.ip(line: "link add \(name)0 type veth peer name \(name)1 netns \(peer.name)")
            try ns.ip(line: "addr add 10.9.\(index).1/24 dev \(name)0")
            try ns.ip(line: "link set \(name)0 up")
            try peer.ip(line: "addr add 10.9.\(index).2/24 dev \(name)1")
            try peer.ip(line: "link set \(name)1 up")
        }
        return ns
    }

    @Test func qdiscsEqualTcSJson() throws {
        let ns = try Self.shapedNamespace()
        let theirs = try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-s", "-j", "qdisc", "show"]))
        let result = try ns.netscope("qdiscs", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let ours = try JSONOracle.parse(result.stdout)
        // The estimator's rate decays between the two reads; its keys must be there on both sides.
        #expect(JSONOracle.differences(ours: ours, theirs: theirs, tolerance: ["rate", "pps"], slack: 1e9) == [])
        let bfifo = (ours as? [[String: Any]])?.first { $0["kind"] as? String == "bfifo" }
        #expect(bfifo?["rate"] != nil && bfifo?["pps"] != nil, "\(String(describing: bfifo))")
        // The flood made tbf drop, and overlimits count the packets it held back.
        let tbf = (ours as? [[String: Any]])?.first { $0["kind"] as? String == "tbf" }
        #expect((tbf?["drops"] as? Int ?? 0) > 100, "\(String(describing: tbf))")
        // dev narrows to one interface; `qdisc show dev b0` is tc's spelling.
        let one = try ns.netscope("qdisc", "show", "dev", "b0", "--json")
        let oneList = try JSONOracle.parse(one.stdout) as? [[String: Any]]
        #expect(oneList?.count == 1 && oneList?.first?["kind"] as? String == "tbf", "\(one.stdout) \(one.stderr)")
        let theirsOne = try JSONOracle.parse(try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-s", "-j", "qdisc", "show", "dev", "b0"]))
        #expect(JSONOracle.differences(ours: oneList as Any, theirs: theirsOne, ignoring: ["dev"]) == [])
        let unknown = try ns.netscope("qdiscs", "dev", "nosuch0")
        #expect(unknown.status == 1 && unknown.stderr.contains("no interface \"nosuch0\""), "\(unknown.stderr)")
    }

    /// tc 6.1 has no JSON for classes, so its text is the oracle: every class, its parent,
    /// leaf, htb parameters as tc prints them, and every statistic but the tokens (which refill).
    @Test func classesEqualTcS() throws {
        let ns = try Self.shapedNamespace()
        let text = try Shell.check(["ip", "netns", "exec", ns.name, "tc", "-s", "class", "show", "dev", "a0"])
        var theirs: [String: [String: String]] = [:]
        var current: String?
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ").map(String.init)
            func after(_ word: String) -> String? { words.firstIndex(of: word).flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } }
            if words.first == "class" {
                current = words[2]
                theirs[words[2]] = [
                    "parent": words.contains("root") ? "root" : after("parent") ?? "?", "leaf": after("leaf") ?? "-",
                    "prio": after("prio") ?? "-", "rate": after("rate") ?? "?", "ceil": after("ceil") ?? "?",
                    "burst": after("burst") ?? "?", "cburst": after("cburst") ?? "?",
                ]
            } else if let current, words.first == "Sent" {
                theirs[current]?["bytes"] = words[1]
                theirs[current]?["packets"] = words[3]
                theirs[current]?["drops"] = after("(dropped").map { String($0.dropLast()) }
                theirs[current]?["overlimits"] = after("overlimits")
                theirs[current]?["requeues"] = after("requeues").map { String($0.dropLast()) }
            } else if let current, words.first == "backlog" {
                theirs[current]?["backlog"] = words[1]
                theirs[current]?["qlen"] = String(words[2].dropLast())
            } else if let current, words.first == "lended:" {
                theirs[current]?["lended"] = words[1]
                theirs[current]?["borrowed"] = words[3]
                theirs[current]?["giants"] = words[5]
            }
        }
        #expect(theirs.count == 3, "\(text)")
        let table = try ns.netscope("classes", "a0", "--no-header")
        #expect(table.status == 0, "\(table.stderr)")
        let json = try ns.netscope("classes", "dev", "a0", "--json")
        let ours = try JSONOracle.parse(json.stdout) as? [[String: Any]] ?? []
        #expect(ours.count == theirs.count, "\(json.stdout)")
        for object in ours {
            let handle = object["handle"] as? String ?? "?"
            guard let expected = theirs[handle] else {
                Issue.record("class \(handle) is not in tc's list")
                continue
            }
            let stats = object["stats"] as? [String: Any] ?? [:]
            func string(_ value: Any?) -> String { value.map { "\($0)" } ?? "-" }
            #expect(string(object["root"] != nil ? "root" : object["parent"]) == expected["parent"], "\(handle)")
            #expect((object["leaf"] as? String).map { String(Int($0.dropFirst(2), radix: 16)!, radix: 16) + ":" } ?? "-" == expected["leaf"], "\(handle)")
            #expect(string(object["prio"]) == expected["prio"], "\(handle)")
            #expect(string(stats["backlog"]) + "b" == expected["backlog"], "\(handle)")
            for key in ["bytes", "packets", "drops", "overlimits", "requeues", "qlen", "lended", "borrowed", "giants"] {
                #expect(string(stats[key]) == expected[key], "\(handle) \(key): \(string(stats[key])) vs tc \(expected[key] ?? "-")")
            }
            // The table prints rate, ceil, burst and cburst as tc does.
            let row = table.stdout.split(separator: "\n").first { $0.split(separator: " ").dropFirst(2).first.map(String.init) == handle }
                .map(String.init) ?? ""
            for key in ["rate", "ceil", "burst", "cburst"] {
                #expect(row.contains("\(key) \(expected[key] ?? "?")"), "\(handle) \(key): \(row) vs tc \(expected[key] ?? "-")")
            }
        }
        #expect(ours.contains { ($0["stats"] as? [String: Any])?["packets"] as? Int ?? 0 > 0 }, "no traffic reached the htb classes")
    }

    /// tc's and ip's own words: `classes dev a0 classid 1:10`, `qdiscs dev a0 root|handle|parent`,
    /// `link show dev a0`, `addr show dev a0` select what tc and ip select with them.
    @Test func tcAndIpWordsSelectWhatTheToolsSelect() throws {
        let ns = try Self.shapedNamespace()
        func tcIDs(_ words: String) throws -> [String] {
            try Shell.check(["ip", "netns", "exec", ns.name, "tc"] + words.split(separator: " ").map(String.init))
                .split(separator: "\n").filter { $0.hasPrefix("class ") || $0.hasPrefix("qdisc ") }
                .map { String($0.split(separator: " ")[2]) }
        }
        func ours(_ words: String) throws -> [String] {
            let result = try Shell.run([Shell.netscope, "--netns", ns.name, "--json"] + words.split(separator: " ").map(String.init))
            #expect(result.status == 0, "\(words): \(result.stderr)")
            let list = try JSONOracle.parse(result.stdout) as? [[String: Any]] ?? []
            return list.compactMap { $0["handle"] as? String }
        }
        for (mine, theirs) in [("classes dev a0 classid 1:10", "class show dev a0 classid 1:10"),
                               ("classes dev a0 classid 1:1", "class show dev a0 classid 1:1"),
                               ("classes dev a0 parent 1:1", "class show dev a0 parent 1:1"),
                               ("qdiscs dev a0 root", "qdisc show dev a0 root"),
                               ("qdiscs dev a0 handle 10:", "qdisc show dev a0 handle 10:"),
                               ("qdiscs dev a0 parent 1:10", "qdisc show dev a0 parent 1:10")] {
            let expected = try tcIDs(theirs)
            #expect(!expected.isEmpty, "tc \(theirs) lists something")
            #expect(try ours(mine) == expected, "\(mine) vs tc \(theirs)")
        }
        for (mine, theirs) in [(["link", "show", "dev", "a0"], ["link", "show", "dev", "a0"]), (["addr", "show", "dev", "a0"], ["addr", "show", "dev", "a0"])] {
            let result = try Shell.run([Shell.netscope, "--netns", ns.name, "--json"] + mine)
            #expect(result.status == 0, "\(mine): \(result.stderr)")
            let names = (try JSONOracle.parse(result.stdout) as? [[String: Any]] ?? []).compactMap { $0["ifname"] as? String }
            let ip = (try JSONOracle.parse(try ns.ip(line: "-j " + theirs.joined(separator: " "))) as? [[String: Any]]) ?? []
            #expect(names == ["a0"] && ip.count == 1, "\(mine): \(names)")
        }
        let bad = try Shell.run([Shell.netscope, "--netns", ns.name, "classes", "dev", "a0", "classid"])
        #expect(bad.status == 64 && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    }
}
