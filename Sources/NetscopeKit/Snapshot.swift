import NetQuery
import NetRender
import NetAnalysis
import NetOutput
import NetMetrics
import SockDiag
import NetModel
import Netlink
import ProcNet
#if canImport(Glibc)
import Glibc
#endif

/// `netscope snapshot`: the whole state of a namespace as one JSON document (schema in
/// docs/snapshot.md). Objects keep the field names of the single-purpose subcommands' JSON
/// (links and addresses as `ip -j`, routes as `ip -j route`, sockets as `sockets --json`), so
/// one jq vocabulary serves both. Routes and sockets stream from the kernel into the output.
package enum SnapshotWriter {
    /// The schema written: the one `diff` reads.
    package static let schemaVersion = SnapshotDiff.schemaVersion

    /// Opens the document. With `labelled` (--all-netns) each namespace becomes one element
    /// of a "namespaces" array; otherwise its sections are the document's own fields.
    package static func begin(_ json: inout JSONWriter, version: String, labelled: Bool) {
        json.beginObject()
        json.field("schema_version", schemaVersion)
        json.field("netscope_version", version)
        json.field("taken_at", utcTimestamp())
        if labelled {
            json.key("namespaces")
            json.beginArray()
        }
    }

    package static func end(_ json: inout JSONWriter, labelled: Bool) {
        if labelled { json.endArray() }
        json.endObject()
        json.newline()
    }

    /// The sections of one namespace, written as fields of the object that is open.
    /// `name` is the namespace's name (--netns or the --all-netns walk); `pid` the process
    /// whose namespace was read (--netns-pid). Both are recorded, so that `diff A -` reads the
    /// same namespace again.
    package static func writeNamespace(
        _ name: String?, pid: Int32? = nil, container: String? = nil, sources: SourceOptions, proc: ProcRoot, into json: inout JSONWriter
    ) throws {
        json.key("netns")
        if let name { json.string(name) } else { json.null() }
        json.field("container", container)
        if let pid { json.field("netns_pid", pid) }
        let route = try sources.connection(.route)
        let links = LinkQuery(connection: route)
        let interfaces = try links.interfaces(filter: [])
        let names = InterfaceNames(interfaces)
        json.key("links")
        json.beginArray()
        for interface in interfaces {
            json.beginObject()
            LinkJSON.writeFields(interface, names: names, into: &json)
            if let stats = interface.statistics { CounterRenderer.writeStats64(stats, carrierChanges: interface.carrierChanges, into: &json) }
            json.endObject()
        }
        json.endArray()

        json.key("addresses")
        json.beginArray()
        for address in try links.addresses() {
            json.beginObject()
            json.field("ifname", names[address.interfaceIndex])
            AddressRenderer.writeAddressFields(address, into: &json)
            json.endObject()
        }
        json.endArray()

        let routes = RouteQuery(connection: route)
        json.key("routes")
        json.beginArray()
        try routes.routes { r in
            json.beginObject()
            json.field("family", RouteNames.family(r.family))
            RouteRenderer.writeFields(r, names: names, showTable: true, into: &json)
            json.endObject()
        }
        json.endArray()

        json.key("rules")
        json.beginArray()
        for rule in try routes.rules() {
            json.beginObject()
            json.field("family", RouteNames.family(rule.family))
            RuleRenderer.writeFields(rule, into: &json)
            json.endObject()
        }
        json.endArray()

        json.key("neighbors")
        json.beginArray()
        for neighbor in try routes.neighbors(all: true) {
            json.beginObject()
            json.field("family", RouteNames.family(neighbor.family))
            NeighborRenderer.writeFields(neighbor, names: names, into: &json)
            json.endObject()
        }
        json.endArray()

        // Queueing: every qdisc, and the classes of the devices whose qdiscs have classes
        // (the kernel lists classes device by device), as `qdiscs` and `classes` print them.
        let trafficControl = TrafficControlQuery(connection: route)
        let qdiscs = try trafficControl.qdiscs()
        json.key("qdiscs")
        json.beginArray()
        for qdisc in qdiscs {
            json.beginObject()
            TrafficControlRenderer.writeQdisc(qdisc, names: names, into: &json)
            json.endObject()
        }
        json.endArray()
        let classful = Set(qdiscs.filter { TrafficControlQuery.classful.contains($0.kind) }.map(\.interfaceIndex))
        json.key("classes")
        json.beginArray()
        for trafficClass in try trafficControl.classes(interfaces: classful.sorted()) {
            json.beginObject()
            TrafficControlRenderer.writeClass(trafficClass, names: names, into: &json)
            json.endObject()
        }
        json.endArray()

        var request = SocketRequest(protocols: Set(SocketProtocol.allCases).subtracting([.sctp]), states: .all)
        request.tcpInfo = true
        request.memory = true
        json.key("sockets")
        json.beginArray()
        let query = SocketQuery(sources: sources, proc: proc)
        let own = OwnSockets()
        let notes = try query.run(request) { socket in
            if own.contains(socket) { return }
            SocketRenderer.writeJSON(socket, names: names, into: &json)
        }
        json.endArray()

        let counters = ProcQuery(root: proc)
        json.key("protocol_counters")
        json.beginObject()
        for counter in try counters.protocolCounters() { json.key(escaping: counter.name); json.raw(counter.text) }
        json.endObject()
        json.key("sockstat")
        json.beginObject()
        for statistic in try counters.socketStatistics() { json.key(escaping: "\(statistic.group).\(statistic.field)"); json.number(statistic.value) }
        json.endObject()
        json.key("softnet")
        json.beginArray()
        for row in try counters.softnet() {
            json.beginObject()
            json.field("cpu", row.cpu)
            for (key, _, field) in StatsRenderer.softnetFields { json.field(key, row[keyPath: field]) }
            json.endObject()
        }
        json.endArray()
        json.field("notes", strings: notes)
    }

    /// Now, as RFC 3339 UTC with milliseconds ("2026-11-25T16:04:05.123Z").
    static func utcTimestamp() -> String { Timestamp.now().rfc3339 }
}
