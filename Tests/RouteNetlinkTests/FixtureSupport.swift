import Foundation
import Netlink
import NetOutput
import NetQuery
import TestSupport

/// Committed fixtures live in Tests/Fixtures (see capture.sh and corrupt.py there).
enum Fixtures {
    static let directory = FixtureFiles.directory

    static func bytes(_ name: String) throws -> [UInt8] { try FixtureFiles.bytes(name) }

    static func text(_ name: String) throws -> String { try FixtureFiles.text(name) }

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
