#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Fast search of ASCII markers (`<tool_call>`, `</obs>`, …) in text, on its UTF-8 bytes. Tool-call text is scanned
/// for every inference reply the proxy relays and for every step the corpus normalises, so this avoids Foundation's
/// locale-aware string search.
enum TagSpans {
    /// The bodies of every `<tag>…</tag>` span, in order (an unclosed last span runs to the end of the text).
    static func spans(of tag: String, in text: String) -> [Substring] {
        let open = Array("<\(tag)>".utf8)
        let close = Array("</\(tag)>".utf8)
        var copy = text
        let offsets: [(Int, Int?)] = copy.withUTF8 { bytes in
            var out: [(Int, Int?)] = []
            var from = 0
            while let start = find(open, in: bytes, from: from) {
                let body = start + open.count
                guard let end = find(close, in: bytes, from: body) else {
                    out.append((body, nil))
                    break
                }
                out.append((body, end))
                from = end + close.count
            }
            return out
        }
        if offsets.isEmpty { return [] }
        let utf8 = text.utf8
        return offsets.map { start, end in
            let lower = utf8.index(utf8.startIndex, offsetBy: start)
            guard let end else { return text[lower...] }
            return text[lower..<utf8.index(utf8.startIndex, offsetBy: end)]
        }
    }

    /// Whether `text` contains the ASCII `marker`.
    static func contains(_ marker: String, in text: String) -> Bool {
        let needle = Array(marker.utf8)
        var copy = text
        return copy.withUTF8 { find(needle, in: $0, from: 0) != nil }
    }

    /// The first offset of `needle` in `bytes` at or after `from`.
    static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count, let base = bytes.baseAddress else { return nil }
        let last = bytes.count - needle.count
        var i = from
        while i <= last {
            // memchr finds the next candidate first byte with vector instructions.
            guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var j = 1
            while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
            if j == needle.count { return i }
            i += 1
        }
        return nil
    }
}

extension ProposedToolCall {
    /// Whether `text` contains the ASCII `marker` (a byte search, no locale rules).
    public static func contains(_ marker: String, in text: String) -> Bool { TagSpans.contains(marker, in: text) }
}
