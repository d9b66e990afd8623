import ArgumentParser
import Foundation
@testable import netscope
import TestSupport
import Testing

/// The start-up parser (Options/QuickParse.swift) against ArgumentParser on the same command
/// lines: every line it reads must come out as the very command ArgumentParser builds, the
/// plain forms must not be left to ArgumentParser (or start-up is slow again), and the
/// unusual ones must be (so ArgumentParser's messages and readings stay).
@Suite struct QuickParseTests {
    /// The command built each way, in words: every property wrapper with its parsed value, or
    /// for a ValuesCommand its plain values (what its run reads).
    static func describe(_ command: ParsableCommand?) -> String {
        guard let command else { return "nil" }
        var text = ""
        if let plain = command as? any ValuesCommand {
            dump(plain.commandValues, to: &text)
        } else {
            dump(command, to: &text)
        }
        return text
    }

    static func describe(_ command: QuickCommand?) -> String {
        switch command {
        case nil: return "nil"
        case .command(let built)?: return describe(built)
        case .values(let values)?:
            var text = ""
            dump(values, to: &text)
            return text
        }
    }

    static func quick(_ line: [String]) throws -> QuickCommand? {
        let normalized = try ArgumentOrder.normalize(line, root: Netscope.self)
        return CommandTable.parse(normalized.own, path: normalized.path)
    }

    static func reference(_ line: [String]) -> ParsableCommand? {
        guard let normalized = try? ArgumentOrder.normalize(line, root: Netscope.self) else { return nil }
        return try? Netscope.parseAsRoot(normalized.arguments)
    }

    /// Lines as the docs and people write them.
    static let typed: [[String]] = [
        [], ["overview"], ["--json"], ["links"], ["link", "show", "lo"], ["links", "veth*", "--up", "--json"],
        ["--netns", "lab", "links"], ["--netns=lab", "--json", "addrs"], ["addrs", "-4", "eth0"], ["addr", "show", "dev", "lo"],
        ["routes"], ["route"], ["routes", "--table", "100"], ["routes", "-4", "10.0.0.0/8"], ["routes", "show", "table", "all", "dev", "eth0"],
        ["route", "--netns", "lab", "get", "1.1.1.1"], ["routes", "get", "10.1.1.9", "from", "10.0.0.1", "iif", "eth0"],
        ["rules", "-6"], ["neighbors", "dev", "eth0", "nud", "reachable"], ["neigh"], ["qdiscs", "dev", "eth0"], ["classes", "eth0"],
        ["drops", "--json"], ["path", "10.1.1.9"], ["path", "10.1.1.9", "--proto", "tcp", "--dport", "443", "--sport", "5000", "--from", "10.0.0.1"],
        ["path", "2001:db8::1", "--iif", "eth0", "--mark", "0x10", "--uid", "1000", "--tos", "0x10", "--check"],
        ["sockets"], ["sockets", "-tan"], ["sockets", "-tanp"], ["ss", "-tlnp"], ["sockets", "-tanie", "state", "established", "(", "dport", "=", ":22", ")"],
        ["sockets", "-x"], ["sockets", "-s"], ["sockets", "--sort", "rtt", "-ti"], ["sockets", "-N", "lab", "-tln"], ["sockets", "--source", "proc", "-tan"],
        ["sockets", "-tan", "--json"], ["sockets", "-ul", "sport", "=", ":53"], ["sockets", "-0"], ["sockets", "-M", "--netlink"],
        ["counters"], ["counters", "eth0", "--interval", "1", "--count", "3"], ["counters", "-d", "--exact"], ["stats"], ["stats", "Tcp*Retrans*"],
        ["stats", "-z", "--softnet"], ["stats", "protocols", "--interval", "0.5", "--count", "2"], ["stats", "link", "eth0", "-d"],
        ["namespaces"], ["namespaces", "--no-counts", "--json"], ["watch"], ["watch", "routes", "links", "--initial"], ["watch", "changes", "neigh", "--rcvbuf", "1048576"],
        ["watch", "sockets", "-t", "--interval", "2"], ["top"], ["top", "--interval", "5"], ["snapshot", "-o", "/tmp/s.json"], ["diff", "a.json", "b.json", "--exit-code"],
        ["diff", "a.json", "b.json", "--sockets", "all"], ["metrics"], ["metrics", "--collectors", "all", "--max-ports", "10"], ["metrics", "--openmetrics", "-o", "/tmp/m.prom"],
        ["serve", "--listen", "127.0.0.1:9100", "--max-connections", "4"], ["serve", "--collectors", "tcpinfo", "--tcpinfo-sample", "0"],
        ["overview", "--interval", "2", "--top", "3"], ["links", "--all-netns"], ["sockets", "--all-netns", "-tan"], ["links", "--color", "never"],
        ["links", "--no-header", "--netns-pid", "1"], ["addrs", "--proc-root", "/tmp/proc"],
    ]

