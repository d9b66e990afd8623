import Foundation
import TestSupport
import Testing

/// `netscope top` in a real terminal (tmux): it draws, switches panes and sort orders on
/// keys, and gives the terminal back on q and on SIGTERM.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root, iproute2 and tmux (always runs under CI=true)"))
struct TopLiveTests {
    final class Session {
        let name: String
        let namespace: TestNamespace
        let holder: NamespaceHolder

        init(veths: Int = 0) throws {
            namespace = try TestNamespace("top")
            try namespace.ip(line: "link set lo up")
            for index in 0..<veths { try namespace.ip(line: "link add tv\(index) type veth peer name tp\(index)") }
            holder = try NamespaceHolder(namespace, script: """
                import socket, sys
                l = socket.socket(); l.bind(("127.0.0.1", 8080)); l.listen(2)
                q = [socket.create_connection(("127.0.0.1", 8080)) for _ in range(2)]
                print("ready", flush=True)
                sys.stdin.read()
                """)
            name = "nst-top-\(getpid())-\(namespace.name.split(separator: "-").last!)"
            let command = "\(Shell.netscope) top --netns \(namespace.name) --interval 0.3; echo EXITED rc=$?; sleep 60"
            // A server of its own (-L), started through Python's subprocess, which closes every
            // inherited descriptor: the server outlives the command and would otherwise keep
            // this process's pipes (and so some test's read) open until it exits.
            try Shell.check(["python3", "-c", """
                import subprocess, sys
                subprocess.run(["tmux", "-L", sys.argv[1], "new-session", "-d", "-s", "main", "-x", "120", "-y", "30", sys.argv[2]],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                """, name, command])
        }

        deinit { _ = try? Shell.run(["tmux", "-L", name, "kill-server"]) }

        func tmux(_ arguments: [String]) throws -> String { try Shell.check(["tmux", "-L", name] + arguments) }
        func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "main"]) }
        func keys(_ keys: String...) throws { _ = try tmux(["send-keys", "-t", "main"] + keys) }
        var alternateScreen: Bool { (try? tmux(["display", "-p", "-t", "main", "#{alternate_on}"]))?.hasPrefix("1") == true }

        /// Waits up to 5 s for the screen to contain `text`.
        func waitFor(_ text: String) throws -> String {
            var last = ""
            for _ in 0..<50 {
                last = try screen()
                if last.contains(text) { return last }
                usleep(100_000)
            }
            return last
        }
    }

    @Test func drawsSwitchesPanesAndQuitsCleanly() throws {
        let session = try Session()
        let first = try session.waitFor("rates over")
        #expect(first.contains("[1] Interfaces") && first.contains("lo "), "\(first)")
        #expect(session.alternateScreen)
        try session.keys("3")
        let listeners = try session.waitFor("127.0.0.1:8080")
        #expect(listeners.contains("sort: queue fill") && listeners.contains("ACCEPT-Q"), "\(listeners)")
        #expect(listeners.range(of: #"127\.0\.0\.1:8080\s+2\s+2\s+100%"#, options: .regularExpression) != nil, "\(listeners)")
        try session.keys("s")
        #expect(try session.waitFor("sort: queue length").contains("sort: queue length"))
        try session.keys("Tab")
        #expect(try session.waitFor("sort: rate").contains("COUNTER"))
        try session.keys("q")
        let after = try session.waitFor("EXITED")
        #expect(after.contains("EXITED rc=0"), "\(after)")
        #expect(!session.alternateScreen)
    }

    /// Arrow keys, PgUp/PgDn and Home scroll a pane longer than the screen instead of quitting
    /// (their escape sequences start with the Escape byte); ? shows the keys; / filters.
    @Test func arrowsScrollHelpAndFilter() throws {
        let session = try Session(veths: 30)
        _ = try session.waitFor("rates over")
        let first = try session.waitFor("more")
        #expect(first.contains("… ") && first.contains(" more"), "\(first)")
        for key in ["Down", "Down", "Down"] { try session.keys(key) }
        let scrolled = try session.waitFor("3 above")
        #expect(scrolled.contains("… 3 above"), "\(scrolled)")
        try session.keys("NPage")
        #expect(try session.waitFor("above").contains("above"))
        try session.keys("Home")
        let home = try session.waitFor("… 3")
        #expect(!home.contains(" above"), "\(home)")
        try session.keys("Right")
        #expect(try session.waitFor("sort: total bytes").contains("Sockets by bytes"))
        try session.keys("Left")
        #expect(try session.waitFor("sort: rx bytes").contains("sort: rx bytes"))
        try session.keys("?")
        let help = try session.waitFor("filter rows")
        #expect(help.contains("PgUp/PgDn"), "\(help)")
        try session.keys("x")
        try session.keys("/", "t", "p", "1", "Enter")
        let filtered = try session.waitFor("filter: tp1")
        #expect(filtered.contains("tp1") && !filtered.contains("tv2 ") && !filtered.contains("lo "), "\(filtered)")
        // As in less: the prompt echoes what is typed, a new / starts empty (not "tp1…"), Esc
        // cancels the edit and keeps the filter, an empty filter clears it.
        try session.keys("/", "t", "v", "2")
        let prompt = try session.waitFor("/tv2_")
        #expect(prompt.split(separator: "\n").last?.hasPrefix("/tv2_") == true, "\(prompt)")
        try session.keys("Escape")
        let kept = try session.waitFor("1-4/")
        #expect(kept.contains("filter: tp1") && !kept.contains("tv2 "), "\(kept)")
        #expect(session.alternateScreen, "Esc in the prompt quit top")
        try session.keys("/", "Enter")
        let cleared = try session.waitFor("tv2 ")
        #expect(!cleared.contains("filter:") && cleared.contains("tv2 "), "\(cleared)")
        try session.keys("?")
        let keysShown = try session.waitFor("filter rows")
        #expect(keysShown.contains("Esc cancels") && !keysShown.contains("Esc clears"), "\(keysShown)")
        try session.keys("x")
        #expect(session.alternateScreen, "an arrow or PgDn key quit top")
        try session.keys("q")
        let after = try session.waitFor("EXITED")
        #expect(after.contains("EXITED rc=0"), "\(after)")
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let session = try Session()
        _ = try session.waitFor("rates over")
        let pids = try Shell.check(["pgrep", "-f", "top --netns \(session.namespace.name) "])
        for pid in pids.split(separator: "\n") { kill(Int32(pid)!, SIGTERM) }
        let after = try session.waitFor("EXITED")
        #expect(after.contains("EXITED rc=0"), "\(after)")
        #expect(!session.alternateScreen)
    }

    @Test func refusesWithoutATerminal() throws {
        let result = try Shell.run([Shell.netscope, "top"])
        #expect(result.status == 1 && result.stderr.contains("top needs a terminal"))
    }
}
