import NetModel
import Netlink
import ProcNet

/// What `overview` and `top` read from one namespace at one moment: interfaces with their
/// counters, addresses, route and rule counts, socket counts, listeners, per-connection
/// byte totals, protocol counters and softnet. Routes and sockets are counted as they stream
/// past; only listeners and connection totals are kept.

/// Takes `StackSample`s with the same queries the single-purpose subcommands use.
package struct StackCollector {
    package let sources: SourceOptions
    package let proc: ProcRoot

    package init(sources: SourceOptions, proc: ProcRoot) {
        self.sources = sources
        self.proc = proc
    }

    package func sample(clock: () -> Double = monotonicSeconds) throws -> StackSample {
        var sample = StackSample()
        let route = try sources.connection(.route)
        let links = LinkQuery(connection: route)
        sample.interfaces = try links.interfaces(filter: [])
        sample.addresses = try links.addresses()
        sample.time = clock()

        let routes = RouteQuery(connection: route)
        var counts: [Int: Int] = [:]  // family << 32 | table
        try routes.routes { r in
            counts[Int(r.family.rawValue) << 32 | Int(r.table), default: 0] += 1
            if r.destinationLength == 0 && r.type == 1 { sample.defaultRoutes.append(r) }
        }
        sample.routeCounts = counts.map { StackSample.RouteCount(family: AddressFamily(rawValue: UInt8($0.key >> 32)), table: UInt32($0.key & 0xFFFF_FFFF), count: $0.value) }
            .sorted { ($0.family.rawValue, $0.table) < ($1.family.rawValue, $1.table) }
        let rules = try routes.rules()
        sample.ruleCount = (rules.filter { $0.family == .inet }.count, rules.filter { $0.family == .inet6 }.count)
        sample.neighborCount = try routes.neighbors().count

        // SCTP is left out: asking makes the kernel try to load sctp_diag, and few hosts use it.
        var request = SocketRequest(protocols: Set(SocketProtocol.allCases).subtracting([.sctp]), states: .all)
        request.tcpInfo = true
        var socketCounts: [SocketProtocol: [SocketState: Int]] = [:]
        let own = OwnSockets()
        sample.socketNotes = try SocketQuery(sources: sources, proc: proc).run(request) { socket in
            if own.contains(socket) { return }
            socketCounts[socket.proto, default: [:]][socket.state, default: 0] += 1
            guard socket.proto == .tcp else { return }
            if socket.state == .listen {
                sample.listeners.append(.init(
                    local: Self.endpointText(socket, socket.local), port: socket.local.port,
                    acceptQueue: socket.receiveQueue, backlog: socket.sendQueue))
            } else if let info = socket.tcpInfo?.value, let cookie = socket.cookie,
                info.bytesAcked != nil || info.bytesReceived != nil
            {
                sample.connections.append(.init(
                    cookie: cookie, local: Self.endpointText(socket, socket.local),
                    peer: Self.endpointText(socket, socket.peer),
                    bytesSent: info.bytesAcked ?? 0, bytesReceived: info.bytesReceived ?? 0))
            }
        }
        for proto in SocketProtocol.allCases {
            for state in SocketState.allCases {
                if let count = socketCounts[proto]?[state] { sample.socketCounts.append(.init(proto: proto, state: state, count: count)) }
            }
        }

        let counters = ProcQuery(root: proc)
        do { sample.protocolCounters = try counters.protocolCounters() } catch { sample.notes.append("\(error)") }
        do { sample.softnet = try counters.softnet() } catch { sample.notes.append("\(error)") }
        var drops = DropCollection(sources: sources, proc: proc)
        drops.includeSockets = false
        do {
            let collected = try drops.collect(
                connection: route, links: sample.interfaces, protocols: sample.protocolCounters, softnet: sample.softnet)
            sample.drops = collected.counters
            for failure in collected.failures { sample.notes.append("drops: \(failure.source): \(failure.error)") }
        } catch {
            sample.notes.append("drops: \(error)")
        }
        return sample
    }

    /// "10.0.0.1:80", "[::1]:443", "*:22" (ss's spelling, without interface scope).
    /// As ss prints it: 0.0.0.0 and [::] for wildcards of one family, * for a dual-stack
    /// IPv6 wildcard (no IPV6_V6ONLY), so the two halves of a dual-stack pair differ.
    package static func endpointText(_ socket: Socket, _ endpoint: SocketEndpoint) -> String {
        let port = endpoint.port == 0 ? "*" : String(endpoint.port)
        guard let address = endpoint.address else { return "*:\(port)" }
        if address.isUnspecified && socket.family == .inet6 && socket.v6Only == false { return "*:\(port)" }
        return socket.family == .inet6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
