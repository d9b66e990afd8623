import Glibc
import NetModel
import NetOutput
import Testing

@Suite struct WriterTests {
    /// The cookie's hex form is written without a String per socket; it must equal radix 16.
    @Test func hexStringsEqualRadix16() {
        for value: UInt64 in [0, 1, 9, 10, 15, 16, 0x80a, 0xdead_beef, UInt64.max, 1 << 63] {
            let sink = OutputSink(fd: -1, threshold: Int.max)
            var json = JSONWriter(sink)
            json.hexString(value)
            #expect(sink.pending == "\"\(String(value, radix: 16))\"")
        }
    }

    func render(_ body: (inout JSONWriter) -> Void) -> String {
        let sink = OutputSink(fd: -1, threshold: Int.max)
        var json = JSONWriter(sink)
        body(&json)
        return sink.pending
    }

    /// Members written from pre-rendered keys are what `field` writes one by one: first in
    /// an object, after other members, with nils left out, and across the buffer's boundary.
    @Test func preRenderedMembersEqualFieldByField() {
        let keys = JSONKeys(["a", "bytes", "max_mtu", "z"])
        let rows: [[UInt64?]] = [[1, 2, 3, 4], [nil, 0, nil, UInt64.max], [nil, nil, nil, nil], [7, nil, nil, nil]]
        for leading in [false, true] {
            for values in rows {
                let fast = render { json in
                    json.beginArray()
                    for _ in 0..<8000 {
                        json.beginObject()
                        if leading { json.field("name", "x") }
                        values.withUnsafeBufferPointer { json.members(keys, $0) }
                        json.field("after", 1)
                        json.endObject()
                    }
                    json.endArray()
                }
                let slow = render { json in
                    json.beginArray()
                    for _ in 0..<8000 {
                        json.beginObject()
                        if leading { json.field("name", "x") }
                        for (key, value) in zip(["a", "bytes", "max_mtu", "z"] as [StaticString], values) { json.field(key, value) }
                        json.field("after", 1)
                        json.endObject()
                    }
                    json.endArray()
                }
                #expect(fast == slow)
                #expect(fast.utf8.count > 65536)
            }
        }
    }

    @Test func escapesEverythingJSONRequires() {
        let text = render { json in
            json.beginObject()
            json.field("name", "a\"b\\c\nd\u{1}e\u{1B}[31m é")
            json.field("list", strings: ["x", "y"])
            json.key("nested"); json.beginObject(); json.field("n", 1); json.endObject()
            json.endObject()
        }
        #expect(text == #"{"name":"a\"b\\c\nd\u0001e\u001b[31m é","list":["x","y"],"nested":{"n":1}}"#)
    }

    /// Keys are copied in one piece and integers go through typed overloads: across the
    /// 64 KiB buffer's boundary (the in-memory sink spills there), and for every integer type
    /// and its optional, the text is what the generic path wrote.
    @Test func keysAndIntegersSurviveTheBufferBoundary() throws {
        let text = render { json in
            json.beginArray()
            for index in 0..<6000 {
                json.beginObject()
                json.field("a-key-of-some-length", index)
                json.field("u64", UInt64.max - UInt64(index)); json.field("i64", Int64.min + Int64(index))
                json.field("u32", UInt32(index)); json.field("i32", Int32(-index)); json.field("u16", UInt16(index % 65536))
                json.field("u8", UInt8(index % 256)); json.field("none", Optional<UInt32>.none); json.field("some", Optional(Int32(-7)))
                json.key(escaping: String(repeating: "k", count: index % 40)); json.number(index)
                json.endObject()
            }
            json.endArray()
        }
        #expect(text.utf8.count > 65536 * 8)
        let parsed = try #require(try JSONParser.parse(text).array)
        #expect(parsed.count == 6000)
        for (index, object) in parsed.enumerated() where index % 997 == 0 || index == 5999 {
            let line = #"{"a-key-of-some-length":\#(index),"u64":\#(UInt64.max - UInt64(index)),"i64":\#(Int64.min + Int64(index)),"u32":\#(index),"i32":\#(-index),"u16":\#(index),"u8":\#(index % 256),"some":-7,"\#(String(repeating: "k", count: index % 40))":\#(index)}"#
            #expect(text.contains(line), "\(index)")
            #expect(object.fields?.count == 9)
        }
    }

    @Test func tableAlignsAndNeutralisesControlCharacters() {
        var table = TextTable(columns: [.init("NAME"), .init("N", .right), .init("LAST")])
        table.append(["a\u{1B}b", "1", ""])
        table.append(["long-name", "100", "x"])
        let sink = OutputSink(fd: -1, threshold: Int.max)
        table.render(to: sink, options: RenderOptions())
        #expect(sink.pending == "NAME         N  LAST\na\\x1bb       1\nlong-name  100  x\n")
    }

