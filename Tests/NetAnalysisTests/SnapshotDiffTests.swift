import Foundation
import NetAnalysis
import NetModel
import NetOutput
import NetRender
import TestSupport
import Testing

@Suite struct SnapshotDiffTests {
    static func load(_ name: String) throws -> JSONValue {
        try JSONParser.parse(try FixtureFiles.bytes("snapshots/\(name)"))
    }

    static func render(_ diff: SnapshotDiff, _ format: OutputFormat) -> String {
        let sink = OutputSink(threshold: Int.max)
        DiffRenderer.render(diff, to: sink, options: RenderOptions(format: format))
        return sink.pending
    }

    /// a.json and b.json were taken before and after the changes in snapshots/capture.sh.
    @Test func capturedChangesAreReportedExactly() throws {
        let diff = try SnapshotDiff.compare(try Self.load("a.json"), try Self.load("b.json"))
        func ids(_ entries: [SnapshotDiff.Entry], _ kind: String) -> Set<String> { Set(entries.filter { $0.kind == kind }.map(\.id)) }
        #expect(ids(diff.appeared, "address") == ["fb 10.9.9.1/24"])
        #expect(ids(diff.appeared, "route") == [
            "inet 10.60.0.0/16 table main via 10.8.0.2 dev fa", "inet 10.9.9.0/24 table main dev fb",
            "inet 10.9.9.1 table local local dev fb", "inet 10.9.9.255 table local broadcast dev fb",
        ])
        #expect(ids(diff.vanished, "link") == ["old", "old2"])
        #expect(ids(diff.vanished, "rule") == ["inet pref 1000: src 10.45.0.0 srclen 16 table 100"])
        let changes = Dictionary(uniqueKeysWithValues: diff.changed.map { ("\($0.kind) \($0.id)", $0.fields.map(\.name)) })
        #expect(changes["link fa"] == ["mtu"])
        // Replaced under the same key: one route that changed, not a vanish and an appear.
        #expect(changes["route inet 10.44.0.0/16 table main"] == ["gateway"])
        #expect(changes["neighbor inet 10.8.0.9 dev fa"] == ["lladdr"])
        // 50 datagrams to a closed port.
        #expect(diff.counters.first { $0.name == "Udp.NoPorts" }?.delta == 50)
        #expect(diff.counters.first { $0.name == "Tcp.CurrEstab" }?.gauge == true)
        #expect(diff.seconds.map { $0 > 0 && $0 < 60 } == true)
    }

    @Test func textMatchesGolden() throws {
        let diff = try SnapshotDiff.compare(try Self.load("a.json"), try Self.load("b.json"))
        let text = Self.render(diff, .table)
        #expect(try FixtureFiles.golden("snapshots/diff.golden.txt", text) == text)
    }

    @Test func jsonMatchesGolden() throws {
        let diff = try SnapshotDiff.compare(try Self.load("a.json"), try Self.load("b.json"))
        let json = Self.render(diff, .json)
        #expect(try FixtureFiles.golden("snapshots/diff.golden.json", json) == json)
    }

    @Test func aSnapshotEqualsItself() throws {
        for name in ["a.json", "b.json", "shared.json"] {
            let a = try Self.load(name)
            let diff = try SnapshotDiff.compare(a, a, sockets: .all)
            #expect(diff.appeared.isEmpty && diff.vanished.isEmpty && diff.changed.isEmpty && diff.counters.isEmpty, "\(name)")
        }
    }

    /// shared.json: routes that share a prefix (fe80::/64 and ff00::/8 on two devices, one
    /// IPv4 prefix appended on two links, an IPv6 multipath route), a dual-stack listener
    /// pair and a SO_REUSEPORT pair, captured from a real namespace (`snapshots/capture.sh shared`).
    @Test func routesThatShareAPrefixKeepTheirIdentity() throws {
        let a = try Self.load("shared.json")
        // Every route has its own identity.
        let routes = a["routes"]!.array!
        #expect(Set(routes.map(SnapshotDiff.routeIdentity)).count == routes.count)
        // Deleting fe80::/64 of one device is that deletion, not a change of another route.
        guard case .object(var fields) = a else { Issue.record("not an object"); return }
        let index = fields.firstIndex { $0.0 == "routes" }!
        let kept = routes.filter { !($0["dst"]?.plain == "fe80::/64" && $0["dev"]?.plain == "sb") }
        #expect(kept.count == routes.count - 1)
        fields[index].1 = .array(kept)
        let diff = try SnapshotDiff.compare(a, .object(fields))
        #expect(diff.vanished.map(\.id) == ["inet6 fe80::/64 table main metric 256 dev sb"])
        #expect(diff.appeared.isEmpty && diff.changed.isEmpty)
    }

    /// Connections are left out unless asked for; one member of a SO_REUSEPORT group going
    /// away is seen (the group's members are numbered).
    @Test func socketsAreComparedAsAsked() throws {
        let a = try Self.load("shared.json")
        guard case .object(var fields) = a else { Issue.record("not an object"); return }
        let index = fields.firstIndex { $0.0 == "sockets" }!
        var sockets = fields[index].1.array!
        let listener = sockets.firstIndex { $0["state"]?.plain == "LISTEN" && $0["local"]?["port"]?.plain == "7001" }!
        sockets.remove(at: listener)
        sockets.removeAll { $0["state"]?.plain == "ESTAB" }
        fields[index].1 = .array(sockets)
        let b = JSONValue.object(fields)
        let listening = try SnapshotDiff.compare(a, b)
        #expect(listening.vanished.map(\.id) == ["tcp 0.0.0.0:7001 0.0.0.0:0 #2"])
        let all = try SnapshotDiff.compare(a, b, sockets: .all)
        #expect(all.vanished.count > 1)
        let none = try SnapshotDiff.compare(a, b, sockets: .none)
        #expect(none.vanished.isEmpty)
    }

    @Test func foreignOrNewerDocumentsAreRefused() throws {
        let a = try Self.load("a.json")
        #expect(throws: SnapshotDiffError.self) { try SnapshotDiff.compare(try JSONParser.parse("{\"links\":[]}"), a) }
        let future = try JSONParser.parse("{\"schema_version\":99}")
        do {
            _ = try SnapshotDiff.compare(a, future)
            Issue.record("a newer schema was accepted")
        } catch let error as SnapshotDiffError {
            #expect(error.description.contains("schema_version 99"))
        }
    }
}
