/// Where a driver's words go. Drivers in ArenaRuntime never print; the CLI hands them a console (results on stdout,
/// progress and diagnostics on stderr) and tests hand them one that collects.
public struct Console: Sendable {
    /// A result line (the CLI: stdout).
    public var result: @Sendable (String) -> Void
    /// A progress or diagnostic line (the CLI: stderr).
    public var note: @Sendable (String) -> Void
    /// Text for the progress stream as is, without a newline added (an updating line: `"\r\u{1B}[K…"`).
    public var raw: @Sendable (String) -> Void
    /// Whether the progress stream is a terminal (one updating line instead of a line per event).
    public var isInteractive: Bool

    public init(result: @escaping @Sendable (String) -> Void, note: @escaping @Sendable (String) -> Void,
                raw: @escaping @Sendable (String) -> Void, isInteractive: Bool = false) {
        self.result = result
        self.note = note
        self.raw = raw
        self.isInteractive = isInteractive
    }
}
