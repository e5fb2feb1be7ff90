import ArenaModel
import Foundation
import Testing

/// The corpus commands through the built executable: `eval --corpus`, `corpus stats|backfill`, `bench corpus`.
@Suite("shoparena corpus (CLI)", .timeLimit(.minutes(5)))
struct CorpusCLITests {
    @Test("eval --corpus writes one record per problem with its normalised chat, and the stats")
    func evalCorpus() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let catalog = try CLIProcess.generateCatalog(products: 400, seed: 7, in: scratch)
        let corpus = scratch.appendingPathComponent("corpus")
        let outcome = try CLIProcess.shoparena(
            ["eval", EvalCLITests.baselineAgent, "--catalog", catalog, "--generate", "3", "--seed", "3",
             "--out", scratch.appendingPathComponent("run").path, "--corpus", corpus.path, "--workers", "2", "--timeout", "120",
             "--memory-mib", "1024"] + EvalCLITests.common(),
            in: scratch)
        #expect(outcome.status == 0, "eval failed:\n\(outcome.stderr)")
        #expect(outcome.stdout.contains("trajectories: 3"))
        let lines = try String(contentsOf: corpus.appendingPathComponent("trajectories.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let record = try JSONParser.parse(String(line))
            #expect(record["provenance"]?["phase"] == "LOCAL" && record["provenance"]?["agent_name"] == "baseline_agent.py")
            #expect(record["agentic"]?["verdict"] == "no-llm")
            #expect(record["filter"]?["catalog_checked"] == .bool(true))
            #expect(record["trusted_log"]?["search_calls"]?.intValue ?? 0 > 0)
            let messages = record["messages"]?.arrayValue ?? []
            #expect(messages.first?["role"] == "system" && messages.dropFirst().first?["role"] == "user")
            #expect(messages.contains { $0["role"] == "tool" } && record["tools"]?.arrayValue?.count == 4)
        }
        let stats = try JSONParser.parse(utf8: Data(contentsOf: corpus.appendingPathComponent("stats.json")))
        #expect(stats["total"] == 3 && stats["by_verdict"] == .object([("no-llm", 3)]))
    }

    @Test("corpus backfill and stats on an arena database")
    func statsAndBackfill() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = scratch.appendingPathComponent("data").path
        // stats only reads: on a folder without an arena database it refuses and creates nothing.
        let refused = try CLIProcess.shoparena(["corpus", "stats", "--json", "--data-dir", data], in: scratch)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("no arena database at \(data)/arena.sqlite; pass the --data-dir of a running arena or --database URL"),
                "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data))
        let backfill = try CLIProcess.shoparena(["corpus", "backfill", "--data-dir", data], in: scratch)
        #expect(backfill.status == 0, "\(backfill.stderr)")
        #expect(backfill.stdout.contains("backfill: 0 run(s) ingested"))
        let stats = try CLIProcess.shoparena(["corpus", "stats", "--json", "--public", "--data-dir", data], in: scratch)
        #expect(stats.status == 0, "\(stats.stderr)")
        let json = try JSONParser.parse(stats.stdout)
        #expect(json["total"] == 0 && json["withheld_hidden"] == 0 && json["agentic_threshold"] == 0.5)
    }

    @Test("corpus export refuses a data folder without an arena database instead of exporting an empty one")
    func exportRefusesMissingDatabase() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = scratch.appendingPathComponent("data").path
        let out = scratch.appendingPathComponent("out").path
        let export = try CLIProcess.shoparena(["corpus", "export", "--format", "sft", "--out", out, "--data-dir", data], in: scratch)
        #expect(export.status != 0)
        #expect(export.stderr.contains("no arena database at \(data)/arena.sqlite; pass the --data-dir of a running arena or --database URL"),
                "\(export.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data) && !FileManager.default.fileExists(atPath: out))
        // A --database SQLite path that does not exist is refused the same way.
        let missing = scratch.appendingPathComponent("elsewhere.sqlite").path
        let byPath = try CLIProcess.shoparena(["corpus", "export", "--format", "sft", "--out", out, "--database", missing], in: scratch)
        #expect(byPath.status != 0 && byPath.stderr.contains("no arena database at \(missing)"), "\(byPath.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("bench corpus ingests every generated trajectory and prints its JSON")
    func bench() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outcome = try CLIProcess.shoparena(["bench", "corpus", "--count", "300", "--pool", "30", "--chunk", "100"], in: scratch)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let json = try JSONParser.parse(outcome.stdout)
        #expect(json["trajectories"] == 300 && json["stored_records"] == 300)
        #expect(json["by_verdict"] == .object([("agentic", 100), ("no-llm", 100), ("scripted", 100)]))
        #expect(json["by_dialect"]?.objectValue?.count == 4)
        #expect((json["trajectories_per_second"]?.numberValue ?? 0) > 0)
        // Every format exported: the 270 public trajectories (problems 0, 10 and 20 are the hidden bank), audit clean.
        for format in ["sft", "sft-steps", "preference", "rl"] {
            let export = json["export"]?[format]
            #expect(export?["trajectories"] == 270, "\(format)")
            #expect((export?["rows"]?.intValue ?? 0) >= 270, "\(format)")
            #expect(export?["audit_clean"] == true, "\(format)")
            #expect((export?["rows_per_second"]?.numberValue ?? 0) > 0, "\(format)")
        }
    }
}
