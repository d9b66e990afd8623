import CNetlinkHeaders

/// Requests and dumps over one transport, with one receive buffer reused for every
/// datagram: the dump path allocates nothing per message; decoders get borrowed views.
public final class NetlinkConnection {
    public let transport: NetlinkTransport
    private let buffer: UnsafeMutableRawBufferPointer
    private var sequence: UInt32
    /// How many times a dump marked NLM_F_DUMP_INTR is restarted before giving up.
    public var maxDumpAttempts = 5
    /// Whether a dump longer than one datagram is received on a second thread while this
    /// one walks it (ReceiveAhead says why). On by default when this process may run on
    /// more than one CPU; with one, the two threads would only take turns.
    public var receiveAhead: Bool
    /// The size from which a dump datagram starts the thread. The kernel fills a dump
    /// datagram until the next object does not fit (about 32 KiB), so a shorter one means
    /// the dump is nearly over: usually only NLMSG_DONE follows, alone, and a thread for it
    /// would cost more than it saves (`routes --table 100` 1.33× to 1.54× ip).
    public var receiveAheadMinimum = Int(NETSCOPE_MNL_SOCKET_DUMP_SIZE) / 2
    /// The read-ahead ring, allocated the first time a dump needs it.
    private var ring: UnsafeMutableRawBufferPointer?

    /// `bufferSize` must hold the largest datagram: the kernel caps dump datagrams at 32 KiB,
    /// single replies (a link with many VFs) can be larger, so the default is 64 KiB.
    public init(transport: NetlinkTransport, bufferSize: Int = 65536) {
        self.transport = transport
        precondition(bufferSize >= Int(NETSCOPE_MNL_SOCKET_DUMP_SIZE))
        buffer = .allocate(byteCount: bufferSize, alignment: 8)
        receiveAhead = Self.mayUseSecondCPU()
        // Distinct start values keep a stale reply from an earlier process from matching.
        sequence = UInt32(truncatingIfNeeded: UInt64(bitPattern: Int64(Int(bitPattern: buffer.baseAddress))) >> 4)
    }

    deinit {
        buffer.deallocate()
        ring?.deallocate()
    }

    /// Whether sched_getaffinity lets this thread run on more than one CPU.
    public static func mayUseSecondCPU() -> Bool { netscope_allowed_cpus() > 1 }

    /// Sends `request` (which must carry NLM_F_DUMP) and hands every reply message to `body`.
    /// If the kernel marks the dump inconsistent (NLM_F_DUMP_INTR: the table changed under
    /// it), `restart` is called so the consumer can drop what it collected, and the dump is
    /// repeated, at most `maxDumpAttempts` times in all. A consumer that has already streamed
    /// its results out cannot take them back: its `restart` throws instead.
    public func dump(
        _ request: NetlinkRequest, restart: () throws -> Void = {},
        _ body: (NetlinkMessage) throws -> Void
    ) throws {
        var attempt = 0
        while true {
            attempt += 1
            let interrupted = try exchange(request, body)
            if !interrupted { return }
            if attempt >= maxDumpAttempts {
                throw NetlinkError(
                    kind: .interrupted, operation: request.operation,
                    message: "the kernel's table kept changing during the dump (NLM_F_DUMP_INTR on \(attempt) attempts); try again")
            }
            try restart()
        }
    }

    /// A dump collected into an array: `decode` turns each message into an element (nil to
    /// skip it); if the kernel marks the dump inconsistent, what was collected is dropped and
    /// the dump repeated, as `dump` describes.
    public func collect<Element>(_ request: NetlinkRequest, _ decode: (NetlinkMessage) throws -> Element?) throws -> [Element] {
        var result: [Element] = []
        try dump(request, restart: { result.removeAll() }) { message in
            if let element = try decode(message) { result.append(element) }
        }
        return result
    }

    /// Sends a request that expects one reply (or an ack) and hands the reply messages to `body`.
    public func request(_ request: NetlinkRequest, _ body: (NetlinkMessage) throws -> Void) throws {
        _ = try exchange(request, body)
    }

