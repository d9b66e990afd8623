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
/// NamespaceDiscovery and labelled by name or net:[INODE]. The walk runs on threads of its
/// own (setns moves one thread; `visit` uses one, `each` one per CPU), each returning to its
/// namespace after every visit, so the main thread never moves.
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

    /// A listing command's walk: `body` writes its rows into the sink it is given, once per
    /// namespace, and the sink labels them (a NETNS column, `netns`/`container` fields, one
    /// JSON array). `headings`: the output is not one table (a summary): each namespace gets
    /// a heading line instead.
    ///
    /// With --all-netns the namespaces are read side by side, one thread per CPU (at most
    /// four), each writing into a buffer of its own that is joined in namespace order: most
    /// of the time is the kernel walking tables that every namespace shares (the TCP hash
    /// holds the whole host's sockets), and those walks run in parallel. The output is
    /// therefore held in memory until the last namespace is read.
    func each(_ global: some NamespaceChoice, sink: OutputSink, format: OutputFormat, headings: Bool = false, _ body: (OutputSink) throws -> Void) throws {
        let targets = try targets(global)
        guard allNamespaces else {
            _ = try visit(global, targets) { _ in try body(sink) }
            return
        }
        let width = targets.map { $0?.label.utf8.count ?? 0 }.max() ?? 0
        let labelled = !headings || format != .table
        let parts = targets.indices.map { index in
            (labels: RowLabels(width: width, joinsJSON: format == .json, part: true, header: index == 0),
             output: OutputSink(threshold: Int.max))
        }
        let workers = min(targets.count, max(1, min(4, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))))
        let outcomes = UnsafeMutableBufferPointer<Outcome>.allocate(capacity: targets.count)
        outcomes.initialize(repeating: .skipped)
        defer {
            _ = outcomes.deinitialize()
            outcomes.deallocate()
        }
        try NetworkNamespace.onDedicatedThreads(workers) { worker in
            let home = try NetworkNamespace.Saved()
            for index in stride(from: worker, to: targets.count, by: workers) {
                guard let target = targets[index] else { continue }
                let (labels, output) = parts[index]
                if !target.paths.isEmpty {
                    do {
                        try target.enter()
                    } catch let error as NamespaceError {
                        outcomes[index] = error.gone ? .gone : getuid() != 0 ? .refused : .failed(error.description)
                        continue
                    }
                }
                labels.netns = target.label
                labels.container = target.container?.label
                if labelled { output.rowLabels = labels }
                if headings && format == .table {
                    output.write("netns \(labels.netns)\(labels.container.map { " (\($0))" } ?? ""):\n")
                }
                let result = Result { try body(output) }
                output.rowLabels = nil
                // Back home before the next one, and loudly if that fails: every later read
                // would otherwise silently see the wrong namespace.
                if !target.paths.isEmpty { try home.restore() }
                switch result {
                case .success: outcomes[index] = .read
                case .failure(let error as NamespaceError) where error.gone: outcomes[index] = .gone
                case .failure(let error): outcomes[index] = .failed("\(error)")
                }
            }
        }
        var refused: [String] = []
        for (index, outcome) in outcomes.enumerated() {
            let label = targets[index]?.label ?? ""
            switch outcome {
            case .read, .skipped: break
            case .gone: warn("network namespace \(label) disappeared; skipped")
            case .refused: refused.append(label)
            case .failed(let reason): warn("network namespace \(label): \(reason); skipped")
            }
        }
        if !refused.isEmpty {
            warn("could not enter \(refused.count) network namespaces (entering one needs CAP_SYS_ADMIN): \(refused.joined(separator: ", "))")
        }
        if labelled {
            RowLabels.join(parts, width: width, joinsJSON: format == .json, into: sink)
        } else {
            for (_, output) in parts { output.pendingBytes.withUnsafeBufferPointer { sink.append($0) } }
        }
        // Every namespace failing the same way (a bad filter word) is the command failing.
        let failures = outcomes.compactMap { if case .failed(let reason) = $0 { return reason } else { return nil } }
        if failures.count == targets.count, let reason = failures.first { throw CLIError(reason) }
    }

    /// What happened to one namespace of a side-by-side walk.
    enum Outcome {
        case skipped, read, gone, refused
        case failed(String)
    }
}
