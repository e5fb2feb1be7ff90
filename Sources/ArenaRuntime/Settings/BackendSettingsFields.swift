import ArenaModel
import Backend
import Foundation

extension BackendSettingsResolver {
    private typealias Apply<T> = @Sendable (inout BackendSettings, T) -> Void

    private static func int(_ key: String, _ help: String, show: @escaping @Sendable (BackendSettings) -> String,
                            _ set: @escaping Apply<Int>) -> Field {
        Field(key: key, help: help, kind: .int, show: show) { s, v throws(SettingsError) in set(&s, try int(key, v)) }
    }

    private static func double(_ key: String, _ help: String, show: @escaping @Sendable (BackendSettings) -> String,
                               _ set: @escaping Apply<Double>) -> Field {
        Field(key: key, help: help, kind: .double, show: show) { s, v throws(SettingsError) in set(&s, try double(key, v)) }
    }

    private static func bool(_ key: String, _ help: String, show: @escaping @Sendable (BackendSettings) -> String,
                             _ set: @escaping Apply<Bool>) -> Field {
        Field(key: key, help: help, kind: .bool, show: show) { s, v throws(SettingsError) in set(&s, try bool(key, v)) }
    }

    /// A text setting; `check` returns what the text must be when it refuses it.
    private static func text(_ key: String, _ help: String, show: @escaping @Sendable (BackendSettings) -> String,
                             check: @escaping @Sendable (String) -> String? = { _ in nil }, _ set: @escaping Apply<String>) -> Field {
        Field(key: key, help: help, kind: .string, show: show) { s, v throws(SettingsError) in
            let value = string(v)
            if let expected = check(value) { throw .invalidValue(key: key, value: value, expected: expected) }
            set(&s, value)
        }
    }

    /// Every setting of `shoparena serve`, in help order.
    public static let fields: [Field] = [
        int("required_successes", "Included successful runs from distinct validators before a version is eligible",
            show: { String($0.requiredSuccesses) }) { $0.requiredSuccesses = $1 },
        double("lease_seconds", "Lease of a claim or heartbeat, seconds", show: { seconds($0.leaseSeconds) }) { $0.leaseSeconds = $1 },
        double("reaper_interval_seconds", "How often lapsed runs are marked STALE, seconds",
               show: { seconds($0.reaperIntervalSeconds) }) { $0.reaperIntervalSeconds = $1 },
        double("submission_cooldown_seconds", "Time between two submissions of one hotkey, seconds",
               show: { seconds($0.submissionCooldownSeconds) }) { $0.submissionCooldownSeconds = $1 },
        double("security_violation_cooldown_seconds", "Cooldown after a security-rule refusal, seconds",
               show: { seconds($0.securityViolationCooldownSeconds) }) { $0.securityViolationCooldownSeconds = $1 },
        bool("open_miner_registration", "Register unknown hotkeys that sign miner requests (true/false)",
             show: { String($0.openMinerRegistration) }) { $0.openMinerRegistration = $1 },
        int("max_agent_bytes", "Largest agent file accepted, bytes", show: { String($0.maxAgentBytes) }) { $0.maxAgentBytes = $1 },
        int("max_upload_bytes", "Largest presigned upload, bytes", show: { String($0.maxUploadBytes) }) { $0.maxUploadBytes = $1 },
        double("upload_url_seconds", "Lifetime of a presigned upload URL, seconds",
               show: { seconds($0.uploadURLSeconds) }) { $0.uploadURLSeconds = $1 },
        text("public_base_url", "URL clients reach this server at", show: { _ in "http://HOST:PORT" }) { $0.publicBaseURL = $1 },
        text("python_executable", "Python interpreter for the submission analyzer",
             show: { $0.pythonExecutable }) { $0.pythonExecutable = $1 },
        text("python_runtime_path", "Folder holding shoparena_runtime", show: { $0.pythonRuntimePath }) { $0.pythonRuntimePath = $1 },
        double("analyzer_timeout_seconds", "Time limit of the submission analyzer, seconds",
               show: { seconds($0.analyzerTimeoutSeconds) }) { $0.analyzerTimeoutSeconds = $1 },
        double("session_ttl_seconds", "Bearer session lifetime, seconds", show: { seconds($0.sessionTTLSeconds) }) { $0.sessionTTLSeconds = $1 },
        double("challenge_ttl_seconds", "Login challenge lifetime, seconds",
               show: { seconds($0.challengeTTLSeconds) }) { $0.challengeTTLSeconds = $1 },
        Field(key: "inference_models", help: "Comma-separated models agents may call", kind: .list,
              show: { $0.inferenceModels.joined(separator: ",") }) { s, v throws(SettingsError) in s.inferenceModels = list(v) },
        bool("require_inference_credential", "Refuse submissions from miners with no stored inference credential (true/false)",
             show: { String($0.requireInferenceCredential) }) { $0.requireInferenceCredential = $1 },
        text("credential_key", "Key that encrypts stored inference credentials",
             show: { _ in "a built-in development key: set one in production" }) { $0.credentialKey = $1 },
        int("requeue_top_n", "Versions requeued when a suite is activated", show: { String($0.requeueTopN) }) { $0.requeueTopN = $1 },
        text("qualifying_close_time", "Daily qualifying close, HH:MM local time", show: { $0.qualifyingCloseTime }, check: { v in
            let parts = v.split(separator: ":").compactMap { Int($0) }
            return parts.count == 2 && (0..<24).contains(parts[0]) && (0..<60).contains(parts[1]) ? nil : "HH:MM"
        }) { $0.qualifyingCloseTime = $1 },
        text("qualifying_time_zone", "IANA time zone of the qualifying close (e.g. America/Los_Angeles)",
             show: { $0.qualifyingTimeZone }, check: { TimeZone(identifier: $0) == nil ? "an IANA time zone name" : nil }) {
            $0.qualifyingTimeZone = $1 },
        int("race_problem_count", "Hidden problems drawn per race", show: { String($0.raceProblemCount) }) { $0.raceProblemCount = $1 },
        double("qualifying_ratio", "Share of the reference score a challenger needs to qualify",
               show: { number($0.policy.qualification.ratio) }) { $0.policy.qualification.ratio = $1 },
        double("challenge_headroom_fraction", "Challenge margin as a share of the incumbent's headroom",
               show: { number($0.policy.challenge.headroomFraction) }) { $0.policy.challenge.headroomFraction = $1 },
        double("challenge_half_life_days", "Half-life of the challenge margin, days",
               show: { number($0.policy.challenge.halfLifeDays) }) { $0.policy.challenge.halfLifeDays = $1 },
        double("emission_grace_days", "Days the top agent is paid in full",
               show: { number($0.policy.emission.graceDays) }) { $0.policy.emission.graceDays = $1 },
        double("emission_decay_per_day", "Daily decrease of the top agent's emission weight",
               show: { number($0.policy.emission.decayPerDay) }) { $0.policy.emission.decayPerDay = $1 },
        double("emission_floor", "Lowest emission weight", show: { number($0.policy.emission.floor) }) { $0.policy.emission.floor = $1 },
        text("emission_decay", "linear or compounding", show: { "\($0.policy.emission.decay)" },
             check: { ["linear", "compounding"].contains($0) ? nil : "linear or compounding" }) {
            $0.policy.emission.decay = $1 == "linear" ? .linear : .compounding },
    ]
}
