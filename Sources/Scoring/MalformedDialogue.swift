import ArenaModel

/// Dialogues that ORO's scorer cannot score: on these its `score_problem` raises, the problem is left
/// unscored and the validator records TIMED_OUT after an idle wait. ShopArena scores them FAILED instead,
/// with a reason code naming what is malformed (never SUCCESS, never a silent TIMED_OUT), in both profiles
/// (ShoppingBench's evaluator, which catches nothing, stops on every one of them too).
///
/// The rule mirrors where the reference raises (`reference/oro-validator.md` §3), in its order:
/// 1. the `length` rule reads the last step: it must be an object with `completion.message`; a truthy
///    message must be an object (a number raises, a string or list that contains "tool_call" raises on
///    the lookup); a truthy `tool_call` must be a list of objects that all have a `name`;
/// 2. the format rule validates every step whose `completion.message` is an object against the message
///    model: `user`, `think`, `response` strings; `tool_call`, `obs` lists of objects (null counts as
///    malformed for all five);
/// 3. a dialogue that is not a list of steps (null included; an empty list is scored, and fails).
public enum MalformedDialogue {
    /// What is malformed; `rawValue` is the stable code (all start with `malformed_`, apart from the
    /// finer ``ScoreIssue`` codes the scorer also records for the same steps).
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        case dialogueNotList = "malformed_not_list"
        case lastStepNotObject = "malformed_last_step"
        case lastStepMissingCompletion = "malformed_last_step_completion"
        case lastStepMissingMessage = "malformed_last_step_message"
        case lastMessageNotObject = "malformed_last_message"
        case lastStepCallWithoutName = "malformed_last_call_name"
        case messagePartNotString = "malformed_message_part"
        case toolCallNotList = "malformed_tool_call"
        case toolCallItemNotObject = "malformed_tool_call_item"
        case obsNotListOfObjects = "malformed_obs"
    }

    /// The first malformation of `dialogue`, as a ``ScoreIssue`` whose code is the reason's, or nil when the
    /// reference scores it.
    public static func issue(in dialogue: JSONValue?) -> ScoreIssue? {
        guard let dialogue, case .array(let steps) = dialogue else {
            return issue(.dialogueNotList, "the dialogue is \(dialogue.map { "a \($0.kindName)" } ?? "missing"), "
                + "not a list of steps", step: nil)
        }
        guard let last = steps.last else { return nil }
        if let found = lastStepIssue(last, index: steps.count - 1) { return found }
        for (index, step) in steps.enumerated() {
            guard let message = step["completion"]?["message"], case .object = message else { continue }
            if let found = messageIssue(message, index: index) { return found }
        }
        return nil
    }

    /// Rule 1: what the `length` rule needs of the last step.
    static func lastStepIssue(_ step: JSONValue, index: Int) -> ScoreIssue? {
        guard case .object = step else {
            return issue(.lastStepNotObject, "the last step is a \(step.kindName), not an object", step: index)
        }
        guard let completion = step["completion"], case .object = completion else {
            let what = step["completion"].map { "is a \($0.kindName)" } ?? "is missing"
            return issue(.lastStepMissingCompletion, "the last step's 'completion' \(what)", step: index)
        }
        guard let message = completion["message"] else {
            return issue(.lastStepMissingMessage, "the last step has no 'completion.message'", step: index)
        }
        guard message.isTruthy else { return nil }
        switch message {
        case .object:
            break
        case .string(let text):
            guard text.contains("tool_call") else { return nil }
            return issue(.lastMessageNotObject, "the last step's message is a string that mentions 'tool_call'",
                         step: index)
        case .array(let items):
            guard items.contains(.string("tool_call")) else { return nil }
            return issue(.lastMessageNotObject, "the last step's message is a list holding \"tool_call\"", step: index)
        default:
            return issue(.lastMessageNotObject, "the last step's message is a \(message.kindName), not an object",
                         step: index)
        }
        guard let toolCall = message["tool_call"], toolCall.isTruthy else { return nil }
        guard case .array(let calls) = toolCall else {
            return issue(.toolCallNotList, "'tool_call' is a \(toolCall.kindName), not a list", step: index)
        }
        for (i, call) in calls.enumerated() {
            guard case .object = call else {
                return issue(.toolCallItemNotObject, "tool call \(i) is a \(call.kindName), not an object", step: index)
            }
            if call["name"] == nil {
                return issue(.lastStepCallWithoutName, "tool call \(i) of the last step has no 'name'", step: index)
            }
        }
        return nil
    }

    /// Rule 2: the message model's field types.
    static func messageIssue(_ message: JSONValue, index: Int) -> ScoreIssue? {
        for part in ["user", "think", "response"] {
            if let value = message[part], value.stringValue == nil {
                return issue(.messagePartNotString, "'\(part)' is a \(value.kindName), not a string", step: index)
            }
        }
        if let toolCall = message["tool_call"] {
            guard case .array(let calls) = toolCall else {
                return issue(.toolCallNotList, "'tool_call' is a \(toolCall.kindName), not a list", step: index)
            }
            if let i = calls.firstIndex(where: { $0.objectValue == nil }) {
                return issue(.toolCallItemNotObject, "tool call \(i) is a \(calls[i].kindName), not an object",
                             step: index)
            }
        }
        if let obs = message["obs"] {
            guard case .array(let items) = obs, items.allSatisfy({ $0.objectValue != nil }) else {
                return issue(.obsNotListOfObjects, "'obs' is not a list of objects", step: index)
            }
        }
        return nil
    }

    static func issue(_ reason: Reason, _ message: String, step: Int?) -> ScoreIssue {
        ScoreIssue(code: reason.rawValue, message: message + "; the problem is FAILED (ORO's scorer cannot score it)",
                   step: step)
    }

    /// Whether `issue` is one of this rule's.
    public static func isMalformation(_ issue: ScoreIssue) -> Bool { Reason(rawValue: issue.code) != nil }
}
