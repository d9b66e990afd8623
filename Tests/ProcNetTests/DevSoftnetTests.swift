import NetModel
import ProcNet
import Testing

@Suite struct DevTests {
    @Test func capturedDev() throws {
        let entries = try DevParser.parse(try ProcFixtures.text("net/dev"))
        let lo = try #require(entries.first { $0.name == "lo" })
        #expect(lo.receive.map(\.0) == ["bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"])
        #expect(lo.transmit.map(\.0) == ["bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"])
        #expect((lo.receive("packets") ?? 0) > 0)
        #expect(lo.receive("packets") == lo.transmit("packets"))
    }

    static let header = "Inter-|   Receive                            |  Transmit\n face |bytes packets errs drop|bytes packets errs drop\n"

    @Test func longNamesWithoutSpaceAndNewColumns() throws {
        let text = "Inter-|Receive|Transmit\n face |bytes packets future|bytes packets\nverylongname15:1 2 3 4 5\n  lo: 9 8 7 6 5\n"
        let entries = try DevParser.parse(text)
        #expect(entries.map(\.name) == ["verylongname15", "lo"])
        #expect(entries[0].receive("future") == 3)
        #expect(entries[1].transmit("packets") == 5)
    }

    @Test func malformedLinesNameTheProblem() {
        #expect(throws: ProcNetError(file: "/proc/net/dev", line: 3, problem: "eth0 has 7 values, the header names 8 columns")) {
            _ = try DevParser.parse(Self.header + "eth0: 1 2 3 4 5 6 7\n")
        }
        #expect(throws: ProcNetError(file: "/proc/net/dev", line: 3, problem: "eth0 receive errs is \"x\", not a number")) {
            _ = try DevParser.parse(Self.header + "eth0: 1 2 x 4 5 6 7 8\n")
        }
        #expect(throws: ProcNetError.self) { _ = try DevParser.parse(Self.header + "eth0 1 2 3 4 5 6 7 8\n") }
        #expect(throws: ProcNetError.self) { _ = try DevParser.parse("only one line\n") }
        #expect(throws: ProcNetError.self) { _ = try DevParser.parse("a\nno bars here\n") }
    }
}

@Suite struct SoftnetTests {
    @Test func captured() throws {
        let rows = try SoftnetParser.parse(try ProcFixtures.text("net/softnet_stat"))
        #expect(rows.count >= 1)
        #expect(rows.map(\.cpu) == Array(0..<rows.count))
        #expect(rows.allSatisfy { $0.processed > 0 || $0.dropped == 0 })
    }

    @Test func columnCountsOfOldAndNewKernels() throws {
        // 10 columns (3.x): no CPU column, the row index is the CPU.
        let old = try SoftnetParser.parse("0000000a 00000001 00000002 0 0 0 0 0 00000003 00000004\n00000010 0 0 0 0 0 0 0 0 0\n")
        #expect(old.map(\.cpu) == [0, 1])
        #expect(old[0].processed == 10 && old[0].dropped == 1 && old[0].timeSqueeze == 2)
        #expect(old[0].cpuCollision == 3 && old[0].receivedRPS == 4 && old[0].flowLimitCount == 0)
        // 13 columns (5.10+): the CPU number is printed; CPU 1 offline, so rows are 0 and 2.
        let new = try SoftnetParser.parse(
            "00000001 0 0 0 0 0 0 0 0 0 0 00000000 00000000\n00000002 0 0 0 0 0 0 0 0 0 0 00000000 00000002\n")
        #expect(new.map(\.cpu) == [0, 2])
    }

    @Test func rejectsWhatIsNotHex32() {
        #expect(throws: ProcNetError(file: "/proc/net/softnet_stat", line: 1, problem: "column 2 is \"zz\", not a 32-bit hex number")) {
            _ = try SoftnetParser.parse("00000001 zz 0\n")
        }
        #expect(throws: ProcNetError.self) { _ = try SoftnetParser.parse("100000000 0 0\n") }
        #expect(throws: ProcNetError.self) { _ = try SoftnetParser.parse("1 2\n") }
        #expect(throws: ProcNetError.self) { _ = try SoftnetParser.parse("") }
    }
}

@Suite struct SocketTableTests {
    @Test func tcpTable() throws {
        let sockets = try SocketTableParser.parseInet(try ProcFixtures.text("net/tcp"), file: "tcp")
        let listener = try #require(sockets.first { $0.state == 0x0A })
        #expect(listener.local == IPAddress("127.0.0.1"))
        #expect(listener.localPort == 8080)
        #expect(listener.remote == IPAddress("0.0.0.0"))
        let established = sockets.filter { $0.state == 1 }
        #expect(established.count == 2)
        // The accepted side holds the 100 unread bytes the client sent.
        #expect(established.contains { $0.localPort == 8080 && $0.rxQueue == 100 })
        #expect(sockets.allSatisfy { $0.inode > 0 })
    }

    @Test func ipv6Tables() throws {
        let tcp6 = try SocketTableParser.parseInet(try ProcFixtures.text("net/tcp6"), file: "tcp6")
        #expect(tcp6.contains { $0.local == IPAddress("::1") && $0.localPort == 8443 && $0.state == 0x0A })
        let udp6 = try SocketTableParser.parseInet(try ProcFixtures.text("net/udp6"), file: "udp6")
        #expect(udp6.contains { $0.local == IPAddress("::") && $0.localPort == 5354 })
        let udp = try SocketTableParser.parseInet(try ProcFixtures.text("net/udp"), file: "udp")
        #expect(udp.contains { $0.localPort == 5353 && $0.rest.count == 3 })
    }

    @Test func unixTable() throws {
        let sockets = try SocketTableParser.parseUnix(try ProcFixtures.text("net/unix"))
        let listener = try #require(sockets.first { $0.path == "/tmp/netscope fixture.sock" })
        #expect(listener.isListening)
        #expect(listener.type == 1)
        #expect(sockets.contains { $0.path == "@netscope-abstract" && $0.type == 2 })
        #expect(sockets.contains { $0.path == nil && $0.state == 3 })
    }

    @Test func malformedRowsAreReported() {
        let header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        #expect(throws: ProcNetError(file: "tcp", line: 2, problem: "local address \"0100007G:1F90\" is malformed")) {
            _ = try SocketTableParser.parseInet(header + "0: 0100007G:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", file: "tcp")
        }
        #expect(throws: ProcNetError.self) {
            _ = try SocketTableParser.parseInet(header + "0: 0100007F:1F90 00000000:0000 0A\n", file: "tcp")
        }
        #expect(throws: ProcNetError.self) { _ = try SocketTableParser.parseInet("no header\n", file: "tcp") }
        #expect(throws: ProcNetError.self) {
            _ = try SocketTableParser.parseUnix("Num RefCount Protocol Flags Type St Inode Path\nffff: 2 0 0 1 01\n")
        }
    }
}
