import NetModel

/// What the kernel said and holds about one flow: the input of `PathReport.build`.
public struct PathFacts: Sendable {
    public var flow: PacketFlow
    public var interfaces: [Interface] = []
    public var rules: [Rule] = []
    /// What each table the rule walk consults gives for this flow (a table not in it gives
    /// nothing): read by `PathTrace` one table at a time, the kernel's own table from fibmatch.
    public var tableAnswers: [UInt32: RuleWalk.TableAnswer] = [:]
    /// RTM_GETROUTE's answer (the resolved route), or the errno it refused with.
    public var resolved: Route?
    public var resolvedError: Int32?
    /// RTM_GETROUTE with RTM_F_FIB_MATCH: the FIB entry, or the errno.
    public var fibMatch: Route?
    /// Neighbour entries of the egress device (nil: not read).
    public var neighbors: [Neighbor]?
    /// The egress device's root qdisc.
    public var rootQdisc: TrafficControlObject?
    /// Sockets that would receive a locally delivered packet (nil: not looked for).
    public var sockets: [Socket]?
    /// Whether the sockets are the established one for the 4-tuple (else listeners).
    public var exactSocket = false
    /// The family's forwarding sysctl, rp_filter (max of all and the input interface),
    /// accept_local (nil: not read, e.g. nothing arrives on an interface).
    public var forwarding: Bool?
    public var rpFilter: Int?
    public var acceptLocal: Bool?
    /// With rp_filter on: the route back to the source (the reverse lookup) and whether it
    /// leaves through the input interface (strict) or exists at all (loose).
    public var reverseRoute: Route?
    public var reversePathPasses: Bool?
    /// The uid the kernel looked up with (the caller's, when sent from here).
    public var uid: UInt32

    public init(flow: PacketFlow, uid: UInt32) {
        self.flow = flow
        self.uid = uid
    }
}

/// The explanation: the rules walked, the route, the neighbour, the device, the socket,
/// forwarding, and one verdict.
public struct PathReport: Sendable {
    public enum Outcome: String, Sendable {
        case delivered, sent, forwarded, dropped, refused
        /// Held by the kernel until the next hop's link address is resolved (INCOMPLETE).
        case queued
        /// Whether the packet gets somewhere (what `--check` asks).
        public var isDelivery: Bool { self == .delivered || self == .sent || self == .forwarded }
    }

    public var facts: PathFacts
    public var ruleSteps: [RuleWalk.Step] = []
    public var decision: RuleWalk.Decision = .noRoute
    /// The table the rule walk ended in equals the kernel's (or both refused alike).
    public var agrees = true
    /// IPv4 with only the default rules: the kernel looks table local and main up as one
    /// merged trie (fib_trie's alias table, until a rule is first added: fib_unmerge), so its
    /// answer names table main for a route that lives in table local. True when the kernel
    /// said main and table local holds that very entry.
    public var localMergedIntoMain = false
    public var neighbor: Neighbor?
    /// The next hop whose neighbour entry matters (nil: none, e.g. local delivery).
    public var nextHop: IPAddress?
    public var device: Interface?
    public var master: Interface?
    public var outcome: Outcome = .dropped
    public var verdict = ""
    public var steps: [String] = []

    /// errno values RTM_GETROUTE answers with (asm-generic/errno.h).
    public enum Refusal {
        public static let accessDenied: Int32 = 13       // EACCES: prohibit
        public static let crossDevice: Int32 = 18        // EXDEV: the reverse-path check failed
        public static let invalid: Int32 = 22            // EINVAL: blackhole
        public static let networkUnreachable: Int32 = 101  // ENETUNREACH: no route, or an unreachable rule
        public static let hostUnreachable: Int32 = 113   // EHOSTUNREACH: an unreachable route
        /// The refusals a verdict explains; any other errno is an error of the question.
        public static let explained: Set<Int32> = [accessDenied, crossDevice, invalid, networkUnreachable, hostUnreachable]
    }

