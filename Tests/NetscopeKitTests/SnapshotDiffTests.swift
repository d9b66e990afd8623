import Foundation
import Testing
import NetAnalysis
import NetOutput
import NetRender
import TerminalIO

@Suite struct SnapshotDiffTests {
    static func load(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: OverviewTests.fixtures.appendingPathComponent("snapshots/\(name)"))))
    }

    static func render(_ diff: SnapshotDiff, _ format: OutputFormat) -> String {
        let sink = OutputSink(threshold: Int.max)
        DiffRenderer.render(diff, to: sink, options: RenderOptions(format: format))
        return sink.pending
    }

    /// a.json and b.json were taken before and after the changes in snapshots/capture.sh.
    @Test func capturedChangesAreReportedExactly() throws {
        let diff = try SnapshotDiff.compare(try Self.load("a.json"), try Self.load("b.json"))
        func ids(_ entries: [SnapshotDiff.Entry], _ kind: String) -> Set<String> { Set(entries.filter { $0.kind == kind }.map(\.id)) }
        #expect(ids(diff.appeared, "address") == ["fb 10.9.9.1/24"])
        #expect(ids(diff.appeared, "route") == [
            "inet 10.60.0.0/16 table main via 10.8.0.2 dev fa", "inet 10.9.9.0/24 table main dev fb",
            "inet 10.9.9.1 table local local dev fb", "inet 10.9.9.255 table local broadcast dev fb",
        ])
        #expect(ids(diff.vanished, "link") == ["old", "old2"])
        #expect(ids(diff.vanished, "rule") == ["inet pref 1000: src 10.45.0.0 srclen 16 table 100"])
        let changes = Dictionary(uniqueKeysWithValues: diff.changed.map { ("\($0.kind) \($0.id)", $0.fields.map(\.name)) })
        #expect(changes["link fa"] == ["mtu"])
        // Replaced under the same key: one route that changed, not a vanish and an appear.
        #expect(changes["route inet 10.44.0.0/16 table main"] == ["gateway"])
        #expect(changes["neighbor inet 10.8.0.9 dev fa"] == ["lladdr"])
        // 50 datagrams to a closed port.
        #expect(diff.counters.first { $0.name == "Udp.NoPorts" }?.delta == 50)
        #expect(diff.counters.first { $0.name == "Tcp.CurrEstab" }?.gauge == true)
        #expect(diff.seconds.map { $0 > 0 && $0 < 60 } == true)
    }

    @Test func textMatchesGolden() throws {
        let diff = try SnapshotDiff.compare(try Self.load("a.json"), try Self.load("b.json"))
        try OverviewTests.golden("snapshots/diff.golden.txt", Self.render(diff, .table))
    }

    @Test func jsonMatchesGolden() throws {
        let diff = try SnapshotDiff.compare(try Self.load("a.json"), try Self.load("b.json"))
        try OverviewTests.golden("snapshots/diff.golden.json", Self.render(diff, .json))
    }

    @Test func aSnapshotEqualsItself() throws {
        for name in ["a.json", "b.json", "shared.json"] {
            let a = try Self.load(name)
            let diff = try SnapshotDiff.compare(a, a, sockets: .all)
            #expect(diff.appeared.isEmpty && diff.vanished.isEmpty && diff.changed.isEmpty && diff.counters.isEmpty, "\(name)")
        }
    }

    /// shared.json: routes that share a prefix (fe80::/64 and ff00::/8 on two devices, one
    /// IPv4 prefix appended on two links, an IPv6 multipath route), a dual-stack listener
    /// pair and a SO_REUSEPORT pair, captured from a real namespace (`snapshots/capture.sh shared`).
    @Test func routesThatShareAPrefixKeepTheirIdentity() throws {
        let a = try Self.load("shared.json")
        // Every route has its own identity.
        let routes = a["routes"]!.array!
        #expect(Set(routes.map(SnapshotDiff.routeIdentity)).count == routes.count)
        // Deleting fe80::/64 of one device is that deletion, not a change of another route.
        guard case .object(var fields) = a else { Issue.record("not an object"); return }
        let index = fields.firstIndex { $0.0 == "routes" }!
        let kept = routes.filter { !($0["dst"]?.plain == "fe80::/64" && $0["dev"]?.plain == "sb") }
        #expect(kept.count == routes.count - 1)
        fields[index].1 = .array(kept)
        let diff = try SnapshotDiff.compare(a, .object(fields))
        #expect(diff.vanished.map(\.id) == ["inet6 fe80::/64 table main metric 256 dev sb"])
        #expect(diff.appeared.isEmpty && diff.changed.isEmpty)
    }

    /// Connections are left out unless asked for; one member of a SO_REUSEPORT group going
    /// away is seen (the group's members are numbered).
    @Test func socketsAreComparedAsAsked() throws {
        let a = try Self.load("shared.json")
        guard case .object(var fields) = a else { Issue.record("not an object"); return }
        let index = fields.firstIndex { $0.0 == "sockets" }!
        var sockets = fields[index].1.array!
        let listener = sockets.firstIndex { $0["state"]?.plain == "LISTEN" && $0["local"]?["port"]?.plain == "7001" }!
        sockets.remove(at: listener)
        sockets.removeAll { $0["state"]?.plain == "ESTAB" }
        fields[index].1 = .array(sockets)
        let b = JSONValue.object(fields)
        let listening = try SnapshotDiff.compare(a, b)
        #expect(listening.vanished.map(\.id) == ["tcp 0.0.0.0:7001 0.0.0.0:0 #2"])
        let all = try SnapshotDiff.compare(a, b, sockets: .all)
        #expect(all.vanished.count > 1)
        let none = try SnapshotDiff.compare(a, b, sockets: .none)
        #expect(none.vanished.isEmpty)
    }

    @Test func foreignOrNewerDocumentsAreRefused() throws {
        let a = try Self.load("a.json")
        #expect(throws: SnapshotDiff.Failure.self) { try SnapshotDiff.compare(try JSONParser.parse("{\"links\":[]}"), a) }
        let future = try JSONParser.parse("{\"schema_version\":99}")
        do {
            _ = try SnapshotDiff.compare(a, future)
            Issue.record("a newer schema was accepted")
        } catch let error as SnapshotDiff.Failure {
            #expect(error.description.contains("schema_version 99"))
        }
    }
}

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
        let a = try SnapshotDiffTests.load("a.json")
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

