/// /proc/PID/mountinfo (proc(5)): the nsfs bind mounts of network namespaces, which is how
/// containers and CNI keep namespaces outside /run/netns (Docker's /run/docker/netns/…).
///
/// A line: `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPER`.
/// For nsfs, ROOT is the namespace itself ("net:[4026532246]").
public enum MountInfoParser {
    public struct NamespaceMount: Equatable, Sendable {
        /// The namespace's inode, from ROOT.
        public let inode: UInt64
        /// Where it is mounted, with the kernel's octal escapes (\040 for a blank) undone.
        public let path: String

        public init(inode: UInt64, path: String) {
            self.inode = inode
            self.path = path
        }
    }

    /// Every network-namespace mount. Lines of other filesystems are skipped without being
    /// checked further; a malformed nsfs line is an error, not a silent omission.
    public static func networkNamespaces(_ text: String, file: String) throws -> [NamespaceMount] {
        var result: [NamespaceMount] = []
        for (index, line) in try Text.lines(text, file: file).enumerated() {
            let fields = Text.fields(line)
            guard let separator = fields.firstIndex(of: "-") else {
                if fields.isEmpty { continue }
                throw ProcNetError(file: file, line: index + 1, problem: "no \" - \" separator before the filesystem type")
            }
            guard separator >= 6 else {
                throw ProcNetError(file: file, line: index + 1, problem: "\(separator) fields before \" - \", expected at least 6")
            }
            guard separator + 1 < fields.count else {
                throw ProcNetError(file: file, line: index + 1, problem: "no filesystem type after \" - \"")
            }
            guard fields[separator + 1] == "nsfs" else { continue }
            let root = fields[3]
            guard root.hasPrefix("net:") else { continue }  // another namespace type (mnt, uts, …)
            guard let inode = NamespaceIdentityText.inode(root) else {
                throw ProcNetError(file: file, line: index + 1, problem: "nsfs root \(Text.quoted(root)) is not net:[INODE]")
            }
            result.append(NamespaceMount(inode: inode, path: unescape(fields[4])))
        }
        return result
    }

    /// show_mountinfo escapes blank, tab, newline and backslash as \ooo.
    static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
               utf8[(index + 1)...(index + 3)].allSatisfy({ $0 >= 48 && $0 <= 55 })
            {
                let value = utf8[(index + 1)...(index + 3)].reduce(0) { $0 * 8 + Int($1 - 48) }
                if value <= 255 {
                    bytes.append(UInt8(value))
                    index += 4
                    continue
                }
            }
            bytes.append(utf8[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// "net:[4026532246]" → 4026532246 (the text readlink and mountinfo show).
enum NamespaceIdentityText {
    static func inode(_ text: Substring) -> UInt64? {
        guard text.hasPrefix("net:["), text.hasSuffix("]") else { return nil }
        let digits = text.dropFirst(5).dropLast()
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt64(digits)
    }
}

/// /proc/PID/cgroup (cgroups(7)): `HIERARCHY-ID:CONTROLLERS:PATH` per line; cgroup v2 is
/// `0::PATH`. Returns the paths, v2 first, then the named systemd hierarchy, then the rest:
/// the order in which they name a container most reliably.
public enum CgroupFileParser {
    public static func paths(_ text: String, file: String) throws -> [String] {
        var unified: [String] = []
        var systemd: [String] = []
        var other: [String] = []
        for (index, line) in try Text.lines(text, file: file).enumerated() {
            if line.isEmpty { continue }
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, UInt32(parts[0]) != nil, parts[2].hasPrefix("/") else {
                throw ProcNetError(file: file, line: index + 1, problem: "expected ID:CONTROLLERS:/PATH, found \(Text.quoted(line))")
            }
            let path = String(parts[2])
            if parts[0] == "0" && parts[1].isEmpty {
                unified.append(path)
            } else if parts[1] == "name=systemd" {
                systemd.append(path)
            } else {
                other.append(path)
            }
        }
        return unified + systemd + other
    }
}
