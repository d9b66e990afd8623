import ArgumentParser
import Netlink
import NetModel
import NetOutput
import NetQuery
import ProcNet
#if canImport(Glibc)
import Glibc
#endif

/// `--all-netns`: run the same read in every network namespace on the host: named ones
/// (/run/netns), nsfs bind mounts (containers, CNI) and those only processes hold, found by
/// NamespaceDiscovery and labelled by name or net:[INODE]. The walk runs on a thread of its
/// own (setns moves one thread), which returns to its namespace after each visit.
struct NamespaceWalk: ParsableArguments {
    @Flag(
        name: .customLong("all-netns"),
        help: "Read every network namespace on the host (named, bind-mounted by containers, or held only by processes) and label each row with it.")
    var allNamespaces = false

    /// The namespaces to visit: every one on the host, or just the one --netns/--netns-pid
    /// chose (nil: the current one, unlabelled).
    func targets(_ global: some NamespaceChoice) throws -> [NamespaceTarget?] {
        guard allNamespaces else { return [nil] }
        try checkAlone(global)
        let found = NamespaceDiscovery().discover()
        if found.unreadableProcesses > 0 && getuid() != 0 {
            warn("\(found.unreadableProcesses) processes' namespaces are hidden from this user (reading them needs ptrace access, e.g. root)")
        }
        return found.namespaces.map { info in
            // The current namespace is read where the walk starts: no setns, so an
            // unprivileged user still gets it.
            info.isCurrent ? NamespaceTarget(label: info.label, paths: [], identity: info.identity, container: info.container) : NamespaceTarget(info)
        }
    }

    /// --all-netns names no single namespace: --netns or --netns-pid with it is a mistake.
    func checkAlone(_ global: some NamespaceChoice) throws {
        if allNamespaces && (global.netns != nil || global.netnsPID != nil) {
            throw ValidationError("--all-netns cannot be combined with --netns or --netns-pid.")
        }
    }

    /// The names under /run/netns (what `ip netns list` shows), sorted.
    static func named() -> [String] { ProcRoot(path: "/run/netns").list("") }

    /// Runs `body` inside each target namespace, labelled by it. Without --all-netns this
    /// enters --netns/--netns-pid (if given) on this thread and stays there. A namespace that
    /// vanished after discovery, or that this user may not enter, is skipped with a warning:
    /// the rest are still worth reading.
    func visit<T>(_ global: some NamespaceChoice, _ targets: [NamespaceTarget?], _ body: (NamespaceTarget?) throws -> T) throws -> [(String?, T)] {
        guard allNamespaces else {
            try global.enterNamespace()
            return [(nil, try body(nil))]
        }
        return try NetworkNamespace.onDedicatedThread {
            let home = try NetworkNamespace.Saved()
            var results: [(String?, T)] = []
            var refused: [String] = []
            for case let target? in targets {
                if !target.paths.isEmpty {
                    do {
                        try target.enter()
                    } catch let error as NamespaceError where error.gone {
                        warn("network namespace \(target.label) disappeared; skipped")
                        continue
                    } catch let error as NamespaceError {
                        if getuid() != 0 { refused.append(target.label) } else { warn("\(error.description); skipped") }
                        continue
                    }
                }
                let result = Result { try body(target) }
                // Back home before anything else happens, and loudly if that fails: every later
                // read would otherwise silently see the wrong namespace. (The current namespace
                // was read without moving: nothing to undo, and no privilege needed.)
                if !target.paths.isEmpty { try home.restore() }
                do {
                    results.append((target.label, try result.get()))
                } catch let error as NamespaceError where error.gone {
                    warn("network namespace \(target.label) disappeared while it was read; skipped")
                }
            }
            if !refused.isEmpty {
                warn("could not enter \(refused.count) network namespaces (entering one needs CAP_SYS_ADMIN): \(refused.joined(separator: ", "))")
            }
            return results
        }
    }

    /// A listing command's walk: `body` writes its rows into `sink` once per namespace, and
    /// the sink labels them (a NETNS column, `netns`/`container` fields, one JSON array).
    /// `headings`: the output is not one table (a summary): each namespace gets a heading line.
    func each(_ global: some NamespaceChoice, sink: OutputSink, format: OutputFormat, headings: Bool = false, _ body: () throws -> Void) throws {
        let targets = try targets(global)
        guard allNamespaces else {
            _ = try visit(global, targets) { _ in try body() }
            return
        }
        let labels = RowLabels(width: targets.map { $0?.label.utf8.count ?? 0 }.max() ?? 0, joinsJSON: format == .json)
        if !headings || format != .table { sink.rowLabels = labels }
        _ = try visit(global, targets) { target in
            labels.netns = target?.label ?? ""
            labels.container = target?.container?.label
            if headings && format == .table {
                sink.write("netns \(labels.netns)\(labels.container.map { " (\($0))" } ?? ""):\n")
            }
            try body()
        }
        sink.rowLabels = nil
        labels.finish(sink)
    }
}
