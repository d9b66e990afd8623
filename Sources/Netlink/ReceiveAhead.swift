#if canImport(Glibc)
import Glibc
#endif

/// A second thread that receives a dump's datagrams while the caller walks the ones before.
///
/// Why: the kernel fills a dump's next datagram inside the receiver's recvmsg
/// (netlink_recvmsg calls netlink_dump once the queue has room), so on one thread the
/// kernel's half of a dump (walking its tables, filling messages) and ours (decoding,
/// rendering) take turns. Receiving on a thread of its own lets them overlap on a machine
/// with a second CPU: a dump costs the larger of the two instead of their sum.
///
/// The datagrams go through a ring of `slotCount` buffers in order; the caller releases a
/// slot by asking for the next one, so messages stay borrowed views, valid until then, as
/// with the connection's own buffer. The thread stops after the datagram that ends the
/// exchange (NLMSG_DONE, NLMSG_ERROR or NLMSG_OVERRUN for our sequence), or one it cannot
/// walk, or a receive error (handed to the caller in order), or when the caller cancels.
final class ReceiveAhead: @unchecked Sendable {
    /// Four datagrams in flight: enough that neither side waits on the other for long,
    /// few enough that the ring's touched pages (at most 4 × 32 KiB for dumps) stay small.
    static let slotCount = 4
    /// The receiving thread's stack: it runs the transport's receive and a header walk.
    static let stackSize = 256 * 1024

    private let transport: NetlinkTransport
    private let ring: UnsafeMutableRawBufferPointer
    private let slotSize: Int
    private let sequence: UInt32
    private let portID: UInt32
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var lengths = [Int](repeating: 0, count: slotCount)
    private var produced = 0
    private var consumed = 0
    private var producerDone = false
    private var cancelled = false
    private var failure: Error?
    // The caller's alone.
    private var holding = false
    private var thread = pthread_t()
    private var running = false

    /// `ring` must hold `slotCount` buffers of `slotSize` bytes; it stays the caller's.
    init(transport: NetlinkTransport, ring: UnsafeMutableRawBufferPointer, slotSize: Int, sequence: UInt32, portID: UInt32) {
        precondition(ring.count >= slotSize * Self.slotCount)
        self.transport = transport
        self.ring = ring
        self.slotSize = slotSize
        self.sequence = sequence
        self.portID = portID
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        stop()
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Starts the receiving thread; false when the system refuses a thread (the caller
    /// then receives on its own thread, as without this class).
    func start() -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, Self.stackSize)
        let unmanaged = Unmanaged.passRetained(self)
        let created = pthread_create(&thread, &attributes, { raw in
            Unmanaged<ReceiveAhead>.fromOpaque(raw!).takeRetainedValue().produce()
            return nil
        }, unmanaged.toOpaque())
        if created != 0 {
            unmanaged.release()
            return false
        }
        running = true
        return true
    }

    /// The next datagram in order, after releasing the one returned before; nil when the
    /// thread stopped without another (its last datagram ended the exchange, or it could
    /// not walk one): the caller then receives on its own. A receive error is thrown here,
    /// in its place in the stream.
    func next() throws -> UnsafeRawBufferPointer? {
        pthread_mutex_lock(mutex)
        if holding {
            consumed += 1
            holding = false
            pthread_cond_broadcast(changed)
        }
        while produced == consumed && !producerDone {
            pthread_cond_wait(changed, mutex)
        }
        if produced > consumed {
            let slot = consumed % Self.slotCount
            let length = lengths[slot]
            holding = true
            pthread_mutex_unlock(mutex)
            return UnsafeRawBufferPointer(rebasing: ring[slot * slotSize..<slot * slotSize + length])
        }
        let error = failure
        failure = nil
        pthread_mutex_unlock(mutex)
        if let error { throw error }
        return nil
    }

    /// Cancels the thread and waits for it. It may be inside a receive: a dump that has not
    /// ended always has another datagram coming, so that receive returns.
    func stop() {
        guard running else { return }
        running = false
        pthread_mutex_lock(mutex)
        cancelled = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        pthread_join(thread, nil)
    }

    private func produce() {
        while true {
            pthread_mutex_lock(mutex)
            while produced - consumed == Self.slotCount && !cancelled {
                pthread_cond_wait(changed, mutex)
            }
            let slot = produced % Self.slotCount
            let stopNow = cancelled
            pthread_mutex_unlock(mutex)
            if stopNow { break }

            let buffer = UnsafeMutableRawBufferPointer(rebasing: ring[slot * slotSize..<(slot + 1) * slotSize])
            let count: Int
            do {
                count = try transport.receive(into: buffer)
            } catch {
                pthread_mutex_lock(mutex)
                failure = error
                producerDone = true
                pthread_cond_broadcast(changed)
                pthread_mutex_unlock(mutex)
                return
            }
            let ends = Self.endsExchange(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), sequence: sequence, portID: portID)
            pthread_mutex_lock(mutex)
            lengths[slot] = count
            produced += 1
            if ends { producerDone = true }
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            if ends { return }
        }
        pthread_mutex_lock(mutex)
        producerDone = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Whether `datagram` is the last of an exchange: it holds NLMSG_DONE, NLMSG_ERROR or
    /// NLMSG_OVERRUN for `sequence` from the kernel (or our port), the messages the caller's
    /// walk finishes on. An empty datagram or one whose headers cannot be walked counts as
    /// the last too: the caller's walk reports it, and nothing after it is read ahead.
    static func endsExchange(_ datagram: UnsafeRawBufferPointer, sequence: UInt32, portID: UInt32) -> Bool {
        guard !datagram.isEmpty else { return true }
        var ends = false
        do {
            try Netlink.forEachMessage(in: datagram, operation: "read-ahead") { message in
                guard message.sequence == sequence, message.portID == 0 || message.portID == portID else { return true }
                switch message.type {
                case NetlinkMessageType.done, NetlinkMessageType.error, NetlinkMessageType.overrun:
                    ends = true
                    return false
                default:
                    return true
                }
            }
        } catch {
            return true
        }
        return ends
    }
}
