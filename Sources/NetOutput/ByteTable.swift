import NetModel
/// An aligned table for very many rows: every cell's bytes go into one growing arena and only
/// the cell boundaries are recorded, so 100k rows cost a handful of allocations instead of
/// hundreds of thousands of Strings. Column widths are tracked as cells are added.
public struct ByteTable {
    public let columns: [TextTable.Column]
    /// The columns' alignments on their own: read per cell without touching the titles.
    private let alignments: [TextTable.Alignment]
    private var arena: [UInt8] = []
    private var ends: [Int32] = []
    private var colors: [UInt8] = []  // 0 none, else an SGR color code
    /// Display width of each cell, measured once when the cell is closed.
    private var cellWidths: [UInt16] = []
    private var widths: [Int]
    private var cellStart = 0
    private var column = 0
    /// Set once rows have been printed by `flushRows`: later output continues the same table.
    private var headerPrinted = false
    /// After the first batch the widths are settled: later rows go straight to the output as
    /// their cells close, with no bookkeeping per cell.
    private var directOwner: OutputSink?
    /// The same sink for the per-cell path, used without retaining it: loading a strong
    /// reference in every endCell retained and released the sink, 4% of `routes -4`.
    /// `directOwner` keeps it alive.
    private var directSink: Unmanaged<OutputSink>?
    /// Whether streamed cells keep their color (the options of `flushRows`).
    private var directColor = false
    private var pendingSpaces = 0
    /// No byte of the open cell is 0x80 or above: its display width is its length, with no
    /// walk over its bytes (that walk was a tenth of `routes` at a million routes).
    private var cellIsASCII = true

    public init(columns: [TextTable.Column], expectedRows: Int = 0) {
        self.columns = columns
        alignments = columns.map(\.alignment)
        widths = columns.map { _ in 0 }
        arena.reserveCapacity(expectedRows * columns.count * 12)
        ends.reserveCapacity(expectedRows * columns.count)
        colors.reserveCapacity(expectedRows * columns.count)
        cellWidths.reserveCapacity(expectedRows * columns.count)
    }

    /// Rows held for the next render (0 once rows stream out directly).
    public var rowCount: Int { ends.count / columns.count }

    /// Appends to the current cell.
    @inline(__always) public mutating func append(byte: UInt8) {
        if byte >= 0x80 { cellIsASCII = false }
        arena.append(byte)
    }

    public mutating func append(_ text: String) {
        var copy = text
        let clean = copy.withUTF8 { bytes -> Bool in
            var high: UInt8 = 0
            for byte in bytes {
                if byte < 0x20 || byte == 0x7f { return false }
                high |= byte
            }
            if high >= 0x80 { cellIsASCII = false }
            arena.append(contentsOf: bytes)
            return true
        }
        // Control characters (a process name, a path) are shown as \xNN, never sent raw.
        if !clean {
            cellIsASCII = false
            arena.append(contentsOf: TextTable.terminalSafe(text).utf8)
        }
    }

    public mutating func append(decimal value: UInt64) {
        if value < 10 { arena.append(48 + UInt8(value)); return }
        withDecimalDigits(value) { arena.append(contentsOf: $0) }
    }

    /// Words joined by commas ("UP,LOWER_UP"), as `words` hands them over: flag lists
    /// written into the cell with no array of names.
    public mutating func append(commaSeparated words: ((String) -> Void) -> Void) {
        var first = true
        words { word in
            if !first { append(byte: 44) }
            first = false
            append(word)
        }
    }

