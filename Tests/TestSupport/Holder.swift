import Foundation

/// A Python script running inside a test namespace that holds sockets open, prints "ready"
/// when they exist, and then answers commands written to its stdin one line at a time (each
/// answered with one line). Killed when the test lets go of it.
public final class NamespaceHolder: @unchecked Sendable {
    public let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    public convenience init(_ namespace: TestNamespace, script: String, arguments: [String] = []) throws {
        try self.init(prefix: ["ip", "netns", "exec", namespace.name], script: script, arguments: arguments)
    }

    /// Runs the script under `prefix` (["unshare", "-n"]: a namespace of its own that no
    /// name points to). Every prefix execs, so the process's pid is python's.
    public init(prefix: [String], script: String, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = prefix + ["python3", "-u", "-c", script] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let first = readLine()
        guard first.hasPrefix("ready") else {
            throw Shell.Failure(description: "socket holder did not start: \(first)")
        }
    }

    /// Sends one command and returns the holder's one-line answer.
    @discardableResult
    public func send(_ command: String) -> String {
        input.fileHandleForWriting.write((command + "\n").data(using: .utf8)!)
        return readLine()
    }

    private func readLine() -> String {
        while !buffer.contains(10) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        guard let end = buffer.firstIndex(of: 10) else {
            defer { buffer.removeAll() }
            return String(decoding: buffer, as: UTF8.self)
        }
        let line = String(decoding: buffer[buffer.startIndex..<end], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex...end)
        return line
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
