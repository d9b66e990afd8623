import NetModel
#if canImport(Glibc)
import Glibc
#endif

/// Compiles a `SocketFilter` to inet_diag bytecode (INET_DIAG_REQ_BYTECODE), the way ss does,
/// so the kernel drops non-matching sockets before they are copied to us.
///
/// A fragment of length L accepts by running off its end (offset L) and rejects by jumping to
/// L + 4. The kernel runs ops forward: on true it advances by `yes`, on false by `no`; the
/// filter accepts when it lands exactly on the end.
public enum FilterCompiler {
    /// INET_DIAG_BC_* op codes.
    enum Op: UInt8 {
        case nop = 0, jump = 1, sourceGE = 2, sourceLE = 3, destinationGE = 4, destinationLE = 5, auto = 6
        case sourceCondition = 7, destinationCondition = 8, deviceCondition = 9, markCondition = 10
        case sourceEqual = 11, destinationEqual = 12, cgroupCondition = 13
    }

    /// Throws for device names that were not resolved and for unix-path conditions, which
    /// cannot be expressed in inet bytecode (those filters run in user space).
    public static func compile(_ filter: SocketFilter) throws -> [UInt8] {
        switch filter {
        case let .and(a, b):
            var first = try compile(a)
            let second = try compile(b)
            patch(&first, relocation: second.count)
            return first + second
        case let .or(a, b):
            let first = try compile(a)
            let second = try compile(b)
            return first + op(.jump, yes: 4, no: UInt16(second.count + 4)) + second
        case let .not(a):
            return try compile(a) + op(.jump, yes: 4, no: 8)
        case let .port(side, comparison, port):
            let (ge, le, eq): (Op, Op, Op) = side == .source
                ? (.sourceGE, .sourceLE, .sourceEqual) : (.destinationGE, .destinationLE, .destinationEqual)
            func simple(_ code: Op) -> [UInt8] { op(code, yes: 8, no: 12) + op(.nop, yes: 0, no: port) }
            switch comparison {
            case .equal: return simple(eq)
            case .notEqual: return simple(eq) + op(.jump, yes: 4, no: 8)
            case .greaterOrEqual: return simple(ge)
            case .lessOrEqual: return simple(le)
            case .greater: return simple(le) + op(.jump, yes: 4, no: 8)
            case .less: return simple(ge) + op(.jump, yes: 4, no: 8)
            }
        case let .host(side, condition):
            guard condition.unixPath == nil else {
                throw FilterError(message: "unix path conditions cannot be compiled to inet bytecode")
            }
            var address: [UInt8] = []
            if condition.family != 0, let ip = condition.address { address = ip.bytes }
            let length = 4 + 8 + address.count
            var code = op(side == .source ? .sourceCondition : .destinationCondition, yes: UInt8(length), no: UInt16(length + 4))
            // struct inet_diag_hostcond { u8 family; u8 prefix_len; int port; be32 addr[]; }
            code += [condition.family, condition.prefixLength, 0, 0]
            code += withUnsafeBytes(of: condition.port) { Array($0) }
            return code + address
        case let .device(name, index):
            guard let index else { throw FilterError(message: "dev \(name) was not resolved to an interface index") }
            return op(.deviceCondition, yes: 8, no: 12) + withUnsafeBytes(of: index) { Array($0) }
        case let .mark(mark, mask):
            // struct inet_diag_markcond { u32 mark; u32 mask; }
            return op(.markCondition, yes: 12, no: 16) + withUnsafeBytes(of: mark) { Array($0) } + withUnsafeBytes(of: mask) { Array($0) }
        case let .cgroup(path, id):
            guard let id else { throw FilterError(message: "cgroup \(path) was not resolved to a cgroup id") }
            return op(.cgroupCondition, yes: 12, no: 16) + withUnsafeBytes(of: id) { Array($0) }
        case .autobound:
            return op(.auto, yes: 4, no: 8)
        }
    }

    /// struct inet_diag_bc_op { u8 code; u8 yes; u16 no; }
    static func op(_ code: Op, yes: UInt8, no: UInt16) -> [UInt8] {
        [code.rawValue, yes] + withUnsafeBytes(of: no) { Array($0) }
    }

