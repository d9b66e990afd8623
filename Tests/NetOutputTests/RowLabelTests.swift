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

    /// A whole ByteTable (links, addrs) is held in a walk exactly as a TextTable is: the
    /// namespaces' rows align under one header, colors and empty cells kept.
    @Test func wholeByteTablesAlignAcrossNamespacesLikeTextTables() {
        let namespaces: [(String, [(Int, String, UInt8)])] = [
            ("a", [(1, "up", 32), (22, "", 0)]), ("long-name", [(333, "lowerlayerdown", 31)]), ("b", []),
        ]
        func run(whole: Bool, color: Bool) -> String {
            let sink = OutputSink(fd: -1, threshold: Int.max)
            let labels = RowLabels(width: 9, joinsJSON: false)
            sink.rowLabels = labels
            var options = RenderOptions()
            options.color = color
            for (name, rows) in namespaces {
                labels.netns = name
                if whole {
                    var table = ByteTable(columns: [.init("N", .right), .init("STATE"), .init("END")])
                    for (n, state, code) in rows {
                        table.append(decimal: UInt64(n)); table.endCell()
                        table.cell(state, color: code)
                        table.cell("é")
                    }
                    table.renderWhole(to: sink, options: options)
                } else {
                    var table = TextTable(columns: [.init("N", .right), .init("STATE"), .init("END")])
                    for (n, state, code) in rows {
                        table.append([TextTable.Cell(String(n)), TextTable.Cell(state, color: code == 0 ? nil : String(code)), "é"])
                    }
                    table.render(to: sink, options: options)
                }
            }
            sink.rowLabels = nil
            labels.finish(sink)
            return sink.pending
        }
        for color in [false, true] { #expect(run(whole: true, color: color) == run(whole: false, color: color)) }
        #expect(run(whole: true, color: false) == """
            NETNS        N  STATE           END
            a            1  up              é
            a           22                  é
            long-name  333  lowerlayerdown  é

            """)
    }

    @Test func hexPairsAreIpsLinkLayerForm() {
        var table = ByteTable(columns: [.init("MAC")])
        table.append(hexPairs: [0x02, 0xfc, 0, 0x0a, 0xff, 1]); table.endCell()
        table.append(hexPairs: []); table.endCell()
        let sink = OutputSink(fd: -1, threshold: Int.max)
        table.render(to: sink, options: RenderOptions(header: false))
        #expect(sink.pending == "02:fc:00:0a:ff:01\n\n")
        let sink2 = OutputSink(fd: -1, threshold: Int.max)
        var json = JSONWriter(sink2)
        json.beginObject(); json.field("address", hexPairs: [0xde, 0xad, 0xbe, 0xef]); json.endObject()
        #expect(sink2.pending == "{\"address\":\"de:ad:be:ef\"}")
    }
}
