import NetModel
#if canImport(Glibc)
import Glibc
#endif

/// Human-readable numbers as `ip -h` prints them: decimal (SI) prefixes, three significant
/// digits, exact below 1000.
public enum Units {
    static let prefixes = ["", "K", "M", "G", "T", "P", "E"]

    public static func human(_ value: UInt64) -> String {
        if value < 1000 { return String(value) }
        return human(Double(value))
    }

    public static func human(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value < 0 { return "-" + human(-value) }
        var scaled = value
        var index = 0
        while scaled >= 999.5 && index < prefixes.count - 1 {
            scaled /= 1000
            index += 1
        }
        if index == 0 { return fixed(scaled, decimals: scaled < 10 && scaled != scaled.rounded() ? 1 : 0) }
        let decimals = scaled < 10 ? 2 : scaled < 100 ? 1 : 0
        return fixed(scaled, decimals: decimals) + prefixes[index]
    }

    static let powersOfTen: [Double] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000]

    /// printf("%.*f") without Foundation. `sockets -i` calls this for every socket, and a C
    /// vararg call costs a dynamic cast per argument plus printf's float engine (profiled at
    /// 8% of the run), so ordinary values are rounded in integers here; values that sit on a
    /// rounding tie, are negative or too large for exact integers still go to printf, whose
    /// rounding of the exact binary value this must match.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        // NaN and infinity fail the tie test (their fraction is NaN) and go to printf too.
        if decimals >= 0, decimals < powersOfTen.count, value.sign == .plus {
            let scaled = value * powersOfTen[decimals]
            let fraction = scaled - scaled.rounded(.down)
            if abs(fraction - 0.5) > 1e-6, scaled < 9e15 {
                let whole = UInt64(scaled.rounded(.toNearestOrEven))
                let unit = UInt64(powersOfTen[decimals])
                guard decimals > 0 else { return String(whole) }
                let digits = String(whole % unit)
                return String(whole / unit) + "." + String(repeating: "0", count: decimals - digits.count) + digits
            }
        }
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([Int32(decimals), value]) { vsnprintf(&buffer, 64, "%.*f", $0) }
        return String(cString: buffer)
    }
}

/// Wall-clock time as HH:MM:SS (local time), for the rows of live views.
public func clockTime() -> String { Timestamp.now().clock }

/// One moment, written two ways: HH:MM:SS local time for the rows people read, and RFC 3339
/// in UTC with milliseconds ("2026-11-25T16:04:05.123Z") for every JSON `time` and
/// `taken_at`, so that machine output always carries its zone.
public struct Timestamp: Sendable {
    public let seconds: Int
    public let nanoseconds: Int

    public static func now() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(seconds: now.tv_sec, nanoseconds: now.tv_nsec)
    }

    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    public var clock: String {
        var time = seconds
        var parts = tm()
        localtime_r(&time, &parts)
        return "\(Self.pad(Int(parts.tm_hour), 2)):\(Self.pad(Int(parts.tm_min), 2)):\(Self.pad(Int(parts.tm_sec), 2))"
    }

    public var rfc3339: String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        return "\(parts.tm_year + 1900)-\(Self.pad(Int(parts.tm_mon) + 1, 2))-\(Self.pad(Int(parts.tm_mday), 2))T"
            + "\(Self.pad(Int(parts.tm_hour), 2)):\(Self.pad(Int(parts.tm_min), 2)):\(Self.pad(Int(parts.tm_sec), 2)).\(Self.pad(nanoseconds / 1_000_000, 3))Z"
    }
}
