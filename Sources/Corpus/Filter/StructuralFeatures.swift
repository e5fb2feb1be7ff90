import ArenaModel

/// The paper's structural ranking features of one trajectory (oro-docs.md §7, step 4).
public struct StructuralFeatures: Sendable, Hashable {
    /// Assistant turns.
    public var turns: Int
    /// Assistant turns with think text.
    public var thinkDepth: Int
    /// Tool calls over all turns.
    public var toolCallDepth: Int
    /// `find_product` calls.
    public var searches: Int
    /// `find_product` calls whose query (lower-cased, white space collapsed) differs from the previous search's.
    public var queryReformulations: Int
    /// Every recommended id was looked at with `view_product_information` before the (first) recommendation.
    public var verifiedBeforeRecommend: Bool
    /// Calls repeating an earlier call exactly (same tool and canonical arguments, ``ToolArguments``); `terminate`
    /// is not counted.
    public var repeatedCalls: Int
    /// The most times one call was made.
    public var maxRepeat: Int

    public init(turns: Int = 0, thinkDepth: Int = 0, toolCallDepth: Int = 0, searches: Int = 0, queryReformulations: Int = 0,
                verifiedBeforeRecommend: Bool = false, repeatedCalls: Int = 0, maxRepeat: Int = 0) {
        self.turns = turns
        self.thinkDepth = thinkDepth
        self.toolCallDepth = toolCallDepth
        self.searches = searches
        self.queryReformulations = queryReformulations
        self.verifiedBeforeRecommend = verifiedBeforeRecommend
        self.repeatedCalls = repeatedCalls
        self.maxRepeat = maxRepeat
    }

    /// Loops: some call was made three times or more.
    public var loops: Bool { maxRepeat >= 3 }

    public init(_ chat: ChatTrajectory?) {
        self.init()
        guard let chat else { return }
        var lastQuery: String?
        var viewed: Set<String> = []
        var counts: [String: Int] = [:]
        var recommended = false
        for turn in chat.assistantTurns {
            turns += 1
            if let think = turn.reasoning, !think.isEmpty { thinkDepth += 1 }
            for call in turn.toolCalls {
                toolCallDepth += 1
                let canonical = ToolArguments.canonical(tool: call.name, call.arguments)
                switch call.name {
                case "find_product":
                    searches += 1
                    let q = canonical.first { $0.0 == "q" }?.1 ?? ""
                    if let lastQuery, lastQuery != q { queryReformulations += 1 }
                    lastQuery = q
                case "view_product_information":
                    viewed.formUnion(ToolArguments.productIDs(ToolArguments.scalarText(call.arguments["product_ids"] ?? .null) ?? ""))
                case "recommend_product" where !recommended:
                    recommended = true
                    if let ids = StructuralFilter.recommendedIDs(call) { verifiedBeforeRecommend = ids.allSatisfy(viewed.contains) }
                default: break
                }
                if call.name != "terminate" {
                    let key = ToolArguments.key(tool: call.name, canonical: canonical)
                    counts[key, default: 0] += 1
                    if counts[key]! > 1 { repeatedCalls += 1 }
                    maxRepeat = max(maxRepeat, counts[key]!)
                }
            }
        }
    }

    public var json: JSONValue {
        .object([
            ("turns", .int(Int64(turns))), ("think_depth", .int(Int64(thinkDepth))),
            ("tool_call_depth", .int(Int64(toolCallDepth))), ("searches", .int(Int64(searches))),
            ("query_reformulations", .int(Int64(queryReformulations))),
            ("verified_before_recommend", .bool(verifiedBeforeRecommend)), ("repeated_calls", .int(Int64(repeatedCalls))),
            ("max_repeat", .int(Int64(maxRepeat))), ("loops", .bool(loops)),
        ])
    }

    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        func int(_ k: String) -> Int { Int(json[k]?.intValue ?? 0) }
        self.init(turns: int("turns"), thinkDepth: int("think_depth"), toolCallDepth: int("tool_call_depth"),
                  searches: int("searches"), queryReformulations: int("query_reformulations"),
                  verifiedBeforeRecommend: json["verified_before_recommend"] == .bool(true),
                  repeatedCalls: int("repeated_calls"), maxRepeat: int("max_repeat"))
    }
}
