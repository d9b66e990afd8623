import NetModel
import Netlink

extension SockDiagDecoder {
    /// struct packet_diag_msg (16 bytes) and PACKET_DIAG_* attributes.
    public static func packet(_ message: NetlinkMessage) throws -> Socket {
        let operation = "packet_diag_msg"
        var (header, cursor) = try message.split(headerSize: 16, operation: operation)
        let proto: SocketProtocol = header[1] == SocketType.datagram ? .packetDatagram : .packetRaw
        var local = SocketEndpoint()
        // pdiag_num: the kernel converts the protocol to host order (ntohs) before sending.
        local.number = UInt32(header.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        let inode = UInt64(header.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        local.inode = inode
        var socket = Socket(
            proto: proto, family: .packet, state: .close, local: local, peer: SocketEndpoint(), receiveQueue: 0, sendQueue: 0,
            inode: inode)
        socket.cookie = cookie(header, at: 8)
        try NetlinkError.context("\(operation) inode \(inode)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case PacketDiagAttribute.info: socket.local.interfaceIndex = try attribute.uint32()  // pdi_index first
                case PacketDiagAttribute.uid: socket.uid = try attribute.uint32()
                case PacketDiagAttribute.memoryInfo:
                    let memory = try memory(attribute)
                    socket.memory = memory
                    socket.receiveQueue = memory.receiveAllocated
                    socket.sendQueue = memory.sendAllocated
                default: break
                }
            }
        }
        return socket
    }
}
