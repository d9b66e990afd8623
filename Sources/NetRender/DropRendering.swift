import NetAnalysis
import NetModel
import NetOutput

/// `netscope drops`: the ledger as a table (layer, object, counter, value, with --interval
/// delta and rate, meaning) or as JSON objects with the same fields.
package enum DropRenderer {
    package static func render(_ rows: [DropRow], interval: Bool, to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(rows, to: sink, lines: options.format == .ndjson) { json, row in
                writeObject(row, interval: interval, into: &json)
            }
        case .table:
            var columns: [TextTable.Column] = [.init("LAYER"), .init("OBJECT"), .init("COUNTER"), .init("VALUE", .right)]
            if interval { columns += [.init("DELTA", .right), .init("RATE/s", .right)] }
            columns.append(.init("MEANING"))
            var table = TextTable(columns: columns)
            for row in rows {
                let grew = (row.delta ?? 0) > 0 && !row.counter.isGauge
                var cells: [TextTable.Cell] = [
                    .init(row.counter.layer.name), .init(row.counter.object), .init(row.counter.counter, color: grew ? "31" : nil),
                    .init(String(row.counter.value)),
                ]
                if interval {
                    cells.append(.init(row.delta.map { $0 > 0 ? "+\($0)" : String($0) } ?? "-", color: grew ? "31" : nil))
                    cells.append(.init(row.rate.map { Units.human($0) } ?? "-"))
                }
                cells.append(.init(row.counter.meaning))
                table.append(cells)
            }
            table.render(to: sink, options: options)
        }
    }

    /// One row as `drops --json` and the overview's `drops` array write it: layer, object,
    /// counter, value, with an interval delta and rate, and meaning.
    package static func writeObject(_ row: DropRow, interval: Bool, into json: inout JSONWriter) {
        json.beginObject()
        json.field("layer", row.counter.layer.name)
        json.field("object", row.counter.object)
        json.field("counter", row.counter.counter)
        json.field("value", row.counter.value)
        if interval {
            json.field("delta", row.delta ?? 0)
            if let rate = row.rate { json.key("rate"); json.double(rate) }
        }
        json.field("meaning", row.counter.meaning)
        json.endObject()
    }
}
