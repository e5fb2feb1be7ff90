import Foundation
import Testing
@testable import Web

/// The gzip reader against files written by Python's `gzip` (dynamic, fixed and stored blocks, a named
/// member), by ShopArena's stored-block writer, and against damaged input.
@Suite("Gunzip")
struct GunzipTests {
    /// The text Python compressed for the dynamic-Huffman fixture.
    static let longText = (0..<60).map { "line \($0): the quick brown fox jumps over the lazy dog \($0 * $0)\n" }.joined()

    // `gzip.compress(longText, compresslevel=9, mtime=0)`: one dynamic-Huffman block.
    static let dynamic = "H4sIAAAAAAACA5WWSVbEMAxE95zCR7Al2U64DUMDDU2HqZlOzxBX9n+dV0+R9F2lw/64S/k8vd3t0vNpf/WQLl+Wj2O6WT7T/enx6TUt77uX/8+Hi++vdL3cpnx2+FMVpiqrypgqVpUz1byqAv5hW2WVyayussZkPqp1OJDR28RkbQxyZrJpbK1AREoWJJQSU0UISonRYXG69THRQnGZxwYLBUbElEZJU0UIjU3qEWLjpqnOlG69d0hOiByD5ESoIrWYafRokJxqY6oGyal97NEgOU3kGCSnbRUhOX3rEZLTt6lSy9EeHZIzixyH5Mxi1annZD0Pp6aT9SKduk6RCXil1ip6vFGlrM4hPsXlrj5hP9dsIUClKkOCplYTQkFjqykpgzLUFc1BGZp0CwROLh0fQaMri6Gg2VV0XgUNL8vqEzJknjVbyJBFHvusmWa0GKqQIWtbTciQdfVZnR4Gmm2FDNm8ncuQId8YqvRkLuK2dnzHqE96AbneZ6UnUPx6wg8V1hvIYA0AAA=="
    // `gzip.compress(b"hello hello hello", mtime=0)`: a fixed-Huffman block with a back reference.
    static let fixed = "H4sIAAAAAAACA8tIzcnJV8hAkACAiPnlEQAAAA=="
    // `gzip.compress(b"stored bytes", compresslevel=0, mtime=0)`: a stored block.
    static let stored = "H4sIAAAAAAAEAwEMAPP/c3RvcmVkIGJ5dGVzeHemDwwAAAA="
    // `gzip.GzipFile(filename="log.jsonl", ...)` holding "named member\n": a member with FNAME set.
    static let named = "H4sICAAAAAAC/2xvZy5qc29ubADLS8xNTVHITc1NSi3iAgDn0vTtDQAAAA=="

    static func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func readsDynamicFixedStoredAndNamedMembers() throws {
        #expect(Self.text(try Gunzip.decompress(Self.bytes(Self.dynamic))) == Self.longText)
        #expect(Self.text(try Gunzip.decompress(Self.bytes(Self.fixed))) == "hello hello hello")
        #expect(Self.text(try Gunzip.decompress(Self.bytes(Self.stored))) == "stored bytes")
        #expect(Self.text(try Gunzip.decompress(Self.bytes(Self.named))) == "named member\n")
    }

    @Test func concatenatedMembersReadAsOneStream() throws {
        let both = Self.bytes(Self.fixed) + Self.bytes(Self.stored)
        #expect(Self.text(try Gunzip.decompress(both)) == "hello hello hellostored bytes")
    }

    @Test func readsTheValidatorsStoredBlockWriterAcrossBlockBoundaries() throws {
        let payload = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(try Gunzip.decompress(WebFixtures.gzip(payload)) == payload)
        #expect(try Gunzip.decompress(WebFixtures.gzip([])) == [])
    }

    @Test func refusesDamagedInput() {
        var corrupt = Self.bytes(Self.dynamic)
        corrupt[corrupt.count - 6] ^= 0xFF  // the CRC
        #expect(throws: Gunzip.Failure.corrupt("CRC check failed")) { try Gunzip.decompress(corrupt) }
        let truncated = Array(Self.bytes(Self.dynamic).prefix(100))
        #expect(throws: Gunzip.Failure.self) { try Gunzip.decompress(truncated) }
        #expect(throws: Gunzip.Failure.notGzip) { try Gunzip.decompress(Array("{\"problem_id\": 1}".utf8)) }
    }

    @Test func capsTheOutput() {
        #expect(throws: Gunzip.Failure.tooLarge(limit: 1000)) {
            try Gunzip.decompress(Self.bytes(Self.dynamic), limit: 1000)
        }
    }
}
