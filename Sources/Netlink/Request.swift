import CMnl
import CNetlinkHeaders

/// A request message built with libmnl (mnl_nlmsg_put_header / mnl_attr_put_*).
/// The sequence number is stamped by `NetlinkConnection` when it is sent.
public struct NetlinkRequest: Sendable {
    public private(set) var bytes: [UInt8]
    /// For error messages: "RTM_GETLINK dump".
    public let operation: String

    /// Builds `type` with `flags` (NLM_F_REQUEST is always added), the family header
    /// `header` (ifinfomsg, ifaddrmsg, …) and whatever attributes `attributes` appends.
    public init<Header: BitwiseCopyable>(
        type: UInt16, flags: UInt16, header: Header, operation: String,
        attributes: (UnsafeMutablePointer<nlmsghdr>) -> Void = { _ in }
    ) {
        self.operation = operation
        var storage = [UInt8](repeating: 0, count: 1024)
        let length = storage.withUnsafeMutableBytes { raw -> Int in
            let nlh = mnl_nlmsg_put_header(raw.baseAddress!)!
            nlh.pointee.nlmsg_type = type
            nlh.pointee.nlmsg_flags = UInt16(NLM_F_REQUEST) | flags
            var copy = header
            let extra = mnl_nlmsg_put_extra_header(nlh, MemoryLayout<Header>.size)!
            withUnsafeBytes(of: &copy) { extra.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            attributes(nlh)
            return Int(nlh.pointee.nlmsg_len)
        }
        storage.removeSubrange(length...)
        self.bytes = storage
    }

    /// Creates a request from raw bytes (tests, fuzzing).
    public init(bytes: [UInt8], operation: String) {
        self.bytes = bytes
        self.operation = operation
    }

    mutating func stamp(sequence: UInt32) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: sequence, toByteOffset: 8, as: UInt32.self) }
    }

    public var sequence: UInt32 { bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) } }
}

/// NLM_F_* and NLMSG_* values as Swift constants (the C macros import as Int32).
public enum NetlinkFlags {
    public static let request = UInt16(NLM_F_REQUEST)
    public static let multi = UInt16(NLM_F_MULTI)
    public static let ack = UInt16(NLM_F_ACK)
    public static let dump = UInt16(NLM_F_DUMP)
    public static let dumpInterrupted = UInt16(NLM_F_DUMP_INTR)
    /// NLM_F_CAPPED: the error message carries only the request header.
    public static let capped = UInt16(0x100)
    /// NLM_F_ACK_TLVS: extended-ack attributes follow.
    public static let ackTLVs = UInt16(0x200)
}

public enum NetlinkMessageType {
    public static let noop = UInt16(NLMSG_NOOP)
    public static let error = UInt16(NLMSG_ERROR)
    public static let done = UInt16(NLMSG_DONE)
    public static let overrun = UInt16(NLMSG_OVERRUN)
}
