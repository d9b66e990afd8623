#if canImport(Glibc)
import Glibc
#endif

/// Every failure the netlink layer reports: which operation, the errno (0 when the
/// problem is in the bytes rather than the kernel's answer), and the kernel's own
/// explanation from the extended ack (`NLMSGERR_ATTR_MSG`) when it sent one.
public struct NetlinkError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// A syscall failed (socket, bind, sendto, recvfrom, setns, open).
        case system
        /// The kernel answered with NLMSG_ERROR or an error in NLMSG_DONE.
        case kernel
        /// The bytes do not form valid netlink messages or attributes.
        case malformed
        /// The dump kept being interrupted (NLM_F_DUMP_INTR) past the restart budget.
        case interrupted
    }

    public var kind: Kind
    /// What we were doing, e.g. "RTM_GETLINK dump" or "recvfrom".
    public var operation: String
    /// errno, positive; 0 for `.malformed`.
    public var errno: Int32
    /// Extended-ack text from the kernel, or for `.malformed` what exactly was wrong.
    public var message: String?
    /// NLMSGERR_ATTR_OFFS from the kernel, or the byte offset of a malformed element.
    public var offset: Int?

    public init(kind: Kind, operation: String, errno: Int32 = 0, message: String? = nil, offset: Int? = nil) {
        self.kind = kind
        self.operation = operation
        self.errno = errno
        self.message = message
        self.offset = offset
    }

    public static func system(_ operation: String, errno: Int32) -> NetlinkError {
        NetlinkError(kind: .system, operation: operation, errno: errno)
    }

    public static func malformed(_ operation: String, _ what: String, offset: Int) -> NetlinkError {
        NetlinkError(kind: .malformed, operation: operation, message: what, offset: offset)
    }

    public var description: String {
        switch kind {
        case .malformed:
            return "\(operation): malformed netlink data at byte \(offset ?? 0): \(message ?? "unknown problem")"
        case .interrupted:
            return "\(operation): \(message ?? "dump interrupted")"
        case .system, .kernel:
            var text = "\(operation): \(Self.errnoText(errno))"
            if let message, !message.isEmpty { text += " (kernel: \(message))" }
            if kind == .kernel, let offset { text += " [at request byte \(offset)]" }
            return text
        }
    }

    /// strerror(3) text, e.g. "No such file or directory".
    public static func errnoText(_ code: Int32) -> String {
        guard let cString = strerror(code) else { return "errno \(code)" }
        return String(cString: cString)
    }
}

extension NetlinkError {
    /// Runs `body`, replacing the operation of a `.malformed` error it throws with `operation`
    /// so an attribute error names the message it was found in ("RTM_NEWLINK ifindex 3").
    @inlinable
    public static func context<R>(_ operation: @autoclosure () -> String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch var error as NetlinkError where error.kind == .malformed {
            error.operation = operation()
            throw error
        }
    }
}
