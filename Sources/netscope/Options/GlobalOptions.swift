import ArgumentParser
import Netlink
import NetscopeKit
import ProcNet

/// Options every subcommand takes: which namespace, and how to print.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("netns"), help: ArgumentHelp("Read the named network namespace (/run/netns/NAME).", valueName: "NAME"),
        completion: Completions.namespaces)
    var netns: String?

    @Option(name: .customLong("netns-pid"), help: ArgumentHelp("Read the network namespace of process PID.", valueName: "PID"))
    var netnsPID: Int32?

    @Flag(name: .customLong("json"), help: "Print one JSON document (field names follow iproute2's `-j`).")
    var json = false

    @Flag(name: .customLong("ndjson"), help: "Print newline-delimited JSON: one object per line.")
    var ndjson = false

    @Flag(name: .customLong("no-header"), help: "Leave out the table header.")
    var noHeader = false

    @Option(name: .customLong("color"), help: ArgumentHelp("Color the table: auto, always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto

    @Option(
        name: .customLong("proc-root"),
        help: ArgumentHelp("Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.", valueName: "DIR"))
    var procRoot: String?

    @Option(name: .customLong("dump-raw"), help: .hidden)
    var dumpRaw: String?

    @Option(name: .customLong("replay-raw"), help: .hidden)
    var replayRaw: String?

    func validate() throws {
        if netns != nil && netnsPID != nil {
            throw ValidationError("--netns and --netns-pid cannot be combined.")
        }
        if json && ndjson {
            throw ValidationError("--json and --ndjson cannot be combined.")
        }
    }

    var format: OutputFormat { json ? .json : ndjson ? .ndjson : .table }

    var renderOptions: RenderOptions {
        RenderOptions(format: format, header: !noHeader, color: color.enabled())
    }

    var sourceOptions: SourceOptions {
        SourceOptions(captureFile: dumpRaw, replayFile: replayRaw)
    }

    var proc: ProcRoot { ProcRoot.resolve(procRoot) }

    /// Enters the requested namespace. Must run before any socket is opened; a replay reads
    /// no kernel state, so it enters nothing.
    func enterNamespace() throws {
        guard replayRaw == nil else { return }
        if let netns { try NetworkNamespace.enter(named: netns) }
        if let netnsPID { try NetworkNamespace.enter(pid: netnsPID) }
    }
}

extension ColorMode: ExpressibleByArgument {}
