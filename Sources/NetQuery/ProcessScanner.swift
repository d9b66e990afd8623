import Netlink
import NetModel
import ProcNet
#if canImport(Glibc)
import Glibc
#endif

/// Which processes hold which sockets: one pass over /proc/PID/fd, keeping only the inodes
/// asked about. Cost is one readlink per open file descriptor on the host, done once.
package struct ProcessScanner {
    package struct Result {
        package var owners = SocketOwnerMap()
        /// Processes whose fd directory could not be read (not root, other users' processes).
        package var deniedProcesses = 0
    }

    package let root: ProcRoot

    package init(root: ProcRoot) { self.root = root }

    package func scan(inodes wanted: Set<UInt64>) -> Result {
        var result = Result()
        guard !wanted.isEmpty, let proc = opendir(root.path) else { return result }
        defer { closedir(proc) }
        var link = [UInt8](repeating: 0, count: 64)
        let prefix = Array("socket:[".utf8)
        while let entry = readdir(proc) {
            let pid: Int32? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                var value: Int32 = 0
                var digits = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard byte >= 48 && byte <= 57 else { return nil }
                    value = value &* 10 &+ Int32(byte - 48)
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            guard let pid else { continue }
            let fdDirectory = open("\(root.path)/\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fdDirectory < 0 {
                if errno == EACCES || errno == EPERM { result.deniedProcesses += 1 }
                continue
            }
            guard let directory = fdopendir(fdDirectory) else { close(fdDirectory); continue }
            var process: Int32?
            while let fdEntry = readdir(directory) {
                let length = withUnsafeBytes(of: fdEntry.pointee.d_name) { name in
                    link.withUnsafeMutableBytes { buffer in
                        readlinkat(fdDirectory, name.baseAddress!.assumingMemoryBound(to: CChar.self),
                                   buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count)
                    }
                }
                // "socket:[12345]"
                guard length > prefix.count + 1, link[prefix.count - 1] == prefix[prefix.count - 1] else { continue }
                var isSocket = true
                for index in 0..<prefix.count where link[index] != prefix[index] { isSocket = false; break }
                guard isSocket else { continue }
                var inode: UInt64 = 0
                for index in prefix.count..<(length - 1) {
                    let byte = link[index]
                    guard byte >= 48 && byte <= 57 else { inode = 0; break }
                    inode = inode &* 10 &+ UInt64(byte - 48)
                }
                guard wanted.contains(inode) else { continue }
                let fd: Int32 = withUnsafeBytes(of: fdEntry.pointee.d_name) { raw in
                    var value: Int32 = 0
                    for byte in raw { if byte == 0 { break }; value = value &* 10 &+ Int32(byte &- 48) }
                    return value
                }
                if process == nil { process = result.owners.addProcess(command: readCommand(pid) ?? "?") }
                result.owners.add(inode: inode, pid: pid, fd: fd, process: process!)
            }
            closedir(directory)
        }
        return result
    }

    /// The inodes of this process's own sockets (its netlink connections), so that a
    /// snapshot of the host does not list the tool that took it.
    package static func ownSocketInodes() -> Set<UInt64> {
        var result = Set<UInt64>()
        guard let directory = opendir("/proc/self/fd") else { return result }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let fd: Int32? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let digits = raw.prefix { $0 != 0 }
                guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
                return Int32(String(decoding: digits, as: UTF8.self))
            }
            var status = stat()
            if let fd, fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK { result.insert(UInt64(status.st_ino)) }
        }
        return result
    }

    /// /proc/PID/comm without its newline.
    func readCommand(_ pid: Int32) -> String? {
        guard var text = try? root.read("\(pid)/comm") else { return nil }
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

/// netscope's own netlink sockets, which exist only while it runs: views of the whole stack
/// (overview, snapshot) leave them out, or every run would differ from the last by them.
/// Read once, when the first netlink socket is seen (all of ours are open by then).
package final class OwnSockets {
    private var inodes: Set<UInt64>?

    package init() {}

    package func contains(_ socket: Socket) -> Bool {
        guard socket.proto == .netlink else { return false }
        if inodes == nil { inodes = ProcessScanner.ownSocketInodes() }
        return inodes!.contains(socket.inode)
    }
}
