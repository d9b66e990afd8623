import NetOutput
import NetAnalysis
import NetModel

/// `netscope routes` streaming: rows go into a byte arena printed in batches, JSON objects
/// straight out, so a 200k-route table needs no per-route memory.
package struct RouteStreamWriter {
    private var table: ByteTable
    private let isTable: Bool
    private var json: JSONWriter?
    private let lines: Bool
    private let names: InterfaceNames
    private let showTable: Bool
    private let sink: OutputSink
    private let options: RenderOptions
    private var scratch = [UInt8](repeating: 0, count: 64)

    /// The family and table of the last row: a new pair is a new section of the table.
    private var lastFamily = AddressFamily.other(0)
    private var lastTable: UInt32 = 0

    package init(names: InterfaceNames, showTable: Bool, sink: OutputSink, options: RenderOptions) {
        self.names = names
        self.showTable = showTable
        self.sink = sink
        self.options = options
        lines = options.format == .ndjson
        isTable = options.format == .table
        table = ByteTable(columns: RouteRenderer.columns, expectedRows: isTable ? SocketTableWriter.batchRows : 0)
        if !isTable {
            json = JSONWriter(sink)
            if !lines { json!.beginArray() }
        }
    }

    package mutating func add(_ route: Route) {
        if var writer = json {
            writer.beginObject()
            RouteRenderer.writeFields(route, names: names, showTable: showTable, into: &writer)
            writer.endObject()
            if lines { writer.newline() }
            json = writer
            return
        }
        if route.family != lastFamily || route.table != lastTable {
            table.newSection()
            lastFamily = route.family
            lastTable = route.table
        }
        Self.addRow(route, to: &table, scratch: &scratch, names: names, sink: sink, options: options)
    }

    private static func addRow(
        _ route: Route, to rows: inout ByteTable, scratch: inout [UInt8], names: InterfaceNames, sink: OutputSink,
        options: RenderOptions
    ) {
        func address(_ value: IPAddress) {
            scratch.withUnsafeMutableBufferPointer { buffer in
                let length = value.format(into: buffer.baseAddress!)
                rows.append(bytes: UnsafeBufferPointer(rebasing: buffer[0..<length]))
            }
        }
        let host = route.family.hostPrefixLength
        if let destination = route.destination {
            address(destination)
            if route.destinationLength != host { rows.append(byte: 47); rows.append(decimal: UInt64(route.destinationLength)) }
        } else {
            rows.append(RouteRenderer.destinationText(route))
        }
        rows.endCell(color: route.type == 1 ? 36 : 33)
        if !route.nexthops.isEmpty {
            rows.append(RouteRenderer.nexthopText(route, names: names))
        } else if let gateway = route.gateway ?? route.via {
            address(gateway)
        } else {
            rows.append(byte: 45)
        }
        rows.endCell()
        rows.cell(route.outputInterface.map { names[$0] } ?? "-")
        rows.cell(RouteNames.table(route.table))
        rows.cell(RouteNames.proto(route.proto))
        rows.cell(ScopeNames.name(route.scope))
        if let metric = route.priority { rows.append(decimal: UInt64(metric)) } else { rows.append(byte: 45) }
        rows.endCell()
        if let source = route.preferredSource { address(source) } else { rows.append(byte: 45) }
        rows.endCell()
        // blackhole, unreachable, prohibit
        rows.cell(RouteNames.type(route.type), color: (6...8).contains(route.type) ? 31 : 0)
        rows.cell(RouteRenderer.details(route))
        if rows.rowCount >= SocketTableWriter.batchRows { rows.flushRows(to: sink, options: options) }
    }

    package mutating func finish() {
        if isTable { table.render(to: sink, options: options) }
        if var writer = json, !lines {
            writer.endArray()
            writer.newline()
        }
    }
}

