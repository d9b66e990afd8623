import NetModel
import Netlink
import ProcNet
#if canImport(Glibc)
import Glibc
#endif

/// `netscope drops`: every drop and error counter of the namespace, from every layer's own
/// source, with its layer and meaning (DropCatalog). Zeros are kept: the caller decides.
package struct DropCollection {
    package var sources: SourceOptions
    package var proc: ProcRoot
    /// At most this many sockets with drops (the most first).
    package var socketLimit = 10
    /// The owning process of each of those sockets.
    package var processes = false
    /// Whether to ask sock_diag for sockets that dropped (the overview leaves them to the
    /// protocol counters) and the drivers for their own counters.
    package var includeSockets = true
    package var includeDriver = true

    package init(sources: SourceOptions, proc: ProcRoot) {
        self.sources = sources
        self.proc = proc
    }

    package struct Result {
        package var counters: [DropCounter] = []
        /// Sources that could not be read, one line each (the rest is still reported).
        package var notes: [String] = []
        /// Sources that failed (read or parse), each with its error: the others are kept.
        package var failures: [(source: String, error: Error)] = []
        /// Sources read.
        package var succeeded = 0
        package var deniedProcesses = 0
        /// Packets through each layer (totals since boot), for `drops --stack`.
        package var throughput = DropThroughput()
    }

    /// Reads every source; what the caller has already read this moment (the overview's
    /// links, protocol counters and softnet rows) is passed in instead of read again.
    package func collect(
        connection given: NetlinkConnection? = nil, links givenLinks: [Interface]? = nil,
        protocols givenProtocols: [ProtocolCounter]? = nil, softnet givenSoftnet: [SoftnetStatistics]? = nil
    ) throws -> Result {
        var result = Result()
        // Each source on its own: one that cannot be read or parsed is named in `failures`
        // and the others are still reported, as `metrics` keeps its other collectors.
        func attempt<T>(_ source: String, _ body: () throws -> T) -> T? {
            do {
                let value = try body()
                result.succeeded += 1
                return value
            } catch {
                result.failures.append((source, error))
                return nil
            }
        }
        let connection = try given ?? sources.connection(.route)
        let links = givenLinks ?? attempt("links (RTM_GETLINK)") { try LinkQuery(connection: connection).interfaces(filter: [.virtualFunctions]) } ?? []
        let names = InterfaceNames(links)
        var counters: [DropCounter] = []

        // socket: the sockets that dropped, most first.
        if includeSockets { counters += attempt("sockets (sock_diag)") { try socketDrops(&result) } ?? [] }

        // tcp/udp and ip: the SNMP MIB and the kernel's extensions (nstat's names).
        let protocols = givenProtocols ?? ProcQuery.protocolFiles.flatMap { file in
            attempt("/proc/\(file)") { try ProcQuery(root: proc).protocolCounters(file) } ?? []
        }
        func sum(_ names: [String]) -> UInt64 { protocols.filter { names.contains($0.nstatName) }.reduce(0) { $0 &+ $1.raw } }
        result.throughput.set(.transport, receive: sum(["TcpInSegs", "UdpInDatagrams", "Udp6InDatagrams"]),
                              transmit: sum(["TcpOutSegs", "UdpOutDatagrams", "Udp6OutDatagrams"]))
        result.throughput.set(.ip, receive: sum(["IpInReceives", "Ip6InReceives"]), transmit: sum(["IpOutRequests", "Ip6OutRequests"]))
        for counter in protocols where !counter.signed {
            let name = counter.nstatName
            if let known = DropCatalog.protocols[name] {
                counters.append(DropCounter(layer: known.layer, path: known.path, object: counter.group, counter: name, value: counter.raw, meaning: known.meaning))
            } else if DropCatalog.isDropLike(counter.field) {
                counters.append(DropCounter(
                    layer: DropCatalog.layer(ofGroup: counter.group), path: .both, object: counter.group, counter: name, value: counter.raw,
                    meaning: "a \(counter.group) drop or error counter (nstat)"))
            }
        }

        // conntrack, neighbour tables.
        let procQuery = ProcQuery(root: proc)
        if let table = attempt("/proc/net/stat/nf_conntrack", { try procQuery.statTable("nf_conntrack") }) ?? nil {
            for (name, value) in table {
                if let meaning = DropCatalog.conntrack[name] {
                    counters.append(DropCounter(layer: .netfilter, path: .both, object: "nf_conntrack", counter: name, value: value, meaning: meaning))
                }
            }
        }
        // The neighbour tables (RTM_GETNEIGHTBL, as `ip -s ntable`); unresolved_discards is
        // only in /proc/net/stat/<table>, which exists in the initial namespace alone.
        for table in attempt("neighbour tables (RTM_GETNEIGHTBL)", { try NeighborTableQuery(connection: connection).tables() }) ?? [] {
            var values = table.statistics
            if let file = attempt("/proc/net/stat/\(table.name)", { try procQuery.statTable(table.name) }) ?? nil, let discards = file.first(where: { $0.name == "unresolved_discards" }) {
                values.insert(discards, at: 0)
            }
            for (name, value) in values {
                if let meaning = DropCatalog.neighbour[name] {
                    counters.append(DropCounter(
                        layer: .neighbour, path: .transmit, object: table.name, counter: name, value: value, meaning: meaning + " (host-wide)"))
                }
            }
        }

        // backlog: softnet, per CPU.
        let softnet = givenSoftnet ?? attempt("/proc/net/softnet_stat") { try procQuery.softnet() } ?? []
        result.throughput.set(.backlog, receive: softnet.reduce(0) { $0 &+ UInt64($1.processed) }, transmit: nil)
        for cpu in softnet {
            for entry in DropCatalog.softnet {
                counters.append(DropCounter(
                    layer: .backlog, path: .receive, object: "cpu\(cpu.cpu)", counter: entry.counter, value: UInt64(cpu[keyPath: entry.value]),
                    meaning: entry.meaning))
            }
        }

        // qdisc: every qdisc, and the classes of classful ones.
        let tc = TrafficControlQuery(connection: connection)
        let qdiscs = attempt("qdiscs (RTM_GETQDISC)") { try tc.qdiscs() } ?? []
        let classfulDevices = Set(qdiscs.filter { TrafficControlQuery.classful.contains($0.kind) }.map(\.interfaceIndex))
        let classes = attempt("classes (RTM_GETTCLASS)") { try tc.classes(interfaces: links.map(\.index).filter(classfulDevices.contains)) } ?? []
        result.throughput.set(.qdisc, receive: nil, transmit: qdiscs.filter(\.isRoot).reduce(0) { $0 &+ $1.statistics.packets })
        for object in qdiscs + classes {
            let label = "\(names[object.interfaceIndex]) \(object.role == .qdisc ? "qdisc" : "class") \(object.kind) \(object.handleName)"
            let stats = object.statistics
            let values: [String: UInt64] = [
                "drops": UInt64(stats.drops), "overlimits": UInt64(stats.overlimits), "requeues": UInt64(stats.requeues),
                "backlog": UInt64(stats.backlog),
            ]
            for entry in DropCatalog.qdisc {
                let shaping = entry.counter == "overlimits" && DropCatalog.shapers.contains(object.kind)
                counters.append(DropCounter(
                    layer: .qdisc, path: .transmit, object: label, counter: entry.counter, value: values[entry.counter] ?? 0,
                    meaning: shaping ? DropCatalog.shapingOverlimits : entry.meaning, isGauge: entry.counter == "backlog"))
            }
        }

        // The driver's standard statistics (ethtool netlink), for the drop-like ones.
        var standard: [Int32: EthtoolStatistics] = [:]
        if includeDriver && sources.replayFile == nil {
            do {
                for device in try EthtoolStandardQuery(sources: sources).statistics() ?? [] { standard[device.interfaceIndex] = device }
            } catch let error as NetlinkError where error.kind == .kernel && error.errno == EPERM {
                result.notes.append("ethtool standard statistics need CAP_NET_ADMIN here; left out")
            } catch {
                result.notes.append("ethtool standard statistics: \(error)")
            }
        }

        // device and driver, per interface.
        let statistics = links.compactMap(\.statistics)
        result.throughput.set(.device, receive: statistics.reduce(0) { $0 &+ $1.rxPackets }, transmit: statistics.reduce(0) { $0 &+ $1.txPackets })
        let ethtool = EthtoolQuery()
        for link in links {
            if let stats = link.statistics {
                for entry in DropCatalog.device {
                    counters.append(DropCounter(
                        layer: .device, path: entry.path, object: link.name, counter: entry.counter, value: stats[keyPath: entry.value],
                        meaning: entry.meaning))
                }
            }
            // A replayed capture has no driver to ask (ethtool is an ioctl, not netlink).
            let driver = sources.replayFile == nil && includeDriver ? ethtool.driverStatistics(interface: link.name) : nil
            for group in standard[link.index]?.groups ?? [] {
                for statistic in group.values {
                    guard let known = EthtoolStatistics.dropMeanings[statistic.name] else { continue }
                    counters.append(DropCounter(
                        layer: .driver, path: known.path, object: link.name, counter: "\(group.name)-\(statistic.name)", value: statistic.value,
                        meaning: known.meaning + " (ethtool standard statistics)"))
                }
            }
            for (name, value) in driver ?? [] {
                guard let meaning = DropCatalog.driverMeaning(name) else { continue }
                let lower = name.lowercased()
                let path: DropPath = lower.hasPrefix("rx") || lower.contains("_rx") ? .receive : lower.hasPrefix("tx") || lower.contains("_tx") ? .transmit : .both
                counters.append(DropCounter(layer: .driver, path: path, object: link.name, counter: name, value: value, meaning: meaning))
            }
        }
        // Stable order: by layer, each source in its own order.
        result.counters = counters.enumerated().sorted { ($0.element.layer, $0.offset) < ($1.element.layer, $1.offset) }.map(\.element)
        return result
    }

    /// TCP, UDP and raw sockets whose SK_MEMINFO_DROPS is not zero, most first.
    func socketDrops(_ result: inout Result) throws -> [DropCounter] {
        var request = SocketRequest(protocols: [.tcp, .udp, .raw], states: .all)
        request.memory = true
        var dropping: [Socket] = []
        // Notes (a family read from /proc) matter to `sockets`, not to a drop count.
        _ = try SocketQuery(sources: sources, proc: proc).run(request) { socket in
            if let drops = socket.memory?.drops, drops > 0 { dropping.append(socket) }
        }
        dropping.sort { ($0.memory?.drops ?? 0) > ($1.memory?.drops ?? 0) }
        dropping = Array(dropping.prefix(socketLimit))
        var owners = SocketOwnerMap()
        if processes, !dropping.isEmpty {
            let scan = ProcessScanner(root: proc).scan(inodes: Set(dropping.map(\.inode)))
            owners = scan.owners
            result.deniedProcesses = scan.deniedProcesses
        }
        return dropping.map { socket in
            var object = "\(socket.proto.netid) \(StackCollector.endpointText(socket, socket.local))"
            if let owner = owners[socket.inode]?.first { object += " \(owner.command)[\(owner.pid)]" }
            let listener = socket.proto == .tcp && socket.state == .listen
            return DropCounter(
                layer: .socket, path: .receive, object: object, counter: "drops", value: UInt64(socket.memory?.drops ?? 0),
                meaning: listener ? DropCatalog.listenerDrops : DropCatalog.socketDrops)
        }
    }
}
