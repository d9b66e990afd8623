import Foundation
import Netlink
import NetOutput
import NetQuery

/// Committed fixtures live in Tests/Fixtures (see capture.sh and corrupt.py there).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func query(_ name: String) throws -> LinkQuery {
        LinkQuery(connection: NetlinkConnection(transport: try ReplayTransport(captureFile: bytes(name))))
    }

    static func query(datagrams: [[UInt8]]) -> LinkQuery {
        LinkQuery(connection: NetlinkConnection(transport: ReplayTransport(datagrams: datagrams)))
    }

    /// Renders into memory (fd -1 is never written: the threshold is never reached).
    static func render(_ body: (OutputSink) -> Void) -> String {
        let sink = OutputSink(fd: -1, threshold: Int.max)
        body(sink)
        return sink.pending
    }
}
