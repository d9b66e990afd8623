import NetModel
import Netlink
import ProcNet

/// Where kernel data comes from: live sockets (optionally recording every reply with
/// `--dump-raw FILE`), or a recording replayed in place of the kernel (`--replay-raw FILE`).
package struct SourceOptions: Sendable {
    package var captureFile: String?
    package var replayFile: String?
    private let replay: SharedReplay?

    package init(captureFile: String? = nil, replayFile: String? = nil) {
        self.captureFile = captureFile
        self.replayFile = replayFile
        replay = replayFile.map(SharedReplay.init)
    }

    /// Whether this run records or replays netlink: then every request a command makes must
    /// be the same on both sides, so names come from the link dump, not from ioctls.
    package var isRecorded: Bool { captureFile != nil || replayFile != nil }

    /// Opens a connection for `protocol`. All connections of one run record into, or replay
    /// from, the same file in order: a replay hands every connection the same transport.
    package func connection(_ netlinkProtocol: NetlinkProtocol) throws -> NetlinkConnection {
        if let replay {
            return NetlinkConnection(transport: try replay.transport())
        }
        var transport: NetlinkTransport = try NetlinkSocket(protocol: netlinkProtocol)
        if let captureFile {
            transport = try CapturingTransport(wrapping: transport, path: captureFile)
        }
        return NetlinkConnection(transport: transport)
    }
}

/// One replay transport shared by every connection of a run.
final class SharedReplay: @unchecked Sendable {
    let path: String
    private var opened: ReplayTransport?

    init(path: String) { self.path = path }

    func transport() throws -> ReplayTransport {
        if let opened { return opened }
        let transport = try ReplayTransport(captureFile: try readFile(path))
        opened = transport
        return transport
    }
}

/// Reads a whole file; a failure is a FileReadError naming the path.
package func readFile(_ path: String) throws -> [UInt8] { try FileBytes.read(path) }
