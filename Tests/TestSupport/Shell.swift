import Foundation

/// Runs commands for live tests and finds the netscope binary under test.
public enum Shell {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    @discardableResult
    public static func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if input != nil { process.standardInput = Pipe() }
        try process.run()
        if let input, let pipe = process.standardInput as? Pipe {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
        }
        // Read both pipes before waiting so a large output cannot block the child.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Runs and requires exit status 0; the error carries stderr.
    @discardableResult
    public static func check(_ arguments: [String]) throws -> String {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// NETSCOPE_BIN (set by `make test`), else the debug build next to the sources.
    public static var netscope: String {
        if let path = ProcessInfo.processInfo.environment["NETSCOPE_BIN"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/netscope").path
    }
}

/// Whether tests that need root, `ip` and namespaces can run here. Under CI=true they must:
/// the tests then fail instead of being skipped.
public enum LiveEnvironment {
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public static var available: Bool {
        guard getuid() == 0 else { return false }
        return (try? Shell.run(["ip", "-V"]).status) == 0
    }

    /// Use as `.enabled(if: LiveEnvironment.shouldRun)`: in CI the test always runs (and fails
    /// loudly if the environment is missing).
    public static var shouldRun: Bool { isCI || available }
}

/// A network namespace made for one test, deleted when the test ends, even on failure.
public final class TestNamespace: @unchecked Sendable {
    public let name: String
    /// Namespaces that must live as long as this one (the far end of a veth pair: deleting
    /// it deletes the pair).
    public var companions: [TestNamespace] = []
    private static let counter = Counter()

    public init(_ label: String) throws {
        name = "nst-\(label)-\(getpid())-\(TestNamespace.counter.next())"
        try Shell.check(["ip", "netns", "add", name])
    }

    deinit { _ = try? Shell.run(["ip", "netns", "del", name]) }

    /// `ip -n NAME args…`
    @discardableResult
    public func ip(_ arguments: String...) throws -> String {
        try Shell.check(["ip", "-n", name] + arguments)
    }

    /// `ip -n NAME` with the arguments as one space-separated string.
    @discardableResult
    public func ip(line: String) throws -> String {
        try Shell.check(["ip", "-n", name] + line.split(separator: " ").map(String.init))
    }

    public func netscope(_ arguments: String...) throws -> Shell.Result {
        try Shell.run([Shell.netscope] + arguments + ["--netns", name])
    }

    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }
}
