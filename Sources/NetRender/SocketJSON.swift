import NetOutput
import NetAnalysis
import NetModel

/// `netscope sockets --json / --ndjson`: each socket is written as it arrives.
package struct SocketJSONWriter {
    private var json: JSONWriter
    private let lines: Bool
    private let names: InterfaceNames?
    private let heads = SocketJSONHeads()

    package init(sink: OutputSink, lines: Bool, names: InterfaceNames?) {
        json = JSONWriter(sink)
        self.lines = lines
        self.names = names
        if !lines { json.beginArray() }
    }

    package mutating func add(_ socket: Socket) {
        SocketRenderer.writeJSON(socket, names: names, heads: heads, into: &json)
        if lines { json.newline() }
    }

    package mutating func finish() {
        if !lines { json.endArray(); json.newline() }
    }
}

/// `sockets --json`: the objects, as docs/sockets.md describes them.
extension SocketRenderer {
    /// The documented JSON schema (docs/sockets.md).
    package static func writeJSON(_ socket: Socket, names: InterfaceNames?, heads: SocketJSONHeads? = nil, into json: inout JSONWriter) {
        json.beginObject()
        if let heads {
            heads.withHead(of: socket) { json.members(raw: $0) }
        } else {
            writeHead(socket, into: &json)
        }
        json.key("queues")
        json.beginObject()
        json.field("recv", socket.receiveQueue)
        json.field("send", socket.sendQueue)
        json.endObject()
        json.key("local")
        writeEndpoint(socket, socket.local, local: true, names: names, into: &json)
        json.key("peer")
        writeEndpoint(socket, socket.peer, local: false, names: names, into: &json)
        json.field("uid", socket.uid)
        json.field("inode", socket.inode)
        if let cookie = socket.cookie {
            json.field("cookie", cookie)
            // The same cookie as the table's sk: field (ss prints it in hex).
            json.key("sk"); json.hexString(cookie)
        }
        json.field("cgroup_id", socket.cgroupID)
        json.field("mark", socket.mark)
        if let v6Only = socket.v6Only { json.field("v6only", v6Only) }
        json.field("shutdown", socket.shutdown)
        if let timer = socket.timer {
            json.key("timer")
            json.beginObject()
            json.field("name", timer.name)
            json.field("expires_ms", timer.expiresMilliseconds)
            json.field("retransmits", timer.retransmits)
            json.endObject()
        }
        if let m = socket.memory {
            json.key("memory")
            json.beginObject()
            json.field("rmem_alloc", m.receiveAllocated)
            json.field("rcvbuf", m.receiveBuffer)
            json.field("wmem_alloc", m.sendAllocated)
            json.field("sndbuf", m.sendBuffer)
            json.field("fwd_alloc", m.forwardAllocated)
            json.field("wmem_queued", m.sendQueued)
            json.field("optmem", m.optionMemory)
            json.field("backlog", m.backlog)
            json.field("drops", m.drops)
            json.endObject()
        }
        json.field("congestion", socket.congestion)
        if let box = socket.tcpInfo { writeTCPInfo(box.value, into: &json) }
        writeOwners(socket.owners, into: &json)
        json.endObject()
    }

    /// netid, family, protocol and state: the members every socket object starts with.
    static func writeHead(_ socket: Socket, into json: inout JSONWriter) {
        json.field("netid", socket.proto.netid)
        let family: String
        switch socket.family {
        case .inet: family = "inet"
        case .inet6: family = "inet6"
        case .unix: family = "unix"
        case .packet: family = "packet"
        case .netlink: family = "netlink"
        default: family = String(socket.family.rawValue)
        }
        json.field("family", family)
        json.field("protocol", socket.proto.isUnix ? "unix" : socket.proto.isPacket ? "packet" : socket.proto.rawValue)
        json.field("state", socket.state.ssName)
    }

    /// "processes": [{pid, comm, fd}, …]
    static func writeOwners(_ owners: [SocketOwner], into json: inout JSONWriter) {
        json.key("processes")
        json.beginArray()
        for owner in owners {
            json.beginObject()
            json.field("pid", owner.pid)
            json.field("comm", owner.command)
            json.field("fd", owner.fd)
            json.endObject()
        }
        json.endArray()
    }

    static func writeEndpoint(_ socket: Socket, _ endpoint: SocketEndpoint, local: Bool, names: InterfaceNames?, into json: inout JSONWriter) {
        json.beginObject()
        if socket.proto.isInet {
            // Formatted straight into the output: no String per address.
            if let address = endpoint.address { json.field("address", address: address) }
            json.field("port", endpoint.port)
            if endpoint.interfaceIndex != 0 {
                json.field("interface", names?[Int32(bitPattern: endpoint.interfaceIndex)] ?? "if\(endpoint.interfaceIndex)")
            }
        } else if socket.proto.isUnix {
            if local { json.field("path", endpoint.path) }
            json.field("inode", endpoint.inode)
            if !local && !socket.peerOwners.isEmpty { writeOwners(socket.peerOwners, into: &json) }
        } else if socket.proto.isPacket {
            if local {
                json.field("protocol", endpoint.number)
                json.field("ifindex", endpoint.interfaceIndex)
                if endpoint.interfaceIndex != 0 { json.field("interface", names?[Int32(bitPattern: endpoint.interfaceIndex)] ?? "if\(endpoint.interfaceIndex)") }
            }
        } else {
            json.field("protocol", endpoint.port)
            json.field("portid", endpoint.number)
        }
        json.endObject()
    }

