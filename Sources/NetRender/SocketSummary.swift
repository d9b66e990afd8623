import NetOutput
import NetAnalysis
import NetModel

/// ss -s: totals from /proc/net/sockstat(6) and snmp.
package enum SocketSummary {
    package static func render(statistics: [SocketStatistic], counters: [ProtocolCounter], to sink: OutputSink, options: RenderOptions) {
        func value(_ group: String, _ field: String) -> Int64 {
            statistics.first { $0.group == group && $0.field == field }?.value ?? 0
        }
        let established = counters.first { $0.name == "Tcp.CurrEstab" }?.value ?? 0
        let allocated = value("TCP", "alloc")
        let hashed = value("TCP", "inuse") + value("TCP6", "inuse")
        let timeWait = value("TCP", "tw")
        // As ss -s counts: allocated sockets plus TIME-WAIT ones (which are not full sockets
        // and are not in "alloc"); "closed" is allocated minus those in the hash tables.
        let tcpTotal = allocated + timeWait
        let closed = allocated - (hashed - timeWait)
        let rows: [(String, Int64, Int64)] = [
            ("RAW", value("RAW", "inuse"), value("RAW6", "inuse")),
            ("UDP", value("UDP", "inuse"), value("UDP6", "inuse")),
            ("TCP", value("TCP", "inuse"), value("TCP6", "inuse")),
            ("FRAG", value("FRAG", "inuse"), value("FRAG6", "inuse")),
        ]
        switch options.format {
        case .json, .ndjson:
            var json = JSONWriter(sink)
            json.beginObject()
            json.field("total", value("sockets", "used"))
            json.key("tcp")
            json.beginObject()
            json.field("total", tcpTotal)
            json.field("estab", established)
            json.field("closed", closed)
            json.field("orphaned", value("TCP", "orphan"))
            json.field("timewait", timeWait)
            json.endObject()
            json.key("transport")
            json.beginObject()
            for (name, v4, v6) in rows {
                json.key(escaping: name.lowercased())
                json.beginObject()
                json.field("total", v4 + v6)
                json.field("ip", v4)
                json.field("ipv6", v6)
                json.endObject()
            }
            json.endObject()
            json.key("sockstat")
            json.beginArray()
            for stat in statistics {
                json.beginObject()
                json.field("group", stat.group)
                json.field("field", stat.field)
                json.field("value", stat.value)
                json.endObject()
            }
            json.endArray()
            json.endObject()
            json.newline()
        case .table:
            sink.write("Total: \(value("sockets", "used"))\n")
            sink.write("TCP:   \(tcpTotal) (estab \(established), closed \(closed), orphaned \(value("TCP", "orphan")), timewait \(timeWait))\n\n")
            var table = TextTable(columns: [.init("Transport"), .init("Total", .right), .init("IP", .right), .init("IPv6", .right)])
            for (name, v4, v6) in rows {
                table.append([TextTable.Cell(name), TextTable.Cell(String(v4 + v6)), TextTable.Cell(String(v4)), TextTable.Cell(String(v6))])
            }
            let inet = rows.prefix(3).reduce((Int64(0), Int64(0))) { ($0.0 + $1.1, $0.1 + $1.2) }
            table.append([TextTable.Cell("INET"), TextTable.Cell(String(inet.0 + inet.1)), TextTable.Cell(String(inet.0)), TextTable.Cell(String(inet.1))])
            table.render(to: sink, options: options)
        }
    }
}

/// --sort keys.
package enum SocketSortKey: String, CaseIterable, Sendable {
    case netid, state, local, peer, recvq = "recv-q", sendq = "send-q", inode, uid, rtt, bytesSent = "bytes-sent",
        bytesReceived = "bytes-received", process

    package func sort(_ sockets: inout [Socket]) {
        func endpointLess(_ a: SocketEndpoint, _ b: SocketEndpoint) -> Bool {
            if a.address != b.address {
                guard let x = a.address else { return true }
                guard let y = b.address else { return false }
                return x < y
            }
            if a.port != b.port { return a.port < b.port }
            return (a.path ?? "") < (b.path ?? "")
        }
        switch self {
        case .netid: sockets.sort { $0.proto.rawValue < $1.proto.rawValue }
        case .state: sockets.sort { $0.state.rawValue < $1.state.rawValue }
        case .local: sockets.sort { endpointLess($0.local, $1.local) }
        case .peer: sockets.sort { endpointLess($0.peer, $1.peer) }
        case .recvq: sockets.sort { $0.receiveQueue > $1.receiveQueue }
        case .sendq: sockets.sort { $0.sendQueue > $1.sendQueue }
        case .inode: sockets.sort { $0.inode < $1.inode }
        case .uid: sockets.sort { ($0.uid ?? 0) < ($1.uid ?? 0) }
        case .rtt: sockets.sort { ($0.tcpInfo?.value.rtt ?? 0) > ($1.tcpInfo?.value.rtt ?? 0) }
        case .bytesSent: sockets.sort { ($0.tcpInfo?.value.bytesSent ?? 0) > ($1.tcpInfo?.value.bytesSent ?? 0) }
        case .bytesReceived: sockets.sort { ($0.tcpInfo?.value.bytesReceived ?? 0) > ($1.tcpInfo?.value.bytesReceived ?? 0) }
        case .process: sockets.sort { ($0.owners.first?.command ?? "\u{10FFFF}") < ($1.owners.first?.command ?? "\u{10FFFF}") }
        }
    }

    /// Keys that need data only -i brings.
    package var needsTCPInfo: Bool { [.rtt, .bytesSent, .bytesReceived].contains(self) }
}