/// `netscope routes` and `route get`: a table, or the objects of `ip -j route`.
package enum RouteRenderer {
    static let columns: [TextTable.Column] = [
        .init("DESTINATION"), .init("GATEWAY"), .init("DEV"), .init("TABLE"), .init("PROTO"), .init("SCOPE"),
        .init("METRIC", .right), .init("PREFSRC"), .init("TYPE"), .init("DETAILS"),
    ]

    /// Multipath next hops as gateway@dev*weight, comma-separated.
    static func nexthopText(_ route: Route, names: InterfaceNames) -> String {
        route.nexthops.map { hop in
            "\(hop.gateway?.description ?? hop.via?.description ?? "direct")@\(names[hop.interfaceIndex])*\(hop.weight)"
        }.joined(by: ",")
    }

    /// `showTable`: print "table" for routes outside main, as `ip route show table all` does.
    package static func render(_ routes: [Route], names: InterfaceNames, showTable: Bool, to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(routes, to: sink, lines: options.format == .ndjson) { json, route in
                json.beginObject()
                writeFields(route, names: names, showTable: showTable, into: &json)
                json.endObject()
            }
        case .table:
            var writer = RouteStreamWriter(names: names, showTable: showTable, sink: sink, options: options)
            for route in routes { writer.add(route) }
            writer.finish()
        }
    }

    /// "default", "10.0.0.0/24", or a host address without its full-length prefix.
    package static func destinationText(_ route: Route) -> String {
        let full = route.family.hostPrefixLength
        guard let destination = route.destination else {
            return route.destinationLength == 0 ? "default" : "\(route.family == .inet ? "0.0.0.0" : "::")/\(route.destinationLength)"
        }
        return route.destinationLength == full ? destination.description : "\(destination)/\(route.destinationLength)"
    }

    static func details(_ route: Route) -> String {
        // Most routes have none of these, or only a flag (linkdown on routes via a down
        // interface): answer those without building anything.
        let plain = route.nexthopID == nil && route.source == nil && route.tos == 0 && route.metrics.isEmpty
            && route.congestionControl == nil && (route.expires ?? 0) == 0 && route.preference == nil
        if plain {
            if route.flags == 0 { return "" }
            if let single = RouteNames.routeFlagNames.first(where: { $0.0 == route.flags }) { return single.1 }
        }
        var text = ""
        func add(_ part: String) {
            if !text.isEmpty { text += " " }
            text += part
        }
        if let id = route.nexthopID { add("nhid \(id)") }
        if let source = route.source { add("from \(source)/\(route.sourceLength)") }
        if route.tos != 0 { add("tos 0x" + String(route.tos, radix: 16)) }
        for metric in route.metrics { add("\(RouteNames.metric(metric.kind)) \(metric.value)") }
        if let cc = route.congestionControl { add("congctl \(cc)") }
        if let expires = route.expires, expires != 0 { add("expires \(expires / 100)sec") }
        if let preference = route.preference { add("pref \(preferenceName(preference))") }
        if route.flags != 0 { RouteNames.forEachRouteFlag(route.flags, add) }
        return text
    }

    static func preferenceName(_ value: UInt8) -> String {
        switch value {
        case 0: return "medium"
        case 1: return "high"
        case 3: return "low"
        default: return String(value)
        }
    }

    /// The keys of iproute2's print_route, in its order.
    package static func writeFields(_ route: Route, names: InterfaceNames, showTable: Bool, into json: inout JSONWriter) {
        if route.type != 1 { json.field("type", RouteNames.type(route.type)) }
        let host = route.family.hostPrefixLength
        if let destination = route.destination {
            json.field("dst", address: destination, prefix: route.destinationLength == host ? nil : route.destinationLength)
        } else {
            json.field("dst", destinationText(route))
        }
        if let source = route.source {
            json.field("from", route.sourceLength == host ? source.description : "\(source)/\(route.sourceLength)")
        } else if route.sourceLength != 0 {
            json.field("from", "0/\(route.sourceLength)")
        }
        if route.tos != 0 { json.field("tos", "0x" + String(route.tos, radix: 16)) }
        json.field("nhid", route.nexthopID)
        if let gateway = route.gateway { json.field("gateway", address: gateway) }
        if let via = route.via { writeVia(via, into: &json) }
        if let oif = route.outputInterface { json.field("dev", names[oif]) }
        if showTable && route.table != Route.mainTable && route.table != 0 { json.field("table", RouteNames.table(route.table)) }
        // A cloned route (a `route get` answer) has no protocol or scope of its own.
        if route.flags & RouteNames.clonedFlag == 0 {
            if route.proto != 3 { json.field("protocol", RouteNames.proto(route.proto)) }
            if route.scope != 0 { json.field("scope", ScopeNames.name(route.scope)) }
        }
        if let source = route.preferredSource { json.field("prefsrc", address: source) }
        json.field("metric", route.priority)
        json.key("flags")
        json.beginArray()
        RouteNames.forEachRouteFlag(route.flags) { json.string($0) }
        json.endArray()
        if let mark = route.mark, mark != 0 { json.field("mark", mark) }
        if let iif = route.inputInterface { json.field("iif", names[iif]) }
        json.field("uid", route.uid)
        // RTM_F_CLONED IPv4 answers carry the route cache flags (RTCF_*).
        if route.flags & RouteNames.clonedFlag != 0 && route.family == .inet {
            let cache: [(UInt32, String)] = [(0x8000_0000, "local"), (0x4000_0000, "broadcast"), (0x2000_0000, "multicast"),
                                             (0x0400_0000, "redirected")]
            json.field("cache", strings: cache.filter { route.flags & $0.0 != 0 }.map(\.1))
        }
        if let expires = route.expires, expires != 0 { json.field("expires", expires / 100) }
        if let error = route.error, error != 0 { json.field("error", error) }
        if !route.metrics.isEmpty || route.congestionControl != nil {
            json.key("metrics")
            json.beginArray()
            json.beginObject()
            for metric in route.metrics {
                if metric.kind == 1 {
                    json.field("lock", strings: (2...17).filter { metric.value & (1 << $0) != 0 }.map { RouteNames.metric(UInt16($0)) })
                } else if metric.kind == 4 {
                    json.field("rtt", metric.value / 8)
                } else if metric.kind == 5 {
                    json.field("rttvar", metric.value / 4)
                } else {
                    json.key(escaping: RouteNames.metric(metric.kind)); json.number(metric.value)
                }
            }
            json.field("congctl", route.congestionControl)
            json.endObject()
            json.endArray()
        }
        if let preference = route.preference { json.field("pref", preferenceName(preference)) }
        if !route.nexthops.isEmpty {
            json.key("nexthops")
            json.beginArray()
            for hop in route.nexthops {
                json.beginObject()
                json.field("gateway", hop.gateway?.description)
                if let via = hop.via { writeVia(via, into: &json) }
                json.field("dev", names[hop.interfaceIndex])
                json.field("weight", hop.weight)
                json.field("flags", strings: RouteNames.routeFlags(UInt32(hop.flags)))
                json.endObject()
            }
            json.endArray()
        }
    }

    static func writeVia(_ via: IPAddress, into json: inout JSONWriter) {
        json.key("via")
        json.beginObject()
        json.field("family", via.family.name)
        json.field("host", via.description)
        json.endObject()
    }
}

