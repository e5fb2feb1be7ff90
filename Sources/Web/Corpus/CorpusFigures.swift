/// The seam between the web pages and the trajectory corpus (built in its own module): the figures of the
/// `/corpus` page and the per-problem "corpus verdict" of the agent and run pages.
///
/// `ArenaWebsite` takes any implementation; until the corpus is wired in, `CorpusNotYetAvailable` tells the
/// pages to say what they will show instead of inventing numbers.
public protocol CorpusFigures: Sendable {
    /// The corpus totals for `/corpus`, or nil while there is no corpus to report on.
    func summary() async throws -> CorpusSummary?

    /// The verdict of each given (run, problem) trajectory that the corpus has judged; trajectories it has
    /// not seen are left out. Never asked about hidden race problems (the pages do not show them).
    func verdicts(for trajectories: [TrajectoryKey]) async throws -> [TrajectoryKey: CorpusVerdict]
}

/// One problem's trajectory in one evaluation run.
public struct TrajectoryKey: Sendable, Hashable {
    public var evalRunID: String
    public var problemID: String

    public init(evalRunID: String, problemID: String) {
        self.evalRunID = evalRunID
        self.problemID = problemID
    }
}

/// What the corpus decided about one trajectory.
public struct CorpusVerdict: Sendable, Hashable {
    /// Whether the trajectory went into the corpus.
    public var accepted: Bool
    /// The short verdict as the corpus spells it (e.g. "kept", "rejected").
    public var label: String
    /// Why it was rejected, when it was.
    public var reason: String?

    public init(accepted: Bool, label: String, reason: String? = nil) {
        self.accepted = accepted
        self.label = label
        self.reason = reason
    }
}

/// The figures of the `/corpus` page. Each breakdown is a list of (label, count) in display order.
public struct CorpusSummary: Sendable, Hashable {
    public var trajectories: Int64
    public var accepted: Int64
    public var byCategory: [CorpusCount]
    public var byVerdict: [CorpusCount]
    public var byRejectReason: [CorpusCount]
    /// Trajectories ingested per UTC day, oldest first (label: `YYYY-MM-DD`).
    public var perDay: [CorpusCount]

    public init(trajectories: Int64, accepted: Int64, byCategory: [CorpusCount], byVerdict: [CorpusCount],
                byRejectReason: [CorpusCount], perDay: [CorpusCount]) {
        self.trajectories = trajectories
        self.accepted = accepted
        self.byCategory = byCategory
        self.byVerdict = byVerdict
        self.byRejectReason = byRejectReason
        self.perDay = perDay
    }
}

/// One labelled count of a corpus breakdown.
public struct CorpusCount: Sendable, Hashable {
    public var label: String
    public var count: Int64

    public init(label: String, count: Int64) {
        self.label = label
        self.count = count
    }
}

/// The stand-in until the corpus module is wired: no summary and no verdicts, so `/corpus` describes what it
/// will show and the verdict column reads "not yet".
public struct CorpusNotYetAvailable: CorpusFigures {
    public init() {}
    public func summary() async throws -> CorpusSummary? { nil }
    public func verdicts(for trajectories: [TrajectoryKey]) async throws -> [TrajectoryKey: CorpusVerdict] { [:] }
}
