import NetModel

/// The kernel's policy routing decision, step by step (net/core/fib_rules.c
/// fib_rules_lookup, fib4_rule_match/fib6_rule_match, fib4_rule_suppress): every rule in
/// priority order, whether it matches the flow and why not, and what its action gave. Pure:
/// the table lookups are answered by the caller (`TableLookup` over a route dump).
public enum RuleWalk {
    /// The flow as the rules see it. Sent from here: iif is "lo" (LOOPBACK_IFINDEX), the
    /// uid is the sender's; arriving on an interface: the uid is INVALID_UID, so uid rules
    /// do not match unless their range holds it.
    public struct Flow: Sendable {
        public var family: AddressFamily
        public var destination: IPAddress
        /// nil: unspecified (0.0.0.0 / ::), as for a lookup without `from`.
        public var source: IPAddress?
        public var inputInterface: String
        public var outputInterface: String?
        public var mark: UInt32 = 0
        public var uid: UInt32
        public var tos: UInt8 = 0
        public var ipProto: UInt8 = 0
        public var sourcePort: UInt16 = 0
        public var destinationPort: UInt16 = 0

        public init(family: AddressFamily, destination: IPAddress, inputInterface: String, uid: UInt32) {
            self.family = family
            self.destination = destination
            self.inputInterface = inputInterface
            self.uid = uid
        }

        /// INVALID_UID: the uid of a packet that was not sent by a local socket.
        public static let invalidUID: UInt32 = 0xFFFF_FFFF
    }

    /// What looking the flow up in one table gave.
    public enum TableAnswer: Sendable {
        /// No route in that table covers the destination (the walk goes on).
        case none
        /// Not read: the kernel's own lookup went past this table (it ended in a later one), so
        /// it gave nothing for this flow; said so, never as "no route".
        case passed
        /// The route that matched (any type; `throw` makes the walk go on).
        case route(Route)
    }

    /// One rule as the walk saw it.
    public struct Step: Sendable {
        public var rule: Rule
        public var matched: Bool
        /// Why it did not match, or what matching meant.
        public var reason: String
        /// What the action gave: "table 100: no route", "suppressed: …", "chosen", …
        public var outcome: String?
    }

    /// Where the walk ended.
    public enum Decision: Sendable {
        /// A table gave this route (unicast, local, broadcast, … or blackhole/unreachable/
        /// prohibit routes, which the kernel answers with an error).
        case route(rule: Rule, table: UInt32, route: Route)
        /// A rule whose action is blackhole, unreachable or prohibit.
        case ruleAction(rule: Rule)
        /// No rule gave an answer: the kernel says ENETUNREACH.
        case noRoute
    }

    public static func walk(
        rules: [Rule], flow: Flow, lookup: (UInt32) -> TableAnswer, interfaceGroup: (Int32) -> UInt32?
    ) -> (steps: [Step], decision: Decision) {
        let ordered = rules.filter { $0.family == flow.family }.enumerated().sorted {
            ($0.element.priority ?? 0, $0.offset) < ($1.element.priority ?? 0, $1.offset)
        }.map(\.element)
        var steps: [Step] = []
        var index = 0
        while index < ordered.count {
            let rule = ordered[index]
            index += 1
            let why = mismatch(rule, flow)
            guard why == nil else {
                steps.append(Step(rule: rule, matched: false, reason: why!, outcome: nil))
                continue
            }
            var step = Step(rule: rule, matched: true, reason: "matches", outcome: nil)
            switch rule.action {
            case RuleAction.goto:
                // The target rule is matched in turn, and the walk continues from it.
                guard let target = rule.gotoTarget, let position = ordered.firstIndex(where: { $0.priority == target }) else {
                    step.outcome = "goto \(rule.gotoTarget.map(String.init) ?? "?"): no such rule, skipped"
                    steps.append(step)
                    continue
                }
                step.outcome = "goto \(target)"
                steps.append(step)
                index = position
            case RuleAction.nop:
                step.outcome = "nop"
                steps.append(step)
            case RuleAction.blackhole, RuleAction.unreachable, RuleAction.prohibit:
                step.outcome = RouteNames.ruleAction(rule.action)
                steps.append(step)
                return (steps, .ruleAction(rule: rule))
            default:
                let table = rule.table
                switch lookup(table) {
                case .none:
                    step.outcome = "table \(RouteNames.table(table)): no route"
                    steps.append(step)
                case .passed:
                    step.outcome = "table \(RouteNames.table(table)): not read, the kernel's lookup went past it"
                    steps.append(step)
                case .route(let route) where route.type == RouteType.throw:
                    step.outcome = "table \(RouteNames.table(table)): throw \(prefix(route)): back to the rules"
                    steps.append(step)
                case .route(let route):
                    if let length = rule.suppressPrefixLength, length != UInt32.max, UInt32(route.destinationLength) <= length {
                        step.outcome = "table \(RouteNames.table(table)): \(prefix(route)) suppressed (prefix length \(route.destinationLength) <= suppress_prefixlength \(length))"
                        steps.append(step)
                        continue
                    }
                    if let group = rule.suppressInterfaceGroup, group != UInt32.max,
                        let device = route.outputInterface ?? route.hops.first?.interfaceIndex, interfaceGroup(device) == group
                    {
                        step.outcome = "table \(RouteNames.table(table)): \(prefix(route)) suppressed (device in group \(group))"
                        steps.append(step)
                        continue
                    }
                    step.outcome = "table \(RouteNames.table(table)): \(RouteNames.type(route.type)) \(prefix(route))"
                    steps.append(step)
                    return (steps, .route(rule: rule, table: table, route: route))
                }
            }
        }
        return (steps, .noRoute)
    }

