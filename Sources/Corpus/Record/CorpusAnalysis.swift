import ArenaModel

/// Everything the corpus derives from one problem's envelope and trusted proxy log: the normalised chat, the
/// structural filter's verdict, the structural features, agentic richness and the log's counts. Pure and cheap
/// (no I/O), so the validator computes it for the miner's progress and the backend again for the record.
public struct CorpusAnalysis: Sendable {
    public var chat: ChatTrajectory?
    public var filter: FilterVerdict
    public var features: StructuralFeatures
    public var agentic: AgenticAssessment
    public var log: TrustedLogFacts

    public init(chat: ChatTrajectory?, filter: FilterVerdict, features: StructuralFeatures, agentic: AgenticAssessment,
                log: TrustedLogFacts) {
        self.chat = chat
        self.filter = filter
        self.features = features
        self.agentic = agentic
        self.log = log
    }

    /// Analyses one problem. `proxyCalls`: the trusted log (nil: the envelope's top-level `proxy_calls`, else those
    /// bucketed into its steps). A non-SUCCESS envelope has no dialogue to normalise (`no_dialogue`).
    public static func analyse(envelope: Envelope?, query: String, proxyCalls: [ProxyCallRecord]? = nil,
                               catalog: CatalogCheck = .unchecked, tokenBudget: Int = TokenCount.defaultBudget) -> CorpusAnalysis {
        let calls = proxyCalls ?? envelope.map(trustedCalls) ?? []
        let dialogue = envelope?.status == .success || envelope?.status == nil ? envelope?.dialogue : nil
        let chat = DialogueNormaliser.normalise(dialogue: dialogue, query: query)
        return CorpusAnalysis(chat: chat, filter: StructuralFilter.check(chat, catalog: catalog, tokenBudget: tokenBudget),
                              features: StructuralFeatures(chat), agentic: AgenticRichness.assess(calls),
                              log: TrustedLogFacts(calls))
    }

    /// The proxy's log as ShopArena's sandbox attaches it (top-level `proxy_calls`), else the reference layout
    /// (bucketed into every step's `extra_info.proxy_calls`).
    public static func trustedCalls(_ envelope: Envelope) -> [ProxyCallRecord] {
        if let top = envelope.proxyCalls?.arrayValue { return top.compactMap(ProxyCallRecord.init(json:)) }
        return (envelope.steps ?? []).flatMap { ($0.proxyCalls ?? []).compactMap(ProxyCallRecord.init(json:)) }
    }

    /// What the miner sees in each problem's progress (`score_components.corpus`): the verdicts and what they rest
    /// on, no content.
    public var summaryJSON: JSONValue {
        .object([
            ("pipeline", .string(CorpusPipeline.version)),
            ("verdict", .string(agentic.verdict.rawValue)),
            ("agentic_richness", agentic.richness.map(JSONValue.double) ?? .null),
            ("dispatches", .int(Int64(agentic.dispatches))),
            ("proposed_dispatches", .int(Int64(agentic.proposedDispatches))),
            ("accepted", .bool(filter.accepted)),
            ("reject_reasons", .array(filter.reasons.map { .string($0.rawValue) })),
            ("catalog_checked", .bool(filter.catalogChecked)),
            ("unknown_product_ids", .array(filter.unknownProductIDs.map(JSONValue.string))),
            ("token_count", .int(Int64(filter.tokenCount))),
        ])
    }
}

/// Version of the corpus pipeline (normaliser, filter, richness rules); recorded in every record's `versions`.
public enum CorpusPipeline {
    public static let version = "shoparena-corpus/1"
}
