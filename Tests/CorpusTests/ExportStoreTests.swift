import ArenaModel
import Backend
@testable import Corpus
import Foundation
import Store
import ShopArenaTesting
import TestSupport
import Testing

/// `CorpusExport` over a real store: the same corpus gives the same bytes on SQLite and PostgreSQL and on every run,
/// gzip files hold exactly the plain lines, hidden race problems (and their clusters) never leave, and every format
/// writes its files, `stats.json` and the dataset card.
@Suite("Corpus export from a store", .serialized)
struct ExportStoreTests {
    /// Suite: three ORO problems and a reworded copy of a fourth, whose original is the hidden race bank. Trajectories:
    /// per visible problem a best success, a weaker success and a failure; one on the hidden problem and one on its copy.
    static func seed(_ database: any SQLDatabase, blobs: any BlobStore) async throws {
        let url = try SharedData.url("oro_problem_suite_v3.json")
        let oro = try ProblemSuite(text: String(contentsOf: url, encoding: .utf8), fileName: url.path).problems
        let copy = try Problem(json: ProblemVariants(seed: 1).variant(of: oro[1], kind: .reworded))
        let visible = [oro[0], oro[10], oro[20], copy]
        let suites = SuiteRepository(database: database)
        let suite = try await suites.create(try ProblemSuite(problems: visible), sourceURI: nil, now: 1)
        _ = try await suites.addHiddenBank(try ProblemSuite(problems: [oro[1]]), to: suite.suiteID)

        var records: [TrajectoryRecord] = []
        for (n, problem) in (visible + [oro[1]]).enumerated() {
            let hidden = problem.id == oro[1].id
            let shapes: [(Bool, Double?)] = n < 3 ? [(true, 0.9), (true, 0.6), (false, 0.8)] : [(true, 1.0)]
            for (k, (success, judge)) in shapes.enumerated() {
                var envelope = Fixture.envelope(Fixture.goodSteps)
                envelope.problemID = problem.id
                let sha = try await blobs.put(StoredGzipFixture.wrap(Array(envelope.jsonLine.utf8)))
                let analysis = CorpusAnalysis.analyse(envelope: envelope, query: problem.query)
                let provenance = TrajectoryProvenance(
                    evalRunID: "run-\(k)", agentVersionID: "v\(k)", agentName: "agent-\(k)", minerHotkey: "m\(k)", validatorHotkey: "val",
                    suiteID: suite.suiteID, suiteVersion: suite.suiteVersion, problemID: problem.id,
                    category: problem.category.rawValue.lowercased(), phase: hidden ? "RACE" : "QUALIFYING", raceID: nil,
                    isHidden: hidden, isIncluded: true)
                records.append(TrajectoryRecord(
                    provenance: provenance, analysis: analysis, envelopeStatus: "SUCCESS", success: success,
                    outcome: ["rule": .double(success ? 1 : 0.5)],
                    judge: JudgeFacts(reasoningScore: judge, reasoningCoefficient: 1, kind: "rule", model: nil, explanation: nil),
                    executionTime: 1.5, completedAt: 2, ingestedAt: 3, versions: ["corpus": "test"], dialogueKey: "logs/\(n)/\(k)",
                    dialogueSHA256: sha))
            }
        }
        try await TrajectoryRepository(database: database).store(records, now: 3)
    }

    static func export(_ kind: StoreKind, format: ExportFormat, gzip: Bool = false, pageSize: Int = 2) async throws
        -> (stats: ExportStats, directory: URL)
    {
        let database = try await TestDatabases.make(kind)
        let blobs = try TestDatabases.blobs()
        try await seed(database, blobs: blobs)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-export-\(UUID().uuidString)")
        var options = CorpusExportOptions(format: format, outDirectory: directory.path)
        options.filter = .all  // the fixture's trajectories have no model calls in their log
        options.splits = .init(seed: 2, evalFraction: 0.5)
        options.gzip = gzip
        options.pageSize = pageSize  // several pages, a problem's records split across them
        let stats = try await CorpusExport(database: database, blobs: blobs).run(options)
        await database.close()
        return (stats, directory)
    }

