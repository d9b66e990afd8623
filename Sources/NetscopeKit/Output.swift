#if canImport(Glibc)
import Glibc
#endif

/// Buffered output to a file descriptor: rendering appends bytes, and they are written in
/// 64 KiB chunks, so output streams without one write(2) per line.
public final class OutputSink {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let threshold: Int
    /// Set when the reader went away (EPIPE): further output is dropped quietly.
    public private(set) var closed = false

    public init(fd: Int32 = 1, threshold: Int = 65536) {
        self.fd = fd
        self.threshold = threshold
        buffer.reserveCapacity(min(threshold, 1 << 20) + 4096)
    }

    deinit { try? flush() }

    @inlinable public func write(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= threshold { try? flush() }
    }

    public func append(byte: UInt8) {
        buffer.append(byte)
    }

    public func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        if closed { return }
        try buffer.withUnsafeBytes { raw in
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
    }

    /// Collected output, for tests that render into memory (fd -1 never flushes).
    public var pending: String { String(decoding: buffer, as: UTF8.self) }
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
