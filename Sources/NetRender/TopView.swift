import TerminalIO
import NetModel
import NetOutput
import NetAnalysis
/// What `netscope top` shows: one pane of an overview at a time, sorted by a chosen column,
/// cut to the terminal. Pure: lines of text from overviews, so it is tested without a terminal.
package struct TopView: Sendable {
    package enum Pane: Int, CaseIterable, Sendable {
        case interfaces, talkers, listeners, counters

        package var title: String {
            switch self {
            case .interfaces: return "Interfaces"
            case .talkers: return "Sockets by bytes"
            case .listeners: return "Listeners"
            case .counters: return "Protocol counters"
            }
        }

        /// The sort orders this pane offers, in the order `s` cycles through them.
        package var sorts: [String] {
            switch self {
            case .interfaces: return ["rx bytes", "tx bytes", "errors+drops", "name"]
            case .talkers: return ["total bytes", "tx bytes", "rx bytes"]
            case .listeners: return ["queue fill", "queue length", "address"]
            case .counters: return ["rate", "name"]
            }
        }
    }

    package var pane: Pane = .interfaces
    package var sortIndex = 0
    package var color = true
    /// The first row shown, per pane (↑/↓, PgUp/PgDn, Home/End scroll).
    package private(set) var offsets = [Int](repeating: 0, count: Pane.allCases.count)
    /// Rows are shown when their text contains this (case-insensitive); empty: all.
    package private(set) var filter = ""
    /// While `/` is being typed: the text so far (a new `/` starts empty, as in less).
    package private(set) var editing: String?
    /// `?` shows the keys instead of the pane until the next key.
    package private(set) var showingHelp = false
    /// Rows of the table area at the last draw, and rows the pane had: what a page is.
    private var page = 10
    private var rowCount = 0

    package init() {}

    /// The keys, as `?` shows them.
    package static let help = [
        "1-4, Tab, ←/→, h/l   switch pane",
        "↑/↓, j/k             scroll one row",
        "PgUp/PgDn, space     scroll one page",
        "Home/End, g/G        first/last rows",
        "s                    next sort order",
        "/                    filter rows (Enter applies, Esc cancels, empty clears)",
        "?                    show these keys",
        "q, Esc, Ctrl-C       quit",
    ]

    /// Applies a raw byte (kept for callers that read single bytes).
    package mutating func handle(key: UInt8) -> Bool {
        let decoded = Key.decode([key])
        return handle(decoded.keys.first ?? (key == 27 ? .escape : .unknown))
    }

    /// Applies a key; returns false for quit (q, Q, Ctrl-C, Esc outside the filter prompt).
    package mutating func handle(_ key: Key) -> Bool {
        if showingHelp {
            showingHelp = false
            if key == .character(UInt8(ascii: "q")) || key == .character(3) { return false }
            return true
        }
        if let text = editing {
            switch key {
            case .enter: filter = text; editing = nil; offsets[pane.rawValue] = 0
            case .escape: editing = nil
            case .backspace: editing = String(text.dropLast())
            case .character(3): return false
            case .character(let byte) where byte >= 0x20 && byte < 0x7F: editing = text + String(UnicodeScalar(byte))
            default: break
            }
            return true
        }
        func switchTo(_ next: Pane) {
            pane = next
            sortIndex = 0
        }
        let count = Pane.allCases.count
        switch key {
        case .character(UInt8(ascii: "q")), .character(UInt8(ascii: "Q")), .character(3), .escape: return false
        case .character(let byte) where (UInt8(ascii: "1")...UInt8(ascii: "4")).contains(byte):
            switchTo(Pane(rawValue: Int(byte - UInt8(ascii: "1")))!)
        case .tab, .right, .character(UInt8(ascii: "l")): switchTo(Pane(rawValue: (pane.rawValue + 1) % count)!)
        case .left, .character(UInt8(ascii: "h")): switchTo(Pane(rawValue: (pane.rawValue + count - 1) % count)!)
        case .character(UInt8(ascii: "s")): sortIndex = (sortIndex + 1) % pane.sorts.count
        case .down, .character(UInt8(ascii: "j")): scroll(by: 1)
        case .up, .character(UInt8(ascii: "k")): scroll(by: -1)
        case .pageDown, .character(UInt8(ascii: " ")): scroll(by: max(1, page))
        case .pageUp: scroll(by: -max(1, page))
        case .home, .character(UInt8(ascii: "g")): offsets[pane.rawValue] = 0
        case .end, .character(UInt8(ascii: "G")): offsets[pane.rawValue] = max(0, rowCount - page)
        case .character(UInt8(ascii: "?")): showingHelp = true
        case .character(UInt8(ascii: "/")): editing = ""
        default: break
        }
        return true
    }

    mutating func scroll(by rows: Int) {
        let last = max(0, rowCount - page)
        offsets[pane.rawValue] = min(last, max(0, offsets[pane.rawValue] + rows))
    }

    package mutating func lines(_ overviews: [Overview], time: String, width: Int, height: Int) -> [String] {
        let bold = color ? "\u{1B}[1m" : ""
        let reverse = color ? "\u{1B}[7m" : ""
        let red = color ? "\u{1B}[31m" : ""
        let reset = color ? "\u{1B}[0m" : ""
        var result: [String] = []
        let seconds = overviews.first?.seconds.map { "rates over \(Units.fixed($0, decimals: 1)) s" } ?? "first sample, totals"
        var heading = "netscope top  \(time)  \(seconds)  sort: \(pane.sorts[sortIndex])"
        if !filter.isEmpty { heading += "  filter: \(filter)" }
        result.append(fit(heading, width, bold, reset))
        let tabs = Pane.allCases.map { p in
            p == pane ? "\(reverse)[\(p.rawValue + 1)] \(p.title)\(reset)" : "[\(p.rawValue + 1)] \(p.title)"
        }.joined(by: "  ")
        result.append(fit(tabs, width, "", ""))
        let alerts = overviews.flatMap { o in o.alerts.map { (o.namespace.map { "[\($0)] " } ?? "") + $0 } }
        result.append(alerts.isEmpty ? "" : fit("! " + alerts.joined(by: "; "), width, red, reset))

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
                    TextTable.Cell(row.addresses.joined(by: " ") + (row.note.map { " (\($0))" } ?? "")),
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
                    TextTable.Cell(label(overview, row.name)), TextTable.Cell(OverviewRenderer.rate(row.perSecond)),
                    TextTable.Cell(String(row.delta)),
                ])
            }
        }
        if showingHelp {
            result.append("Keys (any key returns):")
            for line in Self.help { result.append(fit("  " + line, width, "", "")) }
            while result.count < height - 1 { result.append("") }
            result.append(fit(Self.footer, width, "", ""))
            return Array(result.prefix(height))
        }
        // The filter keeps rows whose text contains it, whatever the column.
        if !filter.isEmpty {
            let wanted = filter.lowercased()
            rows = rows.filter { row in row.contains { $0.text.lowercased().contains(wanted) } }
        }
        // Rows that fit under the header lines, above the status line and the key help.
        let room = max(0, height - result.count - 3)
        page = room
        rowCount = rows.count
        let offset = min(offsets[pane.rawValue], max(0, rows.count - room))
        offsets[pane.rawValue] = offset
        for row in rows.dropFirst(offset).prefix(room) { table.append(row) }
        let sink = OutputSink(threshold: Int.max)
        table.render(to: sink, options: RenderOptions(format: .table, header: true, color: color))
        for line in sink.pending.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            result.append(fit(String(line), width, "", ""))
        }
        if rows.isEmpty {
            result.append(!filter.isEmpty ? "(no row contains \"\(filter)\")"
                : pane == .counters && overviews.first?.seconds == nil ? "(waiting for the second sample)" : "(none)")
        }
        let below = max(0, rows.count - offset - room)
        if below > 0 || offset > 0 {
            result.append(offset > 0 ? "… \(offset) above, \(below) more" : "… \(below) more")
        }
        while result.count < height - 1 { result.append("") }
        // The prompt on the last line, as less has it: what is typed, then the keys.
        result.append(fit(editing.map { "/\($0)_   Enter applies, Esc cancels, empty Enter clears" } ?? Self.footer, width, "", ""))
        return Array(result.prefix(height))
    }

    package static let footer = "1-4/←→: pane  ↑↓/PgUp/PgDn: scroll  s: sort  /: filter  ?: keys  q: quit"

    /// Cuts a line to the terminal width, counting only printed characters (escape sequences
    /// are kept whole, and a reset is added if one was cut off). A cut line ends in "…", so
    /// an address that does not fit never reads as a shorter valid one ("10.10.0.1/2").
    func fit(_ line: String, _ width: Int, _ start: String, _ end: String) -> String {
        var visible = 0
        var out = start
        var inEscape = false
        var cut = false
        var lastVisible: String.UnicodeScalarView.Index?
        for scalar in line.unicodeScalars {
            if inEscape {
                out.unicodeScalars.append(scalar)
                if scalar.properties.isAlphabetic { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; out.unicodeScalars.append(scalar); continue }
            if visible == width { cut = true; break }
            lastVisible = out.unicodeScalars.endIndex
            out.unicodeScalars.append(scalar)
            visible += 1
        }
        if cut, let lastVisible {
            out.unicodeScalars.replaceSubrange(lastVisible..<out.unicodeScalars.index(after: lastVisible), with: "…".unicodeScalars)
        }
        if cut && color { out += "\u{1B}[0m" }
        return out + end
    }
}
