import ArgumentParser

/// Puts the command line in the order the parser wants, so that what people type works:
/// global options before the subcommand (`netscope --netns lab links`, `netscope route
/// --netns lab get 1.1.1.1`) move behind it, ip's `show`/`list` verb after `link`, `addr`,
/// `rule` and `neigh` is dropped, and a word that is no subcommand gets the nearest one
/// suggested instead of the overview's usage.
enum ArgumentOrder {
    /// GlobalOptions that take a value, and those that do not. Arrays, not sets: every run
    /// reads them, and a process's first Set<String> costs more than these few comparisons.
    static let valued: [String] = ["--netns", "--netns-pid", "--color", "--proc-root", "--dump-raw", "--replay-raw"]
    static let flags: [String] = ["--json", "--ndjson", "--no-header"]
    /// ip's verbs for "list": accepted and dropped after these subcommands.
    static let verbTakers: [String] = ["links", "addrs", "rules", "neighbors", "counters", "qdiscs", "classes"]
    static let verbs: [String] = ["show", "list", "ls", "lst"]


    /// A command line put in order: the arguments, the subcommand path found (canonical names,
    /// for error hints and the start-up parser's table) and the command it leads to.
    struct Line {
        let arguments: [String]
        let path: [String]
        let root: ParsableCommand.Type

        /// The arguments after the subcommand words.
        var own: ArraySlice<String> { arguments.dropFirst(path.count) }

        /// The command type the path leads to (the default subcommand when none is named).
        /// Reading it builds the commands' configurations, so only ArgumentParser's path does.
        var leaf: ParsableCommand.Type {
            var command = root
            for name in path {
                guard let sub = command.configuration.subcommands.first(where: { ArgumentOrder.canonicalName($0) == name }) else { break }
                command = sub
            }
            return path.isEmpty ? (root.configuration.defaultSubcommand ?? root) : command
        }
    }

    /// The reordered line. Subcommand names come from the generated table
    /// (CommandTable.subcommands), not the commands' configurations, whose first reading is a
    /// tenth of a run; CLITests checks that the two agree.
    static func normalize(_ arguments: [String], root: ParsableCommand.Type) throws -> Line {
        var path: [String] = []
        var key = ""
        var globals: [String] = []
        var typed: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            let name = word.firstIndex(of: "=").map { String(word[..<$0]) } ?? word
            if valued.contains(name) {
                globals.append(word)
                if !word.contains("="), index + 1 < arguments.count { globals.append(arguments[index + 1]); index += 1 }
                index += 1
                continue
            }
            if flags.contains(word) {
                globals.append(word)
                index += 1
                continue
            }
            if word.hasPrefix("-") { break }
            if let sub = subcommand(named: word, of: key) {
                path.append(sub)
                key += key.isEmpty ? sub : " " + sub
                typed.append(word)
                index += 1
                if verbTakers.contains(sub), index < arguments.count, verbs.contains(arguments[index]) { index += 1 }
                continue
            }
            // A bare word where a subcommand is expected, and the command takes no words of
            // its own (the overview at the top, `stats` has its own words): a typo.
            if path.isEmpty {
                if word == "help" {
                    for asked in arguments[(index + 1)...] where !asked.hasPrefix("-") {
                        guard subcommand(named: asked, of: "") != nil else {
                            throw UsageError(description: "no subcommand \"\(asked)\"\(suggestion(for: asked)); `netscope --help` lists them")
                        }
                    }
                    break
                }
                throw UsageError(description: "unknown subcommand \"\(word)\"\(suggestion(for: word)); `netscope --help` lists them")
            }
            break
        }
        let rest = Array(arguments[index...])
        return Line(arguments: typed + globals + rest, path: path, root: root)
    }

    static func canonicalName(_ command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }

    static func names(_ command: ParsableCommand.Type) -> [String] {
        [canonicalName(command)] + command.configuration.aliases
    }

    /// The canonical name of the subcommand of the command at `path` that `word` names.
    static func subcommand(named word: String, of path: String) -> String? {
        CommandTable.subcommands(of: path).first { $0.contains(word) }?.first
    }

    /// ", did you mean \"sockets\"?" for a name within two edits (or a prefix) of one.
    static func suggestion(for word: String) -> String {
        var best: (name: String, distance: Int)?
        for names in CommandTable.subcommands(of: "") {
            for name in names {
                let distance = name.hasPrefix(word) && word.count >= 3 ? 1 : editDistance(word, name)
                if distance <= 2, best.map({ distance < $0.distance }) ?? true { best = (names[0], distance) }
            }
        }
        return best.map { ", did you mean \"\($0.name)\"?" } ?? ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        var previous = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var current = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...max(1, y.count) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return x.isEmpty ? y.count : previous[y.count]
    }
}

/// Why reading the command line failed, as one line.
struct UsageError: Error, CustomStringConvertible, Sendable {
    let description: String
}
