import ArenaModel
import Store

/// `SuitePublic` and `ProblemPublic` (oro-api.md §2.1).
public enum SuiteView {
    public static func json(_ suite: SuiteRecord) -> JSONValue {
        .object([("suite_id", .int(suite.suiteID)), ("suite_version", .int(suite.suiteVersion)),
                 ("is_active", .bool(suite.isActive))])
    }

    /// The key holding per-reward title embeddings (~1.5 MB per suite), served only on request.
    static let embeddingsKey = "reward_title_embeddings"

    /// A visible problem; its suite row as `metadata`, without the title embeddings unless asked for.
    public static func problem(_ problem: ProblemRecord, includeEmbeddings: Bool) -> JSONValue {
        var metadata = WireValue.object(problem.metadata)
        if !includeEmbeddings, case .object(let pairs) = metadata {
            metadata = .object(pairs.filter { $0.0 != embeddingsKey })
        }
        return .object([("problem_id", .string(problem.problemID)), ("suite_id", .int(problem.suiteID)),
                        ("metadata", metadata)])
    }
}
