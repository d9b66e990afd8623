import NetModel
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
        /// Display width, measured once: bytes for ASCII, scalars otherwise.
        public let width: Int
        public init(_ text: String, color: String? = nil) {
            self.text = TextTable.terminalSafe(text)
            self.color = color
            let utf8 = self.text.utf8
            width = utf8.allSatisfy { $0 < 0x80 } ? utf8.count : self.text.unicodeScalars.count
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
        if let labels = sink.rowLabels {
            labels.hold(self, options: options, sink: sink)
            return
        }
        var widths = columns.map { options.header ? $0.title.count : 0 }
        for row in rows {
            for (index, cell) in row.enumerated() where cell.width > widths[index] { widths[index] = cell.width }
        }
        if options.header {
            emit(columns.map { Cell($0.title) }, widths: widths, to: sink, color: false, bold: options.color)
        }
        for row in rows { emit(row, widths: widths, to: sink, color: options.color, bold: false) }
    }

    /// Writes one row straight into the sink. Trailing blanks are never written: padding is
    /// held back until a later cell has text.
    private func emit(_ row: [Cell], widths: [Int], to sink: OutputSink, color: Bool, bold: Bool) {
        var pendingSpaces = 0
        for (index, cell) in row.enumerated() {
            if index > 0 { pendingSpaces += 2 }
            let padding = widths[index] - cell.width
            if columns[index].alignment == .right { pendingSpaces += padding }
            if !cell.text.isEmpty {
                TextTable.spaces(pendingSpaces, to: sink)
                pendingSpaces = 0
                let code = bold ? "1" : color ? cell.color : nil
                if let code { sink.write("\u{1B}[\(code)m") }
                sink.write(cell.text)
                if code != nil { sink.write("\u{1B}[0m") }
            }
            if columns[index].alignment == .left { pendingSpaces += padding }
        }
        sink.append(byte: UInt8(ascii: "\n"))
    }

    private static func spaces(_ count: Int, to sink: OutputSink) {
        for _ in 0..<count { sink.append(byte: UInt8(ascii: " ")) }
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
