import ArenaModel
import ArenaRuntime
import Foundation

/// Writes a line to standard error (progress and diagnostics; stdout stays for results).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Prints a JSON result on stdout (compact separators unless `style` says otherwise), as Python's `json.dumps` would.
func printJSON(_ value: JSONValue, style: JSONWriter.Style = .compact) {
    print(JSONWriter(style: style).string(value))
}

extension Console {
    /// Results on stdout, progress and diagnostics on stderr (one updating line when stderr is a terminal).
    static var standard: Console {
        Console(result: { print($0) }, note: { printError($0) }, raw: { FileHandle.standardError.write(Data($0.utf8)) },
                isInteractive: isatty(2) == 1)
    }
}

extension ScoreIO {
    /// A warning or diagnostic on stderr.
    static func warn(_ text: String) { printError(text) }
}