    /// Sends `requests` (single lookups, none a dump) in one datagram and hands each reply to
    /// `body` with the index of its request; a request the kernel refused (NLMSG_ERROR) goes
    /// to `refused` with its errno. The kernel handles a datagram's messages one after the
    /// other, so a batch of lookups costs one send and a few receives instead of a round trip
    /// each. Keep a batch's replies within the socket's receive buffer (64 small ones do).
    public func requestBatch(
        _ requests: [NetlinkRequest], _ body: (Int, NetlinkMessage) throws -> Void, refused: (Int, Int32) -> Void
    ) throws {
        guard let operation = requests.first?.operation else { return }
        let first = sequence &+ 1
        sequence &+= UInt32(requests.count)
        var datagram: [UInt8] = []
        datagram.reserveCapacity(requests.reduce(0) { $0 + Netlink.align($1.bytes.count) })
        for (index, original) in requests.enumerated() {
            var request = original
            request.stamp(sequence: first &+ UInt32(index))
            datagram += request.bytes
            datagram += repeatElement(0, count: Netlink.align(request.bytes.count) - request.bytes.count)
        }
        try datagram.withUnsafeBytes { try transport.send($0) }
        let portID = transport.portID
        var answered = 0
        try receiveMessages(operation: operation, until: { answered == requests.count }) { message in
            let index = message.sequence &- first
            guard index < UInt32(requests.count), message.portID == 0 || message.portID == portID else { return true }
            switch message.type {
            case NetlinkMessageType.noop:
                return true
            case NetlinkMessageType.error:
                // Read as a single request's error is (extended ack included), but a
                // refusal is this request's alone: the batch goes on.
                do {
                    try Self.checkError(message, operation: operation)
                } catch let error as NetlinkError where error.kind == .kernel {
                    refused(Int(index), error.errno)
                }
                answered += 1
            case NetlinkMessageType.done:
                answered += 1
            default:
                try body(Int(index), message)
                if message.flags & NetlinkFlags.multi == 0 { answered += 1 }
            }
            return true
        }
    }

    /// Receives datagrams into the connection's buffer and walks their messages with
    /// `handle` (which returns false to stop walking the datagram) until `isOver` is true
    /// after one; an empty datagram is an error. Message offsets count from the first byte
    /// received, for error messages. With `dumpSequence` (a dump's), the datagrams after the
    /// first full one (`receiveAheadMinimum`) that does not end the exchange come from a
    /// ReceiveAhead thread.
    /// Inlined: each caller's `handle` then stays a literal closure the message walk can
    /// inline (not inlined, `routes -4` ran 10% slower).
    @inline(__always)
    private func receiveMessages(
        operation: String, dumpSequence: UInt32? = nil, until isOver: () -> Bool, _ handle: (NetlinkMessage) throws -> Bool
    ) throws {
        var streamOffset = 0
        var ahead: ReceiveAhead?
        defer { ahead?.stop() }
        var datagram = UnsafeRawBufferPointer(rebasing: buffer[0..<(try transport.receive(into: buffer))])
        while true {
            if datagram.isEmpty {
                throw NetlinkError.malformed(operation, "the socket returned an empty datagram", offset: streamOffset)
            }
            // A full datagram of a dump that goes on: the rest is received ahead.
            if ahead == nil, let dumpSequence, receiveAhead, datagram.count >= receiveAheadMinimum,
                !ReceiveAhead.endsExchange(datagram, sequence: dumpSequence, portID: transport.portID)
            {
                ahead = startReceiveAhead(sequence: dumpSequence)
            }
            try Netlink.forEachMessage(in: datagram, baseOffset: streamOffset, operation: operation, handle)
            streamOffset += datagram.count
            if isOver() { return }
            if let next = try ahead?.next() {
                datagram = next
            } else {
                // No thread, or it stopped: the rest is received here.
                ahead?.stop()
                ahead = nil
                datagram = UnsafeRawBufferPointer(rebasing: buffer[0..<(try transport.receive(into: buffer))])
            }
        }
    }

    private func startReceiveAhead(sequence: UInt32) -> ReceiveAhead? {
        let ring = self.ring ?? .allocate(byteCount: buffer.count * ReceiveAhead.slotCount, alignment: 8)
        self.ring = ring
        let ahead = ReceiveAhead(
            transport: transport, ring: ring, slotSize: buffer.count, sequence: sequence, portID: transport.portID)
        return ahead.start() ? ahead : nil
    }

