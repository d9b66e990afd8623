import Foundation
import NetModel
import Netlink
import SockDiag
import TestSupport
import Testing

enum SocketFixtures {
    static let directory = FixtureFiles.directory

    static func bytes(_ name: String) throws -> [UInt8] { try FixtureFiles.bytes(name) }
    static func text(_ name: String) throws -> String { try FixtureFiles.text(name) }

    /// The reply datagrams of the capture that are sock_diag messages (type 20).
    static func diagDatagrams() throws -> [[UInt8]] {
        try CaptureFormat.datagrams(in: bytes("sockets.nlcap")).filter { datagram in
            datagram.count > 16 && datagram.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt16.self) } == 20
        }
    }

    static func decodeAll(_ datagram: [UInt8]) throws -> [Socket] {
        var sockets: [Socket] = []
        try datagram.withUnsafeBytes { raw in
            try Netlink.forEachMessage(in: raw, operation: "test") { message in
                let family = message.payload.first ?? 0
                switch family {
                case 2, 10: sockets.append(try SockDiagDecoder.inet(message, proto: .tcp))
                case 1: sockets.append(try SockDiagDecoder.unix(message))
                case 17: sockets.append(try SockDiagDecoder.packet(message))
                default: break
                }
                return true
            }
        }
        return sockets
    }
}

@Suite struct SocketDecoderTests {
    @Test func replayedCaptureMatchesGoldens() throws {
        let json = try Shell.run([Shell.netscope, "ss", "--replay-raw", SocketFixtures.directory.appendingPathComponent("sockets.nlcap").path,
                                  "-tuxa0", "-iem", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout == (try SocketFixtures.text("sockets.golden.json")))
        let table = try Shell.run([Shell.netscope, "ss", "--replay-raw", SocketFixtures.directory.appendingPathComponent("sockets.nlcap").path,
                                   "-tuxa0", "-iem", "--color", "never"])
        #expect(table.stdout == (try SocketFixtures.text("sockets.golden.txt")))
    }

    @Test func decodesTheCapturedNamespace() throws {
        let sockets = try SocketFixtures.diagDatagrams().flatMap(SocketFixtures.decodeAll)
        let inet = sockets.filter { $0.family == .inet || $0.family == .inet6 }
        let listener = try #require(inet.first { $0.state == .listen && $0.local.port == 8080 })
        #expect(listener.local.address == IPAddress("127.0.0.1"))
        #expect(listener.sendQueue == 16)  // the backlog
        let accepted = try #require(inet.first { $0.state == .established && $0.local.port == 8080 })
        #expect(accepted.receiveQueue == 100)
        let info = try #require(accepted.tcpInfo?.value)
        #expect(info.state == 1)
        #expect(info.bytesReceived == 100)
        #expect(info.receiveMSS > 0 && info.sendMSS > 0)
        #expect(accepted.congestion != nil)
        #expect(accepted.memory?.receiveBuffer ?? 0 > 0)
        let v6only = try #require(inet.first { $0.state == .listen && $0.local.port == 8443 })
        #expect(v6only.v6Only == true)
        #expect(v6only.local.address == IPAddress("::1"))
        let unix = sockets.filter { $0.family == .unix }
        #expect(unix.contains { $0.local.path == "/tmp/nstest.sock" && $0.state == .listen })
        #expect(unix.contains { $0.local.path == "@nstest-abstract" && $0.proto == .unixDatagram })
        let connected = unix.filter { $0.state == .established }
        #expect(connected.count == 2)
        #expect(connected[0].peer.inode == connected[1].inode)
        let packet = try #require(sockets.first { $0.family == .packet })
        #expect(packet.local.number == 3)  // ETH_P_ALL
        #expect(packet.local.interfaceIndex == 1)
    }

    /// Cutting a datagram anywhere but between two messages must be reported (between two
    /// messages the dump loop notices the missing NLMSG_DONE instead).
    @Test func everyTruncationOfASocketDatagramIsAnError() throws {
        for datagram in try SocketFixtures.diagDatagrams() {
            var boundaries: Set<Int> = []
            var position = 0
            while position < datagram.count {
                boundaries.insert(position)
                let length = datagram.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: position, as: UInt32.self)) }
                position += (length + 3) & ~3
            }
            for cut in 1..<datagram.count where !boundaries.contains(cut) {
                let truncated = Array(datagram[0..<cut])
                #expect(throws: NetlinkError.self, "cut at \(cut)") { _ = try SocketFixtures.decodeAll(truncated) }
            }
        }
    }

    @Test func wrongLengthAttributeNamesTheSocket() throws {
        // An inet_diag_msg whose INET_DIAG_SHUTDOWN attribute (type 8) is empty.
        var payload = [UInt8](repeating: 0, count: 72)
        payload[0] = 2
        payload[1] = 1
        payload[68] = 0x39  // inode 57
        payload += [4, 0, 8, 0]
        var message = withUnsafeBytes(of: UInt32(16 + payload.count)) { Array($0) } + [20, 0, 2, 0] + [UInt8](repeating: 0, count: 8)
        message += payload
        do {
            _ = try SocketFixtures.decodeAll(message)
            Issue.record("expected an error")
        } catch let error as NetlinkError {
            #expect(error.description.contains("inet_diag_msg inode 57"))
            #expect(error.description.contains("attribute type 8 has 0 payload bytes"))
        }
    }
}

