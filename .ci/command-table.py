#!/usr/bin/env python3
"""Writes Sources/netscope/Options/CommandTable.swift: what the start-up parser
(Options/QuickParse.swift) knows of each command.

Two sources, which must agree:
- `netscope --experimental-dump-help` (ArgumentParser's own description of the commands): each
  argument's names, kind, whether it repeats, and its default, in declaration order;
- the declarations in Sources/netscope (`@Option var netns: String?`, `@OptionGroup var
  global: GlobalOptions`, ...): the property each argument fills and its Swift type.

For every command whose two descriptions agree argument for argument, it writes the table of
arguments and a function that builds the command from the parsed words, property by property,
with no reflection. A command where they differ (or that uses forms the start-up parser does
not read) gets no entry, and ArgumentParser parses its command lines as before. `make
completions` rewrites the file, CI fails when it is not current, and CommandLineTests parse a
corpus of command lines both ways and compare the commands.

A type that declares `ValuesCommand` (a command) or `ValuesGroup` (an option group) also gets
a plain twin, `Values`: the same properties as stored values, `values` (the twin of what
ArgumentParser parsed) and `quickValues` (the twin filled from the parsed words). The start-up
parser hands a ValuesCommand's `Values` to main, which runs it without ever building the
command's property wrappers (QuickParse.swift says why).

Usage: command-table.py DUMP.json SOURCES_DIR OUTPUT.swift
"""
import json
import os
import re
import sys

BUILT_IN = {"help", "version"}
# The modules each type's file imports: the generated builders name the same types.
imports = {}
WRAPPER = re.compile(r"@(OptionGroup|Option|Flag|Argument)\b")
STRUCT = re.compile(r"^struct (\w+)\s*:\s*([^{]*)\{", re.M)


def swift_string(text):
    return json.dumps(text)


def skip_parens(text, i):
    """Index after the balanced (...) starting at text[i] (string literals skipped)."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            if text.startswith('"""', i):
                i = text.index('"""', i + 3) + 3
                continue
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced parentheses")


def literal_type(value):
    value = value.strip()
    if value in ("true", "false"):
        return "Bool"
    if re.fullmatch(r"-?\d+", value):
        return "Int"
    if re.fullmatch(r"-?\d+\.\d+", value):
        return "Double"
    if value.startswith('"'):
        return "String"
    return None


def declarations(sources):
    """{type name: (conformances, commandName, [subcommand types], default subcommand, [(wrapper, property, Swift type)])}."""
    types = {}
    for root, _, files in sorted(os.walk(sources)):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            text = open(os.path.join(root, name)).read()
            for match in STRUCT.finditer(text):
                start = match.end()
                end = text.find("\n}", start)
                body = text[start:end]
                command = re.search(r'commandName:\s*"([^"]+)"', body)
                subs = re.search(r"subcommands:\s*\[([^\]]*)\]", body)
                default = re.search(r"defaultSubcommand:\s*(\w+)\.self", body)
                wrappers = []
                position = 0
                while True:
                    found = WRAPPER.search(body, position)
                    if not found:
                        break
                    i = found.end()
                    if i < len(body) and body[i] == "(":
                        i = skip_parens(body, i)
                    decl = re.compile(r"\s*var\s+(\w+)\s*(?::\s*([^=\n{]+?))?\s*(?:=\s*([^\n]+))?\s*$", re.M).match(body, i)
                    if not decl:
                        wrappers.append((found.group(1), None, None))
                        position = i
                        continue
                    swift_type = decl.group(2) or (literal_type(decl.group(3)) if decl.group(3) else None)
                    # The builders take defaults from the dump, as the binary described them when
                    # the table was made: a default computed at run time (a call) could differ.
                    if decl.group(3) and "(" in decl.group(3):
                        swift_type = None
                    wrappers.append((found.group(1), decl.group(1), swift_type and swift_type.strip()))
                    position = decl.end()
                imports.setdefault(match.group(1), set()).update(re.findall(r"^import (\w+)$", text, re.M))
                types[match.group(1)] = (
                    match.group(2),
                    command.group(1) if command else None,
                    [s.strip().removesuffix(".self") for s in subs.group(1).split(",") if s.strip()] if subs else [],
                    default.group(1) if default else None,
                    wrappers,
                )
    return types


def expanded(types, name):
    """The arguments of a type in declaration order, option groups inline:
    [(kind, reader call)], or None when a declaration could not be read."""
    out = []
    for wrapper, prop, swift_type in types[name][4]:
        if prop is None or swift_type is None:
            return None
        if wrapper == "OptionGroup":
            if swift_type not in types:
                return None
            inner = expanded(types, swift_type)
            if inner is None:
                return None
            out += inner
        else:
            out.append(({"Flag": "flag", "Option": "option", "Argument": "positional"}[wrapper], swift_type))
    return out


