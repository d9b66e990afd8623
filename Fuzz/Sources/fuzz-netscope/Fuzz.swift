import NetModel
import Netlink
import NetscopeKit
import ProcNet
import RouteNetlink
import SockDiag

/// One libFuzzer entry point for every parser that reads untrusted bytes. The first byte
/// chooses the target; the rest is its input. Every input must end in a value or a thrown
/// error: a crash, a trap or a sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let selector = data[0] % 16
    let input = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let text = String(decoding: input, as: UTF8.self)
    switch selector {
    case 0...7:
        // Netlink datagrams through the message walk into one decoder each.
        _ = try? Netlink.forEachMessage(in: input, operation: "fuzz") { message in
            switch selector {
            case 0: _ = try? LinkDecoder.decode(message)
            case 1: _ = try? AddressDecoder.decode(message)
            case 2: _ = try? RouteDecoder.decode(message)
            case 3: _ = try? RuleDecoder.decode(message)
            case 4: _ = try? NeighborDecoder.decode(message)
            case 5: _ = try? SockDiagDecoder.inet(message, proto: .tcp)
            case 6: _ = try? SockDiagDecoder.unix(message)
            default:
                _ = try? SockDiagDecoder.packet(message)
                _ = try? SockDiagDecoder.netlink(message)
                _ = try? SockDiagDecoder.tcpInfoSample(message)
            }
            return true
        }
    case 8: _ = try? SNMPParser.parse(text)
    case 9: _ = try? SNMP6Parser.parse(text)
    case 10: _ = try? SockstatParser.parse(text)
    case 11: _ = try? DevParser.parse(text); _ = try? SoftnetParser.parse(text)
    case 12: _ = try? SocketTableParser.parseInet(text, file: "tcp"); _ = try? SocketTableParser.parseUnix(text)
    case 13:
        // ss filter expressions, parsed and then compiled to bytecode.
        if case .some(.some(let filter)) = try? FilterParser.parse(text.split(separator: " ").map(String.init)) {
            _ = try? FilterCompiler.compile(filter)
        }
    case 14: _ = try? JSONParser.parse(Array(input))
    default: _ = TCPInfoDecoder.decode(input)
    }
    return 0
}
