import NetModel
import SockDiag
import Testing

@Suite struct FilterParserTests {
    func parse(_ text: String) throws -> SocketFilter? { try FilterParser.parse(text.split(separator: " ").map(String.init)) }

    @Test func operatorsAndPrecedence() throws {
        #expect(try parse("sport = :22") == .port(.source, .equal, 22))
        #expect(try parse("dport > :1024") == .port(.destination, .greater, 1024))
        #expect(try parse("dport ge 80") == .port(.destination, .greaterOrEqual, 80))
        #expect(try parse("sport != :22") == .port(.source, .notEqual, 22))
        // As ss's grammar: and/or/juxtaposition group left to right with one precedence;
        // not applies to the next expression only.
        let a = SocketFilter.port(.source, .equal, 1), b = SocketFilter.port(.source, .equal, 2), c = SocketFilter.port(.source, .equal, 3)
        #expect(try parse("sport = :1 or sport = :2 and sport = :3") == .and(.or(a, b), c))
        #expect(try parse("sport = :1 and sport = :2 or sport = :3") == .or(.and(a, b), c))
        #expect(try parse("sport = :1 sport = :2 or sport = :3") == .or(.and(a, b), c))
        #expect(try parse("sport = :1 or ( sport = :2 and sport = :3 )") == .or(a, .and(b, c)))
        #expect(try parse("not sport = :1 and sport = :2") == .and(.not(a), b))
        #expect(try FilterParser.parse(["!(sport", "=", ":1)"]) == .not(a))
        #expect(try parse("sport = :1 || sport = :2 && ! sport = :3") == .and(.or(a, b), .not(c)))
    }

    @Test func hostConditions() throws {
        #expect(try FilterParser.hostCondition("10.0.0.0/8") == HostCondition(family: 2, address: IPAddress("10.0.0.0"), prefixLength: 8))
        #expect(try FilterParser.hostCondition("10/8") == HostCondition(family: 2, address: IPAddress("10.0.0.0"), prefixLength: 8))
        #expect(try FilterParser.hostCondition("127.0.0.1:8080") == HostCondition(family: 2, address: IPAddress("127.0.0.1"), prefixLength: 32, port: 8080))
        #expect(try FilterParser.hostCondition("[::1]:443") == HostCondition(family: 10, address: IPAddress("::1"), prefixLength: 128, port: 443))
        #expect(try FilterParser.hostCondition("[2001:db8::]/32") == HostCondition(family: 10, address: IPAddress("2001:db8::"), prefixLength: 32))
        #expect(try FilterParser.hostCondition("2001:db8::/48") == HostCondition(family: 10, address: IPAddress("2001:db8::"), prefixLength: 48))
        #expect(try FilterParser.hostCondition(":22") == HostCondition(port: 22))
        // Service names only for the protocols listed, as ss looks them up.
        #expect(try FilterParser.hostCondition(":ntp", services: ["udp"]) == HostCondition(port: 123))
        #expect(throws: FilterError.self) { _ = try FilterParser.hostCondition(":ntp", services: ["tcp"]) }
        #expect(try FilterParser.hostCondition(":ssh", services: ["tcp", "udp"]) == HostCondition(port: 22))
        #expect(throws: FilterError.self) { _ = try FilterParser.hostCondition(":ssh", services: []) }
        #expect(try FilterParser.hostCondition("*:22") == HostCondition(port: 22))
        #expect(try FilterParser.hostCondition("*") == HostCondition())
        #expect(try FilterParser.hostCondition("/run/*.sock") == HostCondition(unixPath: "/run/*.sock"))
    }