    /// Retargets a fragment's reject jumps (to its end + 4) to the end + 4 of the fragment it is
    /// being joined with, as ss's ssfilter_patch does for "and".
    static func patch(_ code: inout [UInt8], relocation: Int) {
        var position = 0
        let length = code.count
        while position < length {
            let no = Int(code.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 2, as: UInt16.self) })
            if position + no == length + 4 {
                let patched = UInt16(no + relocation)
                code.withUnsafeMutableBytes { $0.storeBytes(of: patched, toByteOffset: position + 2, as: UInt16.self) }
            }
            let yes = Int(code[position + 1])
            position += yes
        }
    }

    /// Runs bytecode the way the kernel's inet_diag_bc_run does, for tests: proves the compiled
    /// program and `SocketFilter.matches` agree without needing a kernel.
    public static func run(_ code: [UInt8], on socket: Socket) -> Bool {
        var position = 0
        var remaining = code.count
        while remaining > 0 {
            let opcode = code[position]
            let yes = Int(code[position + 1])
            let no = Int(code.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 2, as: UInt16.self) })
            var result = true
            func argument() -> UInt16 { code.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 6, as: UInt16.self) } }
            switch Op(rawValue: opcode) {
            case .nop: break
            case .jump: result = false
            case .sourceGE: result = socket.local.port >= argument()
            case .sourceLE: result = socket.local.port <= argument()
            case .destinationGE: result = socket.peer.port >= argument()
            case .destinationLE: result = socket.peer.port <= argument()
            case .sourceEqual: result = socket.local.port == argument()
            case .destinationEqual: result = socket.peer.port == argument()
            case .deviceCondition:
                result = socket.local.interfaceIndex == code.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self) }
            case .markCondition:
                let (mark, mask) = code.withUnsafeBytes {
                    ($0.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self), $0.loadUnaligned(fromByteOffset: position + 8, as: UInt32.self))
                }
                result = socket.mark.map { $0 & mask == mark } ?? false
            case .cgroupCondition:
                result = socket.cgroupID == code.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 4, as: UInt64.self) }
            case .sourceCondition, .destinationCondition:
                let family = code[position + 4]
                let prefix = code[position + 5]
                let port = code.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position + 8, as: Int32.self) }
                let addressBytes = Array(code[(position + 12)..<(position + yes)])
                let condition = HostCondition(
                    family: family, address: addressBytes.isEmpty ? nil : IPAddress(bytes: addressBytes), prefixLength: prefix, port: port)
                result = FilterEvaluator.host(condition, endpoint: opcode == Op.sourceCondition.rawValue ? socket.local : socket.peer,
                                              family: socket.family)
            default: return false
            }
            let step = result ? yes : no
            remaining -= step
            position += step
        }
        return remaining == 0
    }
}

/// The same filters evaluated in user space: for unix, packet and netlink sockets, and for the
/// /proc fallback. Host conditions follow the kernel's inet_diag rules exactly.
public enum FilterEvaluator {
    public static func matches(_ filter: SocketFilter, _ socket: Socket) -> Bool {
        switch filter {
        case let .and(a, b): return matches(a, socket) && matches(b, socket)
        case let .or(a, b): return matches(a, socket) || matches(b, socket)
        case let .not(a): return !matches(a, socket)
        case let .port(side, comparison, port):
            guard socket.proto.isInet else { return false }
            let value = side == .source ? socket.local.port : socket.peer.port
            switch comparison {
            case .equal: return value == port
            case .notEqual: return value != port
            case .greaterOrEqual: return value >= port
            case .lessOrEqual: return value <= port
            case .greater: return value > port
            case .less: return value < port
            }
        case let .host(side, condition):
            if let pattern = condition.unixPath {
                // ss's unix_match: fnmatch(pattern, name or "", FNM_NOESCAPE).
                guard socket.proto.isUnix else { return false }
                let path = (side == .source ? socket.local.path : socket.peer.path) ?? ""
                return globMatch(pattern, path)
            }
            guard socket.proto.isInet else {
                // ss: a condition without address, port or family ("*", "any") holds for
                // every socket, unix and packet ones included.
                return condition.family == 0 && condition.prefixLength == 0 && condition.port == -1
            }
            return host(condition, endpoint: side == .source ? socket.local : socket.peer, family: socket.family)
        case let .device(_, index):
            guard let index else { return false }
            return socket.local.interfaceIndex == index
        case let .mark(mark, mask):
            return socket.mark.map { $0 & mask == mark } ?? false
        case let .cgroup(_, id):
            guard let id else { return false }
            return socket.cgroupID == id
        case let .autobound(ports):
            // ss's user-space test: an inet socket whose local port is in the ephemeral range
            // (the kernel's own test runs in the bytecode).
            guard socket.proto.isInet, let ports else { return false }
            return ports.contains(socket.local.port)
        }
    }

    /// inet_diag_bc_run's S_COND/D_COND: port first, then the prefix; an IPv4 condition also
    /// matches IPv4-mapped addresses of IPv6 sockets.
    static func host(_ condition: HostCondition, endpoint: SocketEndpoint, family: AddressFamily) -> Bool {
        if condition.port != -1 && condition.port != Int32(endpoint.port) { return false }
        // The family is checked before the prefix length, as the kernel does: `src ::/0`
        // matches IPv6 sockets only (ss's own user-space re-check ignores the family).
        var bytes = endpoint.address?.bytes ?? []
        if condition.family != 0 && condition.family != family.rawValue {
            guard family == .inet6, condition.family == AddressFamily.inet.rawValue, bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff,
                bytes[11] == 0xff
            else { return false }
            bytes = Array(bytes[12...])
        }
        if condition.prefixLength == 0 { return true }
        guard let want = condition.address, !bytes.isEmpty else { return false }
        return IPAddress.prefixMatch(bytes, want.bytes, bits: Int(condition.prefixLength))
    }

    /// fnmatch(3) with FNM_NOESCAPE, as ss matches unix paths: `*`, `?` and classes
    /// (`[a-c]`, `[!a]`).
    static func globMatch(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, FNM_NOESCAPE) == 0
    }
}
