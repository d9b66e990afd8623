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

    /// "net/snmp" → "/proc/net/snmp"
    public func file(_ relative: String) -> String { "\(path)/\(relative)" }

    /// The whole file as text; errors name the file.
    public func read(_ relative: String) throws -> String {
        let full = file(relative)
        do {
            return String(decoding: try FileBytes.read(full), as: UTF8.self)
        } catch let failure as FileBytes.Failure {
            let what = failure.call == "open" ? "cannot open" : "read failed"
            throw ProcNetError(file: full, line: 0, problem: "\(what): \(String(cString: strerror(failure.errno)))")
        }
    }

    /// Whether a file exists (snmp6 is absent when IPv6 is disabled).
    public func exists(_ relative: String) -> Bool { access(file(relative), F_OK) == 0 }

    /// Entries of a directory such as net/dev_snmp6, sorted.
    public func list(_ relative: String) -> [String] {
        guard let dir = opendir(file(relative)) else { return [] }
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

/// Reads a whole file, retrying EINTR: the one read loop for /proc files and capture files.
public enum FileBytes {
    /// Which call failed ("open" or "read") and its errno; callers turn it into their own error.
    public struct Failure: Error, Sendable {
        public let call: String
        public let errno: Int32
    }

    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(call: "open", errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(call: "read", errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
