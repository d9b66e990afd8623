import Foundation
import TestSupport
import Testing

/// `netscope path` against the kernel: generated flows through policy routing compared with
/// `ip -j route get` (and `fibmatch`), local delivery compared with `ss -lnp` and a real
/// connect, and the rp_filter verdict against the kernel's own drop counter.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct PathLiveTests {
    static func policyNamespace() throws -> TestNamespace {
        let ns = try TestNamespace("path")
        try Shell.check(["ip", "netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"])
        for line in [
            "link set lo up", "link add va type veth peer name vb", "link add vc type veth peer name vd",
            "link set va up", "link set vb up", "link set vc up", "link set vd up",
            "addr add 10.0.0.1/24 dev va", "addr add 10.0.1.1/24 dev vb", "addr add 10.0.2.1/24 dev vc",
            "addr add 2001:db8::1/64 dev va nodad", "addr add 2001:db8:1::1/64 dev vb nodad",
            "route add default via 10.0.0.254", "route add blackhole 203.0.113.0/24", "route add unreachable 198.51.100.0/24",
            "route add prohibit 192.0.2.0/24", "route add 10.40.0.0/16 via 10.0.1.254 metric 10",
            "route add 10.40.0.0/16 via 10.0.2.254 metric 20",
            "route add 10.9.0.0/16 via 10.0.0.7 table 100", "route add throw 10.10.0.0/16 table 100",
            "route add default via 10.0.1.7 table 100", "route add 10.9.0.0/16 via 10.0.1.9 table 101",
            "nexthop add id 10 via 10.0.0.3 dev va", "route add 10.30.0.0/16 nhid 10 table 102",
            "route add default via 10.0.2.3 table 103",
            "route add 10.20.0.0/16 table 104 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.1.2 weight 3",
            "route add default via 10.0.2.4 table 104", "route add 10.50.0.0/16 via 10.0.2.5 table 105",
            "rule add pref 100 from 10.0.0.1 lookup 100", "rule add pref 110 iif vb lookup 101",
            "rule add pref 120 fwmark 0x10/0xff lookup 102", "rule add pref 130 uidrange 1000-1999 lookup 103",
            "rule add pref 140 ipproto tcp dport 443 lookup 104", "rule add pref 150 to 10.50.0.0/16 goto 170",
            "rule add pref 160 lookup 101", "rule add pref 170 to 10.50.0.0/16 lookup 105",
            "rule add pref 200 lookup main suppress_prefixlength 0",
            "-6 route add default via 2001:db8::fe", "-6 route add blackhole 2001:db8:dead::/48",
            "-6 route add 2001:db8:9::/48 via 2001:db8::7 table 100", "-6 rule add pref 100 from 2001:db8::1 lookup 100",
            "-6 route add default via 2001:db8:1::4 table 104", "-6 rule add pref 140 ipproto tcp dport 443 lookup 104",
            "neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev va", "neigh add 10.0.0.254 lladdr 02:00:00:00:00:fe dev va nud stale",
        ] {
            try ns.ip(line: line)
        }
        return ns
    }

    /// The flows: destinations inside every prefix above, crossed with sources, marks, uids,
    /// protocols and ports, and arriving packets; 200 of them, in a fixed pseudo-random order.
    static func flows() -> [(ip: [String], ours: [String])] {
        let destinations = ["10.9.1.1", "10.10.1.1", "10.20.5.5", "10.30.1.1", "10.40.1.1", "10.50.1.1", "203.0.113.9",
                            "198.51.100.9", "192.0.2.9", "8.8.8.8", "10.0.0.1", "10.0.1.1", "10.0.0.9", "10.0.2.77",
                            "2001:db8:9::1", "2001:db8:dead::1", "2001:db8::1", "2001:4860::8888", "2001:db8:1::99"]
        var generator = SplitMix(seed: 7)
        var result: [(ip: [String], ours: [String])] = []
        var seen = Set<[String]>()
        while result.count < 200 {
            let destination = destinations[Int(generator.next() % UInt64(destinations.count))]
            let v6 = destination.contains(":")
            var ip = [destination], ours = [destination]
            let choice = generator.next()
            let arriving = choice % 5 == 0
            if arriving {
                let source = v6 ? "2001:db8:1::50" : ["10.0.1.50", "10.0.0.50", "10.0.2.50"][Int(choice / 5 % 3)]
                ip += ["from", source, "iif", "vb"]; ours += ["--from", source, "--iif", "vb"]
            } else if choice % 3 == 1 {
                let source = v6 ? "2001:db8::1" : ["10.0.0.1", "10.0.1.1"][Int(choice / 3 % 2)]
                ip += ["from", source]; ours += ["--from", source]
            }
            switch generator.next() % 4 {
            case 1: ip += ["mark", "0x10"]; ours += ["--mark", "0x10"]
            case 2: ip += ["mark", "0x110"]; ours += ["--mark", "0x110"]
            default: break
            }
            if !arriving && generator.next() % 4 == 0 { ip += ["uid", "1500"]; ours += ["--uid", "1500"] }
            switch generator.next() % 3 {
            case 0: ip += ["ipproto", "tcp", "sport", "40000", "dport", "443"]; ours += ["--proto", "tcp", "--sport", "40000", "--dport", "443"]
            case 1: ip += ["ipproto", "udp", "sport", "5353", "dport", "53"]; ours += ["--proto", "udp", "--sport", "5353", "--dport", "53"]
            default: break
            }
            if seen.insert(ip).inserted { result.append((ip, ours)) }
        }
        return result
    }

    static let errnoNames = ["Network is unreachable": "ENETUNREACH", "No route to host": "EHOSTUNREACH", "Permission denied": "EACCES",
                             "Invalid argument": "EINVAL", "Invalid cross-device link": "EXDEV"]

    @Test func twoHundredFlowsEndWhereTheKernelSays() throws {
        let ns = try Self.policyNamespace()
        var compared = 0, refused = 0
        for (ip, ours) in Self.flows() {
            let kernel = try Shell.run(["ip", "-n", ns.name, "-j", "route", "get"] + ip)
            let fibmatch = try Shell.run(["ip", "-n", ns.name, "-j", "route", "get"] + ip + ["fibmatch"])
            let result = try Shell.run([Shell.netscope, "path", "--netns", ns.name, "--json"] + ours)
            let label = "path " + ours.joined(separator: " ")
            #expect(result.status == 0, "\(label): \(result.stderr)")
            guard let mine = try? JSONOracle.parse(result.stdout) as? [String: Any] else {
                Issue.record("\(label): not JSON: \(result.stdout)")
                continue
            }
            compared += 1
            if kernel.status != 0 {
                refused += 1
                let reason = kernel.stderr.components(separatedBy: "RTNETLINK answers: ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                #expect(mine["error"] as? String == Self.errnoNames[reason], "\(label): ip says \(reason)")
                #expect((mine["verdict"] as? [String: Any])?["outcome"] as? String == "dropped", "\(label)")
                continue
            }
            let answer = try #require((try JSONOracle.parse(kernel.stdout) as? [[String: Any]])?.first)
            for key in ["dst", "gateway", "dev", "prefsrc", "from"] {
                #expect(mine[key] as? String == answer[key] as? String, "\(label): \(key) \(mine[key] ?? "-") vs ip's \(answer[key] ?? "-")")
            }
            #expect((mine["table"] as? String ?? "main") == (answer["table"] as? String ?? "main"), "\(label): table")
            // The rule walk ends in the table ip names (custom rules: no merged local table).
            let chosen = (mine["rules"] as? [[String: Any]])?.last { $0["matched"] as? Bool == true }?["outcome"] as? String ?? ""
            #expect(chosen.hasPrefix("table \(answer["table"] as? String ?? "main"): "), "\(label): the walk ends with \(chosen)")
            #expect((mine["type"] as? String ?? "unicast") == (answer["type"] as? String ?? "unicast"), "\(label): type")
            let entry = (try? JSONOracle.parse(fibmatch.stdout) as? [[String: Any]])?.first
            let match = mine["match"] as? [String: Any]
            #expect(match?["dst"] as? String == entry?["dst"] as? String, "\(label): fibmatch \(entry?["dst"] ?? "-")")
        }
        #expect(compared == 200)
        #expect(refused > 10 && refused < 150, "the flows cover refusals and routes: \(refused) refused")
    }

    @Test func localDeliveryNamesTheSocketSsShowsAndConnectConfirms() throws {
        let ns = try Self.policyNamespace()
        let holder = try NamespaceHolder(ns, script: """
            import socket, sys
            def listen(family, address, port, reuse=False, v6only=None):
                s = socket.socket(family)
                if reuse: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                if v6only is not None: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
                s.bind((address, port)); s.listen(8); return s
            keep = [listen(socket.AF_INET, '0.0.0.0', 8080, True), listen(socket.AF_INET, '0.0.0.0', 8080, True),
                    listen(socket.AF_INET, '10.0.0.1', 9090), listen(socket.AF_INET6, '::', 9091, v6only=0),
                    listen(socket.AF_INET6, '::', 9093, v6only=1), listen(socket.AF_INET, '0.0.0.0', 9094)]
            print('ready', flush=True)
            for line in sys.stdin:
                family, address, port = line.split()
                c = socket.socket(socket.AF_INET6 if family == '6' else socket.AF_INET); c.settimeout(2)
                try: c.connect((address, int(port))); print('connected', flush=True)
                except OSError as e: print('refused', flush=True)
                c.close()
            """)
        let ss = try Shell.check(["ss", "-N", ns.name, "-Hltnpe"])
        for (destination, port, listeners) in [("10.0.0.1", 8080, 2), ("10.0.0.1", 9090, 1), ("10.0.1.1", 9090, 0), ("10.0.1.1", 9091, 1),
                                                ("10.0.0.1", 9093, 0), ("2001:db8::1", 9093, 1), ("10.0.1.1", 9094, 1), ("10.0.0.1", 22, 0)] {
            let result = try Shell.run([Shell.netscope, "path", "--netns", ns.name, "--json", destination, "--dport", String(port)])
            let mine = try #require(try JSONOracle.parse(result.stdout) as? [String: Any], "\(result.stderr)")
            let sockets = mine["socket"] as? [[String: Any]] ?? []
            #expect(sockets.count == listeners, "\(destination):\(port): \(sockets.count) sockets")
            // Each named socket is a listener ss shows on that port, with the same process.
            let inodes = Set(sockets.compactMap { $0["inode"] as? Int })
            for inode in inodes {
                let line = ss.split(separator: "\n").first { $0.contains("ino:\(inode) ") }
                #expect(line?.contains(":\(port) ") == true, "ss shows inode \(inode) on port \(port): \(line ?? "none")")
                let pid = (sockets.first { $0["inode"] as? Int == inode }?["processes"] as? [[String: Any]])?.first?["pid"] as? Int
                #expect(pid != nil && line?.contains("pid=\(pid!),") == true, "the process ss names for inode \(inode)")
            }
            // The kernel's own answer: a connect succeeds exactly when path says delivered.
            let outcome = (mine["verdict"] as? [String: Any])?["outcome"] as? String
            let connected = holder.send("\(destination.contains(":") ? "6" : "4") \(destination) \(port)")
            #expect((outcome == "delivered") == (connected == "connected"), "\(destination):\(port): path says \(outcome ?? "-"), connect \(connected)")
        }
    }

    @Test func theRpFilterVerdictMovesTheKernelsCounter() throws {
        // The receiver: r0 towards the sender, r1 (10.2.0.0/24) elsewhere; strict rp_filter.
        let receiver = try TestNamespace("rpr")
        let sender = try TestNamespace("rps")
        receiver.companions = [sender]
        try receiver.ip(line: "link add r0 type veth peer name s0 netns \(sender.name)")
        for line in ["link set lo up", "link set r0 up", "addr add 10.1.0.1/24 dev r0", "link add r1 type veth peer name r1p",
                     "link set r1 up", "link set r1p up", "addr add 10.2.0.1/24 dev r1"] {
            try receiver.ip(line: line)
        }
        try Shell.check(["ip", "netns", "exec", receiver.name, "sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=1", "net.ipv4.conf.r0.rp_filter=1"])
        let mac = try #require((try JSONOracle.parse(try receiver.ip("-j", "link", "show", "r0")) as? [[String: Any]])?.first?["address"] as? String)
        for line in ["link set lo up", "link set s0 up", "addr add 10.1.0.2/24 dev s0", "addr add 10.2.0.5/32 dev s0",
                     "neigh add 10.1.0.1 lladdr \(mac) dev s0"] {
            try sender.ip(line: line)
        }
        func counter() throws -> Int {
            let text = try Shell.check(["ip", "netns", "exec", receiver.name, "nstat", "-asz", "TcpExtIPReversePathFilter"])
            return text.split(separator: "\n").compactMap { line -> Int? in
                let words = line.split(separator: " ", omittingEmptySubsequences: true)
                return words.first == "TcpExtIPReversePathFilter" ? Int(words[1]) : nil
            }.first ?? 0
        }
        func send(from source: String) throws {
            _ = try Shell.check(["ip", "netns", "exec", sender.name, "python3", "-c",
                                 "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('\(source)',0))\nfor _ in range(5): s.sendto(b'x',('10.1.0.1',9))"])
            usleep(200_000)
        }
        for (source, drops) in [("10.2.0.5", true), ("10.1.0.2", false)] {
            let result = try Shell.run([Shell.netscope, "path", "--netns", receiver.name, "--json", "10.1.0.1", "--from", source, "--iif", "r0", "--proto", "udp", "--dport", "9"])
            let mine = try #require(try JSONOracle.parse(result.stdout) as? [String: Any], "\(result.stderr)")
            let forwarding = mine["forwarding"] as? [String: Any]
            #expect(forwarding?["rp_filter"] as? Int == 1)
            #expect(forwarding?["rp_filter_passes"] as? Bool == !drops, "from \(source)")
            let verdict = (mine["verdict"] as? [String: Any])?["text"] as? String ?? ""
            #expect(verdict.contains("rp_filter") == drops, "from \(source): \(verdict)")
            let before = try counter()
            try send(from: source)
            let after = try counter()
            #expect((after - before == 5) == drops && (after == before) == !drops, "from \(source): IPReversePathFilter \(before) -> \(after)")
        }
    }

    @Test func badQuestionsGetOneLine() throws {
        let ns = try Self.policyNamespace()
        try ns.ip(line: "link add vx type veth peer name vy")
        for (arguments, status, needle) in [(["no.such.name"], 64, "--resolve"), (["10.0.0.9", "--from", "2001:db8::1"], 64, "inet6"),
                                            (["10.0.0.9", "--iif", "nosuch0"], 1, "no such interface"), (["10.0.0.9", "--dport", "70000"], 64, "dport"),
                                            (["10.0.0.9", "--from", "10.0.0.5", "--iif", "vx"], 1, "down"), (["10.0.0.9", "--proto", "bogus"], 64, "--proto")] {
            let result = try Shell.run([Shell.netscope, "path", "--netns", ns.name] + arguments)
            #expect(result.status == Int32(status) && result.stderr.contains(needle), "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        // --check: 1 for a drop, 0 for a delivery.
        #expect(try Shell.run([Shell.netscope, "path", "--netns", ns.name, "--check", "203.0.113.9"]).status == 1)
        #expect(try Shell.run([Shell.netscope, "path", "--netns", ns.name, "--check", "10.9.1.1"]).status == 0)
    }
}
