#if canImport(Glibc)
import Glibc
#endif

/// Shell-style globs (fnmatch(3)): `*`, `?`, `[…]`.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }
}
