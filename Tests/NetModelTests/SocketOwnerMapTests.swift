import NetModel
import Testing

/// The owners of each socket inode: every holder kept, in the order found, with its process's
/// command, however the holders of different inodes interleave.
@Suite struct SocketOwnerMapTests {
    @Test func holdersComeBackInOrderWithTheirCommands() {
        var map = SocketOwnerMap()
        #expect(map.isEmpty && map[1] == nil)
        let nginx = map.addProcess(command: "nginx")
        map.add(inode: 100, pid: 10, fd: 3, process: nginx)
        map.add(inode: 200, pid: 10, fd: 4, process: nginx)
        let worker = map.addProcess(command: "nginx: worker")
        // A listener inherited by a forked worker: two holders of one inode.
        map.add(inode: 100, pid: 11, fd: 3, process: worker)
        map.add(inode: 300, pid: 11, fd: 9, process: worker)
        map.add(inode: 100, pid: 11, fd: 7, process: worker)
        #expect(!map.isEmpty)
        #expect(map[100] == [
            SocketOwner(pid: 10, command: "nginx", fd: 3), SocketOwner(pid: 11, command: "nginx: worker", fd: 3),
            SocketOwner(pid: 11, command: "nginx: worker", fd: 7),
        ])
        #expect(map[200] == [SocketOwner(pid: 10, command: "nginx", fd: 4)])
        #expect(map[300] == [SocketOwner(pid: 11, command: "nginx: worker", fd: 9)])
        #expect(map[400] == nil)
    }

    @Test func manyHoldersOfManyInodes() {
        var map = SocketOwnerMap()
        var expected: [UInt64: [SocketOwner]] = [:]
        for pid in Int32(1)...50 {
            let process = map.addProcess(command: "p\(pid)")
            for fd in Int32(0)..<40 {
                let inode = UInt64((Int(pid) * 7 + Int(fd) * 13) % 97)
                map.add(inode: inode, pid: pid, fd: fd, process: process)
                expected[inode, default: []].append(SocketOwner(pid: pid, command: "p\(pid)", fd: fd))
            }
        }
        for (inode, owners) in expected { #expect(map[inode] == owners, "inode \(inode)") }
    }

    /// `-p` looks up a socket's own inode and a unix socket's peer's, and fills both.
    @Test func aUnixSocketsPeerIsLookedUpAndFilledToo() {
        var peer = SocketEndpoint()
        peer.inode = 77
        var unix = Socket(proto: .unixStream, family: .unix, state: .established, local: SocketEndpoint(), peer: peer,
                          receiveQueue: 0, sendQueue: 0, inode: 76)
        var tcp = Socket(proto: .tcp, family: .inet, state: .established, local: SocketEndpoint(), peer: peer,
                         receiveQueue: 0, sendQueue: 0, inode: 5)
        var wanted = Set<UInt64>()
        SocketOwnerMap.inodes(of: unix, into: &wanted)
        SocketOwnerMap.inodes(of: tcp, into: &wanted)
        #expect(wanted == [76, 77, 5])
        var map = SocketOwnerMap()
        let a = map.addProcess(command: "a"), b = map.addProcess(command: "b")
        map.add(inode: 76, pid: 1, fd: 3, process: a)
        map.add(inode: 77, pid: 2, fd: 4, process: b)
        map.fill(&unix)
        map.fill(&tcp)
        #expect(unix.owners == [SocketOwner(pid: 1, command: "a", fd: 3)])
        #expect(unix.peerOwners == [SocketOwner(pid: 2, command: "b", fd: 4)])
        #expect(tcp.owners.isEmpty && tcp.peerOwners.isEmpty)
    }
}
