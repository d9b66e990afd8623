/// What kind of socket: the `Netid` column of ss.
public enum SocketProtocol: String, Sendable, Hashable, CaseIterable {
    case tcp, udp, raw, mptcp, sctp
    /// AF_UNIX SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET
    case unixStream = "u_str", unixDatagram = "u_dgr", unixSequential = "u_seq"
    /// AF_PACKET SOCK_RAW / SOCK_DGRAM
    case packetRaw = "p_raw", packetDatagram = "p_dgr"
    case netlink = "nl"

    /// ss's Netid text.
    public var netid: String { rawValue }

    public var isInet: Bool { [.tcp, .udp, .raw, .mptcp, .sctp].contains(self) }
    public var isUnix: Bool { [.unixStream, .unixDatagram, .unixSequential].contains(self) }
    public var isPacket: Bool { self == .packetRaw || self == .packetDatagram }
}

/// Socket states, numbered as the kernel numbers TCP states (include/net/tcp_states.h); UNIX,
/// UDP, packet and netlink sockets use the same numbers (CLOSE = unconnected).
public enum SocketState: UInt8, Sendable, Hashable, CaseIterable {
    case established = 1, synSent, synReceived, finWait1, finWait2, timeWait, close, closeWait, lastAck, listen,
        closing, newSynReceived

    /// The names ss prints.
    public var ssName: String {
        switch self {
        case .established: return "ESTAB"
        case .synSent: return "SYN-SENT"
        case .synReceived, .newSynReceived: return "SYN-RECV"
        case .finWait1: return "FIN-WAIT-1"
        case .finWait2: return "FIN-WAIT-2"
        case .timeWait: return "TIME-WAIT"
        case .close: return "UNCONN"
        case .closeWait: return "CLOSE-WAIT"
        case .lastAck: return "LAST-ACK"
        case .listen: return "LISTEN"
        case .closing: return "CLOSING"
        }
    }

    /// The names of ss's `state` filter.
    public var filterName: String {
        switch self {
        case .established: return "established"
        case .synSent: return "syn-sent"
        case .synReceived, .newSynReceived: return "syn-recv"
        case .finWait1: return "fin-wait-1"
        case .finWait2: return "fin-wait-2"
        case .timeWait: return "time-wait"
        case .close: return "closed"
        case .closeWait: return "close-wait"
        case .lastAck: return "last-ack"
        case .listen: return "listening"
        case .closing: return "closing"
        }
    }

    public var bit: UInt32 { 1 << UInt32(rawValue) }
}

/// A set of states as the kernel's idiag_states bitmask (bit n = state n).
public struct SocketStateSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ states: [SocketState]) { self.init(rawValue: states.reduce(0) { $0 | $1.bit }) }

    public func contains(_ state: SocketState) -> Bool { rawValue & state.bit != 0 }

    public static let all = SocketStateSet(SocketState.allCases)
    /// ss's "connected": everything but listening and closed. (ss's default view also leaves out
    /// TIME-WAIT and SYN-RECV: see `defaultView`.)
    public static let connected = SocketStateSet(rawValue: all.rawValue & ~(SocketState.listen.bit | SocketState.close.bit))
    public static let synchronized = SocketStateSet(rawValue: connected.rawValue & ~SocketState.synSent.bit)
    public static let bucket = SocketStateSet([.synReceived, .newSynReceived, .timeWait])
    public static let big = SocketStateSet(rawValue: all.rawValue & ~bucket.rawValue)
    /// What ss shows without -a or -l.
    public static let defaultView = SocketStateSet(
        rawValue: all.rawValue & ~(SocketState.listen.bit | SocketState.close.bit | SocketState.timeWait.bit
            | SocketState.synReceived.bit | SocketState.newSynReceived.bit))
    /// What ss shows with -l: listening sockets, and unconnected ones (UDP, raw, unix dgram).
    public static let listening = SocketStateSet([.listen, .close])

    /// ss's `state` names and groups, for parsing `state NAME`.
    public static func named(_ name: String) -> SocketStateSet? {
        switch name {
        case "all": return .all
        case "connected": return .connected
        case "synchronized": return .synchronized
        case "bucket": return .bucket
        case "big": return .big
        case "listen", "listening": return SocketStateSet([.listen])
        case "syn-recv", "syn-rcv": return SocketStateSet([.synReceived, .newSynReceived])
        case "close", "closed", "unconnected": return SocketStateSet([.close])
        default:
            return SocketState.allCases.first { $0.filterName == name }.map { SocketStateSet([$0]) }
        }
    }

    public static let names = ["all", "connected", "synchronized", "bucket", "big", "established", "syn-sent",
                               "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait", "closed", "close-wait",
                               "last-ack", "listening", "closing"]
}

