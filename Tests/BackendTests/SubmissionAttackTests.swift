import ArenaModel
import Backend
import Corpus
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ShopArenaTesting
import Store
import Testing

/// Issue 19, submission attacks beyond round 1 (encoded payloads, pickle/marshal, exec of built strings,
/// `__import__`, importlib, the loader, homoglyphs), through the real route and the real Python analyzer on both
/// stores: each class of attack is refused with 422 CODE_ANALYSIS_ERROR naming the rule and the line; a 1 MB
/// file of nested brackets is a clean 400 well within the analyzer's time limit; and a gzip bomb uploaded as a
/// validator log is stored as the bytes received, never inflated.
@Suite("Submission attacks")
struct SubmissionAttackTests {
    /// One class of attack: the agent file and the violations (rule, line) it must produce.
    struct Attack: Sendable, CustomTestStringConvertible {
        let name: String
        let code: String
        let expected: [(rule: String, line: Int)]
        let severity: String

        var testDescription: String { name }
    }

    static let attacks: [Attack] = [
        Attack(name: "encoded payloads", code: """
            def agent_main(problem):
                hidden = b"\\\\x35\\\\x30\\\\x33\\\\x35".decode("unicode_escape")
                ids = bytes([53, 48, 51, 53, 54, 56, 55, 55, 57, 52]).decode()
                word = "".join(map(chr, [53, 48, 51, 53]))
                return []

            """, expected: [("encoded_payload", 2), ("encoded_payload", 3), ("encoded_payload", 4)], severity: "integrity"),
        Attack(name: "exec, eval and compile of built strings", code: """
            def agent_main(problem):
                exec("im" + "port o" + "s")
                code = compile("".join(["__imp", "ort__('os')"]), "<x>", "eval")
                return eval(code)

            """, expected: [("banned_call", 2), ("banned_call", 3), ("banned_call", 4)], severity: "security"),
        Attack(name: "__import__", code: """
            def agent_main(problem):
                os_module = __import__("o" + "s")
                return []

            """, expected: [("banned_call", 2)], severity: "security"),
        Attack(name: "importlib", code: """
            import importlib.util
            from importlib import import_module

            def agent_main(problem):
                return []

            """, expected: [("banned_import", 1), ("banned_import", 2)], severity: "security"),
        Attack(name: "getattr(__builtins__, …) and other ways to the builtins", code: """
            import sys

            def agent_main(problem):
                run = getattr(__builtins__, "ex" + "ec")
                run2 = print.__self__
                os_module = sys.modules["o" + "s"]
                return []

            """, expected: [("banned_call", 4), ("introspection_escape", 5), ("introspection_escape", 6)], severity: "security"),
        Attack(name: "unicode homoglyphs", code: """
            def agent_main(problem):
                \u{0435}\u{0445}\u{0435}\u{0441} = problem
                return []

            """, expected: [("homoglyph_identifier", 2)], severity: "security"),
        Attack(name: "pickle, marshal and shelve", code: """
            import pickle
            import marshal
            from shelve import open as shelf

            def agent_main(problem):
                return pickle.loads(marshal.loads(b""))

            """, expected: [("banned_import", 1), ("banned_import", 2), ("banned_import", 3)], severity: "security"),
        Attack(name: "base64, hex, zlib and codecs", code: """
            import base64
            import zlib
            import codecs

            def agent_main(problem):
                ids = bytes.fromhex("35303335363837373934")
                text = b"NTAzNTY4Nzc5NA==".decode("base64")
                word = (0x35303335).to_bytes(4, "big").decode()
                return []

            """, expected: [("encoding_module", 1), ("encoding_module", 2), ("encoding_module", 3), ("encoded_payload", 6),
                            ("encoded_payload", 7), ("encoded_payload", 8)], severity: "integrity"),
        Attack(name: "the module's loader, spec and format fields", code: """
            def agent_main(problem):
                data = __loader__.get_data("/etc/hostname")
                spec = __spec__.loader
                text = "{0.__init__.__globals__}".format(agent_main)
                return []

            """, expected: [("introspection_escape", 2), ("introspection_escape", 3), ("introspection_escape", 4)], severity: "security"),
    ]

