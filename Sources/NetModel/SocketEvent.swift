/// One event of `netscope watch sockets`: a socket seen for the first time, a state change,
/// a close announced by the kernel, or notifications the kernel could not deliver.
public struct SocketEvent: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Present at the start (--initial).
        case initial
        /// First seen in a dump.
        case opened
        /// Seen in another state than in the previous dump.
        case state
        /// Announced by the sock_diag destroy groups, with the final tcp_info.
        case closed
        /// Destroy notifications the kernel dropped (the receive buffer was full).
        case lost
    }

    public var kind: Kind
    /// The socket as the kernel described it (nil for `lost`). For `closed`, the kernel's
    /// final description: state CLOSE for TCP, no inode; `lastState` says what it was before.
    public var socket: Socket?
    /// `state`: the state in the previous dump. `closed`: the state it had when netscope
    /// last saw it (nil when it lived and died between two dumps).
    public var lastState: SocketState?
    /// `closed`: how long the socket lived, as far as the dumps bound it (nil: nothing known).
    public var lifetime: Lifetime?
    /// `lost`: how many notifications the kernel dropped (nil: an unknown number).
    public var lost: UInt64?

    public init(kind: Kind, socket: Socket?, lastState: SocketState? = nil, lifetime: Lifetime? = nil, lost: UInt64? = nil) {
        self.kind = kind
        self.socket = socket
        self.lastState = lastState
        self.lifetime = lifetime
        self.lost = lost
    }

    /// The kernel's socket cookie: the identity shared by dumps and destroy notifications.
    public var id: UInt64? { socket?.cookie }
}

/// How long a closed socket lived, bounded by what netscope observed: the close is timed as
/// its notification arrives, the start only to within the dumps around it. A socket first seen
/// by dump k was not there at dump k-1 (it opened between them); one no dump saw opened after
/// the last dump; one present at the first dump opened at an unknown earlier time. Nothing
/// finer is claimed: the kernel's close notification carries no start time.
public struct Lifetime: Sendable, Equatable {
    /// Seconds it lived at least (from the first dump that saw it; 0 when none did).
    public var atLeast: Double
    /// Seconds it lived at most (from the dump before it was first seen); nil: no bound.
    public var atMost: Double?

    public init(atLeast: Double, atMost: Double?) {
        self.atLeast = atLeast
        self.atMost = atMost
    }
}

/// Which end of a TCP connection a socket is, and the port that names the service: the
/// local port of a connection accepted from a listener, the peer port of one opened from here.
public enum ConnectionSide: String, Sendable, CaseIterable {
    case server, client

    /// The side and service port of a connected socket: server when its local port is a
    /// listening port of this namespace, client when the peer's is; otherwise by the
    /// ephemeral range (ip_local_port_range), whose ports the kernel gives connecting
    /// sockets: the end with the ephemeral port is the client. nil for sockets with no peer
    /// (listeners, unconnected UDP).
    public static func classify(_ socket: Socket, listeningPorts: Set<UInt16>, ephemeral: ClosedRange<UInt16>) -> (side: ConnectionSide, port: UInt16)? {
        let local = socket.local.port, peer = socket.peer.port
        guard peer != 0 else { return nil }
        if listeningPorts.contains(local) { return (.server, local) }
        if listeningPorts.contains(peer) { return (.client, peer) }
        if ephemeral.contains(peer) && !ephemeral.contains(local) { return (.server, local) }
        return (.client, peer)
    }

    /// Linux's default net.ipv4.ip_local_port_range.
    public static let defaultEphemeralPorts: ClosedRange<UInt16> = 32768...60999
}

/// What `watch sockets` prints when it ends: events by kind and by service port, and loss.
public struct SocketEventTally: Sendable {
    public private(set) var byKind: [SocketEvent.Kind: UInt64] = [:]
    /// Closed connections by (side, service port); listeners and unconnected sockets under
    /// their local port with no side.
    public private(set) var closedByPort: [PortKey: UInt64] = [:]
    /// Notifications the kernel reported dropped.
    public private(set) var lost: UInt64 = 0
    /// Overflows whose loss the kernel could not count.
    public private(set) var unknownLosses = 0

    public struct PortKey: Hashable, Sendable, Comparable {
        public var proto: SocketProtocol
        public var side: ConnectionSide?
        public var port: UInt16
        public init(proto: SocketProtocol, side: ConnectionSide?, port: UInt16) {
            self.proto = proto
            self.side = side
            self.port = port
        }
        public static func < (a: PortKey, b: PortKey) -> Bool {
            (a.proto.rawValue, a.port, a.side?.rawValue ?? "") < (b.proto.rawValue, b.port, b.side?.rawValue ?? "")
        }
    }

    public init() {}

    public mutating func add(_ event: SocketEvent, listeningPorts: Set<UInt16>, ephemeral: ClosedRange<UInt16>) {
        byKind[event.kind, default: 0] += 1
        switch event.kind {
        case .lost:
            if let count = event.lost { lost += count } else { unknownLosses += 1 }
        case .closed:
            guard let socket = event.socket else { return }
            let key: PortKey
            if let (side, port) = ConnectionSide.classify(socket, listeningPorts: listeningPorts, ephemeral: ephemeral) {
                key = PortKey(proto: socket.proto, side: side, port: port)
            } else {
                key = PortKey(proto: socket.proto, side: nil, port: socket.local.port)
            }
            closedByPort[key, default: 0] += 1
        default: break
        }
    }
}
