import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#endif
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NetMetrics

/// Limits that keep `netscope serve` answering whatever clients do.
public struct ServerLimits: Sendable {
    /// Connections open at once; while at the limit no more are accepted (they wait in the
    /// kernel's listen backlog).
    public var maxConnections = 32
    /// A request head (request line and headers) larger than this gets 431.
    public var maxHeaderBytes = 8192
    public var maxHeaderCount = 64
    /// Request bodies (a scrape has none) larger than this get 413.
    public var maxBodyBytes = 1024
    /// A client must send a whole request within this time (slow clients are cut off).
    public var requestTimeout: TimeAmount = .seconds(10)
    /// Keep-alive connections idle this long are closed.
    public var idleTimeout: TimeAmount = .seconds(30)

    public init() {}
}

/// The metrics HTTP server: GET /metrics collects now (no cache) and answers in the format
/// the client's Accept header asks for, gzip-compressed when Accept-Encoding allows; GET /
/// is a small landing page. Collection runs on one thread of its own, so scrapes queue
/// instead of competing, and that thread can live in another network namespace than the
/// listening socket.
public final class MetricsHTTPServer {
    public typealias Collect = @Sendable (MetricsFormat) throws -> [UInt8]

    let group: MultiThreadedEventLoopGroup
    let collector: NIOThreadPool
    let limits: ServerLimits
    let collect: Collect
    let version: String
    let connections = ConnectionCounter()
    var channel: Channel?

    /// - Parameter prepare: runs once on the collection thread before any scrape (entering a
    ///   namespace); an error there is reported by `start`.
    public init(limits: ServerLimits, version: String, prepare: @escaping @Sendable () throws -> Void, collect: @escaping Collect) throws {
        self.limits = limits
        self.collect = collect
        self.version = version
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        collector = NIOThreadPool(numberOfThreads: 1)
        collector.start()
        try collector.runIfActive(eventLoop: group.next(), prepare).wait()
    }

    /// Binds and starts serving; returns the address actually bound (port 0 picks one).
    /// Why a listen failed, in words ("address already in use"), not NIO's
    /// "bind(descriptor:ptr:bytes:): Address already in use (errno: 98)".
    public static func reason(_ error: Error) -> String {
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode)).lowercased()
        }
        return "\(error)"
    }

    public func start(host: String, port: Int) throws -> SocketAddress {
        let limits = self.limits
        let connections = self.connections
        let collector = self.collector
        let collect = self.collect
        let version = self.version
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                // At the limit the server stops accepting: further clients wait in the kernel's
                // listen backlog (256) instead of being refused, and are taken when one closes.
                let server = channel.parent
                if connections.open() >= limits.maxConnections {
                    server?.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
                }
                channel.closeFuture.whenComplete { _ in
                    if connections.close() == limits.maxConnections - 1 {
                        server?.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                        server?.read()
                    }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try MetricsHTTPServer.configureConnection(channel.pipeline.syncOperations, limits: limits, version: version) {
                        format, eventLoop in collector.runIfActive(eventLoop: eventLoop) { try collect(format) }
                    }
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 4)
        let channel = try bootstrap.bind(host: host, port: port).wait()
        self.channel = channel
        return channel.localAddress!
    }

    /// Produces a scrape's body on the given event loop's terms; the server runs `collect`
    /// on its collection thread, the fuzz target answers at once.
    public typealias Scrape = (MetricsFormat, EventLoop) -> EventLoopFuture<[UInt8]>

    /// Sets up one accepted connection: NIO's HTTP/1.1 codec, the idle timeout, gzip and the
    /// request handler. Shared by the server and the HTTP fuzz target, so what is fuzzed is
    /// exactly what serves.
    public static func configureConnection(
        _ pipeline: ChannelPipeline.SynchronousOperations, limits: ServerLimits, version: String, scrape: @escaping Scrape
    ) throws {
        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
        try pipeline.addHandlers([
            IdleStateHandler(readTimeout: limits.idleTimeout),
            HTTPResponseCompressor(),
            MetricsHandler(limits: limits, scrape: scrape, version: version),
        ])
    }

    public func stop() {
        try? channel?.close().wait()
        try? collector.syncShutdownGracefully()
        try? group.syncShutdownGracefully()
    }
}

/// Open connections, shared by the accepting code and every connection's close.
final class ConnectionCounter: @unchecked Sendable {
    private let lock = NIOLock()
    private var count = 0

    /// Counts a new connection; returns how many are open now.
    func open() -> Int { lock.withLock { count += 1; return count } }

