import ArgumentParser
import NetscopeKit

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A live full-screen view of the overview, refreshed every interval.",
        discussion: """
            Panes: [1] interfaces with rates, [2] TCP connections by bytes moved, [3] listeners \
            with accept-queue fill, [4] protocol counters that moved, per second. Keys: 1-4 or \
            tab (h/l) switch panes, s cycles the sort order, q, Esc or Ctrl-C quits. The terminal \
            is restored on exit and on SIGINT, SIGTERM and SIGHUP. Needs a terminal; for scripts \
            use `netscope overview --json`.
            """
    )

    @OptionGroup var global: NamespaceOptions

    @Option(name: .customLong("color"), help: ArgumentHelp("Color the screen: auto, always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto
    @OptionGroup var walk: NamespaceWalk

    @Option(name: .customLong("interval"), help: ArgumentHelp("Seconds between refreshes.", valueName: "SECS"))
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
            guard let key = terminal.readKey(timeout: next - now) else { continue }
            guard view.handle(key: key) else { break }
            let (columns, rows) = terminal.size
            terminal.draw(view.lines(overviews, time: clockTime(), width: columns, height: rows))
        }
    }
}
