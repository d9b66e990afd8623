import ArgumentParser
import NetModel

/// One argument of a command as ArgumentParser declares it: the start-up parser's view,
/// generated into CommandTable.swift from ArgumentParser's own description of the commands.
struct ArgumentSpec {
    enum Kind { case flag, option, positional }
    let kind: Kind
    /// "--netns", "-N"; empty for positionals.
    let names: [String]
    let repeating: Bool
    let optional: Bool
    /// ArgumentParser's description of the default ("auto", "1.0"), parsed like a typed value.
    let defaultValue: String?
    /// A positional declared `parsing: .allUnrecognized` (ss-style filter words).
    let unrecognized: Bool

    static func flag(_ names: [String]) -> ArgumentSpec {
        ArgumentSpec(kind: .flag, names: names, repeating: false, optional: true, defaultValue: nil, unrecognized: false)
    }

    static func option(_ names: [String], repeating: Bool, optional: Bool, defaultValue: String?) -> ArgumentSpec {
        ArgumentSpec(kind: .option, names: names, repeating: repeating, optional: optional, defaultValue: defaultValue, unrecognized: false)
    }

    static func positional(repeating: Bool, optional: Bool, defaultValue: String?, unrecognized: Bool) -> ArgumentSpec {
        ArgumentSpec(kind: .positional, names: [], repeating: repeating, optional: optional, defaultValue: defaultValue, unrecognized: unrecognized)
    }
}

/// What the start-up parser hands to main: a command built as ArgumentParser builds it, or
/// the plain values of a `ValuesCommand`.
enum QuickCommand {
    case command(ParsableCommand)
    case values(any CommandValues)

    func run() throws {
        switch self {
        case .command(var command): try command.run()
        case .values(let values): try values.run()
        }
    }
}

/// A command's parsed arguments as plain stored properties (the generated `Values` twin of a
/// `ValuesCommand`), with the command's validation and work.
protocol CommandValues {
    func validate() throws
    func run() throws
}

/// A command whose validate() and run() read its generated `Values` twin. The start-up parser
/// fills the twin from the words and never builds the command itself: building a command's
/// property wrappers (each `@Option` makes its name specification, each wrapper type its
/// metadata) was 0.2M instructions of a `path` run, 14% of all it executes (callgrind).
/// ArgumentParser's parse (help, errors, unusual lines) still builds the command, whose
/// validate() and run() hand over to `values`.
protocol ValuesCommand: ParsableCommand {
    var commandValues: any CommandValues { get }
}

/// An option group with a generated `Values` twin (its `validate()` and helpers live there).
protocol ValuesGroup: ParsableArguments {}

/// The start-up parser. ArgumentParser builds every command's argument sets by reflection,
/// and each first lookup of a wrapper type scans the binary's 5,000 conformance records:
/// about 2.5 ms of a 5 ms run of a small command. This parser reads the plain command lines
/// people type (long and short flags, `-tan`, `--opt value`, `--opt=value`, positionals)
/// against the generated table (CommandTable.swift) and builds the command with generated
/// code that sets each property: the command struct, its defaults and its validate() stay
/// ArgumentParser's, and nothing is looked up at run time. Anything else (help, errors,
/// `--`, values that look like options, repeats) returns nil, and ArgumentParser parses the
/// line instead, so its messages and its reading of unusual lines stay exactly as they are.
enum CommandTable {
    /// The parsed command, or nil when ArgumentParser must parse this line.
    static func parse(_ arguments: ArraySlice<String>, path: [String]) -> QuickCommand? {
        // NetModel's joined(by:): the standard library's first `joined(separator:)` of a
        // process instantiates its generic types by name, a tenth of a millisecond.
        let key = path.joined(by: " ")
        // A group runs its default subcommand (the table has it under the group's path); a
        // word further on that names one of its subcommands is ArgumentParser's to place.
        for names in subcommands(of: key) where arguments.contains(where: names.contains) { return nil }
        guard let specs = CommandTable.arguments(path: key),
              let values = fill(specs, from: arguments)
        else { return nil }
        var reader = SlotReader(specs: specs, values: values)
        do {
            guard let command = try CommandTable.command(path: key, &reader), reader.isAtEnd else { return nil }
            switch command {
            case .command(var built):
                // validate() may adjust the command (it is mutating): hand on what it left.
                try built.validate()
                return .command(built)
            case .values(let values):
                try values.validate()
                return command
            }
        } catch {
            return nil
        }
    }