    static func files(_ directory: URL) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name != "stats.json" {
            out[name] = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
        }
        return out
    }

    @Test(arguments: ExportFormat.allCases)
    func sqliteAndPostgresWriteTheSameBytesTwiceAndGzipHoldsTheSameLines(format: ExportFormat) async throws {
        let (sqliteStats, sqlite) = try await Self.export(.sqlite, format: format)
        let (_, again) = try await Self.export(.sqlite, format: format, pageSize: 1_000)
        let (_, postgres) = try await Self.export(.postgres, format: format)
        let (_, zipped) = try await Self.export(.postgres, format: format, gzip: true)
        let a = try Self.files(sqlite)
        #expect(Set(a.keys) == Set(format.stems.flatMap { ["\($0)-train.jsonl", "\($0)-eval.jsonl"] } + ["README.md"]))
        #expect(try Self.files(again) == a)
        #expect(try Self.files(postgres) == a)
        let z = try Self.files(zipped)
        for (name, bytes) in a where name.hasSuffix(".jsonl") {
            let packed = try #require(z[name + ".gz"])
            #expect(GzipReader.isGzip(packed))
            if bytes.count > 1_000 { #expect(packed.count * 3 < bytes.count, "\(name): deflate, not stored blocks") }
            #expect(try GzipReader.decompress(packed) == bytes, "\(name)")
        }
        // Every row is a JSON object; the hidden problem and its reworded copy never appear.
        let stats = sqliteStats
        #expect(stats.skipped["never_pool"] == 1)  // the copy; the hidden record itself is never even read
        #expect(stats.audit?.isClean == true)
        #expect(stats.trajectories.values.reduce(0, +) == 9)
        let rows = a.filter { $0.key.hasSuffix(".jsonl") }.flatMap { String(decoding: $0.value, as: UTF8.self).split(separator: "\n") }
        #expect(rows.count == stats.totalRows)
        for row in rows {
            let value = try JSONParser.parse(String(row))
            #expect(value.objectValue != nil)
        }
        let card = String(decoding: a["README.md"]!, as: UTF8.self)
        #expect(card.hasPrefix("---\nlicense: cc-by-4.0\n"))
        #expect(card.contains("split audit: clean"))
        let statsJSON = try JSONParser.parse(String(contentsOf: sqlite.appendingPathComponent("stats.json"), encoding: .utf8))
        #expect(statsJSON["rows_total"]?.intValue == Int64(stats.totalRows))
        switch format {
        case .sft, .rl: #expect(stats.totalRows == 9)
        case .sftSteps: #expect(stats.totalRows == 9 * 4)
        case .preference: #expect(stats.totalRows == 9 + 3)  // KTO per trajectory, DPO per failure
        }
    }

    @Test func defaultFilterAndCategoryNarrowTheRows() async throws {
        let database = try await TestDatabases.make(.sqlite)
        let blobs = try TestDatabases.blobs()
        try await Self.seed(database, blobs: blobs)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shoparena-export-\(UUID().uuidString)")
        var options = CorpusExportOptions(format: .sft, outDirectory: directory.path)
        // No trajectory of the fixture is agentic (no model call in its trusted log).
        #expect(try await CorpusExport(database: database, blobs: blobs).run(options).totalRows == 0)
        options.filter = .all
        options.category = "shop"
        options.minJudge = 0.7
        let stats = try await CorpusExport(database: database, blobs: blobs).run(options)
        #expect(stats.totalRows == 2)
        #expect(stats.byCategory.values.allSatisfy { $0.keys.allSatisfy { $0 == "shop" } })
        await database.close()
    }
}

/// A stored-block gzip member, as validators upload logs (the export reads gzip or plain JSON logs alike).
enum StoredGzipFixture {
    static func wrap(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let n = min(65_535, bytes.count - offset)
            out.append(offset + n == bytes.count ? 1 : 0)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += bytes[offset..<(offset + n)]
            offset += n
        } while offset < bytes.count
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        crc = ~crc
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for v in [crc, size] { out += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        return out
    }
}