    static func writeTCPInfo(_ i: TCPInfo, into json: inout JSONWriter) {
        json.key("tcp_info")
        json.beginObject()
        json.field("state", i.state)
        json.field("ca_state", i.caState)
        json.field("retransmits", i.retransmits)
        json.field("probes", i.probes)
        json.field("backoff", i.backoff)
        json.field("options", i.options)
        json.field("snd_wscale", i.sendWindowScale)
        json.field("rcv_wscale", i.receiveWindowScale)
        json.field("delivery_rate_app_limited", i.deliveryRateAppLimited)
        json.field("rto_us", i.rto)
        json.field("ato_us", i.ato)
        json.field("snd_mss", i.sendMSS)
        json.field("rcv_mss", i.receiveMSS)
        json.field("unacked", i.unacked)
        json.field("sacked", i.sacked)
        json.field("lost", i.lost)
        json.field("retrans", i.retrans)
        json.field("last_data_sent_ms", i.lastDataSent)
        json.field("last_ack_sent_ms", i.lastAckSent)
        json.field("last_data_recv_ms", i.lastDataReceived)
        json.field("last_ack_recv_ms", i.lastAckReceived)
        json.field("pmtu", i.pmtu)
        json.field("rcv_ssthresh", i.receiveSsthresh)
        json.field("rtt_us", i.rtt)
        json.field("rttvar_us", i.rttVariance)
        json.field("snd_ssthresh", i.sendSsthresh)
        json.field("snd_cwnd", i.sendCwnd)
        json.field("advmss", i.advmss)
        json.field("reordering", i.reordering)
        json.field("rcv_rtt_us", i.receiveRTT)
        json.field("rcv_space", i.receiveSpace)
        json.field("total_retrans", i.totalRetrans)
        switch i.congestionControl {
        case .bbr(let bandwidth, let minRTT, let pacingGain, let cwndGain):
            json.key("bbr_info")
            json.beginObject()
            json.field("bw", bandwidth)
            json.field("min_rtt_us", minRTT)
            json.field("pacing_gain", pacingGain)
            json.field("cwnd_gain", cwndGain)
            json.endObject()
        case .dctcp(let enabled, let ceState, let alpha, let ecn, let total):
            json.key("dctcp_info")
            json.beginObject()
            json.field("enabled", enabled)
            json.field("ce_state", UInt64(ceState))
            json.field("alpha", alpha)
            json.field("ab_ecn", ecn)
            json.field("ab_tot", total)
            json.endObject()
        case .vegas(let enabled, let count, let rtt, let minRTT):
            json.key("vegas_info")
            json.beginObject()
            json.field("enabled", enabled)
            json.field("rtt_count", count)
            json.field("rtt_us", rtt)
            json.field("min_rtt_us", minRTT)
            json.endObject()
        case nil: break
        }
        json.field("pacing_rate", i.pacingRate)
        json.field("max_pacing_rate", i.maxPacingRate)
        json.field("bytes_acked", i.bytesAcked)
        json.field("bytes_received", i.bytesReceived)
        json.field("segs_out", i.segmentsOut)
        json.field("segs_in", i.segmentsIn)
        json.field("notsent_bytes", i.notsentBytes)
        json.field("min_rtt_us", i.minRTT)
        json.field("data_segs_in", i.dataSegmentsIn)
        json.field("data_segs_out", i.dataSegmentsOut)
        json.field("delivery_rate", i.deliveryRate)
        json.field("busy_time_us", i.busyTime)
        json.field("rwnd_limited_us", i.receiveWindowLimited)
        json.field("sndbuf_limited_us", i.sendBufferLimited)
        json.field("delivered", i.delivered)
        json.field("delivered_ce", i.deliveredCE)
        json.field("bytes_sent", i.bytesSent)
        json.field("bytes_retrans", i.bytesRetrans)
        json.field("dsack_dups", i.dsackDups)
        json.field("reord_seen", i.reorderSeen)
        json.field("rcv_ooopack", i.receiveOutOfOrder)
        json.field("snd_wnd", i.sendWindow)
        json.field("rcv_wnd", i.receiveWindow)
        json.endObject()
    }
}

/// The first members of a socket object (netid, family, protocol, state) rendered once per
/// kind of socket and then copied: written member by member they were eight calls and four
/// escaped strings per socket, a sixth of a 100k-socket `sockets --json`. One per writer.
package final class SocketJSONHeads {
    private struct Kind: Hashable {
        let proto: SocketProtocol
        let family: AddressFamily
        let state: SocketState
    }

    private var rendered: [Kind: [UInt8]] = [:]
    // The last kind looked up: a dump is mostly one kind after another.
    private var last: Kind?
    private var lastBytes: [UInt8] = []

    package init() {}

    func withHead(of socket: Socket, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let kind = Kind(proto: socket.proto, family: socket.family, state: socket.state)
        if kind != last {
            if let known = rendered[kind] {
                lastBytes = known
            } else {
                let sink = OutputSink(threshold: Int.max)
                var json = JSONWriter(sink)
                json.beginObject()
                SocketRenderer.writeHead(socket, into: &json)
                lastBytes = Array(sink.pendingBytes.dropFirst())
                rendered[kind] = lastBytes
            }
            last = kind
        }
        lastBytes.withUnsafeBufferPointer(body)
    }
}
