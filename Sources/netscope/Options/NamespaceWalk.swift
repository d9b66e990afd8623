import ArgumentParser
import Netlink

/// `--all-netns`: run the same read in every named namespace (/run/netns), like `ip -all netns exec`.
struct NamespaceWalk: ParsableArguments {
    @Flag(name: .customLong("all-netns"), help: "Read every named network namespace (/run/netns) and label each section.")
    var allNamespaces = false

    /// The namespaces to visit: every named one, or just the one --netns/--netns-pid chose
    /// (nil: the current one, unlabelled).
    func targets(_ global: GlobalOptions) throws -> [String?] {
        guard allNamespaces else { return [nil] }
        if global.netns != nil || global.netnsPID != nil {
            throw ValidationError("--all-netns cannot be combined with --netns or --netns-pid.")
        }
        let names = NetworkNamespace.named()
        if names.isEmpty { throw CLIError("--all-netns: no named network namespaces in /run/netns") }
        return names
    }

    /// Runs `body` inside each target namespace and returns to the original one afterwards.
    /// Without --all-netns this enters --netns/--netns-pid (if given) and stays there.
    func visit<T>(_ global: GlobalOptions, _ targets: [String?], _ body: (String?) throws -> T) throws -> [T] {
        guard allNamespaces else {
            try global.enterNamespace()
            return [try body(nil)]
        }
        let home = try NetworkNamespace.Saved()
        var results: [T] = []
        for name in targets {
            if let name { try NetworkNamespace.enter(named: name) }
            let result = Result { try body(name) }
            // Back home before anything else happens, and loudly if that fails: every later
            // read would otherwise silently see the wrong namespace.
            try home.restore()
            results.append(try result.get())
        }
        return results
    }
}
