import Foundation
import NetAnalysis
import NetModel
import NetRender
import TerminalIO
import Testing

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
        // Esc while typing a filter cancels the edit (the old filter stays), it does not quit.
        let kept6 = view.handle(.character(UInt8(ascii: "/"))); #expect(kept6)
        #expect(view.editing == "", "a new / starts empty")
        _ = view.handle(.character(UInt8(ascii: "l")))
        #expect(view.lines([overview], time: "t", width: 80, height: 20).last?.hasPrefix("/l_") == true, "the prompt shows what is typed")
        let kept7 = view.handle(.escape); #expect(kept7)
        #expect(view.filter == "eth" && view.editing == nil)
        // An empty filter clears it.
        _ = view.handle(.character(UInt8(ascii: "/")))
        _ = view.handle(.enter)
        #expect(view.filter == "")
        // A line cut at the width ends in an ellipsis, so an address is never cut silently.
        lines = view.lines([overview], time: "t", width: 50, height: 20)
        let row = lines.first { $0.hasPrefix("eth0") }!
        #expect(row.count == 50 && row.hasSuffix("…"), "\(row)")
    }
}
