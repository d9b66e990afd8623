import NetModel
import NetOutput
import NetRender
import Testing

/// `sockets -p` as a table: the process column is the last one, filled from each socket's
/// owners as the row is written, empty (and unpadded) for a socket nobody was found holding.
@Suite struct SocketTableTests {
    static func socket(port: UInt16, inode: UInt64, owners: [SocketOwner]) -> Socket {
        var socket = Socket(
            proto: .tcp, family: .inet, state: .listen, local: SocketEndpoint(address: IPAddress(bytes: [127, 0, 0, 1]), port: port),
            peer: SocketEndpoint(address: IPAddress(bytes: [0, 0, 0, 0]), port: 0), receiveQueue: 0, sendQueue: 128, inode: inode)
        socket.owners = owners
        return socket
    }

    @Test func theProcessColumnComesFromEachSocketsOwners() {
        var details = SocketDetails()
        details.processes = true
        details.showNetid = false
        let sink = OutputSink(fd: -1, threshold: Int.max)
        var writer = SocketTableWriter(details: details, names: nil, sink: sink, options: RenderOptions(format: .table))
        writer.add(Self.socket(port: 22, inode: 1, owners: [SocketOwner(pid: 7, command: "sshd", fd: 3)]))
        writer.add(Self.socket(port: 8080, inode: 2, owners: []))
        writer.add(Self.socket(port: 53, inode: 3, owners: [SocketOwner(pid: 9, command: "a\"b", fd: 4), SocketOwner(pid: 10, command: "c", fd: 5)]))
        writer.finish()
        let lines = sink.pending.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasSuffix("Peer Address:Port  Process"), "\(lines[0])")
        #expect(lines[1].hasSuffix("0.0.0.0:*          users:((\"sshd\",pid=7,fd=3))"), "\(lines[1])")
        #expect(lines[2].hasSuffix("0.0.0.0:*"), "no owners: no process text and no padding: \(lines[2])")
        #expect(lines[3].hasSuffix("users:((\"a\\\"b\",pid=9,fd=4),(\"c\",pid=10,fd=5))"), "\(lines[3])")
        #expect(lines.count == 5 && lines[4].isEmpty)
    }
}
