import ArenaModel
import Synchronization

/// Hands out a ``ChatScript``'s answers, each at most once, safely from concurrent requests.
///
/// Rule: the first unused `match` entry whose substring occurs in the last user message wins; otherwise
/// the next unused entry without `match` (file order); otherwise nil (the request is unscripted).
public final class ChatScriptPlayer: Sendable {
    private struct State {
        var used: [Bool]
        var nextOrdered = 0
    }

    public let script: ChatScript
    private let state: Mutex<State>

    public init(script: ChatScript) {
        self.script = script
        state = Mutex(State(used: Array(repeating: false, count: script.entries.count)))
    }

    /// The assistant message for a request whose last user message is `lastUserMessage`, or nil.
    public func answer(lastUserMessage: String) -> JSONValue? {
        let entries = script.entries
        return state.withLock { s -> JSONValue? in
            for (i, entry) in entries.enumerated() where !s.used[i] {
                if let match = entry.match, lastUserMessage.contains(match) {
                    s.used[i] = true
                    return entry.message
                }
            }
            while s.nextOrdered < entries.count {
                let i = s.nextOrdered
                s.nextOrdered += 1
                if entries[i].match == nil && !s.used[i] {
                    s.used[i] = true
                    return entries[i].message
                }
            }
            return nil
        }
    }

    /// How many script entries have not been served yet.
    public var remaining: Int { state.withLock { s in s.used.filter { !$0 }.count } }
}