    /// NUD_FAILED, NUD_INCOMPLETE (linux/neighbour.h)
    static let neighborFailed: UInt16 = 0x20
    static let neighborIncomplete: UInt16 = 0x01

    /// The flow as the rule walk sees it.
    public static func walkFlow(_ facts: PathFacts) -> RuleWalk.Flow {
        let flow = facts.flow
        var walkFlow = RuleWalk.Flow(
            family: flow.family, destination: flow.destination, inputInterface: flow.inputInterface ?? "lo", uid: facts.uid)
        walkFlow.source = flow.source
        walkFlow.outputInterface = flow.outputInterface
        walkFlow.mark = flow.mark ?? 0
        walkFlow.tos = flow.tos ?? 0
        walkFlow.ipProto = flow.ipProto ?? 0
        walkFlow.sourcePort = flow.sourcePort ?? 0
        walkFlow.destinationPort = flow.destinationPort ?? 0
        return walkFlow
    }

    public static func build(_ facts: PathFacts) -> PathReport {
        var report = PathReport(facts: facts)
        let flow = facts.flow
        let walkFlow = walkFlow(facts)
        let groups = Dictionary(facts.interfaces.map { ($0.index, $0.group ?? 0) }, uniquingKeysWith: { a, _ in a })
        let (steps, decision) = RuleWalk.walk(
            rules: facts.rules, flow: walkFlow, lookup: { facts.tableAnswers[$0] ?? .none },
            interfaceGroup: { groups[$0] })
        report.ruleSteps = steps
        report.decision = decision
        report.localMergedIntoMain = localMerged(decision, facts)
        report.agrees = report.localMergedIntoMain || agreement(decision, facts)
        let names = Dictionary(facts.interfaces.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        func name(_ index: Int32?) -> String { index.flatMap { names[$0]?.name } ?? "?" }

        // 1. Rules.
        let matched = steps.filter(\.matched)
        var line = "rules: \(steps.count) examined, \(matched.count) matched"
        if case .route(let rule, let table, _) = decision {
            line += "; rule \(rule.priority ?? 0) chose table \(RouteNames.table(table))"
        } else if case .ruleAction(let rule) = decision {
            line += "; rule \(rule.priority ?? 0) says \(RouteNames.ruleAction(rule.action))"
        }
        report.steps.append(line)
        if report.localMergedIntoMain {
            report.steps.append(
                "note: with only the default rules the kernel looks tables local and main up as one (ip route get says table main); the route lives in table local (ip route show table local)")
        }

        // 2. Route. An arriving packet for another host, with forwarding off: the kernel
        // answers EHOSTUNREACH (ip_route_input_slow's no_route) whatever the tables say.
        if facts.resolvedError == Refusal.hostUnreachable, facts.flow.inputInterface != nil, facts.forwarding == false,
            case .route(_, _, let route) = decision, route.type != RouteType.unreachable
        {
            report.agrees = true
            report.outcome = .dropped
            report.verdict = "dropped: forwarding is off (\(forwardingSysctl(flow.family)) = 0)"
            report.steps.append("route: \(RouteNames.type(route.type)) \(prefixText(route)) in table \(RouteNames.table(route.table)), but this host does not forward")
            report.forwardingStep(facts)
            return report
        }
        // The reverse-path check failed: the kernel refuses the lookup (EINVAL, a martian
        // source; EXDEV on some kernels) after choosing the route.
        if let error = facts.resolvedError, facts.flow.inputInterface != nil, facts.reversePathPasses == false,
            error == Refusal.invalid || error == Refusal.crossDevice
        {
            report.agrees = true
            report.outcome = .dropped
            report.verdict = reversePathText(facts)
            report.steps.append("route: chosen, but the source fails the reverse-path check")
            report.forwardingStep(facts)
            return report
        }
        if let error = facts.resolvedError {
            report.outcome = .dropped
            report.verdict = refusalText(error, decision: decision, facts: facts)
            report.steps.append("route: the kernel refuses: \(report.verdict)")
            report.forwardingStep(facts)
            return report
        }
        guard let route = facts.resolved else {
            report.verdict = "no answer from the kernel"
            return report
        }
        var routeLine = "route: \(RouteNames.type(route.type)) \(flow.destination)"
        if let entry = facts.fibMatch {
            let table = report.localMergedIntoMain ? Route.localTable : entry.table
            routeLine += " matched \(prefixText(entry)) in table \(RouteNames.table(table))"
        }
        if let gateway = route.gateway { routeLine += " via \(gateway)" }
        if let device = route.outputInterface { routeLine += " dev \(name(device))" }
        if let source = route.preferredSource { routeLine += " src \(source)" }
        report.steps.append(routeLine)

        let device = route.outputInterface.flatMap { names[$0] }
        report.device = device
        report.master = device?.masterIndex.flatMap { names[$0] }

        // Local delivery: which socket receives it.
        if route.type == RouteType.local {
            report.localStep(facts)
            report.forwardingStep(facts, local: true)
            return report
        }
        if route.type == RouteType.broadcast || route.type == RouteType.multicast {
            report.outcome = flow.inputInterface == nil ? .sent : .delivered
            report.verdict = "\(RouteNames.type(route.type)): \(flow.inputInterface == nil ? "sent out \(name(route.outputInterface))" : "delivered to every listener")"
            return report
        }

        // 3. Neighbour of the next hop.
        let hop = route.gateway ?? route.via ?? flow.destination
        report.nextHop = hop
        if let neighbors = facts.neighbors {
            report.neighbor = neighbors.first { $0.destination == hop && $0.interfaceIndex == route.outputInterface }
            if let entry = report.neighbor {
                let state = RouteNames.neighborStates(entry.state).joined(by: ",")
                let address = entry.linkAddress.map { HardwareAddress.format($0, linkType: device?.linkType ?? 1) } ?? "none"
                report.steps.append("neighbour: \(hop) \(state) lladdr \(address)")
            } else {
                report.steps.append("neighbour: no entry for \(hop) yet: the first packet triggers \(flow.family == .inet ? "ARP" : "neighbour discovery")")
            }
        }

        // 4. Egress device.
        if let device {
            var text = "device: \(device.name) \(device.operState?.name ?? "UNKNOWN")"
            if device.carrier == false { text += " NO-CARRIER" }
            if let mtu = device.mtu { text += " mtu \(mtu)" }
            if let pmtu = route.metrics.first(where: { $0.kind == 2 })?.value { text += " path mtu \(pmtu)" }
            if let master = report.master { text += " master \(master.name)" }
            if let qdisc = facts.rootQdisc {
                text += "; qdisc \(qdisc.kind): \(qdisc.statistics.drops) dropped, \(qdisc.statistics.backlog) bytes queued"
            } else if let kind = device.qdisc {
                text += "; qdisc \(kind)"
            }
            report.steps.append(text)
        }

        // 5. Forwarding, 6. verdict.
        let down = device.map { !$0.isUp || $0.carrier == false || $0.operState == .down } ?? false
        let failed = report.neighbor.map { $0.state & (neighborFailed) != 0 } ?? false
        let unresolved = report.neighbor.map { $0.state & neighborIncomplete != 0 } ?? false
        if flow.inputInterface != nil {
            report.forwardingStep(facts)
            if facts.forwarding == false {
                report.outcome = .dropped
                report.verdict = "dropped: forwarding is off (\(forwardingSysctl(flow.family)) = 0)"
                return report
            }
        }
        if down {
            report.outcome = .dropped
            report.verdict = "dropped: \(device?.name ?? "the device") is down"
        } else if failed {
            report.outcome = .dropped
            report.verdict = "dropped: no neighbour: \(hop) is FAILED on \(device?.name ?? "?")"
        } else if unresolved {
            // neigh_resolve_output queues the packet on the entry (unres_qlen_bytes) while
            // ARP/ND retries (mcast_solicit probes, retrans_time apart), then frees what is
            // queued when the entry turns FAILED.
            report.outcome = .queued
            let resolver = flow.family == .inet ? "ARP" : "neighbour discovery"
            report.verdict = "queued: the neighbour \(hop) on \(device?.name ?? "?") is unresolved (INCOMPLETE): the kernel holds the packet while \(resolver) asks, and drops it if no answer comes"
        } else {
            report.outcome = flow.inputInterface != nil ? .forwarded : .sent
            var text = "\(report.outcome == .forwarded ? "forwarded" : "sent") out \(device?.name ?? "?")"
            if let gateway = route.gateway ?? route.via { text += " via \(gateway)" }
            if let source = route.preferredSource ?? flow.source { text += " from \(source)" }
            report.verdict = text
        }
        return report
    }

    /// Whether the walk ends where the kernel did: the same table for a route, the same
    /// refusal for an error.
    static func agreement(_ decision: RuleWalk.Decision, _ facts: PathFacts) -> Bool {
        switch decision {
        case .route(_, let table, let route):
            if let error = facts.resolvedError {
                switch route.type {
                case RouteType.blackhole: return error == Refusal.invalid
                case RouteType.unreachable: return error == Refusal.hostUnreachable
                case RouteType.prohibit: return error == Refusal.accessDenied
                default: return error == Refusal.crossDevice
                }
            }
            guard let resolved = facts.resolved else { return false }
            return resolved.table == table
        case .ruleAction(let rule):
            switch rule.action {
            case RuleAction.blackhole: return facts.resolvedError == Refusal.invalid
            case RuleAction.unreachable: return facts.resolvedError == Refusal.networkUnreachable
            default: return facts.resolvedError == Refusal.accessDenied
            }
        case .noRoute:
            // An arriving packet with forwarding off: ip_route_input_slow turns a failed
            // lookup into EHOSTUNREACH.
            if forwardingOffForArrival(facts) { return facts.resolvedError == Refusal.hostUnreachable }
            return facts.resolvedError == Refusal.networkUnreachable
        }
    }

    static func forwardingOffForArrival(_ facts: PathFacts) -> Bool {
        facts.flow.inputInterface != nil && facts.forwarding == false
    }

    /// Whether the kernel's answer is the local table's entry reported under main (see
    /// `localMergedIntoMain`): IPv4, the walk ended in table local with the entry the
    /// kernel's fibmatch names, and the kernel said table main.
    static func localMerged(_ decision: RuleWalk.Decision, _ facts: PathFacts) -> Bool {
        guard facts.flow.family == .inet, case .route(_, let table, let route) = decision, table == Route.localTable,
            let entry = facts.fibMatch, entry.table == Route.mainTable, facts.resolved?.table == Route.mainTable
        else { return false }
        return entry.destination == route.destination && entry.destinationLength == route.destinationLength
            && entry.type == route.type && entry.tos == route.tos
    }

    static func prefixText(_ route: Route) -> String {
        guard let destination = route.destination, route.destinationLength > 0 else { return "default" }
        return "\(destination)/\(route.destinationLength)"
    }

    static func refusalText(_ error: Int32, decision: RuleWalk.Decision, facts: PathFacts) -> String {
        switch decision {
        case .route(_, let table, let route) where [RouteType.blackhole, RouteType.unreachable, RouteType.prohibit].contains(route.type):
            return "dropped by the \(RouteNames.type(route.type)) route \(prefixText(route)) (table \(RouteNames.table(table)))"
        case .ruleAction(let rule):
            return "dropped by rule \(rule.priority ?? 0) (\(RouteNames.ruleAction(rule.action)))"
        default: break
        }
        switch error {
        case Refusal.crossDevice: return reversePathText(facts)
        case Refusal.networkUnreachable: return "dropped: no route to \(facts.flow.destination) (network unreachable)"
        case Refusal.hostUnreachable where forwardingOffForArrival(facts):
            if case .noRoute = decision {
                return "dropped: no route to \(facts.flow.destination), and this host does not forward (\(forwardingSysctl(facts.flow.family)) = 0): host unreachable"
            }
            return "dropped: this host does not forward (\(forwardingSysctl(facts.flow.family)) = 0): host unreachable"
        case Refusal.hostUnreachable: return "dropped: host unreachable"
        case Refusal.accessDenied: return "dropped: prohibited"
        case Refusal.invalid: return "dropped: blackhole"
        default: return "refused by the kernel (errno \(error))"
        }
    }

    static func forwardingSysctl(_ family: AddressFamily) -> String {
        family == .inet ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding"
    }

    static func reversePathText(_ facts: PathFacts) -> String {
        let source = facts.flow.source?.description ?? "the source"
        let iif = facts.flow.inputInterface ?? "the input interface"
        guard let back = facts.reverseRoute else { return "dropped by rp_filter: there is no route back to \(source)" }
        let device = facts.interfaces.first { $0.index == back.outputInterface }?.name ?? "another device"
        return "dropped by rp_filter: the route back to \(source) leaves through \(device), not \(iif)"
    }

    /// Local delivery: the established socket for the exact 4-tuple, else the listeners.
    mutating func localStep(_ facts: PathFacts) {
        let flow = facts.flow
        let proto = flow.ipProto == 17 ? "udp" : "tcp"
        guard let port = flow.destinationPort else {
            outcome = .delivered
            verdict = "delivered locally (give --dport to name the socket)"
            steps.append("local: \(flow.destination) is an address of this host")
            return
        }
        guard let sockets = facts.sockets, !sockets.isEmpty else {
            outcome = .refused
            verdict = proto == "tcp"
                ? "refused: no socket on \(proto) port \(port): TCP answers with RST"
                : "refused: no socket on \(proto) port \(port): UDP answers with ICMP port unreachable"
            steps.append("local: no socket on \(proto) port \(port)")
            return
        }
        outcome = .delivered
        let owners = sockets.flatMap(\.owners)
        let who = owners.isEmpty ? "" : " (" + owners.map { "\($0.command)[\($0.pid)]" }.joined(by: ", ") + ")"
        let socket = sockets[0]
        let local = "\(socket.family == .inet6 ? "[\(socket.local.address?.description ?? "::")]" : socket.local.address?.description ?? "*"):\(socket.local.port)"
        let kind = facts.exactSocket ? "connection" : sockets.count > 1 ? "SO_REUSEPORT group of \(sockets.count) listeners" : socket.proto == .udp ? "socket" : "listener"
        steps.append("local: \(kind) \(local)\(who)")
        verdict = "delivered locally to \(kind) \(local)\(who)"
    }

    /// For a packet arriving on an interface: forwarding (not for local delivery, which
    /// does not forward) and the reverse-path filter.
    mutating func forwardingStep(_ facts: PathFacts, local: Bool = false) {
        guard let iif = facts.flow.inputInterface else { return }
        var parts: [String] = []
        if !local, let forwarding = facts.forwarding { parts.append("forwarding \(forwarding ? "on" : "off")") }
        if let rp = facts.rpFilter {
            let mode = rp == 0 ? "off" : rp == 1 ? "strict" : "loose"
            let passes = facts.reversePathPasses ?? true
            parts.append("rp_filter \(mode) on \(iif): \(rp == 0 ? "not checked" : passes ? "the reverse path passes" : "the reverse path fails")")
        }
        if let acceptLocal = facts.acceptLocal { parts.append("accept_local \(acceptLocal ? 1 : 0)") }
        if !parts.isEmpty { steps.append("forwarding: " + parts.joined(by: ", ")) }
    }
}
