#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a line to standard error (progress and diagnostics; stdout stays for results).
func printError(_ message: String) {
    var line = message
    line += "\n"
    _ = line.withCString { fputs($0, stderr) }
}
