import NetOutput
import NetAnalysis
import NetModel

/// ifindex -> name, for master and peer names (what ll_index_to_name does in iproute2).
/// What iproute2 shows as the `@peer` of a link (veth peer, macvlan lower device).
package enum LinkPeer: Equatable, Sendable {
    case none
    /// IFLA_LINK is 0: iproute2 prints "@NONE" / "link": null.
    case unset
    case local(String)
    case otherNamespace(index: Int32, netnsID: Int32)

    package init(_ interface: Interface, names: InterfaceNames) {
        guard let index = interface.linkIndex else { self = .none; return }
        if index == 0 { self = .unset } else if let netns = interface.linkNetnsID {
            self = .otherNamespace(index: index, netnsID: netns)
        } else {
            self = .local(names[index])
        }
    }

    package var text: String? {
        switch self {
        case .none: return nil
        case .unset: return "NONE"
        case .local(let name): return name
        case let .otherNamespace(index, netnsID): return "if\(index) (netnsid \(netnsID))"
        }
    }
}

/// Link fields in the order and with the names of `ip -j -d link`.
package enum LinkJSON {
    package static func writeFields(_ interface: Interface, names: InterfaceNames, into json: inout JSONWriter) {
        json.field("ifindex", interface.index)
        switch LinkPeer(interface, names: names) {
        case .none: break
        case .unset: json.key("link"); json.null()
        case .local(let name): json.field("link", name)
        case .otherNamespace(let index, _): json.field("link_index", index)
        }
        json.field("ifname", interface.name)
        json.field("flags", strings: names.flagNames(interface))
        json.field("mtu", interface.mtu)
        json.field("qdisc", interface.qdisc)
        if let master = interface.masterIndex { json.field("master", names[master]) }
        json.field("operstate", interface.operState?.name)
        if let mode = interface.linkMode {
            switch mode {
            case 0: json.field("linkmode", "DEFAULT")
            case 1: json.field("linkmode", "DORMANT")
            default: json.field("linkmode", mode)
            }
        }
        if let group = interface.group { json.field("group", group == 0 ? "default" : String(group)) }
        json.field("txqlen", interface.txQueueLength)
        json.field("link_type", LinkTypeNames.name(interface.linkType))
        if let address = interface.address {
            json.field("address", HardwareAddress.format(address, linkType: interface.linkType))
        }
        if let permanent = interface.permanentAddress, permanent != interface.address {
            json.field("permaddr", HardwareAddress.format(permanent, linkType: interface.linkType))
        }
        if let broadcast = interface.broadcast {
            if interface.flags.contains(.pointToPoint) { json.field("link_pointtopoint", true) }
            json.field("broadcast", HardwareAddress.format(broadcast, linkType: interface.linkType))
        }
        if let netns = interface.linkNetnsID {
            if netns >= 0 { json.field("link_netnsid", netns) } else { json.field("link_netnsid", "unknown") }
        }
        json.field("promiscuity", interface.promiscuity)
        json.field("allmulti", interface.allmulti)
        json.field("min_mtu", interface.minMTU)
        json.field("max_mtu", interface.maxMTU)
        if interface.kind != nil || interface.portKind != nil {
            json.key("linkinfo")
            json.beginObject()
            json.field("info_kind", interface.kind)
            json.field("info_slave_kind", interface.portKind)
            json.endObject()
        }
        json.field("num_tx_queues", interface.txQueues)
        json.field("num_rx_queues", interface.rxQueues)
        json.field("gso_max_size", interface.gsoMaxSize)
        json.field("gso_max_segs", interface.gsoMaxSegments)
        json.field("tso_max_size", interface.tsoMaxSize)
        json.field("tso_max_segs", interface.tsoMaxSegments)
        json.field("gro_max_size", interface.groMaxSize)
        json.field("carrier_changes", interface.carrierChanges)
        json.field("ifalias", interface.alias)
        if !interface.alternativeNames.isEmpty { json.field("altnames", strings: interface.alternativeNames) }
    }
}

/// `netscope links`: a table like `ip -br link` with every column, or ip-compatible JSON.
package enum LinkRenderer {
    package static func render(_ interfaces: [Interface], names: InterfaceNames, to sink: OutputSink, options: RenderOptions) {
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(interfaces, to: sink, lines: options.format == .ndjson) { json, interface in
                json.beginObject()
                LinkJSON.writeFields(interface, names: names, into: &json)
                json.endObject()
            }
        case .table:
            var table = TextTable(columns: [
                .init("IDX", .right), .init("NAME"), .init("STATE"), .init("MTU", .right), .init("QDISC"),
                .init("TXQLEN", .right), .init("MAC"), .init("KIND"), .init("MASTER"), .init("PEER"), .init("FLAGS"),
            ])
            for interface in interfaces {
                table.append([
                    TextTable.Cell(String(interface.index)),
                    TextTable.Cell(interface.name),
                    stateCell(interface.operState),
                    TextTable.Cell(interface.mtu.map(String.init) ?? "-"),
                    TextTable.Cell(interface.qdisc ?? "-"),
                    TextTable.Cell(interface.txQueueLength.map(String.init) ?? "-"),
                    TextTable.Cell(interface.address.map { HardwareAddress.format($0, linkType: interface.linkType) } ?? "-"),
                    TextTable.Cell(interface.kind ?? "-"),
                    TextTable.Cell(interface.masterIndex.map { names[$0] } ?? "-"),
                    TextTable.Cell(LinkPeer(interface, names: names).text ?? "-"),
                    TextTable.Cell(names.flagNames(interface).joined(separator: ",")),
                ])
            }
            table.render(to: sink, options: options)
        }
    }

    /// UP green, DOWN/LOWERLAYERDOWN red, anything else yellow (as `ip -c` does).
    static func stateCell(_ state: OperState?) -> TextTable.Cell {
        guard let state else { return TextTable.Cell("-") }
        switch state {
        case .up: return TextTable.Cell(state.name, color: "32")
        case .down, .lowerLayerDown, .notPresent: return TextTable.Cell(state.name, color: "31")
        default: return TextTable.Cell(state.name, color: "33")
        }
    }
}
