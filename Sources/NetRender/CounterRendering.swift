import NetOutput
import NetAnalysis
import NetModel

/// `netscope counters`: rtnl_link_stats64 per interface, and rates between samples.
package enum CounterRenderer {
    /// `exact`: print whole numbers instead of `ip -h`-style units. `detailed`: the error
    /// breakdown of `ip -s -s`.
    package static func render(
        _ interfaces: [Interface], names: InterfaceNames, detailed: Bool, exact: Bool,
        to sink: OutputSink, options: RenderOptions
    ) {
        // Lazily: a filtered copy of a thousand Interface values was 5% of `counters --json`.
        let withStats = interfaces.lazy.filter { $0.statistics != nil }
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(withStats, to: sink, lines: options.format == .ndjson) { json, interface in
                json.beginObject()
                LinkJSON.writeFields(interface, names: names, into: &json)
                writeStats64(interface.statistics!, carrierChanges: interface.carrierChanges, into: &json)
                json.endObject()
            }
        case .table:
            let number: (UInt64) -> TextTable.Cell = { TextTable.Cell(exact ? String($0) : Units.human($0)) }
            var columns: [TextTable.Column] = [
                .init("IFACE"), .init("RX-BYTES", .right), .init("RX-PKTS", .right), .init("RX-ERR", .right),
                .init("RX-DROP", .right), .init("RX-MCAST", .right), .init("TX-BYTES", .right), .init("TX-PKTS", .right),
                .init("TX-ERR", .right), .init("TX-DROP", .right), .init("TX-COLL", .right),
            ]
            let detail: [(String, KeyPath<LinkStatistics, UInt64>)] = [
                ("RX-LEN", \.rxLengthErrors), ("RX-OVER", \.rxOverErrors), ("RX-CRC", \.rxCRCErrors),
                ("RX-FRAME", \.rxFrameErrors), ("RX-FIFO", \.rxFIFOErrors), ("RX-MISSED", \.rxMissedErrors),
                ("RX-NOHANDLER", \.rxNoHandler), ("RX-OTHERHOST", \.rxOtherhostDropped),
                ("TX-ABORT", \.txAbortedErrors), ("TX-CARRIER", \.txCarrierErrors), ("TX-FIFO", \.txFIFOErrors),
                ("TX-HEARTBEAT", \.txHeartbeatErrors), ("TX-WINDOW", \.txWindowErrors),
            ]
            if detailed { columns += detail.map { .init($0.0, .right) } + [.init("CARRIER-CHANGES", .right)] }
            var table = TextTable(columns: columns)
            for interface in withStats {
                let s = interface.statistics!
                var row: [TextTable.Cell] = [
                    TextTable.Cell(interface.name), number(s.rxBytes), number(s.rxPackets), errorCell(s.rxErrors, number),
                    errorCell(s.rxDropped, number), number(s.multicast), number(s.txBytes), number(s.txPackets),
                    errorCell(s.txErrors, number), errorCell(s.txDropped, number), errorCell(s.collisions, number),
                ]
                if detailed {
                    row += detail.map { errorCell(s[keyPath: $0.1], number) }
                    row.append(TextTable.Cell(interface.carrierChanges.map(String.init) ?? "-"))
                }
                table.append(row)
            }
            table.render(to: sink, options: options)
        }
    }

    /// Non-zero error and drop counts in red.
    static func errorCell(_ value: UInt64, _ number: (UInt64) -> TextTable.Cell) -> TextTable.Cell {
        var cell = number(value)
        if value != 0 { cell.color = "31" }
        return cell
    }

    /// The `stats64` object of `ip -j -s -s link`.
    package static func writeStats64(_ s: LinkStatistics, carrierChanges: UInt32?, into json: inout JSONWriter) {
        json.key("stats64")
        json.beginObject()
        json.key("rx")
        json.beginObject()
        withUnsafeTemporaryAllocation(of: UInt64?.self, capacity: rxKeys.count) { rx in
            // Element by element: an array literal here would be an allocation per link.
            rx[0] = s.rxBytes; rx[1] = s.rxPackets; rx[2] = s.rxErrors; rx[3] = s.rxDropped; rx[4] = s.rxOverErrors
            rx[5] = s.multicast; rx[6] = s.rxCompressed; rx[7] = s.rxLengthErrors; rx[8] = s.rxCRCErrors
            rx[9] = s.rxFrameErrors; rx[10] = s.rxFIFOErrors; rx[11] = s.rxMissedErrors; rx[12] = s.rxNoHandler
            rx[13] = s.rxOtherhostDropped
            json.members(rxKeys, UnsafeBufferPointer(rx))
        }
        json.endObject()
        json.key("tx")
        json.beginObject()
        withUnsafeTemporaryAllocation(of: UInt64?.self, capacity: txKeys.count) { tx in
            tx[0] = s.txBytes; tx[1] = s.txPackets; tx[2] = s.txErrors; tx[3] = s.txDropped; tx[4] = s.txCarrierErrors
            tx[5] = s.collisions; tx[6] = s.txCompressed; tx[7] = s.txAbortedErrors; tx[8] = s.txFIFOErrors
            tx[9] = s.txWindowErrors; tx[10] = s.txHeartbeatErrors
            json.members(txKeys, UnsafeBufferPointer(tx))
        }
        json.field("carrier_changes", carrierChanges)
        json.endObject()
        json.endObject()
    }

    /// stats64's members in ip's order (print_link_stats64 with -s -s).
    static let rxKeys = JSONKeys([
        "bytes", "packets", "errors", "dropped", "over_errors", "multicast", "compressed", "length_errors",
        "crc_errors", "frame_errors", "fifo_errors", "missed_errors", "nohandler", "otherhost",
    ])
    static let txKeys = JSONKeys([
        "bytes", "packets", "errors", "dropped", "carrier_errors", "collisions", "compressed", "aborted_errors",
        "fifo_errors", "window_errors", "heartbeat_errors",
    ])

    /// One interval of the live rate view (like `sar -n DEV`): a row per interface.
    package static func renderRates(_ rates: [InterfaceRate], time: Timestamp, exact: Bool, to sink: OutputSink, options: RenderOptions) {
        func perSecond(_ value: UInt64, _ seconds: Double) -> Double { seconds > 0 ? Double(value) / seconds : 0 }
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(rates, to: sink, lines: options.format == .ndjson) { json, rate in
                json.beginObject()
                json.field("time", time.rfc3339)
                json.field("ifindex", rate.index)
                json.field("ifname", rate.name)
                json.key("interval"); json.double(rate.seconds)
                if let delta = rate.delta {
                    for (key, field) in rateFields {
                        json.key(key); json.double(perSecond(delta[keyPath: field], rate.seconds))
                    }
                } else {
                    json.field("note", rate.note ?? "no rate")
                }
                json.endObject()
            }
        case .table:
            var table = TextTable(columns: [
                .init("TIME"), .init("IFACE"), .init("RX-PKT/s", .right), .init("TX-PKT/s", .right),
                .init("RX-B/s", .right), .init("TX-B/s", .right), .init("RX-ERR/s", .right), .init("TX-ERR/s", .right),
                .init("RX-DROP/s", .right), .init("TX-DROP/s", .right), .init("NOTE"),
            ])
            for rate in rates {
                var row: [TextTable.Cell] = [TextTable.Cell(time.clock), TextTable.Cell(rate.name)]
                if let delta = rate.delta {
                    let fields: [KeyPath<LinkStatistics, UInt64>] = [
                        \.rxPackets, \.txPackets, \.rxBytes, \.txBytes, \.rxErrors, \.txErrors, \.rxDropped, \.txDropped,
                    ]
                    for (index, field) in fields.enumerated() {
                        let value = perSecond(delta[keyPath: field], rate.seconds)
                        var cell = TextTable.Cell(exact ? Units.fixed(value, decimals: 2) : Units.human(value))
                        if index >= 4 && value > 0 { cell.color = "31" }
                        row.append(cell)
                    }
                    row.append("")
                } else {
                    row += Array(repeating: TextTable.Cell("-"), count: 8) + [TextTable.Cell(rate.note ?? "")]
                }
                table.append(row)
            }
            table.render(to: sink, options: options)
        }
    }

    nonisolated(unsafe) static let rateFields: [(StaticString, KeyPath<LinkStatistics, UInt64>)] = [
        ("rx_bytes_per_sec", \.rxBytes), ("tx_bytes_per_sec", \.txBytes),
        ("rx_packets_per_sec", \.rxPackets), ("tx_packets_per_sec", \.txPackets),
        ("rx_errors_per_sec", \.rxErrors), ("tx_errors_per_sec", \.txErrors),
        ("rx_dropped_per_sec", \.rxDropped), ("tx_dropped_per_sec", \.txDropped),
        ("multicast_per_sec", \.multicast), ("collisions_per_sec", \.collisions),
    ]
}
