import ArenaModel

/// `rl` rows: prompt-only GRPO rows carrying what an offline reward needs (the contract `python/shoparena_rl` reads):
/// `{"prompt": [system, user], "tools", "problem_id", "category", "query", "reward_spec", "products", "trajectory_id"}`.
/// - `reward_spec`: `{"reward": <the stored reward, object or list>, "voucher": <the stored voucher or null>}` —
///   the problem's reward specification exactly as its suite record stores it.
/// - `products`: product id → product document (the catalog's `product` object, as the scorer sees it) for the
///   ground-truth products first, then every product id in the trajectory's tool results, in order of first
///   appearance. An id the catalog lacks falls back to the richest object the tools returned for it; an id with
///   neither is left out (and counted by the export).
public enum RLRows {
    /// The row and the ids no document was found for.
    public static func row(_ item: ExportItem, catalog: (String) -> JSONValue?) -> (row: JSONValue, missing: [String]) {
        let seen = toolResultProducts(item.chat)
        var products: [(String, JSONValue)] = []
        var missing: [String] = []
        var done = Set<String>()
        for id in groundTruthIDs(item.problem) + seen.map(\.0) where done.insert(id).inserted {
            if let document = catalog(id) ?? seen.first(where: { $0.0 == id })?.1 {
                products.append((id, document))
            } else {
                missing.append(id)
            }
        }
        let row: JSONValue = .object([
            ("prompt", .array(item.promptMessages.map(\.json))), ("tools", CorpusTools.schema),
            ("problem_id", .string(item.record.provenance.problemID)),
            ("category", item.record.provenance.category.map(JSONValue.string) ?? .null),
            ("query", .string(item.query)), ("reward_spec", rewardSpec(item.problem)), ("products", .object(products)),
            ("trajectory_id", .string(item.record.trajectoryID)),
        ])
        return (row, missing)
    }

    /// `{"reward", "voucher"}` of a stored problem record.
    public static func rewardSpec(_ problem: JSONValue) -> JSONValue {
        .object([("reward", problem["reward"] ?? .null), ("voucher", problem["voucher"] ?? .null)])
    }

    /// The ground-truth product ids of a stored problem record (`reward` an object or a list), in order.
    public static func groundTruthIDs(_ problem: JSONValue) -> [String] {
        let items: [JSONValue]
        switch problem["reward"] {
        case .array(let list)?: items = list
        case .object?: items = [problem["reward"]!]
        default: items = []
        }
        return items.compactMap { idText($0["product_id"]) }
    }

    /// Every object with a `product_id` in the tool results, per id the one with the most keys (ties: the first).
    public static func toolResultProducts(_ chat: ChatTrajectory) -> [(String, JSONValue)] {
        var order: [String] = []
        var best: [String: JSONValue] = [:]
        func visit(_ value: JSONValue) {
            switch value {
            case .array(let items): items.forEach(visit)
            case .object(let pairs):
                if let id = idText(value["product_id"]) {
                    if let current = best[id] {
                        if pairs.count > (current.objectValue?.count ?? 0) { best[id] = value }
                    } else {
                        order.append(id)
                        best[id] = value
                    }
                } else {
                    pairs.forEach { visit($0.1) }
                }
            default: break
            }
        }
        for message in chat.messages where message.role == .tool {
            visit(StepRows.value(of: message.content))
        }
        return order.map { ($0, best[$0]!) }
    }

    static func idText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)? where !s.isEmpty: return s
        case .int(let i)?: return String(i)
        default: return nil
        }
    }
}
