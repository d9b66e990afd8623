import NetModel
import NetOutput

/// One row of `netscope namespaces`: the namespace, and its counts or why there are none.
package struct NamespaceRow: Sendable {
    package var info: NamespaceInfo
    package var counts: NamespaceCounts?
    /// Why it could not be counted (not entered: no privilege, or gone).
    package var problem: String?

    package init(info: NamespaceInfo, counts: NamespaceCounts? = nil, problem: String? = nil) {
        self.info = info
        self.counts = counts
        self.problem = problem
    }
}

/// `netscope namespaces`: `lsns -t net` and `ip netns` in one table, with what each holds.
package enum NamespaceRenderer {
    package static func render(_ rows: [NamespaceRow], to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(rows, to: sink, lines: options.format == .ndjson) { json, row in writeJSON(row, into: &json) }
        case .table:
            var table = TextTable(columns: [
                .init("NETNS"), .init("INODE", .right), .init("NSID", .right), .init("PROCS", .right), .init("IFACES", .right),
                .init("ADDRS", .right), .init("ROUTES", .right), .init("ESTAB", .right), .init("LISTEN", .right),
                .init("UDP", .right), .init("CONTAINER"), .init("COMMAND"),
            ])
            for row in rows {
                let info = row.info
                let counts = row.counts
                func number(_ value: Int?) -> TextTable.Cell { TextTable.Cell(value.map(String.init) ?? "-") }
                table.append([
                    TextTable.Cell(info.label + (info.isCurrent ? " *" : "")),
                    TextTable.Cell(String(info.identity.inode)),
                    number(info.netnsID.map(Int.init)),
                    number(info.pids.count),
                    number(counts?.interfaces), number(counts?.addresses), number(counts?.routes),
                    number(counts.map { $0.tcp[.established] ?? 0 }), number(counts?.listeners), number(counts?.udp),
                    TextTable.Cell(info.container?.shortLabel ?? "-"),
                    TextTable.Cell(commandText(info)),
                ])
            }
            table.render(to: sink, options: options)
        }
    }

    /// "nginx,nginx,bash +12": the first commands, and how many processes are not named.
    static func commandText(_ info: NamespaceInfo) -> String {
        guard !info.commands.isEmpty else { return info.mounts.first ?? "-" }
        let rest = info.pids.count - info.commands.count
        return info.commands.joined(by: ",") + (rest > 0 ? " +\(rest)" : "")
    }

    package static func writeJSON(_ row: NamespaceRow, into json: inout JSONWriter) {
        let info = row.info
        json.beginObject()
        json.field("netns", info.label)
        json.field("inode", info.identity.inode)
        json.field("device", info.identity.device)
        if let id = info.netnsID { json.field("nsid", id) } else { json.key("nsid"); json.null() }
        json.field("current", info.isCurrent)
        json.field("names", strings: info.names)
        json.field("mounts", strings: info.mounts)
        json.field("processes", info.pids.count)
        json.key("pids")
        json.beginArray()
        for pid in info.pids.prefix(16) { json.number(pid) }
        json.endArray()
        json.field("commands", strings: info.commands)
        if let container = info.container {
            json.field("container", container.label)
            json.key("container_info")
            json.beginObject()
            json.field("kind", container.kind.rawValue)
            json.field("id", container.id)
            json.endObject()
        } else {
            json.key("container"); json.null()
        }
        if let counts = row.counts {
            json.field("interfaces", counts.interfaces)
            json.field("addresses", counts.addresses)
            json.field("routes", counts.routes)
            json.field("listeners", counts.listeners)
            json.key("tcp")
            json.beginObject()
            for state in SocketState.allCases { if let count = counts.tcp[state] { json.key(escaping: state.ssName); json.number(count) } }
            json.endObject()
            json.field("udp", counts.udp)
        }
        json.field("error", row.problem)
        json.endObject()
    }
}