    @Test func errorsSayWhatIsWrong() throws {
        #expect(throws: FilterError(message: "bad port \"abc\" (a number, or a service name from /etc/services for tcp/udp)")) { _ = try parse("sport = :abc") }
        #expect(throws: FilterError.self) { _ = try parse("sport = :70000") }
        #expect(throws: FilterError.self) { _ = try parse("dev > lo") }
        #expect(throws: FilterError.self) { _ = try parse("fwmark x") }
        #expect(throws: FilterError(message: "expression ends too early")) { _ = try parse("sport =") }
        #expect(throws: FilterError(message: "missing \")\"")) { _ = try FilterParser.parse(["(", "sport", "=", ":1", "sport", "=", ":2"]) }
        #expect(throws: FilterError.self) { _ = try parse("frobnicate 1") }
        #expect(throws: FilterError.self) { _ = try parse("src example.com") }
        #expect(throws: FilterError.self) { _ = try parse("src 10.0.0.0/33") }
        #expect(throws: FilterError.self) { _ = try parse("dport = 10.0.0.1:80") }
        #expect(throws: FilterError.self) { _ = try FilterParser.parse([")"]) }
        #expect(try FilterParser.parse([]) == nil)
    }
}

/// What ss accepts, written the ways people write it (each case failed before).
@Suite struct FilterSyntaxLikeSsTests {
    @Test func aQuotedExpressionIsSplitAtBlanks() throws {
        #expect(try FilterParser.parse(["dport != :22"]) == .port(.destination, .notEqual, 22))
        #expect(try FilterParser.parse(["dev != lo"]) == .not(.device(name: "lo", index: nil)))
        #expect(try FilterParser.parse(["dev ne lo"]) == .not(.device(name: "lo", index: nil)))
        #expect(try FilterParser.parse(["dev", "ne", "lo"]) == .not(.device(name: "lo", index: nil)))
        #expect(try FilterParser.parse(["( sport = :22 or sport = :80 ) and not dport = :1"])
                == .and(.or(.port(.source, .equal, 22), .port(.source, .equal, 80)), .not(.port(.destination, .equal, 1))))
    }

    @Test func portsAsSsReadsThem() throws {
        // strtoul base 0, as ss: hex, and a leading zero is octal.
        #expect(try FilterParser.parse(["sport = :0x16"]) == .port(.source, .equal, 22))
        #expect(try FilterParser.parse(["sport = :026"]) == .port(.source, .equal, 22))
        #expect(try FilterParser.parse(["sport = :00"]) == .port(.source, .equal, 0))
        // Service names from /etc/services.
        if try ServiceNames.port("ssh", protocols: ["tcp"]) != nil {
            #expect(try FilterParser.parse(["sport = :ssh"]) == .port(.source, .equal, 22))
            #expect(try FilterParser.hostCondition("10.0.0.1:ssh").port == 22)
        }
    }

    @Test func addressesAsSsReadsThem() throws {
        #expect(try FilterParser.hostCondition("::/0") == HostCondition(family: 10, address: IPAddress("::"), prefixLength: 0))
        #expect(try FilterParser.hostCondition("::ffff:127.0.0.0/104")
                == HostCondition(family: 10, address: IPAddress("::ffff:127.0.0.0"), prefixLength: 104))
        #expect(try FilterParser.hostCondition("::1") == HostCondition(family: 10, address: IPAddress("::1"), prefixLength: 128))
        #expect(try FilterParser.hostCondition("any") == HostCondition())
        #expect(try FilterParser.hostCondition("default") == HostCondition())
        #expect(try FilterParser.hostCondition("inet6:::/0").family == 10)
        #expect(try FilterParser.hostCondition("inet:10/8") == HostCondition(family: 2, address: IPAddress("10.0.0.0"), prefixLength: 8))
        #expect(try FilterParser.hostCondition("unix:*.sock") == HostCondition(unixPath: "*.sock"))
        // With unix sockets only (-x), every value is a path glob, as in ss.
        #expect(try FilterParser.parse(["src", "*.sock"], context: .unixOnly) == .host(.source, HostCondition(unixPath: "*.sock")))
        #expect(try FilterParser.parse(["src", "*"], context: .unixOnly) == .host(.source, HostCondition(unixPath: "*")))
        #expect(throws: FilterError.self) { _ = try FilterParser.parse(["src", "*.sock"]) }
    }

    @Test func marksCgroupsAndAutobound() throws {
        #expect(try FilterParser.parse(["fwmark 0x10/0xff"]) == .mark(0x10, mask: 0xff))
        #expect(try FilterParser.parse(["mark = 7"]) == .mark(7, mask: 0xFFFF_FFFF))
        #expect(try FilterParser.parse(["fwmark != 7"]) == .not(.mark(7, mask: 0xFFFF_FFFF)))
        #expect(try FilterParser.parse(["cgroup /system.slice"]) == .cgroup(path: "/system.slice", id: nil))
        #expect(try FilterParser.parse(["autobound"]) == .autobound(ports: nil))
        #expect(try FilterParser.parse(["autobound"])!.resolvingPortRange(32768...60999) == .autobound(ports: 32768...60999))
        let resolved = try #require(try FilterParser.parse(["cgroup /a"])).resolvingCgroups { $0 == "/a" ? 42 : nil }
        #expect(resolved == .cgroup(path: "/a", id: 42))
        #expect(throws: FilterError.self) { _ = try FilterParser.parse(["cgroup /b"])!.resolvingCgroups { _ in nil } }
        // Encodings: {MARK_COND, 12, 16} mark mask; {CGROUP_COND, 12, 16} id; {AUTO, 4, 8}.
        #expect(try FilterCompiler.compile(.mark(0x10, mask: 0xff)) == [10, 12, 16, 0, 0x10, 0, 0, 0, 0xff, 0, 0, 0])
        #expect(try FilterCompiler.compile(.cgroup(path: "/a", id: 42)) == [13, 12, 16, 0, 42, 0, 0, 0, 0, 0, 0, 0])
        #expect(try FilterCompiler.compile(.autobound(ports: nil)) == [6, 4, 8, 0])
        var socket = Socket(proto: .tcp, family: .inet, state: .established, local: SocketEndpoint(), peer: SocketEndpoint(),
                            receiveQueue: 0, sendQueue: 0, inode: 1)
        socket.mark = 0x1234_0010
        socket.cgroupID = 42
        for filter: SocketFilter in [.mark(0x10, mask: 0xff), .not(.mark(0x11, mask: 0xff)), .cgroup(path: "/a", id: 42)] {
            #expect(FilterEvaluator.matches(filter, socket))
            #expect(FilterCompiler.run(try FilterCompiler.compile(filter), on: socket))
        }
    }

    /// ss's unix_match: fnmatch with classes; `*` matches every socket, named or not.
    @Test func unixGlobsAndWildcards() throws {
        var local = SocketEndpoint()
        local.path = "/run/b.sock"
        let named = Socket(proto: .unixStream, family: .unix, state: .listen, local: local, peer: SocketEndpoint(), receiveQueue: 0, sendQueue: 0, inode: 1)
        let unnamed = Socket(proto: .unixStream, family: .unix, state: .established, local: SocketEndpoint(), peer: SocketEndpoint(), receiveQueue: 0, sendQueue: 0, inode: 2)
        #expect(FilterEvaluator.matches(.host(.source, HostCondition(unixPath: "/run/[a-c].sock")), named))
        #expect(!FilterEvaluator.matches(.host(.source, HostCondition(unixPath: "/run/[!b].sock")), named))
        #expect(FilterEvaluator.matches(.host(.source, HostCondition(unixPath: "*")), unnamed))
        #expect(FilterEvaluator.matches(.host(.destination, HostCondition(unixPath: "*")), unnamed))
        #expect(FilterEvaluator.matches(.host(.source, HostCondition()), named))
        #expect(!FilterEvaluator.matches(.host(.source, HostCondition(port: 22)), named))
    }

    /// The kernel checks the family before the prefix: `src ::/0` is IPv6 sockets only, and
    /// an IPv4 prefix also matches IPv4-mapped IPv6 addresses.
    @Test func familiesFollowTheKernel() throws {
        func socket(_ address: String, _ family: UInt8) -> Socket {
            Socket(proto: .tcp, family: AddressFamily(rawValue: family), state: .established, local: SocketEndpoint(address: IPAddress(address), port: 1),
                   peer: SocketEndpoint(address: IPAddress(address), port: 2), receiveQueue: 0, sendQueue: 0, inode: 1)
        }
        let v6all = try #require(try FilterParser.parse(["src ::/0"]))
        #expect(FilterEvaluator.matches(v6all, socket("::1", 10)))
        #expect(!FilterEvaluator.matches(v6all, socket("127.0.0.1", 2)))
        let mapped = try #require(try FilterParser.parse(["src 127.0.0.0/8"]))
        #expect(FilterEvaluator.matches(mapped, socket("::ffff:127.0.0.1", 10)))
        let v4all = try #require(try FilterParser.parse(["src 0.0.0.0/0"]))
        #expect(!FilterEvaluator.matches(v4all, socket("::1", 10)))
    }
}

