import Foundation
import TestSupport
import Testing

/// Every netscope command the README shows runs, against a namespace set up like the one the
/// README's examples were taken from, so the README cannot drift from the CLI unnoticed.
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// "$ netscope …" lines of code blocks, and `netscope …` spans in the text, except the ones
    /// with placeholders (ADDR, DEV, A, B: words in capitals; [optional] parts; …), which are
    /// templates. Each once.
    static func commands() throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        var found: [String] = []
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inBlock.toggle(); continue }
            if inBlock, line.hasPrefix("$ netscope ") { found.append(String(line.dropFirst(2))) }
            if !inBlock {
                for match in line.matches(of: /`(netscope [^`]+)`/) { found.append(String(match.output.1)) }
            }
        }
        var seen = Set<String>()
        return found.filter { command in
            seen.insert(command).inserted && !command.contains("[") && !command.contains("…")
                && !command.split(separator: " ").contains { word in
                let letters = word.filter(\.isLetter)
                return !letters.isEmpty && letters.allSatisfy(\.isUppercase) && !word.hasPrefix("'")
            }
        }
    }

    @Test func everyCommandInTheReadmeRuns() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 15, "found only \(commands)")
        let ns = try TestNamespace("readme")
        for line in ["link set lo up", "link add v0 type veth peer name v1", "link add br0 type bridge", "link set v1 master br0",
                     "link set v0 up", "link set v1 up", "link set br0 up", "addr add 10.0.0.1/24 dev v0",
                     "addr add 10.0.1.1/24 dev br0", "route add default via 10.0.0.2"] {
            try ns.ip(line: line)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nst-readme-\(ns.name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("Tests"), withDestinationURL: Self.root.appendingPathComponent("Tests"))
        for command in commands {
            var shell = Shell.netscope + command.dropFirst("netscope".count)
            shell = shell.replacingOccurrences(of: "--netns lab", with: "--netns \(ns.name)")
            // Servers and watches run until stopped: they must still be running when stopped
            // after two seconds.
            let server = shell.hasSuffix("&") || command.hasPrefix("netscope serve")
            let background = server || command.hasPrefix("netscope watch")
            if background {
                if shell.hasSuffix("&") { shell.removeLast() }
                shell = "timeout 2 " + shell.trimmingCharacters(in: .whitespaces) + (server ? " --listen 127.0.0.1:0" : "")
            }
            let result = try Shell.run(["sh", "-c", "cd '\(directory.path)' && \(shell)"])
            // top needs a terminal, and says so; the unknown namespace is the README's error example.
            let interactive = command.hasPrefix("netscope top")
            let expected: Int32 = background ? 124 : (command.contains("nosuch") || interactive) ? 1 : 0
            #expect(result.status == expected, "`\(command)` exited \(result.status): \(result.stderr)")
            if interactive { #expect(result.stderr.contains("needs a terminal")) }
            if expected == 0 && !command.contains(" -o ") {
                #expect(!result.stdout.isEmpty, "`\(command)` printed nothing")
            }
        }
    }
}
