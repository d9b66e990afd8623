/// The layers of the stack in the order a packet meets them going down (send) or, read from
/// the bottom, coming up (receive): where `netscope drops` files each counter.
public enum DropLayer: Int, CaseIterable, Comparable, Sendable {
    case socket, transport, ip, netfilter, neighbour, backlog, qdisc, device, driver

    public static func < (a: DropLayer, b: DropLayer) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .socket: return "socket"
        case .transport: return "tcp/udp"
        case .ip: return "ip"
        case .netfilter: return "conntrack"
        case .neighbour: return "neighbour"
        case .backlog: return "backlog"
        case .qdisc: return "qdisc"
        case .device: return "device"
        case .driver: return "driver"
        }
    }
}

/// Which way the packets a counter counts were going.
public enum DropPath: Sendable, Equatable { case receive, transmit, both }

/// One drop or error counter, where it sits and what it means.
public struct DropCounter: Sendable, Equatable {
    public var layer: DropLayer
    public var path: DropPath
    /// The interface, qdisc, CPU, neighbour table, protocol or socket it belongs to.
    public var object: String
    /// Named as its source tool names it (nstat, ip -s -s, tc -s, ethtool -S, softnet_stat, …).
    public var counter: String
    public var value: UInt64
    public var meaning: String
    /// A level rather than a count (a qdisc's backlog): its delta is not a rate of drops.
    public var isGauge = false

    public init(layer: DropLayer, path: DropPath, object: String, counter: String, value: UInt64, meaning: String, isGauge: Bool = false) {
        self.layer = layer
        self.path = path
        self.object = object
        self.counter = counter
        self.value = value
        self.meaning = meaning
        self.isGauge = isGauge
    }

    /// What identifies the counter between two readings.
    public var key: String { "\(layer.rawValue)\u{1}\(object)\u{1}\(counter)" }
}

/// Which counters are drops or errors, and what each means.
public enum DropCatalog {
    /// rtnl_link_stats64 fields as `ip -s -s link` reads them.
    public static var device: [(counter: String, path: DropPath, value: KeyPath<LinkStatistics, UInt64>, meaning: String)] { [
        ("rx_dropped", .receive, \.rxDropped, "received but dropped by the device or the stack before a protocol took it (no memory, unknown protocol, a bridge/VLAN filter)"),
        ("rx_missed_errors", .receive, \.rxMissedErrors, "the NIC ran out of receive buffers: the host did not drain the ring in time"),
        ("rx_errors", .receive, \.rxErrors, "bad packets received (the sum of the receive error kinds)"),
        ("rx_over_errors", .receive, \.rxOverErrors, "receive ring overflow: packets arrived faster than the driver took them"),
        ("rx_crc_errors", .receive, \.rxCRCErrors, "frames with a bad checksum: a cable, optic or duplex problem"),
        ("rx_frame_errors", .receive, \.rxFrameErrors, "misaligned frames: a physical-layer problem"),
        ("rx_fifo_errors", .receive, \.rxFIFOErrors, "the NIC's receive FIFO overflowed"),
        ("rx_length_errors", .receive, \.rxLengthErrors, "frames of an invalid length"),
        ("rx_nohandler", .receive, \.rxNoHandler, "no protocol handler took the packet (e.g. received on an inactive bond slave)"),
        ("rx_otherhost_dropped", .receive, \.rxOtherhostDropped, "addressed to another host's MAC and dropped"),
        ("tx_dropped", .transmit, \.txDropped, "dropped on send by the device (no buffer, link down, a qdisc-less device busy)"),
        ("tx_errors", .transmit, \.txErrors, "send errors (the sum of the transmit error kinds)"),
        ("tx_aborted_errors", .transmit, \.txAbortedErrors, "transmissions aborted by the hardware"),
        ("tx_carrier_errors", .transmit, \.txCarrierErrors, "sent while the carrier was lost: the link flapped"),
        ("tx_fifo_errors", .transmit, \.txFIFOErrors, "the NIC's transmit FIFO ran empty (underrun)"),
        ("tx_heartbeat_errors", .transmit, \.txHeartbeatErrors, "SQE heartbeat errors (old Ethernet)"),
        ("tx_window_errors", .transmit, \.txWindowErrors, "late collisions: a duplex mismatch"),
        ("collisions", .transmit, \.collisions, "collisions on a half-duplex link"),
    ] }

