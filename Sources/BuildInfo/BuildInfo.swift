/// What this binary is: the release version and the git commit it was built from (the
/// commit is written by BuildInfoPlugin at build time; "unknown" outside a git checkout,
/// with "-dirty" when tracked files had uncommitted changes).
public enum BuildInfo {
    /// The release version; `make deb` names the package after it.
    public static let version = "0.1.0"
    public static let commit = gitCommit
    /// `netscope --version`: "0.1.0 (commit 1a2b3c4d5e6f)".
    public static var versionLine: String { "\(version) (commit \(commit))" }
}
