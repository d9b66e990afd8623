import NetAnalysis
import NetModel
import NetOutput


/// Renders watch events: one timestamped line each, or NDJSON.
package enum WatchRenderer {
    package static func render(_ events: [WatchEvent], names: InterfaceNames, time: Timestamp, to sink: OutputSink, options: RenderOptions) {
        for event in events {
            if options.format == .table {
                var line = "\(time.clock)  \(pad(event.action.rawValue, 7))  \(pad(event.object.kind.singular, 5))  \(summary(event.object, names: names))"
                if event.resync { line += "  [resync]" }
                sink.write(TextTable.terminalSafe(line) + "\n")
            } else {
                var json = JSONWriter(sink)
                json.beginObject()
                json.field("time", time.rfc3339)
                json.field("event", event.action.rawValue)
                json.field("kind", event.object.kind.singular)
                json.field("resync", event.resync)
                json.field("id", event.key)
                json.key("object")
                json.beginObject()
                switch event.object {
                case .link(let interface): LinkJSON.writeFields(interface, names: names, into: &json)
                case .address(let address):
                    json.field("ifindex", address.interfaceIndex)
                    json.field("ifname", names[address.interfaceIndex])
                    json.key("addr_info")
                    json.beginArray()
                    AddressRenderer.writeAddress(address, into: &json)
                    json.endArray()
                case .route(let route): RouteRenderer.writeFields(route, names: names, showTable: true, into: &json)
                case .neighbor(let neighbor): NeighborRenderer.writeFields(neighbor, names: names, into: &json)
                case .rule(let rule):
                    json.field("family", RouteNames.family(rule.family))
                    RuleRenderer.writeFields(rule, into: &json)
                }
                json.endObject()
                json.endObject()
                json.newline()
            }
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// The object in one line, in the words of `ip monitor`.
    package static func summary(_ object: WatchedObject, names: InterfaceNames) -> String {
        switch object {
        case .link(let i):
            var parts = ["\(i.index): \(i.name)", i.operState?.name ?? "-", "mtu \(i.mtu.map(String.init) ?? "-")"]
            if let kind = i.kind { parts.append(kind) }
            if let master = i.masterIndex { parts.append("master \(names[master])") }
            parts.append("<\(i.flags.names.joined(by: ","))>")
            return parts.joined(by: " ")
        case .address(let a):
            return "\(names[a.interfaceIndex]) \(a.family.name) \(AddressRenderer.addressText(a)) scope \(ScopeNames.name(a.scope))"
        case .route(let r):
            var parts = [r.type == 1 ? "" : RouteNames.type(r.type) + " ", RouteRenderer.destinationText(r)].joined()
            if let gateway = r.gateway { parts += " via \(gateway)" }
            for hop in r.nexthops { parts += " nexthop via \(hop.gateway?.description ?? "-") dev \(names[hop.interfaceIndex]) weight \(hop.weight)" }
            if let oif = r.outputInterface { parts += " dev \(names[oif])" }
            if r.table != Route.mainTable { parts += " table \(RouteNames.table(r.table))" }
            parts += " proto \(RouteNames.proto(r.proto))"
            if r.scope != 0 { parts += " scope \(ScopeNames.name(r.scope))" }
            if let source = r.preferredSource { parts += " src \(source)" }
            if let metric = r.priority { parts += " metric \(metric)" }
            return parts
        case .neighbor(let n):
            var parts = "\(n.destination?.description ?? "-") dev \(names[n.interfaceIndex])"
            if let lladdr = n.linkAddress { parts += " lladdr \(HardwareAddress.hex(lladdr))" }
            if n.flags & 0x80 != 0 { parts += " router" }
            return parts + " " + RouteNames.neighborStates(n.state).joined(by: ",")
        case .rule(let r):
            var text = "\(r.priority ?? 0): from "
            if let source = r.source { text += "\(source)/\(r.sourceLength)" } else { text += "all" }
            if let destination = r.destination { text += " to \(destination)/\(r.destinationLength)" }
            if let iif = r.inputInterface { text += " iif \(iif)" }
            if let mark = r.fwmark { text += " fwmark 0x" + String(mark, radix: 16) }
            return text + " " + RuleRenderer.actionText(r)
        }
    }
}
