import Netlink
#if canImport(Glibc)
import Glibc
#endif

/// Where kernel data comes from: live sockets (optionally recording every reply with
/// `--dump-raw FILE`), or a recording replayed in place of the kernel (`--replay-raw FILE`).
public struct SourceOptions: Sendable {
    public var captureFile: String?
    public var replayFile: String?

    public init(captureFile: String? = nil, replayFile: String? = nil) {
        self.captureFile = captureFile
        self.replayFile = replayFile
    }

    /// Opens a connection for `protocol`. All connections of one run replay from, or record
    /// into, the same file in order.
    public func connection(_ netlinkProtocol: NetlinkProtocol) throws -> NetlinkConnection {
        if let replayFile {
            let bytes = try readFile(replayFile)
            return NetlinkConnection(transport: try ReplayTransport(captureFile: bytes))
        }
        var transport: NetlinkTransport = try NetlinkSocket(protocol: netlinkProtocol)
        if let captureFile {
            transport = try CapturingTransport(wrapping: transport, path: captureFile)
        }
        return NetlinkConnection(transport: transport)
    }
}

/// Reads a whole file; errors name the path.
public func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw NetlinkError.system("open(\(path))", errno: errno) }
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw NetlinkError.system("read(\(path))", errno: errno)
        }
        if count == 0 { return result }
        result.append(contentsOf: chunk[0..<count])
    }
}
