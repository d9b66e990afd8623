import NetModel
import NetOutput
import NetAnalysis
/// `netscope diff`: one line per appeared (+), vanished (-) or changed (~) object, then the
/// counters that moved; or one JSON object (docs/snapshot.md).
package enum DiffRenderer {
    package static func render(_ diff: SnapshotDiff, to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json, .ndjson:
            var json = JSONWriter(sink)
            writeJSON(diff, into: &json)
            json.newline()
        case .table:
            renderText(diff, to: sink, options: options)
        }
    }

    static func prefix(_ netns: String?) -> String { netns.map { "[\($0)] " } ?? "" }

    /// The id plus what a person wants to see of a new or removed object.
    static func summary(_ entry: SnapshotDiff.Entry) -> String {
        var text = "\(entry.kind) \(entry.id)"
        var details: [String] = []
        switch entry.kind {
        case "route":
            // The identity names the next hop already, except for IPv6 multipath routes.
            if let nexthops = entry.object["nexthops"]?.array {
                details.append(nexthops.map { hop in
                    [hop["gateway"].map { "via \($0.plain)" }, hop["dev"].map { "dev \($0.plain)" }].compactMap { $0 }.joined(by: " ")
                }.joined(by: ", "))
            }
            if let proto = entry.object["protocol"]?.plain { details.append("proto \(proto)") }
        case "link":
            if let kind = entry.object["linkinfo"]?["info_kind"]?.plain { details.append(kind) }
            if let state = entry.object["operstate"]?.plain { details.append(state) }
        case "socket":
            if let state = entry.object["state"]?.plain { details.append(state) }
        case "neighbor":
            if let lladdr = entry.object["lladdr"]?.plain { details.append("lladdr \(lladdr)") }
            if let state = entry.object["state"]?.array { details.append(state.map(\.plain).joined(by: ",")) }
        default: break
        }
        if !details.isEmpty { text += ": " + details.joined(by: " ") }
        return text
    }

    static func renderText(_ diff: SnapshotDiff, to sink: OutputSink, options: RenderOptions) {
        func line(_ mark: String, _ color: String, _ text: String) {
            let safe = TextTable.terminalSafe(text)
            sink.write(options.color ? "\u{1B}[\(color)m\(mark) \(safe)\u{1B}[0m\n" : "\(mark) \(safe)\n")
        }
        if options.header {
            var heading = "snapshot \(diff.from ?? "?") -> \(diff.to ?? "?")"
            if let seconds = diff.seconds { heading += " (\(Units.fixed(seconds, decimals: 1)) s)" }
            sink.write(heading + "\n")
        }
        if diff.appeared.isEmpty && diff.vanished.isEmpty && diff.changed.isEmpty {
            sink.write("no objects appeared, vanished or changed\n")
        }
        for entry in diff.appeared { line("+", "32", prefix(entry.netns) + summary(entry)) }
        for entry in diff.vanished { line("-", "31", prefix(entry.netns) + summary(entry)) }
        for change in diff.changed {
            let fields = change.fields.map { "\($0.name) \($0.from?.plain ?? "(none)") -> \($0.to?.plain ?? "(none)")" }
            line("~", "33", prefix(change.netns) + "\(change.kind) \(change.id): " + fields.joined(by: ", "))
        }
        guard !diff.counters.isEmpty else { return }
        sink.write("\n")
        var table = TextTable(columns: [.init("COUNTER"), .init("TYPE"), .init("DELTA", .right), .init("PER-SEC", .right)])
        for counter in diff.counters {
            let perSecond = diff.seconds.flatMap { $0 > 0 && !counter.gauge ? Units.fixed(Double(counter.delta) / $0, decimals: 1) : nil }
            table.append([
                TextTable.Cell(prefix(counter.netns) + (["link", "softnet", "qdisc"].contains(counter.group) ? counter.group + " " : "") + counter.name),
                TextTable.Cell(counter.gauge ? "gauge" : "counter"),
                TextTable.Cell((counter.delta > 0 ? "+" : "") + String(counter.delta), color: counter.delta < 0 && !counter.gauge ? "31" : nil),
                TextTable.Cell(perSecond ?? "-"),
            ])
        }
        table.render(to: sink, options: options)
    }

    package static func writeJSON(_ diff: SnapshotDiff, into json: inout JSONWriter) {
        json.beginObject()
        json.field("from", diff.from)
        json.field("to", diff.to)
        json.key("seconds")
        if let seconds = diff.seconds { json.double(seconds) } else { json.null() }
        for (key, entries) in [("appeared" as StaticString, diff.appeared), ("vanished", diff.vanished)] {
            json.key(key)
            json.beginArray()
            for entry in entries {
                json.beginObject()
                json.field("netns", entry.netns)
                json.field("kind", entry.kind)
                json.field("id", entry.id)
                json.key("object")
                entry.object.write(into: &json)
                json.endObject()
            }
            json.endArray()
        }
        json.key("changed")
        json.beginArray()
        for change in diff.changed {
            json.beginObject()
            json.field("netns", change.netns)
            json.field("kind", change.kind)
            json.field("id", change.id)
            json.key("fields")
            json.beginObject()
            for field in change.fields {
                json.key(escaping: field.name)
                json.beginObject()
                json.key("from")
                if let from = field.from { from.write(into: &json) } else { json.null() }
                json.key("to")
                if let to = field.to { to.write(into: &json) } else { json.null() }
                json.endObject()
            }
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.key("counters")
        json.beginArray()
        for counter in diff.counters {
            json.beginObject()
            json.field("netns", counter.netns)
            json.field("group", counter.group)
            json.field("name", counter.name)
            json.field("type", counter.gauge ? "gauge" : "counter")
            json.field("delta", counter.delta)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}
