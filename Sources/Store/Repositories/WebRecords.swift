/// Typed rows read by the arena's web pages (`Web` module) in addition to the public API's records.
/// Like `PublicRecords`, every value here is public data: nothing from a hidden race problem.

/// A leaderboard row with its 1-based rank on the whole board (so a searched page keeps board ranks).
public struct RankedVersionRecord: Sendable, Hashable {
    /// 1-based rank on the whole board.
    public var rank: Int64
    /// The ranked version.
    public var version: AgentVersionRecord
}

/// One page of a (possibly searched) leaderboard.
public struct LeaderboardPageRecord: Sendable, Hashable {
    /// Versions on the whole board (before the search).
    public var boardTotal: Int64
    /// Distinct miners on the whole board.
    public var uniqueMiners: Int64
    /// Versions matching the search (equal to `boardTotal` without one).
    public var matched: Int64
    /// The rows of this page, best rank first.
    public var entries: [RankedVersionRecord]
}

/// A miner as the public sees it: registration, ban flag and submission cooldown (no credentials).
public struct MinerRecord: Sendable, Hashable {
    /// The miner's SS58 hotkey.
    public var hotkey: String
    /// Nil when the hotkey has versions but no identity row (e.g. removed by an operator).
    public var registeredAt: Int64?
    /// Whether an admin banned the miner.
    public var isBanned: Bool
    /// No submission before this time, epoch milliseconds.
    public var cooldownUntil: Int64?
    /// The last accepted submission, epoch milliseconds.
    public var lastSubmitAt: Int64?
}

/// A visible problem's progress in one run, with whether a log was uploaded and the problem's suite row.
public struct RunProblemDetailRecord: Sendable, Hashable {
    /// The problem's progress row in the run.
    public var progress: RunProblemRecord
    /// The uploaded log's object key (nil until the validator uploads it).
    public var logsKey: String?
    /// The problem's suite row (JSON text: query, category, reward…) when the query selected it (one problem),
    /// nil in lists (a suite row can carry ~50 KB of title embeddings; pages read lists' texts from a cache).
    public var problemMetadata: String?
}

/// An eligible version's qualifying score, for projecting who would qualify for the next race.
public struct EligibleScoreRecord: Sendable, Hashable {
    /// The eligible version.
    public var agentVersionID: String
    /// Its qualifying final score.
    public var finalScore: Double
}