    /// Lines the start-up parser must leave to ArgumentParser: help and version, mistakes, and
    /// forms whose reading is ArgumentParser's alone.
    static let unusual: [[String]] = [
        ["links", "--help"], ["links", "-h"], ["help", "links"], ["links", "--version"], ["links", "--bogus"], ["links", "--netns"],
        ["links", "--json", "--json"], ["links", "--json", "--ndjson"], ["sockets", "-tZ"], ["sockets", "--", "-x"], ["sockets", "-tNlab"],
        ["counters", "--count=-1"], ["counters", "--count", "x"], ["diff", "a.json", "-"], ["diff", "a.json"], ["routes", "get"],
        ["links", "--netns", "a", "--netns-pid", "1"], ["watch", "nosuchkind"], ["sockets", "--sort", "nosuchkey"], ["links", "--color="],
        ["stats", "-z", "link"], ["metrics", "--collectors", "connections"], ["path", "10.1.1.9", "--dport", "70000"],
    ]

    /// Every flag and option of every command the table knows, alone and in the `=` form,
    /// and its short flags run together: the generated table checked against the commands.
    static func generated() -> [[String]] {
        var lines: [[String]] = []
        for path in Self.paths {
            let words = path.isEmpty ? [] : path.split(separator: " ").map(String.init)
            guard let specs = CommandTable.arguments(path: path) else { continue }
            lines.append(words)
            var shorts = ""
            for spec in specs {
                switch spec.kind {
                case .flag:
                    for name in spec.names { lines.append(words + [name]) }
                    if let short = spec.names.first(where: { !$0.hasPrefix("--") }) { shorts += short.dropFirst() }
                case .option:
                    let sample = spec.defaultValue ?? "1"
                    for name in spec.names {
                        lines.append(words + [name, sample])
                        if name.hasPrefix("--") { lines.append(words + ["\(name)=\(sample)"]) }
                    }
                case .positional:
                    lines.append(words + ["lo"])
                    if spec.repeating { lines.append(words + ["lo", "eth0"]) }
                }
            }
            if shorts.count > 1 { lines.append(words + ["-" + shorts]) }
        }
        return lines
    }

    /// Every path the table may hold: the commands and the groups with a default.
    static let paths = [
        "", "overview", "top", "snapshot", "diff", "metrics", "serve", "links", "addrs", "routes", "routes show", "routes get", "rules",
        "neighbors", "qdiscs", "classes", "drops", "path", "watch", "watch changes", "watch sockets", "sockets", "counters", "stats",
        "stats protocols", "stats link", "namespaces",
    ]

    @Test func everyCommandIsInTheTable() {
        for path in Self.paths {
            #expect(CommandTable.arguments(path: path) != nil, "\"\(path)\" has no table entry: .ci/command-table.py left it to ArgumentParser")
        }
    }

    /// The subcommand names ArgumentOrder reads from the table are the commands' own.
    @Test func theTableNamesTheSubcommandsAsTheirConfigurationsDo() {
        func walk(_ command: ParsableCommand.Type, _ path: String) {
            let subs = command.configuration.subcommands
            #expect(CommandTable.subcommands(of: path) == subs.map(ArgumentOrder.names), "\"\(path)\"")
            for sub in subs { walk(sub, path.isEmpty ? ArgumentOrder.canonicalName(sub) : path + " " + ArgumentOrder.canonicalName(sub)) }
        }
        walk(Netscope.self, "")
    }

    @Test func typedLinesComeOutAsArgumentParserBuildsThem() throws {
        for line in Self.typed {
            let reference = Self.reference(line)
            #expect(reference != nil, "ArgumentParser refuses \(line)")
            let quick = try Self.quick(line)
            #expect(quick != nil, "the start-up parser left \(line) to ArgumentParser")
            #expect(Self.describe(quick) == Self.describe(reference), "\(line)")
        }
    }

