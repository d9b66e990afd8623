import CMnl
import CNetlinkHeaders
#if canImport(Glibc)
import Glibc
#endif

/// Where request bytes go and reply datagrams come from: a real socket, or a recording.
/// The seam that lets decoders and the dump loop be tested on captured bytes.
public protocol NetlinkTransport: AnyObject {
    /// Our netlink port id (nl_pid), checked against every reply.
    var portID: UInt32 { get }
    func send(_ bytes: UnsafeRawBufferPointer) throws
    /// Receives one datagram into `buffer`, returns its length.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Where multicast notifications come from: a subscribed socket, or a script of recorded
/// datagrams and overflows. The seam that lets the watcher be replay-tested, ENOBUFS included.
public protocol NotificationTransport: AnyObject {
    /// Waits up to `milliseconds` for a datagram; false on timeout or a signal.
    func waitReadable(milliseconds: Int32) -> Bool
    /// Receives one datagram; throws NetlinkError with errno ENOBUFS when the kernel dropped
    /// notifications because the receive buffer overflowed.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// How many notifications the kernel has dropped for this socket so far, when it can
    /// say (the socket's sk_drops); nil when unknown.
    func droppedNotifications() -> UInt64?
}

extension NotificationTransport {
    public func droppedNotifications() -> UInt64? { nil }
}

/// Recorded notifications, for tests: datagrams as the kernel sends them, and the points
/// where it reported an overflow (ENOBUFS).
public final class ScriptedNotifications: NotificationTransport {
    public enum Step: Sendable {
        case datagram([UInt8])
        case overflow
        /// An overflow in which the kernel dropped this many notifications (its sk_drops
        /// grows by that much).
        case lost(UInt64)
        /// Nothing more has arrived yet: the next wait times out (what was queued before is
        /// what a drain sees).
        case pause
    }

    private var steps: [Step]
    private var next = 0
    private var dropped: UInt64 = 0

    public init(_ steps: [Step]) { self.steps = steps }

    public var remaining: Int { steps.count - next }

    public func droppedNotifications() -> UInt64? { dropped }

    public func waitReadable(milliseconds: Int32) -> Bool {
        guard next < steps.count else { return false }
        if case .pause = steps[next] {
            next += 1
            return false
        }
        return true
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard next < steps.count else { throw NetlinkError.system("recvfrom(script)", errno: EAGAIN) }
        let step = steps[next]
        next += 1
        switch step {
        case .overflow:
            throw NetlinkError.system("recvfrom(netlink)", errno: ENOBUFS)
        case .lost(let count):
            dropped += count
            throw NetlinkError.system("recvfrom(netlink)", errno: ENOBUFS)
        case .pause:
            throw NetlinkError.system("recvfrom(script)", errno: EAGAIN)
        case .datagram(let bytes):
            guard bytes.count <= buffer.count else { throw NetlinkError.system("recvfrom(script)", errno: ENOSPC) }
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
            return bytes.count
        }
    }
}

/// Netlink protocol numbers (NETLINK_ROUTE, NETLINK_SOCK_DIAG).
public enum NetlinkProtocol: Int32, Sendable {
    case route = 0
    case sockDiag = 4
    /// NETLINK_GENERIC: families such as ethtool, resolved by name.
    case generic = 16
}

/// A netlink socket over libmnl (struct mnl_socket).
public final class NetlinkSocket: NetlinkTransport, NotificationTransport {
    private let handle: OpaquePointer
    public let portID: UInt32