@Suite struct BytecodeTests {
    /// A fixed, varied population of sockets.
    static let sockets: [Socket] = {
        var result: [Socket] = []
        let addresses: [(UInt8, IPAddress)] = [
            (2, IPAddress("127.0.0.1")!), (2, IPAddress("10.1.2.3")!), (2, IPAddress("0.0.0.0")!),
            (10, IPAddress("::1")!), (10, IPAddress("2001:db8::5")!), (10, IPAddress("::ffff:10.1.2.3")!), (10, IPAddress("::")!),
        ]
        for (index, (family, address)) in addresses.enumerated() {
            for port: UInt16 in [0, 22, 80, 443, 1024, 8080, 65535] {
                let peer = addresses[(index + Int(port)) % addresses.count]
                guard peer.0 == family else { continue }
                var local = SocketEndpoint(address: address, port: port)
                local.interfaceIndex = port == 80 ? 2 : 0
                result.append(Socket(proto: .tcp, family: AddressFamily(rawValue: family), state: .established, local: local,
                                     peer: SocketEndpoint(address: peer.1, port: UInt16((Int(port) * 7 + 13) % 65536)),
                                     receiveQueue: 0, sendQueue: 0, inode: UInt64(result.count + 1)))
            }
        }
        return result
    }()

    static let expressions = [
        "sport = :22", "sport != :22", "sport > :1024", "sport < :1024", "sport >= :443", "sport <= :443",
        "dport = :167", "dport > :1000", "src 127.0.0.1", "src 10.0.0.0/8", "dst 10.1.2.3", "src [::1]",
        "src [2001:db8::]/32:443", "src :8080", "src *:443", "src 10.1.2.3", "dev 2", "not dev 2",
        "sport = :22 or sport = :80 and src 127.0.0.1", "( sport = :22 or sport = :80 ) and src 127.0.0.1",
        "not ( sport > :100 and dport < :10000 )", "src 127.0.0.1 dport >= :0 or not src [::]/0",
        "! sport = :0 and ! ( dst 10/8 or dst [::1] )", "sport = :1 or sport = :2 or sport = :22 or not dport > :5",
        "src ::/0", "dst ::ffff:10.0.0.0/104", "src 0.0.0.0/0", "src inet:127.0.0.1 or sport = :0x50", "dev != 2",
    ]

