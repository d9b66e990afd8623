import CNetlinkHeaders

/// One netlink message borrowed from a receive buffer (struct nlmsghdr + payload).
/// Valid only inside the callback that received it: the buffer is reused.
public struct NetlinkMessage {
    /// nlmsg_type
    public let type: UInt16
    /// nlmsg_flags
    public let flags: UInt16
    /// nlmsg_seq
    public let sequence: UInt32
    /// nlmsg_pid
    public let portID: UInt32
    /// Bytes after the header, exactly nlmsg_len - NLMSG_HDRLEN long.
    public let payload: UnsafeRawBufferPointer
    /// Offset of the header in the stream it was read from, for error messages.
    public let offset: Int

    @inlinable
    public init(type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32, payload: UnsafeRawBufferPointer, offset: Int) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
        self.payload = payload
        self.offset = offset
    }

    /// The fixed family header (ifinfomsg, ifaddrmsg, …) at the start of the payload, and the
    /// attributes after it. Throws when the payload is shorter than the header.
    @inlinable
    public func split(headerSize: Int, operation: String) throws -> (header: UnsafeRawBufferPointer, attributes: AttributeCursor) {
        guard payload.count >= headerSize else {
            throw NetlinkError.malformed(
                operation, "message type \(type) has \(payload.count) payload bytes, its header needs \(headerSize)",
                offset: offset)
        }
        let aligned = min(payload.count, Netlink.align(headerSize))
        let header = UnsafeRawBufferPointer(rebasing: payload[0..<headerSize])
        let rest = UnsafeRawBufferPointer(rebasing: payload[aligned...])
        return (header, AttributeCursor(rest, baseOffset: offset + Netlink.headerLength + aligned))
    }
}

/// Constants and the in-place walk over a datagram.
public enum Netlink {
    public static let headerLength = Int(NETSCOPE_NLMSG_HDRLEN)
    public static let attributeHeaderLength = Int(NETSCOPE_NLA_HDRLEN)

    @inlinable
    public static func align(_ length: Int) -> Int { (length + 3) & ~3 }

    /// Walks the messages of one datagram (or a concatenation of datagrams) in place.
    /// Every nlmsg_len is checked against the bytes that remain, so a truncated or
    /// corrupted buffer raises `.malformed` naming the offset instead of reading past it.
    /// The body returns false to stop early.
    @inlinable
    public static func forEachMessage(
        in bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, operation: String,
        _ body: (NetlinkMessage) throws -> Bool
    ) throws {
        var position = 0
        let total = bytes.count
        while position < total {
            let remaining = total - position
            guard remaining >= headerLength else {
                throw NetlinkError.malformed(
                    operation, "\(remaining) trailing bytes, too short for a message header",
                    offset: baseOffset + position)
            }
            let base = bytes.baseAddress! + position
            let length = Int(base.loadUnaligned(as: UInt32.self))
            guard length >= headerLength else {
                throw NetlinkError.malformed(
                    operation, "message declares length \(length), less than its \(headerLength)-byte header",
                    offset: baseOffset + position)
            }
            guard length <= remaining else {
                throw NetlinkError.malformed(
                    operation, "message declares length \(length) but only \(remaining) bytes remain (truncated)",
                    offset: baseOffset + position)
            }
            let message = NetlinkMessage(
                type: base.loadUnaligned(fromByteOffset: 4, as: UInt16.self),
                flags: base.loadUnaligned(fromByteOffset: 6, as: UInt16.self),
                sequence: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
                portID: base.loadUnaligned(fromByteOffset: 12, as: UInt32.self),
                payload: UnsafeRawBufferPointer(start: base + headerLength, count: length - headerLength),
                offset: baseOffset + position)
            guard try body(message) else { return }
            position += min(align(length), remaining)
        }
    }
}