def has_values(types, name):
    """Whether the type declares a plain twin and every option group in it has one too."""
    conformances = types[name][0]
    if "ValuesCommand" not in conformances and "ValuesGroup" not in conformances:
        return False
    return all(has_values(types, t) for w, _, t in types[name][4] if w == "OptionGroup")


def reader_call(wrapper, swift_type):
    if wrapper == "Flag":
        return "try s.flag()" if swift_type == "Bool" else None
    if swift_type.endswith("?"):
        return f"try s.optional({swift_type[:-1]}.self)"
    if swift_type.startswith("[") and swift_type.endswith("]"):
        return f"try s.array({swift_type[1:-1]}.self)"
    return f"try s.value({swift_type}.self)"


def spec_entry(argument):
    kind = argument["kind"]
    strategy = argument.get("parsingStrategy", "default")
    default = argument.get("defaultValue")
    default_text = "nil" if default is None else swift_string(default)
    repeating = "true" if argument.get("isRepeating") else "false"
    optional = "true" if argument.get("isOptional") else "false"
    if kind == "positional":
        if strategy not in ("default", "allUnrecognized"):
            return None
        unrecognized = "true" if strategy == "allUnrecognized" else "false"
        return f".positional(repeating: {repeating}, optional: {optional}, defaultValue: {default_text}, unrecognized: {unrecognized})"
    # An unconditional option takes a value that starts with "-" (--interval -1, for its
    # range check); the start-up parser refuses such a value and leaves it to ArgumentParser,
    # so the slot is the same as a default option's.
    if strategy not in ("default", "unconditional"):
        return None
    spelled = []
    for n in argument.get("names") or []:
        if n["kind"] == "long":
            spelled.append("--" + n["name"])
        elif n["kind"] == "short":
            spelled.append("-" + n["name"])
        else:
            return None
    if not spelled:
        return None
    listed = ", ".join(swift_string(n) for n in spelled)
    if kind == "flag":
        return f".flag([{listed}])"
    return f".option([{listed}], repeating: {repeating}, optional: {optional}, defaultValue: {default_text})"


def own_arguments(command):
    return [a for a in command.get("arguments") or [] if not (a["kind"] == "flag" and {n["name"] for n in a.get("names") or []} & BUILT_IN)]


def runnable(types, dump, type_name, path):
    """(path, dump entry, Swift type) for each command that runs; a group's default
    subcommand also under the group's path (`netscope routes` runs `routes show`)."""
    subs = types[type_name][2]
    if not subs:
        yield path, dump, type_name
        return
    by_name = {types[s][1]: s for s in subs if s in types}
    for sub in dump.get("subcommands") or []:
        if sub["commandName"] in by_name:
            yield from runnable(types, sub, by_name[sub["commandName"]], path + [sub["commandName"]])
    default = types[type_name][3]
    if default in types and not own_arguments(dump) and not types[default][2]:
        for sub in dump.get("subcommands") or []:
            if sub["commandName"] == types[default][1]:
                yield path, sub, default


def groups(command, path):
    """(path, dump entry) for every command that has subcommands."""
    if command.get("subcommands"):
        yield path, command
        for sub in command["subcommands"]:
            yield from groups(sub, path + [sub["commandName"]])