    /// The compiled program, run with the kernel's semantics, agrees with the user-space
    /// evaluator on every socket, for every expression.
    @Test(arguments: expressions)
    func compiledProgramAgreesWithEvaluator(_ text: String) throws {
        let filter = try #require(try FilterParser.parse(text.split(separator: " ").map(String.init)))
            .resolvingDevices { _ in nil }
        let code = try FilterCompiler.compile(filter)
        #expect(code.count % 4 == 0)
        var matched = 0
        for socket in Self.sockets {
            let kernel = FilterCompiler.run(code, on: socket)
            #expect(kernel == FilterEvaluator.matches(filter, socket), "\(text) on \(socket.local.address!):\(socket.local.port)")
            if kernel { matched += 1 }
        }
        // Every expression here selects something and leaves something out.
        #expect(matched > 0 && matched < Self.sockets.count, "\(text) matched \(matched) of \(Self.sockets.count)")
    }

    @Test func encodingOfSimpleConditions() throws {
        // {S_GE, 8, 12} {0, 0, 1024}
        #expect(try FilterCompiler.compile(.port(.source, .greaterOrEqual, 1024)) == [2, 8, 12, 0, 0, 0, 0, 4])
        // dport > 1024 is not (dport <= 1024): {D_LE, 8, 12} {0,0,1024} {JMP, 4, 8}
        #expect(try FilterCompiler.compile(.port(.destination, .greater, 1024)) == [5, 8, 12, 0, 0, 0, 0, 4, 1, 4, 8, 0])
        // src 10.0.0.0/8: {S_COND, 16, 20} {AF_INET, 8, pad, port -1} 10.0.0.0
        #expect(try FilterCompiler.compile(.host(.source, HostCondition(family: 2, address: IPAddress("10.0.0.0"), prefixLength: 8)))
                == [7, 16, 20, 0, 2, 8, 0, 0, 255, 255, 255, 255, 10, 0, 0, 0])
        #expect(throws: FilterError.self) { _ = try FilterCompiler.compile(.device(name: "eth0", index: nil)) }
        #expect(throws: FilterError.self) { _ = try FilterCompiler.compile(.host(.source, HostCondition(unixPath: "/x"))) }
    }

    @Test func unixPathGlobs() {
        var local = SocketEndpoint()
        local.path = "/run/app/api.sock"
        let socket = Socket(proto: .unixStream, family: .unix, state: .listen, local: local, peer: SocketEndpoint(), receiveQueue: 0, sendQueue: 0, inode: 1)
        #expect(FilterEvaluator.matches(.host(.source, HostCondition(unixPath: "/run/*.sock")), socket))
        #expect(FilterEvaluator.matches(.host(.source, HostCondition(unixPath: "/run/app/a?i.sock")), socket))
        #expect(!FilterEvaluator.matches(.host(.source, HostCondition(unixPath: "/tmp/*")), socket))
        #expect(!FilterEvaluator.matches(.port(.source, .equal, 0), socket))
    }
}

