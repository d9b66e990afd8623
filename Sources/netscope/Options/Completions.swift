import ArgumentParser
import Netlink
import NetModel
#if canImport(Glibc)
import Glibc
#endif

/// Completions computed when the shell asks (the generated scripts call back into netscope).
enum Completions {
    /// Interface names of the namespace the shell runs in (/sys/class/net).
    static let interfaces = CompletionKind.custom { _, _, _ in interfaceNames() }

    /// Named network namespaces (/run/netns), as `ip netns list` shows them.
    static let namespaces = CompletionKind.custom { _, _, _ in NetworkNamespace.named() }

    /// `sockets` filter words: state names after state/exclude, interfaces after dev, and
    /// otherwise the words an expression starts with.
    static let socketFilter = CompletionKind.custom { words, index, _ in
        let previous = index > 0 && index - 1 < words.count ? words[index - 1] : ""
        switch previous {
        case "state", "exclude": return SocketStateSet.names
        case "dev": return interfaceNames()
        default: return ["state", "exclude", "sport", "dport", "src", "dst", "dev", "and", "or", "not"]
        }
    }

    static func interfaceNames() -> [String] {
        guard let directory = opendir("/sys/class/net") else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }
}