@Suite struct TopViewTests {
    @Test func panesKeysAndFitting() {
        var view = TopView()
        view.color = false
        let overview = OverviewSamples.overview
        var lines = view.lines([overview], time: "12:00:00", width: 60, height: 14)
        #expect(lines.count == 14)
        #expect(lines.allSatisfy { $0.count <= 60 })
        #expect(lines[0].hasPrefix("netscope top  12:00:00  rates over 1.0 s  sort: rx bytes"))
        #expect(lines.contains { $0.hasPrefix("eth0") })
        // Sorted by rx bytes: eth0 (2.5 MB/s) before lo.
        #expect(lines.firstIndex { $0.hasPrefix("eth0") }! < lines.firstIndex { $0.hasPrefix("lo") }!)
        #expect(lines.last == String(TopView.footer.prefix(59)) + "…")
        var kept = view.handle(key: UInt8(ascii: "3"))
        #expect(kept)
        lines = view.lines([overview], time: "12:00:00", width: 80, height: 14)
        #expect(lines.contains { $0.hasPrefix("*:80") && $0.hasSuffix("94%") })
        kept = view.handle(key: UInt8(ascii: "s"))
        #expect(kept)
        let heading = view.lines([overview], time: "t", width: 80, height: 14)[0]
        #expect(heading.contains("sort: queue length"))
        kept = view.handle(key: 9)
        #expect(kept)
        #expect(view.pane == .counters && view.sortIndex == 0)
        lines = view.lines([overview], time: "t", width: 80, height: 14)
        #expect(lines.contains { $0.hasPrefix("Tcp.RetransSegs") })
        kept = view.handle(key: UInt8(ascii: "q"))
        #expect(!kept)
        kept = view.handle(key: 3)
        #expect(!kept)
    }

    @Test func shortTerminalsSayWhatIsCut() {
        var view = TopView()
        view.color = false
        _ = view.handle(key: UInt8(ascii: "4"))
        let lines = view.lines([OverviewSamples.overview], time: "t", width: 80, height: 8)
        #expect(lines.count == 8)
        #expect(lines.contains { $0.hasPrefix("… ") && $0.hasSuffix(" more") })
    }

