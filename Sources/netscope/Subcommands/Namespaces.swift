import ArgumentParser
import NetModel
import NetOutput
import NetQuery
import NetRender
#if canImport(Glibc)
import Glibc
#endif

struct Namespaces: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "namespaces",
        abstract: "List every network namespace on the host (like `lsns -t net` and `ip netns` together), with what each holds.",
        discussion: """
            Found in /run/netns (ip netns), in nsfs bind mounts anywhere (/proc/self/mountinfo: \
            Docker's /run/docker/netns, CNI's) and in /proc/*/ns/net of every process, merged by \
            inode. NETNS is the name, or net:[INODE] when it has none (* marks netscope's own); \
            NSID the id this namespace knows it by (ip netns list-id); CONTAINER what the \
            processes' cgroups name: docker:ID, containerd:ID, podman:ID, crio:ID, pod:UID (Kubernetes) \
            or systemd:UNIT. The counts (interfaces, addresses, routes outside the local table, \
            TCP established and listening, UDP) need entering each namespace: CAP_SYS_ADMIN; \
            without it only netscope's own namespace is counted, and other users' processes are \
            hidden. Any NETNS value (or the inode) is accepted by --netns.
            --json objects: netns, inode, device, nsid, current, names, mounts, processes, pids \
            (the first 16), commands, container, container_info {kind, id}, interfaces, \
            addresses, routes, listeners, tcp {STATE: count}, udp, error.
            """,
        aliases: ["netns"]
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .customLong("no-counts"), help: "Only find and label the namespaces: enter none (needs no privilege, and is faster).")
    var noCounts = false

    func validate() throws {
        if global.netns != nil || global.netnsPID != nil {
            throw ValidationError("namespaces lists every network namespace; --netns and --netns-pid do not apply.")
        }
    }

    func run() throws {
        let sources = global.sourceOptions
        let proc = global.proc
        let found = NamespaceDiscovery(proc: proc).discover(ids: try? sources.connection(.route))
        var rows = found.namespaces.map { NamespaceRow(info: $0) }
        if !noCounts {
            let counts = UnsafeMutableBufferPointer<NamespaceCounts?>.allocate(capacity: rows.count)
            counts.initialize(repeating: nil)
            defer {
                _ = counts.deinitialize()
                counts.deallocate()
            }
            let outcomes = try NamespaceWalker.run(found.namespaces.map(NamespaceTarget.init)) { index, _ in
                counts[index] = try NamespaceCensus.count(sources: sources, proc: proc)
            }
            for (index, outcome) in outcomes.enumerated() {
                rows[index].counts = counts[index]
                switch outcome {
                case .read: break
                case .notEntered(let error): rows[index].problem = error.description
                case .failed(let error): rows[index].problem = "\(error)"
                }
            }
        }
        let sink = OutputSink()
        NamespaceRenderer.render(rows, to: sink, options: global.renderOptions)
        try sink.flush()
        let refused = rows.filter { $0.problem != nil }
        if !refused.isEmpty && global.format == .table {
            if getuid() != 0 {
                warn("\(refused.count) namespaces were not counted: entering one needs CAP_SYS_ADMIN")
            } else {
                for row in refused { warn("\(row.info.label): \(row.problem!)") }
            }
        }
        if found.unreadableProcesses > 0 && getuid() != 0 {
            warn("\(found.unreadableProcesses) processes' namespaces are hidden from this user (reading them needs ptrace access, e.g. root)")
        }
    }
}