/// `netscope rules`: like `ip rule`.
package enum RuleRenderer {
    package static func render(_ rules: [Rule], to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(rules, to: sink, lines: options.format == .ndjson) { json, rule in
                json.beginObject()
                // ip -j rule has no family (it lists one family at a time); netscope lists both.
                json.field("family", RouteNames.family(rule.family))
                writeFields(rule, into: &json)
                json.endObject()
            }
        case .table:
            var table = TextTable(columns: [
                .init("PRIO", .right), .init("FAMILY"), .init("FROM"), .init("TO"), .init("IIF"), .init("OIF"), .init("FWMARK"), .init("ACTION"),
                .init("DETAILS"),
            ])
            for rule in rules {
                let full = rule.family.hostPrefixLength
                func prefix(_ address: IPAddress?, _ length: UInt8) -> String {
                    guard let address else { return length == 0 ? "all" : "0/\(length)" }
                    return length == full ? address.description : "\(address)/\(length)"
                }
                var mark = "-"
                if rule.fwmark != nil || rule.fwmask != nil {
                    mark = "0x" + String(rule.fwmark ?? 0, radix: 16)
                    if let mask = rule.fwmask, mask != 0xFFFF_FFFF { mark += "/0x" + String(mask, radix: 16) }
                }
                let extra = extraWords(rule)
                table.append([
                    TextTable.Cell(String(rule.priority ?? 0)), TextTable.Cell(RouteNames.family(rule.family)),
                    TextTable.Cell(prefix(rule.source, rule.sourceLength)),
                    TextTable.Cell(rule.destination == nil && rule.destinationLength == 0 ? "-" : prefix(rule.destination, rule.destinationLength)),
                    TextTable.Cell(rule.inputInterface ?? "-"), TextTable.Cell(rule.outputInterface ?? "-"), TextTable.Cell(mark),
                    TextTable.Cell(actionText(rule)), TextTable.Cell(extra.joined(by: " ")),
                ])
            }
            table.render(to: sink, options: options)
        }
    }

    /// The selectors and modifiers beyond from/to/iif/oif/fwmark, in ip rule's words.
    static func extraWords(_ rule: Rule) -> [String] {
        var extra: [String] = []
        if rule.flags & 2 != 0 { extra.append("not") }
        if rule.tos != 0 { extra.append("tos 0x" + String(rule.tos, radix: 16)) }
        if let p = rule.suppressPrefixLength, p != 0xFFFF_FFFF { extra.append("suppress_prefixlength \(p)") }
        if let g = rule.suppressInterfaceGroup, g != 0xFFFF_FFFF { extra.append("suppress_ifgroup \(g)") }
        if let uid = rule.uidRange { extra.append("uidrange \(uid.start)-\(uid.end)") }
        if let proto = rule.ipProto { extra.append("ipproto \(RouteNames.ipProtocol(proto))") }
        if let p = rule.sourcePortRange { extra.append("sport \(p.start)-\(p.end)") }
        if let p = rule.destinationPortRange { extra.append("dport \(p.start)-\(p.end)") }
        if rule.l3mdev { extra.append("l3mdev") }
        return extra
    }

    /// One rule in one line, as `ip rule` prints it: "100: from 10.1.0.0/24 fwmark 0x10 lookup 200".
    package static func summary(_ rule: Rule) -> String {
        let full = rule.family.hostPrefixLength
        func prefix(_ address: IPAddress?, _ length: UInt8) -> String {
            guard let address else { return length == 0 ? "all" : "0/\(length)" }
            return length == full ? address.description : "\(address)/\(length)"
        }
        var words = ["\(rule.priority ?? 0):"] + (rule.flags & 2 != 0 ? ["not"] : [])
        words += ["from", prefix(rule.source, rule.sourceLength)]
        if rule.destination != nil || rule.destinationLength != 0 { words += ["to", prefix(rule.destination, rule.destinationLength)] }
        if let iif = rule.inputInterface { words += ["iif", iif] }
        if let oif = rule.outputInterface { words += ["oif", oif] }
        if rule.fwmark != nil || rule.fwmask != nil {
            var mark = "0x" + String(rule.fwmark ?? 0, radix: 16)
            if let mask = rule.fwmask, mask != 0xFFFF_FFFF { mark += "/0x" + String(mask, radix: 16) }
            words += ["fwmark", mark]
        }
        words += extraWords(rule).filter { $0 != "not" && !$0.hasPrefix("suppress") }
        words.append(actionText(rule))
        words += extraWords(rule).filter { $0.hasPrefix("suppress") }
        return words.joined(by: " ")
    }

    static func actionText(_ rule: Rule) -> String {
        if rule.table != 0 { return "lookup \(RouteNames.table(rule.table))" }
        if rule.action == 2 { return "goto \(rule.gotoTarget.map(String.init) ?? "none")" }
        return RouteNames.ruleAction(rule.action)
    }

    /// The keys of iproute2's print_rule.
    package static func writeFields(_ rule: Rule, into json: inout JSONWriter) {
        json.field("priority", rule.priority ?? 0)
        if rule.flags & 2 != 0 { json.key("not"); json.null() }
        let full = rule.family.hostPrefixLength
        if let source = rule.source {
            json.field("src", source.description)
            if rule.sourceLength != full { json.field("srclen", rule.sourceLength) }
        } else if rule.sourceLength != 0 {
            json.field("src", "0")
            json.field("srclen", rule.sourceLength)
        } else {
            json.field("src", "all")
        }
        if let destination = rule.destination {
            json.field("dst", destination.description)
            if rule.destinationLength != full { json.field("dstlen", rule.destinationLength) }
        } else if rule.destinationLength != 0 {
            json.field("dst", "0")
            json.field("dstlen", rule.destinationLength)
        }
        if rule.tos != 0 { json.field("tos", "0x" + String(rule.tos, radix: 16)) }
        if rule.fwmark != nil || rule.fwmask != nil {
            json.field("fwmark", "0x" + String(rule.fwmark ?? 0, radix: 16))
            if let mask = rule.fwmask, mask != 0xFFFF_FFFF { json.field("fwmask", "0x" + String(mask, radix: 16)) }
        }
        if let iif = rule.inputInterface {
            json.field("iif", iif)
            if rule.flags & 0x8 != 0 { json.field("iif_detached", true) }
        }
        if let oif = rule.outputInterface {
            json.field("oif", oif)
            if rule.flags & 0x10 != 0 { json.field("oif_detached", true) }
        }
        if rule.l3mdev { json.field("l3mdev", true) }
        if let uid = rule.uidRange {
            json.field("uid_start", uid.start)
            json.field("uid_end", uid.end)
        }
        if let proto = rule.ipProto { json.field("ipproto", RouteNames.ipProtocol(proto)) }
        if let p = rule.sourcePortRange {
            if p.start == p.end { json.field("sport", p.start) } else { json.field("sport_start", p.start); json.field("sport_end", p.end) }
        }
        if let p = rule.destinationPortRange {
            if p.start == p.end { json.field("dport", p.start) } else { json.field("dport_start", p.start); json.field("dport_end", p.end) }
        }
        if let tunnel = rule.tunnelID { json.field("tun_id", tunnel) }
        if rule.table != 0 {
            json.field("table", RouteNames.table(rule.table))
            if let p = rule.suppressPrefixLength, p != 0xFFFF_FFFF { json.field("suppress_prefixlen", p) }
            if let g = rule.suppressInterfaceGroup, g != 0xFFFF_FFFF { json.field("suppress_ifgroup", g) }
        }
        if let flow = rule.flow { json.field("realms", flow) }
        if rule.action == 2 {
            json.field("action", "goto")
            if let target = rule.gotoTarget { json.field("goto", target) }
            if rule.flags & 0x4 != 0 { json.field("unresolved", true) }
        } else if rule.action == 3 {
            json.field("action", "nop")
        } else if rule.action != 1 {
            json.field("action", RouteNames.ruleAction(rule.action))
        }
        if let proto = rule.proto, proto != 0, proto != 2 { json.field("protocol", RouteNames.proto(proto)) }
    }
}

