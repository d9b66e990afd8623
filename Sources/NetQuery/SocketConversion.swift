import Netlink
import NetModel
import ProcNet

/// /proc/net rows to the same `Socket` model sock_diag produces.
package enum SocketConversion {
    package static func socket(from entry: ProcInetSocket, proto: SocketProtocol) -> Socket {
        var local = SocketEndpoint(address: entry.local, port: entry.localPort)
        local.inode = entry.inode
        var socket = Socket(
            proto: proto, family: entry.local.family, state: SocketState(rawValue: entry.state) ?? .close,
            local: local, peer: SocketEndpoint(address: entry.remote, port: entry.remotePort),
            receiveQueue: entry.rxQueue, sendQueue: entry.txQueue, inode: entry.inode)
        socket.uid = entry.uid
        if entry.timer != 0 {
            // tm->when is in clock ticks (USER_HZ = 100 on Linux): 10 ms each.
            socket.timer = SocketTimer(
                kind: entry.timer, expiresMilliseconds: UInt32(clamping: entry.timerExpires * 10),
                retransmits: UInt8(clamping: entry.retransmits))
        }
        return socket
    }

    package static func socket(from entry: ProcUnixSocket) -> Socket? {
        let proto: SocketProtocol
        switch entry.type {
        case 1: proto = .unixStream
        case 2: proto = .unixDatagram
        case 5: proto = .unixSequential
        default: return nil
        }
        let state: SocketState
        if entry.isListening {
            state = .listen
        } else {
            switch entry.state {
            case 2: state = .synSent
            case 3: state = .established
            case 4: state = .closing
            default: state = .close
            }
        }
        var local = SocketEndpoint()
        local.path = entry.path
        local.inode = entry.inode
        return Socket(proto: proto, family: .unix, state: state, local: local, peer: SocketEndpoint(), receiveQueue: 0, sendQueue: 0,
                      inode: entry.inode)
    }
}
