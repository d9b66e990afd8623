import Netlink
import NetModel
import ProcNet
#if canImport(Glibc)
import Glibc
#endif

/// cgroup v2 ids for `cgroup PATH` socket filters: the id the kernel reports for a socket
/// (INET_DIAG_CGROUP_ID) is the inode number of the cgroup's directory in the cgroup v2
/// hierarchy.
package enum CgroupIDs {
    /// Where cgroup2 is mounted, from /proc/self/mountinfo (field 5 is the mount point,
    /// the field after " - " the file system type).
    package static func mountPoint(mountinfo: String) -> String? {
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count, fields[dash + 1] == "cgroup2", dash >= 5 else { continue }
            return String(fields[4])
        }
        return nil
    }

    /// The id of `path`: a path inside the cgroup v2 hierarchy ("/system.slice/ssh.service")
    /// or a full path under its mount point; nil when it is not a cgroup directory.
    package static func id(of path: String) -> UInt64? {
        guard let text = try? FileBytes.read("/proc/self/mountinfo"),
            let root = mountPoint(mountinfo: String(decoding: text, as: UTF8.self))
        else { return nil }
        let full = path.hasPrefix(root + "/") || path == root ? path : root + (path.hasPrefix("/") ? path : "/" + path)
        var status = stat()
        guard stat(full, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { return nil }
        return UInt64(status.st_ino)
    }
}