/// `netscope neighbors`: like `ip neigh`.
package enum NeighborRenderer {
    package static func render(_ neighbors: [Neighbor], names: InterfaceNames, to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(neighbors, to: sink, lines: options.format == .ndjson) { json, neighbor in
                json.beginObject()
                writeFields(neighbor, names: names, into: &json)
                json.endObject()
            }
        case .table:
            var table = TextTable(columns: [
                .init("ADDRESS"), .init("DEV"), .init("LLADDR"), .init("STATE"), .init("ROUTER"), .init("PROBES", .right),
                .init("USED", .right), .init("CONFIRMED", .right), .init("UPDATED", .right),
            ])
            for neighbor in neighbors {
                let states = RouteNames.neighborStates(neighbor.state)
                let bad = neighbor.state & 0x21 != 0  // FAILED or INCOMPLETE
                func seconds(_ value: UInt32?) -> String { value.map { "\($0 / 100)s" } ?? "-" }
                table.append([
                    TextTable.Cell(neighbor.destination?.description ?? "-"), TextTable.Cell(names[neighbor.interfaceIndex]),
                    TextTable.Cell(neighbor.linkAddress.map(HardwareAddress.hex) ?? "-"),
                    TextTable.Cell(states.joined(by: ","), color: bad ? "31" : neighbor.state & 0x02 != 0 ? "32" : nil),
                    TextTable.Cell(neighbor.flags & 0x80 != 0 ? "yes" : "-"),
                    TextTable.Cell(neighbor.probes.map(String.init) ?? "-"),
                    TextTable.Cell(seconds(neighbor.used)), TextTable.Cell(seconds(neighbor.confirmed)), TextTable.Cell(seconds(neighbor.updated)),
                ])
            }
            table.render(to: sink, options: options)
        }
    }

    /// The keys of iproute2's print_neigh, plus the `-s` statistics.
    package static func writeFields(_ neighbor: Neighbor, names: InterfaceNames, into json: inout JSONWriter) {
        json.field("dst", neighbor.destination?.description)
        json.field("dev", names[neighbor.interfaceIndex])
        if let lladdr = neighbor.linkAddress { json.field("lladdr", HardwareAddress.hex(lladdr)) }
        if neighbor.flags & 0x80 != 0 { json.key("router"); json.null() }
        if neighbor.flags & 0x08 != 0 { json.key("proxy"); json.null() }
        if neighbor.flags & 0x10 != 0 { json.key("extern_learn"); json.null() }
        if neighbor.flags & 0x20 != 0 { json.key("offload"); json.null() }
        if let proto = neighbor.proto { json.field("protocol", RouteNames.proto(proto)) }
        if neighbor.state != 0 { json.field("state", strings: RouteNames.neighborStates(neighbor.state)) }
        json.field("probes", neighbor.probes)
        // NDA_CACHEINFO counts clock ticks (USER_HZ = 100); `ip -s neigh` prints seconds.
        json.field("used", neighbor.used.map { $0 / 100 })
        json.field("confirmed", neighbor.confirmed.map { $0 / 100 })
        json.field("updated", neighbor.updated.map { $0 / 100 })
        json.field("refcnt", neighbor.referenceCount)
    }
}