    @Test func escapeSequencesAreKeysNotEscape() {
        func keys(_ text: String) -> [Key] { Key.decode(Array(text.utf8)).keys }
        #expect(keys("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D") == [.up, .down, .right, .left])
        #expect(keys("\u{1B}OA\u{1B}OB") == [.up, .down])
        #expect(keys("\u{1B}[5~\u{1B}[6~\u{1B}[H\u{1B}[F\u{1B}[1~\u{1B}[4~") == [.pageUp, .pageDown, .home, .end, .home, .end])
        #expect(keys("\u{1B}[15~q") == [.unknown, .character(UInt8(ascii: "q"))])
        #expect(keys("\u{1B}[1;5A") == [.up])
        #expect(keys("\tx\r") == [.tab, .character(UInt8(ascii: "x")), .enter])
        // A lone ESC waits for more: the terminal reader makes it Escape when nothing follows.
        #expect(Key.decode([27]).pending == [27] && Key.decode([27]).keys.isEmpty)
        #expect(Key.decode([27, 91]).pending == [27, 91])
        #expect(Key.decode([27, UInt8(ascii: "x")]).keys == [.escape, .character(UInt8(ascii: "x"))])
    }

    @Test func arrowsScrollAndNeverQuit() {
        var view = TopView()
        view.color = false
        _ = view.handle(key: UInt8(ascii: "4"))
        let overview = OverviewSamples.overview
        var lines = view.lines([overview], time: "t", width: 80, height: 8)
        let first = lines.first { $0.hasPrefix("Tcp.") || $0.hasPrefix("Ip") || $0.hasPrefix("TcpExt") }
        for key in [Key.down, .down, .pageDown, .up, .left, .right] {
            let kept = view.handle(key)
            #expect(kept)
        }
        lines = view.lines([overview], time: "t", width: 80, height: 8)
        #expect(view.pane == .counters)
        #expect(lines.contains { $0.hasPrefix("… ") && $0.contains(" above") }, "\(lines)")
        #expect(lines.first { $0.hasPrefix("Tcp.") || $0.hasPrefix("Ip") || $0.hasPrefix("TcpExt") } != first)
        let kept1 = view.handle(.home); #expect(kept1)
        lines = view.lines([overview], time: "t", width: 80, height: 8)
        #expect(!lines.contains { $0.contains(" above") })
        let kept2 = view.handle(.end); #expect(kept2)
        lines = view.lines([overview], time: "t", width: 80, height: 8)
        #expect(lines.contains { $0.hasPrefix("… ") && $0.hasSuffix(", 0 more") }, "\(lines)")
        let quit = view.handle(.escape)
        #expect(!quit)
    }

    @Test func helpFilterAndEllipsis() {
        var view = TopView()
        view.color = false
        let overview = OverviewSamples.overview
        let kept3 = view.handle(.character(UInt8(ascii: "?"))); #expect(kept3)
        var lines = view.lines([overview], time: "t", width: 80, height: 20)
        #expect(lines.contains { $0.contains("PgUp/PgDn") } && lines.contains { $0.contains("filter rows") })
        let kept4 = view.handle(.character(UInt8(ascii: "x"))); #expect(kept4)  // any key leaves the help
        for byte in "/eth".utf8 {
            let kept = view.handle(.character(byte))
            #expect(kept)
        }
        let kept5 = view.handle(.enter); #expect(kept5)
        lines = view.lines([overview], time: "t", width: 80, height: 20)
        #expect(lines[0].contains("filter: eth"))
        #expect(lines.contains { $0.hasPrefix("eth0") } && !lines.contains { $0.hasPrefix("lo ") })
        // Esc while typing a filter cancels it, it does not quit.
        let kept6 = view.handle(.character(UInt8(ascii: "/"))); #expect(kept6)
        let kept7 = view.handle(.escape); #expect(kept7)
        // A line cut at the width ends in an ellipsis, so an address is never cut silently.
        lines = view.lines([overview], time: "t", width: 50, height: 20)
        let row = lines.first { $0.hasPrefix("eth0") }!
        #expect(row.count == 50 && row.hasSuffix("…"), "\(row)")
    }
}
