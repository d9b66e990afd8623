import ArgumentParser
import NetModel
import NetOutput

/// `--interval SECS [--count N]`: turn a snapshot into a live view of rates.
struct IntervalOptions: ParsableArguments {
    @Option(name: .customLong("interval"), parsing: .unconditional, help: ArgumentHelp("Show rates over SECS-second intervals instead of totals (0: totals, read once).", valueName: "SECS"))
    var interval: Double?

    /// The one rule every --interval follows: 0 is a single reading (totals, no rates),
    /// anything else is between 0.1 s and one hour.
    static let shortest = 0.1
    static let longest = 3600.0
    static func check(_ value: Double, zeroMeans zero: String? = "one reading, no rates") throws {
        if value == 0 {
            guard zero != nil else { throw ValidationError("--interval 0 is one reading, which this view cannot show; use \(shortest) to \(Int(longest)) seconds.") }
            return
        }
        guard value >= shortest && value <= longest else {
            throw ValidationError("--interval must be 0 (one reading, no rates) or between \(shortest) and \(Int(longest)) seconds.")
        }
    }

    @Option(name: .customLong("count"), parsing: .unconditional, help: ArgumentHelp("With --interval: stop after N intervals (default: until interrupted).", valueName: "N"))
    var count: Int?

    /// Whether rates were asked for (an interval above 0).
    var rates: Bool { (interval ?? 0) > 0 }

    func validate() throws {
        if let interval { try Self.check(interval) }
        if let count {
            guard let interval, interval > 0 else { throw ValidationError("--count needs an --interval above 0.") }
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
        guard let interval, interval > 0 else { return }
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
