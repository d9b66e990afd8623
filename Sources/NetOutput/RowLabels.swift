/// `--all-netns`: which namespace the rows being written belong to, and the state that makes
/// the output of many namespaces one document. Set on the sink by the namespace walk;
/// renderers need not know: TextTable and ByteTable put a NETNS column first (with one
/// header for the whole output), JSONWriter adds `netns` and `container` to every top-level
/// record and joins the namespaces' `--json` arrays into one.
public final class RowLabels {
    /// The `netns` label of the namespace being written.
    public var netns = ""
    /// Its container label ("docker:…", "pod:…"), when known.
    public var container: String?
    /// The NETNS column's width: the longest label of the walk.
    let width: Int
    /// `--json`: the namespaces' arrays (or single objects) become elements of one array.
    let joinsJSON: Bool
    var headerWritten = false
    var arrayOpen = false
    var hasElements = false
    var swallowNewline = false

    /// - Parameter part: the labels of one namespace's part of a walk run side by side: its
    ///   JSON elements are written without the enclosing brackets, its tables without a header
    ///   (unless `header`), and `RowLabels.join` puts the parts together in order.
    public init(width: Int, joinsJSON: Bool, part: Bool = false, header: Bool = true) {
        self.width = max(width, RowLabels.title.utf8.count)
        self.joinsJSON = joinsJSON
        self.part = part
        if part {
            arrayOpen = true
            headerWritten = !header
        }
    }

    let part: Bool

    /// The parts of a walk, in order, into `sink`: one JSON array, one table (held rows
    /// aligned under one header), or the parts' lines one after another.
    public static func join(_ parts: [(labels: RowLabels, output: OutputSink)], width: Int, joinsJSON: Bool, into sink: OutputSink) {
        let whole = RowLabels(width: width, joinsJSON: joinsJSON)
        var first = true
        if joinsJSON { sink.append(byte: UInt8(ascii: "[")) }
        for (labels, output) in parts {
            if joinsJSON {
                guard labels.hasElements else { continue }
                if !first { sink.append(byte: UInt8(ascii: ",")) }
                first = false
            }
            output.pendingBytes.withUnsafeBufferPointer { sink.append($0) }
            if let columns = labels.heldColumns {
                if let held = whole.heldColumns, held.map(\.title) != columns.map(\.title) { whole.release(to: sink) }
                whole.heldColumns = columns
                whole.heldOptions = labels.heldOptions
                whole.heldRows += labels.heldRows
            }
        }
        whole.release(to: sink)
        if joinsJSON { sink.write("]\n") }
    }

    static let title = "NETNS"

    /// Tables held until the walk ends, so that every namespace's rows align under one
    /// header (TextTable keeps its rows in memory anyway; ByteTable streams and does not wait).
    var heldColumns: [TextTable.Column]?
    var heldRows: [[TextTable.Cell]] = []
    var heldOptions = RenderOptions()

    func hold(_ table: TextTable, options: RenderOptions, sink: OutputSink) {
        if let columns = heldColumns, columns.map(\.title) != table.columns.map(\.title) { release(to: sink) }
        heldColumns = table.columns
        heldOptions = options
        let cell = TextTable.Cell(netns)
        for row in table.rows { heldRows.append([cell] + row) }
    }

    func release(to sink: OutputSink) {
        guard let columns = heldColumns else { return }
        heldColumns = nil
        var table = TextTable(columns: [TextTable.Column(RowLabels.title)] + columns)
        for row in heldRows { table.append(row) }
        heldRows = []
        let saved = sink.rowLabels
        sink.rowLabels = nil
        if !heldOptions.header || !headerWritten {
            table.render(to: sink, options: heldOptions)
        } else {
            var options = heldOptions
            options.header = false
            table.render(to: sink, options: options)
        }
        headerWritten = true
        sink.rowLabels = saved
    }

    /// Writes held tables and closes the joined array (an empty one when no namespace wrote
    /// anything).
    public func finish(_ sink: OutputSink) {
        if part { return }  // joined by RowLabels.join
        release(to: sink)
        guard joinsJSON else { return }
        sink.write(arrayOpen ? "]\n" : "[]\n")
    }
}

extension OutputSink {
    /// Whether a table's header should be written: always, except after the first table of
    /// a namespace walk.
    public func claimHeader() -> Bool {
        guard let labels = rowLabels else { return true }
        defer { labels.headerWritten = true }
        return !labels.headerWritten
    }

    /// The NETNS cell (or its title) and the gap after it, at the start of a table row.
    @inline(__always)
    public func writeRowLabel(header: Bool = false) {
        guard let labels = rowLabels else { return }
        let text = header ? RowLabels.title : TextTable.terminalSafe(labels.netns)
        write(text)
        let padding = labels.width - text.utf8.count + 2
        for _ in 0..<max(padding, 2) { append(byte: 32) }
    }
}
