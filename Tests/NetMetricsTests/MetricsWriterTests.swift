import NetMetrics
import NetModel
import NetOutput
import Testing

/// The exposition writer on its own: families, label escaping, histograms, both formats,
/// and the per-port aggregation and ranking the listeners collector uses.
@Suite struct MetricsWriterTests {
    static func text(_ format: MetricsFormat, _ body: (inout MetricsWriter) -> Void) -> String {
        let sink = OutputSink(fd: -1, threshold: Int.max)
        var writer = MetricsWriter(sink, format: format)
        body(&writer)
        writer.finish()
        return sink.pending
    }

    @Test func familiesSamplesAndEscaping() {
        // Families are named without _total; the writer adds it where the format wants it.
        let text = Self.text(.prometheus) { w in
            w.family("netscope_test", .counter, help: "A test counter.")
            w.sample(["device": "eth\"0\\\n"], UInt64(7))
            w.family("netscope_test_gauge", .gauge, help: "A gauge.")
            w.sample([:], Int64(-3))
        }
        #expect(text.contains("# HELP netscope_test_total A test counter.\n# TYPE netscope_test_total counter\n"))
        #expect(text.contains(#"netscope_test_total{device="eth\"0\\\n"} 7"#), "\(text)")
        #expect(text.contains("netscope_test_gauge -3\n"))
        #expect(!text.contains("# EOF"))
    }

    @Test func openMetricsNamesCountersAndEnds() {
        let text = Self.text(.openMetrics) { w in
            w.family("netscope_test", .counter, help: "A test counter.")
            w.sample([:], UInt64(1))
        }
        // OpenMetrics names the family without _total and ends with # EOF.
        #expect(text.contains("# TYPE netscope_test counter\n"), "\(text)")
        #expect(text.contains("netscope_test_total 1\n"))
        #expect(text.hasSuffix("# EOF\n"))
    }

    @Test func histogramsAreCumulative() {
        var histogram = Histogram(bounds: [1, 5, 10])
        for value in [0.5, 2, 3, 7, 20] { histogram.observe(value) }
        let text = Self.text(.prometheus) { w in
            w.family("netscope_test_seconds", .histogram, help: "A histogram.", unit: "seconds")
            w.histogram(["port": "80"], histogram)
        }
        #expect(text.contains(#"netscope_test_seconds_bucket{port="80",le="1"} 1"#), "\(text)")
        #expect(text.contains(#"netscope_test_seconds_bucket{port="80",le="5"} 3"#))
        #expect(text.contains(#"netscope_test_seconds_bucket{port="80",le="10"} 4"#))
        #expect(text.contains(#"netscope_test_seconds_bucket{port="80",le="+Inf"} 5"#))
        #expect(text.contains(#"netscope_test_seconds_count{port="80"} 5"#))
        #expect(text.contains(#"netscope_test_seconds_sum{port="80"} 32.5"#))
    }

    /// A port whose accept queue overflows keeps its series before a busier healthy one.
    @Test func rankingPutsTroubleFirst() {
        var full = ListenerGroup()
        full.add(queue: 2, backlog: 1)
        var busy = ListenerGroup()
        busy.add(queue: 0, backlog: 128)
        var filling = ListenerGroup()
        filling.add(queue: 110, backlog: 128)
        let groups = [
            (key: ListenerGroup.Key(family: "inet", address: "0.0.0.0", port: 80), value: busy),
            (key: ListenerGroup.Key(family: "inet", address: "127.0.0.1", port: 7002), value: full),
            (key: ListenerGroup.Key(family: "inet6", address: "::", port: 443), value: filling),
        ]
        let established: [UInt16: Int] = [80: 5000, 7002: 1, 443: 10]
        let ranked = PortRanking.rank(ports: [80, 7002, 443], groups: groups, warning: 0.8, established: { established[$0] ?? 0 })
        #expect(ranked == [7002, 443, 80])
        #expect(full.full == 1 && busy.full == 0 && filling.maxFill > 0.8)
    }

    /// A close goes into the duration histogram only when the dumps bound its lifetime within
    /// one bucket; the rest are counted as unknown, never given an invented duration.
    @Test func lifetimesGoIntoTheHistogramOnlyWithinOneBucket() {
        #expect(ClosedConnections.observable(Lifetime(atLeast: 2.4, atMost: 3.4)) == 2.9)
        #expect(ClosedConnections.observable(Lifetime(atLeast: 0.6, atMost: 1.6)) == nil, "straddles le=1")
        #expect(ClosedConnections.observable(Lifetime(atLeast: 0, atMost: 0.7)) == nil, "no dump saw it")
        #expect(ClosedConnections.observable(Lifetime(atLeast: 12, atMost: nil)) == nil, "there before the watch")
        #expect(ClosedConnections.observable(nil) == nil)
        var closed = ClosedConnections(maxPorts: 4)
        closed.add(port: 80, side: .server, lifetime: Lifetime(atLeast: 0, atMost: 0.7), bytes: 10)
        closed.add(port: 80, side: .server, lifetime: Lifetime(atLeast: 2.4, atMost: 3.4), bytes: 10)
        let entry = closed.entries.first { $0.key.port == 80 && $0.key.side == .server }?.value
        #expect(entry?.closed == 2 && entry?.durationUnknown == 1 && entry?.duration.count == 1 && entry?.duration.sum == 2.9)
    }
}
