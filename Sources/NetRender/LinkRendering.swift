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
        json.key("flags")
        json.beginArray()
        names.forEachFlagName(interface) { json.string($0) }
        json.endArray()
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
            writeHardwareAddress("address", address, linkType: interface.linkType, into: &json)
        }
        if let permanent = interface.permanentAddress, permanent != interface.address {
            writeHardwareAddress("permaddr", permanent, linkType: interface.linkType, into: &json)
        }
        if let broadcast = interface.broadcast {
            if interface.flags.contains(.pointToPoint) { json.field("link_pointtopoint", true) }
            writeHardwareAddress("broadcast", broadcast, linkType: interface.linkType, into: &json)
        }
        if let netns = interface.linkNetnsID {
            if netns >= 0 { json.field("link_netnsid", netns) } else { json.field("link_netnsid", "unknown") }
        }
        withUnsafeTemporaryAllocation(of: UInt64?.self, capacity: 4) { values in
            values[0] = interface.promiscuity.map(UInt64.init); values[1] = interface.allmulti.map(UInt64.init)
            values[2] = interface.minMTU.map(UInt64.init); values[3] = interface.maxMTU.map(UInt64.init)
            json.members(countKeys, UnsafeBufferPointer(values))
        }
        if interface.kind != nil || interface.portKind != nil {
            json.key("linkinfo")
            json.beginObject()
            json.field("info_kind", interface.kind)
            if let data = interface.details?.kindData {
                json.key("info_data")
                json.beginObject()
                AttributeValueRenderer.write(data, names: names, into: &json)
                json.endObject()
            }
            json.field("info_slave_kind", interface.portKind)
            if let data = interface.details?.portData {
                json.key("info_slave_data")
                json.beginObject()
                AttributeValueRenderer.write(data, names: names, into: &json)
                json.endObject()
            }
            json.endObject()
        }
        json.field("inet6_addr_gen_mode", interface.details?.addressGenerationMode)
        withUnsafeTemporaryAllocation(of: UInt64?.self, capacity: 8) { values in
            values[0] = interface.txQueues.map(UInt64.init); values[1] = interface.rxQueues.map(UInt64.init)
            values[2] = interface.gsoMaxSize.map(UInt64.init); values[3] = interface.gsoMaxSegments.map(UInt64.init)
            values[4] = interface.tsoMaxSize.map(UInt64.init); values[5] = interface.tsoMaxSegments.map(UInt64.init)
            values[6] = interface.groMaxSize.map(UInt64.init); values[7] = interface.carrierChanges.map(UInt64.init)
            json.members(limitKeys, UnsafeBufferPointer(values))
        }
        json.field("ifalias", interface.alias)
        if !interface.alternativeNames.isEmpty { json.field("altnames", strings: interface.alternativeNames) }
    }
}

extension LinkJSON {
    /// Runs of numeric members, written with their keys pre-rendered.
    static let countKeys = JSONKeys(["promiscuity", "allmulti", "min_mtu", "max_mtu"])
    static let limitKeys = JSONKeys([
        "num_tx_queues", "num_rx_queues", "gso_max_size", "gso_max_segs", "tso_max_size", "tso_max_segs",
        "gro_max_size", "carrier_changes",
    ])

    /// A link-layer address as ip prints it, hex pairs written straight into the output.
    static func writeHardwareAddress(_ name: StaticString, _ bytes: [UInt8], linkType: UInt16, into json: inout JSONWriter) {
        if HardwareAddress.isHexadecimal(linkType: linkType, count: bytes.count) {
            json.field(name, hexPairs: bytes)
        } else {
            json.field(name, HardwareAddress.format(bytes, linkType: linkType))
        }
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
            // ByteTable: numbers, addresses and flag words go into one arena, not eleven
            // Strings per link (they were a quarter of `links` on a thousand links).
            // With -d, one more column: what `ip -d link` adds, under the JSON keys.
            let detailed = interfaces.contains { $0.details != nil }
            var table = ByteTable(columns: detailed ? columns + [.init("DETAILS")] : columns, expectedRows: interfaces.count)
            for interface in interfaces {
                addRow(interface, names: names, to: &table)
                if detailed { table.cell(detailsText(interface, names: names)) }
            }
            table.renderWhole(to: sink, options: options)
        }
    }

    static let columns: [TextTable.Column] = [
        .init("IDX", .right), .init("NAME"), .init("STATE"), .init("MTU", .right), .init("QDISC"),
        .init("TXQLEN", .right), .init("MAC"), .init("KIND"), .init("MASTER"), .init("PEER"), .init("FLAGS"),
    ]

    static func addRow(_ interface: Interface, names: InterfaceNames, to table: inout ByteTable) {
        func number(_ value: UInt32?) {
            if let value { table.append(decimal: UInt64(value)) } else { table.append(byte: 45) }
            table.endCell()
        }
        func text(_ value: String?) { table.cell(value ?? "-") }
        if interface.index < 0 { table.append(byte: 45) }
        table.append(decimal: UInt64(interface.index.magnitude))
        table.endCell()
        table.append(interface.name)
        table.endCell()
        stateCell(interface.operState, to: &table)
        number(interface.mtu)
        text(interface.qdisc)
        number(interface.txQueueLength)
        if let address = interface.address {
            if HardwareAddress.isHexadecimal(linkType: interface.linkType, count: address.count) {
                table.append(hexPairs: address)
            } else {
                table.append(HardwareAddress.format(address, linkType: interface.linkType))
            }
        } else {
            table.append(byte: 45)
        }
        table.endCell()
        text(interface.kind)
        text(interface.masterIndex.map { names[$0] })
        text(LinkPeer(interface, names: names).text)
        table.append(commaSeparated: { names.forEachFlagName(interface, $0) })
        table.endCell()
    }

    /// `bridge forward_delay 1500 … bridge_slave state forwarding … addrgenmode eui64`: the
    /// kind and its details, the port's, then the IPv6 address generation mode.
    static func detailsText(_ interface: Interface, names: InterfaceNames) -> String {
        guard let details = interface.details else { return "-" }
        var words: [String] = []
        func add(_ label: String?, _ fields: [AttributeValue.Field]?) {
            guard let fields else { return }
            if let label { words.append(label) }
            for field in fields { words.append("\(field.name) \(AttributeValueRenderer.text(field.value, names: names))") }
        }
        add(interface.kind, details.kindData)
        add(interface.portKind.map { $0 + "_slave" }, details.portData)
        if let mode = details.addressGenerationMode { words.append("addrgenmode \(mode)") }
        return words.isEmpty ? "-" : words.joined(by: " ")
    }

    /// UP green, DOWN/LOWERLAYERDOWN red, anything else yellow (as `ip -c` does).
    static func stateColor(_ state: OperState) -> UInt8 {
        switch state {
        case .up: return 32
        case .down, .lowerLayerDown, .notPresent: return 31
        default: return 33
        }
    }

    /// The state as a ByteTable cell, colored as `stateColor` says.
    static func stateCell(_ state: OperState?, to table: inout ByteTable) {
        if let state { table.cell(state.name, color: stateColor(state)) } else { table.cell("-") }
    }

    /// The state as a TextTable cell, colored as `stateColor` says.
    static func stateCell(_ state: OperState?) -> TextTable.Cell {
        guard let state else { return TextTable.Cell("-") }
        return TextTable.Cell(state.name, color: String(stateColor(state)))
    }
}