/// One end of a socket.
public struct SocketEndpoint: Hashable, Sendable {
    /// inet: the address and port (port 0 with a wildcard address prints as `*`).
    public var address: IPAddress?
    public var port: UInt16 = 0
    /// inet: the device the socket is bound to (idiag_if), 0 for none.
    public var interfaceIndex: UInt32 = 0
    /// unix: the path ("@name" for abstract names); nil when unbound.
    public var path: String?
    /// unix: the socket's inode (local) or its peer's (peer); packet/netlink: the inode.
    public var inode: UInt64 = 0
    /// netlink: the port id; packet: the protocol (ETH_P_*).
    public var number: UInt32 = 0

    public init(address: IPAddress? = nil, port: UInt16 = 0) {
        self.address = address
        self.port = port
    }
}

/// idiag_timer and friends: which timer is pending and when it fires.
public struct SocketTimer: Hashable, Sendable {
    /// 1 retransmit ("on"), 2 keepalive, 3 TIME-WAIT, 4 zero-window probe; ss's names.
    public var kind: UInt8
    public var expiresMilliseconds: UInt32
    public var retransmits: UInt8

    public init(kind: UInt8, expiresMilliseconds: UInt32, retransmits: UInt8) {
        self.kind = kind
        self.expiresMilliseconds = expiresMilliseconds
        self.retransmits = retransmits
    }

    public var name: String {
        switch kind {
        case 1: return "on"
        case 2: return "keepalive"
        case 3: return "timewait"
        case 4: return "persist"
        default: return "unknown"
        }
    }
}

/// INET_DIAG_SKMEMINFO / UNIX_DIAG_MEMINFO / PACKET_DIAG_MEMINFO: the sk_meminfo array.
public struct SocketMemory: Hashable, Sendable {
    public var receiveAllocated: UInt32 = 0   // SK_MEMINFO_RMEM_ALLOC
    public var receiveBuffer: UInt32 = 0      // SK_MEMINFO_RCVBUF
    public var sendAllocated: UInt32 = 0      // SK_MEMINFO_WMEM_ALLOC
    public var sendBuffer: UInt32 = 0         // SK_MEMINFO_SNDBUF
    public var forwardAllocated: UInt32 = 0   // SK_MEMINFO_FWD_ALLOC
    public var sendQueued: UInt32 = 0         // SK_MEMINFO_WMEM_QUEUED
    public var optionMemory: UInt32 = 0       // SK_MEMINFO_OPTMEM
    public var backlog: UInt32 = 0            // SK_MEMINFO_BACKLOG
    public var drops: UInt32 = 0              // SK_MEMINFO_DROPS

    public init() {}
}

/// A process holding a socket open (from /proc/PID/fd).
public struct SocketOwner: Hashable, Sendable {
    public var pid: Int32
    public var command: String
    public var fd: Int32

    public init(pid: Int32, command: String, fd: Int32) {
        self.pid = pid
        self.command = command
        self.fd = fd
    }
}

/// Which processes hold which sockets (by inode), in a few flat arrays: `sockets -p` at 100k
/// connections held 100k small arrays of owners (one allocation each, about 85 bytes a
/// socket); this holds about 32 bytes a socket, and each process's command once.
public struct SocketOwnerMap: Sendable {
    private struct Entry: Sendable {
        var pid: Int32
        var fd: Int32
        var command: Int32
        /// The next owner of the same inode, or -1.
        var next: Int32
    }

    /// inode → its first entry; later owners are chained in the order they were added.
    private var first: [UInt64: Int32] = [:]
    private var last: [Int32] = []
    private var entries: [Entry] = []
    private var commands: [String] = []

