import Foundation
import TestSupport
import Testing

/// The command line as people type it: global options anywhere, ip's spellings, typos,
/// unknown names, one error style and the documented exit codes (0, 1, 64).
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root and iproute2 (always runs under CI=true)"))
struct CommandLineTests {
    static func run(_ arguments: [String]) throws -> Shell.Result { try Shell.run([Shell.netscope] + arguments) }

    /// One line on stderr, in the one style.
    static func oneErrorLine(_ result: Shell.Result, _ status: Int32, containing text: String) {
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("netscope: error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(text), "\(result.stderr)")
    }

    @Test func globalOptionsWorkBeforeOrAfterTheSubcommand() throws {
        let ns = try TestNamespace("cli")
        try ns.ip(line: "link set lo up")
        let after = try Self.run(["links", "--netns", ns.name, "--json"])
        let before = try Self.run(["--netns", ns.name, "--json", "links"])
        #expect(after.status == 0 && before.status == 0, "\(before.stderr)")
        #expect(before.stdout == after.stdout)
        let get = try Self.run(["route", "--netns", ns.name, "get", "127.0.0.1"])
        #expect(get.status == 0 && get.stdout.contains("127.0.0.1"), "\(get.stderr)")
        let equals = try Self.run(["--netns=\(ns.name)", "addrs"])
        #expect(equals.status == 0 && equals.stdout.contains("127.0.0.1/8"), "\(equals.stderr)")
    }

    @Test func ipSpellingsAndVerbsAreAccepted() throws {
        let ns = try TestNamespace("cliip")
        try ns.ip(line: "link set lo up")
        let links = try Self.run(["links", "--netns", ns.name]).stdout
        for words in [["link"], ["link", "show"], ["links", "list"], ["link", "show", "lo"]] {
            let result = try Self.run(words + ["--netns", ns.name])
            #expect(result.status == 0 && result.stdout == links, "\(words): \(result.stderr)")
        }
        for words in [["addr"], ["addr", "show"], ["address"], ["route"], ["route", "show"], ["rule"], ["rule", "show"], ["neigh"],
                      ["neighbor"], ["neighbour"], ["neighbours"], ["neigh", "show"], ["socket", "-tln"], ["ss", "-tln"]] {
            let result = try Self.run(words + ["--netns", ns.name])
            #expect(result.status == 0, "\(words): \(result.stderr)")
        }
    }

    @Test func mistakesAreOneLineWithTheRightStatus() throws {
        let ns = try TestNamespace("clierr")
        Self.oneErrorLine(try Self.run(["sokets"]), 64, containing: "did you mean \"sockets\"")
        Self.oneErrorLine(try Self.run(["neighbur"]), 64, containing: "did you mean \"neighbors\"")
        Self.oneErrorLine(try Self.run(["help", "nosuch"]), 64, containing: "no subcommand \"nosuch\"")
        Self.oneErrorLine(try Self.run(["links", "--bogus"]), 64, containing: "see `netscope links --help`")
        Self.oneErrorLine(try Self.run(["links", "nosuch0", "--netns", ns.name]), 1, containing: "no interface \"nosuch0\"")
        Self.oneErrorLine(try Self.run(["counters", "nosuch0", "--netns", ns.name]), 1, containing: "no interface \"nosuch0\"")
        Self.oneErrorLine(try Self.run(["stats", "nosuchcounter", "--netns", ns.name]), 1, containing: "unknown counter")
        Self.oneErrorLine(try Self.run(["links", "--netns", "nst-no-such-namespace"]), 1, containing: "cannot open network namespace")
        Self.oneErrorLine(try Self.run(["sockets", "--jsn"]), 64, containing: "--jsn")
        #expect(try Self.run(["help", "links"]).status == 0)
        // A glob may match nothing: that is an empty list, not an error.
        #expect(try Self.run(["links", "nosuch*", "--netns", ns.name]).status == 0)
    }

    /// One rule for every --interval: 0 is one reading (totals), else 0.1 to 3600 seconds.
    @Test func everyIntervalFollowsOneRule() throws {
        let ns = try TestNamespace("cliint")
        try ns.ip(line: "link set lo up")
        for command in [["counters"], ["stats"], ["overview"]] {
            let zero = try Self.run(command + ["--interval", "0", "--netns", ns.name])
            #expect(zero.status == 0, "\(command): \(zero.stderr)")
            Self.oneErrorLine(try Self.run(command + ["--interval", "5000", "--netns", ns.name]), 64, containing: "between 0.1 and 3600")
            Self.oneErrorLine(try Self.run(command + ["--interval", "0.01", "--netns", ns.name]), 64, containing: "between 0.1 and 3600")
        }
        Self.oneErrorLine(try Self.run(["top", "--interval", "0"]), 64, containing: "--interval 0")
        // A negative number is a value out of range, not a missing one.
        for command in [["counters"], ["stats"], ["overview"], ["drops"], ["watch", "sockets"]] {
            Self.oneErrorLine(try Self.run(command + ["--interval", "-1", "--netns", ns.name]), 64, containing: "--interval must be")
        }
        Self.oneErrorLine(try Self.run(["drops", "--top", "-5", "--netns", ns.name]), 64, containing: "--top must be 0 or more")
    }

    /// Numbers out of range say the range, in the one style, like every other validation.
    @Test func portsOutOfRangeSayTheRange() throws {
        for flag in ["--dport", "--sport"] {
            for value in ["70000", "-1"] {
                Self.oneErrorLine(try Self.run(["path", "10.0.0.1", flag, value]), 64, containing: "\(flag) must be between 0 and 65535.")
            }
        }
    }

    /// ss's words: the state `syn-rcv` beside `syn-recv`, and service names looked up for the
    /// protocols listed (ntp is 123/udp only, ssh 22/tcp only in Debian's /etc/services): ss
    /// accepts or refuses each expression, and so does netscope.
    @Test func stateAndServiceNamesAsSsReadsThem() throws {
        let ns = try TestNamespace("cliss")
        for (flags, expression) in [(["-t"], ["dport", "=", ":ntp"]), (["-u"], ["dport", "=", ":ntp"]), ([], ["dport", "=", ":ntp"]),
                                    (["-u"], ["sport", "=", ":ssh"]), (["-t"], ["sport", "=", ":ssh"]), (["-w"], ["dport", "=", ":ssh"]),
                                    (["-t"], ["state", "syn-rcv"]), (["-t"], ["state", "syn-recv"])] {
            let ss = try Shell.run(["ss", "-N", ns.name, "-n"] + flags + expression)
            let ours = try Self.run(["sockets", "--netns", ns.name, "-n"] + flags + expression)
            #expect((ours.status == 0) == (ss.status == 0), "\(flags) \(expression): ss \(ss.status) \(ss.stderr), ours \(ours.status) \(ours.stderr)")
            if ours.status != 0 { Self.oneErrorLine(ours, 64, containing: "bad port") }
        }
    }

    /// Flags do what they say or are not offered.
    @Test func noFlagIsAcceptedAndIgnored() throws {
        Self.oneErrorLine(try Self.run(["metrics", "--json"]), 64, containing: "--json")
        Self.oneErrorLine(try Self.run(["watch", "--json"]), 64, containing: "--json")
        Self.oneErrorLine(try Self.run(["serve", "--no-header"]), 64, containing: "--no-header")
        let help = try Self.run(["top", "--help"]).stdout
        #expect(!help.contains("  --json") && !help.contains("--no-header") && help.contains("--netns"))
    }

    @Test func aBusyPortIsSaidInWords() throws {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", "import socket,sys,time\ns=socket.socket(); s.bind(('127.0.0.1', 29177)); s.listen(1); print('ready', flush=True); time.sleep(30)"]
        let pipe = Pipe()
        holder.standardOutput = pipe
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = pipe.fileHandleForReading.availableData
        Self.oneErrorLine(try Self.run(["serve", "--listen", "127.0.0.1:29177"]), 1,
                          containing: "cannot listen on 127.0.0.1:29177: address already in use")
    }

    /// `--version` and `netscope_build_info` name the release and the exact commit the binary
    /// was built from (what `git rev-parse --short=12 HEAD` says of this checkout).
    @Test func theVersionNamesTheCommit() throws {
        let line = try Self.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let match = line.wholeMatch(of: /([0-9]+\.[0-9]+\.[0-9]+) \(commit ([0-9a-f]{12}(?:-dirty)?|unknown)\)/)
        #expect(match != nil, "\(line)")
        guard let match else { return }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let head = try Shell.run(["git", "-C", root.path, "rev-parse", "--short=12", "HEAD"])
        if head.status == 0 {
            #expect(String(match.2).hasPrefix(head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(line)")
        }
        let metrics = try Self.run(["metrics", "--collectors", "sockstat"])
        #expect(metrics.stdout.contains("netscope_build_info{version=\"\(match.1)\",commit=\"\(match.2)\"} 1\n"), "\(metrics.stdout.prefix(600))")
    }
}
