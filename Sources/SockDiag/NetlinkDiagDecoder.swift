import NetModel
import Netlink

extension SockDiagDecoder {
    /// struct netlink_diag_msg (28 bytes) and NETLINK_DIAG_* attributes.
    public static func netlink(_ message: NetlinkMessage) throws -> Socket {
        let operation = "netlink_diag_msg"
        var (header, cursor) = try message.split(headerSize: 28, operation: operation)
        var local = SocketEndpoint()
        local.number = header.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        local.port = UInt16(header[2])  // the netlink protocol (NETLINK_ROUTE = 0, …)
        var peer = SocketEndpoint()
        peer.number = header.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        peer.port = UInt16(truncatingIfNeeded: header.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        let inode = UInt64(header.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        local.inode = inode
        var socket = Socket(
            proto: .netlink, family: .netlink, state: SocketState(rawValue: header[3]) ?? .close, local: local, peer: peer,
            receiveQueue: 0, sendQueue: 0, inode: inode)
        socket.cookie = cookie(header, at: 20)
        try NetlinkError.context("\(operation) inode \(inode)") {
            while let attribute = try cursor.next() {
                if attribute.type == NetlinkDiagAttribute.memoryInfo {
                    let memory = try memory(attribute)
                    socket.memory = memory
                    socket.receiveQueue = memory.receiveAllocated
                    socket.sendQueue = memory.sendAllocated
                }
            }
        }
        return socket
    }
}