@Suite struct TCPInfoTests {
    /// A tcp_info with recognisable values at the offsets of linux/tcp.h.
    static func sample(length: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 240)
        func put32(_ offset: Int, _ value: UInt32) { withUnsafeBytes(of: value) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) } }
        func put64(_ offset: Int, _ value: UInt64) { withUnsafeBytes(of: value) { bytes.replaceSubrange(offset..<(offset + 8), with: $0) } }
        bytes[0] = 1
        bytes[5] = 4        // TCPI_OPT_WSCALE
        bytes[6] = 0x7A     // rcv_wscale 7 (high nibble), snd_wscale 10 (low nibble)
        put32(8, 204_000)   // rto
        put32(68, 1234)     // rtt
        put32(72, 567)      // rttvar
        put32(80, 10)       // cwnd
        put32(100, 3)       // total_retrans
        put64(120, 1000)    // bytes_acked
        put64(128, 2000)    // bytes_received
        put32(148, 42)      // min_rtt
        put64(160, 99_999)  // delivery_rate
        put64(200, 3000)    // bytes_sent
        put32(228, 65536)   // snd_wnd
        put32(232, 7777)    // rcv_wnd (newer kernels)
        return Array(bytes[0..<length])
    }

    @Test func windowScaleNibbles() {
        let info = Self.sample(length: 232).withUnsafeBytes(TCPInfoDecoder.decode)
        #expect(info.sendWindowScale == 10)
        #expect(info.receiveWindowScale == 7)
    }

    @Test func shortStructsFromOlderKernels() {
        // 104 bytes: the 3.x struct ends at total_retrans.
        let old = Self.sample(length: 104).withUnsafeBytes(TCPInfoDecoder.decode)
        #expect(old.rtt == 1234 && old.rttVariance == 567 && old.sendCwnd == 10 && old.totalRetrans == 3)
        #expect(old.bytesAcked == nil && old.minRTT == nil && old.deliveryRate == nil && old.bytesSent == nil)
        // 160 bytes (4.6): min_rtt yes, delivery_rate not yet.
        let middle = Self.sample(length: 160).withUnsafeBytes(TCPInfoDecoder.decode)
        #expect(middle.minRTT == 42 && middle.bytesReceived == 2000 && middle.deliveryRate == nil)
        // Longer than we know: extra bytes ignored, known ones read.
        let long = (Self.sample(length: 240) + [UInt8](repeating: 0xff, count: 64)).withUnsafeBytes(TCPInfoDecoder.decode)
        #expect(long.receiveWindow == 7777 && long.sendWindow == 65536 && long.bytesSent == 3000)
        // Nothing at all: zeros, no crash.
        let empty = [UInt8]().withUnsafeBytes(TCPInfoDecoder.decode)
        #expect(empty.rtt == 0 && empty.pacingRate == nil)
        // Odd lengths cut through a field: that field is absent, not garbage.
        let cut = Self.sample(length: 150).withUnsafeBytes(TCPInfoDecoder.decode)
        #expect(cut.minRTT == nil && cut.notsentBytes == 0)
    }
}
