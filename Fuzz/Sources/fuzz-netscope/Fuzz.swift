import Glibc
import MetricsServer
import NIOCore
import NIOEmbedded
import EthtoolNetlink
import Netlink
import ProcNet
import RouteNetlink
import SockDiag
import NetOutput
import NetModel

/// One libFuzzer binary, one target per parser that reads untrusted bytes, chosen by
/// NETSCOPE_FUZZ_TARGET so that each target gets its own corpus, coverage and time budget
/// (`make fuzz` runs them one after another, `Fuzz/run.sh` runs one). Every input must end in
/// a value or a thrown error: a crash, a trap, a leak or a sanitizer report is a bug.
enum Target: String, CaseIterable {
    case attr, link, addr, route, rule, neigh, tc, ntable, ethtool, inet, tcpinfo, unix, packet
    case snmp, snmp6, sockstat, dev, softnet, stattable, procsockets, namespaces, filter, json, http
}

/// Read once; a misspelt name stops the run before the first input instead of fuzzing nothing.
let target: Target = {
    guard let name = getenv("NETSCOPE_FUZZ_TARGET").map({ String(cString: $0) }), let target = Target(rawValue: name) else {
        fatalError("set NETSCOPE_FUZZ_TARGET to one of: \(Target.allCases.map(\.rawValue).joined(separator: " "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    switch target {
    case .attr: walkAttributes(input, depth: 0)
    case .link, .addr, .route, .rule, .neigh, .tc, .ntable, .ethtool, .inet, .unix, .packet: decodeDatagram(input)
    case .tcpinfo: _ = TCPInfoDecoder.decode(input)
    case .snmp: _ = try? SNMPParser.parse(text(input))
    case .snmp6: _ = try? SNMP6Parser.parse(text(input))
    case .sockstat: _ = try? SockstatParser.parse(text(input))
    case .dev: _ = try? DevParser.parse(text(input))
    case .softnet: _ = try? SoftnetParser.parse(text(input))
    case .stattable: _ = try? StatTableParser.parse(text(input), file: "/proc/net/stat/fuzz")
    case .procsockets:
        _ = try? SocketTableParser.parseInet(text(input), file: "/proc/net/tcp")
        _ = try? SocketTableParser.parseUnix(text(input))
    case .namespaces:
        // Namespace discovery's inputs: mountinfo, a cgroup file, and each cgroup path
        // classified as a container.
        _ = try? MountInfoParser.networkNamespaces(text(input), file: "mountinfo")
        for path in (try? CgroupFileParser.paths(text(input), file: "cgroup")) ?? [] {
            _ = ContainerRef.classify(cgroupPath: Substring(path))
        }
        _ = ContainerRef.classify(cgroupPath: Substring(text(input)))
    case .filter:
        // Parsed as the words of a command line, then compiled to kernel bytecode.
        if case .some(.some(let filter)) = try? FilterParser.parse(text(input).split(separator: " ").map(String.init)) {
            _ = try? FilterCompiler.compile(filter)
        }
    case .json: _ = try? JSONParser.parse(Array(input))
    case .http: serveHTTP(input)
    }
    return 0
}

private func text(_ input: UnsafeRawBufferPointer) -> String { String(decoding: input, as: UTF8.self) }

/// A run of attributes, descending into every payload as if it were nested (the decoders do
/// that for the types they know) and calling every typed getter.
private func walkAttributes(_ bytes: UnsafeRawBufferPointer, depth: Int) {
    var cursor = AttributeCursor(bytes)
    while case .some(.some(let attribute)) = try? cursor.next() {
        _ = try? attribute.uint8()
        _ = try? attribute.uint16()
        _ = try? attribute.uint32()
        _ = try? attribute.int32()
        _ = try? attribute.uint64()
        _ = attribute.string()
        _ = try? attribute.bytes(exactly: 16)
        _ = attribute.lengthTolerant(UInt64.self, zero: 0)
        if depth < 8 { walkAttributes(attribute.payload, depth: depth + 1) }
    }
}

/// One receive buffer's worth of netlink messages, through the message walk into the decoder
/// of the selected target.
private func decodeDatagram(_ input: UnsafeRawBufferPointer) {
    _ = try? Netlink.forEachMessage(in: input, operation: "fuzz") { message in
        switch target {
        case .link: _ = try? LinkDecoder.decode(message, details: true)
        case .addr: _ = try? AddressDecoder.decode(message)
        case .route: _ = try? RouteDecoder.decode(message)
        case .rule: _ = try? RuleDecoder.decode(message)
        case .neigh: _ = try? NeighborDecoder.decode(message)
        case .tc: _ = try? TrafficControlDecoder.decode(message)
        case .ntable: _ = try? NeighborTableDecoder.decode(message)
        case .ethtool:
            _ = try? EthtoolStats.decode(message)
            _ = try? GenericNetlink.familyID(message)
        case .inet:
            _ = try? SockDiagDecoder.inet(message, proto: .tcp)
            _ = try? SockDiagDecoder.tcpInfoSample(message)
            _ = try? SockDiagDecoder.inetStateAndPort(message)
            // Destroy notifications (watch sockets) and the in-place read of the dump diff.
            _ = try? SockDiagDecoder.destroyed(message)
            _ = try? SockDiagDecoder.inetCookieStateAndPort(message)
        case .unix: _ = try? SockDiagDecoder.unix(message)
        default:
            _ = try? SockDiagDecoder.packet(message)
            _ = try? SockDiagDecoder.netlink(message)
        }
        return true
    }
}

/// The bytes a client sends to `netscope serve`, through the same pipeline the server builds
/// for a connection (NIO's HTTP/1.1 parser, limits, routing, format negotiation, gzip), with
/// a fixed scrape body in place of collection. The first byte splits the rest into two reads,
/// so requests cut at any point are parsed incrementally.
private func serveHTTP(_ input: UnsafeRawBufferPointer) {
    guard let split = input.first else { return }
    let request = UnsafeRawBufferPointer(rebasing: input.dropFirst())
    let channel = EmbeddedChannel()
    let body = Array("# TYPE netscope_up gauge\nnetscope_up 1\n".utf8)
    do {
        try MetricsHTTPServer.configureConnection(channel.pipeline.syncOperations, limits: ServerLimits(), version: "fuzz") {
            _, eventLoop in eventLoop.makeSucceededFuture(body)
        }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 29100)).wait()
    } catch {
        fatalError("setting up the connection: \(error)")
    }
    let cut = min(Int(split), request.count)
    for part in [request[..<cut], request[cut...]] where channel.isActive {
        _ = try? channel.writeInbound(channel.allocator.buffer(bytes: part))
        channel.embeddedEventLoop.run()
        while case .some(.some) = try? channel.readOutbound(as: IOData.self) {}
    }
    _ = try? channel.finish(acceptAlreadyClosed: true)
}
