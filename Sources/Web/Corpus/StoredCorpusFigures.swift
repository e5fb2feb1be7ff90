import Corpus
import Foundation
import Store

/// The `/corpus` figures and per-problem verdicts from the arena's trajectory corpus (the `trajectories` table).
/// Public data only: hidden race problems' records are left out of every figure.
public struct StoredCorpusFigures: CorpusFigures {
    let repository: TrajectoryRepository
    /// How many of the newest records the per-day chart reads.
    let perDayWindow: Int

    public init(repository: TrajectoryRepository, perDayWindow: Int = 20_000) {
        self.repository = repository
        self.perDayWindow = perDayWindow
    }

    public func summary() async throws -> CorpusSummary? {
        let stats = try await repository.stats(publicOnly: true)
        func counts(_ map: [String: Int]) -> [CorpusCount] {
            map.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { CorpusCount(label: $0.key, count: Int64($0.value)) }
        }
        let recent = try await repository.list(TrajectoryQuery(includeHidden: false), limit: perDayWindow, offset: 0).records
        var days: [String: Int] = [:]
        for record in recent { days[Self.day(record.ingestedAt), default: 0] += 1 }
        let perDay = days.sorted { $0.key < $1.key }.map { CorpusCount(label: $0.key, count: Int64($0.value)) }
        return CorpusSummary(trajectories: Int64(stats.total), accepted: Int64(stats.accepted),
                             byCategory: counts(stats.byCategory), byVerdict: counts(stats.byVerdict),
                             byRejectReason: counts(stats.byRejectReason), perDay: perDay)
    }

    public func verdicts(for trajectories: [TrajectoryKey]) async throws -> [TrajectoryKey: CorpusVerdict] {
        let wanted = Set(trajectories)
        var out: [TrajectoryKey: CorpusVerdict] = [:]
        for run in Set(trajectories.map(\.evalRunID)) {
            let records = try await repository.list(TrajectoryQuery(evalRunID: run, includeHidden: false), limit: 10_000,
                                                    offset: 0).records
            for record in records {
                let key = TrajectoryKey(evalRunID: record.provenance.evalRunID, problemID: record.provenance.problemID)
                guard wanted.contains(key) else { continue }
                let accepted = record.filter.reasons.isEmpty
                out[key] = CorpusVerdict(accepted: accepted, label: accepted ? record.agentic.verdict.rawValue : "rejected",
                                         reason: record.filter.reasons.first?.rawValue)
            }
        }
        return out
    }

    /// `YYYY-MM-DD` (UTC) of a time in milliseconds.
    static func day(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        return date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day())
    }
}
