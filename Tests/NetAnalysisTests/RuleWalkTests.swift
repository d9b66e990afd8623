import NetAnalysis
import NetModel
import Testing

/// The rule walk against the kernel's fib_rules_lookup semantics, on rules and routes made
/// up for each case (the live tests compare it with the kernel over generated flows).
@Suite struct RuleWalkTests {
    static func rule(_ priority: UInt32, table: UInt32 = 254, action: UInt8 = RuleAction.toTable, _ configure: (inout Rule) -> Void = { _ in }) -> Rule {
        var rule = Rule(family: .inet, destinationLength: 0, sourceLength: 0, tos: 0, table: table, action: action, flags: 0)
        rule.priority = priority
        configure(&rule)
        return rule
    }

    static func route(_ prefix: String, table: UInt32 = 254, type: UInt8 = RouteType.unicast, metric: UInt32? = nil, device: Int32 = 2) -> Route {
        let parts = prefix.split(separator: "/")
        var route = Route(family: .inet, destinationLength: UInt8(parts[1])!, sourceLength: 0, tos: 0, table: table, proto: 4, scope: 0, type: type, flags: 0)
        route.destination = IPAddress(parts[0])
        route.priority = metric
        route.outputInterface = device
        return route
    }

    static func flow(_ destination: String, _ configure: (inout RuleWalk.Flow) -> Void = { _ in }) -> RuleWalk.Flow {
        var flow = RuleWalk.Flow(family: .inet, destination: IPAddress(destination)!, inputInterface: "lo", uid: 0)
        configure(&flow)
        return flow
    }

    static func decide(_ rules: [Rule], _ routes: [Route], _ flow: RuleWalk.Flow, groups: [Int32: UInt32] = [:]) -> (steps: [RuleWalk.Step], decision: RuleWalk.Decision) {
        RuleWalk.walk(rules: rules, flow: flow, lookup: { TableLookup.lookup(routes, table: $0, flow: flow) }, interfaceGroup: { groups[$0] })
    }

    static func table(_ decision: RuleWalk.Decision) -> UInt32? {
        if case .route(_, let table, _) = decision { return table }
        return nil
    }

