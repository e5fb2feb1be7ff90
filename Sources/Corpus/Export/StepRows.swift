import ArenaModel
import Foundation

/// `sft-steps` rows: ShoppingBench's own step samples (`reference/shoppingbench.md` §5.2, §6), one per assistant
/// turn, which LLaMA-Factory reads as Alpaca `instruction` / `input` / `output`:
/// - `instruction`: the rollout system prompt (``systemPrompt``);
/// - `input`: the "Dialogue Records History" user prompt as the rollout rebuilds it before that step:
///   `# Dialogue Records History\n` then blocks separated by a blank line — `<user>{query}</user>`, then per past
///   turn `<think>…</think>\n<tool_call>[…]</tool_call>\n<obs>[…]</obs>\n<response>…</response>` (non-empty parts
///   only; calls `{"name", "parameters", "tool_call_id"}`, observations `{"tool_call_id", "results"}`);
/// - `output`: that step's completion `<think>…</think>\n<tool_call>[…]</tool_call>\n<response>…</response>` with
///   the tool-call ids removed;
/// then `step` (1-based) and the metadata columns. JSON inside the tags is compact with `/` written `\/` and
/// non-ASCII as `\uXXXX`, as ujson writes it. Call ids are the trajectory's own (the agent's, or the normaliser's
/// `call_<step>_<n>`), not re-derived. A turn with nothing to say (no think, call or response) is no sample.
public enum StepRows {
    public static let systemPrompt = """
        # Role
        You are a shopping assistant in a multi-turn dialogue with a user. You reach the marketplace only through tool \
        calls: find the products that satisfy every requirement of the user's request.

        # Available Tools
        \(CorpusTools.schema.arrayValue!.map { ujson($0["function"] ?? .null) }.joined(separator: "\n"))

        # Tools Rules
        - Each tool result comes back in <obs> with the tool_call_id of its call.
        - Do not trust results blindly: check that a product meets every requirement.
        - Refine a search by changing q or page, or by setting shop_id, price, sort or service.
        - Use view_product_information for colour, size, weight, model, material and pattern.
        - Call recommend_product once with the chosen product ids; call terminate when done or stuck.
        - Never ask the user anything.

        # Output Format
        Always write <think>your reasoning</think> followed by at least one of <tool_call>[{"name": ..., \
        "parameters": {...}}]</tool_call> (a JSON list; several calls are allowed) and <response>text for the \
        user</response>, and nothing else.
        """

    /// The step rows of one trajectory, in order.
    public static func rows(_ item: ExportItem) -> [JSONValue] {
        var history = ["<user>\(item.query)</user>"]
        var rows: [JSONValue] = []
        let messages = item.completionMessages
        var step = 0
        var i = 0
        while i < messages.count {
            let message = messages[i]
            i += 1
            guard message.role == .assistant else { continue }
            var results: [ChatMessage] = []
            while i < messages.count, messages[i].role == .tool {
                results.append(messages[i])
                i += 1
            }
            step += 1
            let output = completion(message, ids: false, results: [])
            if !output.isEmpty {
                rows.append(.object([
                    ("instruction", .string(systemPrompt)),
                    ("input", .string("# Dialogue Records History\n" + history.joined(separator: "\n\n"))),
                    ("output", .string(output)), ("step", .int(Int64(step))),
                ] + item.columns))
            }
            let block = completion(message, ids: true, results: results)
            if !block.isEmpty { history.append(block) }
        }
        return rows
    }

    /// A turn as tagged text: think, the calls (with their ids when `ids`), the observations of `results`, the response.
    static func completion(_ message: ChatMessage, ids: Bool, results: [ChatMessage]) -> String {
        var parts: [String] = []
        if let think = message.reasoning, !think.isEmpty { parts.append("<think>\(think)</think>") }
        if !message.toolCalls.isEmpty {
            let calls: [JSONValue] = message.toolCalls.map { call in
                var pairs: [(String, JSONValue)] = [("name", .string(call.name)), ("parameters", call.arguments)]
                if ids { pairs.append(("tool_call_id", .string(call.id))) }
                return .object(pairs)
            }
            parts.append("<tool_call>\(ujson(.array(calls)))</tool_call>")
        }
        if !results.isEmpty {
            let observations: [JSONValue] = results.map {
                .object([("tool_call_id", .string($0.toolCallID ?? "")), ("results", value(of: $0.content))])
            }
            parts.append("<obs>\(ujson(.array(observations)))</obs>")
        }
        if !message.content.isEmpty { parts.append("<response>\(message.content)</response>") }
        return parts.joined(separator: "\n")
    }

    /// A tool message's content as the value the tool returned: JSON when it is a JSON list or object, else the text.
    static func value(of content: String) -> JSONValue {
        if let first = content.utf8.first, first == UInt8(ascii: "[") || first == UInt8(ascii: "{"),
            let parsed = try? JSONParser.parse(content)
        {
            return parsed
        }
        return .string(content)
    }

    /// Compact JSON as ujson writes it: `/` escaped as `\/`, non-ASCII as `\uXXXX`.
    static func ujson(_ value: JSONValue) -> String {
        let text = JSONWriter(style: .compact, ensureASCII: true).string(value)
        // Outside strings compact JSON has no `/`, so every one is inside a string.
        return text.contains("/") ? text.replacingOccurrences(of: "/", with: "\\/") : text
    }
}
