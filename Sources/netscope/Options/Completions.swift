import ArgumentParser
import NetModel
import NetQuery
import ProcNet

/// Completions computed when the shell asks (the generated scripts call back into netscope).
enum Completions {
    /// Interface names of the namespace the shell runs in (/sys/class/net).
    static let interfaces = CompletionKind.custom { _, _, _ in interfaceNames() }

    /// Network namespaces: names (/run/netns, as `ip netns list` shows them), then the
    /// net:[INODE] of every other namespace this user can see.
    static let namespaces = CompletionKind.custom { _, _, _ in
        NamespaceDiscovery().discover().namespaces.map { $0.names.first ?? $0.identity.text }
    }

    /// `sockets` filter words: state names after state/exclude, interfaces after dev, and
    /// otherwise the words an expression starts with.
    static let socketFilter = CompletionKind.custom { words, index, _ in
        let previous = index > 0 && index - 1 < words.count ? words[index - 1] : ""
        switch previous {
        case "state", "exclude", "excl": return SocketStateSet.names
        case "dev": return interfaceNames()
        default:
            return ["state", "exclude", "sport", "dport", "src", "dst", "dev", "fwmark", "cgroup", "autobound", "and", "or", "not"]
        }
    }

    /// ip's route selectors, with interface names after dev and the words' own values.
    static let routeSelector = CompletionKind.custom { words, index, _ in
        let previous = index > 0 && index - 1 < words.count ? words[index - 1] : ""
        switch previous {
        case "dev", "oif": return interfaceNames()
        case "type": return ["unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw"]
        case "scope": return ["global", "site", "link", "host", "nowhere"]
        case "table": return ["all", "main", "local", "default"]
        case "proto": return ["kernel", "boot", "static", "ra", "dhcp", "bird", "bgp", "ospf", "zebra"]
        default: return ["table", "dev", "proto", "type", "scope", "via", "src", "root", "match", "exact"]
        }
    }

    /// ip's neighbour selectors.
    static let neighborSelector = CompletionKind.custom { words, index, _ in
        let previous = index > 0 && index - 1 < words.count ? words[index - 1] : ""
        switch previous {
        case "dev": return interfaceNames()
        case "nud": return ["permanent", "noarp", "reachable", "stale", "none", "incomplete", "delay", "probe", "failed", "all"]
        default: return ["dev", "nud", "proxy", "to"]
        }
    }

    /// Interface names of the namespace the shell runs in.
    static func interfaceNames() -> [String] { ProcRoot(path: "/sys/class/net").list("") }
}
