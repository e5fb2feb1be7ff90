import ArenaModel

/// Everything the scorer reads from a dialogue, in one pass: per-step format, the `length` score,
/// the last `recommend_product` call, what was malformed, and whether ORO's scorer could score it at all
/// (``malformation``, see ``MalformedDialogue``).
///
/// Never fails: a dialogue that is not a list, steps without `completion`/`message`, a `tool_call`
/// that is not a list or a `product_ids` that is not a string lower only what they affect and leave
/// a ``ScoreIssue``.
///
/// The recommendation follows ORO's extraction loop exactly: steps in order; a step counts only when its
/// `completion.message` is an object with a non-empty `tool_call` list; its calls are read in order, and the
/// first call that is not an object with a `name` — or a `recommend_product` call whose `parameters` is
/// not an object — ends that step (the calls after it, a valid `recommend_product` included, are not
/// read); each `recommend_product` read replaces `product_ids` (missing → ""), which must be a string at
/// the end.
public struct DialogueAnalysis: Sendable {
    /// Number of steps (0 when the dialogue is not a list).
    public var stepCount: Int
    public var stepFormats: [StepFormat]
    /// Σ step format / number of steps (0 without steps).
    public var format: Double
    /// 1 / number of steps when the last step calls `terminate`, else 0.
    public var length: Double
    /// The last `recommend_product` call read, when its `product_ids` is a string.
    public var recommendation: Recommendation?
    public var issues: [ScoreIssue]
    /// Why ORO's scorer would raise on this dialogue; the problem is then FAILED.
    public var malformation: ScoreIssue?

    public init(dialogue: JSONValue?, profile: ScoringProfile) {
        stepFormats = []
        format = 0
        length = 0
        recommendation = nil
        issues = []
        malformation = MalformedDialogue.issue(in: dialogue)
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
        var productIDs: (step: Int, value: JSONValue)?
        var formatSum = 0.0
        for (index, raw) in steps.enumerated() {
            let f = FormatRule.check(step: raw, missingTimestampFactor: profile.missingTimestampFactor,
                                     extraInfoMustBeObject: profile.extraInfoMustBeObject)
            stepFormats.append(f)
            formatSum += f.score
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
                guard case .object = call, let name = call["name"] else {
                    issues.append(.toolCallItemMalformed(index, i, remaining: calls.count - i - 1))
                    break
                }
                guard Self.isNamed(name, "recommend_product") else { continue }
                guard let parameters = call["parameters"], case .object = parameters else {
                    issues.append(.productIDsNotString(index, "missing value"))
                    issues.append(.toolCallItemMalformed(index, i, remaining: calls.count - i - 1))
                    break
                }
                productIDs = (index, parameters["product_ids"] ?? .string(""))
            }
        }
        format = formatSum / Double(steps.count)
        length = Self.lastStepTerminates(steps[steps.count - 1]) ? 1 / Double(steps.count) : 0
        if let (step, value) = productIDs {
            if case .string(let text) = value {
                recommendation = Recommendation(
                    ids: Recommendation.split(text, rule: profile.idSplitting), rawProductIDs: text, step: step)
            } else {
                issues.append(.productIDsNotString(step, value.kindName))
            }
        }
    }

    /// ORO's `length` rule: some call of the last step's `tool_call` list is named `terminate`.
    static func lastStepTerminates(_ step: JSONValue) -> Bool {
        guard let calls = step["completion"]?["message"]?["tool_call"]?.arrayValue else { return false }
        return calls.contains { $0["name"].map { isNamed($0, "terminate") } ?? false }
    }

    /// `name == tool` in Python: a string equal code point by code point.
    static func isNamed(_ name: JSONValue, _ tool: String) -> Bool {
        name.stringValue.map { PythonText.equal($0, tool) } ?? false
    }
}
