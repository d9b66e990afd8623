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

    public init(width: Int, joinsJSON: Bool) {
        self.width = max(width, RowLabels.title.utf8.count)
        self.joinsJSON = joinsJSON
    }

    static let title = "NETNS"

    /// Closes the joined array (an empty one when no namespace wrote anything).
    public func finish(_ sink: OutputSink) {
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
