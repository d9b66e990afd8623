import ArgumentParser
import BuildInfo
import MetricsServer
import NetscopeKit
import ProcNet
import NetModel
import NetOutput
import TerminalIO

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Prometheus metrics over HTTP (GET /metrics), collected at scrape time.",
        discussion: """
            Listens on 127.0.0.1:29100 unless --listen says otherwise (29100: outside the \
            9100-9999 range of Prometheus exporters, all of which is allocated). Every scrape \
            collects anew, with the same collectors and flags as `netscope metrics`. The format \
            follows the Accept header (OpenMetrics 1.0 when asked for, else text 0.0.4); the body \
            is gzip-compressed when Accept-Encoding allows. GET / is a landing page.
            Limits: at most --max-connections open connections (while at the limit, new clients \
            wait in the kernel's listen backlog); request heads over 8 KiB or 64 headers get \
            431, bodies over 1 KiB get 413; a request must arrive within --request-timeout \
            seconds (default 10) and idle keep-alive connections close after 30 s; scrapes are \
            collected one at a time. Malformed requests get 400 and the server carries on.
            With --netns/--netns-pid the listening socket stays in the namespace netscope was \
            started in, and the metrics come from the named one. With --all-netns each scrape \
            reads every network namespace of the host (netscope namespaces lists them), every \
            series labelled netns and, when known, container; --max-netns bounds how many \
            (netscope_netns_dropped counts the rest). Stops on SIGINT or SIGTERM.
            """
    )

    @OptionGroup var global: NamespaceOptions
    @OptionGroup var selection: MetricsSelection
    @OptionGroup var walk: NamespaceWalk

    @Option(name: .customLong("listen"), help: ArgumentHelp("Address and port to listen on: HOST:PORT, [IPV6]:PORT or :PORT (all addresses).", valueName: "ADDR"))
    var listen = "127.0.0.1:29100"

    @Option(name: .customLong("max-connections"), parsing: .unconditional, help: ArgumentHelp("Connections served at once.", valueName: "N"))
    var maxConnections = 32

    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Seconds a client has to send a whole request.", valueName: "SECS"))
    var requestTimeout = 10.0

    func validate() throws {
        _ = try Self.parse(listen)
        guard requestTimeout > 0 && requestTimeout <= 3600 else { throw ValidationError("--request-timeout must be between 0 and 3600 seconds.") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be at least 1.") }
    }

    /// "127.0.0.1:29100", "[::1]:29100", ":29100" (every address).
    static func parse(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen: expected HOST:PORT, [IPV6]:PORT or :PORT, got \"\(text)\"")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "::" }
        return (host, port)
    }

    func run() throws {
        let (host, port) = try Self.parse(listen)
        let inNamespace = global.netns != nil || global.netnsPID != nil
        try walk.checkAlone(global)
        let options = try selection.options(insideNamespace: inNamespace, allNamespaces: walk.allNamespaces)
        let sources = global.sourceOptions
        // The collection thread enters the namespace; /proc/thread-self/net is that thread's view.
        let proc = global.procRoot != nil || !inNamespace ? global.proc : ProcRoot(path: "/proc/thread-self")
        var collection = MetricsExporter(sources: sources, proc: proc, options: options)
        let global = self.global
        if options.collectors.contains(.connections) {
            let monitor = ConnectionCloseMonitor(maxPorts: options.maxPorts)
            try monitor.start(prepare: { try global.enterNamespace() }, sources: sources, proc: proc)
            collection.connections = monitor
        }
        let exporter = collection
        let everyNamespace = walk.allNamespaces ? NamespaceMetrics(exporter: exporter, maxNamespaces: selection.maxNetns) : nil
        var limits = ServerLimits()
        limits.maxConnections = maxConnections
        limits.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
        let server = try MetricsHTTPServer(
            limits: limits, version: BuildInfo.versionLine,
            prepare: { try global.enterNamespace() },
            collect: { format in
                let sink = OutputSink(threshold: Int.max)
                if let everyNamespace {
                    for line in everyNamespace.write(to: sink, format: format) { warn(line) }
                    return sink.pendingBytes
                }
                for (collector, reason) in exporter.write(to: sink, format: format) {
                    warn("collector \(collector.rawValue) failed: \(reason)")
                }
                return sink.pendingBytes
            })
        StopSignal.install()
        let address: SocketAddressText
        do {
            address = SocketAddressText(try server.start(host: host, port: port))
        } catch {
            server.stop()
            throw CLIError("cannot listen on \(listen): \(MetricsHTTPServer.reason(error))")
        }
        warn("serving metrics on http://\(address.text)/metrics")
        while !StopSignal.requested { sleep(seconds: 0.2) }
        server.stop()
        exporter.connections?.stop()
    }
}
