#if canImport(Glibc)
import Glibc
#endif

/// The controlling terminal for `top`: raw keyboard input and the alternate screen, both
/// undone by `restore()` (which runs on every way out: `q`, Ctrl-C, SIGINT/SIGTERM/SIGHUP,
/// an error), so the shell gets its screen and line editing back.
public final class Terminal {
    private let input: Int32
    private let output: Int32
    private var saved = termios()
    private var active = false

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(input: Int32 = 0, output: Int32 = 1) throws {
        self.input = input
        self.output = output
        guard isatty(input) == 1, isatty(output) == 1 else {
            throw Failure(description: "top needs a terminal on standard input and output; for scripts use `netscope overview --json`")
        }
        guard tcgetattr(input, &saved) == 0 else {
            throw Failure(description: "cannot read the terminal's settings: \(String(cString: strerror(errno)))")
        }
    }

    /// Raw input (no echo, no line buffering, no signal keys: Ctrl-C and Ctrl-Z arrive as
    /// bytes, so a stopped top never leaves the screen half-drawn), alternate screen, no cursor.
    public func start() throws {
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(input, TCSAFLUSH, &raw) == 0 else {
            throw Failure(description: "cannot set the terminal to raw mode: \(String(cString: strerror(errno)))")
        }
        active = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    public func restore() {
        guard active else { return }
        active = false
        write("\u{1B}[?25h\u{1B}[?1049l")
        _ = tcsetattr(input, TCSAFLUSH, &saved)
    }

    deinit { restore() }

    /// Columns and rows (80x24 when the terminal does not say).
    public var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Waits up to `seconds` for a key; nil on timeout or when a signal interrupted the wait.
    public func readKey(timeout seconds: Double) -> UInt8? {
        var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, seconds * 1000)))
        guard ready > 0 else { return nil }
        var byte: UInt8 = 0
        return Glibc.read(input, &byte, 1) == 1 ? byte : nil
    }

    /// Draws a whole frame in one write: home, each line cleared to its end, the rest of the
    /// screen cleared. Nothing is erased first, so there is no flicker.
    public func draw(_ lines: [String]) {
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