    /// One send and the receive loop up to NLMSG_DONE / the final ack or reply.
    /// Returns whether any message carried NLM_F_DUMP_INTR.
    private func exchange(_ original: NetlinkRequest, _ body: (NetlinkMessage) throws -> Void) throws -> Bool {
        var request = original
        sequence &+= 1
        request.stamp(sequence: sequence)
        let expected = sequence
        let isDump = original.bytes.withUnsafeBytes {
            ($0.loadUnaligned(fromByteOffset: 6, as: UInt16.self) & NetlinkFlags.dump) == NetlinkFlags.dump
        }
        try request.bytes.withUnsafeBytes { try transport.send($0) }
        let portID = transport.portID
        var interrupted = false
        var finished = false
        try receiveMessages(operation: request.operation, dumpSequence: isDump ? expected : nil, until: { finished }) { message in
            // Replies to another request (a stale answer, or someone else's) are not ours.
            if message.sequence != expected || (message.portID != 0 && message.portID != portID) {
                return true
            }
            if message.flags & NetlinkFlags.dumpInterrupted != 0 { interrupted = true }
            switch message.type {
            case NetlinkMessageType.noop:
                return true
            case NetlinkMessageType.done:
                try Self.checkDone(message, operation: request.operation)
                finished = true
                return false
            case NetlinkMessageType.error:
                try Self.checkError(message, operation: request.operation)
                finished = true  // an ack (error 0)
                return false
            case NetlinkMessageType.overrun:
                throw NetlinkError.malformed(request.operation, "the kernel reported NLMSG_OVERRUN", offset: message.offset)
            default:
                if !interrupted { try body(message) }
                if !isDump && message.flags & NetlinkFlags.multi == 0 { finished = true; return false }
                return true
            }
        }
        return interrupted
    }

    /// NLMSG_DONE may carry an int error and, with NLM_F_ACK_TLVS, the extended ack.
    static func checkDone(_ message: NetlinkMessage, operation: String) throws {
        guard message.payload.count >= 4 else { return }
        let code = message.payload.loadUnaligned(as: Int32.self)
        guard code < 0 else { return }
        var text: String?
        var offset: Int?
        if message.flags & NetlinkFlags.ackTLVs != 0 {
            (text, offset) = try extendedAck(in: UnsafeRawBufferPointer(rebasing: message.payload[4...]), at: message.offset)
        }
        throw NetlinkError(kind: .kernel, operation: operation, errno: -code, message: text, offset: offset)
    }

    /// NLMSG_ERROR: struct nlmsgerr (int error + the request's header, plus its payload unless
    /// NLM_F_CAPPED), then the extended-ack attributes when NLM_F_ACK_TLVS is set.
    static func checkError(_ message: NetlinkMessage, operation: String) throws {
        let payload = message.payload
        guard payload.count >= 4 + Netlink.headerLength else {
            throw NetlinkError.malformed(
                operation, "NLMSG_ERROR with \(payload.count) payload bytes, struct nlmsgerr needs 20",
                offset: message.offset)
        }
        let code = payload.loadUnaligned(as: Int32.self)
        if code == 0 { return }
        var text: String?
        var offset: Int?
        if message.flags & NetlinkFlags.ackTLVs != 0 {
            var skip = 4 + Netlink.headerLength
            if message.flags & NetlinkFlags.capped == 0 {
                let echoedLength = Int(payload.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                skip = 4 + Netlink.align(max(echoedLength, Netlink.headerLength))
            }
            if skip <= payload.count {
                (text, offset) = try extendedAck(in: UnsafeRawBufferPointer(rebasing: payload[skip...]), at: message.offset)
            }
        }
        throw NetlinkError(kind: .kernel, operation: operation, errno: -code, message: text, offset: offset)
    }

    /// NLMSGERR_ATTR_MSG (1, string) and NLMSGERR_ATTR_OFFS (2, u32).
    static func extendedAck(in bytes: UnsafeRawBufferPointer, at offset: Int) throws -> (String?, Int?) {
        var cursor = AttributeCursor(bytes, baseOffset: offset)
        var text: String?
        var errorOffset: Int?
        while let attribute = try cursor.next() {
            switch attribute.type {
            case ExtendedAckAttribute.message: text = attribute.string()
            case ExtendedAckAttribute.offset: errorOffset = Int(try attribute.uint32())
            default: break
            }
        }
        return (text, errorOffset)
    }
}

/// NLMSGERR_ATTR_* of the extended ack after an error or NLMSG_DONE.
enum ExtendedAckAttribute {
    static let message: UInt16 = 1   // NLMSGERR_ATTR_MSG: the kernel's explanation (string)
    static let offset: UInt16 = 2    // NLMSGERR_ATTR_OFFS: byte offset of the rejected attribute (u32)
}
