import NetOutput
import NetAnalysis
import NetModel

/// What to show beyond the basic columns (ss's -e -o -m -i -p).
package struct SocketDetails: Sendable {
    package var extended = false
    package var timers = false
    package var memory = false
    package var info = false
    package var processes = false
    package var showNetid = true

    package init() {}

    var any: Bool { extended || timers || memory || info }
}

/// `netscope sockets` as an ss-style table. The first `batchRows` rows are collected to
/// settle the column widths; after that rows are written as they arrive, so memory stays
/// bounded however many sockets there are. With -p the last column is the socket's
/// `owners`, which the caller fills in before `add`.
package struct SocketTableWriter {
    /// Rows per printed batch: large enough that widths are representative, small enough that
    /// the batch is about a megabyte.
    package static let batchRows = 4096
    private let sink: OutputSink
    private let options: RenderOptions
    private var table: ByteTable
    private let details: SocketDetails
    private let names: InterfaceNames?
    private var scratch = [UInt8](repeating: 0, count: 64)
    /// The family and protocol of the last row: a new pair is a new section of the table.
    private var lastFamily = AddressFamily.other(0)
    private var lastProtocol: SocketProtocol?

    package init(details: SocketDetails, names: InterfaceNames?, sink: OutputSink, options: RenderOptions, expectedRows: Int = 1024) {
        self.details = details
        self.names = names
        self.sink = sink
        self.options = options
        var columns: [TextTable.Column] = details.showNetid ? [.init("Netid")] : []
        columns += [.init("State"), .init("Recv-Q", .right), .init("Send-Q", .right),
                    .init("Local Address:Port", .right), .init("Peer Address:Port")]
        if details.any { columns.append(.init("Details")) }
        if details.processes { columns.append(.init("Process")) }
        table = ByteTable(columns: columns, expectedRows: min(expectedRows, Self.batchRows))
    }

    package mutating func add(_ socket: Socket) {
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
            if !socket.owners.isEmpty { table.append(SocketRenderer.processText(socket.owners)) }
            table.endCell()
        }
        if table.rowCount >= Self.batchRows { table.flushRows(to: sink, options: options) }
    }

    /// Prints what is left.
    package func finish() {
        table.render(to: sink, options: options)
    }
}


package enum SocketRenderer {
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
            if socket.family == .inet6, socket.v6Only == false, socket.local.address?.isUnspecified == true,
                endpoint.address?.isUnspecified == true
            {
                table.append(byte: 42)
            } else if let address = endpoint.address {
                let v6 = socket.family == .inet6
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

    /// A BBR gain: a fixed-point number with 8 fraction bits (BBR_UNIT), as ss's %g of /256.
    static func gain(_ value: UInt32) -> String {
        let number = Double(value) / 256
        var text = Units.fixed(number, decimals: 3)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
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
            // The congestion control's own state where ss prints it: after the segment counts.
            switch i.congestionControl {
            case .bbr(let bandwidth, let minRTT, let pacingGain, let cwndGain):
                word("bbr:(bw:" + rate(bandwidth) + ",mrtt:"); milli(minRTT)
                if pacingGain != 0 { table.append(",pacing_gain:" + gain(pacingGain)) }
                if cwndGain != 0 { table.append(",cwnd_gain:" + gain(cwndGain)) }
                table.append(byte: 41)
            case .dctcp(let enabled, let ceState, let alpha, let ecn, let total):
                word(enabled ? "dctcp:(ce_state:\(ceState),alpha:\(alpha),ab_ecn:\(ecn),ab_tot:\(total))" : "dctcp:fallback_mode")
            case .vegas, nil: break
            }
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

}
