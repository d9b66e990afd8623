/// What `netscope top` shows: one pane of an overview at a time, sorted by a chosen column,
/// cut to the terminal. Pure: lines of text from overviews, so it is tested without a terminal.
public struct TopView: Sendable {
    public enum Pane: Int, CaseIterable, Sendable {
        case interfaces, talkers, listeners, counters

        public var title: String {
            switch self {
            case .interfaces: return "Interfaces"
            case .talkers: return "Sockets by bytes"
            case .listeners: return "Listeners"
            case .counters: return "Protocol counters"
            }
        }

        /// The sort orders this pane offers, in the order `s` cycles through them.
        public var sorts: [String] {
            switch self {
            case .interfaces: return ["rx bytes", "tx bytes", "errors+drops", "name"]
            case .talkers: return ["total bytes", "tx bytes", "rx bytes"]
            case .listeners: return ["queue fill", "queue length", "address"]
            case .counters: return ["rate", "name"]
            }
        }
    }

    public var pane: Pane = .interfaces
    public var sortIndex = 0
    public var color = true

    public init() {}

    /// Applies a key; returns false for quit (q, Q, Ctrl-C, Esc).
    public mutating func handle(key: UInt8) -> Bool {
        switch key {
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3, 27: return false
        case UInt8(ascii: "1")...UInt8(ascii: "4"):
            pane = Pane(rawValue: Int(key - UInt8(ascii: "1")))!
            sortIndex = 0
        case 9, UInt8(ascii: "l"):  // tab, or right
            pane = Pane(rawValue: (pane.rawValue + 1) % Pane.allCases.count)!
            sortIndex = 0
        case UInt8(ascii: "h"):
            pane = Pane(rawValue: (pane.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
            sortIndex = 0
        case UInt8(ascii: "s"):
            sortIndex = (sortIndex + 1) % pane.sorts.count
        default: break
        }
        return true
    }

    public func lines(_ overviews: [Overview], time: String, width: Int, height: Int) -> [String] {
        let bold = color ? "\u{1B}[1m" : ""
        let reverse = color ? "\u{1B}[7m" : ""
        let red = color ? "\u{1B}[31m" : ""
        let reset = color ? "\u{1B}[0m" : ""
        var result: [String] = []
        let seconds = overviews.first?.seconds.map { "rates over \(Units.fixed($0, decimals: 1)) s" } ?? "first sample, totals"
        result.append(fit("netscope top  \(time)  \(seconds)  sort: \(pane.sorts[sortIndex])", width, bold, reset))
        let tabs = Pane.allCases.map { p in
            p == pane ? "\(reverse)[\(p.rawValue + 1)] \(p.title)\(reset)" : "[\(p.rawValue + 1)] \(p.title)"
        }.joined(separator: "  ")
        result.append(fit(tabs, width, "", ""))
        let alerts = overviews.flatMap { o in o.alerts.map { (o.namespace.map { "[\($0)] " } ?? "") + $0 } }
        result.append(alerts.isEmpty ? "" : fit("! " + alerts.joined(separator: "; "), width, red, reset))

        var table = TextTable(columns: [])
        var rows: [[TextTable.Cell]] = []
        func label(_ overview: Overview, _ text: String) -> String { (overview.namespace.map { "\($0)/" } ?? "") + text }
        switch pane {
        case .interfaces:
            table = TextTable(columns: [
                .init("NAME"), .init("STATE"), .init("RX-B/s", .right), .init("TX-B/s", .right), .init("RX-PKT/s", .right),
                .init("TX-PKT/s", .right), .init("ERR/s", .right), .init("DROP/s", .right), .init("ADDRESSES"),
            ])
            var all = overviews.flatMap { o in o.interfaces.map { (o, $0) } }
            let key: (Overview.InterfaceRow) -> Double
            switch sortIndex {
            case 0: key = { $0.rates?.rxBytes ?? -1 }
            case 1: key = { $0.rates?.txBytes ?? -1 }
            case 2: key = { ($0.rates?.errors ?? 0) + ($0.rates?.drops ?? 0) }
            default: key = { _ in 0 }
            }
            all.sort { sortIndex == 3 ? label($0.0, $0.1.name) < label($1.0, $1.1.name) : key($0.1) > key($1.1) }
            for (overview, row) in all {
                let r = row.rates
                rows.append([
                    TextTable.Cell(label(overview, row.name)), TextTable.Cell(row.state?.name ?? "-"),
                    TextTable.Cell(OverviewRenderer.rate(r?.rxBytes)), TextTable.Cell(OverviewRenderer.rate(r?.txBytes)),
                    TextTable.Cell(OverviewRenderer.rate(r?.rxPackets)), TextTable.Cell(OverviewRenderer.rate(r?.txPackets)),
                    TextTable.Cell(OverviewRenderer.rate(r?.errors), color: (r?.errors ?? 0) > 0 ? "31" : nil),
                    TextTable.Cell(OverviewRenderer.rate(r?.drops), color: (r?.drops ?? 0) > 0 ? "31" : nil),
                    TextTable.Cell(row.addresses.joined(separator: " ") + (row.note.map { " (\($0))" } ?? "")),
                ])
            }
        case .talkers:
            table = TextTable(columns: [
                .init("LOCAL"), .init("PEER"), .init("TX-B/s", .right), .init("RX-B/s", .right),
                .init("TX-TOTAL", .right), .init("RX-TOTAL", .right),
            ])
            var all = overviews.flatMap { o in o.talkers.map { (o, $0) } }
            let key: (Overview.TalkerRow) -> Double
            switch sortIndex {
            case 1: key = { $0.sentPerSecond ?? Double($0.sent) }
            case 2: key = { $0.receivedPerSecond ?? Double($0.received) }
            default: key = { ($0.sentPerSecond ?? Double($0.sent)) + ($0.receivedPerSecond ?? Double($0.received)) }
            }
            all.sort { key($0.1) > key($1.1) }
            for (overview, row) in all {
                rows.append([
                    TextTable.Cell(label(overview, row.local)), TextTable.Cell(row.peer),
                    TextTable.Cell(OverviewRenderer.rate(row.sentPerSecond)), TextTable.Cell(OverviewRenderer.rate(row.receivedPerSecond)),
                    TextTable.Cell(Units.human(row.sent)), TextTable.Cell(Units.human(row.received)),
                ])
            }
        case .listeners:
            table = TextTable(columns: [.init("LOCAL"), .init("ACCEPT-Q", .right), .init("BACKLOG", .right), .init("FILL", .right)])
            var all = overviews.flatMap { o in o.listeners.map { (o, $0) } }
            switch sortIndex {
            case 0: all.sort { $0.1.fill > $1.1.fill }
            case 1: all.sort { $0.1.acceptQueue > $1.1.acceptQueue }
            default: all.sort { label($0.0, $0.1.local) < label($1.0, $1.1.local) }
            }
            for (overview, row) in all {
                rows.append([
                    TextTable.Cell(label(overview, row.local)), TextTable.Cell(String(row.acceptQueue)),
                    TextTable.Cell(String(row.backlog)),
                    TextTable.Cell(Units.fixed(row.fill * 100, decimals: 0) + "%", color: row.abnormal ? "31" : nil),
                ])
            }
        case .counters:
            table = TextTable(columns: [.init("COUNTER"), .init("PER-SEC", .right), .init("DELTA", .right)])
            var all = overviews.flatMap { o in o.counterRates.map { (o, $0) } }
            if sortIndex == 0 { all.sort { $0.1.perSecond > $1.1.perSecond } } else { all.sort { label($0.0, $0.1.name) < label($1.0, $1.1.name) } }
            for (overview, row) in all {
                rows.append([
                    TextTable.Cell(label(overview, row.name)), TextTable.Cell(Units.fixed(row.perSecond, decimals: 1)),
                    TextTable.Cell(String(row.delta)),
                ])
            }
        }
        // Rows that fit under the header lines and above the key help.
        let room = max(0, height - result.count - 2)
        for row in rows.prefix(room) { table.append(row) }
        let sink = OutputSink(threshold: Int.max)
        table.render(to: sink, options: RenderOptions(format: .table, header: true, color: color))
        for line in sink.pending.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            result.append(fit(String(line), width, "", ""))
        }
        if rows.isEmpty { result.append(pane == .counters && overviews.first?.seconds == nil ? "(waiting for the second sample)" : "(none)") }
        if rows.count > room { result.append("… \(rows.count - room) more") }
        while result.count < height - 1 { result.append("") }
        result.append(fit("1-4/tab: pane   s: sort   q: quit", width, "", ""))
        return Array(result.prefix(height))
    }

    /// Cuts a line to the terminal width, counting only printed characters (escape sequences
    /// are kept whole, and a reset is added if one was cut off).
    func fit(_ line: String, _ width: Int, _ start: String, _ end: String) -> String {
        var visible = 0
        var out = start
        var inEscape = false
        var cut = false
        for scalar in line.unicodeScalars {
            if inEscape {
                out.unicodeScalars.append(scalar)
                if scalar.properties.isAlphabetic { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; out.unicodeScalars.append(scalar); continue }
            if visible == width { cut = true; break }
            out.unicodeScalars.append(scalar)
            visible += 1
        }
        if cut && color { out += "\u{1B}[0m" }
        return out + end
    }
}
