/// A key as `top` understands it, decoded from the bytes a terminal sends: plain bytes, and
/// the escape sequences of arrows, PgUp/PgDn, Home/End (CSI and SS3 forms, as xterm, tmux,
/// screen and the Linux console send them). A lone ESC is the Escape key.
package enum Key: Equatable, Sendable {
    case character(UInt8)
    case up, down, left, right, pageUp, pageDown, home, end
    case escape, enter, tab, backspace
    /// A sequence netscope does not use (F-keys, Insert, …): ignored, never taken for Escape.
    case unknown

    /// ESC, CSI and SS3 introducers.
    static let escapeByte: UInt8 = 0x1B
    static let csiByte = UInt8(ascii: "[")
    static let ss3Byte = UInt8(ascii: "O")

    /// Decodes every key in `bytes`. A trailing ESC (or an unfinished sequence) is returned
    /// as `pending` bytes: the caller waits briefly for the rest before taking it for Escape.
    package static func decode(_ bytes: [UInt8]) -> (keys: [Key], pending: [UInt8]) {
        var keys: [Key] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == escapeByte else {
                switch byte {
                case 9: keys.append(.tab)
                case 10, 13: keys.append(.enter)
                case 8, 127: keys.append(.backspace)
                default: keys.append(.character(byte))
                }
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return (keys, Array(bytes[index...])) }
            let introducer = bytes[index + 1]
            if introducer == ss3Byte {
                guard index + 2 < bytes.count else { return (keys, Array(bytes[index...])) }
                keys.append(final(bytes[index + 2], parameter: nil))
                index += 3
                continue
            }
            guard introducer == csiByte else {
                // ESC followed by something else: Escape, then that key (Alt+key arrives so).
                keys.append(.escape)
                index += 1
                continue
            }
            // CSI: parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, one final 0x40-0x7E.
            var end = index + 2
            while end < bytes.count, (0x20...0x3F).contains(bytes[end]) { end += 1 }
            guard end < bytes.count else { return (keys, Array(bytes[index...])) }
            let parameter = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
            keys.append(final(bytes[end], parameter: parameter))
            index = end + 1
        }
        return (keys, [])
    }

    static func final(_ byte: UInt8, parameter: String?) -> Key {
        switch byte {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch parameter?.split(separator: ";").first {
            case "1", "7": return .home
            case "4", "8": return .end
            case "5": return .pageUp
            case "6": return .pageDown
            default: return .unknown
            }
        default: return .unknown
        }
    }
}
