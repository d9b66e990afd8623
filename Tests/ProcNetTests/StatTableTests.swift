import NetModel
import ProcNet
import Testing

/// /proc/net/stat/* tables captured from a real kernel (two CPUs), and what is wrong with bad ones.
@Suite struct StatTableTests {
    @Test func capturedTablesAddUpTheCPUs() throws {
        let text = try ProcFixtures.text("net/stat/arp_cache")
        let table = try StatTableParser.parse(text, file: "arp_cache")
        let names = table.map(\.name)
        #expect(names.contains("unresolved_discards") && names.contains("table_fulls") && names.first == "entries")
        // Each column is the sum of its hex values over the rows; entries is the first row's.
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map { UInt64($0, radix: 16)! } }
        for (index, column) in table.enumerated() {
            let expected = column.name == "entries" ? rows[0][index] : rows.reduce(0) { $0 + $1[index] }
            #expect(column.value == expected, "\(column.name)")
        }
        let conntrack = try StatTableParser.parse(try ProcFixtures.text("net/stat/nf_conntrack"), file: "nf_conntrack")
        #expect(["drop", "early_drop", "insert_failed", "invalid"].allSatisfy { name in conntrack.contains { $0.name == name } })
        #expect(try StatTableParser.parse(try ProcFixtures.text("net/stat/ndisc_cache"), file: "ndisc_cache").count == names.count)
    }

    @Test func badTablesNameTheProblem() {
        #expect(throws: ProcNetError(file: "t", line: 0, problem: "file is empty")) { _ = try StatTableParser.parse("", file: "t") }
        #expect(throws: ProcNetError(file: "t", line: 1, problem: "no rows after the header")) { _ = try StatTableParser.parse("entries drop\n", file: "t") }
        #expect(throws: ProcNetError(file: "t", line: 2, problem: "1 values, the header names 2 columns")) {
            _ = try StatTableParser.parse("entries drop\n00000001\n", file: "t")
        }
        #expect(throws: ProcNetError(file: "t", line: 2, problem: "drop is \"zz\", not a 32-bit hex number")) {
            _ = try StatTableParser.parse("entries drop\n00000001 zz\n", file: "t")
        }
        #expect(throws: ProcNetError.self) { _ = try StatTableParser.parse("00000001 00000002\n", file: "t") }
        #expect(throws: ProcNetError.self) { _ = try StatTableParser.parse("entries drop\n00000001 1000000000\n", file: "t") }
        // Truncated anywhere: an error or the rows that are whole, never a crash.
        let text = "entries drop early_drop\n00000001 00000002 00000003\n00000001 00000004 00000005\n"
        for cut in 0..<text.utf8.count {
            _ = try? StatTableParser.parse(String(text.prefix(cut)), file: "t")
        }
    }
}