def main():
    dump = json.load(open(sys.argv[1]))
    types = declarations(sys.argv[2])
    entries = []
    builders = set()
    skipped = []
    for path, command, type_name in runnable(types, dump["command"], "Netscope", []):
        arguments = own_arguments(command)
        declared = expanded(types, type_name)
        specs = [spec_entry(a) for a in arguments]
        key = " ".join(path)
        if declared is None or len(declared) != len(arguments) or any(s is None for s in specs) \
                or any(kind != a["kind"] for (kind, _), a in zip(declared, arguments)):
            skipped.append(key or "(default)")
            continue
        entries.append((key, type_name, specs))
        builders.add(type_name)

    # Every ParsableArguments type reachable from a command gets a builder.
    pending = list(builders)
    while pending:
        name = pending.pop()
        for wrapper, _, swift_type in types[name][4]:
            if wrapper == "OptionGroup" and swift_type not in builders:
                builders.add(swift_type)
                pending.append(swift_type)

    modules = sorted(set().union(*(imports[name] for name in builders)) | {"ArgumentParser"})
    lines = [
        "// Generated by .ci/command-table.py from `netscope --experimental-dump-help` and the",
        "// commands' declarations (make completions). Do not edit.",
        "",
    ] + [f"import {m}" for m in modules] + [
        "",
        "extension CommandTable {",
        "    /// The arguments of the command at `path` (subcommand names joined by spaces; the",
        "    /// empty path is the default command), in declaration order, option groups inline;",
        "    /// nil when ArgumentParser parses the command's lines.",
        "    static func arguments(path: String) -> [ArgumentSpec]? {",
        "        switch path {",
    ]
    for key, _, specs in entries:
        lines.append(f"        case {swift_string(key)}:")
        lines.append("            return [")
        lines += [f"                {s}," for s in specs]
        lines.append("            ]")
    lines += ["        default: return nil", "        }", "    }", ""]
    lines += [
        "    /// The command at `path` built from the parsed words (its plain values, when it has them).",
        "    static func command(path: String, _ s: inout SlotReader) throws -> QuickCommand? {",
        "        switch path {",
    ]
    for key, type_name, _ in entries:
        if "ValuesCommand" in types[type_name][0] and has_values(types, type_name):
            lines.append(f"        case {swift_string(key)}: return .values(try {type_name}.quickValues(&s))")
        else:
            lines.append(f"        case {swift_string(key)}: return .command(try {type_name}.quick(&s))")
    lines += ["        default: return nil", "        }", "    }", ""]
    lines += [
        "    /// The subcommands of the command at `path`, each as its name and then its aliases",
        "    /// (ArgumentParser's own help subcommand left out).",
        "    static func subcommands(of path: String) -> [[String]] {",
        "        switch path {",
    ]
    for path, command in groups(dump["command"], []):
        names = [[sub["commandName"]] + (sub.get("aliases") or []) for sub in command["subcommands"] if sub["commandName"] != "help"]
        listed = ", ".join("[" + ", ".join(swift_string(n) for n in group) + "]" for group in names)
        lines.append(f"        case {swift_string(' '.join(path))}: return [{listed}]")
    lines += ["        default: return []", "        }", "    }", "}", ""]
    for name in sorted(builders):
        if not has_values(types, name):
            continue
        props = types[name][4]
        field_type = lambda w, t: f"{t}.Values" if w == "OptionGroup" else t
        lines.append(f"extension {name} {{")
        lines.append("    /// The arguments as plain stored values, in declaration order.")
        lines.append("    struct Values {")
        for wrapper, prop, swift_type in props:
            lines.append(f"        var {prop}: {field_type(wrapper, swift_type)}")
        lines.append("    }")
        lines.append("")
        lines.append("    /// The values ArgumentParser parsed into the property wrappers.")
        listed = ", ".join(f"{prop}: {prop}.values" if w == "OptionGroup" else f"{prop}: {prop}" for w, prop, _ in props)
        lines.append(f"    var values: Values {{ Values({listed}) }}")
        if "ValuesCommand" in types[name][0]:
            lines.append("")
            lines.append("    var commandValues: any CommandValues { values }")
        lines.append("")
        lines.append("    static func quickValues(_ s: inout SlotReader) throws -> Values {")
        for wrapper, prop, swift_type in props:
            if wrapper == "OptionGroup":
                lines.append(f"        let {prop}_ = try {swift_type}.quickValues(&s)")
                lines.append(f"        try {prop}_.validate()")
            else:
                lines.append(f"        let {prop}_ = {reader_call(wrapper, swift_type)}")
        listed = ", ".join(f"{prop}: {prop}_" for _, prop, _ in props)
        lines.append(f"        return Values({listed})")
        lines.append("    }")
        lines.append("}")
        lines.append("")
    for name in sorted(builders):
        if "ValuesCommand" in types[name][0] and has_values(types, name):
            continue
        lines.append(f"extension {name} {{")
        lines.append(f"    static func quick(_ s: inout SlotReader) throws -> {name} {{")
        lines.append(f"        var c = {name}()")
        for wrapper, prop, swift_type in types[name][4]:
            if wrapper == "OptionGroup":
                # As ArgumentParser's OptionGroup does: the group validates itself when read.
                lines.append(f"        c.{prop} = try {swift_type}.quick(&s)")
                lines.append(f"        try c.{prop}.validate()")
            else:
                lines.append(f"        c.{prop} = {reader_call(wrapper, swift_type)}")
        lines.append("        return c")
        lines.append("    }")
        lines.append("}")
        lines.append("")
    open(sys.argv[3], "w").write("\n".join(lines))
    if skipped:
        print("command-table: left to ArgumentParser: " + ", ".join(skipped), file=sys.stderr)


if __name__ == "__main__":
    main()
