import NetModel
import ProcNet

/// Counts what a namespace holds (`netscope namespaces`), in the namespace the calling
/// thread is in.
package enum NamespaceCensus {
    /// RT_TABLE_LOCAL
    static let localTable: UInt32 = 255

    /// Counts in the namespace the calling thread is in. TCP states are counted from the
    /// cheap state-and-port pass; nothing per socket is kept.
    package static func count(sources: SourceOptions, proc: ProcRoot) throws -> NamespaceCounts {
        var counts = NamespaceCounts()
        let connection = try sources.connection(.route)
        let links = LinkQuery(connection: connection)
        counts.interfaces = try links.interfaces().count
        counts.addresses = try links.addresses().count
        try RouteQuery(connection: connection).routes(table: nil) { route in
            if route.table != localTable { counts.routes += 1 }
        }
        let sockets = SocketQuery(sources: sources, proc: proc)
        try sockets.countTCP(states: .all) { state, _ in counts.tcp[state, default: 0] += 1 }
        _ = try sockets.run(SocketRequest(protocols: [.udp], states: .all)) { _ in counts.udp += 1 }
        return counts
    }
}
