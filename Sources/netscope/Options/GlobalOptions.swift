import ArgumentParser
import Netlink
import ProcNet
import NetOutput
import NetQuery

/// What every command that reads state needs: which namespace, where /proc is.
protocol NamespaceChoice {
    var netns: String? { get }
    var netnsPID: Int32? { get }
    func enterNamespace() throws
}

/// Options of the commands that read state but print one fixed format (metrics, serve, top,
/// watch): which namespace and where /proc is, without --json and --no-header, which would
/// be accepted and ignored there.
struct NamespaceOptions: ParsableArguments, NamespaceChoice, ValuesGroup {
    @Option(
        name: .customLong("netns"),
        help: ArgumentHelp(
            "Read network namespace NS: a name in /run/netns, a path to a namespace file (an nsfs bind mount, /proc/PID/ns/net), a PID, or net:[INODE].",
            valueName: "NS"),
        completion: Completions.namespaces)
    var netns: String?

    @Option(name: .customLong("netns-pid"), help: ArgumentHelp("Read the network namespace of process PID.", valueName: "PID"))
    var netnsPID: Int32?

    @Option(
        name: .customLong("proc-root"),
        help: ArgumentHelp("Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.", valueName: "DIR"))
    var procRoot: String?

    @Option(name: .customLong("dump-raw"), help: .hidden)
    var dumpRaw: String?

    @Option(name: .customLong("replay-raw"), help: .hidden)
    var replayRaw: String?

    // The work is the plain twin's (below), which the start-up parser fills directly.
    func validate() throws { try values.validate() }

    var sourceOptions: SourceOptions { values.sourceOptions }

    var proc: ProcRoot { values.proc }

    func enterNamespace() throws { try values.enterNamespace() }
}

extension NamespaceOptions.Values {
    func validate() throws {
        if netns != nil && netnsPID != nil {
            throw ValidationError("--netns and --netns-pid cannot be combined.")
        }
    }

    var sourceOptions: SourceOptions { SourceOptions(captureFile: dumpRaw, replayFile: replayRaw) }

    var proc: ProcRoot { ProcRoot.resolve(procRoot) }

    /// Enters the requested namespace. Must run before any socket is opened; a replay reads
    /// no kernel state, so it enters nothing.
    func enterNamespace() throws {
        guard replayRaw == nil else { return }
        if let netns { try NamespaceTarget.resolve(netns).enter() }
        if let netnsPID { try NetworkNamespace.enter(pid: netnsPID) }
    }
}

/// Options every listing subcommand takes: which namespace, and how to print.
struct GlobalOptions: ParsableArguments, NamespaceChoice, ValuesGroup {
    @OptionGroup var namespace: NamespaceOptions

    var netns: String? {
        get { namespace.netns }
        set { namespace.netns = newValue }
    }
    var netnsPID: Int32? {
        get { namespace.netnsPID }
        set { namespace.netnsPID = newValue }
    }
    var procRoot: String? { namespace.procRoot }

    @Flag(name: .customLong("json"), help: "Print one JSON document (field names follow iproute2's `-j`).")
    var json = false

    @Flag(name: .customLong("ndjson"), help: "Print newline-delimited JSON: one object per line.")
    var ndjson = false

    @Flag(name: .customLong("no-header"), help: "Leave out the table header.")
    var noHeader = false

    @Option(name: .customLong("color"), help: ArgumentHelp("Color the table: auto, always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto

    // The work is the plain twin's (below), which the start-up parser fills directly.
    func validate() throws { try values.validate() }

    var format: OutputFormat { values.format }

    var renderOptions: RenderOptions { values.renderOptions }

    var sourceOptions: SourceOptions { namespace.sourceOptions }

    var proc: ProcRoot { namespace.proc }

    func enterNamespace() throws { try namespace.enterNamespace() }
}

extension GlobalOptions.Values {
    func validate() throws {
        if json && ndjson {
            throw ValidationError("--json and --ndjson cannot be combined.")
        }
    }

    var format: OutputFormat { json ? .json : ndjson ? .ndjson : .table }

    var renderOptions: RenderOptions {
        RenderOptions(format: format, header: !noHeader, color: color.enabled())
    }

    var sourceOptions: SourceOptions { namespace.sourceOptions }

    var proc: ProcRoot { namespace.proc }

    func enterNamespace() throws { try namespace.enterNamespace() }
}

extension ColorMode: ExpressibleByArgument {}