    @Test(arguments: StoreKind.allCases, attacks)
    func eachAttackIsRefusedWithRuleAndLine(kind: StoreKind, attack: Attack) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        try await arena.test { client in
            let response = try await MinerRoutesTests.submit(client, miner, clock, SubmitForm(code: attack.code))
            #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
            let body = try response.json
            #expect(body["error_code"] == "CODE_ANALYSIS_ERROR")
            let violations = try #require(body["violations"]?.arrayValue)
            let found = violations.map { ($0["rule"]?.stringValue ?? "", $0["line"]?.intValue ?? -1) }
            #expect(found.map(\.0) == attack.expected.map(\.rule), "\(found)")
            #expect(found.map(\.1) == attack.expected.map { Int64($0.line) }, "\(found)")
            #expect(violations.allSatisfy { $0["severity"]?.stringValue == attack.severity })
            #expect(violations.allSatisfy { !($0["message"]?.stringValue ?? "").isEmpty })
            // Integrity violations cost the full cooldown, security ones the shorter one.
            #expect(body["remaining_seconds"]?.intValue == (attack.severity == "integrity" ? 43200 : 3600))
            #expect(try await arena.services.agents.agents(ofMiner: miner.address).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMegabyteOfNestedBracketsIsACleanQuickRefusal(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena)
        let miner = try await arena.hotkey(.miner)
        let clock = arena.clock
        let prefix = "def agent_main(problem):\n    return "
        let code = prefix + String(repeating: "[", count: 1_000_000 - prefix.utf8.count)
        #expect(code.utf8.count == 1_000_000)
        try await arena.test { client in
            let response = try await MinerRoutesTests.submit(client, miner, clock, SubmitForm(code: code))
            #expect(response.status == .badRequest, "\(String(buffer: response.body))")
            let body = try response.json
            #expect(body["error_code"] == "INVALID_FILE")
            #expect(body["detail"]?.stringValue?.contains("too many nested parentheses") == true, "\(body)")
            #expect(body["line"]?.intValue == 2)
            // The parser's own refusal, not the analyzer's time limit (no timed assertion: CI machines are busy).
            #expect(body["detail"]?.stringValue?.contains("exceeded") == false)
            // A file error costs no cooldown: the same miner may submit a fixed file at once.
            let fixed = try await MinerRoutesTests.submit(client, miner, clock, SubmitForm(code: "def agent_main(problem):\n    return []\n"))
            #expect(fixed.status == .ok)
        }
    }

    /// The validator log upload stores the bytes it receives: a gzip member that would inflate to 100 MiB is
    /// stored (and counted against `maxUploadBytes`) at its compressed size, even when the PUT says
    /// `Content-Encoding: gzip`. Larger-than-allowed bodies are refused by their received size.
    @Test(arguments: StoreKind.allCases)
    func aGzipBombLogIsStoredAsReceivedAndNeverInflated(kind: StoreKind) async throws {
        let bomb = GzipBomb.make(inflatedBytes: 100 << 20)
        #expect(bomb.count < 700_000)
        #expect(GzipBomb.declaredSize(bomb) > UInt32((100 << 20) - 258))  // what a reader would inflate it to
        let arena = try await TestArena.make(kind) { $0.maxUploadBytes = 1 << 20 }
        let miner = try await arena.hotkey(.miner)
        let validator = try await arena.hotkey(.validator)
        let clock = arena.clock
        let (_, problems) = try await Fixtures.suite(arena, problems: 1)
        try await Fixtures.queuedVersion(arena, miner: miner.address, required: 1)
        try await arena.test { client in
            let runID = try await ValidatorRoutesTests.claim(client, validator, clock)
            func presign(_ length: Int) async throws -> TestResponse {
                let json = #"{"content_length":\#(length),"eval_run_id":"\#(runID)","problem_id":"\#(problems[0])","content_type":"application/gzip"}"#
                return try await client.execute(uri: "/v1/validator/uploads/presign", method: .post,
                                                headers: validator.headers(clock), body: ByteBuffer(string: json))
            }
            func path(_ response: TestResponse) -> String {
                String((response.field("upload_url") ?? "").dropFirst("http://127.0.0.1:8080".count))
            }

            let slot = try await presign(bomb.count)
            #expect(slot.status == .ok)
            let key = try #require(slot.field("results_s3_key"))
            let put = try await client.execute(uri: path(slot), method: .put,
                                               headers: [.contentType: "application/gzip", .contentEncoding: "gzip"],
                                               body: ByteBuffer(bytes: bomb))
            #expect(put.status == .ok)
            let object = try #require(try await arena.services.uploads.object(key))
            #expect(object.size == Int64(bomb.count))
            #expect(try await arena.services.blobs.get(object.sha256) == bomb)

            // A bomb whose compressed bytes exceed the limit is refused before any byte is read…
            let big = GzipBomb.make(inflatedBytes: 200 << 20)
            #expect(big.count > 1 << 20)
            let refused = try await presign(big.count)
            #expect(refused.status == .badRequest)
            #expect(refused.field("error_code") == "FILE_TOO_LARGE")
            // …and one that declares a small size but sends more is cut off at the declared size.
            let small = try await presign(1000)
            let lying = try await client.execute(uri: path(small), method: .put, headers: [.contentType: "application/gzip"],
                                                 body: ByteBuffer(bytes: big))
            #expect(lying.status == .badRequest)
            #expect(lying.field("error_code") == "CONTENT_LENGTH_MISMATCH")
            let smallKey = try #require(small.field("results_s3_key"))
            #expect(try await arena.services.uploads.object(smallKey) == nil)
        }
    }
}

