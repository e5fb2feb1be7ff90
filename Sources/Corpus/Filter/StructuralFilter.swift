import ArenaModel

/// A hard reject of the structural filter (the paper's five format rejects, plus a trajectory with no dialogue).
/// Raw values are the reason codes stored and reported.
public enum RejectReason: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The run produced no dialogue list (FAILED, TIMED_OUT, or not a list).
    case noDialogue = "no_dialogue"
    /// A tool call has no `tool` message answering it.
    case unmatchedToolCall = "unmatched_tool_call"
    /// `recommend_product` was called zero times or more than once.
    case recommendNotOnce = "recommend_not_once"
    /// The `recommend_product` arguments cannot be read, or `product_ids` is not a non-empty string of ids.
    case recommendUnparseable = "recommend_unparseable"
    /// A recommended id is not in the catalog.
    case unknownProduct = "unknown_product"
    /// Longer than the token budget (see ``TokenCount``).
    case overTokenBudget = "over_token_budget"
    /// The last assistant turn calls neither `recommend_product` nor `terminate`: the agent thought and stopped.
    case thinkThenStop = "think_then_stop"

    public static func < (a: RejectReason, b: RejectReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The filter's verdict on one trajectory: accepted when no hard reject applies.
public struct FilterVerdict: Sendable, Hashable {
    /// Every reject that applies, in ``RejectReason`` order (empty: accepted).
    public var reasons: [RejectReason]
    public var tokenCount: Int
    /// Whether recommended ids were checked against a catalog.
    public var catalogChecked: Bool
    /// Recommended ids the catalog does not have.
    public var unknownProductIDs: [String]

    public init(reasons: [RejectReason], tokenCount: Int, catalogChecked: Bool, unknownProductIDs: [String]) {
        self.reasons = reasons
        self.tokenCount = tokenCount
        self.catalogChecked = catalogChecked
        self.unknownProductIDs = unknownProductIDs
    }

    public var accepted: Bool { reasons.isEmpty }
    /// The first reason, the one counted in statistics.
    public var primaryReason: RejectReason? { reasons.first }

    public var json: JSONValue {
        .object([
            ("accepted", .bool(accepted)), ("reasons", .array(reasons.map { .string($0.rawValue) })),
            ("token_count", .int(Int64(tokenCount))), ("catalog_checked", .bool(catalogChecked)),
            ("unknown_product_ids", .array(unknownProductIDs.map(JSONValue.string))),
        ])
    }
}

/// The structural-quality filter of the trajectory paper (oro-docs.md §7, step 3): hard format rejects on the
/// normalised chat, each with a reason code.
public enum StructuralFilter {
    public static func check(_ chat: ChatTrajectory?, catalog: CatalogCheck, tokenBudget: Int = TokenCount.defaultBudget)
        -> FilterVerdict
    {
        guard let chat else {
            return FilterVerdict(reasons: [.noDialogue], tokenCount: 0, catalogChecked: catalog.isChecked, unknownProductIDs: [])
        }
        var reasons: Set<RejectReason> = []
        let answered = Set(chat.messages.compactMap { $0.role == .tool ? $0.toolCallID : nil })
        let calls = chat.toolCalls
        if calls.contains(where: { !answered.contains($0.id) }) { reasons.insert(.unmatchedToolCall) }

        let recommends = calls.filter { $0.name == "recommend_product" }
        if recommends.count != 1 { reasons.insert(.recommendNotOnce) }
        var unknown: [String] = []
        for call in recommends {
            guard let ids = recommendedIDs(call) else {
                reasons.insert(.recommendUnparseable)
                continue
            }
            for id in ids where !catalog.contains(id) && !unknown.contains(id) { unknown.append(id) }
        }
        if !unknown.isEmpty { reasons.insert(.unknownProduct) }

        let tokens = TokenCount.of(chat)
        if tokens > tokenBudget { reasons.insert(.overTokenBudget) }
        let closing = chat.assistantTurns.last?.toolCalls.contains { $0.name == "recommend_product" || $0.name == "terminate" }
        if closing != true { reasons.insert(.thinkThenStop) }
        return FilterVerdict(reasons: reasons.sorted(), tokenCount: tokens, catalogChecked: catalog.isChecked,
                             unknownProductIDs: unknown)
    }

    /// The ids of a `recommend_product` call, or nil when its arguments are unreadable or `product_ids` is not a
    /// string holding at least one id.
    public static func recommendedIDs(_ call: ChatToolCall) -> [String]? {
        guard call.argumentsParsed, case .string(let text)? = call.arguments["product_ids"] else { return nil }
        let ids = ToolArguments.productIDs(text)
        return ids.isEmpty ? nil : ids
    }
}
