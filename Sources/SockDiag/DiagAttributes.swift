/// sock_diag attribute types and header values, named (linux/inet_diag.h, unix_diag.h,
/// packet_diag.h, netlink_diag.h). The numbers are uapi and never change.
enum InetDiagAttribute {
    static let info: UInt16 = 2            // INET_DIAG_INFO (struct tcp_info)
    static let congestion: UInt16 = 4      // INET_DIAG_CONG
    static let vegasInfo: UInt16 = 3       // INET_DIAG_VEGASINFO (struct tcpvegas_info)
    static let dctcpInfo: UInt16 = 9       // INET_DIAG_DCTCPINFO (struct tcp_dctcp_info)
    static let bbrInfo: UInt16 = 16        // INET_DIAG_BBRINFO (struct tcp_bbr_info)
    static let memoryInfo: UInt16 = 7      // INET_DIAG_SKMEMINFO
    static let shutdown: UInt16 = 8        // INET_DIAG_SHUTDOWN
    static let v6Only: UInt16 = 11         // INET_DIAG_SKV6ONLY
    static let protocolNumber: UInt16 = 10 // INET_DIAG_PROTOCOL (u8; sent with destroy notifications)
    static let mark: UInt16 = 15           // INET_DIAG_MARK
    static let cgroupID: UInt16 = 21       // INET_DIAG_CGROUP_ID
}

/// INET_DIAG_REQ_* attributes of an inet_diag request.
enum DiagRequestAttribute {
    static let bytecode: UInt16 = 1        // INET_DIAG_REQ_BYTECODE
    static let proto: UInt16 = 3           // INET_DIAG_REQ_PROTOCOL (for protocols past 255: MPTCP)
    /// NDIAG_PROTO_ALL ((__u8) ~0, a macro Swift cannot import): every netlink protocol.
    static let allNetlinkProtocols: UInt8 = 255
}

enum UnixDiagAttribute {
    static let name: UInt16 = 0            // UNIX_DIAG_NAME
    static let peer: UInt16 = 2            // UNIX_DIAG_PEER
    static let receiveQueueLength: UInt16 = 4  // UNIX_DIAG_RQLEN
    static let memoryInfo: UInt16 = 5      // UNIX_DIAG_MEMINFO
    static let shutdown: UInt16 = 6        // UNIX_DIAG_SHUTDOWN
    static let uid: UInt16 = 7             // UNIX_DIAG_UID
}

enum PacketDiagAttribute {
    static let info: UInt16 = 0            // PACKET_DIAG_INFO (struct packet_diag_info: pdi_index first)
    static let uid: UInt16 = 5             // PACKET_DIAG_UID
    static let memoryInfo: UInt16 = 6      // PACKET_DIAG_MEMINFO
}

enum NetlinkDiagAttribute {
    static let memoryInfo: UInt16 = 0      // NETLINK_DIAG_MEMINFO
}

/// Socket types (SOCK_*) as unix_diag and packet_diag report them.
enum SocketType {
    static let stream: UInt8 = 1           // SOCK_STREAM
    static let datagram: UInt8 = 2         // SOCK_DGRAM
    static let sequentialPacket: UInt8 = 5 // SOCK_SEQPACKET
}
