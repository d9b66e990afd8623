import NetModel

/// What to show beyond the basic columns (ss's -e -o -m -i -p).
public struct SocketDetails: Sendable {
    public var extended = false
    public var timers = false
    public var memory = false
    public var info = false
    public var processes = false
    public var showNetid = true

    public init() {}

    var any: Bool { extended || timers || memory || info }
}

/// `netscope sockets`: an ss-style table or one JSON object per socket.
public enum SocketRenderer {
    public static func render(
        _ sockets: [Socket], details: SocketDetails, names: InterfaceNames?, to sink: OutputSink, options: RenderOptions
    ) {
        switch options.format {
        case .json, .ndjson:
            var json = JSONWriter(sink)
            let lines = options.format == .ndjson
            if !lines { json.beginArray() }
            for socket in sockets {
                writeJSON(socket, names: names, into: &json)
                if lines { json.newline() }
            }
            if !lines { json.endArray(); json.newline() }
        case .table:
            var columns: [TextTable.Column] = details.showNetid ? [.init("Netid")] : []
            columns += [.init("State"), .init("Recv-Q", .right), .init("Send-Q", .right),
                        .init("Local Address:Port", .right), .init("Peer Address:Port")]
            if details.processes { columns.append(.init("Process")) }
            if details.any { columns.append(.init("Details")) }
            var table = ByteTable(columns: columns, expectedRows: sockets.count)
            var scratch = [UInt8](repeating: 0, count: 64)
            for socket in sockets {
                if details.showNetid { table.cell(socket.proto.netid) }
                table.cell(socket.state.ssName, color: stateColor(socket.state))
                table.append(decimal: UInt64(socket.receiveQueue))
                table.endCell()
                table.append(decimal: UInt64(socket.sendQueue))
                table.endCell()
                appendEndpoint(socket, local: true, names: names, scratch: &scratch, to: &table)
                table.endCell()
                appendEndpoint(socket, local: false, names: names, scratch: &scratch, to: &table)
                table.endCell()
                if details.processes {
                    if !socket.owners.isEmpty { table.append(processText(socket.owners)) }
                    table.endCell()
                }
                if details.any {
                    table.append(detailText(socket, details: details))
                    table.endCell()
                }
            }
            table.render(to: sink, options: options)
        }
    }

    static func stateColor(_ state: SocketState) -> UInt8 {
        switch state {
        case .established: return 32
        case .listen: return 36
        case .close: return 0
        default: return 33
        }
    }

    /// ss -n's text: `127.0.0.1:22`, `[::1]:443`, `0.0.0.0:*`, `10.0.0.1%eth0:53`,
    /// `/run/x.sock 1234`, `* 5678`, `*:eth0` (packet), `rtnl:4242` (netlink).
    static func appendEndpoint(_ socket: Socket, local: Bool, names: InterfaceNames?, scratch: inout [UInt8], to table: inout ByteTable) {
        let endpoint = local ? socket.local : socket.peer
        if socket.proto.isInet {
            // ss prints a dual-stack wildcard (:: without IPV6_V6ONLY) as "*".
            if socket.family == 10, socket.v6Only == false, socket.local.address?.isUnspecified == true,
                endpoint.address?.isUnspecified == true
            {
                table.append(byte: 42)
            } else if let address = endpoint.address {
                let v6 = socket.family == 10
                if v6 { table.append(byte: 91) }
                scratch.withUnsafeMutableBufferPointer { buffer in
                    let length = address.format(into: buffer.baseAddress!)
                    table.append(bytes: UnsafeBufferPointer(rebasing: buffer[0..<length]))
                }
                if v6 { table.append(byte: 93) }
            } else {
                table.append(byte: 42)
            }
            if local && endpoint.interfaceIndex != 0 {
                table.append(byte: 37)
                table.append(names?[Int32(bitPattern: endpoint.interfaceIndex)] ?? "if\(endpoint.interfaceIndex)")
            }
            table.append(byte: 58)
            if endpoint.port == 0 { table.append(byte: 42) } else { table.append(decimal: UInt64(endpoint.port)) }
        } else if socket.proto.isUnix {
            if local, let path = endpoint.path { table.append(path) } else { table.append(byte: 42) }
            table.append(byte: 32)
            table.append(decimal: endpoint.inode)
        } else if socket.proto.isPacket {
            if local {
                table.append(endpoint.number == 3 ? "*" : packetProtocolName(endpoint.number))
                table.append(byte: 58)
                if endpoint.interfaceIndex == 0 { table.append(byte: 42) } else {
                    table.append(names?[Int32(bitPattern: endpoint.interfaceIndex)] ?? "if\(endpoint.interfaceIndex)")
                }
            } else {
                table.append(byte: 42)
            }
        } else {
            // netlink: protocol:portid
            if local {
                table.append(netlinkProtocolName(endpoint.port))
                table.append(byte: 58)
                table.append(decimal: UInt64(endpoint.number))
            } else {
                table.append(byte: 42)
            }
        }
    }

