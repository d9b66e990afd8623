import ArgumentParser
import NetModel
import ProcNet

/// Completions computed when the shell asks (the generated scripts call back into netscope).
enum Completions {
    /// Interface names of the namespace the shell runs in (/sys/class/net).
    static let interfaces = CompletionKind.custom { _, _, _ in interfaceNames() }

    /// Named network namespaces (/run/netns), as `ip netns list` shows them.
    static let namespaces = CompletionKind.custom { _, _, _ in NamespaceWalk.named() }

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

    /// Interface names of the namespace the shell runs in.
    static func interfaceNames() -> [String] { ProcRoot(path: "/sys/class/net").list("") }
}
