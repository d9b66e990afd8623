/// An aligned text table. Widths are measured over all rows, so rows are collected before
/// rendering; cells are made terminal-safe (control characters shown as \xNN).
public struct TextTable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// A cell: its text and an optional ANSI SGR code to color it with ("32" for green).
    public struct Cell: ExpressibleByStringLiteral {
        public var text: String
        public var color: String?
        public init(_ text: String, color: String? = nil) {
            self.text = TextTable.terminalSafe(text)
            self.color = color
        }
        public init(stringLiteral value: String) { self.init(value) }
    }

    public let columns: [Column]
    public private(set) var rows: [[Cell]] = []

    public init(columns: [Column]) { self.columns = columns }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    public func render(to sink: OutputSink, options: RenderOptions) {
        var widths = columns.map { options.header ? $0.title.count : 0 }
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        if options.header {
            emit(columns.map { Cell($0.title) }, widths: widths, to: sink, color: false, bold: options.color)
        }
        for row in rows { emit(row, widths: widths, to: sink, color: options.color, bold: false) }
    }

    private func emit(_ row: [Cell], widths: [Int], to sink: OutputSink, color: Bool, bold: Bool) {
        var line = ""
        let last = row.count - 1
        for (index, cell) in row.enumerated() {
            let padding = String(repeating: " ", count: widths[index] - cell.text.count)
            var text = cell.text
            if bold { text = "\u{1B}[1m\(text)\u{1B}[0m" } else if color, let code = cell.color { text = "\u{1B}[\(code)m\(text)\u{1B}[0m" }
            switch columns[index].alignment {
            case .left: line += index == last ? text : text + padding
            case .right: line += padding + text
            }
            if index != last { line += "  " }
        }
        // An empty last cell must not leave trailing blanks behind.
        while line.last == " " { line.removeLast() }
        sink.write(line + "\n")
    }

    /// Replaces control characters (a name could carry escape sequences) with \xNN.
    public static func terminalSafe(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
