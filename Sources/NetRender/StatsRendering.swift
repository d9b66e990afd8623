import NetOutput
import NetAnalysis
import NetModel

/// `netscope stats`: protocol counters as `Group.Field value`, like `nstat -a`.
package enum StatsRenderer {
    /// Absolute values. Zero values are left out unless the filter includes them.
    package static func render(_ counters: [ProtocolCounter], filter: CounterFilter, to sink: OutputSink, options: RenderOptions) {
        let shown = counters.filter { filter.shows($0, moved: $0.value != 0) }
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(shown, to: sink, lines: options.format == .ndjson) { json, counter in
                json.beginObject()
                writeIdentity(counter, into: &json)
                json.key("value"); json.raw(counter.text)
                json.endObject()
            }
        case .table:
            var table = TextTable(columns: [.init("NAME"), .init("VALUE", .right), .init("TYPE")])
            for counter in shown {
                table.append([TextTable.Cell(counter.name), TextTable.Cell(counter.text), TextTable.Cell(counter.kind.rawValue)])
            }
            table.render(to: sink, options: options)
        }
    }

    /// One interval: counters as delta and rate, gauges as their value. Counters that did not
    /// move are left out unless the filter includes zeros (as `nstat` does).
    package static func renderDeltas(
        _ deltas: [(ProtocolCounter, Int64?)], seconds: Double, time: Timestamp, filter: CounterFilter,
        to sink: OutputSink, options: RenderOptions
    ) {
        let shown = deltas.filter { counter, delta in
            filter.shows(counter, moved: counter.kind == .gauge ? counter.value != 0 : (delta ?? 1) != 0)
        }
        func rate(_ delta: Int64) -> Double { seconds > 0 ? Double(delta) / seconds : 0 }
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(shown, to: sink, lines: options.format == .ndjson) { json, item in
                let (counter, delta) = item
                json.beginObject()
                json.field("time", time.rfc3339)
                writeIdentity(counter, into: &json)
                json.key("value"); json.raw(counter.text)
                if let delta {
                    json.field("delta", delta)
                    json.key("per_sec"); json.double(rate(delta))
                }
                json.endObject()
            }
        case .table:
            var table = TextTable(columns: [.init("TIME"), .init("NAME"), .init("DELTA", .right), .init("RATE/s", .right), .init("VALUE", .right)])
            for (counter, delta) in shown {
                let deltaText = delta.map(String.init) ?? (counter.kind == .gauge ? "-" : "reset")
                let rateText = delta.map { Units.fixed(rate($0), decimals: 1) } ?? "-"
                table.append([
                    TextTable.Cell(time.clock), TextTable.Cell(counter.name), TextTable.Cell(deltaText), TextTable.Cell(rateText),
                    TextTable.Cell(String(counter.value)),
                ])
            }
            table.render(to: sink, options: options)
        }
    }

    static func writeIdentity(_ counter: ProtocolCounter, into json: inout JSONWriter) {
        json.field("name", counter.name)
        json.field("group", counter.group)
        json.field("field", counter.field)
        json.field("type", counter.kind.rawValue)
    }

    /// softnet_stat columns: JSON key, table title, field.
    nonisolated(unsafe) package static let softnetFields: [(StaticString, String, KeyPath<SoftnetStatistics, UInt32>)] = [
        ("processed", "PROCESSED", \.processed), ("dropped", "DROPPED", \.dropped),
        ("time_squeeze", "SQUEEZED", \.timeSqueeze), ("cpu_collision", "COLLISION", \.cpuCollision),
        ("received_rps", "RPS", \.receivedRPS), ("flow_limit_count", "FLOW-LIMIT", \.flowLimitCount),
    ]

    /// Per-CPU softnet rows: totals, or per-second rates when `seconds` is given.
    package static func renderSoftnet(
        _ rows: [SoftnetStatistics], seconds: Double?, time: Timestamp?, to sink: OutputSink, options: RenderOptions
    ) {
        func value(_ raw: UInt32) -> Double { seconds.map { $0 > 0 ? Double(raw) / $0 : 0 } ?? Double(raw) }
        let fields = softnetFields
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(rows, to: sink, lines: options.format == .ndjson) { json, row in
                json.beginObject()
                if let time { json.field("time", time.rfc3339) }
                json.field("cpu", row.cpu)
                for (key, _, field) in fields {
                    if seconds != nil { json.key(escaping: "\(key)_per_sec"); json.double(value(row[keyPath: field])) } else { json.field(key, row[keyPath: field]) }
                }
                json.endObject()
            }
        case .table:
            let suffix = seconds == nil ? "" : "/s"
            var columns: [TextTable.Column] = time == nil ? [] : [.init("TIME")]
            columns += [.init("CPU", .right)] + fields.map { .init($0.1 + suffix, .right) }
            var table = TextTable(columns: columns)
            for row in rows {
                var cells: [TextTable.Cell] = time.map { [TextTable.Cell($0.clock)] } ?? []
                cells.append(TextTable.Cell(String(row.cpu)))
                for (index, (_, _, field)) in fields.enumerated() {
                    let raw = row[keyPath: field]
                    var cell = TextTable.Cell(seconds == nil ? String(raw) : Units.fixed(value(raw), decimals: 1))
                    if (index == 1 || index == 2) && raw != 0 { cell.color = "31" }
                    cells.append(cell)
                }
                table.append(cells)
            }
            table.render(to: sink, options: options)
        }
    }
}
