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
}
