import NetModel
import Testing

@Suite struct JoinedTests {
    /// `joined(by:)` stands in for the standard library's `joined(separator:)` in every
    /// renderer, so it must give the same text for every shape of input.
    @Test func sameTextAsTheStandardLibrary() {
        let cases: [[String]] = [
            [], [""], ["a"], ["", ""], ["a", ""], ["", "b"], ["a", "b", "c"],
            ["10.0.0.1", "fe80::1", "ünïcödé", "👩‍👩‍👧", "tab\there"],
            Array(repeating: "x", count: 1_000),
        ]
        for parts in cases {
            for separator in ["", ",", ", ", "  ", "→"] {
                #expect(parts.joined(by: separator) == parts.joined(separator: separator))
            }
        }
    }
}
