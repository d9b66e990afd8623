import NetModel
#if canImport(Glibc)
import Glibc
#endif

/// Buffered output to a file descriptor: rendering appends bytes into one fixed buffer, which
/// is written in chunks, so output streams without a write(2) per line and without growing.
/// The buffer is raw memory: appends are plain stores, with no copy-on-write or exclusivity checks.
public final class OutputSink {
    private let fd: Int32
    private let storage: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    /// In-memory sinks (tests) keep everything: they grow instead of flushing.
    private var spill: [UInt8] = []
    private let keepInMemory: Bool
    /// Set by a namespace walk (--all-netns): every row written is that namespace's.
    public var rowLabels: RowLabels?
    /// Set when the reader went away (EPIPE): further output is dropped quietly.
    public private(set) var closed = false
    /// A write that failed while the buffer drained mid-render (a full disk); the next
    /// explicit flush() reports it, so the failure is not lost.
    private var failure: OutputError?

    /// - Parameter threshold: buffer size; `Int.max` keeps everything in memory (see `pending`).
    public init(fd: Int32 = 1, threshold: Int = 65536) {
        self.fd = fd
        keepInMemory = threshold == Int.max
        capacity = keepInMemory ? 65536 : max(threshold, 4096)
        storage = .allocate(capacity: capacity)
    }

    deinit {
        try? flush()
        storage.deallocate()
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    @inline(__always)
    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if count + bytes.count > capacity { drain() }
        if bytes.count > capacity {
            spillOrWrite(bytes)
            return
        }
        (storage + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
    }

    /// `spaces` blanks, then `bytes`: one aligned table cell with one capacity check. A
    /// streamed table of a million routes writes seven million cells.
    public func append(spaces: Int, then bytes: UnsafeBufferPointer<UInt8>) {
        let needed = spaces + bytes.count
        if count + needed > capacity { drain() }
        if needed > capacity {
            for _ in 0..<spaces { append(byte: 32) }
            if !bytes.isEmpty { append(bytes) }
            return
        }
        (storage + count).initialize(repeating: 32, count: spaces)
        if let base = bytes.baseAddress { (storage + count + spaces).update(from: base, count: bytes.count) }
        count += needed
    }

    @inline(__always)
    public func append(byte: UInt8) {
        if count == capacity { drain() }
        storage[count] = byte
        count += 1
    }

    /// `"name":`, a JSON object key that needs no escaping, with one bounds check: keys are
    /// a third of what `--json` writes, and byte-by-byte calls across the module boundary
    /// were 10% of a 100k-socket dump.
    public func append(jsonKey name: UnsafeBufferPointer<UInt8>) {
        let needed = name.count + 3
        if count + needed > capacity { drain() }
        guard needed <= capacity, let base = name.baseAddress else {
            append(byte: 0x22); append(name); append(byte: 0x22); append(byte: 0x3A)
            return
        }
        storage[count] = 0x22
        (storage + count + 1).update(from: base, count: name.count)
        storage[count + 1 + name.count] = 0x22
        storage[count + 2 + name.count] = 0x3A
        count += needed
    }

    /// Appends the decimal digits of `value` without creating a String.
    public func append(decimal value: UInt64, negative: Bool = false) {
        withDecimalDigits(value, negative: negative) { append($0) }
    }

    private func drain() {
        if keepInMemory {
            spill.append(contentsOf: UnsafeBufferPointer(start: storage, count: count))
            count = 0
        } else {
            do { try flush() } catch let error as OutputError {
                if failure == nil { failure = error }
                closed = true
            } catch {}
        }
    }

    private func spillOrWrite(_ bytes: UnsafeBufferPointer<UInt8>) {
        if keepInMemory { spill.append(contentsOf: bytes) } else { try? writeAll(UnsafeRawBufferPointer(bytes)) }
    }

    public func flush() throws {
        if keepInMemory { return }
        if let failure { throw failure }
        defer { count = 0 }
        try writeAll(UnsafeRawBufferPointer(start: storage, count: count))
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws {
        if closed { return }
        var offset = 0
        while offset < raw.count {
            let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { closed = true; return }
                throw OutputError(errno: errno)
            }
            offset += written
        }
    }

    /// Everything written so far, for sinks created with `threshold: Int.max`.
    public var pending: String { String(decoding: pendingBytes, as: UTF8.self) }

    public var pendingBytes: [UInt8] { spill + UnsafeBufferPointer(start: storage, count: count) }
}

/// The decimal text of `value` (with a leading "-" when `negative`) in a stack buffer,
/// for writers that must not create a String per number.
@inline(__always)
func withDecimalDigits(_ value: UInt64, negative: Bool = false, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits and a sign
    withUnsafeMutableBytes(of: &digits) { raw in
        var position = raw.count
        var rest = value
        repeat {
            position -= 1
            raw[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        if negative {
            position -= 1
            raw[position] = UInt8(ascii: "-")
        }
        body(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[position...]))
    }
}

public struct OutputError: Error, CustomStringConvertible {
    public let errno: Int32
    public var description: String { "writing output: \(String(cString: strerror(errno)))" }
}

/// How results are printed.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, ndjson
}

/// --color auto|always|never. `auto` colors only a terminal, and honours NO_COLOR and TERM=dumb.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto, always, never

    public func enabled(fd: Int32 = 1) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if getenv("NO_COLOR") != nil { return false }
            if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
            return isatty(fd) == 1
        }
    }
}

/// Options every renderer receives.
public struct RenderOptions: Sendable {
    public var format: OutputFormat
    public var header: Bool
    public var color: Bool

    public init(format: OutputFormat = .table, header: Bool = true, color: Bool = false) {
        self.format = format
        self.header = header
        self.color = color
    }
}
