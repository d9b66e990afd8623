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
/// NamespaceDiscovery and labelled by name or net:[INODE]. NamespaceWalker enters them on
/// threads of its own (`visit` uses one, `each` one per CPU), so the main thread never moves.
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
        return found.namespaces.map(NamespaceTarget.init)
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
        // One at a time: the callers (overview, top, snapshot) sample each namespace whole.
        let walked = targets.compactMap { $0 }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: walked.count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let outcomes = try NamespaceWalker.run(walked, workers: 1) { index, target in results[index] = try body(target) }
        for line in NamespaceWalker.warnings(outcomes, targets: walked) { warn(line) }
        // A read that failed, not for want of the namespace, fails the command.
        for case .failed(let error) in outcomes where (error as? NamespaceError)?.gone != true { throw error }
        return walked.indices.compactMap { index in results[index].map { (walked[index].label, $0) } }
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
        let walked = targets.compactMap { $0 }
        let width = walked.map(\.label.utf8.count).max() ?? 0
        let labelled = !headings || format != .table
        let parts = walked.indices.map { index in
            (labels: RowLabels(width: width, joinsJSON: format == .json, part: true, header: index == 0),
             output: OutputSink(threshold: Int.max))
        }
        let outcomes = try NamespaceWalker.run(walked) { index, target in
            let (labels, output) = parts[index]
            labels.netns = target.label
            labels.container = target.container?.label
            if labelled { output.rowLabels = labels }
            defer { output.rowLabels = nil }
            if headings && format == .table {
                output.write("netns \(labels.netns)\(labels.container.map { " (\($0))" } ?? ""):\n")
            }
            try body(output)
        }
        for line in NamespaceWalker.warnings(outcomes, targets: walked) { warn(line) }
        if labelled {
            RowLabels.join(parts, width: width, joinsJSON: format == .json, into: sink)
        } else {
            for (_, output) in parts { output.pendingBytes.withUnsafeBufferPointer { sink.append($0) } }
        }
        // Every namespace failing the same way (a bad filter word) is the command failing.
        let failures = outcomes.compactMap { if case .failed(let error) = $0 { return error } else { return nil } }
        if failures.count == walked.count, let error = failures.first { throw CLIError("\(error)") }
    }
}
