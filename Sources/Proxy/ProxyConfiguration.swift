import AsyncHTTPClient
import Foundation

/// How a per-problem proxy behaves (`reference/oro-validator.md` §8).
public struct ProxyConfiguration: Sendable {
    /// Models the agent may call; nil means the allowlist is unavailable (every inference call gets 503,
    /// failing closed like the reference). Ignored when `allowlist` is set.
    public var allowedModels: [String]?
    /// A live allowlist asked on every inference request (a validator's copy of its backend's list); when
    /// set it takes the place of `allowedModels`.
    public var allowlist: (any ModelAllowlistSource)?
    /// OpenAI-compatible base URL, e.g. `https://llm.chutes.ai/v1`; `/chat/completions` is appended.
    /// nil: inference answers 503.
    public var upstreamBaseURL: String?
    /// The run's inference key, sent upstream as `Authorization: Bearer …` (never logged). nil: the agent's
    /// own `Authorization` header is forwarded, as the reference does.
    public var apiKey: String?
    /// Sustained requests per second per problem, and the burst above it (reference: 30 r/s, burst 50).
    public var ratePerSecond: Double
    public var burst: Int
    /// Largest accepted request body (reference: 10 MB).
    public var maxRequestBytes: Int
    /// Largest upstream reply relayed.
    public var maxUpstreamReplyBytes: Int
    /// Upstream timeout in seconds (reference: 300).
    public var upstreamTimeoutSeconds: Int64
    /// Record every upstream reply to a directory, or replay them from it without any upstream.
    public var recording: InferenceRecording?

    public init(
        allowedModels: [String]? = nil, upstreamBaseURL: String? = nil, apiKey: String? = nil,
        ratePerSecond: Double = 30, burst: Int = 50, maxRequestBytes: Int = 10 << 20,
        maxUpstreamReplyBytes: Int = 32 << 20, upstreamTimeoutSeconds: Int64 = 300,
        recording: InferenceRecording? = nil, allowlist: (any ModelAllowlistSource)? = nil
    ) {
        self.recording = recording
        self.allowlist = allowlist
        self.allowedModels = allowedModels
        self.upstreamBaseURL = upstreamBaseURL
        self.apiKey = apiKey
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.maxRequestBytes = maxRequestBytes
        self.maxUpstreamReplyBytes = maxUpstreamReplyBytes
        self.upstreamTimeoutSeconds = upstreamTimeoutSeconds
    }
}

/// Deterministic inference: `record` stores each reply the upstream gives (see ``InferenceRecordStore``),
/// `replay` answers from those files and never contacts an upstream (unknown request: 502).
public enum InferenceRecording: Sendable, Hashable {
    case record(directory: URL)
    case replay(directory: URL)
}

extension ProxyConfiguration {
    /// The upstream chain this configuration describes; nil when inference has nowhere to go (503).
    public func makeUpstream(client: HTTPClient) -> (any InferenceUpstream)? {
        if case .replay(let directory) = recording {
            return ReplayingInferenceUpstream(store: InferenceRecordStore(directory: directory))
        }
        guard let upstreamBaseURL else { return nil }
        let live = LiveInferenceUpstream(
            baseURL: upstreamBaseURL, apiKey: apiKey, client: client, timeoutSeconds: upstreamTimeoutSeconds,
            maxReplyBytes: maxUpstreamReplyBytes)
        if case .record(let directory) = recording {
            return RecordingInferenceUpstream(base: live, store: InferenceRecordStore(directory: directory))
        }
        return live
    }
}
