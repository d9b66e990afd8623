import Foundation
import TestSupport
import Testing

/// The shipped completions and man pages: current with the CLI, loadable, and clean.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root, bash and mandoc (always runs under CI=true)"))
struct DocsTests {
    static let root = ReadmeTests.root

    @Test func completionScriptsAreCurrent() throws {
        for (shell, file) in [("bash", "netscope.bash"), ("zsh", "_netscope"), ("fish", "netscope.fish")] {
            let generated = try Shell.check([Shell.netscope, "--generate-completion-script", shell])
            let committed = try String(contentsOf: Self.root.appendingPathComponent("Completions/\(file)"), encoding: .utf8)
            #expect(generated == committed, "Completions/\(file) is out of date: run make completions")
        }
    }

    /// The start-up parser's table is what .ci/command-table.py makes of the binary's own
    /// description of its commands and of their declarations.
    @Test func theCommandTableIsCurrent() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nst-table-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dump = scratch.appendingPathComponent("dump.json"), table = scratch.appendingPathComponent("CommandTable.swift")
        try Shell.check([Shell.netscope, "--experimental-dump-help"]).write(to: dump, atomically: true, encoding: .utf8)
        let root = Self.root
        _ = try Shell.check(["python3", root.appendingPathComponent(".ci/command-table.py").path, dump.path,
                             root.appendingPathComponent("Sources/netscope").path, table.path])
        let generated = try String(contentsOf: table, encoding: .utf8)
        let committed = try String(contentsOf: root.appendingPathComponent("Sources/netscope/Options/CommandTable.swift"), encoding: .utf8)
        #expect(generated == committed, "Sources/netscope/Options/CommandTable.swift is out of date: run make completions")
    }

    @Test func bashCompletesSubcommandsNamespacesInterfacesAndStates() throws {
        let ns = try TestNamespace("compl")
        let binDirectory = URL(fileURLWithPath: Shell.netscope).deletingLastPathComponent().path
        // What bash does on TAB: set COMP_* and call the function `complete -p` names.
        let script = """
            source '\(Self.root.appendingPathComponent("Completions/netscope.bash").path)'
            PATH='\(binDirectory)':$PATH
            complete -p netscope
            t() {
              COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
              _netscope "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
              echo "$1 $2 $3 $4 -> ${COMPREPLY[*]}"
            }
            t netscope soc
            t netscope links --netns ''
            t netscope links ''
            t netscope sockets state ''
            t netscope sockets dev ''
            t netscope neighbors nud ''
            t netscope routes show type ''
            """
        let result = try Shell.run(["bash", "-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "complete -o filenames -F _netscope netscope")
        #expect(lines.contains("netscope soc   -> sockets"), "\(lines)")
        #expect(lines.first { $0.hasPrefix("netscope links --netns") }?.contains(ns.name) == true, "\(lines)")
        #expect(lines.first { $0.hasPrefix("netscope links  ") }?.split(separator: " ").contains("lo") == true, "\(lines)")
        #expect(lines.first { $0.hasPrefix("netscope sockets state") }?.contains("established") == true, "\(lines)")
        #expect(lines.first { $0.hasPrefix("netscope sockets dev") }?.split(separator: " ").contains("lo") == true, "\(lines)")
        #expect(lines.first { $0.hasPrefix("netscope neighbors nud") }?.contains("permanent") == true, "\(lines)")
        #expect(lines.first { $0.hasPrefix("netscope routes show type") }?.contains("blackhole") == true, "\(lines)")
    }

    @Test func manPagesLintCleanAndHaveTheirExamples() throws {
        let man = Self.root.appendingPathComponent("Man")
        let pages = try FileManager.default.contentsOfDirectory(atPath: man.path).filter { $0.hasSuffix(".1") }.sorted()
        #expect(pages.count >= 20)
        let lint = try Shell.run(["mandoc", "-T", "lint", "-W", "error"] + pages.map { man.appendingPathComponent($0).path })
        #expect(lint.status == 0 && lint.stdout.isEmpty && lint.stderr.isEmpty, "\(lint.stdout)\(lint.stderr)")
        let examples = try FileManager.default.contentsOfDirectory(atPath: man.appendingPathComponent("examples").path)
        #expect(examples.count >= 8)
        for example in examples {
            let page = try String(contentsOf: man.appendingPathComponent(example.replacingOccurrences(of: ".mdoc", with: ".1")), encoding: .utf8)
            #expect(page.contains("\n.Sh EXAMPLES\n"), "\(example) is not in its page: run make man")
        }
        // Every subcommand has a page.
        let help = try Shell.check([Shell.netscope, "--help"])
        for subcommand in ["overview", "top", "snapshot", "diff", "metrics", "serve", "links", "addrs", "routes", "rules",
                           "neighbors", "watch", "sockets", "counters", "stats", "path"] {
            #expect(help.contains("  \(subcommand)"), "\(subcommand) missing from --help")
            #expect(pages.contains("netscope.\(subcommand).1"), "no man page for \(subcommand)")
        }
    }
}
