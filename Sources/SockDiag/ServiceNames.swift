#if canImport(Glibc)
import Glibc
#endif

/// Port numbers of service names (`:ssh`, `:http`), as ss resolves them (misc/ss.c
/// parse_hostcond): from the services database (/etc/services through NSS), looked up only for
/// the protocols being listed, so `ntp` (123/udp) is no port in a TCP-only filter.
public enum ServiceNames {
    /// The port of `name` for the given protocols ("tcp", "udp"); nil when none has it.
    /// Throws when two of them give it different ports, as ss does ("ambiguous port").
    public static func port(_ name: String, protocols: [String]) throws -> UInt16? {
        var found: UInt16?
        for proto in protocols {
            guard let entry = getservbyname(name, proto) else { continue }
            // s_port is in network byte order in the low 16 bits of an int.
            let port = UInt16(bigEndian: UInt16(truncatingIfNeeded: entry.pointee.s_port))
            if let found, found != port { throw FilterError(message: "ambiguous port \"\(name)\": \(found) or \(port)") }
            found = port
        }
        return found
    }
}
