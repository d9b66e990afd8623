import NetModel

/// One row of /proc/net/{tcp,tcp6,udp,udp6,raw,raw6}: the socket-table fallback when
/// sock_diag is not available.
public struct ProcInetSocket: Hashable, Sendable {
    public var local: IPAddress
    public var localPort: UInt16
    public var remote: IPAddress
    public var remotePort: UInt16
    /// The kernel's TCP state number (TCP_ESTABLISHED = 1 … TCP_NEW_SYN_RECV = 12); for UDP
    /// 7 (CLOSE) or 1 (connected); for RAW the protocol state likewise.
    public var state: UInt8
    public var txQueue: UInt32
    public var rxQueue: UInt32
    /// tr: 0 none, 1 retransmit/probe, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe.
    public var timer: UInt8
    /// tm->when: jiffies until the timer fires.
    public var timerExpires: UInt64
    public var retransmits: UInt64
    public var uid: UInt32
    public var timeouts: UInt64
    public var inode: UInt64
    /// What follows the inode (refcount, socket pointer, and for UDP/RAW drops), unparsed.
    public var rest: [String]
}

/// One row of /proc/net/unix.
public struct ProcUnixSocket: Hashable, Sendable {
    public var refCount: UInt32
    /// Flags: __SO_ACCEPTCON (0x10000) marks a listening socket.
    public var flags: UInt32
    /// SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5.
    public var type: UInt16
    /// SS_UNCONNECTED 1, SS_CONNECTING 2, SS_CONNECTED 3, SS_DISCONNECTING 4.
    public var state: UInt8
    public var inode: UInt64
    /// The bound path; abstract names start with "@"; nil when unbound.
    public var path: String?

    public var isListening: Bool { flags & 0x10000 != 0 }
}

public enum SocketTableParser {
    /// Parses /proc/net/tcp-style tables, IPv4 or IPv6 (told apart by the address width).
    public static func parseInet(_ text: String, file: String) throws -> [ProcInetSocket] {
        let lines = try Text.lines(text, file: file)
        guard let header = lines.first, Text.fields(header).first == "sl" else {
            throw ProcNetError(file: file, line: 1, problem: "missing the \"sl local_address …\" header")
        }
        var result: [ProcInetSocket] = []
        result.reserveCapacity(lines.count - 1)
        for index in 1..<lines.count {
            let fields = Text.fields(lines[index])
            if fields.isEmpty { continue }
            let number = index + 1
            guard fields.count >= 10 else {
                throw ProcNetError(file: file, line: number, problem: "\(fields.count) columns, at least 10 expected")
            }
            func fail(_ what: String, _ field: Substring) -> ProcNetError {
                ProcNetError(file: file, line: number, problem: "\(what) \(Text.quoted(field)) is malformed")
            }
            guard let (local, localPort) = endpoint(fields[1]) else { throw fail("local address", fields[1]) }
            guard let (remote, remotePort) = endpoint(fields[2]) else { throw fail("remote address", fields[2]) }
            guard local.family == remote.family else { throw fail("address pair", fields[1]) }
            guard let state = UInt8(fields[3], radix: 16) else { throw fail("state", fields[3]) }
            let queues = fields[4].split(separator: ":")
            guard queues.count == 2, let tx = UInt32(queues[0], radix: 16), let rx = UInt32(queues[1], radix: 16) else {
                throw fail("tx_queue:rx_queue", fields[4])
            }
            let timer = fields[5].split(separator: ":")
            guard timer.count == 2, let active = UInt8(timer[0], radix: 16), let expires = UInt64(timer[1], radix: 16) else {
                throw fail("tr:tm->when", fields[5])
            }
            guard let retransmits = UInt64(fields[6], radix: 16) else { throw fail("retrnsmt", fields[6]) }
            guard let uid = UInt32(fields[7]) else { throw fail("uid", fields[7]) }
            guard let timeouts = UInt64(fields[8]) else { throw fail("timeout", fields[8]) }
            guard let inode = UInt64(fields[9]) else { throw fail("inode", fields[9]) }
            result.append(ProcInetSocket(
                local: local, localPort: localPort, remote: remote, remotePort: remotePort, state: state,
                txQueue: tx, rxQueue: rx, timer: active, timerExpires: expires, retransmits: retransmits, uid: uid,
                timeouts: timeouts, inode: inode, rest: fields[10...].map(String.init)))
        }
        return result
    }

    /// "0100007F:0016" or 32 hex digits + ":" + port. The kernel prints each 32-bit word of
    /// the network-order address as a host-order integer, so the bytes are that integer's
    /// in-memory bytes.
    static func endpoint(_ field: Substring) -> (IPAddress, UInt16)? {
        let parts = field.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1], radix: 16) else { return nil }
        let hex = parts[0]
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var start = hex.startIndex
        while start < hex.endIndex {
            let end = hex.index(start, offsetBy: 8)
            guard let word = UInt32(hex[start..<end], radix: 16) else { return nil }
            withUnsafeBytes(of: word) { bytes.append(contentsOf: $0) }
            start = end
        }
        guard let address = IPAddress(bytes: bytes) else { return nil }
        return (address, port)
    }

    /// Parses /proc/net/unix. The path is everything after the inode, spaces included.
    public static func parseUnix(_ text: String, file: String = "/proc/net/unix") throws -> [ProcUnixSocket] {
        let lines = try Text.lines(text, file: file)
        guard let header = lines.first, Text.fields(header).first == "Num" else {
            throw ProcNetError(file: file, line: 1, problem: "missing the \"Num RefCount …\" header")
        }
        var result: [ProcUnixSocket] = []
        result.reserveCapacity(lines.count - 1)
        for index in 1..<lines.count {
            let line = lines[index]
            let fields = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: true)
            if fields.isEmpty { continue }
            let number = index + 1
            guard fields.count >= 7, fields[0].hasSuffix(":") else {
                throw ProcNetError(file: file, line: number, problem: "expected 7 or 8 columns, found \(Text.quoted(line))")
            }
            guard let refs = UInt32(fields[1], radix: 16), let flags = UInt32(fields[3], radix: 16),
                let type = UInt16(fields[4], radix: 16), let state = UInt8(fields[5], radix: 16),
                let inode = UInt64(fields[6])
            else {
                throw ProcNetError(file: file, line: number, problem: "a numeric column is malformed in \(Text.quoted(line))")
            }
            result.append(ProcUnixSocket(
                refCount: refs, flags: flags, type: type, state: state, inode: inode,
                path: fields.count > 7 ? String(fields[7]) : nil))
        }
        return result
    }
}
