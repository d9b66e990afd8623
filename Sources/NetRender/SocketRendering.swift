import NetOutput
import NetAnalysis
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

/// `netscope sockets` as an ss-style table. The first `batchRows` rows are collected to
/// settle the column widths; after that rows are written as they arrive, so memory stays
/// bounded however many sockets there are. With -p the process column is filled
/// in at print time from the /proc scan, which needs the whole table, so rows are kept.
public struct SocketTableWriter {
    /// Rows per printed batch: large enough that widths are representative, small enough that
    /// the batch is about a megabyte.
    public static let batchRows = 4096
    private let sink: OutputSink
    private let options: RenderOptions
    private var table: ByteTable
    private let details: SocketDetails
    private let names: InterfaceNames?
    private var scratch = [UInt8](repeating: 0, count: 64)
    /// Per row, the socket's inode (only with -p).
    public private(set) var inodes: [UInt64] = []
    /// The family and protocol of the last row: a new pair is a new section of the table.
    private var lastFamily: UInt8 = 0
    private var lastProtocol: SocketProtocol?

    public init(details: SocketDetails, names: InterfaceNames?, sink: OutputSink, options: RenderOptions, expectedRows: Int = 1024) {
        self.details = details
        self.names = names
        self.sink = sink
        self.options = options
        var columns: [TextTable.Column] = details.showNetid ? [.init("Netid")] : []
        columns += [.init("State"), .init("Recv-Q", .right), .init("Send-Q", .right),
                    .init("Local Address:Port", .right), .init("Peer Address:Port")]
        if details.any { columns.append(.init("Details")) }
        table = ByteTable(columns: columns, expectedRows: min(expectedRows, details.processes ? expectedRows : Self.batchRows))
    }

    public mutating func add(_ socket: Socket) {
        // Each protocol and family is dumped on its own: a new one is a new section.
        if socket.family != lastFamily || socket.proto != lastProtocol {
            table.newSection()
            lastFamily = socket.family
            lastProtocol = socket.proto
        }
        if details.showNetid { table.cell(socket.proto.netid) }
        table.cell(socket.state.ssName, color: SocketRenderer.stateColor(socket.state))
        table.append(decimal: UInt64(socket.receiveQueue))
        table.endCell()
        table.append(decimal: UInt64(socket.sendQueue))
        table.endCell()
        SocketRenderer.appendEndpoint(socket, local: true, names: names, scratch: &scratch, to: &table)
        table.endCell()
        SocketRenderer.appendEndpoint(socket, local: false, names: names, scratch: &scratch, to: &table)
        table.endCell()
        if details.any {
            SocketRenderer.appendDetails(socket, details: details, to: &table)
            table.endCell()
        }
        if details.processes {
            inodes.append(socket.inode)
        } else if table.rowCount >= Self.batchRows {
            table.flushRows(to: sink, options: options)
        }
    }

    /// Prints what is left; `owners` (from the /proc scan) fills the process column.
    public func finish(owners: [UInt64: [SocketOwner]] = [:]) {
        guard details.processes else {
            table.render(to: sink, options: options)
            return
        }
        table.render(to: sink, options: options, trailingTitle: "Process") { row in
            guard let list = owners[inodes[row]], !list.isEmpty else { return nil }
            return SocketRenderer.processText(list)
        }
    }
}

/// `netscope sockets --json / --ndjson`: each socket is written as it arrives.
public struct SocketJSONWriter {
    private var json: JSONWriter
    private let lines: Bool
    private let names: InterfaceNames?

    public init(sink: OutputSink, lines: Bool, names: InterfaceNames?) {
        json = JSONWriter(sink)
        self.lines = lines
        self.names = names
        if !lines { json.beginArray() }
    }

    public mutating func add(_ socket: Socket) {
        SocketRenderer.writeJSON(socket, names: names, into: &json)
        if lines { json.newline() }
    }

    public mutating func finish() {
        if !lines { json.endArray(); json.newline() }
    }
}

