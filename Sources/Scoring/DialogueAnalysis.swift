import ArenaModel

/// Everything the scorer reads from a dialogue, in one pass: per-step format, the `length` score,
/// the last `recommend_product` call, and what was malformed.
///
/// Never fails: a dialogue that is not a list, steps without `completion`/`message`, a `tool_call`
/// that is not a list or a `product_ids` that is not a string lower only what they affect and leave
/// a ``ScoreIssue``.
public struct DialogueAnalysis: Sendable {
    /// Number of steps (0 when the dialogue is not a list).
    public var stepCount: Int
    public var stepFormats: [StepFormat]
    /// Σ step format / number of steps (0 without steps).
    public var format: Double
    /// 1 / number of steps when the last step calls `terminate`, else 0.
    public var length: Double
    /// The last `recommend_product` call with a string `product_ids`; nil when there is none, or when
    /// the last call's `product_ids` is not a string.
    public var recommendation: Recommendation?
    public var issues: [ScoreIssue]

    public init(dialogue: JSONValue?, profile: ScoringProfile) {
        stepFormats = []
        format = 0
        length = 0
        recommendation = nil
        issues = []
        guard let dialogue else {
            stepCount = 0
            issues.append(.dialogueMissing())
            return
        }
        guard case .array(let steps) = dialogue else {
            stepCount = 0
            issues.append(.dialogueNotList(dialogue.kindName))
            return
        }
        stepCount = steps.count
        if steps.isEmpty {
            issues.append(.dialogueEmpty())
            return
        }
        stepFormats.reserveCapacity(steps.count)
        var lastRecommend: (step: Int, call: JSONValue)?
        var lastStepTerminates = false
        var formatSum = 0.0
        for (index, raw) in steps.enumerated() {
            let f = FormatRule.check(step: raw, missingTimestampFactor: profile.missingTimestampFactor)
            stepFormats.append(f)
            formatSum += f.score
            let isLast = index == steps.count - 1
            guard case .object = raw else {
                issues.append(.stepNotObject(index, raw.kindName))
                continue
            }
            guard case .object? = raw["completion"] else {
                issues.append(.missingCompletion(index))
                continue
            }
            guard let message = raw["completion"]?["message"], case .object = message else {
                issues.append(.missingMessage(index))
                continue
            }
            for part in ["think", "response"] {
                if let v = message[part], v.isTruthy, v.stringValue == nil {
                    issues.append(.partNotString(index, part, v.kindName))
                }
            }
            guard let toolCall = message["tool_call"], toolCall.isTruthy else { continue }
            guard case .array(let calls) = toolCall else {
                issues.append(.toolCallNotList(index, toolCall.kindName))
                continue
            }
            for (i, call) in calls.enumerated() {
                guard case .object = call, let name = call["name"]?.stringValue else {
                    issues.append(.toolCallItemMalformed(index, i))
                    continue
                }
                if name == "recommend_product" { lastRecommend = (index, call) }
                if isLast && name == "terminate" { lastStepTerminates = true }
            }
        }
        format = formatSum / Double(steps.count)
        length = lastStepTerminates ? 1 / Double(steps.count) : 0
        if let (step, call) = lastRecommend {
            switch call["parameters"]?["product_ids"] {
            case .string(let text)?:
                recommendation = Recommendation(
                    ids: Recommendation.split(text, rule: profile.idSplitting), rawProductIDs: text, step: step)
            case let other?:
                issues.append(.productIDsNotString(step, other.kindName))
            case nil:
                issues.append(.productIDsNotString(step, "missing value"))
            }
        }
    }
}
