import NetModel
import NetOutput

/// `netscope qdiscs` and `netscope classes`: a table like `tc -s qdisc/class show`, and JSON
/// with tc's keys (qdiscs as `tc -s -j qdisc show`, classes as upstream tc's class JSON,
/// statistics under "stats").
package enum TrafficControlRenderer {
    /// `role`: what is listed, for the table's columns when there is no row to tell.
    package static func render(
        _ objects: [TrafficControlObject], role: TrafficControlObject.Role? = nil, names: InterfaceNames, to sink: OutputSink, options: RenderOptions
    ) {
        switch options.format {
        case .json, .ndjson:
            JSONWriter.list(objects, to: sink, lines: options.format == .ndjson) { json, object in
                json.beginObject()
                if object.role == .qdisc { writeQdisc(object, names: names, into: &json) } else { writeClass(object, names: names, into: &json) }
                json.endObject()
            }
        case .table:
            let classes = (role ?? objects.first?.role) == .trafficClass
            var columns: [TextTable.Column] = [.init("DEV"), .init("KIND"), .init(classes ? "CLASSID" : "HANDLE"), .init("PARENT")]
            if classes { columns.append(.init("LEAF")) }
            columns += [
                .init("BYTES", .right), .init("PACKETS", .right), .init("DROPS", .right), .init("OVERLIMITS", .right),
                .init("REQUEUES", .right), .init("BACKLOG", .right), .init("QLEN", .right), .init("OPTIONS"),
            ]
            // ByteTable: numbers go in as digits, not Strings (a qdisc per interface on a big
            // host is thousands of rows).
            var table = ByteTable(columns: columns, expectedRows: objects.count)
            for object in objects {
                let stats = object.statistics
                table.cell(names[object.interfaceIndex])
                table.cell(object.kind)
                table.cell(object.handleName)
                table.cell(object.isRoot ? "root" : TrafficControlObject.classID(object.parent))
                if classes { table.cell(object.info == 0 ? "-" : String(object.info >> 16, radix: 16) + ":") }
                table.append(decimal: stats.bytes); table.endCell()
                table.append(decimal: stats.packets); table.endCell()
                table.append(decimal: UInt64(stats.drops)); table.endCell(color: stats.drops > 0 ? 31 : 0)
                table.append(decimal: UInt64(stats.overlimits)); table.endCell(color: stats.overlimits > 0 ? 33 : 0)
                table.append(decimal: UInt64(stats.requeues)); table.endCell()
                table.append(decimal: UInt64(stats.backlog)); table.append(byte: UInt8(ascii: "b")); table.endCell()
                table.append(decimal: UInt64(stats.queueLength)); table.endCell()
                appendOptions(object, to: &table)
                table.endCell()
            }
            table.render(to: sink, options: options)
        }
    }

    /// The options as tc prints them ("rate 1Mbit ceil 10Mbit burst 1600b", "limit 50p"),
    /// written straight into the row: a table of a thousand qdiscs makes no word arrays.
    static func appendOptions(_ object: TrafficControlObject, to table: inout ByteTable) {
        if let raw = object.rawOptions {
            table.append(raw.isEmpty ? "-" : "(\(raw.count) bytes not decoded)")
            return
        }
        var written = false
        func name(_ text: String) {
            if written { table.append(byte: UInt8(ascii: " ")) }
            written = true
            table.append(text)
            table.append(byte: UInt8(ascii: " "))
        }
        for field in object.options {
            switch (field.name, field.value) {
            case ("rate", .unsigned(let value)), ("ceil", .unsigned(let value)):
                name(field.name)
                appendRate(value, to: &table)
            case ("burst", .unsigned(let value)), ("cburst", .unsigned(let value)), ("minburst", .unsigned(let value)):
                name(field.name)
                table.append(decimal: value)
                table.append(byte: UInt8(ascii: "b"))
            case ("limit", .unsigned(let value)):
                name("limit")
                table.append(decimal: value)
                table.append(byte: object.kind == "pfifo" ? UInt8(ascii: "p") : UInt8(ascii: "b"))
            case ("lat", .unsigned(let value)), ("target", .unsigned(let value)), ("interval", .unsigned(let value)),
                 ("ce_threshold", .unsigned(let value)):
                name(field.name)
                table.append(microseconds(value))
            case ("multiqueue", .bool(false)): continue
            case (_, .list(let values)):
                name(field.name)
                for (index, value) in values.enumerated() {
                    if index > 0 { table.append(byte: UInt8(ascii: " ")) }
                    table.append(decimal: value)
                }
            default:
                name(field.name)
                table.append(AttributeValueRenderer.text(field.value))
            }
        }
        if let bps = object.statistics.rateBytesPerSecond, let pps = object.statistics.ratePacketsPerSecond {
            name("est")
            appendRate(bps, to: &table)
            table.append(byte: UInt8(ascii: " "))
            table.append(decimal: pps)
            table.append("pps")
        }
        if !written { table.append("-") }
    }

    /// `rate(_:)` without Doubles for the usual case, a rate that is whole in its unit.
    static func appendRate(_ bytesPerSecond: UInt64, to table: inout ByteTable) {
        var bits = bytesPerSecond &* 8
        var unit = 0
        while unit < 4, bits >= 1000, bits % 1000 == 0 {
            bits /= 1000
            unit += 1
        }
        guard bits < 1_000_000 || unit == 4 else { return table.append(rate(bytesPerSecond)) }
        table.append(decimal: bits)
        table.append(["bit", "Kbit", "Mbit", "Gbit", "Tbit"][unit])
    }

    /// tc's sprint_rate: bits per second in the largest unit that keeps it whole (or ≥ 1000×).
    static func rate(_ bytesPerSecond: UInt64) -> String {
        var value = Double(bytesPerSecond) * 8
        var unit = 0
        let units = ["bit", "Kbit", "Mbit", "Gbit", "Tbit"]
        while unit < units.count - 1, value >= 1000, value.truncatingRemainder(dividingBy: 1000) == 0 || value >= 1_000_000 {
            value /= 1000
            unit += 1
        }
        return Units.fixed(value, decimals: value == value.rounded() ? 0 : 1) + units[unit]
    }

    static func microseconds(_ value: UInt64) -> String {
        value >= 1_000_000 ? Units.fixed(Double(value) / 1e6, decimals: value % 1_000_000 == 0 ? 0 : 1) + "s"
            : value >= 1000 ? Units.fixed(Double(value) / 1000, decimals: value % 1000 == 0 ? 0 : 1) + "ms" : "\(value)us"
    }

    /// Raw option bytes as one lowercase hex string.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    static func writeStatistics(_ object: TrafficControlObject, into json: inout JSONWriter) {
        let stats = object.statistics
        json.field("bytes", stats.bytes)
        json.field("packets", stats.packets)
        json.field("drops", stats.drops)
        json.field("overlimits", stats.overlimits)
        json.field("requeues", stats.requeues)
        if let bps = stats.rateBytesPerSecond { json.field("rate", bps) }
        if let pps = stats.ratePacketsPerSecond { json.field("pps", pps) }
        json.field("backlog", stats.backlog)
        json.field("qlen", stats.queueLength)
        AttributeValueRenderer.write(object.extendedStatistics, into: &json)
    }

    /// tc's print_qdisc: kind, handle, dev, root or parent, refcnt (when not 1), options, stats, xstats.
    package static func writeQdisc(_ object: TrafficControlObject, names: InterfaceNames, into json: inout JSONWriter) {
        json.field("kind", object.kind)
        json.field("handle", object.handleName)
        json.field("dev", names[object.interfaceIndex])
        if object.isRoot { json.field("root", true) } else if object.parent != 0 { json.field("parent", TrafficControlObject.classID(object.parent)) }
        if object.info != 1 { json.field("refcnt", object.info) }
        if object.offloaded { json.field("offloaded", true) }
        json.key("options")
        json.beginObject()
        AttributeValueRenderer.write(object.options, into: &json)
        json.endObject()
        if let raw = object.rawOptions, !raw.isEmpty { json.field("options_raw", hex(raw)) }
        writeStatistics(object, into: &json)
    }

    /// tc's print_class: class (the kind), handle, dev, root or parent, leaf, the options, "stats".
    package static func writeClass(_ object: TrafficControlObject, names: InterfaceNames, into json: inout JSONWriter) {
        json.field("class", object.kind)
        json.field("handle", object.handleName)
        json.field("dev", names[object.interfaceIndex])
        if object.isRoot { json.field("root", true) } else { json.field("parent", TrafficControlObject.classID(object.parent)) }
        if object.info != 0 { json.field("leaf", "0x" + String(object.info >> 16, radix: 16)) }
        AttributeValueRenderer.write(object.options, into: &json)
        if let raw = object.rawOptions, !raw.isEmpty { json.field("options_raw", hex(raw)) }
        json.key("stats")
        json.beginObject()
        writeStatistics(object, into: &json)
        json.endObject()
    }
}