    public init() {}

    public var isEmpty: Bool { first.isEmpty }

    /// Adds a process (its command, shared by all its sockets); returns its handle.
    public mutating func addProcess(command: String) -> Int32 {
        commands.append(command)
        return Int32(commands.count - 1)
    }

    /// Adds one holder of `inode`: file descriptor `fd` of process `pid` (whose command was
    /// added with `addProcess`).
    public mutating func add(inode: UInt64, pid: Int32, fd: Int32, process: Int32) {
        let index = Int32(entries.count)
        entries.append(Entry(pid: pid, fd: fd, command: process, next: -1))
        if let head = first[inode] {
            // The chain's tail is kept beside each head, so appending stays O(1).
            let tail = last[Int(head)]
            entries[Int(tail)].next = index
            last[Int(head)] = index
        } else {
            first[inode] = index
        }
        last.append(index)
    }

    /// The inodes whose holders `-p` shows for `socket`: its own, and a unix socket's peer's
    /// (who holds the other end).
    public static func inodes(of socket: Socket, into wanted: inout Set<UInt64>) {
        wanted.insert(socket.inode)
        if socket.proto.isUnix && socket.peer.inode != 0 { wanted.insert(socket.peer.inode) }
    }

    /// Sets `socket`'s owners, and a unix socket's peer's, from this map.
    public func fill(_ socket: inout Socket) {
        socket.owners = self[socket.inode] ?? []
        if socket.proto.isUnix, socket.peer.inode != 0 { socket.peerOwners = self[socket.peer.inode] ?? [] }
    }

    /// The holders of `inode` in the order they were found, or nil when none is known.
    public subscript(inode: UInt64) -> [SocketOwner]? {
        guard var index = first[inode] else { return nil }
        var owners: [SocketOwner] = []
        while index >= 0 {
            let entry = entries[Int(index)]
            owners.append(SocketOwner(pid: entry.pid, command: commands[Int(entry.command)], fd: entry.fd))
            index = entry.next
        }
        return owners
    }
}

/// One socket, from sock_diag or the /proc/net tables.
public struct Socket: Hashable, Sendable {
    public var proto: SocketProtocol
    /// AF_INET / AF_INET6 for inet sockets; AF_UNIX, AF_PACKET, AF_NETLINK otherwise.
    public var family: AddressFamily
    public var state: SocketState
    public var local: SocketEndpoint
    public var peer: SocketEndpoint
    /// Recv-Q / Send-Q; for listeners the accept queue length and the backlog limit.
    public var receiveQueue: UInt32
    public var sendQueue: UInt32
    public var uid: UInt32?
    public var inode: UInt64
    public var cookie: UInt64?
    public var timer: SocketTimer?
    public var memory: SocketMemory?
    /// INET_DIAG_INFO (tcp_info); boxed, because most listings do not ask for it.
    public var tcpInfo: TCPInfoBox?
    /// INET_DIAG_CONG
    public var congestion: String?
    /// INET_DIAG_CGROUP_ID
    public var cgroupID: UInt64?
    /// INET_DIAG_MARK (the kernel sends it only to CAP_NET_ADMIN)
    public var mark: UInt32?
    /// INET_DIAG_SHUTDOWN / UNIX_DIAG_SHUTDOWN: bit 0 receive side, bit 1 send side.
    public var shutdown: UInt8?
    /// INET_DIAG_SKV6ONLY
    public var v6Only: Bool?
    /// -p: the processes holding it.
    public var owners: [SocketOwner] = []
    /// -p, unix sockets: the processes holding the peer socket.
    public var peerOwners: [SocketOwner] = []

    public init(proto: SocketProtocol, family: AddressFamily, state: SocketState, local: SocketEndpoint, peer: SocketEndpoint,
                receiveQueue: UInt32, sendQueue: UInt32, inode: UInt64) {
        self.proto = proto
        self.family = family
        self.state = state
        self.local = local
        self.peer = peer
        self.receiveQueue = receiveQueue
        self.sendQueue = sendQueue
        self.inode = inode
    }
}

