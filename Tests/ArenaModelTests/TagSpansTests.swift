@testable import ArenaModel
import Testing

@Suite("Marker search in tool-call text")
struct TagSpansTests {
    @Test("find agrees with a plain search", arguments: [
        ("<a>x</a>", "<a>"), ("x</a>", "</a>"), ("", "<a>"), ("<a", "<a>"), ("<<<a>", "<a>"), ("abc", "c"), ("abc", "abcd"),
        ("é<think>ü</think>", "</think>"), ("<t><t><think>", "<think>"),
    ])
    func find(text: String, needle: String) {
        let bytes = Array(text.utf8)
        let marker = Array(needle.utf8)
        for from in 0...bytes.count {
            let expected = from + marker.count <= bytes.count
                ? (from...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker } : nil
            let found = bytes.withUnsafeBufferPointer { TagSpans.find(marker, in: $0, from: from) }
            #expect(found == expected, "from \(from)")
        }
    }

    @Test func spansReadEveryBodyAndAnUnclosedLastOne() {
        #expect(TagSpans.spans(of: "obs", in: "a<obs>1</obs>b<obs>2</obs><obs>3") == ["1", "2", "3"])
        #expect(TagSpans.spans(of: "obs", in: "no markers").isEmpty)
    }
}
