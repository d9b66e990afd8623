#if canImport(Glibc)
import Glibc
#endif

/// The controlling terminal for `top`: raw keyboard input and the alternate screen, both
/// undone by `restore()` (which runs on every way out: `q`, Ctrl-C, SIGINT/SIGTERM/SIGHUP,
/// an error), so the shell gets its screen and line editing back.
package final class Terminal {
    private let input: Int32
    private let output: Int32
    private var saved = termios()
    private var active = false


    package init(input: Int32 = 0, output: Int32 = 1) throws {
        self.input = input
        self.output = output
        guard isatty(input) == 1, isatty(output) == 1 else {
            throw TerminalError(description: "top needs a terminal on standard input and output; for scripts use `netscope overview --json`")
        }
        guard tcgetattr(input, &saved) == 0 else {
            throw TerminalError(description: "cannot read the terminal's settings: \(String(cString: strerror(errno)))")
        }
    }

    /// Raw input (no echo, no line buffering, no signal keys: Ctrl-C and Ctrl-Z arrive as
    /// bytes, so a stopped top never leaves the screen half-drawn), alternate screen, no cursor.
    package func start() throws {
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(input, TCSAFLUSH, &raw) == 0 else {
            throw TerminalError(description: "cannot set the terminal to raw mode: \(String(cString: strerror(errno)))")
        }
        active = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    package func restore() {
        guard active else { return }
        active = false
        write("\u{1B}[?25h\u{1B}[?1049l")
        _ = tcsetattr(input, TCSAFLUSH, &saved)
    }

    deinit { restore() }

    /// Columns and rows (80x24 when the terminal does not say).
    package var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Waits up to `seconds` for input and returns the keys it holds (empty on timeout or
    /// when a signal interrupted the wait). An escape sequence split across reads is
    /// completed by waiting up to 50 ms for its rest; a lone ESC after that is Escape.
    package func readKeys(timeout seconds: Double) -> [Key] {
        guard wait(milliseconds: Int32(max(0, seconds * 1000))) else { return [] }
        var bytes: [UInt8] = []
        var keys: [Key] = []
        for _ in 0..<8 {
            var chunk = [UInt8](repeating: 0, count: 64)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
            let decoded = Key.decode(bytes)
            keys += decoded.keys
            bytes = decoded.pending
            if bytes.isEmpty || !wait(milliseconds: Self.sequenceWait) { break }
        }
        if !bytes.isEmpty { keys.append(.escape) }
        return keys
    }

    /// How long the rest of an escape sequence may take to arrive (a terminal sends it in one
    /// write; ssh and tmux may split it).
    static let sequenceWait: Int32 = 50

    private func wait(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    /// Draws a whole frame in one write: home, each line cleared to its end, the rest of the
    /// screen cleared. Nothing is erased first, so there is no flicker.
    package func draw(_ lines: [String]) {
        var frame = "\u{1B}[H"
        for (index, line) in lines.enumerated() {
            if index > 0 { frame += "\r\n" }
            frame += line + "\u{1B}[K"
        }
        frame += "\u{1B}[J"
        write(frame)
    }

    private func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(output, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}

/// Why taking the terminal failed, as one line.
package struct TerminalError: Error, CustomStringConvertible, Sendable {
    package let description: String
}
