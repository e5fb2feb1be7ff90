import ArenaModel

extension Envelope {
    /// Attaches the trusted proxy log of this problem, as the reference does with its agent-side log
    /// (`reference/oro-validator.md` §2): each call goes to the last step whose `extra_info.timestamp`
    /// is ≤ the call's timestamp (step 0 when it is earlier than every step, or when steps have no
    /// timestamp), as `extra_info.proxy_calls`. Any `proxy_calls` the agent wrote itself are removed
    /// first, so only the proxy's records remain. The whole log is also kept at the top level
    /// (``Envelope/proxyCalls``) — a FAILED or TIMED_OUT run has no dialogue but its calls still count —
    /// and `inference_total` / `inference_failure_count` are recomputed from it (non-200 = failure).
    public func attachingProxyCalls(_ calls: [ProxyCallRecord]) -> Envelope {
        var copy = self
        let ordered = calls.sorted { $0.timestamp < $1.timestamp }
        copy.proxyCalls = .array(ordered.map(\.json))
        let inference = ordered.filter(\.isInference)
        copy.inferenceTotal = inference.count
        copy.inferenceFailureCount = inference.filter { !$0.succeeded }.count
        guard case .array(let rawSteps)? = dialogue else { return copy }

        var buckets = [[JSONValue]](repeating: [], count: rawSteps.count)
        let stamps = rawSteps.map { DialogueStep(raw: $0).timestamp }
        if !rawSteps.isEmpty {
            for call in ordered {
                var index = 0
                for (i, stamp) in stamps.enumerated() {
                    if let stamp, stamp <= Double(call.timestamp) { index = i }
                }
                buckets[index].append(call.json)
            }
        }
        let steps = rawSteps.enumerated().map { i, raw -> JSONValue in
            guard case .object = raw else { return raw }
            var extra = raw["extra_info"] ?? .object([])
            if case .object = extra {} else { extra = .object([]) }
            extra = extra.removingKeys(["proxy_calls"])
            if !buckets[i].isEmpty { extra = extra.setting("proxy_calls", to: .array(buckets[i])) }
            return raw.setting("extra_info", to: extra)
        }
        copy.dialogue = .array(steps)
        return copy
    }
}
