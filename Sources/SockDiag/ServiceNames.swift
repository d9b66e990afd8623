#if canImport(Glibc)
import Glibc
#endif

/// Port numbers of service names (`:ssh`, `:http`), as ss resolves them: from the services
/// database (/etc/services through NSS), TCP first, then UDP.
public enum ServiceNames {
    public static func port(_ name: String) -> UInt16? {
        for proto in ["tcp", "udp"] {
            if let entry = getservbyname(name, proto) {
                // s_port is in network byte order in the low 16 bits of an int.
                return UInt16(bigEndian: UInt16(truncatingIfNeeded: entry.pointee.s_port))
            }
        }
        return nil
    }
}