    /// /proc/net/softnet_stat columns, per CPU.
    public static var softnet: [(counter: String, value: KeyPath<SoftnetStatistics, UInt32>, meaning: String)] { [
        ("dropped", \.dropped, "this CPU's input backlog was full (net.core.netdev_max_backlog): packet dropped"),
        ("time_squeeze", \.timeSqueeze, "receive processing ran out of budget with packets left (net.core.netdev_budget): not a drop yet, a sign the CPU cannot keep up"),
        ("flow_limit_count", \.flowLimitCount, "packets dropped by the per-flow backlog limit (flow_limit)"),
    ] }

    /// Qdisc and class statistics as `tc -s` names them.
    public static let qdisc: [(counter: String, meaning: String)] = [
        ("drops", "dropped by this queue: it was full (limit) or a shaper or policer discarded it"),
        ("overlimits", "packets over the configured rate: delayed (shaped) or, with a policer, dropped"),
        ("requeues", "handed back by the driver because the device queue was busy"),
        ("backlog", "bytes waiting in this queue now: a standing queue adds latency"),
    ]

    /// /proc/net/stat/{arp,ndisc}_cache columns and RTM_GETNEIGHTBL statistics (`ip -s ntable`).
    public static let neighbour: [String: String] = [
        "unresolved_discards": "packets dropped while waiting for ARP/ND to resolve the next hop (more than unres_qlen queued per neighbour)",
        "res_failed": "address resolutions that failed: no ARP/ND reply from the next hop",
        "table_fulls": "the neighbour table was full (gc_thresh3): new entries refused, their packets dropped",
        "forced_gc_runs": "forced garbage collections: the table is near gc_thresh3",
    ]

    /// /proc/net/stat/nf_conntrack columns.
    public static let conntrack: [String: String] = [
        "drop": "packets dropped because a new connection could not be tracked (the table was full and early drop found nothing to evict)",
        "early_drop": "tracked connections evicted to make room in a full table (nf_conntrack_max)",
        "insert_failed": "connections that could not be inserted: a race between CPUs (often UDP, e.g. DNS) or a clash",
        "invalid": "packets conntrack could not classify; a ruleset that drops INVALID drops them",
        "icmp_error": "ICMP errors that did not match a tracked connection",
    ]

