@testable import NetscopeKit
import NetOutput
import Testing

/// --all-netns scrapes: the namespaces' texts joined so each family is declared once and its
/// samples stay together (what promtool and the OpenMetrics parser demand).
@Suite struct MetricsMergerTests {
    @Test func familiesAreDeclaredOnceWithEverySample() {
        var merger = MetricsMerger()
        merger.add(Array("""
            # HELP a_total A.
            # TYPE a_total counter
            a_total{netns="x"} 1
            # HELP h H.
            # TYPE h histogram
            # UNIT h seconds
            h_bucket{netns="x",le="+Inf"} 2
            h_sum{netns="x"} 3
            h_count{netns="x"} 2
            # EOF

            """.utf8))
        merger.add(Array("""
            # HELP a_total A.
            # TYPE a_total counter
            a_total{netns="y"} 5
            # HELP only_y Y.
            # TYPE only_y gauge
            only_y{netns="y"} 1
            # HELP h H.
            # TYPE h histogram
            # UNIT h seconds
            h_bucket{netns="y",le="+Inf"} 0
            h_sum{netns="y"} 0
            h_count{netns="y"} 0

            """.utf8))
        let sink = OutputSink(fd: -1, threshold: Int.max)
        merger.write(to: sink)
        #expect(sink.pending == """
            # HELP a_total A.
            # TYPE a_total counter
            a_total{netns="x"} 1
            a_total{netns="y"} 5
            # HELP h H.
            # TYPE h histogram
            # UNIT h seconds
            h_bucket{netns="x",le="+Inf"} 2
            h_sum{netns="x"} 3
            h_count{netns="x"} 2
            h_bucket{netns="y",le="+Inf"} 0
            h_sum{netns="y"} 0
            h_count{netns="y"} 0
            # HELP only_y Y.
            # TYPE only_y gauge
            only_y{netns="y"} 1

            """)
    }
}