    @Test func interfaceFilterMatchesGlobsAndAltNames() {
        var interface = Interface(index: 3, name: "veth0", flags: [.up], linkType: 1)
        interface.alternativeNames = ["uplink"]
        #expect(InterfaceFilter(patterns: ["veth*"]).matches(interface))
        #expect(InterfaceFilter(patterns: ["up*"]).matches(interface))
        #expect(!InterfaceFilter(patterns: ["eth*"]).matches(interface))
        interface.flags = []
        #expect(!InterfaceFilter(upOnly: true).matches(interface))
    }
}

@Suite struct ByteTableTests {
    @Test func batchesKeepTheHeaderOnceAndLaterRowsStreamWithSettledWidths() {
        var table = ByteTable(columns: [.init("A"), .init("N", .right), .init("LAST")])
        let sink = OutputSink(fd: -1, threshold: Int.max)
        let options = RenderOptions()
        func row(_ a: String, _ n: UInt64, _ last: String) {
            table.cell(a)
            table.append(decimal: n)
            table.endCell()
            table.cell(last)
        }
        row("xx", 5, "first")
        table.flushRows(to: sink, options: options)
        row("x", 123, "")
        row("yyyy", 7, "z")
        table.render(to: sink, options: options)
        // The first batch settles the widths (A: 2, N: 1, LAST: 5); later rows stream out with
        // them and a wider cell pushes the rest of its row.
        #expect(sink.pending == "A   N  LAST\nxx  5  first\nx   123\nyyyy  7  z\n")
    }

    /// Rows streamed with settled widths come out byte for byte as the same rows rendered in
    /// one batch: colored cells, empty cells, both alignments, across many buffer drains.
    @Test func streamedRowsMatchTheBatchRenderingWithColorsAndEmptyCells() {
        let columns: [TextTable.Column] = [.init("DST"), .init("METRIC", .right), .init("DEV"), .init("FLAGS")]
        let options = RenderOptions(format: .table, header: true, color: true)
        func fill(_ table: inout ByteTable, rows: Range<Int>) {
            for index in rows {
                table.cell("10.\(index % 250).\(index % 7).0/24")
                table.append(decimal: UInt64(index % 1000))
                table.endCell(color: index % 3 == 0 ? 32 : 0)
                table.cell(index % 5 == 0 ? "" : "eth\(index % 4)", color: index % 4 == 0 ? 31 : 0)
                table.cell(index % 2 == 0 ? "" : "onlink")
            }
        }
        // Batch: every row measured, then rendered.
        var batch = ByteTable(columns: columns)
        fill(&batch, rows: 0..<3000)
        let reference = OutputSink(fd: -1, threshold: Int.max)
        batch.render(to: reference, options: options)
        // Streamed: a first batch of the same rows settles the widths and prints; the rows
        // then go again, straight out as each cell closes, through a sink that drains its
        // 64 KiB buffer several times.
        let sink = OutputSink(fd: -1, threshold: Int.max)
        var live = ByteTable(columns: columns)
        fill(&live, rows: 0..<3000)
        live.flushRows(to: sink, options: options)
        let firstPass = sink.pending
        fill(&live, rows: 0..<3000)
        live.render(to: sink, options: options)
        let header = String(firstPass.prefix(while: { $0 != "\n" })) + "\n"
        #expect(firstPass == reference.pending)
        #expect(sink.pending == reference.pending + reference.pending.dropFirst(header.count))
    }

    @Test func controlCharactersAreEscapedAndUTF8IsMeasuredInCharacters() {
        var table = ByteTable(columns: [.init("NAME"), .init("X")])
        table.cell("é\u{1B}")
        table.cell("1")
        table.cell("ab")
        table.cell("2")
        let sink = OutputSink(fd: -1, threshold: Int.max)
        table.render(to: sink, options: RenderOptions(header: false))
        #expect(sink.pending == "é\\x1b  1\nab     2\n")
    }

    /// A cell's width is its length only while every byte is ASCII, whichever way the bytes
    /// came in, and the next cell starts afresh: in the collected batch and when streaming.
    @Test func utf8CellsAlignByCharactersInBothModes() {
        var table = ByteTable(columns: [.init("A"), .init("B")])
        let sink = OutputSink(fd: -1, threshold: Int.max)
        table.cell("ééé")
        table.cell("x")
        table.flushRows(to: sink, options: RenderOptions(header: false))
        Array("üü".utf8).withUnsafeBufferPointer { table.append(bytes: $0) }
        table.endCell()
        table.cell("y")
        table.append(byte: 0xC3)
        table.append(byte: 0xA9)
        table.endCell()
        table.cell("z")
        table.cell("abc")
        table.cell("w")
        table.render(to: sink, options: RenderOptions(header: false))
        #expect(sink.pending == "ééé  x\nüü   y\né    z\nabc  w\n")
    }

}
