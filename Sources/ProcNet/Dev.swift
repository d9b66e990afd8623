import NetModel

/// One interface's line of /proc/net/dev, with the column names from the file's own header.
public struct ProcDevEntry: Hashable, Sendable {
    public var name: String
    /// (column, value) in the file's order: bytes, packets, errs, drop, fifo, frame, compressed, multicast.
    public var receive: [(String, UInt64)]
    /// bytes, packets, errs, drop, fifo, colls, carrier, compressed.
    public var transmit: [(String, UInt64)]

    public func receive(_ column: String) -> UInt64? { receive.first { $0.0 == column }?.1 }
    public func transmit(_ column: String) -> UInt64? { transmit.first { $0.0 == column }?.1 }

    public static func == (a: ProcDevEntry, b: ProcDevEntry) -> Bool {
        a.name == b.name && a.receive.elementsEqual(b.receive, by: ==) && a.transmit.elementsEqual(b.transmit, by: ==)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        for (key, value) in receive + transmit { hasher.combine(key); hasher.combine(value) }
    }
}

/// /proc/net/dev. The second header line names the columns of each direction between `|`s;
/// the parser takes the names from there, so a kernel that adds a column does not break it.
/// (The kernel folds several rtnl_link_stats64 fields into each column, e.g. drop =
/// rx_dropped + rx_missed_errors; netlink's IFLA_STATS64 has them separately.)
public enum DevParser {
    public static func parse(_ text: String, file: String = "/proc/net/dev") throws -> [ProcDevEntry] {
        let lines = try Text.lines(text, file: file)
        guard lines.count >= 2 else { throw ProcNetError(file: file, line: 0, problem: "missing the two header lines") }
        let sections = lines[1].split(separator: "|", omittingEmptySubsequences: false)
        guard sections.count == 3 else {
            throw ProcNetError(file: file, line: 2, problem: "expected \"face |receive columns|transmit columns\", found \(Text.quoted(lines[1]))")
        }
        let rxNames = Text.fields(sections[1]).map(String.init)
        let txNames = Text.fields(sections[2]).map(String.init)
        guard !rxNames.isEmpty, !txNames.isEmpty else {
            throw ProcNetError(file: file, line: 2, problem: "no column names in the header")
        }
        var result: [ProcDevEntry] = []
        for index in 2..<lines.count {
            let line = lines[index]
            guard let colon = line.firstIndex(of: ":") else {
                throw ProcNetError(file: file, line: index + 1, problem: "no \"name:\" at the start of \(Text.quoted(line))")
            }
            let name = line[..<colon].trimmingBlanks()
            guard !name.isEmpty else { throw ProcNetError(file: file, line: index + 1, problem: "empty interface name") }
            let values = Text.fields(line[line.index(after: colon)...])
            guard values.count == rxNames.count + txNames.count else {
                throw ProcNetError(
                    file: file, line: index + 1,
                    problem: "\(name) has \(values.count) values, the header names \(rxNames.count + txNames.count) columns")
            }
            var numbers: [UInt64] = []
            numbers.reserveCapacity(values.count)
            for (column, value) in values.enumerated() {
                guard let number = UInt64(value) else {
                    let columnName = column < rxNames.count ? "receive \(rxNames[column])" : "transmit \(txNames[column - rxNames.count])"
                    throw ProcNetError(file: file, line: index + 1, problem: "\(name) \(columnName) is \(Text.quoted(value)), not a number")
                }
                numbers.append(number)
            }
            result.append(ProcDevEntry(
                name: String(name),
                receive: Array(zip(rxNames, numbers[0..<rxNames.count])),
                transmit: Array(zip(txNames, numbers[rxNames.count...]))))
        }
        return result
    }
}

extension Substring {
    func trimmingBlanks() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}

/// /proc/net/softnet_stat: one row of 32-bit hex columns per online CPU. The column count
/// grew over the years (9 → 11 → 13 → 15); at least processed, dropped and time_squeeze must be
/// there. Where the kernel prints the CPU number (column 13, since 5.10) it is used, because
/// offline CPUs have no row and the row index is then not the CPU.
public enum SoftnetParser {
    public static func parse(_ text: String, file: String = "/proc/net/softnet_stat") throws -> [SoftnetStatistics] {
        var result: [SoftnetStatistics] = []
        for (offset, line) in try Text.lines(text, file: file).enumerated() {
            let fields = Text.fields(line)
            if fields.isEmpty { continue }
            guard fields.count >= 3 else {
                throw ProcNetError(file: file, line: offset + 1, problem: "\(fields.count) columns, at least 3 expected")
            }
            var values: [UInt32] = []
            values.reserveCapacity(fields.count)
            for (column, field) in fields.enumerated() {
                guard field.count <= 8, let value = UInt32(field, radix: 16) else {
                    throw ProcNetError(
                        file: file, line: offset + 1, problem: "column \(column + 1) is \(Text.quoted(field)), not a 32-bit hex number")
                }
                values.append(value)
            }
            func column(_ index: Int) -> UInt32 { index < values.count ? values[index] : 0 }
            result.append(SoftnetStatistics(
                cpu: values.count > 12 ? Int(values[12]) : result.count,
                processed: values[0], dropped: values[1], timeSqueeze: values[2], cpuCollision: column(8),
                receivedRPS: column(9), flowLimitCount: column(10),
                extra: values.count > 11 ? Array(values[11...]) : []))
        }
        guard !result.isEmpty else { throw ProcNetError(file: file, line: 0, problem: "file is empty") }
        return result
    }
}
