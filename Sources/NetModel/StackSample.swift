
/// What `overview` and `top` read from one namespace at one moment: interfaces with their
/// counters, addresses, route and rule counts, socket counts, listeners, per-connection
/// byte totals, protocol counters and softnet. Routes and sockets are counted as they stream
/// past; only listeners and connection totals are kept.
public struct StackSample: Sendable {
    /// Monotonic seconds when the sample was taken.
    public var time: Double = 0
    public var interfaces: [Interface] = []
    public var addresses: [InterfaceAddress] = []
    /// Default routes of every table, both families.
    public var defaultRoutes: [Route] = []
    public var routeCounts: [RouteCount] = []
    public var ruleCount = (ipv4: 0, ipv6: 0)
    public var neighborCount = 0
    public var socketCounts: [SocketCount] = []
    public var listeners: [Listener] = []
    public var connections: [Connection] = []
    public var protocolCounters: [ProtocolCounter] = []
    public var softnet: [SoftnetStatistics] = []
    /// The drop and error counters of every layer (`netscope drops`, without the per-socket
    /// rows), for the overview's DROPS section.
    public var drops: [DropCounter] = []
    /// What could not be read (a missing /proc file).
    public var notes: [String] = []
    /// How sockets were read: families the kernel cannot dump over sock_diag (read from /proc
    /// instead, or not at all).
    public var socketNotes: [String] = []

    public init() {}

    public struct RouteCount: Sendable, Hashable {
        public var family: AddressFamily
        public var table: UInt32
        public var count: Int
        public init(family: AddressFamily, table: UInt32, count: Int) {
            self.family = family
            self.table = table
            self.count = count
        }
    }

    public struct SocketCount: Sendable, Hashable {
        public var proto: SocketProtocol
        public var state: SocketState
        public var count: Int
        public init(proto: SocketProtocol, state: SocketState, count: Int) {
            self.proto = proto
            self.state = state
            self.count = count
        }
    }

    /// A listening TCP socket: for a listener, sock_diag's receive queue is the accept queue
    /// (connections waiting for accept()) and its send queue the backlog limit.
    public struct Listener: Sendable, Hashable {
        public var local: String
        public var port: UInt16
        public var acceptQueue: UInt32
        public var backlog: UInt32
        public init(local: String, port: UInt16, acceptQueue: UInt32, backlog: UInt32) {
            self.local = local
            self.port = port
            self.acceptQueue = acceptQueue
            self.backlog = backlog
        }
    }

    /// A TCP connection's byte totals from tcp_info (bytes_acked + bytes_received), keyed by
    /// its socket cookie so a later sample can tell how much moved in between.
    public struct Connection: Sendable, Hashable {
        public var cookie: UInt64
        public var local: String
        public var peer: String
        public var bytesSent: UInt64
        public var bytesReceived: UInt64
        public init(cookie: UInt64, local: String, peer: String, bytesSent: UInt64, bytesReceived: UInt64) {
            self.cookie = cookie
            self.local = local
            self.peer = peer
            self.bytesSent = bytesSent
            self.bytesReceived = bytesReceived
        }
    }
}
