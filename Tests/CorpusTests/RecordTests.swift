import ArenaModel
import Foundation
@testable import Corpus
import Testing

@Suite("Structural features, records and stats")
struct RecordTests {
    @Test func featuresCountReformulationsVerificationAndLoops() throws {
        let steps: [JSONValue] = [
            Fixture.step(1, think: "a", [Fixture.call("find_product", [("q", "red shoes"), ("page", 1)])]),
            Fixture.step(2, think: "b", [Fixture.call("find_product", [("q", "Red  Shoes"), ("page", "1")])]),  // same search
            Fixture.step(3, [Fixture.call("find_product", [("q", "red sneakers"), ("page", 1)])]),
            Fixture.step(4, think: "c", [Fixture.call("find_product", [("q", "red shoes"), ("page", 1)])]),
            Fixture.step(5, think: "d", [Fixture.call("view_product_information", [("product_ids", "7,8")])]),
            Fixture.step(6, think: "e", [Fixture.call("recommend_product", [("product_ids", "8")]), Fixture.call("terminate", [("status", "success")])]),
        ]
        let f = StructuralFeatures(DialogueNormaliser.normalise(dialogue: .array(steps), query: "q"))
        #expect(f == StructuralFeatures(turns: 6, thinkDepth: 5, toolCallDepth: 7, searches: 4, queryReformulations: 2,
                                        verifiedBeforeRecommend: true, repeatedCalls: 2, maxRepeat: 3))
        #expect(f.loops)
        #expect(StructuralFeatures(json: f.json) == f)
        // Recommending an id never viewed is not verified.
        let unverified = StructuralFeatures(DialogueNormaliser.normalise(dialogue: .array(Array(steps[0..<4]) + [steps[5]]), query: "q"))
        #expect(!unverified.verifiedBeforeRecommend && unverified.queryReformulations == 2)
    }

    static func record(run: String, problem: String, category: String, hidden: Bool = false, steps: [JSONValue] = Fixture.goodSteps,
                       calls: [ProxyCallRecord] = []) -> TrajectoryRecord {
        let provenance = TrajectoryProvenance(
            evalRunID: run, agentVersionID: "v", agentName: "react", minerHotkey: "m", validatorHotkey: "val", suiteID: 1,
            suiteVersion: 1, problemID: problem, category: category, phase: hidden ? "RACE" : "QUALIFYING", raceID: hidden ? "r" : nil,
            isHidden: hidden, isIncluded: true)
        let analysis = CorpusAnalysis.analyse(envelope: Fixture.envelope(steps, calls: calls), query: Fixture.query)
        return TrajectoryRecord(provenance: provenance, analysis: analysis, envelopeStatus: "SUCCESS", success: true,
                                outcome: ["rule": 1.0], judge: JudgeFacts(reasoningScore: 0.9, reasoningCoefficient: 1, kind: "rule", model: nil, explanation: "ok"),
                                executionTime: 1.5, completedAt: 10, ingestedAt: 11, versions: ["corpus": .string(CorpusPipeline.version)],
                                dialogueKey: "k", dialogueSHA256: "s")
    }

    @Test func recordIDsAreDeterministicAndTheTrustedLogIsCounted() {
        let calls = [Fixture.reply(at: 1_000, proposing: [RichnessTests.search]), Fixture.dispatch(at: 1_100, query: "q=red+running+shoes&page=1"),
                     Fixture.dispatch(at: 1_200, query: "q=x", status: 429)]
        let a = Self.record(run: "run-1", problem: "p1", category: "product", calls: calls)
        let b = Self.record(run: "run-1", problem: "p1", category: "product")
        #expect(a.trajectoryID == b.trajectoryID && a.trajectoryID == TrajectoryRecord.id(runID: "run-1", problemID: "p1"))
        #expect(a.trajectoryID != TrajectoryRecord.id(runID: "run-2", problemID: "p1"))
        #expect(a.log.inferenceCalls == 1 && a.log.promptTokens == 100 && a.log.completionTokens == 20)
        #expect(a.log.searchCalls == 2 && a.log.searchFailures == 1)
        #expect(a.agentic.verdict == .agentic && a.agentic.richness == 1)
        #expect(a.dialect == .oroMessage && a.filter.accepted && !a.neverExport)
        #expect(a.json["provenance"]?["problem_id"] == "p1")
        #expect(a.json["agentic"]?["verdict"] == "agentic")
    }

    @Test func statsCountAndPublicStatsWithholdHiddenRecords() {
        var rejected = Fixture.goodSteps
        rejected[3] = Fixture.step(4, think: "hm")
        let records = [
            Self.record(run: "r", problem: "1", category: "product"),
            Self.record(run: "r", problem: "2", category: "shop", steps: rejected),
            Self.record(run: "r", problem: "3", category: "voucher", hidden: true),
        ]
        let all = CorpusStats(records: records)
        #expect(all.total == 3 && all.accepted == 2 && all.withheldHidden == 0)
        #expect(all.byRejectReason == ["think_then_stop": 1])
        #expect(all.byVerdict == ["no-llm": 3] && all.byPhase == ["QUALIFYING": 2, "RACE": 1])
        let open = CorpusStats(records: records, public: true)
        #expect(open.total == 2 && open.withheldHidden == 1 && open.byCategory == ["product": 1, "shop": 1])
        #expect(open.json["by_phase"] == .object([("QUALIFYING", 2)]))
    }
}

