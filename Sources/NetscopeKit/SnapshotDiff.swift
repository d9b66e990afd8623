import NetModel

/// `netscope diff A B`: what appeared, vanished or changed between two snapshots, and how
/// much every counter grew. Objects are matched by identity (a link by name, a route by
/// family, table, type, destination, tos and metric, a socket by its endpoints), so a changed
/// route is one "changed" entry, not a vanish plus an appear.
public struct SnapshotDiff: Sendable {
    public struct Entry: Sendable {
        public var netns: String?
        public var kind: String
        public var id: String
        public var object: JSONValue
    }

    public struct Change: Sendable {
        public var netns: String?
        public var kind: String
        public var id: String
        /// Field name -> (before, after); a field that is missing on one side is nil there.
        public var fields: [(name: String, from: JSONValue?, to: JSONValue?)]
    }

    public struct CounterDelta: Sendable {
        public var netns: String?
        /// "protocol", "link", "softnet" or "sockstat".
        public var group: String
        /// "Tcp.ActiveOpens", "eth0 rx.bytes", "cpu0 dropped", "TCP.inuse".
        public var name: String
        /// Counters: the increase (negative when the counter was reset or the object recreated).
        /// Gauges (sockstat, protocol gauges): after minus before.
        public var delta: Int64
        public var gauge: Bool
    }

    public var from: String?
    public var to: String?
    /// Seconds between the snapshots' taken_at, when both have one.
    public var seconds: Double?
    public var appeared: [Entry] = []
    public var vanished: [Entry] = []
    public var changed: [Change] = []
    public var counters: [CounterDelta] = []

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

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
    }

    static func field(_ object: JSONValue, _ key: String, _ fallback: String = "-") -> String {
        object[key]?.plain ?? fallback
    }

    static func endpoint(_ value: JSONValue?) -> String {
        guard let value else { return "-" }
        if let path = value["path"]?.plain { return path }
        return "\(value["address"]?.plain ?? "*"):\(value["port"]?.plain ?? "*")"
    }

    static let sections: [Section] = [
        Section(name: "links", kind: "link", identity: { field($0, "ifname") }, ignored: ["stats64"], compared: nil),
        Section(
            name: "addresses", kind: "address",
            identity: { "\(field($0, "ifname")) \(field($0, "local"))/\(field($0, "prefixlen"))" },
            ignored: ["valid_life_time", "preferred_life_time"], compared: nil),
        Section(
            name: "routes", kind: "route",
            identity: { r in
                var id = "\(field(r, "family")) \(field(r, "type", "unicast")) \(field(r, "dst")) table \(field(r, "table", "main"))"
                if let tos = r["tos"] { id += " tos \(tos.plain)" }
                if let metric = r["metric"] { id += " metric \(metric.plain)" }
                return id
            },
            ignored: ["expires"], compared: nil),
        // A rule has no key of its own (priorities repeat): all of it is its identity.
        Section(
            name: "rules", kind: "rule",
            identity: { rule in
                let rest = (rule.fields ?? []).filter { $0.0 != "family" && $0.0 != "priority" }.map { "\($0.0) \($0.1.plain)" }
                return "\(field(rule, "family")) pref \(field(rule, "priority", "0")): " + rest.joined(separator: " ")
            },
            ignored: [], compared: nil),
        Section(
            name: "neighbors", kind: "neighbor",
            identity: { "\(field($0, "family")) \(field($0, "dst")) dev \(field($0, "dev"))" },
            ignored: ["used", "confirmed", "updated", "probes", "refcnt"], compared: nil),
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
    public static func compare(_ a: JSONValue, _ b: JSONValue) throws -> SnapshotDiff {
        for (label, document) in [("first", a), ("second", b)] {
            guard document["schema_version"] != nil else {
                throw Failure(description: "the \(label) document is not a netscope snapshot (no schema_version)")
            }
            guard document["schema_version"]?.integer == Int64(SnapshotWriter.schemaVersion) else {
                throw Failure(description: "the \(label) snapshot has schema_version \(document["schema_version"]!.plain); this netscope reads \(SnapshotWriter.schemaVersion)")
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
            diff.compareNamespace(name, old, new)
        }
        return diff
    }

    mutating func compareNamespace(_ netns: String?, _ a: JSONValue, _ b: JSONValue) {
        for section in Self.sections {
            let old = a[section.name]?.array ?? []
            let new = b[section.name]?.array ?? []
            var index: [String: JSONValue] = [:]
            for object in old { index[section.identity(object)] = object }
            var seen = Set<String>()
            for object in new {
                let id = section.identity(object)
                guard seen.insert(id).inserted else { continue }
                guard let previous = index[id] else {
                    appeared.append(Entry(netns: netns, kind: section.kind, id: id, object: object))
                    continue
                }
                let fields = Self.changedFields(previous, object, section)
                if !fields.isEmpty { changed.append(Change(netns: netns, kind: section.kind, id: id, fields: fields)) }
            }
            for object in old {
                let id = section.identity(object)
                if !seen.contains(id) {
                    seen.insert(id)
                    vanished.append(Entry(netns: netns, kind: section.kind, id: id, object: object))
                }
            }
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
        for (key, value) in new where considered(key) {
            let previous = old.first { $0.0 == key }?.1
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
