import NetModel

/// /proc/net/snmp and /proc/net/netstat: pairs of lines, a header naming the fields and a
/// line of values, both starting with the same `Group:` label.
///
///     Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens …
///     Tcp: 1 200 120000 -1 12 …
///
/// Any group and any field set are accepted, so counters added by newer kernels just appear.
public enum SNMPParser {
    public static func parse(_ text: String, file: String = "/proc/net/snmp") throws -> [ProtocolCounter] {
        let lines = try Text.lines(text, file: file)
        guard !lines.isEmpty else { throw ProcNetError(file: file, line: 0, problem: "file is empty") }
        var result: [ProtocolCounter] = []
        result.reserveCapacity(lines.count * 20)
        var index = 0
        while index < lines.count {
            let headerLine = index + 1
            let header = Text.fields(lines[index])
            guard let label = header.first, label.hasSuffix(":"), label.count > 1 else {
                throw ProcNetError(file: file, line: headerLine, problem: "expected \"Group: field …\", found \(Text.quoted(lines[index]))")
            }
            guard index + 1 < lines.count else {
                throw ProcNetError(file: file, line: headerLine, problem: "header \(label) has no line of values after it (file truncated?)")
            }
            let values = Text.fields(lines[index + 1])
            guard values.first == label else {
                throw ProcNetError(
                    file: file, line: headerLine + 1,
                    problem: "values are labelled \(Text.quoted(values.first ?? "")) but the header above is \(label)")
            }
            guard values.count == header.count else {
                throw ProcNetError(
                    file: file, line: headerLine + 1,
                    problem: "\(label) has \(header.count - 1) field names but \(values.count - 1) values")
            }
            let group = String(label.dropLast())
            guard Text.isCounterName(label.dropLast()) else {
                throw ProcNetError(file: file, line: headerLine, problem: "\(Text.quoted(label)) is not a group name")
            }
            for column in 1..<header.count {
                guard Text.isCounterName(header[column]) else {
                    throw ProcNetError(file: file, line: headerLine, problem: "\(Text.quoted(header[column])) in \(label) is not a counter name")
                }
                let name = "\(group).\(header[column])"
                let signed = ProtocolCounter.signedFields.contains(name)
                guard let value = Text.counter(values[column], signed: signed) else {
                    throw ProcNetError(
                        file: file, line: headerLine + 1,
                        problem: "\(name) is \(Text.quoted(values[column])), not \(signed ? "an integer" : "an unsigned 64-bit integer")")
                }
                result.append(ProtocolCounter(group: group, field: String(header[column]), raw: value.raw, signed: value.signed))
            }
            index += 2
        }
        return result
    }
}

/// /proc/net/snmp6 and /proc/net/dev_snmp6/<ifname>: one `Name value` pair per line.
/// Names are split into group and field at the known prefixes (Ip6InReceives → Ip6.InReceives);
/// a name without one (dev_snmp6's ifIndex) goes into the group "Snmp6".
public enum SNMP6Parser {
    /// Longest first, so "UdpLite6" wins over "Udp…".
    static let prefixes = ["UdpLite6", "Icmp6", "Udp6", "Ip6"]

    public static func parse(_ text: String, file: String = "/proc/net/snmp6") throws -> [ProtocolCounter] {
        var result: [ProtocolCounter] = []
        for (offset, line) in try Text.lines(text, file: file).enumerated() {
            let fields = Text.fields(line)
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw ProcNetError(file: file, line: offset + 1, problem: "expected \"Name value\", found \(Text.quoted(line))")
            }
            guard let value = Text.counter(fields[1], signed: false) else {
                throw ProcNetError(file: file, line: offset + 1, problem: "\(fields[0]) is \(Text.quoted(fields[1])), not an unsigned 64-bit integer")
            }
            let name = String(fields[0])
            // A counter's name is an identifier (Ip6InReceives, ifIndex): anything else, such as
            // "Mode:", is not a counter of this file and must not become a metric.
            guard Text.isCounterName(fields[0]) else {
                throw ProcNetError(file: file, line: offset + 1, problem: "\(Text.quoted(fields[0])) is not a counter name")
            }
            var group = "Snmp6", field = name
            if let prefix = prefixes.first(where: { name.hasPrefix($0) && name.count > $0.count }) {
                group = prefix
                field = String(name.dropFirst(prefix.count))
            }
            result.append(ProtocolCounter(group: group, field: field, raw: value.raw, signed: false))
        }
        guard !result.isEmpty else { throw ProcNetError(file: file, line: 0, problem: "file is empty") }
        return result
    }
}

/// /proc/net/sockstat and sockstat6: `Label: key value key value …` per line.
public enum SockstatParser {
    public static func parse(_ text: String, file: String = "/proc/net/sockstat") throws -> [SocketStatistic] {
        var result: [SocketStatistic] = []
        for (offset, line) in try Text.lines(text, file: file).enumerated() {
            let fields = Text.fields(line)
            if fields.isEmpty { continue }
            guard let label = fields.first, label.hasSuffix(":"), fields.count % 2 == 1, fields.count >= 3 else {
                throw ProcNetError(file: file, line: offset + 1, problem: "expected \"Label: key value …\", found \(Text.quoted(line))")
            }
            let group = String(label.dropLast())
            for pair in stride(from: 1, to: fields.count, by: 2) {
                guard let value = Text.integer(fields[pair + 1]) else {
                    throw ProcNetError(
                        file: file, line: offset + 1,
                        problem: "\(group) \(fields[pair]) is \(Text.quoted(fields[pair + 1])), not an integer")
                }
                result.append(SocketStatistic(group: group, field: String(fields[pair]), value: value))
            }
        }
        return result
    }
}