    /// An address in its text form ("192.0.2.1", "2001:db8::1"), formatted straight into the
    /// cell: no String per address.
    public mutating func append(address: IPAddress) {
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            arena.append(contentsOf: UnsafeBufferPointer(start: base, count: address.format(into: base)))
        }
    }

    /// Bytes as lowercase hex pairs joined by colons ("02:fc:00:00:00:01"), as ip prints a
    /// link-layer address.
    public mutating func append(hexPairs bytes: [UInt8]) {
        HardwareAddress.withHex(bytes) { arena.append(contentsOf: $0) }
    }

    public mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high >= 0x80 { cellIsASCII = false }
        arena.append(contentsOf: bytes)
    }

    /// The display width of the cell from `start` to the end of the arena: its length when it
    /// is ASCII, else its count of UTF-8 lead bytes.
    private mutating func closedCellWidth(from start: Int) -> Int {
        defer { cellIsASCII = true }
        if cellIsASCII { return arena.count - start }
        return arena.withUnsafeBufferPointer { bytes -> Int in
            var count = 0
            for index in start..<bytes.count where bytes[index] & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }

    /// Closes the current cell; `color` is an SGR code (31 red, 32 green, …) or 0.
    public mutating func endCell(color: UInt8 = 0) {
        if let directSink {
            directSink._withUnsafeGuaranteedRef { sink in writeDirect(color: directColor ? color : 0, to: sink) }
            return
        }
        let width = closedCellWidth(from: cellStart)
        if width > widths[column] { widths[column] = width }
        ends.append(Int32(arena.count))
        colors.append(color)
        cellWidths.append(UInt16(clamping: width))
        cellStart = arena.count
        column = (column + 1) % columns.count
    }

    public mutating func cell(_ text: String, color: UInt8 = 0) {
        append(text)
        endCell(color: color)
    }

    /// Writes the cell just closed with the settled widths (a wider cell pushes its row).
    private mutating func writeDirect(color: UInt8, to sink: OutputSink) {
        let start = cellStart
        let target = widths[column]
        let alignment = alignments[column]
        var pending = pendingSpaces
        let width = closedCellWidth(from: start)
        if column > 0 { pending += 2 } else { sink.writeRowLabel() }
        let padding = max(0, target - width)
        if alignment == .right { pending += padding }
        if arena.count > start {
            arena.withUnsafeBufferPointer { all in
                let bytes = UnsafeBufferPointer(rebasing: all[start...])
                if color == 0 {
                    sink.append(spaces: pending, then: bytes)
                } else {
                    sink.append(spaces: pending, then: UnsafeBufferPointer(start: nil, count: 0))
                    sink.write("\u{1B}[\(color)m")
                    sink.append(bytes)
                    sink.write("\u{1B}[0m")
                }
            }
            pending = 0
        }
        if alignment == .left { pending += padding }
        pendingSpaces = pending
        cellStart = arena.count
        column += 1
        if column == columns.count {
            column = 0
            sink.append(byte: 10)
            pendingSpaces = 0
            // Cleared once per row, not per cell.
            arena.removeAll(keepingCapacity: true)
            cellStart = 0
        }
    }

    /// Prints the rows collected so far and forgets them, keeping the column widths, so a
    /// very long table needs memory for one batch of rows only. Later rows are written as they
    /// are completed, with these widths (a wider cell later pushes the rest of its row).
    public mutating func flushRows(to sink: OutputSink, options: RenderOptions) {
        render(to: sink, options: options)
        for (index, column) in columns.enumerated() where options.header {
            widths[index] = max(widths[index], column.title.utf8.count)
        }
        headerPrinted = true
        directOwner = sink
        directSink = Unmanaged.passUnretained(sink)
        directColor = options.color
        arena.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        colors.removeAll(keepingCapacity: true)
        cellWidths.removeAll(keepingCapacity: true)
        cellStart = 0
    }

    /// Starts a new section of a streamed table (IPv6 routes after IPv4 ones, another socket
    /// family): its rows are measured again before they stream out, so widths settled on
    /// 4,096 IPv4 rows do not misalign every IPv6 row after them. Widths only grow, and the
    /// header is not repeated.
    public mutating func newSection() {
        guard directSink != nil else { return }
        precondition(column == 0, "a row was left unfinished")
        directOwner = nil
        directSink = nil
        arena.removeAll(keepingCapacity: true)
        cellStart = 0
    }

    /// Prints a table built whole (never streamed with `flushRows`). In a namespace walk its
    /// rows are held like a TextTable's, so every namespace's rows align under one header.
    public func renderWhole(to sink: OutputSink, options: RenderOptions) {
        guard let labels = sink.rowLabels else {
            render(to: sink, options: options)
            return
        }
        precondition(directSink == nil && column == 0, "renderWhole needs a table that was not streamed")
        var text = TextTable(columns: columns)
        arena.withUnsafeBufferPointer { bytes in
            var start = 0
            var row: [TextTable.Cell] = []
            for (cell, end) in ends.enumerated() {
                let content = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<Int(end)]), as: UTF8.self)
                row.append(TextTable.Cell(content, color: colors[cell] == 0 ? nil : String(colors[cell])))
                start = Int(end)
                if row.count == columns.count {
                    text.append(row)
                    row.removeAll(keepingCapacity: true)
                }
            }
        }
        labels.hold(text, options: options, sink: sink)
    }

    /// Prints the rows held (with the header, unless printed already).
    public func render(to sink: OutputSink, options: RenderOptions) {
        precondition(column == 0, "a row was left unfinished")
        var widths = self.widths
        if options.header && !headerPrinted {
            for (index, column) in columns.enumerated() { widths[index] = max(widths[index], column.title.utf8.count) }
            // In a namespace walk only the first table prints the header; the rest align to it.
            if sink.claimHeader() {
                emitHeader(widths: widths, to: sink, bold: options.color)
            }
        }
        let count = columns.count
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        arena.withUnsafeBufferPointer { bytes in
            var start = 0
            var row = 0
            while row * count < ends.count {
                var pending = 0
                sink.writeRowLabel()
                for index in 0..<count {
                    let cell = row * count + index
                    let end = Int(ends[cell])
                    let width = Int(cellWidths[cell])
                    if index > 0 { pending += 2 }
                    let padding = widths[index] - width
                    if alignments[index] == .right { pending += padding }
                    if end > start {
                        // The padding and the cell in one call (a thousand-link table is
                        // eleven thousand cells).
                        let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
                        let color = options.color ? colors[cell] : 0
                        if color == 0 {
                            sink.append(spaces: pending, then: text)
                        } else {
                            sink.append(spaces: pending, then: none)
                            sink.write("\u{1B}[\(color)m")
                            sink.append(text)
                            sink.write("\u{1B}[0m")
                        }
                        pending = 0
                    }
                    if alignments[index] == .left { pending += padding }
                    start = end
                }
                sink.append(byte: 10)
                row += 1
            }
        }
    }

    private func emitHeader(widths: [Int], to sink: OutputSink, bold: Bool) {
        sink.writeRowLabel(header: true)
        var line = ""
        var pending = 0
        for (index, column) in columns.enumerated() {
            if index > 0 { pending += 2 }
            let padding = widths[index] - column.title.utf8.count
            if column.alignment == .right { pending += padding }
            line += String(repeating: " ", count: pending)
            pending = 0
            line += bold ? "\u{1B}[1m\(column.title)\u{1B}[0m" : column.title
            if column.alignment == .left { pending += padding }
        }
        sink.write(line + "\n")
    }
}