/// Found by `make fuzz`: 4,600 nested parentheses overflowed the stack of the recursive
/// parser. Nesting and size are now bounded, with an error that says so.
@Suite struct FilterLimitTests {
    static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    @Test func deepNestingIsAnErrorNotACrash() {
        let parens = String(repeating: "( ", count: 4600) + "sport = :1" + String(repeating: " )", count: 4600)
        #expect(throws: FilterError.self) { try FilterParser.parse(Self.words(parens)) }
        // The fuzzer's own input: parentheses only, one token.
        #expect(throws: FilterError.self) { try FilterParser.parse([String(repeating: "(", count: 4653)]) }
        let nots = String(repeating: "not ", count: 5000) + "sport = :1"
        #expect(throws: FilterError.self) { try FilterParser.parse(Self.words(nots)) }
        do {
            _ = try FilterParser.parse(Self.words(parens))
        } catch let error as FilterError {
            #expect(error.message.contains("nested deeper than 64"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func sizeIsBoundedAndTheLargestExpressionCompiles() throws {
        let largest = (1...FilterParser.maximumConditions).map { "sport = :\($0)" }.joined(separator: " or ")
        let filter = try #require(try FilterParser.parse(Self.words(largest)))
        let program = try FilterCompiler.compile(filter)
        #expect(program.count < 65536)
        let tooMany = largest + " or sport = :9"
        #expect(throws: FilterError.self) { try FilterParser.parse(Self.words(tooMany)) }
        // Up to the limits, nesting still works.
        let nested = String(repeating: "( ", count: 60) + "sport = :22" + String(repeating: " )", count: 60)
        #expect(try FilterParser.parse(Self.words(nested)) == .port(.source, .equal, 22))
    }
}
