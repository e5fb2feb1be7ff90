import ArenaModel
import ArenaRuntime
import Corpus
import Foundation
import Identity
import Proxy
import Scoring
import Testing

/// What the CLI hands to the runtime and gets back to print, for the logic moved out of the CLI: the products and
/// denominator of offline scoring, the record/replay directories, signature verdicts, the search table, the key
/// listing and the benchmark reports' fields.
@Suite("Command inputs and reports")
struct CommandInputsTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func scoringTakesExactlyOneProductSourceAndANamedDenominator() throws {
        #expect(try OfflineScoring.Products.choose(catalog: "c.jsonl", index: nil) == .catalog("c.jsonl"))
        #expect(try OfflineScoring.Products.choose(catalog: nil, index: "i.idx") == .index("i.idx"))
        #expect(throws: ScoreFilesError.productsTwice) { try OfflineScoring.Products.choose(catalog: "c", index: "i") }
        #expect(throws: ScoreFilesError.productsMissing) { try OfflineScoring.Products.choose(catalog: nil, index: nil) }
        #expect(ScoreFilesError.productsMissing.description == "give the products to judge with --catalog FILE or --index FILE")
        #expect(try ScoringProfile.Denominator.named("rolled-out") == .rolledOut)
        #expect(throws: ScoreFilesError.unknownDenominator("all")) { try ScoringProfile.Denominator.named("all") }
    }

    @Test func recordMakesItsDirectoryAndReplayNeedsOne() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The working directory as the CLI gives it: a directory URL, which relative paths resolve against.
        let cwd = URL(fileURLWithPath: scratch.path, isDirectory: true)
        #expect(try InferenceRecording.choose(record: nil, replay: nil, cwd: cwd) == nil)
        let recorded = try InferenceRecording.choose(record: "tapes", replay: nil, cwd: cwd)
        let tapes = cwd.appendingPathComponent("tapes").standardizedFileURL
        guard case .record(let directory)? = recorded else { Issue.record("no record mode: \(String(describing: recorded))"); return }
        #expect(directory.path == tapes.path)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: tapes.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try InferenceRecording.choose(record: nil, replay: "tapes", cwd: cwd) == .replay(directory: tapes))
        let missing = cwd.appendingPathComponent("nothing").standardizedFileURL.path
        #expect(throws: InferenceRecordingError.replayMissing(path: missing)) {
            try InferenceRecording.choose(record: nil, replay: "nothing", cwd: cwd)
        }
        #expect(InferenceRecordingError.replayMissing(path: "/x").description == "the replay directory /x does not exist (make it with --record)")
    }

    @Test func signaturesGetAVerdictAndStoredKeysAreListed() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = KeyStore(directory: directory.path)
        #expect(try KeyCommands.listing(store).isEmpty)
        let entry = try store.create(name: "alice")
        #expect(try KeyCommands.listing(store) == ["alice\t\(entry.ss58Address)"])
        let signature = entry.keypair.sign(Array("hello".utf8)).hex
        #expect(try KeyCommands.verify(address: entry.ss58Address, message: "hello", signature: signature) == "valid")
        do {
            _ = try KeyCommands.verify(address: entry.ss58Address, message: "hullo", signature: signature)
            Issue.record("a signature over another message verified")
        } catch {
            #expect(error.description == "invalid: the signature does not verify for \(entry.ss58Address) over this message")
        }
        do {
            _ = try KeyCommands.verify(address: "not-an-address", message: "hello", signature: signature)
            Issue.record("a malformed address verified")
        } catch {
            #expect(error.description.hasPrefix("bad address: "))
        }
    }

    @Test func theSearchTableRanksFromThePagesFirstPosition() {
        let products = [
            Product(productID: "111", shopID: "s1", title: "Red running shoes", price: 129.5, soldCount: 7, service: ["COD", "official"]),
            Product(productID: "222", shopID: "s2", title: String(repeating: "t", count: 100), price: 10, service: []),
        ]
        let lines = SearchResultTable.lines(products, page: "2")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("#  product_id  price      sold   shop_id   service"))
        #expect(lines[0].hasSuffix("title"))
        #expect(lines[1].hasPrefix("11 111         129.5      7      s1        COD,official"))
        #expect(lines[1].hasSuffix("Red running shoes"))
        #expect(lines[2].hasPrefix("12 222         10.0"))
        #expect(lines[2].hasSuffix(String(repeating: "t", count: 80)) && !lines[2].hasSuffix(String(repeating: "t", count: 81)))
        #expect(SearchResultTable.lines([], page: "x").count == 1)
    }

    @Test func theCorpusWorkloadIsSeededAndAnalysesLikeTheIngest() throws {
        let pool = CorpusBenchWorkload.pool(size: 12, seed: 7)
        #expect(pool.count == 12)
        #expect(pool.map(\.log) == CorpusBenchWorkload.pool(size: 12, seed: 7).map(\.log))
        #expect(pool.map(\.log) != CorpusBenchWorkload.pool(size: 12, seed: 8).map(\.log))
        let records = try CorpusBench.analyse(0..<30, items: pool, now: 1_790_000_000_000)
        #expect(records.count == 30)
        #expect(Set(records.map(\.provenance.problemID)).count == 30)
        #expect(records.filter(\.provenance.isHidden).map(\.provenance.problemID) == ["problem-0", "problem-10", "problem-20"])
        #expect(records.allSatisfy { $0.dialogueSHA256 == nil })
    }

    @Test func theEndToEndReportCarriesTheConfigurationAndRates() {
        var configuration = LocalArena.Configuration(
            directory: URL(fileURLWithPath: "/tmp/e2e"), agents: [], python: URL(fileURLWithPath: "/usr/bin/python3"),
            runtime: URL(fileURLWithPath: "/tmp"), problems: 30, validators: 3)
        configuration.llmLatencyMillis = 500
        configuration.steps = 4
        let bench = BenchE2E(configuration: configuration)
        #expect(bench.configuration.requiredSuccesses == 3)
        #expect(bench.configuration.problemTimeout == 120)  // max(120, 4 × 0.5 s × 3 + 60)
        let report = BenchE2E.report(state: "?", finalScore: nil, evaluationSeconds: 12, totalSeconds: 20,
                                     configuration: bench.configuration, sandboxes: (processes: 4, meanMiB: 20.04, maxMiB: 31.06))
        #expect(report["validators"] == .int(3))
        #expect(report["state"] == .string("?"))
        #expect(report["final_score"] == .null)
        #expect(report["problems_per_minute_per_validator"] == .double(150))
        #expect(report["trajectories_per_hour_per_validator"] == .double(9000))
        #expect(report["steps"] == .int(4))
        #expect(report["sandbox_peak_rss_mib_max"] == .double(31.1))
    }
}
