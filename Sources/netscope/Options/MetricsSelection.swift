import ArgumentParser
import NetscopeKit

/// What `metrics` and `serve` collect: collectors, device and field selectors, bounds.
struct MetricsSelection: ParsableArguments {
    @Option(
        name: .customLong("collectors"),
        help: ArgumentHelp(
            "Comma-separated collectors, or all: \(MetricsCollector.allCases.map(\.rawValue).joined(separator: ", ")). Default: all but tcpinfo (it reads tcp_info of every connection to a listening port), connections (serve only: it follows closes in the background), ntables and ethtool (their dumps cost a message per device).",
            valueName: "LIST"))
    var collectors: String?

    @Option(name: .customLong("device-include"), help: ArgumentHelp("Only interfaces whose whole name matches REGEX.", valueName: "REGEX"))
    var deviceInclude: String?

    @Option(name: .customLong("device-exclude"), help: ArgumentHelp("Leave out interfaces whose whole name matches REGEX.", valueName: "REGEX"))
    var deviceExclude: String?

    @Option(name: .customLong("protocol-fields"), help: ArgumentHelp("Only protocol counters whose Group.Field matches REGEX (e.g. 'Tcp.*|TcpExt.Listen.*').", valueName: "REGEX"))
    var protocolFields: String?

    @Option(name: .customLong("max-ports"), parsing: .unconditional, help: ArgumentHelp("At most N listening ports get per-port series (those with a full accept queue first, then the busiest); the rest are counted in netscope_scrape_series_truncated.", valueName: "N"))
    var maxPorts = 64

    @Option(name: .customLong("tcpinfo-sample"), parsing: .unconditional, help: ArgumentHelp("The tcpinfo collector reads tcp_info of at most N established connections per listening port: the first N of the kernel's walk of its connection hash (keyed by a random per-boot secret, so unrelated to RTT or rate), which bounds its cost; 0 reads every one. netscope_tcp_info_sampled_connections says how many each port's histograms hold.", valueName: "N"))
    var tcpInfoSample: Int = MetricsOptions.defaultTCPInfoSample

    @Option(name: .customLong("max-netns"), parsing: .unconditional, help: ArgumentHelp("With --all-netns: at most N namespaces get series (netscope's own first, then named ones, then by inode); the rest are counted in netscope_netns_dropped.", valueName: "N"))
    var maxNetns = 100

    func validate() throws {
        guard maxPorts >= 0 else { throw ValidationError("--max-ports must be 0 or more.") }
        guard tcpInfoSample >= 0 else { throw ValidationError("--tcpinfo-sample must be 0 or more.") }
        guard maxNetns >= 1 else { throw ValidationError("--max-netns must be at least 1.") }
        _ = try options(insideNamespace: false)
    }

    /// With --all-netns the connections collector is left out of `all`: it follows one
    /// namespace's closes between scrapes (the command refuses it by name).
    func options(insideNamespace: Bool, allNamespaces: Bool = false) throws -> MetricsOptions {
        var options = MetricsOptions()
        if collectors == "all" {
            options.collectors = Set(MetricsCollector.allCases)
            if allNamespaces { options.collectors.remove(.connections) }
        } else if let collectors {
            var selected = Set<MetricsCollector>()
            for name in collectors.split(separator: ",").map({ String($0.filter { !$0.isWhitespace }) }) where !name.isEmpty {
                guard let collector = MetricsCollector(rawValue: name) else {
                    throw ValidationError("unknown collector \"\(name)\"; known: \(MetricsCollector.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if collector == .connections && allNamespaces {
                    throw ValidationError("the connections collector follows the closes of one namespace; it cannot be combined with --all-netns")
                }
                selected.insert(collector)
            }
            options.collectors = selected
        }
        func regex(_ text: String?, _ flag: String) throws -> Regex<AnyRegexOutput>? {
            guard let text else { return nil }
            do { return try Regex(text) } catch { throw ValidationError("\(flag): invalid regular expression \"\(text)\": \(error)") }
        }
        options.deviceInclude = try regex(deviceInclude, "--device-include")
        options.deviceExclude = try regex(deviceExclude, "--device-exclude")
        options.protocolFields = try regex(protocolFields, "--protocol-fields")
        options.maxPorts = maxPorts
        options.tcpInfoSample = tcpInfoSample
        // /sys/class/net shows the namespace sysfs was mounted in, not the one entered.
        options.sysfsSpeed = !insideNamespace
        return options
    }
}