public enum SocketRenderer {
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
            if socket.family == AddressFamily.inet6.rawValue, socket.v6Only == false, socket.local.address?.isUnspecified == true,
                endpoint.address?.isUnspecified == true
            {
                table.append(byte: 42)
            } else if let address = endpoint.address {
                let v6 = socket.family == AddressFamily.inet6.rawValue
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

    /// ss -e -o -m -i text, on one line, written straight into the table's arena.
    static func appendDetails(_ socket: Socket, details: SocketDetails, to table: inout ByteTable) {
        var first = true
        func word(_ text: String) {
            if !first { table.append(byte: 32) }
            first = false
            table.append(text)
        }
        func field(_ name: String, _ value: UInt64) {
            word(name)
            table.append(decimal: value)
        }
        /// Microseconds as milliseconds with three decimals ("0.023").
        func milli(_ microseconds: UInt32) {
            table.append(decimal: UInt64(microseconds / 1000))
            table.append(byte: 46)
            let fraction = microseconds % 1000
            table.append(byte: UInt8(48 + fraction / 100))
            table.append(byte: UInt8(48 + fraction / 10 % 10))
            table.append(byte: UInt8(48 + fraction % 10))
        }
        if details.timers, let timer = socket.timer {
            word("timer:(\(timer.name),\(milliseconds(timer.expiresMilliseconds)),\(timer.retransmits))")
        }
        if details.extended {
            if let uid = socket.uid { field("uid:", UInt64(uid)) }
            field("ino:", socket.inode)
            if let cookie = socket.cookie { word("sk:" + String(cookie, radix: 16)) }
            if let cgroup = socket.cgroupID { field("cgroup:", cgroup) }
            if socket.v6Only == true { word("v6only:1") }
            if let mark = socket.mark, mark != 0 { word("fwmark:0x" + String(mark, radix: 16)) }
        }
        if details.memory, let m = socket.memory {
            word("skmem:(r"); table.append(decimal: UInt64(m.receiveAllocated))
            table.append(",rb"); table.append(decimal: UInt64(m.receiveBuffer))
            table.append(",t"); table.append(decimal: UInt64(m.sendAllocated))
            table.append(",tb"); table.append(decimal: UInt64(m.sendBuffer))
            table.append(",f"); table.append(decimal: UInt64(m.forwardAllocated))
            table.append(",w"); table.append(decimal: UInt64(m.sendQueued))
            table.append(",o"); table.append(decimal: UInt64(m.optionMemory))
            table.append(",bl"); table.append(decimal: UInt64(m.backlog))
            table.append(",d"); table.append(decimal: UInt64(m.drops))
            table.append(byte: 41)
        }
        if details.info, let box = socket.tcpInfo {
            let i = box.value
            if let congestion = socket.congestion { word(congestion) }
            if i.options & 4 != 0 {
                field("wscale:", UInt64(i.sendWindowScale))
                table.append(byte: 44)
                table.append(decimal: UInt64(i.receiveWindowScale))
            }
            field("rto:", UInt64(i.rto / 1000))
            word("rtt:"); milli(i.rtt); table.append(byte: 47); milli(i.rttVariance)
            if i.ato != 0 { field("ato:", UInt64(i.ato / 1000)) }
            field("mss:", UInt64(i.sendMSS))
            field("pmtu:", UInt64(i.pmtu))
            field("rcvmss:", UInt64(i.receiveMSS))
            field("advmss:", UInt64(i.advmss))
            field("cwnd:", UInt64(i.sendCwnd))
            if i.sendSsthresh < 0xFFFF { field("ssthresh:", UInt64(i.sendSsthresh)) }
            if let v = i.bytesSent, v > 0 { field("bytes_sent:", v) }
            if let v = i.bytesRetrans, v > 0 { field("bytes_retrans:", v) }
            if let v = i.bytesAcked, v > 0 { field("bytes_acked:", v) }
            if let v = i.bytesReceived, v > 0 { field("bytes_received:", v) }
            if let v = i.segmentsOut { field("segs_out:", UInt64(v)) }
            if let v = i.segmentsIn { field("segs_in:", UInt64(v)) }
            if let v = i.dataSegmentsOut, v > 0 { field("data_segs_out:", UInt64(v)) }
            if let v = i.dataSegmentsIn, v > 0 { field("data_segs_in:", UInt64(v)) }
            if i.rtt > 0, i.sendMSS > 0 {
                word("send " + Units.human(Double(i.sendCwnd) * Double(i.sendMSS) * 8 / (Double(i.rtt) / 1e6)) + "bps")
            }
            field("lastsnd:", UInt64(i.lastDataSent))
            field("lastrcv:", UInt64(i.lastDataReceived))
            field("lastack:", UInt64(i.lastAckReceived))
            if let v = i.pacingRate, v != UInt64.max, v > 0 { word("pacing_rate " + rate(v)) }
            if let v = i.deliveryRate, v > 0 { word("delivery_rate " + rate(v)) }
            if let v = i.delivered, v > 0 { field("delivered:", UInt64(v)) }
            if i.deliveryRateAppLimited { word("app_limited") }
            if let v = i.busyTime, v > 0 { field("busy:", v / 1000); table.append("ms") }
            if i.retrans > 0 || i.totalRetrans > 0 {
                field("retrans:", UInt64(i.retrans)); table.append(byte: 47); table.append(decimal: UInt64(i.totalRetrans))
            }
            if i.lost > 0 { field("lost:", UInt64(i.lost)) }
            if let v = i.notsentBytes, v > 0 { field("notsent:", UInt64(v)) }
            field("rcv_space:", UInt64(i.receiveSpace))
            field("rcv_ssthresh:", UInt64(i.receiveSsthresh))
            if let v = i.minRTT, v > 0 { word("minrtt:"); milli(v) }
            if let v = i.sendWindow { field("snd_wnd:", UInt64(v)) }
        }
    }

    /// The documented JSON schema (docs/sockets.md).
    package static func writeJSON(_ socket: Socket, names: InterfaceNames?, into json: inout JSONWriter) {
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
        if let cookie = socket.cookie {
            json.field("cookie", cookie)
            // The same cookie as the table's sk: field (ss prints it in hex).
            json.field("sk", String(cookie, radix: 16))
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
            json.field("address", endpoint.address?.description)
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