extension SubmissionAttackTests {
    /// Where a stored log is inflated (the trajectory page, corpus ingest and export) `GzipReader` stops at its
    /// limit (64 MiB by default): the 100 MiB bomb is refused with `tooLarge`, not inflated in full, while a
    /// small member written the same way inflates to exactly its zeros (the bomb is a valid gzip member).
    @Test func aStoredGzipBombInflatesOnlyUpToTheReadersLimit() throws {
        let small = GzipBomb.make(inflatedBytes: 1 << 20)
        let inflated = try GzipReader.decompress(small)
        #expect(inflated.count == 1 + 258 * (((1 << 20) - 1) / 258) && inflated.allSatisfy { $0 == 0 })
        let bomb = GzipBomb.make(inflatedBytes: 100 << 20)
        #expect(throws: GzipError.tooLarge(limit: 64 << 20)) { try GzipReader.decompress(bomb) }
        #expect(throws: GzipError.tooLarge(limit: 1 << 20)) { try GzipReader.decompress(bomb, limit: 1 << 20) }
    }
}

/// A gzip member of `1 + 258·n` zero bytes written as one fixed-Huffman deflate block: a zero literal, then
/// `n` copies of "length 258, distance 1" (13 bits each, so about 1:1300), with the correct CRC-32 and size.
enum GzipBomb {
    static func make(inflatedBytes: Int) -> [UInt8] {
        let repeats = max(0, (inflatedBytes - 1) / 258)
        let total = 1 + 258 * repeats
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        bits.writeCode(0x30, length: 8)  // literal 0 (codes 0x30 + value for literals 0…143)
        for _ in 0..<repeats {
            bits.writeCode(0xC5, length: 8)  // length symbol 285 = 258 bytes, no extra bits
            bits.writeCode(0, length: 5)  // distance symbol 0 = distance 1
        }
        bits.writeCode(0, length: 7)  // end of block (symbol 256)
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        out += bits.bytes
        out += littleEndian(crc32OfZeros(total))
        out += littleEndian(UInt32(truncatingIfNeeded: total))
        return out
    }

    /// The ISIZE field of the member's trailer (inflated size modulo 2³²).
    static func declaredSize(_ gzip: [UInt8]) -> UInt32 {
        gzip.suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// CRC-32 (IEEE, reflected) of `count` zero bytes in O(log count): the register after one zero bit is a
    /// linear map of the register before; raise it to the power 8·count by squaring.
    static func crc32OfZeros(_ count: Int) -> UInt32 {
        typealias Matrix = [UInt32]  // column i = image of bit i
        func apply(_ m: Matrix, _ v: UInt32) -> UInt32 {
            var result: UInt32 = 0
            for i in 0..<32 where v & (1 << i) != 0 { result ^= m[i] }
            return result
        }
        func multiply(_ a: Matrix, _ b: Matrix) -> Matrix { b.map { apply(a, $0) } }
        var step: Matrix = (0..<32).map { i in i == 0 ? 0xEDB8_8320 : UInt32(1) << (i - 1) }
        var register: UInt32 = 0xFFFF_FFFF
        var bitsLeft = count * 8
        while bitsLeft > 0 {
            if bitsLeft & 1 == 1 { register = apply(step, register) }
            step = multiply(step, step)
            bitsLeft >>= 1
        }
        return register ^ 0xFFFF_FFFF
    }

    /// Deflate's bit order: fields least significant bit first, Huffman codes most significant bit first.
    struct BitWriter {
        var bytes: [UInt8] = []
        var used = 8

        mutating func write(_ value: UInt32, count: Int) {
            for i in 0..<count { push(value >> i & 1) }
        }

        mutating func writeCode(_ code: UInt32, length: Int) {
            for i in stride(from: length - 1, through: 0, by: -1) { push(code >> i & 1) }
        }

        private mutating func push(_ bit: UInt32) {
            if used == 8 {
                bytes.append(0)
                used = 0
            }
            bytes[bytes.count - 1] |= UInt8(bit) << used
            used += 1
        }
    }
}
