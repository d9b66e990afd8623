import NetOutput
import NetModel

/// `netscope diff A B`: what appeared, vanished or changed between two snapshots, and how
/// much every counter grew. Objects are matched by identity (a link by name, a route by
/// family, table, type, destination, tos and metric, a socket by its endpoints), so a changed
/// route is one "changed" entry, not a vanish plus an appear.
package struct SnapshotDiff: Sendable {
    /// The snapshot schema this netscope writes and reads (docs/snapshot.md). Bumped when a
    /// field changes meaning or disappears; new fields do not bump it.
    package static let schemaVersion = 1

    package struct Entry: Sendable {
        package var netns: String?
        package var kind: String
        package var id: String
        package var object: JSONValue
    }

    package struct Change: Sendable {
        package var netns: String?
        package var kind: String
        package var id: String
        /// Field name -> (before, after); a field that is missing on one side is nil there.
        package var fields: [(name: String, from: JSONValue?, to: JSONValue?)]
    }

    package struct CounterDelta: Sendable {
        package var netns: String?
        /// "protocol", "link", "qdisc", "softnet" or "sockstat".
        package var group: String
        /// "Tcp.ActiveOpens", "eth0 rx.bytes", "cpu0 dropped", "TCP.inuse".
        package var name: String
        /// Counters: the increase (negative when the counter was reset or the object recreated).
        /// Gauges (sockstat, protocol gauges): after minus before.
        package var delta: Int64
        package var gauge: Bool
    }

    package var from: String?
    package var to: String?
    /// Seconds between the snapshots' taken_at, when both have one.
    package var seconds: Double?
    package var appeared: [Entry] = []
    package var vanished: [Entry] = []
    package var changed: [Change] = []
    package var counters: [CounterDelta] = []


    /// How each section is matched and compared.
    struct Section: Sendable {
        let name: String
        let kind: String
        let identity: @Sendable (JSONValue) -> String
        /// Fields left out of the comparison: counters (reported as deltas) and values that
        /// change by themselves (address lifetimes count down, tcp_info moves constantly).
        let ignored: Set<String>
        /// When set, only these fields are compared.
        let compared: Set<String>?
        /// What a `replace` keeps (routes: without the next hop). A vanished and an appeared
        /// object that are alone under the same base are one object that changed.
        var base: (@Sendable (JSONValue) -> String)? = nil
        /// Keys inside an object-valued field that are counters, not configuration (htb's
        /// direct_packets_stat among its options): left out when that field is compared.
        var nestedIgnored: [String: Set<String>] = [:]
    }

    /// Which sockets `diff` compares. Connections come and go all the time (TIME-WAIT churn),
    /// so by default only listeners are: a service that stopped listening is drift, a
    /// finished connection is not.
    package enum SocketScope: String, CaseIterable, Sendable {
        case none, listening, all
    }

    static func field(_ object: JSONValue, _ key: String, _ fallback: String = "-") -> String {
        object[key]?.plain ?? fallback
    }

    static func endpoint(_ value: JSONValue?) -> String {
        guard let value else { return "-" }
        if let path = value["path"]?.plain { return path }
        return "\(value["address"]?.plain ?? "*"):\(value["port"]?.plain ?? "*")"
    }

    /// A route's identity in the kernel's terms (Route.key, from the JSON fields): family,
    /// table, destination, source, tos and metric, plus what tells apart routes that share
    /// them: the next hop(s) and, for non-unicast routes, the type. IPv6 gateway routes merge
    /// into one multipath route per key, so for them the key alone is the identity.
    package static func routeIdentity(_ r: JSONValue) -> String {
        var id = routeBase(r)
        let type = r["type"]?.plain
        let hops: [String] = (r["nexthops"]?.array ?? [r]).map { hop in
            let gateway = hop["gateway"]?.plain ?? hop["via"]?["host"]?.plain
            return [gateway.map { "via \($0)" }, hop["dev"].map { "dev \($0.plain)" }].compactMap { $0 }.joined(by: " ")
        }.sorted()
        let hasGateway = r["gateway"] != nil || r["nexthops"] != nil
        let merges = field(r, "family") == "inet6" && r["nhid"] == nil && type == nil && field(r, "protocol") != "ra" && hasGateway
        if merges { return id }
        if let type { id += " \(type)" }
        if let nhid = r["nhid"] { return id + " nhid \(nhid.plain)" }
        let text = hops.joined(by: ", ")
        return text.isEmpty ? id : id + " " + text
    }

    /// The route's base key: what `ip route replace` looks up.
    static func routeBase(_ r: JSONValue) -> String {
        var id = "\(field(r, "family")) \(field(r, "dst")) table \(field(r, "table", "main"))"
        if let from = r["from"] { id += " from \(from.plain)" }
        if let tos = r["tos"] { id += " tos \(tos.plain)" }
        if let metric = r["metric"] { id += " metric \(metric.plain)" }
        return id
    }

    /// "dev eth0 handle 1: parent root", as `tc` names a qdisc or class.
    static func trafficControlIdentity(_ object: JSONValue) -> String {
        let parent = object["root"]?.plain == "true" ? "root" : field(object, "parent", "none")
        return "dev \(field(object, "dev")) handle \(field(object, "handle")) parent \(parent)"
    }

    /// The statistics of a qdisc that `diff` reports as counter deltas.
    static let qdiscCounters = ["bytes", "packets", "drops", "overlimits", "requeues"]

    static let sections: [Section] = [
        Section(name: "links", kind: "link", identity: { field($0, "ifname") }, ignored: ["stats64"], compared: nil),
        Section(
            name: "addresses", kind: "address",
            identity: { "\(field($0, "ifname")) \(field($0, "local"))/\(field($0, "prefixlen"))" },
            ignored: ["valid_life_time", "preferred_life_time"], compared: nil),
        Section(
            name: "routes", kind: "route",
            identity: routeIdentity,
            ignored: ["expires"], compared: nil, base: routeBase),
        // A rule has no key of its own (priorities repeat): all of it is its identity.
        Section(
            name: "rules", kind: "rule",
            identity: { rule in
                let rest = (rule.fields ?? []).filter { $0.0 != "family" && $0.0 != "priority" }.map { "\($0.0) \($0.1.plain)" }
                return "\(field(rule, "family")) pref \(field(rule, "priority", "0")): " + rest.joined(by: " ")
            },
            ignored: [], compared: nil),
        Section(
            name: "neighbors", kind: "neighbor",
            identity: { "\(field($0, "family")) \(field($0, "dst")) dev \(field($0, "dev"))" },
            ignored: ["used", "confirmed", "updated", "probes", "refcnt"], compared: nil),
        // Queueing objects as the kernel keys them: the device, the handle (a class's id) and
        // the parent (several qdiscs share handle 0: under mq). Kind and options are compared;
        // statistics move by themselves and are reported as counter deltas.
        Section(
            name: "qdiscs", kind: "qdisc", identity: trafficControlIdentity,
            ignored: [], compared: ["kind", "options", "options_raw", "offloaded"], nestedIgnored: ["options": ["direct_packets_stat"]]),
        Section(
            name: "classes", kind: "class", identity: trafficControlIdentity,
            ignored: ["stats"], compared: nil),
        Section(
            name: "sockets", kind: "socket",
            identity: { s in
                var id = "\(field(s, "netid")) \(endpoint(s["local"])) \(endpoint(s["peer"]))"
                // Unix, packet and netlink sockets often share endpoints: the inode tells them apart.
                if !["inet", "inet6"].contains(field(s, "family")) { id += " inode \(field(s, "inode"))" }
                return id
            },
            ignored: [], compared: ["state"]),
    ]

    /// Compares two snapshot documents (both single-namespace, or both --all-netns).
    package static func compare(_ a: JSONValue, _ b: JSONValue, sockets: SocketScope = .listening) throws -> SnapshotDiff {
        for (label, document) in [("first", a), ("second", b)] {
            guard document["schema_version"] != nil else {
                throw SnapshotDiffError(description: "the \(label) document is not a netscope snapshot (no schema_version)")
            }
            guard document["schema_version"]?.integer == Int64(SnapshotDiff.schemaVersion) else {
                throw SnapshotDiffError(description: "the \(label) snapshot has schema_version \(document["schema_version"]!.plain); this netscope reads \(SnapshotDiff.schemaVersion)")
            }
        }
        var diff = SnapshotDiff()
        diff.from = a["taken_at"]?.string
        diff.to = b["taken_at"]?.string
        if let from = diff.from.flatMap(unixTime), let to = diff.to.flatMap(unixTime) { diff.seconds = to - from }

        func namespaces(_ document: JSONValue) -> [(String?, JSONValue)] {
            if let list = document["namespaces"]?.array {
                return list.map { ($0["netns"]?.string, $0) }
            }
            // A single-namespace document is compared with the other one whatever namespace
            // each was taken in (comparing two namespaces is a use of its own).
            return [(nil, document)]
        }
        let before = namespaces(a)
        let after = namespaces(b)
        let afterNames = Set(after.map { $0.0 ?? "" })
        let beforeNames = Set(before.map { $0.0 ?? "" })
        for (name, _) in before where !afterNames.contains(name ?? "") {
            diff.vanished.append(Entry(netns: name, kind: "netns", id: name ?? "-", object: .object([])))
        }
        for (name, _) in after where !beforeNames.contains(name ?? "") {
            diff.appeared.append(Entry(netns: name, kind: "netns", id: name ?? "-", object: .object([])))
        }
        for (name, old) in before {
            guard let new = after.first(where: { $0.0 == name })?.1 else { continue }
            diff.compareNamespace(name, old, new, sockets: sockets)
        }
        return diff
    }

    /// Each object of a section with its identity; an identity seen again in the same
    /// snapshot (a SO_REUSEPORT group, identical unix sockets) gets " #2", " #3", … so
    /// that one of them vanishing is seen.
    static func identified(_ objects: [JSONValue], _ section: Section) -> [(id: String, object: JSONValue)] {
        var seen: [String: Int] = [:]
        return objects.map { object in
            let id = section.identity(object)
            let count = (seen[id] ?? 0) + 1
            seen[id] = count
            return (count == 1 ? id : "\(id) #\(count)", object)
        }
    }

    static func included(_ object: JSONValue, _ section: Section, sockets: SocketScope) -> Bool {
        guard section.name == "sockets" else { return true }
        switch sockets {
        case .none: return false
        case .all: return true
        case .listening: return object["state"]?.plain == "LISTEN"
        }
    }

    mutating func compareNamespace(_ netns: String?, _ a: JSONValue, _ b: JSONValue, sockets: SocketScope = .listening) {
        for section in Self.sections {
            let old = Self.identified((a[section.name]?.array ?? []).filter { Self.included($0, section, sockets: sockets) }, section)
            let new = Self.identified((b[section.name]?.array ?? []).filter { Self.included($0, section, sockets: sockets) }, section)
            let index = Dictionary(old.map { ($0.id, $0.object) }, uniquingKeysWith: { first, _ in first })
            let newIDs = Set(new.map(\.id))
            var appearedHere: [Entry] = []
            var vanishedHere: [Entry] = []
            for (id, object) in new {
                guard let previous = index[id] else {
                    appearedHere.append(Entry(netns: netns, kind: section.kind, id: id, object: object))
                    continue
                }
                let fields = Self.changedFields(previous, object, section)
                if !fields.isEmpty { changed.append(Change(netns: netns, kind: section.kind, id: id, fields: fields)) }
            }
            for (id, object) in old where !newIDs.contains(id) {
                vanishedHere.append(Entry(netns: netns, kind: section.kind, id: id, object: object))
            }
            // A route replaced by another (other next hop or type) under the same base key,
            // with no other route there before or after: one route that changed.
            if let base = section.base, !appearedHere.isEmpty, !vanishedHere.isEmpty {
                func groups(_ entries: [Entry]) -> [String: [Int]] {
                    Dictionary(grouping: entries.indices, by: { base(entries[$0].object) })
                }
                let before = groups(vanishedHere), after = groups(appearedHere)
                let oldBases = Dictionary(grouping: old, by: { base($0.object) }).mapValues(\.count)
                let newBases = Dictionary(grouping: new, by: { base($0.object) }).mapValues(\.count)
                var paired = (vanished: Set<Int>(), appeared: Set<Int>())
                for (key, gone) in before {
                    guard gone.count == 1, let came = after[key], came.count == 1, oldBases[key] == 1, newBases[key] == 1 else { continue }
                    let fields = Self.changedFields(vanishedHere[gone[0]].object, appearedHere[came[0]].object, section)
                    changed.append(Change(netns: netns, kind: section.kind, id: key, fields: fields))
                    paired.vanished.insert(gone[0])
                    paired.appeared.insert(came[0])
                }
                vanishedHere = vanishedHere.indices.filter { !paired.vanished.contains($0) }.map { vanishedHere[$0] }
                appearedHere = appearedHere.indices.filter { !paired.appeared.contains($0) }.map { appearedHere[$0] }
            }
            appeared += appearedHere
            vanished += vanishedHere
        }

        // Counters.
        func integers(_ value: JSONValue?) -> [(String, Int64)] {
            (value?.fields ?? []).compactMap { key, value in value.integer.map { (key, $0) } }
        }
        let gauges = ProtocolCounter.gauges
        let oldCounters = Dictionary(integers(a["protocol_counters"]), uniquingKeysWith: { x, _ in x })
        for (name, value) in integers(b["protocol_counters"]) {
            guard let previous = oldCounters[name], value != previous else { continue }
            counters.append(CounterDelta(netns: netns, group: "protocol", name: name, delta: value &- previous, gauge: gauges.contains(name)))
        }
        let oldSockstat = Dictionary(integers(a["sockstat"]), uniquingKeysWith: { x, _ in x })
        for (name, value) in integers(b["sockstat"]) {
            guard let previous = oldSockstat[name], value != previous else { continue }
            counters.append(CounterDelta(netns: netns, group: "sockstat", name: name, delta: value &- previous, gauge: true))
        }
        var oldLinks: [String: JSONValue] = [:]
        for link in a["links"]?.array ?? [] { oldLinks[Self.field(link, "ifname")] = link }
        for link in b["links"]?.array ?? [] {
            let name = Self.field(link, "ifname")
            guard let previous = oldLinks[name], previous["ifindex"] == link["ifindex"] else { continue }
            for direction in ["rx", "tx"] {
                for (key, value) in integers(link["stats64"]?[direction]) {
                    guard let old = previous["stats64"]?[direction]?[key]?.unsigned, let now = UInt64(exactly: value), now != old else { continue }
                    let delta = now >= old ? Int64(clamping: now - old) : -Int64(clamping: old - now)
                    counters.append(CounterDelta(netns: netns, group: "link", name: "\(name) \(direction).\(key)", delta: delta, gauge: false))
                }
            }
        }
        var oldQdiscs: [String: JSONValue] = [:]
        for qdisc in a["qdiscs"]?.array ?? [] { oldQdiscs[Self.trafficControlIdentity(qdisc)] = qdisc }
        for qdisc in b["qdiscs"]?.array ?? [] {
            let id = Self.trafficControlIdentity(qdisc)
            guard let previous = oldQdiscs[id], previous["kind"] == qdisc["kind"] else { continue }
            for key in Self.qdiscCounters {
                guard let old = previous[key]?.unsigned, let now = qdisc[key]?.unsigned, now != old else { continue }
                let delta = now >= old ? Int64(clamping: now - old) : -Int64(clamping: old - now)
                counters.append(CounterDelta(netns: netns, group: "qdisc", name: "\(Self.field(qdisc, "dev")) \(Self.field(qdisc, "kind")) \(Self.field(qdisc, "handle")) \(key)", delta: delta, gauge: false))
            }
        }
        var oldSoftnet: [String: JSONValue] = [:]
        for row in a["softnet"]?.array ?? [] { oldSoftnet[Self.field(row, "cpu")] = row }
        for row in b["softnet"]?.array ?? [] {
            let cpu = Self.field(row, "cpu")
            guard let previous = oldSoftnet[cpu] else { continue }
            for (key, value) in integers(row) where key != "cpu" {
                guard let old = previous[key]?.integer, value != old else { continue }
                // 32-bit kernel counters: a wrap is an increase modulo 2^32.
                counters.append(CounterDelta(netns: netns, group: "softnet", name: "cpu\(cpu) \(key)", delta: (value &- old) & 0xFFFF_FFFF, gauge: false))
            }
        }
    }

    static func changedFields(_ a: JSONValue, _ b: JSONValue, _ section: Section) -> [(name: String, from: JSONValue?, to: JSONValue?)] {
        var result: [(name: String, from: JSONValue?, to: JSONValue?)] = []
        let old = a.fields ?? []
        let new = b.fields ?? []
        func considered(_ key: String) -> Bool {
            !section.ignored.contains(key) && (section.compared?.contains(key) ?? true)
        }
        func stripped(_ key: String, _ value: JSONValue?) -> JSONValue? {
            guard let ignored = section.nestedIgnored[key], let fields = value?.fields else { return value }
            return .object(fields.filter { !ignored.contains($0.0) })
        }
        for (key, value) in new where considered(key) {
            let previous = stripped(key, old.first { $0.0 == key }?.1)
            let value = stripped(key, value)!
            // The kernel lists a multipath route's hops in insertion order, which a re-add
            // changes: the set is what matters.
            if key == "nexthops", let x = previous?.array, let y = value.array, x.count == y.count,
                x.map(\.text).sorted() == y.map(\.text).sorted() { continue }
            if previous != value { result.append((key, previous, value)) }
        }
        for (key, value) in old where considered(key) && !new.contains(where: { $0.0 == key }) {
            result.append((key, value, nil))
        }
        return result
    }

    /// Seconds since the epoch of an RFC 3339 UTC timestamp as SnapshotWriter writes it
    /// (fractional seconds optional).
    static func unixTime(_ text: String) -> Double? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) })
        guard parts.count == 6, let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
            let hour = Int64(parts[3]), let minute = Int64(parts[4]), let second = Double(parts[5]), (1...12).contains(month)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + hour * 3600 + minute * 60) + second
    }
}

/// Why comparing two snapshots failed, as one line.
package struct SnapshotDiffError: Error, CustomStringConvertible, Sendable {
    package let description: String
}
