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
        // Longer than IFLA_IFNAME allows (15): asked for as IFLA_ALT_IFNAME.
        try ns.ip("link", "property", "add", "dev", "vb", "altname", "vb-alternative-name-longer-than-ifnamsiz")
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

    /// `links NAME` and `addrs NAME` ask for those interfaces alone (RTM_GETLINK by name,
    /// RTM_GETADDR filtered by ifa_index) and still print what `ip … show dev NAME` prints:
    /// the master's and peer's names, M-DOWN, an alternative name, several names at once.
    @Test func namedInterfacesAreAskedForAlone() throws {
        let ns = try Self.topology()
        for name in ["vb", "va-alt", "vb-alternative-name-longer-than-ifnamsiz", "mv0", "vc", "lo"] {
            let ours = try ns.netscope("links", "--json", name)
            #expect(ours.status == 0, "\(ours.stderr)")
            let ip = try JSONOracle.parse(try ns.ip("-d", "-j", "link", "show", "dev", name))
            #expect(JSONOracle.differences(ours: try JSONOracle.parse(ours.stdout), theirs: ip, ignoring: Self.undecoded) == [], "\(name)")
            let addrs = try ns.netscope("addrs", "--json", name)
            #expect(addrs.status == 0, "\(addrs.stderr)")
            let ipAddrs = try JSONOracle.parse(try ns.ip("-j", "addr", "show", "dev", name))
            #expect(JSONOracle.differences(
                ours: try JSONOracle.parse(addrs.stdout), theirs: ipAddrs, tolerance: ["valid_life_time", "preferred_life_time"], slack: 2) == [],
                "\(name)")
        }
        let names = { (result: Shell.Result) -> [String] in
            ((try? JSONOracle.parse(result.stdout)) as? [[String: Any]] ?? []).compactMap { $0["ifname"] as? String }
        }
        // Index order and one row per link, as from a dump; --up still applies.
        #expect(names(try ns.netscope("links", "--json", "br0", "vb", "va", "va-alt")) == ["vb", "va", "br0"])
        #expect(names(try ns.netscope("links", "--json", "--up", "ifb0", "va")) == ["va"])
        let missing = try ns.netscope("addrs", "va", "nosuch0")
        #expect(missing.status == 1 && missing.stderr == "netscope: error: no interface \"nosuch0\" (`netscope links` lists them)\n")

        // What the kernel sent: only vb and the two links it names (master br0, peer va),
        // and only va's addresses.
        let index = { (name: String) throws -> Int in
            try #require((try JSONOracle.parse(try ns.ip("-j", "link", "show", "dev", name)) as? [[String: Any]])?.first?["ifindex"] as? Int)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("netscope-\(getpid())-named.nlcap").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try ns.netscope("links", "vb", "--dump-raw", file).status == 0)
        let expected = Set([try index("vb"), try index("br0"), try index("va")])
        #expect(Set(try Self.capturedIndexes(file, type: 16)) == expected)
        try FileManager.default.removeItem(atPath: file)
        #expect(try ns.netscope("addrs", "va", "--dump-raw", file).status == 0)
        let addressIndexes = try Self.capturedIndexes(file, type: 20)
        let vaAddresses = try #require((try JSONOracle.parse(try ns.ip("-j", "addr", "show", "dev", "va")) as? [[String: Any]])?.first?["addr_info"] as? [Any])
        let va = try index("va")
        #expect(addressIndexes.count == vaAddresses.count && Set(addressIndexes) == [va])
    }

    /// The ifindex of every message of one type (RTM_NEWLINK 16, RTM_NEWADDR 20) in a
    /// `--dump-raw` capture (ifi_index and ifa_index both sit 4 bytes into their headers).
    static func capturedIndexes(_ path: String, type: UInt16) throws -> [Int] {
        let file = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
        func u32(_ at: Int) -> Int { Int(file[at]) | Int(file[at + 1]) << 8 | Int(file[at + 2]) << 16 | Int(file[at + 3]) << 24 }
        var found: [Int] = []
        var record = 8  // after the magic "NSNLCAP1"
        while record + 4 <= file.count {
            let end = record + 4 + u32(record)
            var message = record + 4
            while message + 16 <= end {
                let length = u32(message)
                guard length >= 16 else { break }
                if Int(file[message + 4]) | Int(file[message + 5]) << 8 == Int(type) {
                    found.append(u32(message + 16 + 4))
                }
                message += (length + 3) & ~3
            }
            record = end
        }
        return found
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
