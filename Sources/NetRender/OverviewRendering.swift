import NetOutput
import NetAnalysis
import NetModel

/// `netscope overview`: sections of small tables, or one JSON object (docs/overview.md).
/// Anything abnormal is marked with "!" in the first column (red with color) and listed
/// again under ATTENTION, so it is seen without color and without reading every row.
package enum OverviewRenderer {
    package static func render(_ overviews: [Overview], to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json:
            var json = JSONWriter(sink)
            if overviews.count == 1 && overviews[0].namespace == nil {
                writeJSON(overviews[0], into: &json)
            } else {
                json.beginArray()
                for overview in overviews { writeJSON(overview, into: &json) }
                json.endArray()
            }
            json.newline()
        case .ndjson:
            for overview in overviews {
                var json = JSONWriter(sink)
                writeJSON(overview, into: &json)
                json.newline()
            }
        case .table:
            for (index, overview) in overviews.enumerated() {
                if index > 0 { sink.write("\n") }
                renderText(overview, to: sink, options: options)
            }
        }
    }

    static func mark(_ abnormal: Bool) -> TextTable.Cell { abnormal ? TextTable.Cell("!", color: "1;31") : "" }

    static func rate(_ value: Double?) -> String { value.map(Units.human) ?? "-" }

    /// An endpoint as the `{address, port}` object of `sockets --json`, from the text the
    /// tables show ("10.0.0.5:80", "[::1]:22", "0.0.0.0:80"; "*:80" is a dual-stack IPv6
    /// wildcard, whose address sockets --json writes as "::").
    static func writeEndpoint(_ text: String, into json: inout JSONWriter) {
        json.beginObject()
        if let colon = text.lastIndex(of: ":") {
            var address = String(text[..<colon])
            if address.hasPrefix("[") && address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
            if address == "*" { address = "::" }
            json.field("address", address)
            let port = text[text.index(after: colon)...]
            if let number = UInt16(port) { json.field("port", number) } else { json.field("port", 0) }
        } else {
            json.field("address", text)
        }
        json.endObject()
    }

    static func title(_ text: String, to sink: OutputSink, options: RenderOptions) {
        sink.write(options.color ? "\u{1B}[1m\(text)\u{1B}[0m\n" : "\(text)\n")
    }

    package static func renderText(_ overview: Overview, to sink: OutputSink, options: RenderOptions) {
        var heading = "netscope overview"
        if let namespace = overview.namespace { heading += " of netns \(namespace)" + (overview.container.map { " (\($0))" } ?? "") }
        heading += overview.seconds.map { ", rates over \(Units.fixed($0, decimals: 1)) s" } ?? ", totals (no interval)"
        title(heading, to: sink, options: options)

        let alerts = overview.alerts
        if !alerts.isEmpty {
            sink.write("\n")
            title("ATTENTION", to: sink, options: options)
            for alert in alerts { sink.write(options.color ? "\u{1B}[31m! \(TextTable.terminalSafe(alert))\u{1B}[0m\n" : "! \(TextTable.terminalSafe(alert))\n") }
        }

        sink.write("\n")
        title("INTERFACES", to: sink, options: options)
        // Without an interval there are no rates: the columns are the totals instead.
        let totals = overview.seconds == nil
        let headings = totals
            ? ["RX-BYTES", "TX-BYTES", "RX-PKTS", "TX-PKTS", "ERRORS", "DROPS"]
            : ["RX-B/s", "TX-B/s", "RX-PKT/s", "TX-PKT/s", "ERR/s", "DROP/s"]
        var interfaces = TextTable(columns: [.init(""), .init("NAME"), .init("STATE")] + headings.map { .init($0, .right) } + [.init("ADDRESSES")])
        for row in overview.interfaces {
            let r = totals ? row.totals : row.rates
            interfaces.append([
                mark(row.abnormal), TextTable.Cell(row.name), LinkRenderer.stateCell(row.state),
                TextTable.Cell(rate(r?.rxBytes)), TextTable.Cell(rate(r?.txBytes)),
                TextTable.Cell(rate(r?.rxPackets)), TextTable.Cell(rate(r?.txPackets)),
                TextTable.Cell(rate(r?.errors), color: (r?.errors ?? 0) > 0 ? "31" : nil),
                TextTable.Cell(rate(r?.drops), color: (r?.drops ?? 0) > 0 ? "31" : nil),
                TextTable.Cell((row.addresses + (row.note.map { ["(\($0))"] } ?? [])).joined(by: " "), color: "36"),
            ])
        }
        interfaces.render(to: sink, options: options)

        sink.write("\n")
        title("ROUTING", to: sink, options: options)
        if overview.defaultRoutes.isEmpty { sink.write("no default route\n") }
        for route in overview.defaultRoutes {
            var line = route.family == "inet6" ? "default (IPv6)" : "default (IPv4)"
            if let gateway = route.gateway { line += " via \(gateway)" }
            if let device = route.device { line += " dev \(device)" }
            if route.multipath > 1 { line += " (\(route.multipath) nexthops)" }
            line += " table \(route.table)"
            if let metric = route.metric { line += " metric \(metric)" }
            sink.write(TextTable.terminalSafe(line) + "\n")
        }
        for family in [AddressFamily.inet, .inet6] {
            let tables = overview.routeTables.filter { $0.family == family }
            guard !tables.isEmpty else { continue }
            let list = tables.map { "\(RouteNames.table($0.table)) \($0.count)" }.joined(by: ", ")
            sink.write("\(family == .inet6 ? "IPv6" : "IPv4") routes per table: \(list)\n")
        }
        sink.write("rules: \(overview.rules.ipv4) IPv4, \(overview.rules.ipv6) IPv6; neighbours: \(overview.neighbors)\n")

        sink.write("\n")
        title("SOCKETS", to: sink, options: options)
        var sockets = TextTable(columns: [.init("PROTO"), .init("TOTAL", .right), .init("STATES")])
        for row in overview.sockets {
            sockets.append([
                TextTable.Cell(row.proto), TextTable.Cell(String(row.total)),
                TextTable.Cell(row.states.map { "\($0.name) \($0.count)" }.joined(by: ", ")),
            ])
        }
        sockets.render(to: sink, options: options)

        sink.write("\n")
        title("TCP LISTENERS (fullest accept queue first)", to: sink, options: options)
        if overview.listeners.isEmpty {
            sink.write("none\n")
        } else {
            var listeners = TextTable(columns: [.init(""), .init("LOCAL"), .init("ACCEPT-Q", .right), .init("BACKLOG", .right), .init("FILL", .right)])
            for row in overview.listeners {
                listeners.append([
                    mark(row.abnormal), TextTable.Cell(row.local), TextTable.Cell(String(row.acceptQueue)),
                    TextTable.Cell(String(row.backlog)),
                    TextTable.Cell(Units.fixed(row.fill * 100, decimals: 0) + "%", color: row.abnormal ? "31" : nil),
                ])
            }
            listeners.render(to: sink, options: options)
        }

        sink.write("\n")
        title(overview.seconds == nil ? "TCP TOP TALKERS (bytes since connect)" : "TCP TOP TALKERS (bytes in the interval)", to: sink, options: options)
        if overview.talkers.isEmpty {
            sink.write("none\n")
        } else {
            // Rate columns only when there is an interval: without one they would all be "-".
            let rates = overview.seconds != nil
            var talkers = TextTable(columns: [.init("LOCAL"), .init("PEER")]
                + (rates ? [.init("TX-B/s", .right), .init("RX-B/s", .right)] : [])
                + [.init("TX-TOTAL", .right), .init("RX-TOTAL", .right)])
            for row in overview.talkers {
                talkers.append([TextTable.Cell(row.local), TextTable.Cell(row.peer)]
                    + (rates ? [TextTable.Cell(rate(row.sentPerSecond)), TextTable.Cell(rate(row.receivedPerSecond))] : [])
                    + [TextTable.Cell(Units.human(row.sent)), TextTable.Cell(Units.human(row.received))])
            }
            talkers.render(to: sink, options: options)
        }

        sink.write("\n")
        title("PROTOCOL HEALTH", to: sink, options: options)
        var health = TextTable(columns: [
            .init(""), .init("WHAT"), .init("PER-SEC", .right), .init("DELTA", .right), .init("TOTAL", .right), .init("NOTE"),
        ])
        for row in overview.health {
            health.append([
                mark(row.abnormal), TextTable.Cell(row.label, color: row.abnormal ? "31" : nil),
                TextTable.Cell(row.perSecond.map { Units.fixed($0, decimals: $0 < 10 ? 1 : 0) } ?? "-"),
                TextTable.Cell(row.delta.map(String.init) ?? "-"), TextTable.Cell(String(row.total)),
                TextTable.Cell(row.detail ?? ""),
            ])
        }
        health.render(to: sink, options: options)

        // Every layer's drop counters that grew (`netscope drops --interval` lists them all).
        if overview.seconds != nil {
            sink.write("\n")
            title("DROPS", to: sink, options: options)
            if overview.drops.isEmpty {
                sink.write("no drop or error counter grew\n")
            } else {
                var drops = TextTable(columns: [
                    .init("LAYER"), .init("OBJECT"), .init("COUNTER"), .init("PER-SEC", .right), .init("DELTA", .right), .init("TOTAL", .right),
                ])
                for row in overview.drops.prefix(10) {
                    drops.append([
                        TextTable.Cell(row.counter.layer.name), TextTable.Cell(row.counter.object),
                        TextTable.Cell(row.counter.counter, color: "31"),
                        TextTable.Cell(rate(row.rate)), TextTable.Cell(String(row.delta ?? 0)), TextTable.Cell(String(row.counter.value)),
                    ])
                }
                drops.render(to: sink, options: options)
                if overview.drops.count > 10 { sink.write("… \(overview.drops.count - 10) more: netscope drops --interval\n") }
            }
        }
    }

    package static func writeJSON(_ overview: Overview, into json: inout JSONWriter) {
        json.beginObject()
        json.field("netns", overview.namespace)
        json.field("container", overview.container)
        json.key("interval")
        if let seconds = overview.seconds { json.double(seconds) } else { json.null() }
        json.field("alerts", strings: overview.alerts)
        json.key("interfaces")
        json.beginArray()
        for row in overview.interfaces {
            json.beginObject()
            json.field("ifname", row.name)
            json.field("operstate", row.state?.name ?? "UNKNOWN")
            json.field("addresses", strings: row.addresses)
            if let t = row.totals {
                json.key("totals")
                json.beginObject()
                for (key, value) in [
                    ("rx_bytes" as StaticString, t.rxBytes), ("tx_bytes", t.txBytes), ("rx_packets", t.rxPackets), ("tx_packets", t.txPackets),
                    ("errors", t.errors), ("dropped", t.drops),
                ] {
                    json.field(key, UInt64(value))
                }
                json.endObject()
            }
            if let r = row.rates {
                for (key, value) in [
                    ("rx_bytes_per_sec" as StaticString, r.rxBytes), ("tx_bytes_per_sec", r.txBytes), ("rx_packets_per_sec", r.rxPackets),
                    ("tx_packets_per_sec", r.txPackets), ("errors_per_sec", r.errors), ("dropped_per_sec", r.drops),
                ] {
                    json.key(key); json.double(value)
                }
            }
            json.field("note", row.note)
            json.field("abnormal", row.abnormal)
            json.endObject()
        }
        json.endArray()

        json.key("routing")
        json.beginObject()
        json.key("default_routes")
        json.beginArray()
        for route in overview.defaultRoutes {
            json.beginObject()
            json.field("family", route.family)
            json.field("gateway", route.gateway)
            json.field("dev", route.device)
            json.field("table", route.table)
            json.field("metric", route.metric)
            if route.multipath > 0 { json.field("nexthops", route.multipath) }
            json.endObject()
        }
        json.endArray()
        json.key("tables")
        json.beginArray()
        for table in overview.routeTables {
            json.beginObject()
            json.field("family", RouteNames.family(table.family))
            json.field("table", RouteNames.table(table.table))
            json.field("routes", table.count)
            json.endObject()
        }
        json.endArray()
        json.key("rules")
        json.beginObject()
        json.field("inet", overview.rules.ipv4)
        json.field("inet6", overview.rules.ipv6)
        json.endObject()
        json.field("neighbors", overview.neighbors)
        json.endObject()

        json.key("sockets")
        json.beginArray()
        for row in overview.sockets {
            json.beginObject()
            json.field("protocol", row.proto)
            json.field("total", row.total)
            json.key("states")
            json.beginObject()
            for state in row.states { json.key(escaping: state.name); json.number(state.count) }
            json.endObject()
            json.endObject()
        }
        json.endArray()

        json.key("listeners")
        json.beginArray()
        for row in overview.listeners {
            json.beginObject()
            json.key("local"); writeEndpoint(row.local, into: &json)
            json.field("accept_queue", row.acceptQueue)
            json.field("backlog", row.backlog)
            json.key("fill"); json.double(row.fill)
            json.field("abnormal", row.abnormal)
            json.endObject()
        }
        json.endArray()

        json.key("talkers")
        json.beginArray()
        for row in overview.talkers {
            json.beginObject()
            json.key("local"); writeEndpoint(row.local, into: &json)
            json.key("peer"); writeEndpoint(row.peer, into: &json)
            if let sent = row.sentPerSecond { json.key("tx_bytes_per_sec"); json.double(sent) }
            if let received = row.receivedPerSecond { json.key("rx_bytes_per_sec"); json.double(received) }
            json.field("bytes_acked", row.sent)
            json.field("bytes_received", row.received)
            json.endObject()
        }
        json.endArray()

        json.key("health")
        json.beginArray()
        for row in overview.health {
            json.beginObject()
            json.field("name", row.label)
            json.field("counters", strings: row.counters)
            json.field("total", row.total)
            json.field("delta", row.delta)
            if let perSecond = row.perSecond { json.key("per_sec"); json.double(perSecond) }
            json.field("detail", row.detail)
            json.field("abnormal", row.abnormal)
            json.endObject()
        }
        json.endArray()
        json.key("drops")
        json.beginArray()
        for row in overview.drops { DropRenderer.writeObject(row, interval: true, into: &json) }
        json.endArray()
        json.field("notes", strings: overview.notes)
        json.field("socket_notes", strings: overview.socketNotes)
        json.endObject()
    }
}
