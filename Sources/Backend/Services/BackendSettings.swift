import ArenaModel

/// Everything an operator can tune about the backend, with the reference's defaults.
///
/// `shoparena serve` fills it from flags, environment variables (`SHOPARENA_…`) and a JSON config file.
public struct BackendSettings: Sendable {
    /// Included successful runs from distinct validators before a version is eligible (the "X" of X-of-Y).
    public var requiredSuccesses: Int = 2
    /// How long a claim or heartbeat keeps a run leased.
    public var leaseSeconds: Double = 120
    /// How often the reaper marks lapsed runs STALE.
    public var reaperIntervalSeconds: Double = 10
    /// Time between two submissions of one hotkey.
    public var submissionCooldownSeconds: Double = 12 * 3600
    /// Cooldown after a submission refused for a security-rule violation (shorter than a full cooldown).
    public var securityViolationCooldownSeconds: Double = 3600
    /// Whether an unknown hotkey that signs a miner request is registered as a miner on the spot.
    public var openMinerRegistration: Bool = true
    /// Key per-IP rate limits on the last `X-Forwarded-For` entry (set only behind a reverse proxy that writes
    /// it); otherwise on the TCP peer address, which a client cannot forge.
    public var trustForwardedFor: Bool = false
    /// Largest agent file accepted (bytes).
    public var maxAgentBytes: Int = 1_000_000
    /// Largest presigned upload accepted (bytes).
    public var maxUploadBytes: Int = 50 << 20
    /// How long a presigned upload URL stays valid.
    public var uploadURLSeconds: Double = 900
    /// The URL clients reach this server at; used to build code download and upload URLs.
    public var publicBaseURL: String = "http://127.0.0.1:8080"
    /// The Python interpreter that runs `shoparena_runtime.analyze` on submissions.
    public var pythonExecutable: String = "python3"
    /// The folder holding `shoparena_runtime` (put on PYTHONPATH for the analyzer).
    public var pythonRuntimePath: String = "python"
    /// Seconds the submission analyzer may run before the file is refused as ANALYSIS_FAILED.
    public var analyzerTimeoutSeconds: Double = 20
    /// Bearer session lifetime and challenge lifetime.
    public var sessionTTLSeconds: Double = 7200
    public var challengeTTLSeconds: Double = 60
    /// Models agents may call through the proxy (served at /v1/public/inference/models; validators fetch it).
    public var inferenceModels: [String] = InferenceModels.defaults
    /// Whether evaluations are funded by the miner's own inference credential (ShopArena's validators need it,
    /// as ORO's do): then `POST /v1/miner/submit` refuses a miner that has none for any provider (409).
    public var requireInferenceCredential: Bool = true
    /// OpenAI-compatible base URL per inference provider, sent to validators with the miner's credential
    /// (`inference_token.base_url` of a 7.x claim).
    public var inferenceProviderBaseURLs: [String: String] = [
        "chutes": "https://llm.chutes.ai/v1", "openrouter": "https://openrouter.ai/api/v1",
    ]
    /// How long a claim's `inference_token` is declared valid (`expires_at`). The arena hands validators the
    /// miner's stored credential rather than a minted per-run token, so this is a horizon past any evaluation.
    public var inferenceGrantSeconds: Double = 24 * 3600
    /// Key (any text; hashed to 32 bytes) that encrypts miners' stored inference credentials at rest.
    public var credentialKey: String = "shoparena-local-development-key"
    /// Back-off and attempt limits for work items whose runs fail (a failing item never starves the queue).
    public var runRetryPolicy: RunRetryPolicy = .default
    /// How many top versions `activate` requeues on a new suite by default.
    public var requeueTopN: Int = 10
    /// Challenge threshold, emission decay and race qualification parameters (published by /v1/public/top).
    public var policy: ArenaPolicy = .default
    /// Daily qualifying close, local time `HH:MM` in `qualifyingTimeZone` (the reference: 12:00 Pacific).
    public var qualifyingCloseTime: String = "12:00"
    public var qualifyingTimeZone: String = "America/Los_Angeles"
    /// Hidden problems drawn for each race (all of the bank when it is smaller).
    public var raceProblemCount: Int = 30

    public init() {}
}
