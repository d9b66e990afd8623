/// A /proc/net/stat/* file (arp_cache, ndisc_cache, nf_conntrack, rt_cache): a header line of
/// column names, then one row of 32-bit hex values per possible CPU. Columns are per-CPU
/// counters and are added up, except "entries", which every row repeats (the table's size).
public enum StatTableParser {
    public static func parse(_ text: String, file: String) throws -> [(name: String, value: UInt64)] {
        let lines = try Text.lines(text, file: file)
        guard let header = lines.first else { throw ProcNetError(file: file, line: 0, problem: "file is empty") }
        let names = Text.fields(header).map(String.init)
        guard !names.isEmpty, names.allSatisfy({ $0.first?.isLetter == true }) else {
            throw ProcNetError(file: file, line: 1, problem: "expected a header of column names, found \(Text.quoted(header))")
        }
        var totals = [UInt64](repeating: 0, count: names.count)
        var rows = 0
        for index in 1..<lines.count {
            let fields = Text.fields(lines[index])
            if fields.isEmpty { continue }
            guard fields.count == names.count else {
                throw ProcNetError(file: file, line: index + 1, problem: "\(fields.count) values, the header names \(names.count) columns")
            }
            for (column, field) in fields.enumerated() {
                guard field.count <= 8, let value = UInt32(field, radix: 16) else {
                    throw ProcNetError(file: file, line: index + 1, problem: "\(names[column]) is \(Text.quoted(field)), not a 32-bit hex number")
                }
                if names[column] == "entries" {
                    if rows == 0 { totals[column] = UInt64(value) }
                } else {
                    totals[column] &+= UInt64(value)
                }
            }
            rows += 1
        }
        guard rows > 0 else { throw ProcNetError(file: file, line: 1, problem: "no rows after the header") }
        return zip(names, totals).map { (name: $0, value: $1) }
    }
}
