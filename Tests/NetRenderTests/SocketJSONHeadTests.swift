import NetModel
import NetOutput
import NetRender
import Testing

/// `sockets --json` copies each socket's first members (netid, family, protocol, state) from
/// a rendering made once per kind of socket: the text must be what writing them member by
/// member gives, for every kind, in any order, and under --all-netns row labels.
@Suite struct SocketJSONHeadTests {
    static func sockets() -> [Socket] {
        var result: [Socket] = []
        let protocols: [(SocketProtocol, AddressFamily)] = [
            (.tcp, .inet), (.tcp, .inet6), (.udp, .inet), (.udp, .inet6), (.raw, .inet), (.mptcp, .inet6), (.sctp, .inet),
            (.unixStream, .unix), (.unixDatagram, .unix), (.packetRaw, .packet), (.netlink, .netlink),
        ]
        var inode: UInt64 = 1
        // Twice over, the second time in reverse: kinds come back after others.
        for round in 0..<2 {
            for (proto, family) in round == 0 ? protocols : protocols.reversed() {
                for state in SocketState.allCases {
                    let v6 = family == .inet6
                    var socket = Socket(
                        proto: proto, family: family, state: state,
                        local: SocketEndpoint(address: IPAddress(bytes: v6 ? [UInt8](repeating: 0, count: 15) + [1] : [127, 0, 0, 1]), port: 80),
                        peer: SocketEndpoint(address: IPAddress(bytes: v6 ? [UInt8](repeating: 0, count: 16) : [10, 0, 0, 2]), port: 5000),
                        receiveQueue: 1, sendQueue: 2, inode: inode)
                    socket.cookie = inode * 7
                    inode += 1
                    result.append(socket)
                }
            }
        }
        return result
    }

    func render(_ sockets: [Socket], cached: Bool, labels: Bool) -> String {
        let sink = OutputSink(threshold: Int.max)
        if labels {
            let rowLabels = RowLabels(width: 8, joinsJSON: true)
            rowLabels.netns = "ns1"
            rowLabels.container = "docker:abc"
            sink.rowLabels = rowLabels
        }
        let heads = cached ? SocketJSONHeads() : nil
        var json = JSONWriter(sink)
        json.beginArray()
        for socket in sockets { SocketRenderer.writeJSON(socket, names: nil, heads: heads, into: &json) }
        json.endArray()
        return sink.pending
    }

    @Test func copiedHeadsAreWhatMemberByMemberWrites() throws {
        let sockets = Self.sockets()
        for labels in [false, true] {
            let plain = render(sockets, cached: false, labels: labels)
            #expect(render(sockets, cached: true, labels: labels) == plain)
            #expect(plain.components(separatedBy: "\"netid\"").count == sockets.count + 1)
            if labels {
                // The walk closes the joined array; each object starts with its labels.
                #expect(plain.components(separatedBy: "{\"netns\":\"ns1\",\"container\":\"docker:abc\",\"netid\"").count == sockets.count + 1)
            } else {
                let parsed = try #require(try JSONParser.parse(plain).array)
                #expect(parsed.count == sockets.count)
            }
        }
    }
}
