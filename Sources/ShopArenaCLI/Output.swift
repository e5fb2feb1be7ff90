import Foundation

/// Writes a line to standard error (progress and diagnostics; stdout stays for results).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
