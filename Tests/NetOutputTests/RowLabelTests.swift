import NetOutput
import Testing

/// --all-netns output: every record labelled, one JSON document, one table header.
@Suite struct RowLabelTests {
    /// Writes what a listing renderer writes for each namespace, as the walk does.
    func walk(_ format: OutputFormat, _ namespaces: [(String, String?, [Int])], object: Bool = false) -> String {
        let sink = OutputSink(fd: -1, threshold: Int.max)
        let labels = RowLabels(width: namespaces.map(\.0.utf8.count).max() ?? 0, joinsJSON: format == .json)
        sink.rowLabels = labels
        for (name, container, rows) in namespaces {
            labels.netns = name
            labels.container = container
            switch format {
            case .json, .ndjson:
                if object {
                    var json = JSONWriter(sink)
                    json.beginObject()
                    json.field("total", rows.count)
                    json.key("nested"); json.beginObject(); json.field("x", 1); json.endObject()
                    json.endObject()
                    json.newline()
                } else {
                    JSONWriter.list(rows, to: sink, lines: format == .ndjson) { json, row in
                        json.beginObject()
                        json.field("n", row)
                        json.key("inner"); json.beginArray(); json.beginObject(); json.endObject(); json.endArray()
                        json.endObject()
                    }
                }
            case .table:
                var table = TextTable(columns: [.init("N", .right), .init("WORD")])
                for row in rows { table.append([TextTable.Cell(String(row)), TextTable.Cell("w\(row)")]) }
                table.render(to: sink, options: RenderOptions())
            }
        }
        sink.rowLabels = nil
        labels.finish(sink)
        return sink.pending
    }

    @Test func jsonArraysOfEveryNamespaceBecomeOne() {
        let text = walk(.json, [("a", nil, [1, 2]), ("empty", nil, []), ("net:[9]", "docker:ff", [3])])
        #expect(text == """
            [{"netns":"a","n":1,"inner":[{}]},{"netns":"a","n":2,"inner":[{}]},\
            {"netns":"net:[9]","container":"docker:ff","n":3,"inner":[{}]}]

            """)
        // Empty first, empty last, nothing at all.
        #expect(walk(.json, [("x", nil, []), ("y", nil, [5])]) == "[{\"netns\":\"y\",\"n\":5,\"inner\":[{}]}]\n")
        #expect(walk(.json, [("x", nil, [5]), ("y", nil, [])]) == "[{\"netns\":\"x\",\"n\":5,\"inner\":[{}]}]\n")
        #expect(walk(.json, [("x", nil, [])]) == "[]\n")
        #expect(walk(.json, []) == "[]\n")
    }

    @Test func singleObjectsBecomeElements() {
        let text = walk(.json, [("a", nil, [1]), ("b", "pod:u", [])], object: true)
        #expect(text == """
            [{"netns":"a","total":1,"nested":{"x":1}},{"netns":"b","container":"pod:u","total":0,"nested":{"x":1}}]

            """)
    }

    @Test func ndjsonLinesAreLabelled() {
        let text = walk(.ndjson, [("a", nil, [1]), ("b", "pod:u", [2])])
        #expect(text == """
            {"netns":"a","n":1,"inner":[{}]}
            {"netns":"b","container":"pod:u","n":2,"inner":[{}]}

            """)
    }

    @Test func tablesHaveANetnsColumnAndOneHeader() {
        let text = walk(.table, [("a", nil, [1, 22]), ("long-name", nil, [333])])
        #expect(text == """
            NETNS        N  WORD
            a            1  w1
            a           22  w22
            long-name  333  w333

            """)
    }

    @Test func byteTablesToo() {
        let sink = OutputSink(fd: -1, threshold: Int.max)
        let labels = RowLabels(width: 3, joinsJSON: false)
        sink.rowLabels = labels
        for (name, rows) in [("ns1", [7, 8]), ("ns2", [9])] {
            labels.netns = name
            var table = ByteTable(columns: [.init("N", .right), .init("X")])
            for row in rows { table.append(decimal: UInt64(row)); table.endCell(); table.cell("x"); }
            table.render(to: sink, options: RenderOptions())
        }
        #expect(sink.pending == "NETNS  N  X\nns1    7  x\nns1    8  x\nns2    9  x\n")
    }
}
