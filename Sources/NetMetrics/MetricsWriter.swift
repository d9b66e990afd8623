import NetModel
import NetOutput
/// The Prometheus text exposition format 0.0.4, or OpenMetrics 1.0 text.
public enum MetricsFormat: Sendable {
    case prometheus, openMetrics

    public var contentType: String {
        switch self {
        case .prometheus: return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }
}

public enum MetricType: String, Sendable {
    case counter, gauge, histogram
}

/// Writes metric families straight into an OutputSink. Counter families are named without
/// `_total`; the writer adds it where each format wants it (0.0.4: on the TYPE line and the
/// samples; OpenMetrics: on the samples only). Label values and HELP text are escaped.
public struct MetricsWriter {
    public let format: MetricsFormat
    private let sink: OutputSink
    private var family = ""
    private var type = MetricType.gauge
    /// Labels every sample gets first (`netns`, `container` with --all-netns).
    public var constantLabels: [(key: String, value: String)] = []

    public init(_ sink: OutputSink, format: MetricsFormat) {
        self.sink = sink
        self.format = format
    }

    /// Starts a family: HELP and TYPE (and UNIT in OpenMetrics, when the name ends with it).
    public mutating func family(_ name: String, _ type: MetricType, help: String, unit: String? = nil) {
        family = name
        self.type = type
        let declared = type == .counter && format == .prometheus ? name + "_total" : name
        sink.write("# HELP \(declared) ")
        writeEscaped(help, quotes: false)
        sink.write("\n# TYPE \(declared) \(type.rawValue)\n")
        if format == .openMetrics, let unit { sink.write("# UNIT \(declared) \(unit)\n") }
    }

    /// One sample of the current family. `suffix` is "_bucket", "_sum" or "_count" for
    /// histograms; counters get "_total" here.
    public mutating func sample(_ labels: KeyValuePairs<String, String> = [:], _ value: Double, suffix: String = "") {
        writeName(suffix)
        writeLabels(labels, extra: nil)
        sink.append(byte: 32)
        writeNumber(value)
        sink.append(byte: 10)
    }

    public mutating func sample(_ labels: KeyValuePairs<String, String> = [:], _ value: UInt64, suffix: String = "") {
        writeName(suffix)
        writeLabels(labels, extra: nil)
        sink.append(byte: 32)
        sink.append(decimal: value)
        sink.append(byte: 10)
    }

    public mutating func sample(_ labels: KeyValuePairs<String, String> = [:], _ value: Int64, suffix: String = "") {
        writeName(suffix)
        writeLabels(labels, extra: nil)
        sink.append(byte: 32)
        sink.append(decimal: value.magnitude, negative: value < 0)
        sink.append(byte: 10)
    }

    public mutating func sample(_ labels: KeyValuePairs<String, String> = [:], _ value: Int, suffix: String = "") {
        sample(labels, Int64(value), suffix: suffix)
    }

    /// A whole histogram: cumulative bucket counts (the last bound is +Inf), sum and count.
    public mutating func histogram(_ labels: KeyValuePairs<String, String>, _ histogram: Histogram) {
        var cumulative: UInt64 = 0
        for (index, bound) in histogram.bounds.enumerated() {
            cumulative += histogram.counts[index]
            writeName("_bucket")
            writeLabels(labels, extra: ("le", Self.number(bound)))
            sink.append(byte: 32)
            sink.append(decimal: cumulative)
            sink.append(byte: 10)
        }
        cumulative += histogram.counts[histogram.bounds.count]
        writeName("_bucket")
        writeLabels(labels, extra: ("le", "+Inf"))
        sink.write(" ")
        sink.append(decimal: cumulative)
        sink.append(byte: 10)
        sample(labels, histogram.sum, suffix: "_sum")
        sample(labels, histogram.count, suffix: "_count")
    }

    /// OpenMetrics ends with "# EOF"; the 0.0.4 format has no end marker.
    public func finish() {
        if format == .openMetrics { sink.write("# EOF\n") }
    }

