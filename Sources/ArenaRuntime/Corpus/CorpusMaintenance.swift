import Backend
import Corpus
import Store

/// `shoparena corpus backfill | stats` on an arena store: the corpus counts, and the ingest of every completed run
/// that has no corpus records yet (idempotent: records are keyed by run and problem).
public enum CorpusMaintenance {
    /// `stats` only reads: a SQLite data folder without an arena database is refused rather than created empty.
    public static let statsOpening = ArenaStore.Opening.existing
    /// `backfill` may start from an empty folder (it migrates and fills the database).
    public static let backfillOpening = ArenaStore.Opening.create

    /// The corpus counts; `publicOnly` leaves hidden race trajectories out, as the public stats route does.
    public static func stats(_ store: ArenaStore, publicOnly: Bool) async throws -> CorpusStats {
        try await TrajectoryRepository(database: store.database).stats(publicOnly: publicOnly)
    }

    /// Ingests every pending completed run; returns how many runs were ingested and the counts afterwards.
    public static func backfill(_ store: ArenaStore) async throws -> (runs: Int, stats: CorpusStats) {
        let runs = try await CorpusIngest(database: store.database, blobs: store.blobs).ingestPending(logger: nil)
        return (runs, try await stats(store, publicOnly: false))
    }
}
