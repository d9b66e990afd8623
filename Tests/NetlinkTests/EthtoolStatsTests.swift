import EthtoolNetlink
import NetModel
import Netlink
import Testing

/// ETHTOOL_MSG_STATS_GET replies built as the kernel builds them (net/ethtool/stats.c):
/// statistics a driver lacks are ETHTOOL_STAT_NOT_SET and are left out, and so are groups
/// left empty.
@Suite struct EthtoolStatsTests {
    static func attribute(_ type: UInt16, _ payload: [UInt8], nested: Bool = false) -> [UInt8] {
        var bytes = withUnsafeBytes(of: UInt16(4 + payload.count).littleEndian, Array.init)
            + withUnsafeBytes(of: (type | (nested ? 0x8000 : 0)).littleEndian, Array.init) + payload
        while bytes.count % 4 != 0 { bytes.append(0) }
        return bytes
    }
    static func u32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    static func u64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

    static func reply(family: UInt16 = 0x1c) -> [UInt8] {
        let header = attribute(2, attribute(1, u32(3)) + attribute(2, Array("eth0".utf8) + [0]), nested: true)
        let mac = attribute(4, attribute(2, u32(1)) + attribute(3, u32(2))
            + attribute(4, attribute(0, u64(100)) + attribute(4, u64(7)) + attribute(5, u64(.max)), nested: true), nested: true)
        let phy = attribute(4, attribute(2, u32(0)) + attribute(4, attribute(0, u64(.max)), nested: true), nested: true)
        let body = [33, 1, 0, 0] + header + phy + mac
        return u32(UInt32(16 + body.count)) + withUnsafeBytes(of: family.littleEndian, Array.init) + [0, 0] + u32(1) + u32(0) + body
    }

    static func decode(_ bytes: [UInt8]) throws -> [EthtoolStatistics] {
        var result: [EthtoolStatistics] = []
        try bytes.withUnsafeBytes { raw in
            try Netlink.forEachMessage(in: raw, operation: "test") { message in
                result.append(try EthtoolStats.decode(message))
                return true
            }
        }
        return result
    }

    @Test func aReplyDecodesWithTheKernelsNames() throws {
        let devices = try Self.decode(Self.reply())
        #expect(devices.count == 1 && devices[0].interfaceIndex == 3 && devices[0].interfaceName == "eth0")
        #expect(devices[0].groups == [EthtoolStatistics.Group(name: "eth-mac", values: [
            .init(name: "FramesTransmittedOK", value: 100), .init(name: "FrameCheckSequenceErrors", value: 7),
        ])])
        #expect(EthtoolStatistics.dropMeanings["FrameCheckSequenceErrors"] != nil)
    }

    @Test func theRequestAsksForEveryGroupAsADump() {
        let request = EthtoolStats.dumpRequest(family: 0x1c)
        let bytes = request.bytes
        #expect(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt16.self) } == 0x1c)
        #expect(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 6, as: UInt16.self) } & NetlinkFlags.dump == NetlinkFlags.dump)
        #expect(bytes[16] == 32 && bytes[17] == 1)  // ETHTOOL_MSG_STATS_GET, version 1
        // The groups bitset: NOMASK, size 4, value 0b1111.
        #expect(bytes.suffix(8) == [8, 0, 4, 0, 15, 0, 0, 0][...])
        let resolve = GenericNetlink.resolveRequest(name: "ethtool").bytes
        #expect(resolve.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt16.self) } == GenericNetlink.controllerType)
        #expect(String(decoding: resolve.suffix(8).prefix(7), as: UTF8.self) == "ethtool")
    }

    @Test func everyTruncationIsAnErrorOrWhatIsWhole() {
        let full = Self.reply()
        var caught = 0
        for cut in 16..<full.count {
            var bytes = Array(full[0..<cut])
            bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(cut), as: UInt32.self) }
            do { _ = try Self.decode(bytes) } catch is NetlinkError { caught += 1 } catch { Issue.record("cut \(cut): \(error)") }
        }
        #expect(caught > 10)
    }
}
