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
        var byInterface: [Int32: [InterfaceAddress]] = [:]
        for address in addresses { byInterface[address.interfaceIndex, default: []].append(address) }
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(interfaces, to: sink, lines: options.format == .ndjson) { json, interface in
                json.beginObject()
                LinkJSON.writeFields(interface, names: names, into: &json)
                json.key("addr_info")
                json.beginArray()
                for address in byInterface[interface.index] ?? [] { writeAddress(address, into: &json) }
                json.endArray()
                json.endObject()
            }
        case .table:
            var table = TextTable(columns: [
                .init("IFACE"), .init("STATE"), .init("FAMILY"), .init("ADDRESS"), .init("BROADCAST"), .init("SCOPE"),
                .init("LABEL"), .init("VALID", .right), .init("PREFERRED", .right), .init("FLAGS"),
            ])
            for interface in interfaces {
                let state = LinkRenderer.stateCell(interface.operState)
                let list = byInterface[interface.index] ?? []
                if list.isEmpty {
                    table.append([TextTable.Cell(interface.name), state, "-", "-", "-", "-", "-", "-", "-", "-"])
                }
                for address in list {
                    table.append([
                        TextTable.Cell(interface.name), state, TextTable.Cell(address.family.name),
                        TextTable.Cell(addressText(address), color: "36"),
                        TextTable.Cell(address.broadcast?.description ?? "-"),
                        TextTable.Cell(ScopeNames.name(address.scope)),
                        TextTable.Cell(address.label ?? "-"),
                        TextTable.Cell(lifetime(address.validLifetime)),
                        TextTable.Cell(lifetime(address.preferredLifetime)),
                        TextTable.Cell(address.flags.names(family: address.family).joined(separator: ",")),
                    ])
                }
            }
            table.render(to: sink, options: options)
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
            if name.hasPrefix("flags ") { json.field("flags", String(name.dropFirst(6))) } else { json.field(name, true) }
        }
        json.field("label", address.label)
        json.field("metric", address.metric)
        if let proto = address.proto { json.field("protocol", addressProtocolName(proto)) }
        json.field("valid_life_time", address.validLifetime)
        json.field("preferred_life_time", address.preferredLifetime)
    }
}
