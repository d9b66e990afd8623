import NetAnalysis
import NetModel
import NetOutput

/// `netscope drops --stack`: the stack drawn as boxes, one per layer from the sockets down to
/// the NIC, the receive path on the left (read it bottom up) and the transmit path on the
/// right (top down), each side with the packets through that layer and its biggest drop
/// counter. 80 columns; red where a counter grew in the interval (or, without one, is not
/// zero), plain text without colour.
package enum DropStackRenderer {
    static let nameWidth = 10
    static let sideWidth = 30

    package struct Traffic {
        /// Packets (or packets per second with a rate) through each layer and direction.
        package var receive: [DropLayer: Double]
        package var transmit: [DropLayer: Double]
        package var perSecond: Bool

        package init(before: DropThroughput?, after: DropThroughput, seconds: Double) {
            perSecond = before != nil && seconds > 0
            func values(_ now: [DropLayer: UInt64], _ then: [DropLayer: UInt64]?) -> [DropLayer: Double] {
                var result: [DropLayer: Double] = [:]
                for (layer, value) in now {
                    if let then, seconds > 0 {
                        let old = then[layer] ?? 0
                        result[layer] = Double(value >= old ? value - old : value) / seconds
                    } else {
                        result[layer] = Double(value)
                    }
                }
                return result
            }
            receive = values(after.receive, before?.receive)
            transmit = values(after.transmit, before?.transmit)
        }
    }

    package static func render(_ rows: [DropRow], traffic: Traffic, interval: Bool, to sink: OutputSink, options: RenderOptions) {
        let rule = "+" + String(repeating: "-", count: nameWidth + 2) + "+" + String(repeating: "-", count: sideWidth + 2) + "+"
            + String(repeating: "-", count: sideWidth + 2) + "+\n"
        let unit = traffic.perSecond ? " pkt/s" : " pkts"
        sink.write(rule)
        sink.write(line("LAYER", ("RECEIVE (read upwards)", nil), ("TRANSMIT (read downwards)", nil), color: options.color))
        let heading = traffic.perSecond ? "packets per second; drops" : "packets since boot; drops"
        sink.write(line("", (heading, nil), (heading, nil), color: options.color))
        for layer in DropLayer.allCases {
            sink.write(rule)
            let receiveTraffic = traffic.receive[layer].map { Units.human($0) + unit } ?? ""
            let transmitTraffic = traffic.transmit[layer].map { Units.human($0) + unit } ?? ""
            let receive = worst(rows, layer: layer, paths: [.receive, .both], interval: interval)
            let transmit = worst(rows, layer: layer, paths: [.transmit, .both], interval: interval)
            sink.write(line(layer.name, (receiveTraffic, nil), (transmitTraffic, nil), color: options.color))
            sink.write(line("", receive, transmit, color: options.color))
        }
        sink.write(rule)
        sink.write(interval ? "Drops: the counter that grew most per side (+N others); `drops --interval` has all.\n"
                            : "Drops: the largest counter per side since boot (+N others); `drops` lists all.\n")
    }

    /// The drop counter of this layer and side that grew most (with an interval) or is largest,
    /// as "VALUE COUNTER (+others) OBJECT" (+DELTA with an interval); "no drops" else.
    static func worst(_ rows: [DropRow], layer: DropLayer, paths: [DropPath], interval: Bool) -> (String, String?) {
        let candidates = rows.filter {
            $0.counter.layer == layer && paths.contains($0.counter.path) && !$0.counter.isGauge && !DropCatalog.pressure.contains($0.counter.counter)
        }
        let score: (DropRow) -> UInt64 = { interval ? UInt64(max(0, $0.delta ?? 0)) : $0.counter.value }
        let nonzero = candidates.filter { score($0) > 0 }
        guard let top = nonzero.max(by: { score($0) < score($1) }) else {
            return (candidates.isEmpty && !(layer == .socket && paths.contains(.receive)) ? "" : "no drops", nil)
        }
        var text = (interval ? "+\(score(top)) " : "\(top.counter.value) ") + top.counter.counter
        if nonzero.count > 1 { text += " (+\(nonzero.count - 1))" }
        if [.socket, .qdisc, .device, .driver].contains(layer) {
            text += " " + top.counter.object.replacingFirst(" qdisc ", with: " ").replacingFirst(" class ", with: " ")
        }
        return (text, interval ? "31" : "33")
    }

    static func line(_ name: String, _ left: (String, String?), _ right: (String, String?), color: Bool) -> String {
        func cell(_ value: (String, String?), width: Int) -> String {
            var text = value.0
            if text.count > width { text = String(text.prefix(width - 1)) + "…" }
            let padded = text + String(repeating: " ", count: width - text.count)
            guard color, let code = value.1, !text.isEmpty else { return padded }
            return "\u{1B}[\(code)m" + padded + "\u{1B}[0m"
        }
        return "| " + cell((name, nil), width: nameWidth) + " | " + cell(left, width: sideWidth) + " | " + cell(right, width: sideWidth) + " |\n"
    }
}

extension String {
    /// The first occurrence of `target` replaced (no Foundation in the renderers).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
