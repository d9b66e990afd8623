#if canImport(Glibc)
import Glibc
#endif

/// One line on stderr, prefixed like every netscope message, for what the user should know
/// but that does not stop the command (a permission gap, a fallback, an unreadable file).
func warn(_ text: String) {
    var line = "netscope: \(text)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
