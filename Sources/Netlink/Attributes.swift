/// Walks a run of netlink attributes (struct nlattr + payload) in place.
///
/// Lengths are checked before anything is read; `next()` throws `.malformed` with the byte
/// offset when an attribute claims more bytes than remain. Decoders switch on `type` and
/// ignore types they do not know, so attributes added by newer kernels pass through.
public struct AttributeCursor {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var position = 0
    @usableFromInline let baseOffset: Int

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) {
        self.bytes = bytes
        self.baseOffset = baseOffset
    }

    /// The next attribute, or nil at the end of the run.
    @inlinable
    public mutating func next() throws -> Attribute? {
        let remaining = bytes.count - position
        if remaining <= 0 { return nil }
        guard remaining >= Netlink.attributeHeaderLength else {
            throw NetlinkError.malformed(
                "attribute", "\(remaining) trailing bytes, too short for an attribute header",
                offset: baseOffset + position)
        }
        let base = bytes.baseAddress! + position
        let length = Int(base.loadUnaligned(as: UInt16.self))
        let rawType = base.loadUnaligned(fromByteOffset: 2, as: UInt16.self)
        guard length >= Netlink.attributeHeaderLength, length <= remaining else {
            throw NetlinkError.malformed(
                "attribute",
                "attribute type \(rawType & Attribute.typeMask) declares length \(length) but \(remaining) bytes remain",
                offset: baseOffset + position)
        }
        let attribute = Attribute(
            rawType: rawType,
            payload: UnsafeRawBufferPointer(
                start: base + Netlink.attributeHeaderLength, count: length - Netlink.attributeHeaderLength),
            offset: baseOffset + position)
        position += min(Netlink.align(length), remaining)
        return attribute
    }
}

/// One attribute borrowed from a receive buffer. Typed getters check the payload length
/// and name the attribute type and offset when it is wrong.
public struct Attribute {
    /// NLA_TYPE_MASK
    public static let typeMask: UInt16 = 0x3fff
    /// NLA_F_NESTED
    public static let nestedFlag: UInt16 = 0x8000

    public let rawType: UInt16
    public let payload: UnsafeRawBufferPointer
    /// Offset of the attribute header in the stream, for error messages.
    public let offset: Int

    @inlinable
    public init(rawType: UInt16, payload: UnsafeRawBufferPointer, offset: Int) {
        self.rawType = rawType
        self.payload = payload
        self.offset = offset
    }

    /// nla_type without NLA_F_NESTED / NLA_F_NET_BYTEORDER.
    @inlinable public var type: UInt16 { rawType & Attribute.typeMask }

    @inlinable
    func wrongLength(_ expected: String) -> NetlinkError {
        NetlinkError.malformed(
            "attribute", "attribute type \(type) has \(payload.count) payload bytes, expected \(expected)",
            offset: offset)
    }

    @inlinable
    public func uint8() throws -> UInt8 {
        guard payload.count >= 1 else { throw wrongLength("1") }
        return payload.load(as: UInt8.self)
    }

    @inlinable
    public func uint16() throws -> UInt16 {
        guard payload.count >= 2 else { throw wrongLength("2") }
        return payload.loadUnaligned(as: UInt16.self)
    }

    @inlinable
    public func uint32() throws -> UInt32 {
        guard payload.count >= 4 else { throw wrongLength("4") }
        return payload.loadUnaligned(as: UInt32.self)
    }

    @inlinable
    public func int32() throws -> Int32 {
        guard payload.count >= 4 else { throw wrongLength("4") }
        return payload.loadUnaligned(as: Int32.self)
    }

    /// 64-bit values are only 4-byte aligned in netlink, hence the unaligned load.
    @inlinable
    public func uint64() throws -> UInt64 {
        guard payload.count >= 8 else { throw wrongLength("8") }
        return payload.loadUnaligned(as: UInt64.self)
    }

    /// A NUL-terminated (or, leniently, unterminated) string; stops at the first NUL.
    /// Invalid UTF-8 is replaced rather than rejected: interface names are arbitrary bytes.
    @inlinable
    public func string() -> String {
        var end = 0
        while end < payload.count, payload[end] != 0 { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: payload[0..<end]), as: UTF8.self)
    }

    /// The payload copied out, for addresses of variable length.
    @inlinable
    public func bytes() -> [UInt8] { Array(payload) }

    /// Exactly `count` bytes, for fixed-size binary values such as IPv4/IPv6 addresses.
    @inlinable
    public func bytes(exactly count: Int) throws -> UnsafeRawBufferPointer {
        guard payload.count == count else { throw wrongLength("\(count)") }
        return payload
    }

    /// A cursor over the attributes nested inside this one.
    @inlinable
    public func nested() -> AttributeCursor {
        AttributeCursor(payload, baseOffset: offset + Netlink.attributeHeaderLength)
    }

    /// Reads a struct the kernel may grow over time (tcp_info, rtnl_link_stats64, …):
    /// copies what was sent, zero-fills what a shorter (older) kernel did not send, and
    /// ignores what a longer (newer) kernel appended.
    @inlinable
    public func lengthTolerant<T: BitwiseCopyable>(_ type: T.Type, zero: T) -> T {
        var value = zero
        withUnsafeMutableBytes(of: &value) { destination in
            let count = min(destination.count, payload.count)
            if count > 0 {
                destination.baseAddress!.copyMemory(from: payload.baseAddress!, byteCount: count)
            }
        }
        return value
    }
}
