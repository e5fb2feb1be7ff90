import ArenaModel

/// Something about a rollout that cost it points or could not be scored, with a stable code for
/// machines and a message for people. Recorded on the problem's score; never thrown.
public struct ScoreIssue: Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier, e.g. `dialogue_not_list`, `unknown_product`.
    public var code: String
    public var message: String
    /// The 0-based dialogue step the issue is about, when there is one.
    public var step: Int?

    public init(code: String, message: String, step: Int? = nil) {
        self.code = code
        self.message = message
        self.step = step
    }

    public var description: String {
        if let step { return "[\(code)] step \(step): \(message)" }
        return "[\(code)] \(message)"
    }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let step { pairs.append(("step", .int(Int64(step)))) }
        return .object(pairs)
    }

    static func noRollout() -> ScoreIssue {
        ScoreIssue(code: "no_rollout", message: "no envelope for this problem; it counts as a failure")
    }
    static func notSuccessful(_ status: EnvelopeStatus?, _ error: EnvelopeError?) -> ScoreIssue {
        let s = status?.rawValue ?? "missing"
        let detail = error.map { ": \($0.type): \($0.message)" } ?? ""
        return ScoreIssue(code: "run_not_successful", message: "envelope status \(s)\(detail); not scored")
    }
    static func dialogueMissing() -> ScoreIssue {
        ScoreIssue(code: "dialogue_missing", message: "the envelope has no dialogue")
    }
    static func dialogueNotList(_ kind: String) -> ScoreIssue {
        ScoreIssue(code: "dialogue_not_list", message: "the dialogue is a \(kind), not a list of steps")
    }
    static func dialogueEmpty() -> ScoreIssue {
        ScoreIssue(code: "dialogue_empty", message: "the dialogue has no steps")
    }
    static func stepNotObject(_ step: Int, _ kind: String) -> ScoreIssue {
        ScoreIssue(code: "step_not_object", message: "the step is a \(kind), not an object", step: step)
    }
    static func missingCompletion(_ step: Int) -> ScoreIssue {
        ScoreIssue(code: "missing_completion", message: "the step has no 'completion' object", step: step)
    }
    static func missingMessage(_ step: Int) -> ScoreIssue {
        ScoreIssue(code: "missing_message", message: "the step has no 'completion.message' object", step: step)
    }
    static func toolCallNotList(_ step: Int, _ kind: String) -> ScoreIssue {
        ScoreIssue(
            code: "tool_call_not_list", message: "'tool_call' is a \(kind), not a list; its calls are ignored", step: step)
    }
    static func toolCallItemMalformed(_ step: Int, _ item: Int, remaining: Int) -> ScoreIssue {
        let rest = remaining > 0 ? " and the \(remaining) call(s) after it in this step are" : " is"
        return ScoreIssue(
            code: "tool_call_malformed",
            message: "tool call \(item) is not an object with a 'name' (or is a recommend_product call without object "
                + "'parameters'); it\(rest) not read, as in ORO's scorer", step: step)
    }
    static func partNotString(_ step: Int, _ part: String, _ kind: String) -> ScoreIssue {
        ScoreIssue(code: "message_part_not_string", message: "'\(part)' is a \(kind), not a string", step: step)
    }
    static func productIDsNotString(_ step: Int, _ kind: String) -> ScoreIssue {
        ScoreIssue(
            code: "product_ids_not_string",
            message: "the last recommend_product call's 'product_ids' is a \(kind), not a comma-separated string; "
                + "nothing is recommended", step: step)
    }
    static func nothingRecommended() -> ScoreIssue {
        ScoreIssue(code: "nothing_recommended", message: "no recommend_product call with a product id")
    }
    static func unknownProduct(_ id: String, slot: Int) -> ScoreIssue {
        ScoreIssue(code: "unknown_product", message: "recommended id '\(id)' (slot \(slot + 1)) is not in the catalog")
    }
    static func missingSlot(_ slot: Int, expected: Int) -> ScoreIssue {
        ScoreIssue(code: "missing_slot", message: "no id recommended for item \(slot + 1) of \(expected)")
    }
    static func similarityFailed(_ error: any Error) -> ScoreIssue {
        ScoreIssue(
            code: "title_similarity_failed", message: "title similarity backend failed (titles count as misses): \(error)")
    }
    static func similarityUnavailable(_ count: Int) -> ScoreIssue {
        ScoreIssue(
            code: "title_not_judged", message: "\(count) title comparison(s) could not be judged and are not counted")
    }
}