    static func prefix(_ route: Route) -> String {
        guard let destination = route.destination else { return "default" }
        return "\(destination)/\(route.destinationLength)"
    }

    /// nil when `rule` matches `flow`, else why not (fib_rule_match, then the family's match;
    /// an inverted rule matches when the selectors do not).
    public static func mismatch(_ rule: Rule, _ flow: Flow) -> String? {
        let why = selectorMismatch(rule, flow)
        if rule.flags & RuleFlag.invert != 0 { return why == nil ? "not: the selectors match" : nil }
        return why
    }

    static func selectorMismatch(_ rule: Rule, _ flow: Flow) -> String? {
        if let iif = rule.inputInterface {
            if rule.flags & RuleFlag.iifDetached != 0 { return "iif \(iif) does not exist" }
            if iif != flow.inputInterface { return "iif \(iif), the packet comes from \(flow.inputInterface)" }
        }
        if let oif = rule.outputInterface {
            if rule.flags & RuleFlag.oifDetached != 0 { return "oif \(oif) does not exist" }
            if oif != flow.outputInterface { return "oif \(oif), the lookup has \(flow.outputInterface.map { "oif \($0)" } ?? "no oif")" }
        }
        if let mark = rule.fwmark {
            let mask = rule.fwmask ?? UInt32.max
            if (mark ^ flow.mark) & mask != 0 { return "fwmark 0x\(String(mark, radix: 16))/0x\(String(mask, radix: 16)), the mark is 0x\(String(flow.mark, radix: 16))" }
        }
        if let tunnel = rule.tunnelID, tunnel != 0 { return "tun_id \(tunnel): the lookup has no tunnel" }
        if rule.l3mdev { return "l3mdev: the lookup is not in a VRF" }
        if let range = rule.uidRange, flow.uid < range.start || flow.uid > range.end {
            let uid = flow.uid == Flow.invalidUID ? "none (an arriving packet)" : String(flow.uid)
            return "uidrange \(range.start)-\(range.end), the uid is \(uid)"
        }
        if let proto = rule.ipProto, proto != 0, proto != flow.ipProto {
            return "ipproto \(RouteNames.ipProtocol(proto)), the flow's is \(flow.ipProto == 0 ? "unset" : RouteNames.ipProtocol(flow.ipProto))"
        }
        if let range = rule.sourcePortRange, flow.sourcePort < range.start || flow.sourcePort > range.end {
            return "sport \(range.start)\(range.end != range.start ? "-\(range.end)" : ""), the flow's is \(flow.sourcePort)"
        }
        if let range = rule.destinationPortRange, flow.destinationPort < range.start || flow.destinationPort > range.end {
            return "dport \(range.start)\(range.end != range.start ? "-\(range.end)" : ""), the flow's is \(flow.destinationPort)"
        }
        let width = flow.family == .inet ? 32 : 128
        let zero = [UInt8](repeating: 0, count: width / 8)
        if rule.sourceLength > 0, let source = rule.source {
            let from = flow.source?.bytes ?? zero
            if !IPAddress.prefixMatch(source.bytes, from, bits: Int(rule.sourceLength)) {
                return "from \(source)/\(rule.sourceLength), the source is \(flow.source?.description ?? "unset")"
            }
        }
        if rule.destinationLength > 0, let destination = rule.destination,
            !IPAddress.prefixMatch(destination.bytes, flow.destination.bytes, bits: Int(rule.destinationLength))
        {
            return "to \(destination)/\(rule.destinationLength)"
        }
        if rule.tos != 0 && rule.tos != flow.tos { return "tos 0x\(String(rule.tos, radix: 16)), the flow's is 0x\(String(flow.tos, radix: 16))" }
        return nil
    }
}

/// The longest-prefix match of one table, over a route dump: what fib_table_lookup would
/// find (tos-specific routes before tos 0, then the lowest metric; IPv6 source-specific
/// routes only for a source inside their `from`; routes with dead next hops skipped).
public enum TableLookup {
    /// RTNH_F_DEAD
    static let deadFlag: UInt32 = 0x1

    public static func lookup(_ routes: [Route], table: UInt32, flow: RuleWalk.Flow) -> RuleWalk.TableAnswer {
        var best: Route?
        for route in routes where route.table == table && route.family == flow.family {
            let length = Int(route.destinationLength)
            if length > 0 {
                guard let destination = route.destination, IPAddress.prefixMatch(destination.bytes, flow.destination.bytes, bits: length) else { continue }
            }
            if route.tos != 0 && route.tos != flow.tos { continue }
            if route.sourceLength > 0, let source = route.source {
                guard let from = flow.source, IPAddress.prefixMatch(source.bytes, from.bytes, bits: Int(route.sourceLength)) else { continue }
            }
            if route.flags & deadFlag != 0 || (!route.nexthops.isEmpty && route.nexthops.allSatisfy { UInt32($0.flags) & deadFlag != 0 }) { continue }
            guard let current = best else {
                best = route
                continue
            }
            if (route.destinationLength, route.sourceLength, route.tos) > (current.destinationLength, current.sourceLength, current.tos)
                || ((route.destinationLength, route.sourceLength, route.tos) == (current.destinationLength, current.sourceLength, current.tos)
                    && (route.priority ?? 0) < (current.priority ?? 0))
            {
                best = route
            }
        }
        return best.map { .route($0) } ?? .none
    }
}
