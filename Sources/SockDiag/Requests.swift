import CMnl
import CNetlinkHeaders
import NetModel
import Netlink

/// sock_diag requests (NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY).
public enum SockDiagRequests {
    /// SOCK_DIAG_BY_FAMILY
    public static let messageType: UInt16 = 20

    /// inet_diag extensions (idiag_ext bits: 1 << (INET_DIAG_x - 1)).
    public struct Extensions: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// INET_DIAG_MEMINFO
        public static let memInfo = Extensions(rawValue: 1 << 0)
        /// INET_DIAG_INFO (tcp_info)
        public static let info = Extensions(rawValue: 1 << 1)
        /// INET_DIAG_CONG
        public static let congestion = Extensions(rawValue: 1 << 3)
        /// INET_DIAG_VEGASINFO: the congestion control's get_info. BBR and DCTCP answer this
        /// bit too (their own INET_DIAG_BBRINFO/DCTCPINFO bits do not fit idiag_ext's u8),
        /// as ss asks for them.
        public static let congestionInfo = Extensions(rawValue: 1 << 2)
        /// INET_DIAG_TOS
        public static let tos = Extensions(rawValue: 1 << 4)
        /// INET_DIAG_SKMEMINFO
        public static let skMemInfo = Extensions(rawValue: 1 << 6)
        /// INET_DIAG_SHUTDOWN
        public static let shutdown = Extensions(rawValue: 1 << 7)
    }

    /// IPPROTO_* numbers for inet_diag.
    public static func ipProtocol(_ proto: SocketProtocol) -> UInt32 {
        switch proto {
        case .tcp: return 6
        case .udp: return 17
        case .raw: return 255
        case .sctp: return 132
        case .mptcp: return 262
        default: return 0
        }
    }

    /// A dump of one inet family and protocol. `bytecode` (INET_DIAG_REQ_BYTECODE) makes the
    /// kernel filter. MPTCP's protocol number does not fit the u8 field, so it goes in
    /// INET_DIAG_REQ_PROTOCOL; RAW sets sdiag_raw_protocol to IPPROTO_RAW to get every raw socket.
    public static func inet(
        family: AddressFamily, proto: SocketProtocol, states: SocketStateSet, extensions: Extensions, bytecode: [UInt8]?
    ) -> NetlinkRequest {
        var header = inet_diag_req_v2()
        header.sdiag_family = family.rawValue
        let number = ipProtocol(proto)
        header.sdiag_protocol = number > 255 ? 0 : UInt8(number)
        header.idiag_ext = extensions.rawValue
        header.idiag_states = states.rawValue
        if proto == .raw { header.pad = 255 }
        let name = "\(proto.rawValue)\(family == .inet6 ? "6" : "") sock_diag dump"
        return NetlinkRequest(type: messageType, flags: NetlinkFlags.dump, header: header, operation: name) { nlh in
            if let bytecode, !bytecode.isEmpty {
                bytecode.withUnsafeBytes { raw in
                    mnl_attr_put(nlh, DiagRequestAttribute.bytecode, raw.count, raw.baseAddress)
                }
            }
            if number > 255 { mnl_attr_put_u32(nlh, DiagRequestAttribute.proto, number) }
        }
    }

    /// One socket asked for by its identity instead of dumped: the kernel finds it with one
    /// hash lookup (inet_diag_find_one_icsk) and answers with its inet_diag_msg, or ENOENT
    /// once it is gone. The cookie in the identity keeps a reused 4-tuple from answering.
    public static func inetOne(_ identity: InetSocketIdentity, proto: SocketProtocol, extensions: Extensions) -> NetlinkRequest {
        var header = inet_diag_req_v2()
        header.sdiag_family = identity.family
        header.sdiag_protocol = UInt8(truncatingIfNeeded: ipProtocol(proto))
        header.idiag_ext = extensions.rawValue
        header.idiag_states = SocketStateSet.all.rawValue
        var id = identity.id
        withUnsafeMutableBytes(of: &header.id) { target in
            withUnsafeBytes(of: &id) { target.copyMemory(from: $0) }
        }
        return NetlinkRequest(type: messageType, flags: 0, header: header, operation: "\(proto.rawValue) sock_diag lookup")
    }

    /// TCPDIAG_GETSOCK: the original inet_diag request, which the kernel still answers. Its
    /// dump asks for AF_UNSPEC (inet_diag_dump_compat), so IPv4 and IPv6 sockets come from one
    /// walk of the TCP hash tables instead of one per family. Those tables are shared by every
    /// namespace, so each walk costs as many sockets as the whole host has; halving the walks
    /// halves what `sockets -t --all-netns` costs the kernel. Replies are ordinary
    /// inet_diag_msg, in hash order (the families interleave).
    public static let compatTCPMessageType: UInt16 = 18

    public static func tcpBothFamilies(states: SocketStateSet, extensions: Extensions, bytecode: [UInt8]?) -> NetlinkRequest {
        var header = inet_diag_req()
        header.idiag_family = AddressFamily.inet.rawValue  // ignored by the dump: it asks for AF_UNSPEC
        header.idiag_ext = extensions.rawValue
        header.idiag_states = states.rawValue
        return NetlinkRequest(type: compatTCPMessageType, flags: NetlinkFlags.dump, header: header, operation: "tcp sock_diag dump (both families)") { nlh in
            if let bytecode, !bytecode.isEmpty {
                bytecode.withUnsafeBytes { raw in
                    mnl_attr_put(nlh, DiagRequestAttribute.bytecode, raw.count, raw.baseAddress)
                }
            }
        }
    }

    /// unix_diag: name, VFS, peer, pending connections, queue lengths, memory, uid.
    public static func unix(states: SocketStateSet, memory: Bool) -> NetlinkRequest {
        var header = unix_diag_req()
        header.sdiag_family = AddressFamily.unix.rawValue
        header.udiag_states = states.rawValue
        header.udiag_show = UInt32(UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID)
            | (memory ? UInt32(UDIAG_SHOW_MEMINFO) : 0)
        return NetlinkRequest(type: messageType, flags: NetlinkFlags.dump, header: header, operation: "unix sock_diag dump")
    }

    /// packet_diag: PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO (uid comes with both).
    public static func packet() -> NetlinkRequest {
        var header = packet_diag_req()
        header.sdiag_family = AddressFamily.packet.rawValue
        header.pdiag_show = UInt32(PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO)
        return NetlinkRequest(type: messageType, flags: NetlinkFlags.dump, header: header, operation: "packet sock_diag dump")
    }

    /// netlink_diag over every netlink protocol (NDIAG_PROTO_ALL), with memory and groups.
    public static func netlink() -> NetlinkRequest {
        var header = netlink_diag_req()
        header.sdiag_family = AddressFamily.netlink.rawValue
        header.sdiag_protocol = DiagRequestAttribute.allNetlinkProtocols
        header.ndiag_show = UInt32(NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS)
        return NetlinkRequest(type: messageType, flags: NetlinkFlags.dump, header: header, operation: "netlink sock_diag dump")
    }
}
