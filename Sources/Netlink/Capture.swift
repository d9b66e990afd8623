#if canImport(Glibc)
import Glibc
#endif

/// The `--dump-raw` file format: the magic "NSNLCAP1", then one record per received
/// datagram: a little-endian UInt32 length and the datagram's bytes, unchanged.
public enum CaptureFormat {
    public static let magic: [UInt8] = Array("NSNLCAP1".utf8)

    /// Splits a capture file into datagrams. Throws `.malformed` naming the offset of a
    /// bad record.
    public static func datagrams(in file: [UInt8]) throws -> [[UInt8]] {
        guard file.count >= magic.count, Array(file[0..<magic.count]) == magic else {
            throw NetlinkError.malformed("capture file", "missing NSNLCAP1 magic", offset: 0)
        }
        var result: [[UInt8]] = []
        var position = magic.count
        while position < file.count {
            guard file.count - position >= 4 else {
                throw NetlinkError.malformed("capture file", "truncated record length", offset: position)
            }
            let length = file.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: position, as: UInt32.self).littleEndian) }
            position += 4
            guard length <= file.count - position else {
                throw NetlinkError.malformed(
                    "capture file", "record of \(length) bytes but \(file.count - position) remain", offset: position - 4)
            }
            result.append(Array(file[position..<(position + length)]))
            position += length
        }
        return result
    }
}

/// Appends every datagram a transport receives to a capture file (`--dump-raw FILE`).
public final class CapturingTransport: NetlinkTransport {
    private let inner: NetlinkTransport
    private let fd: Int32
    public var portID: UInt32 { inner.portID }

    public init(wrapping inner: NetlinkTransport, path: String) throws {
        self.inner = inner
        // Several sockets in one run share the file: O_APPEND keeps their records whole.
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NetlinkError.system("open(\(path))", errno: errno) }
        self.fd = fd
        var stat = stat()
        if fstat(fd, &stat) == 0, stat.st_size == 0 {
            try write(CaptureFormat.magic)
        }
    }

    deinit { close(fd) }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw NetlinkError.system("write(capture)", errno: errno)
                }
                offset += written
            }
        }
    }

    public func send(_ bytes: UnsafeRawBufferPointer) throws { try inner.send(bytes) }

    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try inner.receive(into: buffer)
        var record = withUnsafeBytes(of: UInt32(count).littleEndian) { Array($0) }
        record.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        try write(record)
        return count
    }
}

/// Serves recorded datagrams in order, as if the kernel sent them. Each message's seq and
/// portid are rewritten to the last request's, so captures replay against new requests.
public final class ReplayTransport: NetlinkTransport {
    private var datagrams: [[UInt8]]
    private var next = 0
    private var lastSequence: UInt32 = 0
    public let portID: UInt32 = 4242
    /// Every request sent, for tests.
    public private(set) var requests: [[UInt8]] = []

    public init(datagrams: [[UInt8]]) { self.datagrams = datagrams }

    public convenience init(captureFile bytes: [UInt8]) throws {
        self.init(datagrams: try CaptureFormat.datagrams(in: bytes))
    }

    public func send(_ bytes: UnsafeRawBufferPointer) throws {
        requests.append(Array(bytes))
        if bytes.count >= 12 { lastSequence = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard next < datagrams.count else {
            throw NetlinkError.malformed("replay", "the recording ended before the reply was complete", offset: 0)
        }
        var datagram = datagrams[next]
        next += 1
        guard datagram.count <= buffer.count else {
            throw NetlinkError.system("recvfrom(replay)", errno: ENOSPC)
        }
        // Restamp headers we can walk; leave the rest as-is so malformed input stays malformed.
        var position = 0
        while datagram.count - position >= 16 {
            let length = datagram.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: position, as: UInt32.self)) }
            datagram.withUnsafeMutableBytes {
                $0.storeBytes(of: lastSequence, toByteOffset: position + 8, as: UInt32.self)
                $0.storeBytes(of: portID, toByteOffset: position + 12, as: UInt32.self)
            }
            if length < 16 { break }
            position += Netlink.align(length)
        }
        datagram.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return datagram.count
    }
}
