import NetRender
import Testing

@Suite struct PathLineTests {
    func lines(_ text: String) -> [String] {
        var out: [String] = []
        PathRenderer.forEachLine(of: text) { out.append(String($0)) }
        return out
    }

    /// `path` splits its text into lines by bytes; the lines must be the ones
    /// `split(separator: "\n")` gives, for every kind of text a name can bring in.
    @Test func sameLinesAsSplitByCharacter() {
        let fixed = [
            "", "\n", "\n\n", "a", "a\n", "\na", "a\nb", "a\n\nb\n", "x\r\ny", "x\r\r\ny\n", "\r\n", "a\r\n\nb",
            "verdict: sent out b251a\n", "ünï\ncödé\n", "👩‍👩‍👧\n👍🏽", "e\n\u{301}x", "tab\there\n\u{1b}[31m\n",
        ]
        for text in fixed {
            #expect(lines(text) == text.split(separator: "\n").map(String.init), "\(text.debugDescription)")
        }
        let alphabet: [String] = ["a", "\n", "\r", "\r\n", "é", "\u{301}", "👩‍👩‍👧", " ", "\u{0}", "\u{85}", "\u{2028}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            #expect(lines(text) == text.split(separator: "\n").map(String.init), "\(text.debugDescription)")
        }
    }
}
