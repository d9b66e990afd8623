/// A /proc/net file that does not have the shape its parser expects: which file, which line
/// (1-based; 0 for the file as a whole) and what is wrong.
public struct ProcNetError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var problem: String

    public init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(problem)" : "\(file): \(problem)"
    }
}

/// Shared text helpers: the files are ASCII, split on blanks.
enum Text {
    /// Lines without their terminators. The kernel ends every line with a newline, so text
    /// that does not end with one was cut short (a partial read, a damaged capture): the last
    /// number could be missing digits, and that must not pass as a value.
    static func lines(_ text: String, file: String) throws -> [Substring] {
        if text.isEmpty { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.last == "" else {
            throw ProcNetError(file: file, line: lines.count, problem: "the last line has no newline (file truncated?)")
        }
        lines.removeLast()
        return lines
    }

    static func fields(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// A decimal integer, optionally negative; nil when it is not one or does not fit Int64.
    static func integer(_ text: Substring) -> Int64? {
        Int64(text)
    }

    /// A counter value as the kernel prints it: unsigned 64-bit (%lu), or signed (%ld) for
    /// the fields in ProtocolCounter.signedFields. "-5" for an unsigned field is malformed;
    /// 18446744073709551615 is a valid u64.
    static func counter(_ text: Substring, signed: Bool) -> (raw: UInt64, signed: Bool)? {
        if signed { return Int64(text).map { (UInt64(bitPattern: $0), true) } }
        guard text.first != "+" else { return nil }
        return UInt64(text).map { ($0, false) }
    }

    /// A counter's name as the kernel prints them (InReceives, Ip6InReceives, ifIndex,
    /// TCPLoss_probes): a letter, then letters, digits and underscores.
    static func isCounterName(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy { isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func quoted(_ text: Substring) -> String {
        let shown = text.count > 40 ? text.prefix(40) + "…" : text
        return "\"\(shown)\""
    }
}