/// A reference box so the large tcp_info does not make every `Socket` large.
public final class TCPInfoBox: Hashable, @unchecked Sendable {
    public let value: TCPInfo
    public init(_ value: TCPInfo) { self.value = value }
    public static func == (a: TCPInfoBox, b: TCPInfoBox) -> Bool { a.value == b.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// struct tcp_info, the fields ss -i shows. Fields the kernel did not send (an older kernel's
/// shorter struct) are nil.
public struct TCPInfo: Hashable, Sendable {
    public var state: UInt8 = 0
    public var caState: UInt8 = 0
    public var retransmits: UInt8 = 0
    public var probes: UInt8 = 0
    public var backoff: UInt8 = 0
    public var options: UInt8 = 0
    /// The low nibble of the wscale byte is snd_wscale, the high nibble rcv_wscale.
    public var sendWindowScale: UInt8 = 0
    public var receiveWindowScale: UInt8 = 0
    public var deliveryRateAppLimited = false
    public var rto: UInt32 = 0           // µs
    public var ato: UInt32 = 0           // µs
    public var sendMSS: UInt32 = 0
    public var receiveMSS: UInt32 = 0
    public var unacked: UInt32 = 0
    public var sacked: UInt32 = 0
    public var lost: UInt32 = 0
    public var retrans: UInt32 = 0
    public var lastDataSent: UInt32 = 0  // ms ago
    public var lastAckSent: UInt32 = 0
    public var lastDataReceived: UInt32 = 0
    public var lastAckReceived: UInt32 = 0
    public var pmtu: UInt32 = 0
    public var receiveSsthresh: UInt32 = 0
    public var rtt: UInt32 = 0           // µs
    public var rttVariance: UInt32 = 0   // µs
    public var sendSsthresh: UInt32 = 0
    public var sendCwnd: UInt32 = 0
    public var advmss: UInt32 = 0
    public var reordering: UInt32 = 0
    public var receiveRTT: UInt32 = 0
    public var receiveSpace: UInt32 = 0
    public var totalRetrans: UInt32 = 0
    public var pacingRate: UInt64? = nil        // bytes/s
    public var maxPacingRate: UInt64? = nil
    public var bytesAcked: UInt64? = nil
    public var bytesReceived: UInt64? = nil
    public var segmentsOut: UInt32? = nil
    public var segmentsIn: UInt32? = nil
    public var notsentBytes: UInt32? = nil
    public var minRTT: UInt32? = nil            // µs
    public var dataSegmentsIn: UInt32? = nil
    public var dataSegmentsOut: UInt32? = nil
    public var deliveryRate: UInt64? = nil      // bytes/s
    public var busyTime: UInt64? = nil          // µs
    public var receiveWindowLimited: UInt64? = nil
    public var sendBufferLimited: UInt64? = nil
    public var delivered: UInt32? = nil
    public var deliveredCE: UInt32? = nil
    public var bytesSent: UInt64? = nil
    public var bytesRetrans: UInt64? = nil
    public var dsackDups: UInt32? = nil
    public var reorderSeen: UInt32? = nil
    public var receiveOutOfOrder: UInt32? = nil
    public var sendWindow: UInt32? = nil
    public var receiveWindow: UInt32? = nil
    /// The congestion control's own state, when it reports one (union tcp_cc_info).
    public var congestionControl: CongestionControlInfo? = nil

    public init() {}
}

/// What a congestion control module reports of itself (its get_info), as `ss -i` prints it.
public enum CongestionControlInfo: Hashable, Sendable {
    /// struct tcp_bbr_info: bandwidth estimate (bytes/s), min RTT (µs), gains (<< 8).
    case bbr(bandwidth: UInt64, minRTT: UInt32, pacingGain: UInt32, cwndGain: UInt32)
    /// struct tcp_dctcp_info: disabled means dctcp fell back to Reno (no ECN).
    case dctcp(enabled: Bool, ceState: UInt16, alpha: UInt32, ackedBytesECN: UInt32, ackedBytesTotal: UInt32)
    /// struct tcpvegas_info: Vegas's (and Westwood's) RTT samples, µs.
    case vegas(enabled: Bool, rttCount: UInt32, rtt: UInt32, minRTT: UInt32)
}
