import ArgumentParser
import NetAnalysis
import NetModel
import NetOutput
import NetQuery
import NetRender
import TerminalIO

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A live full-screen view of the overview, refreshed every interval.",
        discussion: """
            Panes: [1] interfaces with rates, [2] TCP connections by bytes moved, [3] listeners \
            with accept-queue fill, [4] protocol counters that moved, per second. Keys: 1-4, tab, \
            left/right (h/l) switch panes; up/down (j/k), PgUp/PgDn (space), Home/End (g/G) scroll \
            a long pane; s cycles the sort order; / filters the rows (the prompt shows what is typed; Enter applies, Esc cancels, an empty filter clears); \
            ? shows the keys; q, Esc or Ctrl-C quits. A line cut to the terminal ends in "…". The \
            terminal is restored on exit and on SIGINT, SIGTERM and SIGHUP. Needs a terminal; for \
            scripts use `netscope overview --json`.
            """
    )

    @OptionGroup var global: NamespaceOptions

    @Option(name: .customLong("color"), help: ArgumentHelp("Color the screen: auto, always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto
    @OptionGroup var walk: NamespaceWalk

    @Option(name: .customLong("interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between refreshes.", valueName: "SECS"))
    var interval: Double = 2

    func validate() throws {
        try IntervalOptions.check(interval, zeroMeans: nil)
    }

    func run() throws {
        let targets = try walk.targets(global)
        let collector = StackCollector(sources: global.sourceOptions, proc: global.proc)
        let sample = { try walk.visit(global, targets) { _ in try collector.sample() } }
        let terminal = try Terminal()
        StopSignal.install()
        var view = TopView()
        view.color = color.enabled()
        var previous: [(String?, StackSample)] = []
        var current = try sample()
        var overviews: [Overview] = []
        var firstFrame = true
        try terminal.start()
        defer { terminal.restore() }
        var next = monotonicSeconds()
        while !StopSignal.requested {
            let now = monotonicSeconds()
            if now >= next {
                if !firstFrame {
                    previous = current
                    current = try sample()
                }
                firstFrame = false
                let (columns, rows) = terminal.size
                overviews = OverviewBuilder.build(previous: previous, current: current, top: max(rows, 5))
                terminal.draw(view.lines(overviews, time: clockTime(), width: columns, height: rows))
                next = now + interval
                continue
            }
            let keys = terminal.readKeys(timeout: next - now)
            if keys.isEmpty { continue }
            var quit = false
            for key in keys where !quit { quit = !view.handle(key) }
            if quit { break }
            let (columns, rows) = terminal.size
            terminal.draw(view.lines(overviews, time: clockTime(), width: columns, height: rows))
        }
    }
}