    private func writeName(_ suffix: String) {
        sink.write(family)
        if !suffix.isEmpty { sink.write(suffix) } else if type == .counter { sink.write("_total") }
    }

    private func writeLabels(_ labels: KeyValuePairs<String, String>, extra: (String, String)?) {
        guard !labels.isEmpty || extra != nil || !constantLabels.isEmpty else { return }
        sink.append(byte: UInt8(ascii: "{"))
        var first = true
        func label(_ key: String, _ value: String) {
            if !first { sink.append(byte: UInt8(ascii: ",")) }
            first = false
            sink.write(key)
            sink.write("=\"")
            writeEscaped(value, quotes: true)
            sink.append(byte: UInt8(ascii: "\""))
        }
        for (key, value) in constantLabels { label(key, value) }
        for (key, value) in labels { label(key, value) }
        if let (key, value) = extra {
            if !first { sink.append(byte: UInt8(ascii: ",")) }
            sink.write("\(key)=\"\(value)\"")
        }
        sink.append(byte: UInt8(ascii: "}"))
    }

    private func writeNumber(_ value: Double) { sink.write(Self.number(value)) }

    /// Go's float formatting as both parsers accept it: integers without a fraction.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Backslash, newline and (in label values) double quote are escaped, as both formats require.
    private func writeEscaped(_ text: String, quotes: Bool) {
        guard text.utf8.contains(where: { $0 == 92 || $0 == 10 || (quotes && $0 == 34) }) else {
            sink.write(text)
            return
        }
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where quotes: escaped += "\\\""
            default: escaped.unicodeScalars.append(character)
            }
        }
        sink.write(escaped)
    }

    /// The kernel's CamelCase counter names in Prometheus's snake_case: RetransSegs ->
    /// retrans_segs, TCPFastOpen -> tcp_fast_open, InCEPkts -> in_ce_pkts, FragOKs -> frag_oks,
    /// MPJoinAckHMacFailure -> mp_join_ack_hmac_failure
    /// (a trailing plural "s" stays with its acronym).
    public static func snakeCase(_ name: String) -> String {
        let characters = Array(name.unicodeScalars)
        var result = ""
        for (index, character) in characters.enumerated() {
            let upper = character.properties.isUppercase
            if upper && index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let afterNext = index + 2 < characters.count ? characters[index + 2] : nil
                let plural = next == "s" && (afterNext == nil || afterNext!.properties.isUppercase)
                if previous.properties.isLowercase || ("0"..."9").contains(previous) {
                    result += "_"
                } else if previous.properties.isUppercase, let next, next.properties.isLowercase, !plural,
                    index >= 2, characters[index - 2].properties.isUppercase
                {
                    // The end of an acronym of two or more letters (TCPFast); a lone capital
                    // before a word (HMac) stays with it.
                    result += "_"
                }
            }
            result += String(character).lowercased()
        }
        return sanitize(result)
    }

    /// A metric or label name made valid ([a-zA-Z_][a-zA-Z0-9_]*): other characters become "_".
    public static func sanitize(_ name: String) -> String {
        var result = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            let valid = scalar == "_" || (scalar.value < 128 && (scalar.properties.isAlphabetic || (index > 0 && ("0"..."9").contains(scalar))))
            result.unicodeScalars.append(valid ? scalar : "_")
        }
        return result
    }
}

/// Observations counted into fixed buckets (upper bounds, +Inf implied).
public struct Histogram: Sendable {
    public let bounds: [Double]
    /// One count per bound, plus the +Inf bucket; not cumulative.
    public private(set) var counts: [UInt64]
    public private(set) var sum = 0.0
    public private(set) var count: UInt64 = 0

    public init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count + 1)
    }

    public mutating func observe(_ value: Double) {
        var index = 0
        while index < bounds.count && value > bounds[index] { index += 1 }
        counts[index] += 1
        sum += value
        count += 1
    }
}
