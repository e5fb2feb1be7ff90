import ArenaModel

/// Who chose the catalogue calls of a trajectory (the paper's Axis A vs Axis B).
public enum AgenticVerdict: String, Sendable, Hashable, CaseIterable {
    /// The model emitted the tool calls the agent dispatched.
    case agentic
    /// The program chose the calls; the model (if asked at all) only classified, scored or narrated.
    case scripted
    /// No successful inference call at all.
    case noLLM = "no-llm"
}

/// The measured agentic figures of one trajectory, from the trusted proxy log only.
public struct AgenticAssessment: Sendable, Hashable {
    public var verdict: AgenticVerdict
    /// Share of dispatches whose tool and arguments an earlier reply proposed; nil without dispatches.
    public var richness: Double?
    /// Catalogue tool requests the proxy answered 200.
    public var dispatches: Int
    /// Of those, the ones matched to an earlier, unused proposal.
    public var proposedDispatches: Int
    /// Inference calls the upstream answered 200.
    public var inferenceReplies: Int
    /// Tool calls (any tool) proposed over all replies.
    public var proposals: Int

    public init(verdict: AgenticVerdict, richness: Double?, dispatches: Int, proposedDispatches: Int, inferenceReplies: Int,
                proposals: Int) {
        self.verdict = verdict
        self.richness = richness
        self.dispatches = dispatches
        self.proposedDispatches = proposedDispatches
        self.inferenceReplies = inferenceReplies
        self.proposals = proposals
    }

    public var json: JSONValue {
        .object([
            ("verdict", .string(verdict.rawValue)), ("agentic_richness", richness.map(JSONValue.double) ?? .null),
            ("dispatches", .int(Int64(dispatches))), ("proposed_dispatches", .int(Int64(proposedDispatches))),
            ("inference_replies", .int(Int64(inferenceReplies))), ("proposals", .int(Int64(proposals))),
        ])
    }
}

/// Agentic richness measured by the proxy, which sees both the model's replies and the catalogue dispatches
/// (ORO's planned nonce scheme needs agents to cooperate; this needs nothing from them):
///
/// - a **dispatch** is a `/search/find_product` or `/search/view_product_information` request answered 200;
/// - a **proposal** is a catalogue tool call parsed from a 200 inference reply (``ProposedToolCall``);
/// - a dispatch is **proposed** when an unused proposal of the same problem has the same tool and the same
///   canonical arguments (``ToolArguments``) and its reply had come back before the dispatch started
///   (reply start + duration ≤ dispatch start, with 1.05 ms for the log's rounding). Each proposal backs at most one
///   dispatch, so replaying a proposed call counts once;
/// - `agentic_richness` = proposed dispatches / dispatches.
///
/// Verdict: `no-llm` without a successful inference reply; otherwise `agentic` when richness ≥ ``threshold``
/// (0.5: most of the catalogue calls were the model's), else `scripted`. A trajectory that used the model but
/// dispatched nothing is `agentic` if some reply proposed a tool call, else `scripted`.
public enum AgenticRichness {
    public static let threshold = 0.5
    static let roundingSlackMs = 1.05

    public static func assess(_ calls: [ProxyCallRecord]) -> AgenticAssessment {
        struct Proposal {
            var key: String
            var readyAt: Double
            var used = false
        }
        var proposals: [Proposal] = []
        var proposalCount = 0
        var replies = 0
        var dispatches: [(at: Double, key: String, order: Int)] = []
        for (order, call) in calls.enumerated() {
            if call.isInference {
                guard call.succeeded else { continue }
                replies += 1
                let proposed = call.proposedCalls ?? []
                proposalCount += proposed.count
                let readyAt = Double(call.timestamp) + call.durationMs
                for p in proposed where p.name == "find_product" || p.name == "view_product_information" {
                    proposals.append(Proposal(key: ToolArguments.key(tool: p.name, p.arguments), readyAt: readyAt))
                }
            } else if let tool = call.dispatchedTool, call.succeeded {
                dispatches.append((Double(call.timestamp), ToolArguments.key(tool: tool, arguments(of: call)), order))
            }
        }
        proposals.sort { $0.readyAt < $1.readyAt }
        dispatches.sort { ($0.at, $0.order) < ($1.at, $1.order) }
        var matched = 0
        for dispatch in dispatches {
            if let i = proposals.firstIndex(where: { !$0.used && $0.key == dispatch.key && $0.readyAt <= dispatch.at + roundingSlackMs }) {
                proposals[i].used = true
                matched += 1
            }
        }
        let richness = dispatches.isEmpty ? nil : Double(matched) / Double(dispatches.count)
        let verdict: AgenticVerdict
        if replies == 0 {
            verdict = .noLLM
        } else if let richness {
            verdict = richness >= threshold ? .agentic : .scripted
        } else {
            verdict = proposalCount > 0 ? .agentic : .scripted
        }
        return AgenticAssessment(verdict: verdict, richness: richness, dispatches: dispatches.count, proposedDispatches: matched,
                                 inferenceReplies: replies, proposals: proposalCount)
    }

    /// A dispatch's arguments: the decoded `arguments` the proxy logged, else its raw query string decoded (logs
    /// written before the proxy recorded arguments).
    static func arguments(of call: ProxyCallRecord) -> JSONValue {
        if let arguments = call.arguments { return arguments }
        return .object(QueryString.decode(call.query ?? "").map { ($0.0, .string($0.1)) })
    }
}
