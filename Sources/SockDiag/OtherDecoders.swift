import NetModel
import Netlink

extension SockDiagDecoder {
    /// struct unix_diag_msg (16 bytes) and UNIX_DIAG_* attributes.
    public static func unix(_ message: NetlinkMessage) throws -> Socket {
        let operation = "unix_diag_msg"
        var (header, cursor) = try message.split(headerSize: 16, operation: operation)
        let proto: SocketProtocol
        switch header[1] {
        case SocketType.stream: proto = .unixStream
        case SocketType.datagram: proto = .unixDatagram
        case SocketType.sequentialPacket: proto = .unixSequential
        default:
            throw NetlinkError.malformed(operation, "unix socket type \(header[1])", offset: message.offset)
        }
        var local = SocketEndpoint()
        var peer = SocketEndpoint()
        let inode = UInt64(header.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        local.inode = inode
        var socket = Socket(
            proto: proto, family: .unix, state: SocketState(rawValue: header[2]) ?? .close, local: local, peer: peer,
            receiveQueue: 0, sendQueue: 0, inode: inode)
        socket.cookie = cookie(header, at: 8)
        try NetlinkError.context("\(operation) inode \(inode)") {
            while let attribute = try cursor.next() {
                switch attribute.type {
                case UnixDiagAttribute.name:  // not NUL-terminated; abstract names start with a NUL
                    let bytes = attribute.payload
                    if bytes.first == 0 {
                        local.path = "@" + String(decoding: bytes.dropFirst(), as: UTF8.self)
                    } else {
                        local.path = attribute.string()
                    }
                case UnixDiagAttribute.peer: peer.inode = UInt64(try attribute.uint32())
                case UnixDiagAttribute.receiveQueueLength:
                    guard attribute.payload.count >= 8 else {
                        throw NetlinkError.malformed("UNIX_DIAG_RQLEN", "\(attribute.payload.count) bytes, 8 expected", offset: attribute.offset)
                    }
                    socket.receiveQueue = attribute.payload.loadUnaligned(as: UInt32.self)
                    socket.sendQueue = attribute.payload.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                case UnixDiagAttribute.memoryInfo: socket.memory = try memory(attribute)
                case UnixDiagAttribute.shutdown: socket.shutdown = try attribute.uint8()
                case UnixDiagAttribute.uid: socket.uid = try attribute.uint32()
                default: break
                }
            }
        }
        socket.local = local
        socket.peer = peer
        return socket
    }

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