    /// nstat names (group + field) of the IP, ICMP, TCP and UDP counters that count drops or
    /// errors, with their layer and meaning. Others whose names say Drop, Discard, Err or
    /// Overflow are taken too, with a generic meaning.
    public static let protocols: [String: (layer: DropLayer, path: DropPath, meaning: String)] = [
        "IpInHdrErrors": (.ip, .receive, "IPv4 packets with a bad header (checksum, version, TTL exceeded, options)"),
        "IpInAddrErrors": (.ip, .receive, "IPv4 packets to an address that is not this host's, not forwarded"),
        "IpInUnknownProtos": (.ip, .receive, "IPv4 packets for a protocol nothing handles"),
        "IpInDiscards": (.ip, .receive, "IPv4 packets dropped on receive for lack of resources"),
        "IpOutDiscards": (.ip, .transmit, "IPv4 packets dropped on send for lack of resources"),
        "IpOutNoRoutes": (.ip, .transmit, "IPv4 packets with no route to their destination (ENETUNREACH)"),
        "IpReasmFails": (.ip, .receive, "IPv4 fragments that could not be reassembled (timeout, memory, overlap)"),
        "IpReasmTimeout": (.ip, .receive, "IPv4 reassembly timed out: a fragment never arrived"),
        "IpFragFails": (.ip, .transmit, "IPv4 packets too big for the MTU that could not be fragmented (DF set)"),
        "IpExtInNoRoutes": (.ip, .receive, "received IPv4 packets with no route to forward them on"),
        "IpExtInTruncatedPkts": (.ip, .receive, "IPv4 packets shorter than their header says"),
        "IpExtInCsumErrors": (.ip, .receive, "IPv4 header checksum errors"),
        "Ip6InHdrErrors": (.ip, .receive, "IPv6 packets with a bad header (hop limit exceeded, bad version)"),
        "Ip6InAddrErrors": (.ip, .receive, "IPv6 packets to an address that is not this host's, not forwarded"),
        "Ip6InUnknownProtos": (.ip, .receive, "IPv6 packets for a next header nothing handles"),
        "Ip6InNoRoutes": (.ip, .receive, "received IPv6 packets with no route to forward them on"),
        "Ip6InTruncatedPkts": (.ip, .receive, "IPv6 packets shorter than their header says"),
        "Ip6InDiscards": (.ip, .receive, "IPv6 packets dropped on receive for lack of resources"),
        "Ip6InTooBigErrors": (.ip, .receive, "IPv6 packets too big for the outgoing link, not forwarded"),
        "Ip6OutDiscards": (.ip, .transmit, "IPv6 packets dropped on send for lack of resources"),
        "Ip6OutNoRoutes": (.ip, .transmit, "IPv6 packets with no route to their destination"),
        "Ip6ReasmFails": (.ip, .receive, "IPv6 fragments that could not be reassembled"),
        "Ip6FragFails": (.ip, .transmit, "IPv6 packets that could not be fragmented"),
        "IcmpInErrors": (.ip, .receive, "ICMP messages received with errors (bad checksum, length)"),
        "IcmpOutErrors": (.ip, .transmit, "ICMP messages not sent because of an error"),
        "IcmpInCsumErrors": (.ip, .receive, "ICMP checksum errors"),
        "Icmp6InErrors": (.ip, .receive, "ICMPv6 messages received with errors"),
        "Icmp6OutErrors": (.ip, .transmit, "ICMPv6 messages not sent because of an error"),
        "Icmp6InCsumErrors": (.ip, .receive, "ICMPv6 checksum errors"),
        "TcpExtIPReversePathFilter": (.ip, .receive, "dropped by rp_filter: the source is not reachable back through the interface it arrived on"),
        "UdpInErrors": (.transport, .receive, "UDP datagrams not delivered (checksum, buffer full, memory): includes UdpRcvbufErrors"),
        "UdpNoPorts": (.transport, .receive, "UDP datagrams to a port no socket is bound to: answered with ICMP port unreachable"),
        "UdpRcvbufErrors": (.transport, .receive, "receive queue of a UDP socket was full: the application reads too slowly or SO_RCVBUF is too small"),
        "UdpSndbufErrors": (.transport, .transmit, "UDP send buffer full: sendmsg failed"),
        "UdpInCsumErrors": (.transport, .receive, "UDP checksum errors"),
        "UdpMemErrors": (.transport, .receive, "UDP memory limit (net.ipv4.udp_mem) reached: datagram dropped"),
        "Udp6InErrors": (.transport, .receive, "UDP/IPv6 datagrams not delivered: includes Udp6RcvbufErrors"),
        "Udp6NoPorts": (.transport, .receive, "UDP/IPv6 datagrams to a port no socket is bound to"),
        "Udp6RcvbufErrors": (.transport, .receive, "receive queue of a UDP/IPv6 socket was full: the application reads too slowly or SO_RCVBUF is too small"),
        "Udp6SndbufErrors": (.transport, .transmit, "UDP/IPv6 send buffer full"),
        "Udp6InCsumErrors": (.transport, .receive, "UDP/IPv6 checksum errors"),
        "Udp6MemErrors": (.transport, .receive, "UDP memory limit reached for IPv6 datagrams"),
        "UdpLiteInErrors": (.transport, .receive, "UDP-Lite datagrams not delivered"),
        "UdpLiteNoPorts": (.transport, .receive, "UDP-Lite datagrams to a port no socket is bound to"),
        "UdpLiteRcvbufErrors": (.transport, .receive, "receive queue of a UDP-Lite socket was full"),
        "TcpInErrs": (.transport, .receive, "TCP segments received in error (bad checksum, bad length)"),
        "TcpInCsumErrors": (.transport, .receive, "TCP checksum errors"),
        "TcpAttemptFails": (.transport, .both, "connection attempts that failed (SYN-SENT/SYN-RECV reset or timed out)"),
        "TcpRetransSegs": (.transport, .transmit, "segments sent again: packets were lost on the path or at the receiver"),
        "TcpExtListenOverflows": (.transport, .receive, "the accept queue of a listener was full: the application accepts too slowly or its backlog is too small; the handshake was dropped"),
        "TcpExtListenDrops": (.transport, .receive, "SYNs and handshakes dropped at a listener for any reason (includes ListenOverflows)"),
        "TcpExtTCPReqQFullDrop": (.transport, .receive, "SYNs dropped: the SYN queue was full and syncookies are off"),
        "TcpExtTCPBacklogDrop": (.transport, .receive, "segments dropped: the socket's backlog was full while the application held the socket"),
        "TcpExtTCPRcvQDrop": (.transport, .receive, "segments dropped: the receive queue's memory was exhausted"),
        "TcpExtTCPZeroWindowDrop": (.transport, .receive, "segments dropped because the receive window was zero"),
        "TcpExtTCPOFODrop": (.transport, .receive, "out-of-order segments dropped for lack of memory"),
        "TcpExtPruneCalled": (.transport, .receive, "receive queues pruned for memory: data was collapsed to fit"),
        "TcpExtRcvPruned": (.transport, .receive, "segments dropped after pruning: the receive buffer is too small"),
        "TcpExtOfoPruned": (.transport, .receive, "out-of-order queues dropped for memory"),
        "TcpExtTCPAbortOnMemory": (.transport, .both, "connections reset for lack of memory (tcp_mem)"),
        "TcpExtTCPAbortOnTimeout": (.transport, .both, "connections reset after too many retransmissions"),
        "TcpExtTCPTimeWaitOverflow": (.transport, .both, "TIME-WAIT sockets not created: tcp_max_tw_buckets reached"),
        "TcpExtTCPMinTTLDrop": (.transport, .receive, "segments dropped by IP_MINTTL"),
        "TcpExtTCPMD5Failure": (.transport, .receive, "segments dropped: TCP-MD5 signature wrong"),
        "TcpExtTCPDeferAcceptDrop": (.transport, .receive, "handshakes dropped by TCP_DEFER_ACCEPT waiting for data"),
        "TcpExtLockDroppedIcmps": (.transport, .receive, "ICMP errors dropped because the socket was busy"),
        "TcpExtOutOfWindowIcmps": (.transport, .receive, "ICMP errors dropped: out of the connection's window"),
        "TcpExtTCPSackDiscard": (.transport, .receive, "SACK blocks ignored as invalid"),
        "TcpExtTCPMemoryPressures": (.transport, .both, "times TCP entered memory pressure (tcp_mem)"),
    ]

