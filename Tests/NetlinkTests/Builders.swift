import Netlink

/// Builds netlink bytes by hand so tests can make exactly the malformed input they need.
struct MessageBuilder {
    var bytes: [UInt8] = []

    static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        var out = le(UInt16(4 + payload.count)) + le(type) + payload
        while out.count % 4 != 0 { out.append(0) }
        return out
    }

    static func message(type: UInt16, flags: UInt16 = 0, seq: UInt32 = 0, pid: UInt32 = 0, payload: [UInt8]) -> [UInt8] {
        var out = le(UInt32(16 + payload.count)) + le(type) + le(flags) + le(seq) + le(pid) + payload
        while out.count % 4 != 0 { out.append(0) }
        return out
    }

    static func done(flags: UInt16 = 2, error: Int32 = 0, tlvs: [UInt8] = []) -> [UInt8] {
        message(type: NetlinkMessageType.done, flags: flags, payload: le(error) + tlvs)
    }

    /// NLMSG_ERROR with a capped echo of a 16-byte request header and extended-ack TLVs.
    static func error(_ code: Int32, message text: String?, offset: UInt32? = nil) -> [UInt8] {
        var tlvs: [UInt8] = []
        if let text { tlvs += attribute(1, Array(text.utf8) + [0]) }
        if let offset { tlvs += attribute(2, le(offset)) }
        let echoed = le(UInt32(16)) + le(UInt16(18)) + le(UInt16(0x301)) + le(UInt32(0)) + le(UInt32(0))
        let flags: UInt16 = tlvs.isEmpty ? 0 : (NetlinkFlags.capped | NetlinkFlags.ackTLVs)
        return Self.message(type: NetlinkMessageType.error, flags: flags, payload: le(code) + echoed + tlvs)
    }
}

func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes(body)
}

/// A request the tests can send through a replay transport.
func dumpRequest() -> NetlinkRequest {
    NetlinkRequest(type: 18, flags: NetlinkFlags.dump, header: (UInt64(0), UInt64(0)), operation: "TEST dump")
}
