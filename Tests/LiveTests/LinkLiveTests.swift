import Foundation
import TestSupport
import Testing

/// netscope against iproute2 on the same live namespace, field by field.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct LinkLiveTests {
    /// `ip -d -j link` keys we do not decode (per-kind detail blocks).
    static let undecoded: Set<String> = ["info_data", "info_slave_data", "inet6_addr_gen_mode"]

    /// veth pair, a bridge with a port, ifb, vxlan, macvlan, a veth whose peer is in another
    /// namespace, an alias and an alternative name, IPv4/IPv6 addresses of every kind.
    static func topology() throws -> TestNamespace {
        let ns = try TestNamespace("links")
        let peer = try TestNamespace("peer")
        for line in [
            "link set lo up",
            "link add va type veth peer name vb",
            "link add br0 type bridge",
            "link set vb master br0",
            "link set va up", "link set vb up", "link set br0 up",
            "link add ifb0 type ifb",
            "link add vx0 type vxlan id 7 dstport 4789 local 10.1.0.1",
            "link add mv0 link va type macvlan mode bridge",
            "link set va mtu 9000",
            "link set ifb0 txqueuelen 77",
            "addr add 10.1.0.1/24 dev va",
            "addr add 10.1.0.2/24 dev va",
            "addr add 10.2.0.1/16 brd + dev br0 label br0:lbl",
            "addr add 10.9.0.1 peer 10.9.0.2/32 dev br0",
            "addr add 2001:db8::1/64 dev va nodad",
            "addr add 2001:db8:1::1/64 dev va valid_lft 1000 preferred_lft 500 nodad",
            "addr add 2001:db8:2::1/64 dev br0 noprefixroute nodad",
        ] {
            try ns.ip(line: line)
        }
        try ns.ip("link", "add", "vc", "type", "veth", "peer", "name", "vd", "netns", peer.name)
        try ns.ip("link", "set", "va", "alias", "uplink to \"core\"")
        try ns.ip("link", "property", "add", "dev", "va", "altname", "va-alt")
        ns.companions.append(peer)
        return ns
    }

    @Test func linksAgreeWithIpJson() throws {
        let ns = try Self.topology()
        let result = try ns.netscope("links", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let ours = try JSONOracle.parse(result.stdout)
        let plain = try JSONOracle.parse(try ns.ip("-j", "link"))
        let detailed = try JSONOracle.parse(try ns.ip("-d", "-j", "link"))
        #expect((ours as? [Any])?.count == 8)
        #expect(JSONOracle.differences(ours: ours, theirs: plain) == [])
        #expect(JSONOracle.differences(ours: ours, theirs: detailed, ignoring: Self.undecoded) == [])
    }

    /// ip adds M-DOWN to the flags of a link whose peer (or lower device) is down.
    @Test func aLinkWhosePeerIsDownSaysMDown() throws {
        let ns = try TestNamespace("mdown")
        for line in ["link add ve type veth peer name vf", "link set ve up", "link add mv1 link vf type macvlan"] {
            try ns.ip(line: line)
        }
        let ours = try #require(try JSONOracle.parse(try ns.netscope("links", "--json").stdout) as? [[String: Any]])
        let ip = try #require(try JSONOracle.parse(try ns.ip("-j", "link")) as? [[String: Any]])
        func flags(_ list: [[String: Any]], _ name: String) -> [String] {
            list.first { $0["ifname"] as? String == name }?["flags"] as? [String] ?? ["missing"]
        }
        for name in ["ve", "vf", "mv1"] { #expect(flags(ours, name) == flags(ip, name), "\(name)") }
        #expect(flags(ours, "ve").last == "M-DOWN" && flags(ours, "mv1").last == "M-DOWN")
        #expect(!flags(ours, "vf").contains("M-DOWN"))
        #expect(try ns.netscope("links").stdout.contains("M-DOWN"))
    }

    @Test func addressesAgreeWithIpJson() throws {
        let ns = try Self.topology()
        let result = try ns.netscope("addrs", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let ours = try JSONOracle.parse(result.stdout)
        let theirs = try JSONOracle.parse(try ns.ip("-j", "addr"))
        let diffs = JSONOracle.differences(
            ours: ours, theirs: theirs, tolerance: ["valid_life_time", "preferred_life_time"], slack: 2)
        #expect(diffs == [])
        // Every address ip lists is there: count them separately so an empty list cannot pass.
        let count = ((ours as? [[String: Any]]) ?? []).reduce(0) { $0 + (($1["addr_info"] as? [Any])?.count ?? 0) }
        #expect(count >= 10)
    }

    @Test func familyFiltersAgreeWithIp() throws {
        let ns = try Self.topology()
        for family in ["-4", "-6"] {
            let ours = try JSONOracle.parse(try ns.netscope("addrs", family, "--json").stdout)
            let theirs = try JSONOracle.parse(try ns.ip(family, "-j", "addr"))
            // ip drops interfaces without an address of that family; we keep every interface.
            let kept = ((ours as? [[String: Any]]) ?? []).filter { !(($0["addr_info"] as? [Any]) ?? []).isEmpty }
            #expect(JSONOracle.differences(
                ours: kept, theirs: theirs, tolerance: ["valid_life_time", "preferred_life_time"], slack: 2) == [])
        }
    }

    @Test func tableListsEveryInterface() throws {
        let ns = try Self.topology()
        let table = try ns.netscope("links", "--color", "always")
        #expect(table.status == 0)
        let plain = try ns.netscope("links", "--no-header")
        let lines = plain.stdout.split(separator: "\n")
        #expect(lines.count == 8)
        for name in ["lo", "va", "vb", "br0", "ifb0", "vx0", "mv0", "vc"] {
            #expect(lines.contains { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) == name })
        }
        #expect(table.stdout.contains("\u{1B}[32mUP\u{1B}[0m"))
        #expect(!plain.stdout.contains("\u{1B}"))
        let vb = try #require(lines.first { $0.contains(" vb ") })
        #expect(vb.contains("veth") && vb.contains("br0") && vb.contains("va"))
    }

    @Test func filtersByGlobAndState() throws {
        let ns = try Self.topology()
        let names = { (result: Shell.Result) -> [String] in
            ((try? JSONOracle.parse(result.stdout)) as? [[String: Any]] ?? []).compactMap { $0["ifname"] as? String }
        }
        #expect(names(try ns.netscope("links", "--json", "v*")) == ["vb", "va", "vx0", "vc"])
        #expect(names(try ns.netscope("links", "--json", "--up")) == ["lo", "vb", "va", "br0"])
        #expect(names(try ns.netscope("links", "--json", "va-alt")) == ["va"])
        #expect(names(try ns.netscope("link", "--json", "--up", "b*", "l?")) == ["lo", "br0"])
        let ndjson = try ns.netscope("addr", "--ndjson")
        #expect(ndjson.stdout.split(separator: "\n").count == 8)
    }

    @Test func unknownNamespaceIsOneClearLineAndExitOne() throws {
        let result = try Shell.run([Shell.netscope, "links", "--netns", "nosuch-\(getpid())"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("nosuch-\(getpid())") == true)
        #expect(lines.first?.contains("No such file or directory") == true)
    }

    @Test func netnsPidReadsTheSameNamespace() throws {
        let ns = try Self.topology()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["ip", "netns", "exec", ns.name, "sleep", "30"]
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        // ip netns exec execs sleep in place: same pid, once it has entered the namespace.
        var viaPID = ""
        for _ in 0..<50 {
            let result = try Shell.run([Shell.netscope, "links", "--json", "--netns-pid", String(holder.processIdentifier)])
            if result.stdout.contains("\"va\"") { viaPID = result.stdout; break }
            usleep(50_000)
        }
        let viaName = try ns.netscope("links", "--json").stdout
        #expect(!viaPID.isEmpty)
        let a = try JSONOracle.parse(viaPID), b = try JSONOracle.parse(viaName)
        #expect(JSONOracle.differences(ours: a, theirs: b) == [])
    }

    @Test func captureReplaysToIdenticalOutput() throws {
        let ns = try Self.topology()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netscope-\(getpid())-\(ns.name).nlcap").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let live = try ns.netscope("addrs", "--json", "--dump-raw", file)
        #expect(live.status == 0)
        let replay = try Shell.run([Shell.netscope, "addrs", "--json", "--replay-raw", file])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout == live.stdout)
    }
}