    /// Whether a protocol counter that is not in `protocols` still counts drops or errors.
    public static func isDropLike(_ field: String) -> Bool {
        ["Drop", "Discard", "Err", "Overflow", "Fail", "Pruned"].contains { field.contains($0) }
    }

    /// The layer of a protocol counter group (Ip, Ip6, IpExt, Icmp…, Tcp, TcpExt, Udp…).
    public static func layer(ofGroup group: String) -> DropLayer {
        group.hasPrefix("Ip") || group.hasPrefix("Icmp") ? .ip : .transport
    }

    /// Meanings of driver (ethtool -S) counters, by what their names say.
    public static func driverMeaning(_ name: String) -> String? {
        let lower = name.lowercased()
        if lower.contains("xdp") && (lower.contains("drop") || lower.contains("err")) { return "dropped or failed in XDP (a BPF program or redirect)" }
        if lower.contains("drop") || lower.contains("discard") { return "dropped by the driver (ethtool -S)" }
        if lower.contains("miss") || lower.contains("no_buf") || lower.contains("nobuf") { return "no buffer in the ring: the host did not keep up (ethtool -S)" }
        if lower.contains("crc") || lower.contains("fcs") { return "frames with a bad checksum (ethtool -S)" }
        if lower.contains("err") || lower.contains("fail") || lower.contains("overrun") || lower.contains("fifo") || lower.contains("timeout") {
            return "a driver error counter (ethtool -S)"
        }
        return nil
    }

    /// Counters that show pressure rather than lost packets: `drops` lists them, but the stack
    /// picture and the overview's ATTENTION name real losses only.
    public static let pressure: Set<String> = ["overlimits", "requeues", "time_squeeze", "forced_gc_runs", "TcpRetransSegs", "TcpExtTCPMemoryPressures"]

    /// SK_MEMINFO_DROPS, as `ss -m` prints "d".
    public static let socketDrops = "packets dropped on this socket: its receive buffer (SO_RCVBUF) was full or a socket filter discarded them"
    /// A TCP listener's SK_MEMINFO_DROPS: tcp_listendrop() counts there what it counts in
    /// LINUX_MIB_LISTENDROPS, and a listener receives no data to overflow a buffer with.
    public static let listenerDrops = "connection requests this listener dropped: its accept queue (the listen() backlog) was full or a SYN could not be queued (TcpExtListenDrops)"
    /// `overlimits` of the qdiscs and classes that shape (htb, tbf, hfsc, cbq, …): each time
    /// traffic over the rate was held back. Delay, not loss: their losses are in `drops`.
    public static let shapingOverlimits = "times this shaper held traffic back because it was over its rate: a delay, not a loss (losses are its drops)"
    /// The qdisc kinds whose overlimits count shaping, not policing.
    public static let shapers: Set<String> = ["htb", "tbf", "hfsc", "cbq", "cake", "fq", "netem"]
}

/// Packets that went through each layer, receiving and sending (counters since boot), so a
/// picture of the stack can put traffic beside the drops.
public struct DropThroughput: Sendable, Equatable {
    public var receive: [DropLayer: UInt64] = [:]
    public var transmit: [DropLayer: UInt64] = [:]

    public init() {}

    public mutating func set(_ layer: DropLayer, receive: UInt64?, transmit: UInt64?) {
        if let receive { self.receive[layer] = receive }
        if let transmit { self.transmit[layer] = transmit }
    }
}
