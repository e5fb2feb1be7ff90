import ArenaModel
import Store

/// `SuitePublic` and `ProblemPublic` (oro-api.md §2.1).
public enum SuiteView {
    /// With `newerClient`, 7.x's `execution_kind`: every ShopArena suite is ShoppingBench problems
    /// (`legacy_shoppingbench`), never an environment pack.
    public static func json(_ suite: SuiteRecord, newerClient: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = [("suite_id", .int(suite.suiteID)), ("suite_version", .int(suite.suiteVersion)),
                                             ("is_active", .bool(suite.isActive))]
        if newerClient { fields.append(("execution_kind", "legacy_shoppingbench")) }
        return .object(fields)
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
