import NetModel
import Testing
import NetQuery

/// ip's name databases and the route and neighbour selectors' semantics, without a kernel.
@Suite struct SelectorTests {
    @Test func namesFromRtTablesAndRtProtos() throws {
        #expect(IprouteNames.parse("# comment\n255\tlocal\n100 lab # mine\n0x10 hexa\nbad line\n").map { "\($0.number) \($0.name)" }
                == ["255 local", "100 lab", "16 hexa"])
        #expect(IprouteNames.table(named: "main") == 254 && IprouteNames.table(named: "1234") == 1234)
        #expect(IprouteNames.proto(named: "bird") == 12 && IprouteNames.proto(named: "static") == 4)
        #expect(IprouteNames.table(named: "no-such-table-name") == nil)
        #expect(IprouteNames.scope(named: "link") == 253 && IprouteNames.type(named: "blackhole") == 6)
    }

    static func route(_ destination: String, _ length: UInt8, gateway: String? = nil) -> Route {
        var route = Route(family: .inet, destinationLength: length, sourceLength: 0, tos: 0, table: 254, proto: 3, scope: 0, type: 1, flags: 0)
        route.destination = IPAddress(destination)
        route.gateway = gateway.flatMap(IPAddress.init)
        return route
    }

    /// root: inside the prefix; match: covers it; exact: both (iproute.c filter_nlmsg).
    @Test func rootMatchAndExact() throws {
        let routes = [Self.route("10.0.0.0", 8), Self.route("10.1.0.0", 16), Self.route("10.1.2.0", 24), Self.route("0.0.0.0", 0)]
        func selected(_ configure: (inout RouteSelector) -> Void) -> [String] {
            var selector = RouteSelector()
            configure(&selector)
            return routes.filter(selector.matches).map { "\($0.destination!)/\($0.destinationLength)" }
        }
        #expect(selected { $0.root = IPPrefix("10.1.0.0/16") } == ["10.1.0.0/16", "10.1.2.0/24"])
        #expect(selected { $0.match = IPPrefix("10.1.2.3") } == ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "0.0.0.0/0"])
        #expect(selected { $0.root = IPPrefix("10.1.0.0/16"); $0.match = IPPrefix("10.1.0.0/16") } == ["10.1.0.0/16"])
        #expect(selected { $0.match = IPPrefix("default", family: .inet) } == ["0.0.0.0/0"])
        let via = [Self.route("10.9.0.0", 16, gateway: "192.0.2.1"), Self.route("10.8.0.0", 16)]
        var selector = RouteSelector()
        selector.via = IPPrefix("192.0.2.0/24")
        #expect(via.filter(selector.matches).count == 1)
    }

    @Test func neighbourStates() {
        var stale = Neighbor(family: .inet, interfaceIndex: 2, state: 0x04, flags: 0, type: 1)
        stale.destination = IPAddress("10.0.0.1")
        let proxy = Neighbor(family: .inet, interfaceIndex: 2, state: 0, flags: Neighbor.proxyFlag, type: 1)
        var selector = NeighborSelector()
        selector.states = IprouteNames.neighborState(named: "stale")
        #expect(selector.matches(stale) && !selector.matches(proxy))
        selector = NeighborSelector()
        selector.proxy = true
        #expect(selector.matches(proxy) && !selector.matches(stale))
        selector = NeighborSelector()
        selector.interface = 3
        #expect(!selector.matches(stale))
    }
}
