import ArenaModel

extension ManifestEntry {
    /// Reads every entry of a manifest file (one JSON object per line).
    public static func readAll(path: String) throws(SuiteGenerationError) -> [ManifestEntry] {
        var entries: [ManifestEntry] = []
        do {
            var lines = try LineReader(path: path)
            while let text = try lines.next({ String(decoding: $0, as: UTF8.self) }) {
                if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                entries.append(try ManifestEntry(jsonLine: text))
            }
        } catch let e as ProblemDecodingError {
            throw .manifest("\(path): \(e.reason)")
        } catch {
            throw .manifest("\(path): \(error)")
        }
        return entries
    }
}