    @Test func everyFlagAndOptionComesOutAsArgumentParserBuildsIt() throws {
        var read = 0
        for line in Self.generated() {
            let quick = try? Self.quick(line)
            let reference = Self.reference(line)
            // Both may refuse (a sample value a validate() rejects); neither may accept alone.
            #expect((quick == nil) == (reference == nil), "\(line): start-up parser \(quick == nil ? "refuses" : "accepts"), ArgumentParser does not")
            #expect(Self.describe(quick) == Self.describe(reference), "\(line)")
            if quick != nil { read += 1 }
        }
        #expect(read > 300, "only \(read) generated lines were read")
    }

    /// Random lines from each command's own vocabulary (its names, values that fit and values
    /// that do not, dashes, `--`, `=` forms, repeats, words) in random order: whatever the
    /// start-up parser reads must come out as ArgumentParser's command, and anything
    /// ArgumentParser refuses the start-up parser must refuse too. Seeded, so a failure repeats.
    @Test func randomLinesNeverDisagree() throws {
        var generator = SplitMix(seed: 0x6e65_7473_636f_7065)
        var read = 0, total = 0
        for path in Self.paths {
            guard let specs = CommandTable.arguments(path: path) else { continue }
            let words = path.isEmpty ? [] : path.split(separator: " ").map(String.init)
            var vocabulary = ["--", "-", "-x", "--bogus", "lo", "eth0", "state", "established", "1", "-1", "0x10", "1.5", "all", "auto", "=", ""]
            for spec in specs {
                vocabulary += spec.names
                if let value = spec.defaultValue { vocabulary.append(value) }
                for name in spec.names where name.hasPrefix("--") && spec.kind == .option {
                    vocabulary += ["\(name)=\(spec.defaultValue ?? "1")", "\(name)=", "\(name)=-1"]
                }
                if spec.kind == .flag, let short = spec.names.first(where: { !$0.hasPrefix("--") }) { vocabulary.append(short + "n") }
            }
            for _ in 0..<30 {
                let count = Int(generator.next() % 5)
                let line = words + (0..<count).map { _ in vocabulary[Int(generator.next() % UInt64(vocabulary.count))] }
                let quick = try? Self.quick(line)
                let reference = Self.reference(line)
                total += 1
                guard let quick else { continue }
                read += 1
                #expect(reference != nil, "\(line): the start-up parser accepts what ArgumentParser refuses")
                #expect(Self.describe(quick) == Self.describe(reference), "\(line)")
            }
        }
        // The vocabulary makes many lines mistakes; enough must be read to make this mean something.
        #expect(read > total / 5, "only \(read) of \(total) random lines were read by the start-up parser")
    }

    /// A table that does not match a builder (an argument more or less, a kind swapped) is a
    /// refusal, so ArgumentParser parses the line; never a crash.
    @Test func aTableThatDoesNotMatchItsBuilderIsARefusal() throws {
        var reader = SlotReader(specs: [.flag(["--x"])], values: [[""]])
        #expect(throws: SlotReader.Refused.self) { try reader.value(String.self) }
        #expect(try reader.flag())
        #expect(reader.isAtEnd)
        #expect(throws: SlotReader.Refused.self) { try reader.flag() }
        #expect(throws: SlotReader.Refused.self) { try reader.optional(Int.self) }
        #expect(throws: SlotReader.Refused.self) { try reader.array(String.self) }
        var typed = SlotReader(specs: [.option(["--n"], repeating: false, optional: true, defaultValue: nil)], values: [["x"]])
        #expect(throws: SlotReader.Refused.self) { try typed.optional(Int.self) }
    }

    /// `path` must reach main as its plain values: built as a command, its property wrappers
    /// cost a seventh of the run again. The Values twin of what ArgumentParser parses is what
    /// the comparisons above check.
    @Test func pathRunsFromItsPlainValues() throws {
        for line in [["path", "10.1.1.9"], ["path", "2001:db8::1", "--netns", "lab", "--json", "--dport", "443"]] {
            guard case .values(let values)? = try Self.quick(line) else {
                Issue.record("\(line) was not read into PathCommand.Values")
                continue
            }
            #expect(values is PathCommand.Values, "\(line)")
        }
    }

    @Test func unusualLinesAreLeftToArgumentParser() throws {
        for line in Self.unusual {
            #expect((try? Self.quick(line)) ?? nil == nil, "the start-up parser read \(line)")
        }
    }
}
