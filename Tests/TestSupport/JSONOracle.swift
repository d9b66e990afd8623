import Foundation

/// Compares our JSON with iproute2's, field by field: every key iproute2 printed must be in
/// ours with the same value (ours may carry more). Returns readable differences.
public enum JSONOracle {
    public static func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// - Parameters:
    ///   - ignoring: keys not compared anywhere (what we do not claim to decode).
    ///   - tolerance: numeric keys allowed to differ by up to `slack` (lifetimes tick between runs).
    public static func differences(
        ours: Any, theirs: Any, path: String = "", ignoring: Set<String> = [],
        tolerance: Set<String> = [], slack: Double = 0
    ) -> [String] {
        switch (ours, theirs) {
        case let (o as [String: Any], t as [String: Any]):
            var result: [String] = []
            for (key, theirValue) in t.sorted(by: { $0.key < $1.key }) where !ignoring.contains(key) {
                let here = path.isEmpty ? key : "\(path).\(key)"
                guard let ourValue = o[key] else {
                    result.append("\(here): missing, iproute2 has \(theirValue)")
                    continue
                }
                if tolerance.contains(key), let a = ourValue as? NSNumber, let b = theirValue as? NSNumber {
                    if abs(a.doubleValue - b.doubleValue) > slack { result.append("\(here): \(a) vs iproute2 \(b)") }
                    continue
                }
                result += differences(ours: ourValue, theirs: theirValue, path: here, ignoring: ignoring, tolerance: tolerance, slack: slack)
            }
            return result
        case let (o as [Any], t as [Any]):
            guard o.count == t.count else { return ["\(path): \(o.count) elements vs iproute2 \(t.count)"] }
            return zip(o, t).enumerated().flatMap { index, pair in
                differences(ours: pair.0, theirs: pair.1, path: "\(path)[\(index)]", ignoring: ignoring, tolerance: tolerance, slack: slack)
            }
        case let (o as String, t as String):
            return o == t ? [] : ["\(path): \"\(o)\" vs iproute2 \"\(t)\""]
        case let (o as NSNumber, t as NSNumber):
            return o == t ? [] : ["\(path): \(o) vs iproute2 \(t)"]
        case (is NSNull, is NSNull):
            return []
        default:
            return ["\(path): \(ours) vs iproute2 \(theirs) (different types)"]
        }
    }
}
