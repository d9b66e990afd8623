import Glibc
import Testing
import NetOutput

/// `Units.fixed` rounds in integers on its fast path; printf is the oracle it must equal.
@Suite struct UnitsTests {
    func printf(_ value: Double, _ decimals: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([Int32(decimals), value]) { vsnprintf(&buffer, 64, "%.*f", $0) }
        return String(cString: buffer)
    }

    @Test func fixedEqualsPrintfOnTiesAndEdges() {
        let values: [Double] = [0, 0.5, 1.5, 2.5, 0.125, 0.375, 1.005, 2.675, 0.05, 0.15, 0.25, 0.35, 9.995, 99.95,
                                999.5, 999.95, 1e-9, 0.0049999, 123456.789, 4.35, 1e14 + 0.5, 9.999e14, 2e15, 1e300,
                                -0.0, -1.25, -0.04, .infinity, -.infinity, .nan, 1234.5678]
        for value in values {
            for decimals in 0...6 {
                #expect(Units.fixed(value, decimals: decimals) == printf(value, decimals), "\(value) with \(decimals) decimals")
            }
        }
    }

    @Test func fixedEqualsPrintfOnRandomValues() {
        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            let magnitude = Double.random(in: -4...15, using: &generator)
            let value = (Double.random(in: 1..<10, using: &generator) * pow(10, magnitude.rounded(.down)))
            // Values on a grid hit exact decimal ties, the case rounding must get right.
            let gridded = Bool.random(using: &generator) ? (value * 1000).rounded() / 1000 : value
            let decimals = Int.random(in: 0...3, using: &generator)
            if Units.fixed(gridded, decimals: decimals) != printf(gridded, decimals) { mismatches.append("\(gridded)/\(decimals)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
