import Netlink
#if canImport(Glibc)
import Glibc
#endif

/// What happened to one namespace of a walk.
public enum NamespaceVisit {
    case read
    /// It could not be entered: gone (`error.gone`: deleted, its last process exited) or
    /// refused (no CAP_SYS_ADMIN, not a network namespace).
    case notEntered(NamespaceError)
    /// It was entered, and the body threw; a NamespaceError with `gone` set means the
    /// namespace disappeared while it was read.
    case failed(Error)
}

/// The one walk over namespaces that `--all-netns`, `namespaces` and the metrics share: each
/// target entered with setns on a thread of its own, read, and left again, so the calling
/// thread never moves. /proc/net is read through /proc/thread-self/net (ProcRoot).
public enum NamespaceWalker {
    /// One thread per CPU, at most four: most of a namespace's read is the kernel walking
    /// tables that all namespaces share (the TCP hash holds the whole host's sockets), and
    /// those walks run in parallel.
    public static var defaultWorkers: Int { max(1, min(4, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }

    /// Runs `body(index, target)` inside each target, `workers` threads side by side (target i
    /// on thread i mod workers), and returns what happened to each, in target order. A target
    /// without paths is the namespace the walk starts in: read without moving, so it needs no
    /// privilege. Failing to return to the starting namespace ends the walk with that error:
    /// every later read would otherwise silently see the wrong namespace.
    public static func run(
        _ targets: [NamespaceTarget], workers: Int = defaultWorkers, _ body: (Int, NamespaceTarget) throws -> Void
    ) throws -> [NamespaceVisit] {
        let threads = max(1, min(workers, targets.count))
        let outcomes = UnsafeMutableBufferPointer<NamespaceVisit>.allocate(capacity: targets.count)
        outcomes.initialize(repeating: .read)
        defer {
            // Deinitialized first: the errors they hold would otherwise leak.
            _ = outcomes.deinitialize()
            outcomes.deallocate()
        }
        try NetworkNamespace.onDedicatedThreads(threads) { worker in
            let home = try NetworkNamespace.Saved()
            for index in stride(from: worker, to: targets.count, by: threads) {
                let target = targets[index]
                let moves = !target.paths.isEmpty
                if moves {
                    do {
                        try target.enter()
                    } catch let error as NamespaceError {
                        outcomes[index] = .notEntered(error)
                        continue
                    }
                }
                let result = Result { try body(index, target) }
                if moves { try home.restore() }
                if case .failure(let error) = result { outcomes[index] = .failed(error) }
            }
        }
        return Array(outcomes)
    }

    /// The lines to warn about a walk: each namespace that disappeared or failed, and (for an
    /// unprivileged user) one line naming every namespace that could not be entered.
    public static func warnings(_ outcomes: [NamespaceVisit], targets: [NamespaceTarget], privileged: Bool = getuid() == 0) -> [String] {
        var lines: [String] = []
        var refused: [String] = []
        for (outcome, target) in zip(outcomes, targets) {
            switch outcome {
            case .read: break
            case .notEntered(let error) where error.gone: lines.append("network namespace \(target.label) disappeared; skipped")
            case .notEntered(let error):
                if privileged { lines.append("\(error.description); skipped") } else { refused.append(target.label) }
            case .failed(let error as NamespaceError) where error.gone:
                lines.append("network namespace \(target.label) disappeared while it was read; skipped")
            case .failed(let error): lines.append("network namespace \(target.label): \(error); skipped")
            }
        }
        if !refused.isEmpty {
            lines.append("could not enter \(refused.count) network namespaces (entering one needs CAP_SYS_ADMIN): \(refused.joined(separator: ", "))")
        }
        return lines
    }
}
