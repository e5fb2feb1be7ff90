import ArenaModel
import Corpus
import Foundation
import Scoring
import Search
import Store

/// `shoparena eval --corpus DIR`: the corpus records of a local evaluation, the same records the arena writes, so a
/// miner or researcher builds a corpus with no arena. Writes `DIR/trajectories.jsonl` (one record per problem, with
/// the normalised chat as `messages` + `tools` when there is a dialogue) and `DIR/stats.json`.
///
/// Local provenance: a fresh run id, the agent file's name and `local:<sha256 of its code>` as the version, `local`
/// as miner and validator, phase `LOCAL`; the catalog check uses the evaluation's index; nothing is judged.
///
/// With `--samples K` every sample is its own run: its own run id, and `sample` (0-based) in each row, so the K
/// records of one problem stay apart.
public enum EvalCorpus {
    /// `bySample`, `scores` and `envelopePaths` are indexed by sample (one entry without `--samples`).
    public static func write(directory: String, agentFile: URL, problems: [Problem], bySample: [[Envelope]], scores: [[ProblemScore]],
                      products: SearchIndex, profile: String, envelopePaths: [String]) throws -> CorpusStats {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EvalSetupError("The corpus directory \(directory) cannot be created: \(error.localizedDescription).")
        }
        let code = (try? Data(contentsOf: agentFile)).map { Array($0) } ?? []
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        var lines = ""
        var records: [TrajectoryRecord] = []
        for (sample, envelopes) in bySample.enumerated() {
            let runID = UUID().uuidString.lowercased()
            let envelopesPath = envelopePaths[sample]
            let byID = Dictionary(envelopes.map { ($0.problemID, $0) }, uniquingKeysWith: { first, _ in first })
            let scoreByID = Dictionary(scores[sample].map { ($0.problemID, $0) }, uniquingKeysWith: { first, _ in first })
            for problem in problems {
                let envelope = byID[problem.id]
                let analysis = CorpusAnalysis.analyse(envelope: envelope, query: problem.query,
                                                      catalog: .lookup { products.product(id: $0) != nil })
                let score = scoreByID[problem.id]
                let provenance = TrajectoryProvenance(
                    evalRunID: runID, agentVersionID: "local:" + SHA256Hex.digest(code).prefix(16), agentName: agentFile.lastPathComponent,
                    minerHotkey: "local", validatorHotkey: "local", suiteID: 0, suiteVersion: nil, problemID: problem.id,
                    category: problem.category.rawValue.lowercased(), phase: "LOCAL", raceID: nil, isHidden: false, isIncluded: true)
                let record = TrajectoryRecord(
                    provenance: provenance, analysis: analysis, envelopeStatus: envelope?.status?.rawValue ?? "MISSING",
                    success: score?.success ?? false, outcome: score?.components.json ?? .null,
                    judge: JudgeFacts(reasoningScore: nil, reasoningCoefficient: nil, kind: "none", model: nil, explanation: nil),
                    executionTime: envelope?.executionTime, completedAt: now, ingestedAt: now,
                    versions: .object([("corpus", .string(CorpusPipeline.version)), ("scoring_profile", .string(profile))]),
                    dialogueKey: envelope.map { _ in envelopesPath }, dialogueSHA256: envelope.map { SHA256Hex.digest(Array($0.jsonLine.utf8)) })
                records.append(record)
                var row = record.json
                if let chat = analysis.chat {
                    row = row.setting("messages", to: .array(chat.messages.map(\.json))).setting("tools", to: CorpusTools.schema)
                }
                if bySample.count > 1 { row = row.setting("sample", to: .int(Int64(sample))) }
                lines += JSONWriter().string(row) + "\n"
            }
        }
        let stats = CorpusStats(records: records)
        let folder = URL(fileURLWithPath: directory)
        do {
            try Data(lines.utf8).write(to: folder.appendingPathComponent("trajectories.jsonl"))
            try Data((JSONWriter(style: .python).string(stats.json) + "\n").utf8).write(to: folder.appendingPathComponent("stats.json"))
        } catch {
            throw EvalSetupError("The corpus files in \(directory) cannot be written: \(error.localizedDescription).")
        }
        return stats
    }
}
