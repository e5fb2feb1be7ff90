import ArenaModel

/// The corpus's token-counting rule, documented so any consumer can reproduce it without a tokenizer:
///
/// tokens = Σ over messages of (4 + ⌈b / 4⌉), where b is the UTF-8 byte count of the message's `content`, its
/// `reasoning_content`, and each tool call's name and compact-JSON arguments.
///
/// Four bytes per token is the usual average of BPE tokenizers on English text (Qwen3's included) and 4 tokens per
/// message covers the chat template's role markers. The tool schema is the same for every row and is not counted.
/// The paper's budget is 14,336 tokens (its SFT `max_length`).
public enum TokenCount {
    public static let defaultBudget = 14_336

    public static func of(_ chat: ChatTrajectory) -> Int {
        chat.messages.reduce(0) { $0 + of($1) }
    }

    public static func of(_ message: ChatMessage) -> Int {
        var bytes = message.content.utf8.count + (message.reasoning?.utf8.count ?? 0)
        for call in message.toolCalls {
            bytes += call.name.utf8.count + call.argumentsJSON.utf8.count
        }
        return 4 + (bytes + 3) / 4
    }
}
