import NetModel
import NetOutput

/// `watch sockets`: one line per event, or one NDJSON object (docs/socket-events.md).
package enum SocketEventRenderer {
    package static func render(_ events: [SocketEvent], names: InterfaceNames?, time: Timestamp, to sink: OutputSink, options: RenderOptions) {
        for event in events {
            if options.format == .table {
                sink.write(TextTable.terminalSafe(line(event, names: names, time: time)) + "\n")
            } else {
                var json = JSONWriter(sink)
                writeJSON(event, names: names, time: time, into: &json)
                json.newline()
            }
        }
    }

    /// {time, event, id, last_state, age_min_ms, age_max_ms, lost, object}: fields that do not apply
    /// (or are unknown) are left out; `object` has the `sockets --json` schema.
    package static func writeJSON(_ event: SocketEvent, names: InterfaceNames?, time: Timestamp, into json: inout JSONWriter) {
        json.beginObject()
        json.field("time", time.rfc3339)
        json.field("event", event.kind.rawValue)
        json.field("id", event.id)
        json.field("last_state", event.lastState?.ssName)
        if let lifetime = event.lifetime {
            json.field("age_min_ms", milliseconds(lifetime.atLeast))
            json.field("age_max_ms", lifetime.atMost.map(milliseconds))
        }
        if event.kind == .lost {
            // null: the kernel dropped notifications but could not say how many.
            json.key("lost")
            if let lost = event.lost { json.number(lost) } else { json.null() }
        }
        if let socket = event.socket {
            json.key("object")
            SocketRenderer.writeJSON(socket, names: names, into: &json)
        }
        json.endObject()
    }

    /// `12:00:01  closed  tcp  ESTAB  10.0.0.1:22  10.0.0.2:51000  age 1.502s acked 1002 …`
    package static func line(_ event: SocketEvent, names: InterfaceNames?, time: Timestamp) -> String {
        var parts = [time.clock, WatchRenderer.pad(event.kind.rawValue, 7)]
        guard let socket = event.socket else {
            parts.append(lossText(event))
            return parts.joined(by: "  ")
        }
        let state: String
        switch event.kind {
        case .state: state = "\(event.lastState?.ssName ?? "?")->\(socket.state.ssName)"
        case .closed: state = event.lastState?.ssName ?? "-"
        default: state = socket.state.ssName
        }
        parts += [WatchRenderer.pad(socket.proto.rawValue + (socket.family == .inet6 ? "6" : ""), 4), WatchRenderer.pad(state, 10),
                  WatchRenderer.pad(endpoint(socket, local: true, names: names), 22), WatchRenderer.pad(endpoint(socket, local: false, names: names), 22)]
        var details: [String] = []
        if let lifetime = event.lifetime, let text = ageText(lifetime) { details.append("age \(text)") }
        if let info = socket.tcpInfo?.value {
            if let sent = info.bytesSent { details.append("sent \(sent)") }
            if let acked = info.bytesAcked { details.append("acked \(acked)") }
            if let received = info.bytesReceived { details.append("received \(received)") }
            if info.totalRetrans > 0 { details.append("retrans \(info.totalRetrans)") }
            if info.rtt > 0 { details.append("rtt \(Units.fixed(Double(info.rtt) / 1000, decimals: 3))ms") }
        }
        if !socket.owners.isEmpty { details.append(SocketRenderer.processText(socket.owners)) }
        return (parts + details).joined(by: "  ")
    }

    static func milliseconds(_ seconds: Double) -> UInt64 { UInt64((seconds * 1000).rounded()) }

    /// The bounds as they are known: `0.402-1.403s`, `<0.731s` (no dump saw it), `>12.000s`
    /// (there at the start); nil when nothing bounds it.
    static func ageText(_ lifetime: Lifetime) -> String? {
        let low = milliseconds(lifetime.atLeast)
        switch lifetime.atMost.map(milliseconds) {
        case .some(let high) where low == 0: return "<" + seconds(high)
        case .some(let high): return "\(seconds(low).dropLast())-\(seconds(high))"
        case .none where low > 0: return ">" + seconds(low)
        case .none: return nil
        }
    }

    /// "19999 close notifications dropped by the kernel: …"
    package static func lossText(_ event: SocketEvent) -> String {
        let count = event.lost.map { "\($0) close notifications" } ?? "an unknown number of close notifications"
        return "\(count) dropped by the kernel: the receive buffer was full (raise --rcvbuf)"
    }

    /// ss -n's endpoint text for an inet socket: `127.0.0.1:22`, `[::1]:443`, `0.0.0.0:*`,
    /// `10.0.0.1%eth0:53`.
    static func endpoint(_ socket: Socket, local: Bool, names: InterfaceNames?) -> String {
        let endpoint = local ? socket.local : socket.peer
        var text = endpoint.address.map { socket.family == .inet6 ? "[\($0)]" : "\($0)" } ?? "*"
        if local && endpoint.interfaceIndex != 0 {
            text += "%" + (names?[Int32(bitPattern: endpoint.interfaceIndex)] ?? "if\(endpoint.interfaceIndex)")
        }
        return text + ":" + (endpoint.port == 0 ? "*" : String(endpoint.port))
    }

    /// 1502 -> "1.502s"
    static func seconds(_ milliseconds: UInt64) -> String {
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }


    /// The exit summary: events by kind, closes by service port (most first), and loss.
    package static func summary(_ tally: SocketEventTally, top: Int = 10) -> String {
        var text = "netscope: watch sockets: "
        let kinds = SocketEvent.Kind.allCases.compactMap { kind in tally.byKind[kind].map { "\($0) \(kind.rawValue)" } }
        text += kinds.isEmpty ? "no events" : kinds.joined(by: ", ")
        if tally.lost > 0 || tally.unknownLosses > 0 {
            text += "; LOST \(tally.lost) close notifications"
            if tally.unknownLosses > 0 { text += " (and an unknown number in \(tally.unknownLosses) overflows)" }
        } else {
            text += "; nothing lost"
        }
        text += "\n"
        let ports = tally.closedByPort.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (key, count) in ports.prefix(top) {
            let side = key.side.map { " (\($0.rawValue) side)" } ?? " (unconnected or listening)"
            text += "  closed \(WatchRenderer.pad(String(count), 8)) \(key.proto.rawValue) port \(key.port)\(side)\n"
        }
        if ports.count > top {
            text += "  closed \(WatchRenderer.pad(String(ports.dropFirst(top).reduce(0) { $0 + $1.value }), 8)) on \(ports.count - top) other ports\n"
        }
        return text
    }
}
