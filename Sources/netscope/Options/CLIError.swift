/// An error the CLI reports as one line on stderr with exit status 1 (ArgumentParser prints
/// "Error: " and the description). Usage mistakes found before `run` stay ValidationErrors.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