@Suite("Gzip reader")
struct GzipReaderTests {
    @Test func readsFixedAndDynamicHuffmanMembersFromPython() throws {
        let short = try #require(Data(base64Encoded: "H4sIAAAAAAACA8tIzcnJV8hAIpPziwpKiwGZKSAXGAAAAA=="))
        #expect(String(decoding: try GzipReader.decompress(Array(short)), as: UTF8.self) == "hello hello hello corpus")
        let long = try #require(Data(base64Encoded: """
            H4sIAAAAAAACA53WvW6DMBiF4VuxmDP4+7GBrlGvIOpUVRVNaEFNmiiQKcq9F5aKkb6bbb6znAdZvheX6/nj2J7e+0PxFIqLFJtQDGMz3oZ5v3vZbp93u/nw0DfH89etnY5f79NIe5lWcfowdv3P9zw8tM1134Wxa8O+Gefp8Hm+hn5sTyEWj81fStamZJnStSldpmxtypYpX5vyZSqtTaVlKq9N5WWqRM1XqPkaNS8RVS+CuhdF5Yuh9sXZj59Q/5IZQMkAKgZQIwCNCEAFAaiyq8cQgDoC0IQANDOAkgFUDKBGABbZ5S8IwBQBmCEAcwRgCQFYZgAlA6gYQI0APCIAFwTgigDcEIA7AvDE3j+ZAZQMoGIANQJIEQEkQQBJEUAy9gJ1BJASAkiZAZQMoGIA9T8A3h6/2ipRIRINAAA=
            """))
        let text = String(decoding: try GzipReader.decompress(Array(long)), as: UTF8.self)
        let steps = (0..<60).map { #"{"step": \#($0), "think": "search the catalog for item \#($0 % 7)"}"# }
        #expect(text == #"{"problem_id": "p1", "status": "SUCCESS", "dialogue": ["# + steps.joined(separator: ",") + "]}")
        // Compressed blocks are bounded too: inflating past the limit is refused.
        #expect(throws: GzipError.tooLarge(limit: 100)) { try GzipReader.decompress(Array(long), limit: 100) }
    }

    /// Files Python's `gzip` wrote (kept from the web viewer's former reader, which this one replaced).
    @Test func readsPythonsStoredAndNamedMembersAndChecksTheirCRC() throws {
        func bytes(_ base64: String) throws -> [UInt8] { Array(try #require(Data(base64Encoded: base64))) }
        // `gzip.compress(b"hello hello hello", mtime=0)`: a fixed-Huffman block with a back reference.
        let fixed = try bytes("H4sIAAAAAAACA8tIzcnJV8hAkACAiPnlEQAAAA==")
        // `gzip.compress(b"stored bytes", compresslevel=0, mtime=0)`: a stored block.
        let stored = try bytes("H4sIAAAAAAAEAwEMAPP/c3RvcmVkIGJ5dGVzeHemDwwAAAA=")
        // `gzip.GzipFile(filename="log.jsonl", ...)` holding "named member\n": a member with FNAME set.
        let named = try bytes("H4sICAAAAAAC/2xvZy5qc29ubADLS8xNTVHITc1NSi3iAgDn0vTtDQAAAA==")
        #expect(try GzipReader.decompress(fixed) == Array("hello hello hello".utf8))
        #expect(try GzipReader.decompress(stored) == Array("stored bytes".utf8))
        #expect(try GzipReader.decompress(named) == Array("named member\n".utf8))
        #expect(try GzipReader.decompress(fixed + stored) == Array("hello hello hellostored bytes".utf8))
        var corrupt = fixed
        corrupt[corrupt.count - 6] ^= 0xFF  // the CRC
        #expect(throws: GzipError.checksumMismatch) { try GzipReader.decompress(corrupt) }
    }

    @Test func readsStoredBlocksAndConcatenatedMembersAndRefusesDamage() throws {
        let payload = Array((0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let member = Self.stored(payload)
        #expect(try GzipReader.decompress(member) == payload)
        #expect(try GzipReader.decompress(member + Self.stored([1, 2, 3])) == payload + [1, 2, 3])
        var damaged = member
        damaged[20] ^= 0xFF
        #expect(throws: GzipError.checksumMismatch) { try GzipReader.decompress(damaged) }
        #expect(throws: GzipError.notGzip) { try GzipReader.decompress(Array("{}".utf8)) }
        #expect(throws: GzipError.truncated) { try GzipReader.decompress(Array(member.prefix(100))) }
        // Output is bounded: what would inflate past the limit is refused, stored and compressed blocks alike.
        #expect(throws: GzipError.tooLarge(limit: 10)) { try GzipReader.decompress(member, limit: 10) }
    }

    /// A gzip member of stored blocks (what ShopArena's validator uploads).
    static func stored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        var offset = 0
        repeat {
            let count = min(65_535, bytes.count - offset)
            out.append(offset + count == bytes.count ? 1 : 0)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += bytes[offset..<(offset + count)]
            offset += count
        } while offset < bytes.count
        let crc = CRC32.of(bytes[...])
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for v in [crc, size] { for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> UInt32(shift)) & 0xFF)) } }
        return out
    }
}
