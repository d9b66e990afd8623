import Foundation
import TestSupport
import Testing

/// What happens when things go wrong that are not the kernel's data: no privileges, a reader
/// that goes away. (The others are tested where they live; the README's reliability section
/// lists them all.)
@Suite(.enabled(if: LiveEnvironment.shouldRun, "needs root to drop privileges (always runs under CI=true)"))
struct FaultTests {
    /// Runs netscope as nobody (uid/gid 65534, no supplementary groups).
    static func asNobody(_ arguments: [String]) throws -> Shell.Result {
        try Shell.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Shell.netscope] + arguments)
    }

    @Test func withoutPrivilegesWhatCanBeReadIsRead() throws {
        let ns = try TestNamespace("fault")
        try ns.ip(line: "link set lo up")
        // rtnetlink dumps, sock_diag and /proc/net need no privilege.
        let links = try Self.asNobody(["links"])
        #expect(links.status == 0 && links.stdout.contains(" lo "), "\(links.stderr)")
        let metrics = try Self.asNobody(["metrics"])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let successes = metrics.stdout.split(separator: "\n").filter { $0.hasPrefix("netscope_scrape_collector_success{") }
        #expect(successes.count >= 8 && successes.allSatisfy { $0.hasSuffix("} 1") }, "\(successes)")
        // Every layer's drops, the qdiscs and classes: no privilege needed either.
        let drops = try Self.asNobody(["drops", "--all", "--json"])
        #expect(drops.status == 0 && drops.stdout.contains("\"layer\":\"qdisc\"") && drops.stdout.contains("\"layer\":\"device\""), "\(drops.stderr)")
        let qdiscs = try Self.asNobody(["qdiscs"])
        #expect(qdiscs.status == 0 && qdiscs.stdout.split(separator: "\n").contains { $0.hasPrefix("lo ") }, "\(qdiscs.stdout) \(qdiscs.stderr)")
        let snapshot = try Self.asNobody(["snapshot"])
        #expect(snapshot.status == 0 && snapshot.stdout.hasPrefix("{\"schema_version\":1"), "\(snapshot.stderr)")
        // Other users' processes cannot be inspected: said once, not fatal.
        let processes = try Self.asNobody(["sockets", "-tanp"])
        #expect(processes.status == 0)
        #expect(processes.stderr.contains("could not be inspected (permission denied)"), "\(processes.stderr)")
        // Entering a namespace needs CAP_SYS_ADMIN: one line, exit 1.
        let entering = try Self.asNobody(["links", "--netns", ns.name])
        #expect(entering.status == 1 && entering.stderr.contains("needs CAP_SYS_ADMIN"), "\(entering.stderr)")
    }

    /// A reader that stops early (`| head -1`): netscope ends the way cat and ss do, by
    /// SIGPIPE, silently; nothing on stderr.
    @Test func aReaderThatGoesAwayIsNotAnError() throws {
        for command in ["metrics --collectors all", "sockets -a", "snapshot", "routes"] {
            let result = try Shell.run(["bash", "-c", "\(Shell.netscope) \(command) | head -c 10 > /dev/null; echo ${PIPESTATUS[0]}"])
            let status = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            #expect(status == 0 || status == 141, "`\(command) | head` ended with \(status)")
            #expect(result.stderr.isEmpty, "`\(command) | head` said: \(result.stderr)")
        }
    }
}
