import NetOutput
import NetAnalysis
import NetModel

/// `netscope addrs`: one row per address, or `ip -j addr`-shaped JSON (each interface with
/// its `addr_info` list).
package enum AddressRenderer {
    package static func render(
        _ interfaces: [Interface], addresses: [InterfaceAddress], names: InterfaceNames,
        to sink: OutputSink, options: RenderOptions
    ) {
        let grouped = Grouped(addresses)
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(interfaces, to: sink, lines: options.format == .ndjson) { json, interface in
                json.beginObject()
                LinkJSON.writeFields(interface, names: names, into: &json)
                json.key("addr_info")
                json.beginArray()
                for position in grouped.positions(of: interface.index) { writeAddress(addresses[position], into: &json) }
                json.endArray()
                json.endObject()
            }
        case .table:
            // ByteTable: addresses are formatted straight into the row, no String per cell.
            var table = ByteTable(columns: columns, expectedRows: addresses.count + interfaces.count)
            for interface in interfaces {
                let positions = grouped.positions(of: interface.index)
                if positions.isEmpty {
                    table.append(interface.name)
                    table.endCell()
                    LinkRenderer.stateCell(interface.operState, to: &table)
                    for _ in 0..<8 { table.cell("-") }
                }
                for position in positions {
                    addRow(addresses[position], interface: interface, to: &table)
                }
            }
            table.renderWhole(to: sink, options: options)
        }
    }

    static let columns: [TextTable.Column] = [
        .init("IFACE"), .init("STATE"), .init("FAMILY"), .init("ADDRESS"), .init("BROADCAST"), .init("SCOPE"),
        .init("LABEL"), .init("VALID", .right), .init("PREFERRED", .right), .init("FLAGS"),
    ]

    /// The addresses' positions sorted by interface (kernel order within one): each
    /// interface's are found by binary search, with no array per interface.
    struct Grouped {
        let addresses: [InterfaceAddress]
        let order: [Int]

        init(_ addresses: [InterfaceAddress]) {
            self.addresses = addresses
            order = addresses.indices.sorted {
                let (a, b) = (addresses[$0].interfaceIndex, addresses[$1].interfaceIndex)
                return a != b ? a < b : $0 < $1
            }
        }

        func positions(of index: Int32) -> ArraySlice<Int> {
            var low = 0
            var high = order.count
            while low < high {
                let middle = (low + high) / 2
                if addresses[order[middle]].interfaceIndex < index { low = middle + 1 } else { high = middle }
            }
            var end = low
            while end < order.count && addresses[order[end]].interfaceIndex == index { end += 1 }
            return order[low..<end]
        }
    }

    static func addRow(_ address: InterfaceAddress, interface: Interface, to table: inout ByteTable) {
        table.append(interface.name)
        table.endCell()
        LinkRenderer.stateCell(interface.operState, to: &table)
        table.cell(address.family.name)
        if let primary = address.primary {
            if let local = address.local, let peer = address.address, peer != local {
                table.append(address: local)
                table.append(" peer ")
                table.append(address: peer)
            } else {
                table.append(address: primary)
            }
            table.append(byte: 47)
            table.append(decimal: UInt64(address.prefixLength))
        } else {
            table.append(byte: 45)
        }
        table.endCell(color: 36)
        if let broadcast = address.broadcast { table.append(address: broadcast) } else { table.append(byte: 45) }
        table.endCell()
        table.cell(ScopeNames.name(address.scope))
        table.cell(address.label ?? "-")
        appendLifetime(address.validLifetime, to: &table)
        appendLifetime(address.preferredLifetime, to: &table)
        table.append(commaSeparated: { address.flags.forEachName(family: address.family, $0) })
        table.endCell()
    }

    /// A lifetime cell as `lifetime` words it.
    static func appendLifetime(_ value: UInt32?, to table: inout ByteTable) {
        if let value, value != InterfaceAddress.forever {
            table.append(decimal: UInt64(value))
            table.append("sec")
            table.endCell()
        } else {
            table.cell(value == nil ? "-" : "forever")
        }
    }

    /// "10.0.0.1/24", or "10.0.0.1 peer 10.0.0.2/32" on point-to-point links.
    static func addressText(_ address: InterfaceAddress) -> String { address.text }

    /// IFA_PROTO names as iproute2 prints them (rt_addrprotos): IFAPROT_UNSPEC, IFAPROT_KERNEL_LO,
    /// IFAPROT_KERNEL_RA, IFAPROT_KERNEL_LL; other values as numbers.
    static func addressProtocolName(_ proto: UInt8) -> String {
        switch proto {
        case 0: return "unspec"
        case 1: return "kernel_lo"
        case 2: return "kernel_ra"
        case 3: return "kernel_ll"
        default: return String(proto)
        }
    }

    /// "forever" or "<N>sec", as iproute2 prints lifetimes.
    static func lifetime(_ value: UInt32?) -> String {
        guard let value else { return "-" }
        return value == InterfaceAddress.forever ? "forever" : "\(value)sec"
    }

    /// One addr_info element with the keys of `ip -j addr` (print_addrinfo).
    static func writeAddress(_ address: InterfaceAddress, into json: inout JSONWriter) {
        json.beginObject()
        writeAddressFields(address, into: &json)
        json.endObject()
    }

    package static func writeAddressFields(_ address: InterfaceAddress, into json: inout JSONWriter) {
        json.field("family", address.family.name)
        if let local = address.local {
            json.field("local", local.description)
            if let peer = address.address, peer != local { json.field("address", peer.description) }
        } else if let only = address.address {
            json.field("local", only.description)
        }
        json.field("prefixlen", address.prefixLength)
        json.field("broadcast", address.broadcast?.description)
        json.field("anycast", address.anycast?.description)
        json.field("scope", ScopeNames.name(address.scope))
        for name in address.flags.names(family: address.family) {
            if name.hasPrefix("flags ") { json.field("flags", String(name.dropFirst(6))) } else { json.key(escaping: name); json.bool(true) }
        }
        json.field("label", address.label)
        json.field("metric", address.metric)
        if let proto = address.proto { json.field("protocol", addressProtocolName(proto)) }
        json.field("valid_life_time", address.validLifetime)
        json.field("preferred_life_time", address.preferredLifetime)
    }
}
