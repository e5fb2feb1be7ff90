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
        let (pairs, missing) = columns(item, catalog: catalog)
        return (.object(Array(pairs.prefix(1)) + [("tools", CorpusTools.schema)] + pairs.dropFirst()), missing)
    }

    /// ``row(_:catalog:)`` as compact JSON text, with the `tools` column written once per process.
    public static func json(_ item: ExportItem, catalog: (String) -> JSONValue?) -> (row: [UInt8], missing: [String]) {
        let (pairs, missing) = columns(item, catalog: catalog)
        let writer = JSONWriter()
        var out: [UInt8] = []
        out.reserveCapacity(8192)
        out.append(UInt8(ascii: "{"))
        for (i, (key, value)) in pairs.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writer.write(.string(key), into: &out)
            out.append(UInt8(ascii: ":"))
            writer.write(value, into: &out)
            if i == 0 {
                out.append(contentsOf: #","tools":"#.utf8)
                out.append(contentsOf: CorpusTools.schemaJSON)
            }
        }
        out.append(UInt8(ascii: "}"))
        return (out, missing)
    }

    /// The row's columns but `tools` (which goes second), and the ids no document was found for.
    static func columns(_ item: ExportItem, catalog: (String) -> JSONValue?) -> ([(String, JSONValue)], [String]) {
        let seen = toolResultProducts(item.toolResultValues)
        var found: [String: JSONValue] = [:]
        for (id, document) in seen { found[id] = document }
        var products: [(String, JSONValue)] = []
        var missing: [String] = []
        var done = Set<String>()
        for id in groundTruthIDs(item.problem) + seen.map(\.0) where done.insert(id).inserted {
            if let document = catalog(id) ?? found[id] {
                products.append((id, document))
            } else {
                missing.append(id)
            }
        }
        let pairs: [(String, JSONValue)] = [
            ("prompt", .array(item.promptMessages.map(\.json))),
            ("problem_id", .string(item.record.provenance.problemID)),
            ("category", item.record.provenance.category.map(JSONValue.string) ?? .null),
            ("query", .string(item.query)), ("reward_spec", rewardSpec(item.problem)), ("products", .object(products)),
            ("trajectory_id", .string(item.record.trajectoryID)),
        ]
        return (pairs, missing)
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
        toolResultProducts(chat.messages.filter { $0.role == .tool }.map { StepRows.value(of: $0.content) })
    }

    /// ``toolResultProducts(_:)-(ChatTrajectory)`` over tool results given as values.
    public static func toolResultProducts(_ results: [JSONValue]) -> [(String, JSONValue)] {
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
        results.forEach(visit)
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
