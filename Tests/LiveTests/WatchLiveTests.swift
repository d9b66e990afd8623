import Foundation
import TestSupport
import Testing

/// `netscope watch` against scripted changes, and against a forced overrun.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct WatchLiveTests {
    /// A running `netscope watch --ndjson` and what it printed.
    final class Watching: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        /// stdout is read as it comes: a full pipe would block the watcher mid-stream.
        private var collected = Data()
        private var collectedErrors = Data()
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private let errorsDone = DispatchSemaphore(value: 0)

        /// `command`: `watch` (rtnetlink kinds in `arguments`) or `watch sockets`.
        init(_ ns: TestNamespace, _ arguments: [String], command: [String] = ["watch"]) throws {
            process.executableURL = URL(fileURLWithPath: Shell.netscope)
            process.arguments = command + ["--ndjson", "--netns", ns.name] + arguments
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let handle = output.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lock.lock(); collected.append(chunk); lock.unlock()
                }
                done.signal()
            }
            // It says on stderr when it has subscribed and read the current state.
            var text = Data()
            while !String(decoding: text, as: UTF8.self).contains("watching") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text.append(chunk)
            }
            collectedErrors = text
            // The rest of stderr (warnings, the exit summary), read as it comes too.
            let errorHandle = errors.fileHandleForReading
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = errorHandle.availableData
                    if chunk.isEmpty { break }
                    lock.lock(); collectedErrors.append(chunk); lock.unlock()
                }
                errorsDone.signal()
            }
        }

        /// Everything it wrote to stderr (complete once `stop` returned).
        var errorText: String {
            lock.lock(); defer { lock.unlock() }
            return String(decoding: collectedErrors, as: UTF8.self)
        }

        /// Freezes it (SIGSTOP) so that nothing is read while changes pile up in its socket.
        func freeze() { kill(process.processIdentifier, SIGSTOP) }
        func thaw() { kill(process.processIdentifier, SIGCONT) }

        /// Stops it with SIGTERM after `settle` seconds (time to process what is queued) and
        /// returns its events.
        func stop(settle: Double = 0.3) throws -> [[String: Any]] {
            usleep(UInt32(settle * 1_000_000))
            process.terminate()
            process.waitUntilExit()
            done.wait()
            errorsDone.wait()
            lock.lock()
            let data = collected
            lock.unlock()
            #expect(process.terminationStatus == 0, "watch did not exit cleanly on SIGTERM")
            return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
                try? JSONOracle.parse(String($0)) as? [String: Any]
            }
        }
    }

    static func namespace() throws -> TestNamespace {
        let ns = try TestNamespace("watch")
        // IPv6 off: link-local addresses would add routes at unpredictable moments.
        for key in ["all", "default"] {
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.\(key).disable_ipv6=1"])
        }
        for line in ["link set lo up", "link add wa type veth peer name wb", "link set wa up", "link set wb up",
                     "addr add 10.0.0.1/24 dev wa", "addr add 10.0.1.1/24 dev wb"] {
            try ns.ip(line: line)
        }
        return ns
    }

    @Test func scriptedRouteChangesGiveExactlyTheseEvents() throws {
        let ns = try Self.namespace()
        let watch = try Watching(ns, ["routes"])
        try ns.ip(line: "route add 10.123.0.0/16 via 10.0.0.2")
        try ns.ip(line: "route replace 10.123.0.0/16 via 10.0.1.2")
        try ns.ip(line: "route add blackhole 10.124.0.0/16 table 100")
        try ns.ip(line: "route del 10.123.0.0/16")
        try ns.ip(line: "route del blackhole 10.124.0.0/16 table 100")
        let events = try watch.stop()
        let summary = events.map { event -> String in
            let object = event["object"] as! [String: Any]
            return "\(event["event"]!) \(object["dst"]!) \(object["gateway"] ?? object["type"] ?? "")"
        }
        #expect(summary == [
            // A replace that changes the next hop changes the route's identity: the old id goes.
            "new 10.123.0.0/16 10.0.0.2", "deleted 10.123.0.0/16 10.0.0.2", "new 10.123.0.0/16 10.0.1.2", "new 10.124.0.0/16 blackhole",
            "deleted 10.123.0.0/16 10.0.1.2", "deleted 10.124.0.0/16 blackhole",
        ])
        #expect(events.allSatisfy { $0["resync"] as? Bool == false && $0["kind"] as? String == "route" })
    }

    @Test func everyKindIsReported() throws {
        let ns = try Self.namespace()
        let watch = try Watching(ns, [])
        try ns.ip(line: "link set wb mtu 1400")
        try ns.ip(line: "addr add 10.0.0.77/24 dev wa")
        try ns.ip(line: "rule add from 10.5.0.0/16 table 100 pref 5000")
        try ns.ip(line: "neigh add 10.0.0.99 lladdr 02:00:00:00:00:99 dev wa")
        try ns.ip(line: "neigh del 10.0.0.99 dev wa")
        let events = try watch.stop()
        func has(_ kind: String, _ action: String, _ test: ([String: Any]) -> Bool) -> Bool {
            events.contains { $0["kind"] as? String == kind && $0["event"] as? String == action && test($0["object"] as! [String: Any]) }
        }
        #expect(has("link", "changed") { $0["ifname"] as? String == "wb" && $0["mtu"] as? Int == 1400 })
        #expect(has("addr", "new") { (($0["addr_info"] as? [[String: Any]])?.first?["local"] as? String) == "10.0.0.77" })
        #expect(has("route", "new") { $0["dst"] as? String == "10.0.0.77" && $0["type"] as? String == "local" })
        #expect(has("rule", "new") { $0["priority"] as? Int == 5000 && $0["table"] as? String == "100" })
        #expect(has("neigh", "new") { $0["dst"] as? String == "10.0.0.99" })
        #expect(has("neigh", "deleted") { $0["dst"] as? String == "10.0.0.99" })
        // In order: the mtu change came before the address, the neighbour's add before its delete.
        let order = events.map { "\($0["kind"]!) \($0["event"]!)" }
        #expect(order.firstIndex(of: "link changed")! < order.firstIndex(of: "addr new")!)
        #expect(order.firstIndex(of: "neigh new")! < order.firstIndex(of: "neigh deleted")!)
    }

    /// A tiny receive buffer and thousands of changes force ENOBUFS; the state rebuilt from
    /// the event stream (resync events included) must equal a fresh dump.
    @Test func overrunIsResyncedAndTheStreamStillAddsUp() throws {
        let ns = try Self.namespace()
        let watch = try Watching(ns, ["routes", "--initial", "--rcvbuf", "2048"])
        var batch = ""
        for i in 0..<3000 { batch += "route add 10.\(100 + i / 250).\(i % 250).0/24 via 10.0.0.2\n" }
        for i in stride(from: 0, to: 3000, by: 3) { batch += "route del 10.\(100 + i / 250).\(i % 250).0/24\n" }
        for i in stride(from: 1, to: 3000, by: 3) { batch += "route replace 10.\(100 + i / 250).\(i % 250).0/24 via 10.0.1.2\n" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nst-\(ns.name).batch")
        try batch.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        // Frozen while the batch runs: the overrun must not depend on how fast this machine is.
        watch.freeze()
        try Shell.check(["ip", "-n", ns.name, "-batch", file.path])
        watch.thaw()
        let events = try watch.stop(settle: 3)
        #expect(events.contains { $0["resync"] as? Bool == true }, "the overrun did not happen: no resync events")
        var state: [String: [String: Any]] = [:]
        for event in events {
            let id = event["id"] as! String
            if event["event"] as? String == "deleted" { state[id] = nil } else { state[id] = event["object"] as? [String: Any] }
        }
        func describe(_ object: [String: Any]) -> String {
            "\(object["dst"]!) \(object["gateway"] ?? "-") \(object["dev"] ?? "-") \(object["table"] ?? "main") \(object["type"] ?? "unicast")"
        }
        let rebuilt = Set(state.values.map(describe))
        let dump = try #require(try JSONOracle.parse(try Shell.check(["ip", "-n", ns.name, "-j", "route", "show", "table", "all"])) as? [[String: Any]])
        let v6 = try #require(try JSONOracle.parse(try Shell.check(["ip", "-n", ns.name, "-j", "-6", "route", "show", "table", "all"])) as? [[String: Any]])
        let truth = Set((dump + v6).map(describe))
        #expect(rebuilt.count == truth.count)
        #expect(rebuilt.count != truth.count || rebuilt == truth, "only in events: \(rebuilt.subtracting(truth).prefix(5)); only in dump: \(truth.subtracting(rebuilt).prefix(5))")
        #expect(rebuilt.contains("10.100.1.0/24 10.0.1.2 wb main unicast"))
        #expect(!rebuilt.contains("10.100.0.0/24 10.0.0.2 wa main unicast"))
    }

    /// A large table is held compactly: with 100,000 routes the watcher peaks near 240 MB
    /// (it peaked at 430 MB when it held a sanitized copy of every route, a Set per route
    /// base and the whole dump as an array first), and its initial events are every route,
    /// each once, in the kernel's order.
    @Test func aLargeTableIsHeldInBoundedMemory() throws {
        let ns = try TestNamespace("watchbig")
        try ns.ip(line: "link set lo up")
        let count = 100_000
        var batch = ""
        for i in 0..<count { batch += "route add blackhole 10.\(i >> 16).\((i >> 8) & 255).\(i & 255)/32\n" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nst-\(ns.name).batch")
        try batch.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try Shell.check(["ip", "-n", ns.name, "-batch", file.path])
        let watch = try Watching(ns, ["routes", "--initial"])
        let status = try String(contentsOfFile: "/proc/\(watch.process.processIdentifier)/status", encoding: .utf8)
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } ?? Int.max
        let events = try watch.stop(settle: 1)
        // About 0.9 kB a route (87 MB in a debug build) with the held objects boxed; with
        // them inline, as wide as a route, 144 MB, and as wide as a link, 224 MB.
        #expect(peak < 130_000, "peak RSS \(peak) kB with \(count) routes")
        let ids = events.filter { $0["event"] as? String == "initial" }.compactMap { $0["id"] as? String }
        #expect(ids.count == Set(ids).count)
        let dsts = events.compactMap { ($0["object"] as? [String: Any])?["dst"] as? String }
        let ip = try Shell.check(["ip", "-n", ns.name, "route", "show"]).split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
        #expect(dsts.filter { $0.hasPrefix("10.") } == ip.filter { $0.hasPrefix("10.") })
        #expect(dsts.filter { $0.hasPrefix("10.") }.count == count)
    }

    /// A route as `ip -j route` shows it, in words that do not depend on nexthop order.
    static func describe(_ object: [String: Any]) -> String {
        var hops: [String] = []
        if let list = object["nexthops"] as? [[String: Any]] {
            hops = list.map { "\($0["gateway"] ?? "-")@\($0["dev"] ?? "-")" }.sorted()
        } else {
            hops = ["\(object["gateway"] ?? "-")@\(object["dev"] ?? "-")"]
        }
        return "\(object["dst"]!) \(object["table"] ?? "main") \(object["type"] ?? "unicast") metric \(object["metric"] ?? 0) \(hops.joined(separator: ","))"
    }

    static func dualStackNamespace() throws -> TestNamespace {
        let ns = try TestNamespace("watch6")
        // No DAD: link-local addresses and their routes appear at once, not seconds later.
        for key in ["all", "default"] {
            try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv6.conf.\(key).accept_dad=0"])
        }
        for line in ["link set lo up", "link add wa type veth peer name xa", "link add wb type veth peer name xb",
                     "link set wa up", "link set wb up", "link set xa up", "link set xb up",
                     "addr add 10.0.0.1/24 dev wa", "addr add 10.0.1.1/24 dev wb",
                     "addr add 2001:db8:a::1/64 dev wa", "addr add 2001:db8:b::1/64 dev wb"] {
            try ns.ip(line: line)
        }
        usleep(300_000)
        return ns
    }

    /// Applies a stream of events by id and compares the result with a fresh dump, route for
    /// route; returns the events.
    static func replay(_ ns: TestNamespace, v4: String, v6: String, expectResync: Bool) throws {
        let watch = try Watching(ns, ["routes", "--initial"])
        let dir = FileManager.default.temporaryDirectory
        let file4 = dir.appendingPathComponent("nst-\(ns.name).v4"), file6 = dir.appendingPathComponent("nst-\(ns.name).v6")
        try v4.write(to: file4, atomically: true, encoding: .utf8)
        try v6.write(to: file6, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file4); try? FileManager.default.removeItem(at: file6) }
        try Shell.check(["ip", "-n", ns.name, "-batch", file4.path])
        try Shell.check(["ip", "-n", ns.name, "-6", "-batch", file6.path])
        let events = try watch.stop(settle: 2)
        let initial = events.filter { $0["event"] as? String == "initial" }.map { $0["id"] as! String }
        #expect(Set(initial).count == initial.count, "two initial routes share an id")
        let resynced = events.contains { $0["resync"] as? Bool == true }
        #expect(resynced == expectResync, "resync events: \(resynced)")
        var state: [String: [String: Any]] = [:]
        for event in events {
            let id = event["id"] as! String
            if event["event"] as? String == "deleted" {
                #expect(state[id] != nil, "deleted an id that was never reported: \(id)")
                state[id] = nil
            } else {
                state[id] = event["object"] as? [String: Any]
            }
        }
        let rebuilt = state.values.map(Self.describe).sorted()
        let dump4 = try #require(try JSONOracle.parse(try Shell.check(["ip", "-n", ns.name, "-j", "-4", "route", "show", "table", "all"])) as? [[String: Any]])
        let dump6 = try #require(try JSONOracle.parse(try Shell.check(["ip", "-n", ns.name, "-j", "-6", "route", "show", "table", "all"])) as? [[String: Any]])
        let truth = (dump4 + dump6).map(Self.describe).sorted()
        #expect(rebuilt.count == truth.count)
        #expect(rebuilt == truth, "only in events: \(Array(Set(rebuilt).subtracting(truth).prefix(5))); only in dump: \(Array(Set(truth).subtracting(rebuilt).prefix(5)))")
        // The IPv6 link routes of every device are there, each under its own id.
        #expect(rebuilt.filter { $0.hasPrefix("fe80::/64 main unicast metric 256") }.count == 4)
    }

    /// Routes that share a prefix (IPv6 link routes on two devices, IPv4 `append`, IPv6
    /// multipath built by `append` and cut by deleting one gateway) and `replace` turning one
    /// route into another (another next hop, another type, another protocol): applying the
    /// stream by id gives a fresh dump, route for route, from the notifications alone (no
    /// re-dump), and --initial never puts two routes under one id.
    @Test func sharedPrefixesReplaceAndAppendReplayToTheDump() throws {
        let ns = try Self.dualStackNamespace()
        var v4 = "", v6 = ""
        // 600 prefixes, about 2,400 changes.
        for i in 0..<600 {
            let p = "10.\(100 + i / 200).\(i % 200).0/24"
            let q = "2001:db8:\(1000 + i)::/64"
            switch i % 5 {
            case 0:  // the same IPv4 prefix on both links, then one of them deleted
                v4 += "route append \(p) dev wa\nroute append \(p) dev wb\nroute del \(p) dev wa\n"
                v6 += "route append \(q) dev wa\nroute append \(q) dev wb\nroute del \(q) dev wb\n"
            case 1:  // blackhole replaced by a unicast route (the type changes)
                v4 += "route add blackhole \(p)\nroute replace \(p) via 10.0.0.2\n"
                v6 += "route add blackhole \(q)\nroute replace \(q) via 2001:db8:a::2 dev wa\n"
            case 2:  // a gateway replaced, then the protocol; IPv6 multipath by append, one gateway removed
                v4 += "route add \(p) via 10.0.0.2\nroute replace \(p) via 10.0.1.2\nroute replace \(p) via 10.0.1.2 proto static\n"
                v6 += "route add \(q) via 2001:db8:a::2 dev wa\nroute append \(q) via 2001:db8:b::2 dev wb\n"
                if i % 10 == 2 { v6 += "route del \(q) via 2001:db8:a::2 dev wa\n" }
            case 3:  // IPv4 multipath replaced by a single route
                v4 += "route add \(p) nexthop via 10.0.0.2 nexthop via 10.0.1.2\nroute replace \(p) via 10.0.0.3\n"
                v6 += "route add \(q) dev wa metric 7\nroute add \(q) dev wa metric 8\nroute del \(q) metric 7\n"
            default:  // two aliases, then one deleted by its device, then the other replaced
                v4 += "route append \(p) dev wa\nroute append \(p) dev wb\nroute del \(p) dev wb\nroute replace \(p) via 10.0.1.9\n"
                v6 += "route append \(q) dev wa\nroute append \(q) dev wb\nroute del \(q) dev wa\nroute replace \(q) dev xa\n"
            }
        }
        try Self.replay(ns, v4: v4, v6: v6, expectResync: false)
    }

    /// A replace under a key that holds several routes (IPv4 aliases, IPv6 device routes): the
    /// message does not say which one the kernel replaced, so netscope re-dumps and reports
    /// the difference as resync events; the stream still adds up to the dump.
    @Test func anAmbiguousReplaceIsSettledByARedump() throws {
        let ns = try Self.dualStackNamespace()
        var v4 = "", v6 = ""
        for i in 0..<50 {
            let p = "10.\(100 + i / 200).\(i % 200).0/24"
            let q = "2001:db8:\(1000 + i)::/64"
            v4 += "route append \(p) dev wa\nroute append \(p) dev wb\nroute append blackhole \(p)\nroute replace \(p) via 10.0.1.9\n"
            v6 += "route append \(q) dev wa\nroute append \(q) dev wb\nroute replace \(q) dev xa\n"
        }
        try Self.replay(ns, v4: v4, v6: v6, expectResync: true)
    }
}