    @Test func selectorsMatchAsTheKernelMatchesThem() {
        let rules = [
            Self.rule(10, table: 101) { $0.source = IPAddress("10.1.0.0"); $0.sourceLength = 16 },
            Self.rule(20, table: 102) { $0.fwmark = 0x10; $0.fwmask = 0xff },
            Self.rule(30, table: 103) { $0.uidRange = (1000, 1999) },
            Self.rule(40, table: 104) { $0.ipProto = 6; $0.destinationPortRange = (443, 443) },
            Self.rule(50, table: 105) { $0.inputInterface = "eth1" },
            Self.rule(60, table: 106) { $0.tos = 0x10 },
            Self.rule(32766),
        ]
        let routes = [101, 102, 103, 104, 105, 106, 254].map { Self.route("0.0.0.0/0", table: UInt32($0)) }
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.source = IPAddress("10.1.2.3") }).decision) == 101)
        // The mark is masked: 0x110 & 0xff == 0x10.
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.mark = 0x110 }).decision) == 102)
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.mark = 0x11 }).decision) == 254)
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.uid = 1500 }).decision) == 103)
        // An arriving packet has no uid: INVALID_UID is outside every ordinary range.
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.uid = RuleWalk.Flow.invalidUID }).decision) == 254)
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.ipProto = 6; $0.destinationPort = 443 }).decision) == 104)
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.ipProto = 17; $0.destinationPort = 443 }).decision) == 254)
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.inputInterface = "eth1" }).decision) == 105)
        #expect(Self.table(Self.decide(rules, routes, Self.flow("8.8.8.8") { $0.tos = 0x10 }).decision) == 106)
        let steps = Self.decide(rules, routes, Self.flow("8.8.8.8")).steps
        #expect(steps.count == rules.count)
        #expect(steps[0].reason == "from 10.1.0.0/16, the source is unset")
        #expect(steps[1].reason == "fwmark 0x10/0xff, the mark is 0x0")
        #expect(steps[2].reason == "uidrange 1000-1999, the uid is 0")
        #expect(steps[4].reason == "iif eth1, the packet comes from lo")
    }

    @Test func actionsGotoNopThrowAndSuppressWalkOn() {
        let rules = [
            Self.rule(5, action: RuleAction.nop),
            Self.rule(10, table: 0, action: RuleAction.goto) { $0.gotoTarget = 40; $0.destination = IPAddress("10.9.0.0"); $0.destinationLength = 16 },
            Self.rule(20, table: 100),
            Self.rule(40, table: 200),
            Self.rule(50, table: 254) { $0.suppressPrefixLength = 0 },
            Self.rule(60, table: 253),
        ]
        let routes = [
            Self.route("10.9.0.0/16", table: 100),                   // skipped over by the goto
            Self.route("10.9.0.0/16", table: 200, type: RouteType.throw),
            Self.route("0.0.0.0/0", table: 254),                     // suppressed: prefix length 0
            Self.route("0.0.0.0/0", table: 253, device: 7),
        ]
        let (steps, decision) = Self.decide(rules, routes, Self.flow("10.9.1.1"))
        #expect(steps.map { $0.rule.priority ?? 0 } == [5, 10, 40, 50, 60], "the goto skips rule 20")
        #expect(steps[0].outcome == "nop")
        #expect(steps[2].outcome?.contains("throw") == true)
        #expect(steps[3].outcome?.contains("suppressed") == true)
        #expect(Self.table(decision) == 253)

        // suppress_ifgroup: the route's device is in the group.
        let grouped = [Self.rule(10, table: 254) { $0.suppressInterfaceGroup = 4 }, Self.rule(20, table: 253)]
        #expect(Self.table(Self.decide(grouped, routes, Self.flow("8.8.8.8"), groups: [2: 4]).decision) == 253)
        #expect(Self.table(Self.decide(grouped, routes, Self.flow("8.8.8.8"), groups: [2: 0]).decision) == 254)
    }

    @Test func refusalsAndInversion() {
        let blackholeRoute = [Self.route("203.0.113.0/24", type: RouteType.blackhole), Self.route("0.0.0.0/0")]
        if case .route(_, _, let route) = Self.decide([Self.rule(32766)], blackholeRoute, Self.flow("203.0.113.9")).decision {
            #expect(route.type == RouteType.blackhole && route.destinationLength == 24, "longest prefix wins over the default")
        } else {
            Issue.record("a blackhole route decides")
        }
        let prohibit = Self.rule(1, table: 0, action: RuleAction.prohibit) { $0.flags = RuleFlag.invert; $0.destination = IPAddress("10.0.0.0"); $0.destinationLength = 8 }
        if case .ruleAction(let rule) = Self.decide([prohibit, Self.rule(32766)], blackholeRoute, Self.flow("8.8.8.8")).decision {
            #expect(rule.priority == 1, "not to 10/8: 8.8.8.8 is prohibited")
        } else {
            Issue.record("an inverted prohibit rule decides")
        }
        #expect(Self.table(Self.decide([prohibit, Self.rule(32766)], blackholeRoute, Self.flow("10.1.1.1")).decision) == 254)
        if case .noRoute = Self.decide([Self.rule(32766)], [], Self.flow("8.8.8.8")).decision {} else { Issue.record("no route") }
        // A detached iif never matches, even for a packet from that name.
        let detached = Self.rule(1, table: 100) { $0.inputInterface = "gone0"; $0.flags = RuleFlag.iifDetached }
        #expect(RuleWalk.mismatch(detached, Self.flow("8.8.8.8") { $0.inputInterface = "gone0" }) == "iif gone0 does not exist")
    }

    @Test func tableLookupPrefersLongestThenTosThenMetric() {
        let routes = [Self.route("10.0.0.0/8", metric: 5), Self.route("10.1.0.0/16", metric: 100), Self.route("10.1.0.0/16", metric: 10, device: 9)]
        guard case .route(let best) = TableLookup.lookup(routes, table: 254, flow: Self.flow("10.1.2.3")) else { Issue.record("a route"); return }
        #expect(best.destinationLength == 16 && best.priority == 10 && best.outputInterface == 9)
        guard case .none = TableLookup.lookup(routes, table: 100, flow: Self.flow("10.1.2.3")) else { Issue.record("another table"); return }
    }
}
