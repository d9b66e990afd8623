import NetModel
#if canImport(Glibc)
import Glibc
#endif

/// A file replaced atomically: written to a temporary file in the same directory, then
/// fsync'ed and renamed over the target, so a reader (node_exporter's textfile collector, a
/// script diffing snapshots) sees the old or the new content, never half of it. Dropped
/// without `commit()` (an error, a full disk), the temporary file is removed.
public final class AtomicFile {
    public let path: String
    public let fd: Int32
    private var temporary: String
    private var committed = false


    public init(path: String, mode: mode_t = 0o644) throws {
        self.path = path
        var template = Array((path + ".tmp.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw AtomicFileError(description: "cannot create a temporary file next to \(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(fd, mode)
    }

    /// Makes the written content durable and visible under `path`.
    public func commit() throws {
        guard fsync(fd) == 0 else { throw AtomicFileError(description: "writing \(path): \(String(cString: strerror(errno)))") }
        guard rename(temporary, path) == 0 else {
            throw AtomicFileError(description: "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    deinit {
        close(fd)
        if !committed { unlink(temporary) }
    }
}

/// Why writing a file atomically failed, as one line.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