    /// The values of each argument in `specs` (a flag's: one "" per occurrence), or nil for
    /// anything outside the plain forms.
    static func fill(_ specs: [ArgumentSpec], from arguments: ArraySlice<String>) -> [[String]]? {
        var values = [[String]](repeating: [], count: specs.count)
        var positionals = specs.indices.filter { specs[$0].kind == .positional && !specs[$0].unrecognized }[...]
        let collector = specs.firstIndex { $0.unrecognized }
        var index = arguments.startIndex
        func find(_ name: Substring) -> Int? { specs.firstIndex { $0.kind != .positional && $0.names.contains { $0 == name } } }
        func add(_ value: String, to slot: Int) -> Bool {
            // A repeat of a single-valued argument, or a value that looks like an option:
            // ArgumentParser's rules for those are its own.
            guard specs[slot].repeating || values[slot].isEmpty, value.isEmpty || !value.hasPrefix("-") else { return false }
            values[slot].append(value)
            return true
        }
        while index < arguments.endIndex {
            let word = arguments[index]
            index += 1
            if word.hasPrefix("--") {
                guard word.count > 2 else { return nil }  // "--": left to ArgumentParser
                let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let slot = find(parts[0]) else { return nil }
                if specs[slot].kind == .flag {
                    guard parts.count == 1, values[slot].isEmpty else { return nil }
                    values[slot].append("")
                } else if parts.count == 2 {
                    guard !parts[1].isEmpty, add(String(parts[1]), to: slot) else { return nil }
                } else {
                    guard index < arguments.endIndex, !arguments[index].isEmpty, add(arguments[index], to: slot) else { return nil }
                    index += 1
                }
            } else if word.hasPrefix("-") {
                // -t, -tan (flags only), or -N VALUE alone.
                let letters = word.utf8.dropFirst()
                guard !letters.isEmpty else { return nil }
                if letters.count == 1, let slot = find(Substring(word)), specs[slot].kind == .option {
                    guard index < arguments.endIndex, !arguments[index].isEmpty, add(arguments[index], to: slot) else { return nil }
                    index += 1
                    continue
                }
                for letter in letters {
                    guard let slot = find(Substring("-" + String(UnicodeScalar(letter)))), specs[slot].kind == .flag, values[slot].isEmpty else { return nil }
                    values[slot].append("")
                }
            } else if let slot = positionals.first {
                values[slot].append(word)
                if !specs[slot].repeating { positionals.removeFirst() }
            } else if let collector {
                values[collector].append(word)
            } else {
                return nil
            }
        }
        return values
    }
}

/// The parsed words, handed out in the order the generated builders set the properties
/// (declaration order, option groups inline: the order of the table).
struct SlotReader {
    let specs: [ArgumentSpec]
    let values: [[String]]
    private var next = 0

    init(specs: [ArgumentSpec], values: [[String]]) {
        self.specs = specs
        self.values = values
    }

    var isAtEnd: Bool { next == specs.count }

    /// Thrown for a value that does not convert, a required argument left out, or a table
    /// that does not match the builder: ArgumentParser then parses the line.
    struct Refused: Error {}

    /// The next argument: a flag, or (`flag` false) an option or positional.
    private mutating func take(flag: Bool) throws -> (spec: ArgumentSpec, values: [String]) {
        guard next < specs.count, (specs[next].kind == .flag) == flag else { throw Refused() }
        defer { next += 1 }
        return (specs[next], values[next])
    }

    mutating func flag() throws -> Bool {
        !(try take(flag: true).values.isEmpty)
    }

    /// A single value, converted as ArgumentParser converts it; left out, the default (as
    /// ArgumentParser describes it) or, with none, a refusal (ArgumentParser's "missing").
    mutating func value<V: ExpressibleByArgument>(_ type: V.Type) throws -> V {
        let (spec, values) = try take(flag: false)
        guard !spec.repeating, let text = values.first ?? spec.defaultValue, let value = V(argument: text) else { throw Refused() }
        return value
    }

    mutating func optional<V: ExpressibleByArgument>(_ type: V.Type) throws -> V? {
        let (spec, values) = try take(flag: false)
        guard !spec.repeating, spec.defaultValue == nil else { throw Refused() }
        guard let text = values.first else { return nil }
        guard let value = V(argument: text) else { throw Refused() }
        return value
    }

    /// Every value of a repeating argument in the order typed; left out, empty (a non-empty
    /// default array is ArgumentParser's to describe and this parser's to refuse).
    mutating func array<V: ExpressibleByArgument>(_ type: V.Type) throws -> [V] {
        let (spec, values) = try take(flag: false)
        guard spec.repeating, !values.isEmpty || (spec.optional && spec.defaultValue == nil) else { throw Refused() }
        var out: [V] = []
        out.reserveCapacity(values.count)
        for text in values {
            guard let value = V(argument: text) else { throw Refused() }
            out.append(value)
        }
        return out
    }
}
