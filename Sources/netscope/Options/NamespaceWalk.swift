import ArgumentParser
import Netlink
import ProcNet
#if canImport(Glibc)
import Glibc
#endif

/// `--all-netns`: run the same read in every named namespace (/run/netns), like `ip -all netns exec`.
struct NamespaceWalk: ParsableArguments {
    @Flag(name: .customLong("all-netns"), help: "Read every named network namespace (/run/netns) and label each section.")
    var allNamespaces = false

    /// The namespaces to visit: every named one, or just the one --netns/--netns-pid chose
    /// (nil: the current one, unlabelled).
    func targets(_ global: some NamespaceChoice) throws -> [String?] {
        guard allNamespaces else { return [nil] }
        if global.netns != nil || global.netnsPID != nil {
            throw ValidationError("--all-netns cannot be combined with --netns or --netns-pid.")
        }
        let names = Self.named()
        if names.isEmpty { throw CLIError("--all-netns: no named network namespaces in /run/netns") }
        return names
    }

    /// The names under /run/netns (what `ip netns list` shows), sorted.
    static func named() -> [String] { ProcRoot(path: "/run/netns").list("") }

    /// Runs `body` inside each target namespace and returns to the original one afterwards,
    /// with each result labelled by its namespace. Without --all-netns this enters
    /// --netns/--netns-pid (if given) and stays there. A namespace deleted after it was listed
    /// is skipped with a warning: namespaces come and go, and the rest are still worth reading.
    func visit<T>(_ global: some NamespaceChoice, _ targets: [String?], _ body: (String?) throws -> T) throws -> [(String?, T)] {
        guard allNamespaces else {
            try global.enterNamespace()
            return [(nil, try body(nil))]
        }
        let home = try NetworkNamespace.Saved()
        var results: [(String?, T)] = []
        for name in targets {
            if let name {
                do {
                    try NetworkNamespace.enter(named: name)
                } catch where access("/run/netns/\(name)", F_OK) != 0 {
                    warn("network namespace \"\(name)\" disappeared; skipped")
                    continue
                }
            }
            let result = Result { try body(name) }
            // Back home before anything else happens, and loudly if that fails: every later
            // read would otherwise silently see the wrong namespace.
            try home.restore()
            results.append((name, try result.get()))
        }
        return results
    }
}
