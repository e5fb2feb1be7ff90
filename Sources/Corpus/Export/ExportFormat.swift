import ArenaModel

/// The training-data formats `shoparena corpus export` writes.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    /// TRL conversational SFT rows: `{"messages", "tools", …metadata}` (``SFTRows``).
    case sft
    /// ShoppingBench's per-step rows `{"instruction", "input", "output"}` as LLaMA-Factory reads them (``StepRows``).
    case sftSteps = "sft-steps"
    /// DPO `{"prompt", "chosen", "rejected"}` and KTO `{"prompt", "completion", "label"}` rows (``PreferenceRows``).
    case preference
    /// Prompt-only GRPO rows with the reward specification and the product documents a reward needs (``RLRows``).
    case rl

    /// The data files of one split: the file name stems this format writes (`<stem>-<split>.jsonl[.gz]`).
    public var stems: [String] {
        switch self {
        case .sft: return ["sft"]
        case .sftSteps: return ["sft-steps"]
        case .preference: return ["dpo", "kto"]
        case .rl: return ["rl"]
        }
    }
}

/// Which trajectories an export takes by their corpus verdicts.
public enum ExportFilter: String, Sendable, Hashable, CaseIterable {
    /// Passed the structural filter and the model emitted the tool calls (the default: the paper's Axis-A).
    case acceptedAgentic = "accepted-agentic"
    /// Passed the structural filter, whoever emitted the calls.
    case accepted
    /// The model emitted the tool calls, structural verdict ignored.
    case agentic
    /// Every public trajectory.
    case all

    /// The structural-filter requirement (nil: any).
    public var requiresAccepted: Bool? { self == .acceptedAgentic || self == .accepted ? true : nil }
    /// The agentic-verdict requirement (nil: any).
    public var requiredVerdict: AgenticVerdict? { self == .acceptedAgentic || self == .agentic ? .agentic : nil }
}

/// Which pools an export writes; the `never` pool (the hidden race bank and its clusters) is never written.
public enum SplitSelection: String, Sendable, Hashable, CaseIterable {
    case train, eval, all

    /// The pools written, in file order.
    public var pools: [SplitPool] {
        switch self {
        case .train: return [.train]
        case .eval: return [.eval]
        case .all: return [.train, .eval]
        }
    }
}

/// Where a problem's cluster goes: training, evaluation, or nowhere (hidden race problems and everything clustering
/// with them).
public enum SplitPool: String, Sendable, Hashable, CaseIterable, Comparable {
    case train, eval, never

    public static func < (a: SplitPool, b: SplitPool) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