    /// Opens and binds a socket of `protocol`, with the extended ack (NETLINK_EXT_ACK) and
    /// strict header checking (NETLINK_GET_STRICT_CHK) on, so the kernel tells us what it
    /// rejected and filters dumps by the header fields we set.
    public init(protocol netlinkProtocol: NetlinkProtocol) throws {
        guard let handle = mnl_socket_open2(netlinkProtocol.rawValue, Int32(SOCK_CLOEXEC.rawValue)) else {
            throw NetlinkError.system("socket(AF_NETLINK)", errno: errno)
        }
        self.handle = handle
        guard mnl_socket_bind(handle, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let code = errno
            mnl_socket_close(handle)
            throw NetlinkError.system("bind(AF_NETLINK)", errno: code)
        }
        portID = mnl_socket_get_portid(handle)
        var one: Int32 = 1
        // Older kernels lack these options; they only make errors clearer, so failure is fine.
        _ = mnl_socket_setsockopt(handle, NETLINK_EXT_ACK, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = mnl_socket_setsockopt(handle, NETLINK_GET_STRICT_CHK, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { mnl_socket_close(handle) }

    public var fileDescriptor: Int32 { mnl_socket_get_fd(handle) }

    /// NETLINK_ADD_MEMBERSHIP: receive a multicast group's notifications (RTNLGRP_*).
    public func subscribe(group: UInt32) throws {
        var value = group
        guard mnl_socket_setsockopt(handle, NETLINK_ADD_MEMBERSHIP, &value, socklen_t(MemoryLayout<UInt32>.size)) == 0 else {
            throw NetlinkError.system("subscribe to netlink group \(group)", errno: errno)
        }
    }

    /// Sets SO_RCVBUF: with CAP_NET_ADMIN via SO_RCVBUFFORCE (past net.core.rmem_max), else
    /// as far as rmem_max allows. Returns the size the kernel reports (it doubles the request).
    @discardableResult
    public func setReceiveBuffer(bytes: Int32) -> Int32 {
        var value = bytes
        let size = socklen_t(MemoryLayout<Int32>.size)
        if setsockopt(fileDescriptor, SOL_SOCKET, SO_RCVBUFFORCE, &value, size) != 0 {
            _ = setsockopt(fileDescriptor, SOL_SOCKET, SO_RCVBUF, &value, size)
        }
        var actual: Int32 = 0
        var length = size
        _ = getsockopt(fileDescriptor, SOL_SOCKET, SO_RCVBUF, &actual, &length)
        return actual
    }

    /// SO_MEMINFO's SK_MEMINFO_DROPS: the kernel counts every multicast message it could not
    /// queue for us (netlink_overrun), so this is the exact number lost since the socket was
    /// opened. A u32 in the kernel; nil when the option is missing (before Linux 4.12).
    public func droppedNotifications() -> UInt64? {
        var values = [UInt32](repeating: 0, count: Int(SK_MEMINFO_VARS))
        var length = socklen_t(values.count * 4)
        let result = values.withUnsafeMutableBytes { getsockopt(fileDescriptor, SOL_SOCKET, SO_MEMINFO, $0.baseAddress, &length) }
        guard result == 0, Int(length) > Int(SK_MEMINFO_DROPS) * 4 else { return nil }
        return UInt64(values[Int(SK_MEMINFO_DROPS)])
    }

    /// Waits until a datagram can be read or `milliseconds` pass; false on timeout or EINTR.
    public func waitReadable(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    public func send(_ bytes: UnsafeRawBufferPointer) throws {
        while true {
            let sent = mnl_socket_sendto(handle, bytes.baseAddress, bytes.count)
            if sent >= 0 { return }
            if errno == EINTR { continue }
            throw NetlinkError.system("sendto(netlink)", errno: errno)
        }
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let received = mnl_socket_recvfrom(handle, buffer.baseAddress, buffer.count)
            if received >= 0 { return received }
            let code = errno
            if code == EINTR { continue }
            if code == ENOSPC {
                // libmnl reports MSG_TRUNC as ENOSPC: the datagram did not fit the buffer.
                throw NetlinkError(
                    kind: .system, operation: "recvfrom(netlink)", errno: code,
                    message: "reply larger than the \(buffer.count)-byte receive buffer")
            }
            throw NetlinkError.system("recvfrom(netlink)", errno: code)
        }
    }
}
