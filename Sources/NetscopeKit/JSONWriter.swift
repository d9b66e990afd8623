/// A streaming JSON writer: values go straight into the output buffer in the order they are
/// written, so key order follows iproute2's and nothing is built in memory first.
public struct JSONWriter {
    private let sink: OutputSink
    /// One entry per open container: whether the next element needs a comma.
    private var needsComma: [Bool] = []
    private var afterKey = false

    public init(_ sink: OutputSink) { self.sink = sink }

    private mutating func separate() {
        if afterKey { afterKey = false; return }
        if let last = needsComma.last {
            if last { sink.append(byte: UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
        }
    }

    public mutating func beginObject() { separate(); sink.append(byte: UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); sink.append(byte: UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); sink.append(byte: UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); sink.append(byte: UInt8(ascii: "]")) }

    public mutating func key(_ name: String) {
        separate()
        writeEscaped(name)
        sink.append(byte: UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) { separate(); writeEscaped(value) }
    public mutating func number<T: BinaryInteger>(_ value: T) { separate(); sink.write(String(value)) }
    public mutating func double(_ value: Double) {
        separate()
        sink.write(value.isFinite ? String(value) : "null")
    }
    public mutating func bool(_ value: Bool) { separate(); sink.write(value ? "true" : "false") }
    public mutating func null() { separate(); sink.write("null") }

    public mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func field<T: BinaryInteger>(_ name: String, _ value: T) { key(name); number(value) }
    public mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
    public mutating func field(_ name: String, _ value: String?) { if let value { field(name, value) } }
    public mutating func field<T: BinaryInteger>(_ name: String, _ value: T?) { if let value { field(name, value) } }
    public mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for value in strings { string(value) }
        endArray()
    }

    /// Ends a top-level value with a newline (for NDJSON, one per line).
    public mutating func newline() { sink.append(byte: UInt8(ascii: "\n")) }

    private static let hex = Array("0123456789abcdef".utf8)

    /// RFC 8259 escaping: quotes, backslash and every control character, so names with
    /// newlines or escape sequences stay one machine-safe string.
    private func writeEscaped(_ value: String) {
        sink.append(byte: UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { sink.append(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                start = index + 1
                sink.append(byte: UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): sink.append(byte: UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): sink.append(byte: UInt8(ascii: "\\"))
                case 0x0A: sink.append(byte: UInt8(ascii: "n"))
                case 0x0D: sink.append(byte: UInt8(ascii: "r"))
                case 0x09: sink.append(byte: UInt8(ascii: "t"))
                default:
                    for c in "u00".utf8 { sink.append(byte: c) }
                    sink.append(byte: JSONWriter.hex[Int(byte >> 4)])
                    sink.append(byte: JSONWriter.hex[Int(byte & 0xf)])
                }
            }
            if start < bytes.count { sink.append(UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        sink.append(byte: UInt8(ascii: "\""))
    }
}
