import NetModel

/// A streaming JSON writer: values go straight into the output buffer in the order they are
/// written, so key order follows iproute2's and nothing is built in memory first.
public struct JSONWriter {
    private let sink: OutputSink
    /// Bit i set: the container at depth i already has an element, so the next needs a comma.
    /// A bit stack instead of an array keeps the per-value cost to a shift (64 levels suffice).
    private var needsComma: UInt64 = 0
    private var depth = 0
    private var afterKey = false
    /// The outermost value is an array: its objects are the records (else the value is).
    private var topIsArray = false

    public init(_ sink: OutputSink) { self.sink = sink }

    @inline(__always)
    private mutating func separate() {
        if afterKey { afterKey = false; return }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth - 1)
        if needsComma & bit != 0 { sink.append(byte: UInt8(ascii: ",")) }
        needsComma |= bit
    }

    private mutating func open(_ byte: UInt8) {
        if depth == 0, let labels = sink.rowLabels {
            topIsArray = byte == UInt8(ascii: "[")
            if labels.joinsJSON {
                // One array for the whole walk: a namespace's array continues it, a
                // namespace's single object becomes one of its elements.
                if !labels.arrayOpen { sink.append(byte: UInt8(ascii: "[")); labels.arrayOpen = true }
                if topIsArray {
                    depth = 1
                    needsComma = labels.hasElements ? 1 : 0
                    return
                }
                if labels.hasElements { sink.append(byte: UInt8(ascii: ",")) }
            }
        }
        separate()
        sink.append(byte: byte)
        precondition(depth < 64, "JSON nested deeper than 64 levels")
        depth += 1
        needsComma &= ~(1 << UInt64(depth - 1))
        if byte == UInt8(ascii: "{"), let labels = sink.rowLabels, depth == (topIsArray ? 2 : 1) {
            key("netns")
            string(labels.netns)
            if let container = labels.container { key("container"); string(container) }
        }
    }

    private mutating func close(_ byte: UInt8) {
        depth -= 1
        if depth == 0, let labels = sink.rowLabels, labels.joinsJSON {
            labels.hasElements = labels.hasElements || !topIsArray || needsComma & 1 != 0
            labels.swallowNewline = true
            if topIsArray { return }
        }
        sink.append(byte: byte)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Keys are this program's own constants (ASCII, nothing to escape), so they are copied
    /// as they are: escaping them showed up as 7% of a 200k-route JSON dump. StaticString,
    /// not String: a literal's bytes are copied from where they lie, with no String to
    /// retain, release or make contiguous (those were 12% of a 100k-socket `--json`).
    public mutating func key(_ name: StaticString) {
        separate()
        sink.append(jsonKey: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        afterKey = true
    }

    /// Whole members already in JSON form (`"key":value` joined by commas), made by this
    /// program and needing no escaping, written as the next members of the open object: a
    /// run of members that repeats object after object is rendered once and copied.
    public mutating func members(raw text: UnsafeBufferPointer<UInt8>) {
        separate()
        sink.append(text)
    }

    /// A key that is not one of ours (read back from a document): escaped like a string.
    public mutating func key(escaping name: String) {
        separate()
        writeEscaped(name)
        sink.append(byte: UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) { separate(); writeEscaped(value) }
    public mutating func number<T: BinaryInteger>(_ value: T) {
        separate()
        if value < 0 {
            sink.append(decimal: UInt64(value.magnitude), negative: true)
        } else {
            sink.append(decimal: UInt64(value))
        }
    }
    public mutating func number(_ value: Int) { number(Int64(value)) }
    public mutating func number(_ value: Int32) { number(Int64(value)) }
    public mutating func number(_ value: Int64) {
        separate()
        if value < 0 {
            sink.append(decimal: value.magnitude, negative: true)
        } else {
            sink.append(decimal: UInt64(value))
        }
    }
    public mutating func number(_ value: UInt8) { number(UInt64(value)) }
    public mutating func number(_ value: UInt16) { number(UInt64(value)) }
    public mutating func number(_ value: UInt32) { number(UInt64(value)) }
    public mutating func number(_ value: UInt64) { separate(); sink.append(decimal: value) }
    public mutating func double(_ value: Double) {
        separate()
        sink.write(value.isFinite ? String(value) : "null")
    }
    /// A number already in JSON form (a value read back from a document).
    public mutating func raw(_ text: String) { separate(); sink.write(text) }

    /// A quoted lowercase hex string of `value` ("80a"), written digit by digit: no String
    /// is made (per-socket hot path).
    public mutating func hexString(_ value: UInt64) {
        separate()
        sink.append(byte: 0x22)
        var shift = 60
        while shift > 0 && (value >> UInt64(shift)) & 0xF == 0 { shift -= 4 }
        while shift >= 0 {
            let digit = UInt8((value >> UInt64(shift)) & 0xF)
            sink.append(byte: digit < 10 ? 0x30 + digit : 0x57 + digit)
            shift -= 4
        }
        sink.append(byte: 0x22)
    }
    /// `"name":"02:fc:00:00:00:01"`: bytes as colon-joined hex pairs, with no String made.
    public mutating func field(_ name: StaticString, hexPairs bytes: [UInt8]) {
        key(name)
        separate()
        sink.append(byte: 0x22)
        HardwareAddress.withHex(bytes) { sink.append($0) }
        sink.append(byte: 0x22)
    }
    public mutating func bool(_ value: Bool) { separate(); sink.write(value ? "true" : "false") }
    public mutating func null() { separate(); sink.write("null") }

    public mutating func field(_ name: StaticString, _ value: String) { key(name); string(value) }
    public mutating func field<T: BinaryInteger>(_ name: StaticString, _ value: T) { key(name); number(value) }
    // The integer types the renderers write, without the generic: across modules the generic
    // runs unspecialized (witness-table calls for isSigned, bitWidth and each conversion),
    // 7% of a 100k-socket `sockets --json`.
    public mutating func field(_ name: StaticString, _ value: Int) { key(name); number(value) }
    public mutating func field(_ name: StaticString, _ value: Int64) { key(name); number(value) }
    public mutating func field(_ name: StaticString, _ value: Int32) { key(name); number(value) }
    public mutating func field(_ name: StaticString, _ value: UInt64) { key(name); number(value) }
    public mutating func field(_ name: StaticString, _ value: UInt32) { key(name); number(value) }
    public mutating func field(_ name: StaticString, _ value: UInt16) { key(name); number(value) }
    public mutating func field(_ name: StaticString, _ value: UInt8) { key(name); number(value) }
    public mutating func field(_ name: StaticString, _ value: Int?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, _ value: Int64?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, _ value: Int32?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, _ value: UInt64?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, _ value: UInt32?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, _ value: UInt16?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, _ value: UInt8?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, _ value: Bool) { key(name); bool(value) }
    public mutating func field(_ name: StaticString, _ value: String?) { if let value { field(name, value) } }
    public mutating func field<T: BinaryInteger>(_ name: StaticString, _ value: T?) { if let value { field(name, value) } }
    public mutating func field(_ name: StaticString, strings: [String]) {
        key(name)
        beginArray()
        for value in strings { string(value) }
        endArray()
    }

    /// An address as a JSON string, formatted straight into the output.
    public mutating func field(_ name: StaticString, address: IPAddress, prefix: UInt8? = nil) {
        key(name)
        separate()
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            base[0] = UInt8(ascii: "\"")
            let length = address.format(into: base + 1)
            sink.append(UnsafeBufferPointer(start: base, count: length + 1))
        }
        if let prefix {
            sink.append(byte: UInt8(ascii: "/"))
            sink.append(decimal: UInt64(prefix))
        }
        sink.append(byte: UInt8(ascii: "\""))
    }

    /// Ends a top-level value with a newline (for NDJSON, one per line).
    public mutating func newline() {
        if depth == 0, let labels = sink.rowLabels, labels.swallowNewline {
            labels.swallowNewline = false
            return
        }
        sink.append(byte: UInt8(ascii: "\n"))
    }

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

/// Object keys known when the program is written, each rendered once as `"name":`. A run of
/// numeric members (a link's stats64, its queue and size limits) is then written with one
/// copy and one number per member, without handling a String per key.
public struct JSONKeys: Sendable {
    let text: [UInt8]
    let ends: [Int]

    /// `names` must need no escaping (they are this program's constants).
    public init(_ names: [String]) {
        var text: [UInt8] = []
        var ends: [Int] = []
        for name in names {
            precondition(!name.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "key \(name) needs escaping")
            text.append(0x22)
            text.append(contentsOf: name.utf8)
            text.append(contentsOf: [0x22, 0x3A])
            ends.append(text.count)
        }
        self.text = text
        self.ends = ends
    }

    public var count: Int { ends.count }
}

extension JSONWriter {
    /// One number member per key, in order: what `field(keys[i], values[i])` writes for each,
    /// a nil leaving its member out.
    public mutating func members(_ keys: JSONKeys, _ values: UnsafeBufferPointer<UInt64?>) {
        precondition(values.count == keys.count, "\(values.count) values for \(keys.count) keys")
        keys.text.withUnsafeBufferPointer { text in
            var start = 0
            for index in 0..<values.count {
                let end = keys.ends[index]
                if let value = values[index] {
                    separate()
                    sink.append(UnsafeBufferPointer(rebasing: text[start..<end]))
                    sink.append(decimal: value)
                }
                start = end
            }
        }
    }
}

extension JSONWriter {
    /// `items` as one JSON array (`--json`) or one value per line (`--ndjson`), each written
    /// by `body`.
    public static func list<S: Sequence>(
        _ items: S, to sink: OutputSink, lines: Bool, _ body: (inout JSONWriter, S.Element) -> Void
    ) {
        var json = JSONWriter(sink)
        if !lines { json.beginArray() }
        for item in items {
            body(&json, item)
            if lines { json.newline() }
        }
        if !lines { json.endArray(); json.newline() }
    }
}
