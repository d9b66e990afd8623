import NetModel
import Netlink

/// Decodes sock_diag replies into `Socket` values.
public enum SockDiagDecoder {
    /// struct inet_diag_msg (72 bytes) and its attributes.
    /// Just the state and local port of an inet socket, read in place: for counting 100k
    /// sockets without building a Socket for each.
    @inline(__always)
    public static func inetStateAndPort(_ message: NetlinkMessage) throws -> (state: UInt8, localPort: UInt16) {
        let payload = message.payload
        guard payload.count >= 72 else {
            throw NetlinkError.malformed("inet_diag_msg", "\(payload.count) bytes, 72 needed", offset: message.offset)
        }
        return (payload[1], UInt16(bigEndian: payload.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
    }

    /// The socket's identity as the dump reported it (family and inet_diag_sockid: ports,
    /// addresses, interface, cookie), read in place: enough to ask for that socket alone.
    @inline(__always)
    public static func inetIdentity(_ message: NetlinkMessage) -> InetSocketIdentity {
        let payload = message.payload
        var identity = InetSocketIdentity(family: payload[0])
        withUnsafeMutableBytes(of: &identity.id) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: payload[4..<52])) }
        return identity
    }

    /// The three tcp_info fields the metrics histograms need, read in place: local port,
    /// tcpi_rtt (µs), tcpi_total_retrans, tcpi_delivery_rate (bytes/s; nil before kernel 4.9).
    /// nil when the message carries no INET_DIAG_INFO.
    @inline(__always)
    public static func tcpInfoSample(_ message: NetlinkMessage) throws -> (localPort: UInt16, rtt: UInt32, totalRetrans: UInt32, deliveryRate: UInt64?)? {
        let (_, port) = try inetStateAndPort(message)
        var cursor = AttributeCursor(UnsafeRawBufferPointer(rebasing: message.payload[72...]), baseOffset: message.offset + 72)
        while let attribute = try cursor.next() {
            guard attribute.rawType & Attribute.typeMask == InetDiagAttribute.info else { continue }
            let bytes = attribute.payload
            func u32(_ offset: Int) -> UInt32 { offset + 4 <= bytes.count ? bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : 0 }
            let rate: UInt64? = bytes.count >= 168 ? bytes.loadUnaligned(fromByteOffset: 160, as: UInt64.self) : nil
            return (port, u32(68), u32(100), rate)
        }
        return nil
    }

    public static func inet(_ message: NetlinkMessage, proto: SocketProtocol) throws -> Socket {
        let operation = "inet_diag_msg"
        var (header, cursor) = try message.split(headerSize: 72, operation: operation)
        let family = header[0]
        guard family == AddressFamily.inet.rawValue || family == AddressFamily.inet6.rawValue else {
            throw NetlinkError.malformed(operation, "address family \(family) in an inet socket", offset: message.offset)
        }
        let width = family == AddressFamily.inet.rawValue ? 4 : 16
        func address(_ offset: Int) -> IPAddress {
            let raw = UnsafeRawBufferPointer(rebasing: header[offset..<(offset + width)])
            return width == 4 ? .v4(raw[0], raw[1], raw[2], raw[3]) : .v6(bytes: raw)
        }
        var local = SocketEndpoint(address: address(8), port: UInt16(bigEndian: header.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
        let peer = SocketEndpoint(address: address(24), port: UInt16(bigEndian: header.loadUnaligned(fromByteOffset: 6, as: UInt16.self)))
        local.interfaceIndex = header.loadUnaligned(fromByteOffset: 40, as: UInt32.self)
        let state = SocketState(rawValue: header[1]) ?? .close
        var socket = Socket(
            proto: proto, family: AddressFamily(rawValue: family), state: state, local: local, peer: peer,
            receiveQueue: header.loadUnaligned(fromByteOffset: 56, as: UInt32.self),
            sendQueue: header.loadUnaligned(fromByteOffset: 60, as: UInt32.self),
            inode: UInt64(header.loadUnaligned(fromByteOffset: 68, as: UInt32.self)))
        socket.uid = header.loadUnaligned(fromByteOffset: 64, as: UInt32.self)
        socket.cookie = cookie(header, at: 44)
        let timer = header[2]
        if timer != 0 {
            socket.timer = SocketTimer(
                kind: timer, expiresMilliseconds: header.loadUnaligned(fromByteOffset: 52, as: UInt32.self),
                retransmits: header[3])
        }
        try NetlinkError.context("\(operation) inode \(socket.inode)") {
            var info: TCPInfo?
            var congestionControl: CongestionControlInfo?
            defer {
                if var info {
                    info.congestionControl = congestionControl
                    socket.tcpInfo = TCPInfoBox(info)
                }
            }
            while let attribute = try cursor.next() {
                switch attribute.type {
                case InetDiagAttribute.info: info = TCPInfoDecoder.decode(attribute.payload)
                case InetDiagAttribute.bbrInfo, InetDiagAttribute.dctcpInfo, InetDiagAttribute.vegasInfo:
                    congestionControl = try Self.congestionControl(attribute)
                case InetDiagAttribute.congestion: socket.congestion = attribute.string()
                case InetDiagAttribute.memoryInfo: socket.memory = try memory(attribute)
                case InetDiagAttribute.shutdown: socket.shutdown = try attribute.uint8()
                case InetDiagAttribute.v6Only: socket.v6Only = try attribute.uint8() != 0
                case InetDiagAttribute.mark: socket.mark = try attribute.uint32()
                case InetDiagAttribute.cgroupID: socket.cgroupID = try attribute.uint64()
                default: break
                }
            }
        }
        return socket
    }

    /// union tcp_cc_info, by the attribute that carries it. Too short a payload is an
    /// error with its offset, not a guess.
    static func congestionControl(_ attribute: Attribute) throws -> CongestionControlInfo {
        let payload = attribute.payload
        func u32(_ offset: Int) -> UInt32 { payload.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        func need(_ size: Int, _ name: String) throws {
            guard payload.count >= size else {
                throw NetlinkError.malformed(name, "\(payload.count) bytes, at least \(size) expected", offset: attribute.offset)
            }
        }
        switch attribute.type {
        case InetDiagAttribute.bbrInfo:
            try need(20, "tcp_bbr_info")
            return .bbr(bandwidth: UInt64(u32(4)) << 32 | UInt64(u32(0)), minRTT: u32(8), pacingGain: u32(12), cwndGain: u32(16))
        case InetDiagAttribute.dctcpInfo:
            try need(16, "tcp_dctcp_info")
            return .dctcp(
                enabled: payload.loadUnaligned(fromByteOffset: 0, as: UInt16.self) != 0,
                ceState: payload.loadUnaligned(fromByteOffset: 2, as: UInt16.self), alpha: u32(4), ackedBytesECN: u32(8), ackedBytesTotal: u32(12))
        default:
            try need(16, "tcpvegas_info")
            return .vegas(enabled: u32(0) != 0, rttCount: u32(4), rtt: u32(8), minRTT: u32(12))
        }
    }

    /// A socket cookie: two u32 halves (idiag_cookie[2] and friends), low half first.
    static func cookie(_ header: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(header.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            | UInt64(header.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)) << 32
    }

    /// The sk_meminfo u32 array; older kernels send fewer entries (missing ones stay 0).
    static func memory(_ attribute: Attribute) throws -> SocketMemory {
        let count = attribute.payload.count / 4
        guard count >= 4 else {
            throw NetlinkError.malformed("meminfo", "\(attribute.payload.count) bytes, at least 16 expected", offset: attribute.offset)
        }
        func value(_ index: Int) -> UInt32 { index < count ? attribute.payload.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self) : 0 }
        var memory = SocketMemory()
        memory.receiveAllocated = value(0)
        memory.receiveBuffer = value(1)
        memory.sendAllocated = value(2)
        memory.sendBuffer = value(3)
        memory.forwardAllocated = value(4)
        memory.sendQueued = value(5)
        memory.optionMemory = value(6)
        memory.backlog = value(7)
        memory.drops = value(8)
        return memory
    }
}

/// struct tcp_info, read by offset so any length works: an older kernel's shorter struct
/// leaves the later fields nil, a newer kernel's longer one has its extra fields ignored.
public enum TCPInfoDecoder {
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> TCPInfo {
        var info = TCPInfo()
        let count = bytes.count
        func u8(_ offset: Int) -> UInt8 { offset < count ? bytes[offset] : 0 }
        func u32(_ offset: Int) -> UInt32 { offset + 4 <= count ? bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : 0 }
        func u32o(_ offset: Int) -> UInt32? { offset + 4 <= count ? bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : nil }
        func u64o(_ offset: Int) -> UInt64? { offset + 8 <= count ? bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) : nil }
        info.state = u8(0)
        info.caState = u8(1)
        info.retransmits = u8(2)
        info.probes = u8(3)
        info.backoff = u8(4)
        info.options = u8(5)
        info.sendWindowScale = u8(6) & 0x0f
        info.receiveWindowScale = u8(6) >> 4
        info.deliveryRateAppLimited = u8(7) & 1 != 0
        info.rto = u32(8)
        info.ato = u32(12)
        info.sendMSS = u32(16)
        info.receiveMSS = u32(20)
        info.unacked = u32(24)
        info.sacked = u32(28)
        info.lost = u32(32)
        info.retrans = u32(36)
        info.lastDataSent = u32(44)
        info.lastAckSent = u32(48)
        info.lastDataReceived = u32(52)
        info.lastAckReceived = u32(56)
        info.pmtu = u32(60)
        info.receiveSsthresh = u32(64)
        info.rtt = u32(68)
        info.rttVariance = u32(72)
        info.sendSsthresh = u32(76)
        info.sendCwnd = u32(80)
        info.advmss = u32(84)
        info.reordering = u32(88)
        info.receiveRTT = u32(92)
        info.receiveSpace = u32(96)
        info.totalRetrans = u32(100)
        info.pacingRate = u64o(104)
        info.maxPacingRate = u64o(112)
        info.bytesAcked = u64o(120)
        info.bytesReceived = u64o(128)
        info.segmentsOut = u32o(136)
        info.segmentsIn = u32o(140)
        info.notsentBytes = u32o(144)
        info.minRTT = u32o(148)
        info.dataSegmentsIn = u32o(152)
        info.dataSegmentsOut = u32o(156)
        info.deliveryRate = u64o(160)
        info.busyTime = u64o(168)
        info.receiveWindowLimited = u64o(176)
        info.sendBufferLimited = u64o(184)
        info.delivered = u32o(192)
        info.deliveredCE = u32o(196)
        info.bytesSent = u64o(200)
        info.bytesRetrans = u64o(208)
        info.dsackDups = u32o(216)
        info.reorderSeen = u32o(220)
        info.receiveOutOfOrder = u32o(224)
        info.sendWindow = u32o(228)
        info.receiveWindow = u32o(232)
        return info
    }
}

/// One inet socket's identity, as sock_diag reports it: the family and the 48 bytes of
/// struct inet_diag_sockid (big-endian ports and addresses, interface, cookie).
public struct InetSocketIdentity: Sendable {
    public var family: UInt8
    public var id: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)

    public init(family: UInt8) { self.family = family }
}
