import ArgumentParser
import NetscopeKit

/// `--interval SECS [--count N]`: turn a snapshot into a live view of rates.
struct IntervalOptions: ParsableArguments {
    @Option(name: .customLong("interval"), help: ArgumentHelp("Show rates over SECS-second intervals instead of totals.", valueName: "SECS"))
    var interval: Double?

    @Option(name: .customLong("count"), help: ArgumentHelp("With --interval: stop after N intervals (default: until interrupted).", valueName: "N"))
    var count: Int?

    func validate() throws {
        if let interval, !(interval > 0 && interval <= 86400) {
            throw ValidationError("--interval must be between 0 and 86400 seconds.")
        }
        if let count {
            guard interval != nil else { throw ValidationError("--count needs --interval.") }
            guard count > 0 else { throw ValidationError("--count must be at least 1.") }
        }
    }

    /// Calls `sample` once, then after every interval calls `report` with the previous and
    /// current samples and the seconds that really passed between them. Table blocks are
    /// separated by a blank line and each has its header, as `sar` prints them.
    func run<Sample>(
        sample: () throws -> Sample, sink: OutputSink, format: OutputFormat,
        report: (Sample, Sample, Double) throws -> Void
    ) throws {
        guard let interval else { return }
        var previous = try sample()
        var previousTime = monotonicSeconds()
        var done = 0
        while count.map({ done < $0 }) ?? true {
            sleep(seconds: interval)
            let current = try sample()
            let now = monotonicSeconds()
            if done > 0 && format == .table { sink.write("\n") }
            try report(previous, current, now - previousTime)
            previous = current
            previousTime = now
            done += 1
        }
    }
}
