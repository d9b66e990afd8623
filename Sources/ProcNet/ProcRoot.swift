#if canImport(Glibc)
import Glibc
#endif

/// Where /proc is: the live one, or a captured tree (`--proc-root DIR`, NETSCOPE_PROC_ROOT),
/// so every reader can run against fixtures. Reading is the only I/O here; parsing is pure.
public struct ProcRoot: Sendable {
    public let path: String

    public init(path: String = "/proc") { self.path = path }

    /// `--proc-root` if given, else NETSCOPE_PROC_ROOT, else /proc.
    public static func resolve(_ option: String?) -> ProcRoot {
        if let option, !option.isEmpty { return ProcRoot(path: option) }
        if let env = getenv("NETSCOPE_PROC_ROOT"), env.pointee != 0 { return ProcRoot(path: String(cString: env)) }
        return ProcRoot()
    }

    /// "net/snmp" → "/proc/net/snmp": the name shown in messages.
    public func file(_ relative: String) -> String { "\(path)/\(relative)" }

    /// The path actually opened. Live /proc/net is read through /proc/thread-self/net: /proc/net
    /// links to /proc/self/net, the namespace of the process's main thread, while a walk over
    /// namespaces moves only its own thread (setns is per thread).
    func location(_ relative: String) -> String {
        if path == "/proc" && relative.hasPrefix("net/") { return "/proc/thread-self/\(relative)" }
        return "\(path)/\(relative)"
    }

    /// The whole file as text; errors name the file.
    public func read(_ relative: String) throws -> String {
        do {
            return String(decoding: try FileBytes.read(location(relative), limit: FileBytes.procLimit), as: UTF8.self)
        } catch let failure as FileReadError {
            throw ProcNetError(file: file(relative), line: 0, problem: failure.reason)
        }
    }

    /// Whether a file exists (snmp6 is absent when IPv6 is disabled).
    public func exists(_ relative: String) -> Bool { access(location(relative), F_OK) == 0 }

    /// Entries of a directory such as net/dev_snmp6, sorted.
    public func list(_ relative: String) -> [String] {
        guard let dir = opendir(location(relative)) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// Reads a whole file, retrying EINTR: the one read loop for /proc files, snapshots and
/// capture files. Only regular files are read, and only up to a size limit: a FIFO would
/// block forever and /dev/zero never ends, so both are refused with a reason instead.
public enum FileBytes {
    /// /proc/net text files: 100k sockets in /proc/net/tcp are about 15 MB.
    public static let procLimit = 256 << 20
    /// Snapshots and captures: a snapshot of 100k sockets with tcp_info is about 150 MB.
    public static let documentLimit = 4 << 30


    public static func read(_ path: String, limit: Int = documentLimit) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw FileReadError(path: path, call: "open", errno: errno) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw FileReadError(path: path, call: "read", errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            let kind: String
            switch status.st_mode & S_IFMT {
            case S_IFIFO: kind = "a FIFO"
            case S_IFCHR: kind = "a character device"
            case S_IFBLK: kind = "a block device"
            case S_IFDIR: kind = "a directory"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a regular file"
            }
            throw FileReadError(path: path, call: "type", errno: 0, reason: "is \(kind), not a regular file; only regular files are read")
        }
        // /proc files report size 0: the limit is enforced while reading too.
        guard status.st_size <= limit else {
            throw FileReadError(path: path, call: "size", errno: 0, reason: "is \(status.st_size) bytes, more than the \(limit >> 20) MiB this reads")
        }
        _ = fcntl(fd, F_SETFL, O_RDONLY)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, call: "read", errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= limit else {
                throw FileReadError(path: path, call: "size", errno: 0, reason: "is more than the \(limit >> 20) MiB this reads")
            }
        }
    }
}

/// A file that could not be read (a /proc file, a snapshot, a capture): which, which call
/// failed ("open", "read", "type" or "size") and why, as one line.
public struct FileReadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let call: String
    public let errno: Int32
    /// Set for "type" and "size": what was wrong with the file.
    public var detail: String? = nil

    public init(path: String, call: String, errno: Int32, reason: String? = nil) {
        self.path = path
        self.call = call
        self.errno = errno
        detail = reason
    }

    /// What went wrong, without the path.
    public var reason: String {
        if let detail { return detail }
        let what = call == "open" ? "cannot open" : "read failed"
        return "\(what): \(String(cString: strerror(errno)))"
    }

    public var description: String { "\(path): \(reason)" }
}
