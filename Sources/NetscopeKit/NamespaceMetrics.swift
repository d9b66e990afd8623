import NetMetrics
import NetModel
import NetOutput
import NetQuery

/// `metrics --all-netns`, `serve --all-netns`: every family of every network namespace on the
/// host, each series labelled `netns` (and `container` when its processes' cgroups name one).
/// Each namespace is collected on a thread of its own (setns moves one thread) into a buffer;
/// the buffers are then merged family by family, because the exposition formats want all
/// samples of a family together, under one HELP and TYPE.
package struct NamespaceMetrics: @unchecked Sendable {
    package var exporter: MetricsExporter
    /// At most this many namespaces get series (the current one first, then named ones, then
    /// by inode); the rest are counted in netscope_netns_dropped.
    package var maxNamespaces = 100

    package init(exporter: MetricsExporter, maxNamespaces: Int) {
        self.exporter = exporter
        self.maxNamespaces = maxNamespaces
    }

    /// Writes everything into `sink`; returns what to warn about (a collector that failed
    /// somewhere, a namespace that could not be entered).
    @discardableResult
    package func write(to sink: OutputSink, format: MetricsFormat) -> [String] {
        var warnings: [String] = []
        let found = NamespaceDiscovery(proc: exporter.proc).discover().namespaces
        let chosen = Array(found.prefix(maxNamespaces))
        // Side by side (NamespaceWalker): most of a namespace's scrape is the kernel walking
        // tables all namespaces share, and those walks run in parallel.
        let texts = UnsafeMutableBufferPointer<[UInt8]?>.allocate(capacity: chosen.count)
        texts.initialize(repeating: nil)
        let notes = UnsafeMutableBufferPointer<[String]>.allocate(capacity: chosen.count)
        notes.initialize(repeating: [])
        defer {
            // Deinitialized first: the arrays they hold would otherwise leak every scrape.
            _ = texts.deinitialize()
            texts.deallocate()
            _ = notes.deinitialize()
            notes.deallocate()
        }
        let targets = chosen.map(NamespaceTarget.init)
        do {
            let outcomes = try NamespaceWalker.run(targets) { index, _ in
                let info = chosen[index]
                var one = exporter
                one.constantLabels = [("netns", info.label)] + (info.container.map { [("container", $0.label)] } ?? [])
                // /sys/class/net shows the namespace sysfs was mounted in: only this one's.
                if !info.isCurrent { one.options.sysfsSpeed = false }
                let buffer = OutputSink(threshold: Int.max)
                for (collector, reason) in one.write(to: buffer, format: format, buildInfo: false, finish: false) {
                    notes[index].append("[\(info.label)] collector \(collector.rawValue) failed: \(reason)")
                }
                texts[index] = buffer.pendingBytes
            }
            warnings += NamespaceWalker.warnings(outcomes, targets: targets)
        } catch {
            warnings.append("\(error)")
        }
        var scraped: [(info: NamespaceInfo, text: [UInt8])] = []
        for index in chosen.indices {
            warnings += notes[index]
            if let text = texts[index] { scraped.append((chosen[index], text)) }
        }
        var merged = MetricsMerger()
        for (_, text) in scraped { merged.add(text) }
        merged.write(to: sink)
        var writer = MetricsWriter(sink, format: format)
        MetricsExporter.writeBuildInfo(&writer)
        writer.family("netscope_netns_info", .gauge, help: "Each network namespace read, with its inode and its container (empty when none is known); always 1.")
        for (info, _) in scraped {
            writer.sample(["netns": info.label, "container": info.container?.label ?? "", "inode": String(info.identity.inode)], 1)
        }
        writer.family("netscope_netns_dropped", .gauge, help: "Network namespaces left out by --max-netns in this scrape; 0 when none were.")
        writer.sample([:], found.count - chosen.count)
        writer.finish()
        return warnings
    }
}

/// Joins exposition texts that have the same families: each family's HELP/TYPE/UNIT once,
/// then the samples of every text in order. Family blocks are found by their "# HELP" line,
/// which MetricsWriter writes first for every family.
struct MetricsMerger {
    private var order: [String] = []
    private var headers: [String: [UInt8]] = [:]
    private var samples: [String: [UInt8]] = [:]

    mutating func add(_ text: [UInt8]) {
        var family = ""
        var start = 0
        let help = Array("# HELP ".utf8)
        while start < text.count {
            var end = start
            while end < text.count && text[end] != 10 { end += 1 }
            let line = text[start..<min(end + 1, text.count)]
            if line.starts(with: help) {
                let nameEnd = line.dropFirst(help.count).firstIndex(of: 32) ?? line.endIndex
                family = String(decoding: text[(start + help.count)..<nameEnd], as: UTF8.self)
                if headers[family] == nil {
                    order.append(family)
                    headers[family] = Array(line)
                    samples[family] = []
                } else {
                    family = "\u{0}" + family  // a repeated header: skip it and its TYPE/UNIT
                }
            } else if line.first == UInt8(ascii: "#") {
                if line.elementsEqual("# EOF\n".utf8) {
                    // The caller writes the one end marker.
                } else if !family.hasPrefix("\u{0}") {
                    headers[family, default: []].append(contentsOf: line)
                }
            } else if !line.isEmpty {
                samples[family.hasPrefix("\u{0}") ? String(family.dropFirst()) : family, default: []].append(contentsOf: line)
            }
            start = end + 1
        }
    }

    func write(to sink: OutputSink) {
        for family in order {
            headers[family]!.withUnsafeBufferPointer { sink.append($0) }
            samples[family]!.withUnsafeBufferPointer { sink.append($0) }
        }
    }
}
