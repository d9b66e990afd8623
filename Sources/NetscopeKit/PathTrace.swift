import NetAnalysis
import NetModel
import NetQuery
import Netlink
import ProcNet
import SockDiag
#if canImport(Glibc)
import Glibc
#endif

/// `netscope path`: reads what the kernel decides for one flow and what it decides with
/// (rules, every route of the family, the kernel's own lookups with and without
/// RTM_F_FIB_MATCH, the next hop's neighbour, the egress device and its root qdisc, the
/// receiving socket, forwarding sysctls) and explains it (`PathReport`). Read-only.
package struct PathTrace {
    package let sources: SourceOptions
    package let proc: ProcRoot

    package init(sources: SourceOptions, proc: ProcRoot) {
        self.sources = sources
        self.proc = proc
    }

    /// The route types the kernel keeps in table local (RTN_LOCAL, RTN_BROADCAST, RTN_ANYCAST).
    static let localKinds: Set<UInt8> = [RouteType.local, RouteType.broadcast, RouteType.anycast]

    package struct UnknownInterface: Error, CustomStringConvertible {
        package let name: String
        package var description: String { "no such interface \"\(name)\"" }
    }

    package struct InterfaceDown: Error, CustomStringConvertible {
        package let name: String
        package var description: String { "--iif \(name) is down: no packet arrives on it (ip link set \(name) up)" }
    }

    package func trace(_ flow: PacketFlow, processes: Bool = true) throws -> PathReport {
        let connection = try sources.connection(.route)
        // Only the interfaces the answer names, each asked for alone: a host with thousands
        // of devices costs no more than one with three.
        let linkQuery = LinkQuery(connection: connection)
        var links: [Int32: Interface] = [:]
        func index(_ name: String?) throws -> Int32? {
            guard let name else { return nil }
            guard let link = try linkQuery.interface(name: name) else { throw UnknownInterface(name: name) }
            links[link.index] = link
            return link.index
        }
        func remember(_ index: Int32?) throws {
            guard let index, index > 0, links[index] == nil, let link = try linkQuery.interface(index: index) else { return }
            links[index] = link
            try remember(link.masterIndex)
        }
        let query = RouteQuery(connection: connection)
        // The uid the kernel uses when none is given: the caller's for a packet sent from here,
        // none (INVALID_UID) for one arriving on an interface.
        let uid = flow.uid ?? (flow.inputInterface == nil ? getuid() : RuleWalk.Flow.invalidUID)
        var facts = PathFacts(flow: flow, uid: uid)
        let v4 = flow.family == .inet
        facts.rules = try query.rules(ipv4: v4, ipv6: !v4)

        var lookup = RouteLookup(destination: flow.destination)
        lookup.source = flow.source
        lookup.inputInterface = try index(flow.inputInterface)
        // Nothing arrives on a device that is down.
        if let iif = lookup.inputInterface, links[iif]?.isUp == false { throw InterfaceDown(name: flow.inputInterface ?? "") }
        lookup.outputInterface = try index(flow.outputInterface)
        lookup.mark = flow.mark
        lookup.uid = flow.uid
        lookup.tos = flow.tos
        lookup.ipProto = flow.ipProto
        lookup.sourcePort = flow.sourcePort
        lookup.destinationPort = flow.destinationPort
        do {
            facts.resolved = try query.get(lookup)
        } catch let error as NetlinkError where error.kind == .kernel {
            facts.resolvedError = error.errno
        }
        lookup.fibMatch = true
        facts.fibMatch = try? query.get(lookup)
        for route in [facts.resolved, facts.fibMatch].compactMap({ $0 }) {
            try remember(route.outputInterface)
            for hop in route.nexthops { try remember(hop.interfaceIndex) }
        }
        facts.interfaces = links.values.sorted { $0.index < $1.index }
        facts.tableAnswers = try tableAnswers(facts, query: query)

        if let route = facts.resolved, let device = route.outputInterface, route.type != RouteType.local {
            var selector = NeighborSelector()
            selector.interface = device
            facts.neighbors = try query.neighbors(ipv4: v4, ipv6: !v4, all: true, selector: selector)
            // The kernel dumps the qdiscs of every device (a get answers through a multicast
            // notification, which would show in every `tc monitor`): only when the device
            // has a queue. noqueue (virtual devices) never queues or drops.
            if let kind = links[device]?.qdisc, kind != "noqueue" {
                facts.rootQdisc = try TrafficControlQuery(connection: connection).qdiscs(interface: device).first(where: \.isRoot)
            }
        }
        if let route = facts.resolved, route.type == RouteType.local, let port = flow.destinationPort {
            (facts.sockets, facts.exactSocket) = try receivers(flow, port: port, processes: processes)
        }
        if let iif = flow.inputInterface {
            let family = v4 ? "ipv4" : "ipv6"
            func sysctl(_ path: String) -> Int? {
                (try? proc.read("sys/net/\(family)/\(path)")).flatMap { Int($0.filter { !$0.isWhitespace }) }
            }
            facts.forwarding = (v4 ? sysctl("ip_forward") : sysctl("conf/all/forwarding")).map { $0 != 0 }
            if v4 {
                // The kernel uses the larger of conf/all and conf/IIF (IN_DEV_RPFILTER).
                if let all = sysctl("conf/all/rp_filter"), let own = sysctl("conf/\(iif)/rp_filter") { facts.rpFilter = max(all, own) }
                if let all = sysctl("conf/all/accept_local"), let own = sysctl("conf/\(iif)/accept_local") { facts.acceptLocal = all != 0 || own != 0 }
                // The reverse lookup fib_validate_source makes: the route to the source, from
                // the destination, with the mark; strict wants it through the input device.
                if let mode = facts.rpFilter, mode > 0, let source = flow.source, let inputIndex = lookup.inputInterface {
                    var back = RouteLookup(destination: source)
                    back.mark = flow.mark
                    back.tos = flow.tos
                    facts.reverseRoute = try? query.get(back)
                    if let route = facts.reverseRoute {
                        let devices = [route.outputInterface].compactMap { $0 } + route.nexthops.map(\.interfaceIndex)
                        facts.reversePathPasses = mode == 1 ? devices.contains(inputIndex) : route.type == RouteType.unicast
                    } else {
                        facts.reversePathPasses = false
                    }
                }
            }
        }
        return PathReport.build(facts)
    }

    /// What each table the rule walk consults gives, asking narrowly: the table the kernel's
    /// lookup ended in is answered by its fibmatch entry (the longest match of that table for
    /// this flow); any other table the walk reaches is dumped alone (strict checking filters
    /// the dump by table) and matched here; no table is said to hold nothing unless it was
    /// read. A full Internet table in main costs nothing when main is where the lookup ends.
    func tableAnswers(_ facts: PathFacts, query: RouteQuery) throws -> [UInt32: RuleWalk.TableAnswer] {
        let flow = PathReport.walkFlow(facts)
        let v4 = flow.family == .inet
        var answers: [UInt32: RuleWalk.TableAnswer] = [:]
        if let entry = facts.fibMatch, entry.type != RouteType.throw { answers[entry.table] = .route(entry) }
        // Table local (every local and broadcast address: thousands of entries on a busy host)
        // is consulted first by rule 0. When the kernel ended in another table with a route of
        // the kinds table main holds, local had nothing for this flow: it is marked as passed,
        // not read. A local or broadcast entry reported under main may be table local's own
        // (the merged lookup of PathReport.localMergedIntoMain): then it is read.
        if let resolved = facts.resolved, resolved.table != Route.localTable,
            !(v4 && resolved.table == Route.mainTable && Self.localKinds.contains(facts.fibMatch?.type ?? resolved.type))
        {
            answers[Route.localTable] = answers[Route.localTable] ?? .passed
        }
        var failure: Error?
        _ = RuleWalk.walk(rules: facts.rules, flow: flow, lookup: { table in
            if let known = answers[table] { return known }
            do {
                let routes = try query.routes(ipv4: v4, ipv6: !v4, table: table)
                let answer = TableLookup.lookup(routes, table: table, flow: flow)
                answers[table] = answer
                return answer
            } catch {
                failure = error
                return .none
            }
        }, interfaceGroup: { index in facts.interfaces.first { $0.index == index }?.group })
        if let failure { throw failure }
        return answers
    }

    /// The sockets a local packet to `port` reaches: with --sport and --from, the established
    /// socket of that exact 4-tuple; else the listening (TCP) or bound (UDP) sockets on the
    /// port whose address is the destination, or the wildcard when none is (the kernel
    /// prefers the specific bind), honouring IPV6_V6ONLY; a SO_REUSEPORT group is all of it.
    func receivers(_ flow: PacketFlow, port: UInt16, processes: Bool) throws -> ([Socket], Bool) {
        let udp = flow.ipProto == 17
        let proto: SocketProtocol = udp ? .udp : .tcp
        let socketQuery = SocketQuery(sources: sources, proc: proc)
        var exact: [Socket] = []
        if let sourcePort = flow.sourcePort, let source = flow.source {
            var request = SocketRequest(protocols: [proto], states: udp ? .all : .connected)
            request.filter = .port(.source, .equal, port)
            _ = try socketQuery.run(request) { socket in
                if socket.local.address == flow.destination && socket.peer.address == source && socket.peer.port == sourcePort {
                    exact.append(socket)
                }
            }
        }
        var chosen = exact
        if chosen.isEmpty {
            var request = SocketRequest(protocols: [proto], states: udp ? SocketStateSet([.close, .established]) : SocketStateSet([.listen]))
            request.filter = .port(.source, .equal, port)
            var candidates: [Socket] = []
            _ = try socketQuery.run(request) { socket in
                if udp && socket.state == .established { return }
                candidates.append(socket)
            }
            let v4 = flow.family == .inet
            let eligible = candidates.filter { socket in
                if socket.family == flow.family { return true }
                // An IPv6 wildcard socket without IPV6_V6ONLY also takes IPv4.
                return v4 && socket.family == .inet6 && socket.v6Only == false && socket.local.address?.isUnspecified == true
            }
            let specific = eligible.filter { $0.local.address == flow.destination }
            chosen = specific.isEmpty ? eligible.filter { $0.local.address?.isUnspecified != false } : specific
            // Same family before the dual-stack wildcard.
            if chosen.contains(where: { $0.family == flow.family }) { chosen = chosen.filter { $0.family == flow.family } }
        }
        if processes && !chosen.isEmpty {
            let owners = ProcessScanner(root: proc).scan(inodes: Set(chosen.map(\.inode))).owners
            for index in chosen.indices { chosen[index].owners = owners[chosen[index].inode] ?? [] }
        }
        return (chosen, !exact.isEmpty)
    }
}
