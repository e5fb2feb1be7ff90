import ArenaModel
import Corpus
import Logging
import Store

/// Turns a completed run into trajectory records: for every problem of the run, its progress row (outcome, judge,
/// the validator's catalog check), its stored log (the envelope with the trusted proxy log) and the run's provenance
/// become one ``TrajectoryRecord``, normalised, filtered and assessed by the Corpus module.
///
/// Driven from durable state only — the database rows and the stored logs — never from memory, so it can run (again)
/// at any time: right after `complete`, from the ``CorpusIngestService`` sweep after a restart, or from
/// `shoparena corpus backfill`. Records are upserts keyed by (run, problem) and the run's "ingested" mark is written
/// in the same transaction, so no path duplicates or loses a record.
public struct CorpusIngest: Sendable {
    public let database: any SQLDatabase
    public let blobs: any BlobStore
    public let clock: any ArenaClock

    public init(database: any SQLDatabase, blobs: any BlobStore, clock: any ArenaClock = SystemClock()) {
        self.database = database
        self.blobs = blobs
        self.clock = clock
    }

    public init(services: BackendServices) {
        self.init(database: services.database, blobs: services.blobs, clock: services.clock)
    }

    var repository: TrajectoryRepository { TrajectoryRepository(database: database) }

    /// Ingests one run; returns how many records it has, or nil when the run is unknown or did not complete SUCCESS.
    @discardableResult
    public func ingest(runID: String) async throws -> Int? {
        guard let source = try await repository.ingestSource(runID: runID) else { return nil }
        let now = clock.nowMillis()
        var records: [TrajectoryRecord] = []
        records.reserveCapacity(source.problems.count)
        for problem in source.problems {
            records.append(try await record(problem, of: source, now: now))
        }
        try await repository.store(records, completing: runID, now: now)
        return records.count
    }

    /// Ingests every pending run (completed SUCCESS, not marked), `batch` at a time; returns how many runs it ingested.
    /// A run that fails is logged and skipped, so one bad run does not block the others (the next sweep retries it).
    @discardableResult
    public func ingestPending(batch: Int = 50, logger: Logger? = nil) async throws -> Int {
        var done = 0
        var failed: Set<String> = []
        while true {
            let pending = try await repository.pendingRuns(limit: batch + failed.count).filter { !failed.contains($0) }
            if pending.isEmpty { return done }
            for runID in pending {
                do {
                    if try await ingest(runID: runID) != nil { done += 1 } else { failed.insert(runID) }
                } catch {
                    logger?.error("corpus ingest of run \(runID) failed: \(error); retried on the next sweep")
                    failed.insert(runID)
                }
            }
        }
    }

    /// The ingest right after a completion: errors are logged, never returned to the validator (its run is complete
    /// either way; the sweep picks the run up again).
    public func ingestAfterCompletion(runID: String, logger: Logger) async {
        do {
            try await ingest(runID: runID)
        } catch {
            logger.warning("corpus ingest of run \(runID) failed: \(error); the ingest sweep retries it")
        }
    }

    func record(_ problem: RunIngestSource.Problem, of run: RunIngestSource, now: Int64) async throws -> TrajectoryRecord {
        let metadata = (try? JSONParser.parse(problem.metadataJSON)) ?? .object([])
        let summary = problem.progress?.scoreComponentsSummary.flatMap { try? JSONParser.parse($0) } ?? .null
        let corpusSummary = summary["corpus"]
        var envelope: Envelope?
        if let log = problem.log, let bytes = try await blobs.get(log.sha256) {
            envelope = Self.envelope(from: bytes)
        }
        var catalog = CatalogCheck.unchecked
        if corpusSummary?["catalog_checked"] == .bool(true) {
            catalog = .missing(Set(corpusSummary?["unknown_product_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
        let query = metadata["query"]?.stringValue ?? envelope?.query ?? ""
        let analysis = CorpusAnalysis.analyse(envelope: envelope, query: query, catalog: catalog)
        let category = problem.category ?? metadata["category"]?.stringValue
        let provenance = TrajectoryProvenance(
            evalRunID: run.evalRunID, agentVersionID: run.agentVersionID, agentName: run.agentName, minerHotkey: run.minerHotkey,
            validatorHotkey: run.validatorHotkey, suiteID: run.suiteID, suiteVersion: run.suiteVersion, problemID: problem.problemID,
            category: category?.lowercased(), phase: run.phase, raceID: run.raceID, isHidden: problem.isHidden, isIncluded: run.isIncluded)
        let model = summary["reasoning_model"]?.stringValue
        let reasoningScore = problem.progress?.reasoningScore
        let judgeKind = JudgeFacts.kind(score: reasoningScore, model: model)
        var versions: [(String, JSONValue)] = [("corpus", .string(CorpusPipeline.version))]
        if let profile = corpusSummary?["scoring_profile"] { versions.append(("scoring_profile", profile)) }
        versions.append(("judge", .string(model.map { "llm:\($0)" } ?? judgeKind)))
        if let service = run.serviceVersions.flatMap({ try? JSONParser.parse($0) }) { versions.append(("service", service)) }
        return TrajectoryRecord(
            provenance: provenance, analysis: analysis,
            envelopeStatus: envelope?.status?.rawValue ?? problem.progress?.status ?? "MISSING",
            success: problem.progress?.score == 1, outcome: summary["outcome"] ?? .null,
            judge: JudgeFacts(reasoningScore: reasoningScore, reasoningCoefficient: run.reasoningCoefficient, kind: judgeKind,
                              model: model, explanation: summary["reasoning_explanation"]?.stringValue),
            executionTime: problem.progress?.executionTime ?? envelope?.executionTime, completedAt: run.completedAt, ingestedAt: now,
            versions: .object(versions), dialogueKey: problem.log?.key, dialogueSHA256: problem.log?.sha256)
    }

    /// A stored log: gzip (what validators upload) or plain JSON, holding one envelope line.
    static func envelope(from bytes: [UInt8]) -> Envelope? {
        let plain = GzipReader.isGzip(bytes) ? (try? GzipReader.decompress(bytes)) : bytes
        guard let plain, let value = try? JSONParser.parse(utf8: plain) else { return nil }
        return try? Envelope(json: value)
    }
}