    /// Counts a closed connection; returns how many are open now.
    func close() -> Int { lock.withLock { count -= 1; return count } }
}

/// One connection's requests.
final class MetricsHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let limits: ServerLimits
    let scrape: MetricsHTTPServer.Scrape
    let version: String
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var rejected = false
    private var deadline: Scheduled<Void>?
    private var busy = false
    private var closeAtEnd = false

    init(limits: ServerLimits, scrape: @escaping MetricsHTTPServer.Scrape, version: String) {
        self.limits = limits
        self.scrape = scrape
        self.version = version
    }

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadline?.cancel() }

    /// A client that has not sent a whole request in time (slow loris) is disconnected.
    private func armDeadline(context: ChannelHandlerContext) {
        deadline?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: limits.requestTimeout) {
            loopBound.value.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent, !busy {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            bodyBytes = 0
            rejected = false
            let size = request.uri.utf8.count + request.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
            if request.headers.count > limits.maxHeaderCount || size > limits.maxHeaderBytes {
                rejected = true
                respond(context: context, status: .requestHeaderFieldsTooLarge, text: "request headers too large\n", close: true)
            }
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
            if bodyBytes > limits.maxBodyBytes && !rejected {
                // Answered now, closed at the end of the body: closing with unread data would
                // reset the connection and the client might never see the answer.
                rejected = true
                respond(context: context, status: .payloadTooLarge, text: "request body too large\n", close: false, closeAfter: true)
            }
        case .end:
            if rejected && closeAtEnd { context.close(promise: nil); return }
            guard let request = head, !rejected else { return }
            head = nil
            deadline?.cancel()
            route(context: context, request: request)
        }
    }

    private func route(context: ChannelHandlerContext, request: HTTPRequestHead) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        guard request.method == .GET || request.method == .HEAD else {
            respond(context: context, status: .methodNotAllowed, text: "only GET and HEAD\n", close: !request.isKeepAlive, extra: [("Allow", "GET, HEAD")])
            return
        }
        switch path {
        case "/metrics":
            let accept = request.headers[canonicalForm: "accept"].joined(separator: ",")
            let format: MetricsFormat = accept.contains("application/openmetrics-text") ? .openMetrics : .prometheus
            busy = true
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            scrape(format, context.eventLoop).whenComplete { result in
                let (handler, context) = loopBound.value
                handler.busy = false
                switch result {
                case .success(let bytes):
                    handler.respond(
                        context: context, status: .ok, body: bytes, contentType: format.contentType,
                        close: !request.isKeepAlive, headOnly: request.method == .HEAD)
                case .failure(let error):
                    handler.respond(context: context, status: .internalServerError, text: "collecting failed: \(error)\n", close: true)
                }
            }
        case "/":
            let page = """
                <!DOCTYPE html>
                <html><head><title>netscope \(version)</title></head>
                <body><h1>netscope</h1><p>Live state of the Linux network stack as Prometheus metrics.</p>
                <p><a href="/metrics">/metrics</a> (text format 0.0.4, or OpenMetrics 1.0 when the Accept header asks for it)</p>
                </body></html>

                """
            respond(context: context, status: .ok, body: Array(page.utf8), contentType: "text/html; charset=utf-8",
                    close: !request.isKeepAlive, headOnly: request.method == .HEAD)
        default:
            respond(context: context, status: .notFound, text: "not found; metrics are at /metrics\n", close: !request.isKeepAlive)
        }
    }

    private func respond(
        context: ChannelHandlerContext, status: HTTPResponseStatus, text: String, close: Bool, closeAfter: Bool = false,
        extra: [(String, String)] = []
    ) {
        closeAtEnd = closeAfter
        respond(
            context: context, status: status, body: Array(text.utf8), contentType: "text/plain; charset=utf-8", close: close,
            extra: closeAfter ? extra + [("Connection", "close")] : extra)
    }

    private func respond(
        context: ChannelHandlerContext, status: HTTPResponseStatus, body: [UInt8], contentType: String, close: Bool,
        headOnly: Bool = false, extra: [(String, String)] = []
    ) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count))] + extra)
        if close { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !headOnly {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if close { loopBound.value.close(promise: nil) }
        }
        if !close { armDeadline(context: context) }
    }
}

/// A bound address as a person writes it: 127.0.0.1:29100, [::1]:29100.
public struct SocketAddressText {
    public let text: String
    public init(_ address: SocketAddress) {
        let ip = address.ipAddress ?? "?"
        let port = address.port ?? 0
        text = ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
