import Foundation

/// The committed fixtures (Tests/Fixtures: captured dumps, /proc trees, snapshots, goldens),
/// for every test target: one loader instead of one per target.
public enum FixtureFiles {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    public static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

    public static func text(_ name: String) throws -> String { try String(contentsOf: url(name), encoding: .utf8) }

    /// Compares `text` with the golden file `name`; NETSCOPE_UPDATE_GOLDEN=1 rewrites it first.
    /// Returns the golden text, for the caller's expectation.
    public static func golden(_ name: String, _ text: String) throws -> String {
        if ProcessInfo.processInfo.environment["NETSCOPE_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url(name), atomically: true, encoding: .utf8)
        }
        return try self.text(name)
    }
}