    /// users:(("name",pid=1,fd=3),…) with the name escaped: quotes and backslashes get a
    /// backslash, control characters become \xNN, so the column stays one machine-readable token.
    static func processText(_ owners: [SocketOwner]) -> String {
        var text = "users:("
        for (index, owner) in owners.enumerated() {
            if index > 0 { text += "," }
            text += "(\"" + escapeName(owner.command) + "\",pid=\(owner.pid),fd=\(owner.fd))"
        }
        return text + ")"
    }

    static func escapeName(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " ": out += "\\x20"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func packetProtocolName(_ number: UInt32) -> String {
        switch number {
        case 0x0800: return "ip"
        case 0x0806: return "arp"
        case 0x86dd: return "ipv6"
        case 0x8100: return "802.1Q"
        case 0x88cc: return "lldp"
        case 0: return "0"
        default: return "[0x" + String(number, radix: 16) + "]"
        }
    }

    static func netlinkProtocolName(_ number: UInt16) -> String {
        switch number {
        case 0: return "rtnl"
        case 4: return "tcpdiag"
        case 6: return "xfrm"
        case 9: return "audit"
        case 10: return "fiblookup"
        case 12: return "nft"
        case 15: return "uevent"
        case 16: return "genl"
        default: return String(number)
        }
    }

    static func milliseconds(_ value: UInt32) -> String {
        if value >= 60_000 { return "\(value / 60_000)min\(value % 60_000 / 1000)sec" }
        if value >= 1000 { return Units.fixed(Double(value) / 1000, decimals: 3) + "sec" }
        return "\(value)ms"
    }

    static func rate(_ bytesPerSecond: UInt64) -> String {
        Units.human(Double(bytesPerSecond) * 8) + "bps"
    }

    /// ss -e -o -m -i text, on one line.
    static func detailText(_ socket: Socket, details: SocketDetails) -> String {
        var parts: [String] = []
        if details.timers, let timer = socket.timer {
            parts.append("timer:(\(timer.name),\(milliseconds(timer.expiresMilliseconds)),\(timer.retransmits))")
        }
        if details.extended {
            if let uid = socket.uid { parts.append("uid:\(uid)") }
            parts.append("ino:\(socket.inode)")
            if let cookie = socket.cookie { parts.append("sk:" + String(cookie, radix: 16)) }
            if let cgroup = socket.cgroupID { parts.append("cgroup:\(cgroup)") }
            if socket.v6Only == true { parts.append("v6only:1") }
            if let mark = socket.mark, mark != 0 { parts.append("fwmark:0x" + String(mark, radix: 16)) }
        }
        if details.memory, let m = socket.memory {
            parts.append("skmem:(r\(m.receiveAllocated),rb\(m.receiveBuffer),t\(m.sendAllocated),tb\(m.sendBuffer),f\(m.forwardAllocated),w\(m.sendQueued),o\(m.optionMemory),bl\(m.backlog),d\(m.drops))")
        }
        if details.info, let box = socket.tcpInfo {
            let i = box.value
            if let congestion = socket.congestion { parts.append(congestion) }
            if i.options & 4 != 0 { parts.append("wscale:\(i.sendWindowScale),\(i.receiveWindowScale)") }
            parts.append("rto:\(Units.fixed(Double(i.rto) / 1000, decimals: 0))")
            parts.append("rtt:\(Units.fixed(Double(i.rtt) / 1000, decimals: 3))/\(Units.fixed(Double(i.rttVariance) / 1000, decimals: 3))")
            if i.ato != 0 { parts.append("ato:\(i.ato / 1000)") }
            parts.append("mss:\(i.sendMSS)")
            parts.append("pmtu:\(i.pmtu)")
            parts.append("rcvmss:\(i.receiveMSS)")
            parts.append("advmss:\(i.advmss)")
            parts.append("cwnd:\(i.sendCwnd)")
            if i.sendSsthresh < 0xFFFF { parts.append("ssthresh:\(i.sendSsthresh)") }
            if let v = i.bytesSent, v > 0 { parts.append("bytes_sent:\(v)") }
            if let v = i.bytesRetrans, v > 0 { parts.append("bytes_retrans:\(v)") }
            if let v = i.bytesAcked, v > 0 { parts.append("bytes_acked:\(v)") }
            if let v = i.bytesReceived, v > 0 { parts.append("bytes_received:\(v)") }
            if let v = i.segmentsOut { parts.append("segs_out:\(v)") }
            if let v = i.segmentsIn { parts.append("segs_in:\(v)") }
            if let v = i.dataSegmentsOut, v > 0 { parts.append("data_segs_out:\(v)") }
            if let v = i.dataSegmentsIn, v > 0 { parts.append("data_segs_in:\(v)") }
            if i.rtt > 0, i.sendMSS > 0 {
                parts.append("send " + Units.human(Double(i.sendCwnd) * Double(i.sendMSS) * 8 / (Double(i.rtt) / 1e6)) + "bps")
            }
            parts.append("lastsnd:\(i.lastDataSent)")
            parts.append("lastrcv:\(i.lastDataReceived)")
            parts.append("lastack:\(i.lastAckReceived)")
            if let v = i.pacingRate, v != UInt64.max, v > 0 { parts.append("pacing_rate " + rate(v)) }
            if let v = i.deliveryRate, v > 0 { parts.append("delivery_rate " + rate(v)) }
            if let v = i.delivered, v > 0 { parts.append("delivered:\(v)") }
            if i.deliveryRateAppLimited { parts.append("app_limited") }
            if let v = i.busyTime, v > 0 { parts.append("busy:\(v / 1000)ms") }
            if i.retrans > 0 || i.totalRetrans > 0 { parts.append("retrans:\(i.retrans)/\(i.totalRetrans)") }
            if i.lost > 0 { parts.append("lost:\(i.lost)") }
            if let v = i.notsentBytes, v > 0 { parts.append("notsent:\(v)") }
            parts.append("rcv_space:\(i.receiveSpace)")
            parts.append("rcv_ssthresh:\(i.receiveSsthresh)")
            if let v = i.minRTT, v > 0 { parts.append("minrtt:\(Units.fixed(Double(v) / 1000, decimals: 3))") }
            if let v = i.sendWindow { parts.append("snd_wnd:\(v)") }
        }
        return parts.joined(separator: " ")
    }

    /// The documented JSON schema (docs/sockets.md).
    static func writeJSON(_ socket: Socket, names: InterfaceNames?, into json: inout JSONWriter) {
        json.beginObject()
        json.field("netid", socket.proto.netid)
        let family: String
        switch socket.family {
        case 2: family = "inet"
        case 10: family = "inet6"
        case 1: family = "unix"
        case 17: family = "packet"
        case 16: family = "netlink"
        default: family = String(socket.family)
        }
        json.field("family", family)
        json.field("protocol", socket.proto.isUnix ? "unix" : socket.proto.isPacket ? "packet" : socket.proto.rawValue)
        json.field("state", socket.state.ssName)
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
        if let cookie = socket.cookie { json.field("cookie", cookie) }
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
        json.key("processes")
        json.beginArray()
        for owner in socket.owners {
            json.beginObject()
            json.field("pid", owner.pid)
            json.field("comm", owner.command)
            json.field("fd", owner.fd)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    static func writeEndpoint(_ socket: Socket, _ endpoint: SocketEndpoint, local: Bool, names: InterfaceNames?, into json: inout JSONWriter) {
        json.beginObject()
        if socket.proto.isInet {
            json.field("address", endpoint.address?.description)
            json.field("port", endpoint.port)
            if endpoint.interfaceIndex != 0 {
                json.field("interface", names?[Int32(bitPattern: endpoint.interfaceIndex)] ?? "if\(endpoint.interfaceIndex)")
            }
        } else if socket.proto.isUnix {
            if local { json.field("path", endpoint.path) }
            json.field("inode", endpoint.inode)
            if !local && !socket.peerOwners.isEmpty {
                json.key("processes")
                json.beginArray()
                for owner in socket.peerOwners {
                    json.beginObject()
                    json.field("pid", owner.pid)
                    json.field("comm", owner.command)
                    json.field("fd", owner.fd)
                    json.endObject()
                }
                json.endArray()
            }
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
