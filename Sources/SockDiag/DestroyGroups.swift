import CNetlinkHeaders
import NetModel
import Netlink

/// The sock_diag multicast groups that announce destroyed sockets (enum sknetlink_groups in
/// linux/sock_diag.h). The kernel sends each member one SOCK_DIAG_BY_FAMILY message per
/// destroyed TCP or UDP socket of its own namespace, with the socket's final tcp_info;
/// joining needs no privilege (the family is NL_CFG_F_NONROOT_RECV).
public enum SockDiagDestroyGroup: UInt32, CaseIterable, Sendable {
    /// SKNLGRP_INET_TCP_DESTROY
    case tcp4 = 1
    /// SKNLGRP_INET_UDP_DESTROY
    case udp4 = 2
    /// SKNLGRP_INET6_TCP_DESTROY
    case tcp6 = 3
    /// SKNLGRP_INET6_UDP_DESTROY
    case udp6 = 4

    /// The groups that carry `proto` over `family` (nil: not announced, e.g. raw or SCTP).
    public static func group(proto: SocketProtocol, family: AddressFamily) -> SockDiagDestroyGroup? {
        switch (proto, family) {
        case (.tcp, .inet): return .tcp4
        case (.tcp, .inet6): return .tcp6
        case (.udp, .inet): return .udp4
        case (.udp, .inet6): return .udp6
        default: return nil
        }
    }
}

extension SockDiagDecoder {
    /// IPPROTO_TCP and IPPROTO_UDP, as INET_DIAG_PROTOCOL carries them.
    static let tcpProtocolNumber: UInt8 = 6
    static let udpProtocolNumber: UInt8 = 17

    /// A destroy notification: an inet_diag_msg whose protocol is in INET_DIAG_PROTOCOL
    /// rather than in the request (there was none). The kernel fills it from the socket's
    /// destructor: the state is the one at destruction (CLOSE for TCP, ESTABLISHED for connected UDP), inode and uid are 0 (the file is gone; uid is left out), and
    /// the queue fields may hold what a half-torn-down socket reports (a UDP write queue of
    /// -1), so queues that read as negative are zeroed.
    public static func destroyed(_ message: NetlinkMessage) throws -> Socket {
        let payload = message.payload
        guard payload.count >= 72 else {
            throw NetlinkError.malformed("inet_diag_msg", "\(payload.count) bytes, 72 needed", offset: message.offset)
        }
        var number: UInt8?
        var cursor = AttributeCursor(UnsafeRawBufferPointer(rebasing: payload[72...]), baseOffset: message.offset + 72)
        while number == nil, let attribute = try cursor.next() {
            if attribute.type == InetDiagAttribute.protocolNumber { number = try attribute.uint8() }
        }
        let proto: SocketProtocol
        switch number {
        case tcpProtocolNumber: proto = .tcp
        case udpProtocolNumber: proto = .udp
        case nil: throw NetlinkError.malformed("sock_diag destroy notification", "no INET_DIAG_PROTOCOL", offset: message.offset)
        case let other?: throw NetlinkError.malformed("sock_diag destroy notification", "protocol \(other) is not TCP or UDP", offset: message.offset)
        }
        var socket = try inet(message, proto: proto)
        socket.uid = nil
        if Int32(bitPattern: socket.receiveQueue) < 0 { socket.receiveQueue = 0 }
        if Int32(bitPattern: socket.sendQueue) < 0 { socket.sendQueue = 0 }
        return socket
    }
}

extension SockDiagDecoder {
    /// The cookie, state and local port of an inet socket, read in place: what the socket
    /// watcher diffs every dump by, without building a Socket for sockets it already knows.
    @inline(__always)
    public static func inetCookieStateAndPort(_ message: NetlinkMessage) throws -> (cookie: UInt64, state: UInt8, localPort: UInt16) {
        let payload = message.payload
        guard payload.count >= 72 else {
            throw NetlinkError.malformed("inet_diag_msg", "\(payload.count) bytes, 72 needed", offset: message.offset)
        }
        let cookie = cookie(UnsafeRawBufferPointer(rebasing: payload[0..<72]), at: 44)
        return (cookie, payload[1], UInt16(bigEndian: payload.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
    }
}
