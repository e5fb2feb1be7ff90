import ArenaModel

/// Counts read from the trusted proxy log of one problem (never from the agent's own files).
public struct TrustedLogFacts: Sendable, Hashable {
    public var inferenceCalls = 0
    public var inferenceFailures = 0
    public var promptTokens = 0
    public var completionTokens = 0
    /// Catalogue tool requests (`/search/find_product`, `/search/view_product_information`).
    public var searchCalls = 0
    /// Of those, the ones not answered 200.
    public var searchFailures = 0
    /// Requests the proxy refused (forbidden paths, rate limit) — neither inference nor catalogue tools.
    public var otherCalls = 0
    /// Milliseconds spent waiting for inference replies, summed.
    public var inferenceMillis = 0.0
    /// Milliseconds spent on catalogue requests, summed.
    public var searchMillis = 0.0
    /// First and last request (epoch ms).
    public var firstCallAt: Int64?
    public var lastCallAt: Int64?

    public init() {}

    public init(_ calls: [ProxyCallRecord]) {
        for call in calls {
            firstCallAt = min(firstCallAt ?? call.timestamp, call.timestamp)
            lastCallAt = max(lastCallAt ?? call.timestamp, call.timestamp)
            if call.isInference {
                inferenceCalls += 1
                if !call.succeeded { inferenceFailures += 1 }
                promptTokens += call.usage?.promptTokens ?? 0
                completionTokens += call.usage?.completionTokens ?? 0
                inferenceMillis += call.durationMs
            } else if call.dispatchedTool != nil {
                searchCalls += 1
                if !call.succeeded { searchFailures += 1 }
                searchMillis += call.durationMs
            } else {
                otherCalls += 1
            }
        }
    }

    public var json: JSONValue {
        .object([
            ("inference_calls", .int(Int64(inferenceCalls))), ("inference_failures", .int(Int64(inferenceFailures))),
            ("prompt_tokens", .int(Int64(promptTokens))), ("completion_tokens", .int(Int64(completionTokens))),
            ("search_calls", .int(Int64(searchCalls))), ("search_failures", .int(Int64(searchFailures))),
            ("other_calls", .int(Int64(otherCalls))),
            ("inference_ms", .double((inferenceMillis * 10).rounded() / 10)), ("search_ms", .double((searchMillis * 10).rounded() / 10)),
            ("first_call_at", firstCallAt.map(JSONValue.int) ?? .null), ("last_call_at", lastCallAt.map(JSONValue.int) ?? .null),
        ])
    }
}
