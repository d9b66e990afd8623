import NetAnalysis
import NetModel
import Testing

/// `PathReport.build` on facts made up for each case: the `agrees` check fails when the
/// rule walk and the kernel's answer part, and the local table's merge into main is named
/// only when the kernel's entry really is table local's.
@Suite struct PathReportTests {
    static let defaultRules = [
        RuleWalkTests.rule(0, table: 255), RuleWalkTests.rule(32766, table: 254), RuleWalkTests.rule(32767, table: 253),
    ]

    static func facts(_ destination: String, resolved: Route?, answers: [UInt32: RuleWalk.TableAnswer]) -> PathFacts {
        var facts = PathFacts(flow: PacketFlow(destination: IPAddress(destination)!), uid: 0)
        facts.rules = defaultRules
        facts.resolved = resolved
        facts.fibMatch = resolved
        facts.tableAnswers = answers
        return facts
    }

    @Test func aPlantedDisagreementIsReported() {
        // The kernel says table 100; the rules (local, main, default) can only end in main.
        let kernel = RuleWalkTests.route("10.9.0.0/16", table: 100)
        let main = RuleWalkTests.route("0.0.0.0/0")
        let report = PathReport.build(Self.facts("10.9.1.1", resolved: kernel, answers: [100: .route(kernel), 254: .route(main), 255: .none]))
        #expect(report.agrees == false)
        #expect(report.localMergedIntoMain == false)
        // And agreement when the walk ends where the kernel did.
        let agreeing = PathReport.build(Self.facts("10.9.1.1", resolved: main, answers: [254: .route(main), 255: .none]))
        #expect(agreeing.agrees == true)
    }

    @Test func theMergeIsNamedOnlyForTableLocalsOwnEntry() {
        var local = RuleWalkTests.route("127.0.0.1/32", table: 255, type: RouteType.local, device: 1)
        var asKernelSaysIt = local
        asKernelSaysIt.table = 254
        let merged = PathReport.build(Self.facts("127.0.0.1", resolved: asKernelSaysIt, answers: [255: .route(local), 254: .route(asKernelSaysIt)]))
        #expect(merged.localMergedIntoMain && merged.agrees)
        #expect(merged.steps.contains { $0.hasPrefix("route: local 127.0.0.1 matched 127.0.0.1/32 in table local") })
        // Table local holds another entry: not the merge, a disagreement.
        local.destination = IPAddress("127.0.0.2")
        let other = PathReport.build(Self.facts("127.0.0.1", resolved: asKernelSaysIt, answers: [255: .route(local), 254: .route(asKernelSaysIt)]))
        #expect(!other.localMergedIntoMain && !other.agrees)
    }

    @Test func anUnresolvedNeighbourQueuesAndIsNoDelivery() {
        let route = RuleWalkTests.route("10.1.0.0/24")
        var facts = Self.facts("10.1.0.78", resolved: route, answers: [254: .route(route), 255: .none])
        var neighbor = Neighbor(family: .inet, interfaceIndex: 2, state: 0x01, flags: 0, type: 1)
        neighbor.destination = IPAddress("10.1.0.78")
        facts.neighbors = [neighbor]
        let report = PathReport.build(facts)
        #expect(report.outcome == .queued && !report.outcome.isDelivery)
        #expect(report.verdict.hasPrefix("queued: the neighbour 10.1.0.78 on ? is unresolved (INCOMPLETE)"))
    }
}
