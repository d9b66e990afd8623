/// An IPv4 or IPv6 address. Formats like glibc's inet_ntop, so our text equals what iproute2
/// prints (RFC 5952 compression; IPv4-mapped as ::ffff:a.b.c.d). Stored inline (no heap
/// allocation), because socket dumps create hundreds of thousands of them.
public enum IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    case v4(UInt8, UInt8, UInt8, UInt8)
    /// The 16 bytes as two big-endian halves: bytes 0-7 and 8-15.
    case v6(UInt64, UInt64)

    /// From 16 bytes in network order.
    public static func v6(bytes: UnsafeRawBufferPointer) -> IPAddress {
        .v6(UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// From raw bytes: 4 make an IPv4 address, 16 an IPv6 one; anything else is nil.
    public init?(bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        switch array.count {
        case 4: self = .v4(array[0], array[1], array[2], array[3])
        case 16: self = array.withUnsafeBytes { IPAddress.v6(bytes: $0) }
        default: return nil
        }
    }

    /// Parses dotted-quad or IPv6 text (with :: and an embedded IPv4 tail).
    public init?(_ text: some StringProtocol) {
        if text.contains(":") {
            guard let bytes = IPAddress.parseV6(String(text)) else { return nil }
            self = bytes.withUnsafeBytes { IPAddress.v6(bytes: $0) }
        } else {
            guard let bytes = IPAddress.parseV4(String(text)) else { return nil }
            self = .v4(bytes[0], bytes[1], bytes[2], bytes[3])
        }
    }

    public var bytes: [UInt8] {
        switch self {
        case let .v4(a, b, c, d): return [a, b, c, d]
        case let .v6(high, low):
            return withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
        }
    }

    /// Whether the first `bits` bits of two addresses' bytes are equal (the kernel's
    /// bitstring_match, ip's inet_addr_match); false when `bits` is longer than either.
    @inlinable
    public static func prefixMatch(_ a: [UInt8], _ b: [UInt8], bits: Int) -> Bool {
        guard bits <= a.count * 8, bits <= b.count * 8 else { return false }
        let whole = bits / 8
        if whole > 0 && a[0..<whole] != b[0..<whole] { return false }
        let rest = bits % 8
        if rest == 0 { return true }
        let mask = UInt8(0xff) << (8 - rest)
        return a[whole] & mask == b[whole] & mask
    }

    /// True for 0.0.0.0 and ::.
    public var isUnspecified: Bool {
        switch self {
        case let .v4(a, b, c, d): return a | b | c | d == 0
        case let .v6(high, low): return high | low == 0
        }
    }

    /// 224.0.0.0/4 (IN_MULTICAST) and ff00::/8 (IN6_IS_ADDR_MULTICAST).
    public var isMulticast: Bool {
        switch self {
        case let .v4(a, _, _, _): return a & 0xF0 == 0xE0
        case let .v6(high, _): return high >> 56 == 0xFF
        }
    }

    public var family: AddressFamily {
        switch self {
        case .v4: return .inet
        case .v6: return .inet6
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        let (l, r) = (lhs.bytes, rhs.bytes)
        if l.count != r.count { return l.count < r.count }
        return l.lexicographicallyPrecedes(r)
    }

    public var description: String {
        switch self {
        case let .v4(a, b, c, d): return "\(a).\(b).\(c).\(d)"
        case .v6: return IPAddress.formatV6(bytes)
        }
    }

    static func formatV6(_ bytes: [UInt8]) -> String {
        var words = [Int](repeating: 0, count: 8)
        for i in 0..<8 { words[i] = Int(bytes[2 * i]) << 8 | Int(bytes[2 * i + 1]) }
        // Longest run of zero words (first one wins a tie); runs shorter than 2 stay.
        var bestBase = -1, bestLength = 0, currentBase = -1, currentLength = 0
        for i in 0..<8 {
            if words[i] == 0 {
                if currentBase == -1 { currentBase = i; currentLength = 1 } else { currentLength += 1 }
            } else if currentBase != -1 {
                if bestBase == -1 || currentLength > bestLength { bestBase = currentBase; bestLength = currentLength }
                currentBase = -1
            }
        }
        if currentBase != -1, bestBase == -1 || currentLength > bestLength {
            bestBase = currentBase; bestLength = currentLength
        }
        if bestBase != -1, bestLength < 2 { bestBase = -1 }
        var text = ""
        var i = 0
        while i < 8 {
            if bestBase != -1, i >= bestBase, i < bestBase + bestLength {
                if i == bestBase { text += ":" }
                i += 1
                continue
            }
            if i != 0 { text += ":" }
            // glibc's rule for an embedded IPv4 tail: ::a.b.c.d (but not ::1) and ::ffff:a.b.c.d.
            if i == 6, bestBase == 0,
                bestLength == 6 || (bestLength == 7 && words[7] != 1) || (bestLength == 5 && words[5] == 0xffff)
            {
                text += "\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])"
                return text
            }
            text += String(words[i], radix: 16)
            i += 1
        }
        if bestBase != -1, bestBase + bestLength == 8 { text += ":" }
        return text
    }

    static func parseV4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func splitOnDoubleColon(_ text: String) -> [String] {
        let characters = Array(text)
        var parts: [String] = []
        var start = 0, index = 0
        while index < characters.count {
            if characters[index] == ":", index + 1 < characters.count, characters[index + 1] == ":" {
                parts.append(String(characters[start..<index]))
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        parts.append(String(characters[start...]))
        return parts
    }

    static func parseV6(_ text: String) -> [UInt8]? {
        var head: [UInt16] = [], tail: [UInt16] = []
        let halves = splitOnDoubleColon(text)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowV4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowV4Tail, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseV4(String(piece)) else { return nil }
                    result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        if halves.count == 2 {
            guard let h = groups(halves[0], allowV4Tail: false), let t = groups(halves[1], allowV4Tail: true) else { return nil }
            guard h.count + t.count <= 7 else { return nil }
            head = h; tail = t
        } else {
            guard let all = groups(halves[0], allowV4Tail: true), all.count == 8 else { return nil }
            head = all
        }
        let words = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

/// AF_* values the model distinguishes.
public enum AddressFamily: Hashable, Sendable {
    case inet, inet6, other(UInt8)

    /// AF_INET = 2, AF_INET6 = 10 (Linux).
    public init(rawValue: UInt8) {
        switch rawValue {
        case 2: self = .inet
        case 10: self = .inet6
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .inet: return 2
        case .inet6: return 10
        case .other(let value): return value
        }
    }

    /// AF_UNIX, AF_NETLINK, AF_PACKET, AF_BRIDGE: the families of the sockets and neighbour
    /// entries that are not IP.
    public static let unix = AddressFamily.other(1)
    public static let netlink = AddressFamily.other(16)
    public static let packet = AddressFamily.other(17)
    public static let bridge = AddressFamily.other(7)

    /// The prefix length of one host: 32 for IPv4, 128 for IPv6 (0 for other families).
    public var hostPrefixLength: UInt8 {
        switch self {
        case .inet: return 32
        case .inet6: return 128
        case .other: return 0
        }
    }

    /// The name iproute2 prints: "inet", "inet6", or the number.
    public var name: String {
        switch self {
        case .inet: return "inet"
        case .inet6: return "inet6"
        case .other(let value): return value == 0 ? "unspec" : String(value)
        }
    }
}

/// Link-layer addresses as iproute2 prints them (ll_addr_n2a): lowercase hex pairs joined
/// by colons; tunnels whose "hardware" address is an IP address print it as one.
public enum HardwareAddress {
    public static func format(_ bytes: [UInt8], linkType: UInt16) -> String {
        isHexadecimal(linkType: linkType, count: bytes.count) ? hex(bytes) : IPAddress(bytes: bytes)!.description
    }

    /// Whether ip prints this link-layer address as hex pairs: everything but the IPv4 and
    /// IPv6 endpoints of tunnels.
    public static func isHexadecimal(linkType: UInt16, count: Int) -> Bool {
        switch (linkType, count) {
        // ARPHRD_TUNNEL, ARPHRD_SIT, ARPHRD_IPGRE carry IPv4 endpoints.
        case (768, 4), (776, 4), (778, 4): return false
        // ARPHRD_TUNNEL6, ARPHRD_IP6GRE carry IPv6 endpoints.
        case (769, 16), (823, 16): return false
        default: return true
        }
    }

    /// "02:fc:00:00:00:01": written as bytes, not appended Character by Character (that was
    /// a tenth of `counters --json` on a thousand links).
    public static func hex(_ bytes: [UInt8]) -> String {
        withHex(bytes) { String(decoding: $0, as: UTF8.self) }
    }

    /// The hex-pairs text of `bytes`, in a buffer on the stack, handed to `body`: the tables
    /// and the JSON writer copy it straight into their output, with no String per address.
    public static func withHex<R>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count * 3 - 1, 0)) { buffer in
            var length = 0
            for (index, byte) in bytes.enumerated() {
                if index > 0 { buffer[length] = 58; length += 1 }
                buffer[length] = table[Int(byte >> 4)]
                buffer[length + 1] = table[Int(byte & 0xF)]
                length += 2
            }
            return body(UnsafeBufferPointer(rebasing: buffer[0..<length]))
        }
    }
}

extension IPAddress {
    /// Writes the text form into `buffer` (at least 46 bytes) without allocating; returns
    /// its length. Same text as `description`.
    public func format(into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        var length = 0
        @inline(__always) func put(_ byte: UInt8) { buffer[length] = byte; length += 1 }
        func decimal(_ value: UInt8) {
            if value >= 100 { put(48 + value / 100) }
            if value >= 10 { put(48 + (value / 10) % 10) }
            put(48 + value % 10)
        }
        switch self {
        case let .v4(a, b, c, d):
            decimal(a); put(46); decimal(b); put(46); decimal(c); put(46); decimal(d)
        case let .v6(high, low):
            var words = (UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
            withUnsafeMutableBytes(of: &words) { raw in
                let w = raw.bindMemory(to: UInt16.self)
                for i in 0..<4 {
                    w[i] = UInt16(truncatingIfNeeded: high >> UInt64(48 - 16 * i))
                    w[4 + i] = UInt16(truncatingIfNeeded: low >> UInt64(48 - 16 * i))
                }
            }
            withUnsafeBytes(of: &words) { raw in
                let w = raw.bindMemory(to: UInt16.self)
                var bestBase = -1, bestLength = 0, currentBase = -1, currentLength = 0
                for i in 0..<8 {
                    if w[i] == 0 {
                        if currentBase == -1 { currentBase = i; currentLength = 1 } else { currentLength += 1 }
                    } else if currentBase != -1 {
                        if bestBase == -1 || currentLength > bestLength { bestBase = currentBase; bestLength = currentLength }
                        currentBase = -1
                    }
                }
                if currentBase != -1, bestBase == -1 || currentLength > bestLength { bestBase = currentBase; bestLength = currentLength }
                if bestBase != -1, bestLength < 2 { bestBase = -1 }
                var i = 0
                while i < 8 {
                    if bestBase != -1, i >= bestBase, i < bestBase + bestLength {
                        if i == bestBase { put(58) }
                        i += 1
                        continue
                    }
                    if i != 0 { put(58) }
                    if i == 6, bestBase == 0,
                        bestLength == 6 || (bestLength == 7 && w[7] != 1) || (bestLength == 5 && w[5] == 0xffff)
                    {
                        decimal(UInt8(w[6] >> 8)); put(46); decimal(UInt8(w[6] & 0xff)); put(46)
                        decimal(UInt8(w[7] >> 8)); put(46); decimal(UInt8(w[7] & 0xff))
                        return
                    }
                    let word = w[i]
                    var started = false
                    for shift in stride(from: 12, through: 0, by: -4) {
                        let nibble = Int((word >> UInt16(shift)) & 0xf)
                        if nibble != 0 || started || shift == 0 { put(nibble < 10 ? UInt8(48 + nibble) : UInt8(87 + nibble)); started = true }
                    }
                    i += 1
                }
                if bestBase != -1, bestBase + bestLength == 8 { put(58) }
            }
        }
        return length
    }
}
