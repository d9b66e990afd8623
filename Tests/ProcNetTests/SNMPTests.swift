import NetModel
import ProcNet
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SNMPTests {
    @Test func parsesCapturedSnmp() throws {
        let counters = try SNMPParser.parse(try ProcFixtures.text("net/snmp"))
        let byName = Dictionary(counters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["Tcp.MaxConn"] == -1)
        #expect(byName["Ip.DefaultTTL"] == 64)
        #expect(byName["Tcp.RtoMin"] == 200)
        #expect((byName["Tcp.ActiveOpens"] ?? 0) >= 1)
        #expect((byName["Udp.OutDatagrams"] ?? 0) >= 3)
        #expect(Set(counters.map(\.group)).isSuperset(of: ["Ip", "Icmp", "IcmpMsg", "Tcp", "Udp", "UdpLite"]))
        #expect(counters.first { $0.name == "Tcp.CurrEstab" }?.kind == .gauge)
        #expect(counters.first { $0.name == "Tcp.ActiveOpens" }?.kind == .counter)
    }

    @Test func parsesCapturedNetstat() throws {
        let counters = try SNMPParser.parse(try ProcFixtures.text("net/netstat"), file: "netstat")
        let groups = Set(counters.map(\.group))
        #expect(groups.isSuperset(of: ["TcpExt", "IpExt"]))
        #expect(counters.contains { $0.name == "TcpExt.ListenOverflows" })
        #expect(counters.count > 100)
    }

    @Test func missingFinalNewlineIsTruncation() {
        #expect(throws: ProcNetError(file: "/proc/net/snmp", line: 2, problem: "the last line has no newline (file truncated?)")) {
            _ = try SNMPParser.parse("Ip: Forwarding DefaultTTL\nIp: 1 6")
        }
    }

    @Test func acceptsFieldsItHasNeverSeen() throws {
        let text = "Tcp: ActiveOpens FutureCounter2031\nTcp: 5 77\nNewProto: A\nNewProto: 1\n"
        let counters = try SNMPParser.parse(text)
        #expect(counters.map(\.name) == ["Tcp.ActiveOpens", "Tcp.FutureCounter2031", "NewProto.A"])
        #expect(counters.map(\.value) == [5, 77, 1])
    }

    /// The kernel prints counters as u64 (%lu) and only Tcp.MaxConn signed (%ld): the largest
    /// u64 is a value, a minus sign on a counter is malformed input.
    @Test func countersAreUnsigned64BitExceptMaxConn() throws {
        let text = "Tcp: MaxConn ActiveOpens\nTcp: -1 18446744073709551615\n"
        let counters = try SNMPParser.parse(text)
        #expect(counters.map(\.text) == ["-1", "18446744073709551615"])
        #expect(counters[1].raw == UInt64.max && !counters[1].signed && counters[0].value == -1)
        #expect(throws: ProcNetError.self) { _ = try SNMPParser.parse("Tcp: ActiveOpens\nTcp: -5\n") }
        #expect(throws: ProcNetError.self) { _ = try SNMPParser.parse("Tcp: ActiveOpens\nTcp: 18446744073709551616\n") }
        #expect(throws: ProcNetError.self) { _ = try SNMP6Parser.parse("Ip6InReceives -5\n") }
        #expect(try SNMP6Parser.parse("Ip6InReceives 18446744073709551615\n").first?.raw == UInt64.max)
    }

    /// A FIFO would block forever and /dev/zero never ends: only regular files are read.
    @Test func onlyRegularFilesAreRead() throws {
        let directory = "/tmp/nst-fifo-\(getpid())"
        mkdir(directory, 0o755)
        mkdir(directory + "/net", 0o755)
        defer { unlink(directory + "/net/snmp"); rmdir(directory + "/net"); rmdir(directory) }
        #expect(mkfifo(directory + "/net/snmp", 0o644) == 0)
        do {
            _ = try ProcRoot(path: directory).read("net/snmp")
            Issue.record("a FIFO was read")
        } catch let error as ProcNetError {
            #expect(error.problem.contains("is a FIFO, not a regular file"))
        }
        do {
            _ = try FileBytes.read("/dev/zero")
            Issue.record("/dev/zero was read")
        } catch let error as FileReadError {
            #expect(error.description.contains("character device"))
        }
        #expect(throws: FileReadError.self) { _ = try FileBytes.read("/proc/self/status", limit: 10) }
    }

    @Test func headerWithoutValuesNamesFileAndLine() {
        let text = "Ip: Forwarding DefaultTTL\nIp: 1 64\nTcp: ActiveOpens\n"
        #expect(throws: ProcNetError(file: "/proc/net/snmp", line: 3, problem: "header Tcp: has no line of values after it (file truncated?)")) {
            _ = try SNMPParser.parse(text)
        }
    }

    @Test func countMismatch() {
        #expect(throws: ProcNetError(file: "snmp", line: 2, problem: "Ip: has 2 field names but 3 values")) {
            _ = try SNMPParser.parse("Ip: Forwarding DefaultTTL\nIp: 1 64 9\n", file: "snmp")
        }
    }

    @Test func nonNumericValue() {
        #expect(throws: ProcNetError(file: "snmp", line: 2, problem: "Ip.DefaultTTL is \"6x4\", not an unsigned 64-bit integer")) {
            _ = try SNMPParser.parse("Ip: Forwarding DefaultTTL\nIp: 1 6x4\n", file: "snmp")
        }
    }

    @Test func mislabelledValues() {
        #expect(throws: ProcNetError.self) { _ = try SNMPParser.parse("Ip: Forwarding\nTcp: 1\n") }
        #expect(throws: ProcNetError.self) { _ = try SNMPParser.parse("garbage\n") }
        #expect(throws: ProcNetError.self) { _ = try SNMPParser.parse("") }
        #expect(throws: ProcNetError.self) { _ = try SNMPParser.parse("Ip: A\nIp: 99999999999999999999\n") }
    }

    /// Any prefix of a real file either parses (whole lines, whole pairs) or names its problem.
    @Test func everyTruncationIsParsedOrReported() throws {
        let text = try ProcFixtures.text("net/snmp")
        let full = try SNMPParser.parse(text)
        for cut in 1..<text.utf8.count {
            let prefix = String(decoding: text.utf8.prefix(cut), as: UTF8.self)
            do {
                // Only a cut right after a pair of lines can parse, and then into exactly
                // the groups before it, values unchanged.
                let parsed = try SNMPParser.parse(prefix)
                #expect(prefix.hasSuffix("\n"), "cut at \(cut) parsed a partial line")
                #expect(Array(full.prefix(parsed.count)) == parsed, "cut at \(cut) changed values")
            } catch {
                #expect(error is ProcNetError)
            }
        }
    }

    @Test func snmp6() throws {
        let counters = try SNMP6Parser.parse(try ProcFixtures.text("net/snmp6"))
        #expect(counters.contains { $0.name == "Ip6.InReceives" })
        #expect(counters.contains { $0.name == "Icmp6.InMsgs" })
        #expect(counters.contains { $0.name == "Udp6.InDatagrams" })
        #expect(counters.contains { $0.name == "UdpLite6.InDatagrams" })
        let device = try SNMP6Parser.parse(try ProcFixtures.text("net/dev_snmp6/lo"), file: "dev_snmp6/lo")
        #expect(device.first?.name == "Snmp6.ifIndex")
        #expect(device.first?.kind == .gauge)
        #expect(throws: ProcNetError(file: "/proc/net/snmp6", line: 2, problem: "expected \"Name value\", found \"Ip6OutRequests\"")) {
            _ = try SNMP6Parser.parse("Ip6InReceives 1\nIp6OutRequests\n")
        }
        // A name with a colon is not a counter: refused, never exported as "Snmp6.Mode:".
        #expect(throws: ProcNetError(file: "/proc/net/snmp6", line: 2, problem: "\"Mode:\" is not a counter name")) {
            _ = try SNMP6Parser.parse("Ip6InReceives 1\nMode: 1\n")
        }
        #expect(throws: ProcNetError.self) { _ = try SNMP6Parser.parse("Ip6-In 1\n") }
        #expect(throws: ProcNetError.self) { _ = try SNMP6Parser.parse("9Ip6 1\n") }
        // The same for the field names of /proc/net/snmp and netstat headers.
        #expect(throws: ProcNetError(file: "/proc/net/snmp", line: 1, problem: "\"Mode:\" in Ip: is not a counter name")) {
            _ = try SNMPParser.parse("Ip: Forwarding Mode:\nIp: 1 2\n")
        }
    }

    @Test func sockstat() throws {
        let stats = try SockstatParser.parse(try ProcFixtures.text("net/sockstat"))
        #expect(stats.contains { $0.group == "sockets" && $0.field == "used" })
        #expect(stats.contains { $0.group == "TCP" && $0.field == "inuse" && $0.value >= 3 })
        #expect(stats.contains { $0.group == "TCP" && $0.field == "mem" })
        let six = try SockstatParser.parse(try ProcFixtures.text("net/sockstat6"), file: "sockstat6")
        #expect(six.contains { $0.group == "TCP6" && $0.field == "inuse" && $0.value >= 1 })
        #expect(throws: ProcNetError.self) { _ = try SockstatParser.parse("TCP: inuse\n") }
        #expect(throws: ProcNetError.self) { _ = try SockstatParser.parse("TCP: inuse x\n") }
    }
}
