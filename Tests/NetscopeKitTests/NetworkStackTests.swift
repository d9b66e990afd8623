import Glibc
import NetscopeKit
import Testing

/// The library's public API, as a program embedding netscope uses it: only `import
/// NetscopeKit` (the model comes with it), on the namespace the tests run in.
@Suite struct NetworkStackTests {
    @Test func readsTheStackOfThisNamespace() throws {
        let stack = try NetworkStack()
        let links = try stack.links()
        let loopback = try #require(links.first { $0.name == "lo" })
        #expect(loopback.statistics != nil)
        #expect(try stack.addresses().contains { $0.interfaceIndex == loopback.index })
        // The local table always has loopback's routes.
        #expect(try stack.routes(table: Route.localTable).contains { $0.outputInterface == loopback.index })
        let rules = try stack.rules()
        #expect(rules.contains { $0.table == Route.localTable }, "\(rules.map { "\($0.family) \($0.table) \($0.priority ?? 0)" })")
        _ = try stack.neighbors()
        _ = try stack.sockets([.tcp, .udp], states: .all)
        #expect(try stack.protocolCounters().contains { $0.name == "Tcp.ActiveOpens" })
        #expect(try stack.socketStatistics().contains { $0.group == "TCP" && $0.field == "inuse" })
    }

    @Test func findsTheNamespacesOfTheHost() throws {
        let all = NetworkStack.namespaces()
        let current = try #require(all.first)
        #expect(current.isCurrent && all.filter(\.isCurrent).count == 1)
        #expect(current.pids.contains(getpid()))
        #expect(current.label == (current.names.first ?? "net:[\(current.identity.inode)]"))
    }
}
