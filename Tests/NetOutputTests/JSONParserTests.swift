import Foundation
import NetOutput
import TestSupport
import Testing

@Suite struct JSONParserTests {
    @Test func valuesAndExactNumbers() throws {
        let value = try JSONParser.parse(#"{"a":[1,-2.5e3,true,false,null],"big":18446744073709551615,"s":"q\"\\\/\n\u00e9\ud83d\ude00"}"#)
        #expect(value["big"]?.unsigned == UInt64.max)
        #expect(value["a"]?.array?.count == 5)
        #expect(value["s"]?.string == "q\"\\/\né😀")
        #expect(value["a"]?.array?[1] == .number("-2.5e3"))
    }

    @Test func keysAndStringsFromADocumentAreEscapedWhenWrittenAgain() throws {
        let value = try JSONParser.parse(#"{"a\"b\n":"x\u0001y","k":["q\"",1]}"#)
        #expect(value.text == #"{"a\"b\n":"x\u0001y","k":["q\"",1]}"#)
        #expect(try JSONParser.parse(value.text) == value)
    }

    @Test func theCapturedSnapshotRoundTrips() throws {
        let a = try JSONParser.parse(try FixtureFiles.bytes("snapshots/a.json"))
        #expect(try JSONParser.parse(a.text) == a)
    }

    @Test func everyTruncationIsAnError() throws {
        let text = Array(#"{"k":[1,{"x":"y\u0041"},true],"n":null}"#.utf8)
        for length in 0..<text.count {
            #expect(throws: JSONParseError.self, "prefix of \(length) bytes") { try JSONParser.parse(Array(text[0..<length])) }
        }
    }

    @Test(arguments: [
        ("{\"a\":1,}", "expected a key"), ("[1,]", "unexpected character ']'"), ("01", "leading zero"),
        ("{\"a\" 1}", "expected ':'"), ("\"\\x\"", "unknown escape"), ("\"\\ud800\"", "unpaired surrogate"),
        ("[1] 2", "unexpected text after"), ("\"a\u{01}\"", "control character"), ("nul", "expected null"),
        ("1.", "digits expected after '.'"), ("-", "a number needs digits"),
    ])
    func malformedInputNamesTheProblem(_ input: String, _ message: String) {
        do {
            _ = try JSONParser.parse(input)
            Issue.record("\(input) was accepted")
        } catch let error as JSONParseError {
            #expect(error.message.contains(message), "\(input): \(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect((try? JSONParser.parse(fine)) != nil)
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }
}
