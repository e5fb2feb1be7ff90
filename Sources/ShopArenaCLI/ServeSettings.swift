import ArenaModel
import Backend
import Foundation

/// Every `BackendSettings` field under one snake_case key, settable from a JSON config file, a `SHOPARENA_<KEY>`
/// environment variable and a `--<key-with-dashes>` flag of `shoparena serve`. Precedence: flag > environment >
/// file > default.
enum ServeSettings {
    struct Field: Sendable {
        let key: String
        let help: String
        /// The setting's value in `settings`, as help text shows it (the default, for `BackendSettings()`).
        let show: @Sendable (BackendSettings) -> String
        let apply: @Sendable (inout BackendSettings, String) throws -> Void
    }

    static func seconds(_ value: Double) -> String {
        let text = number(value)
        if value >= 3600, value.truncatingRemainder(dividingBy: 3600) == 0 { return "\(text) (\(Int(value / 3600)) h)" }
        return text
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    struct InvalidValue: Error, CustomStringConvertible {
        let key: String
        let value: String
        let expected: String
        var description: String { "setting \(key): '\(value)' is not \(expected)" }
    }

    struct ConfigError: Error, CustomStringConvertible {
        let description: String
    }

    static func int(_ key: String, _ value: String) throws -> Int {
        guard let v = Int(value) else { throw InvalidValue(key: key, value: value, expected: "an integer") }
        return v
    }

    static func double(_ key: String, _ value: String) throws -> Double {
        guard let v = Double(value), v.isFinite else { throw InvalidValue(key: key, value: value, expected: "a number") }
        return v
    }

    static func bool(_ key: String, _ value: String) throws -> Bool {
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw InvalidValue(key: key, value: value, expected: "true or false")
        }
    }

    static let fields: [Field] = [
        Field(key: "required_successes", help: "Included successful runs from distinct validators before a version is eligible", show: { String($0.requiredSuccesses) }) { s, v in
            s.requiredSuccesses = try int("required_successes", v) },
        Field(key: "lease_seconds", help: "Lease of a claim or heartbeat, seconds", show: { seconds($0.leaseSeconds) }) { s, v in s.leaseSeconds = try double("lease_seconds", v) },
        Field(key: "reaper_interval_seconds", help: "How often lapsed runs are marked STALE, seconds", show: { seconds($0.reaperIntervalSeconds) }) { s, v in
            s.reaperIntervalSeconds = try double("reaper_interval_seconds", v) },
        Field(key: "submission_cooldown_seconds", help: "Time between two submissions of one hotkey, seconds", show: { seconds($0.submissionCooldownSeconds) }) { s, v in
            s.submissionCooldownSeconds = try double("submission_cooldown_seconds", v) },
        Field(key: "security_violation_cooldown_seconds", help: "Cooldown after a security-rule refusal, seconds", show: { seconds($0.securityViolationCooldownSeconds) }) { s, v in
            s.securityViolationCooldownSeconds = try double("security_violation_cooldown_seconds", v) },
        Field(key: "open_miner_registration", help: "Register unknown hotkeys that sign miner requests (true/false)", show: { String($0.openMinerRegistration) }) { s, v in
            s.openMinerRegistration = try bool("open_miner_registration", v) },
        Field(key: "max_agent_bytes", help: "Largest agent file accepted, bytes", show: { String($0.maxAgentBytes) }) { s, v in s.maxAgentBytes = try int("max_agent_bytes", v) },
        Field(key: "max_upload_bytes", help: "Largest presigned upload, bytes", show: { String($0.maxUploadBytes) }) { s, v in s.maxUploadBytes = try int("max_upload_bytes", v) },
        Field(key: "upload_url_seconds", help: "Lifetime of a presigned upload URL, seconds", show: { seconds($0.uploadURLSeconds) }) { s, v in
            s.uploadURLSeconds = try double("upload_url_seconds", v) },
        Field(key: "public_base_url", help: "URL clients reach this server at", show: { _ in "http://HOST:PORT" }) { s, v in s.publicBaseURL = v },
        Field(key: "python_executable", help: "Python interpreter for the submission analyzer", show: { $0.pythonExecutable }) { s, v in s.pythonExecutable = v },
        Field(key: "python_runtime_path", help: "Folder holding shoparena_runtime", show: { $0.pythonRuntimePath }) { s, v in s.pythonRuntimePath = v },
        Field(key: "analyzer_timeout_seconds", help: "Time limit of the submission analyzer, seconds", show: { seconds($0.analyzerTimeoutSeconds) }) { s, v in
            s.analyzerTimeoutSeconds = try double("analyzer_timeout_seconds", v) },
        Field(key: "session_ttl_seconds", help: "Bearer session lifetime, seconds", show: { seconds($0.sessionTTLSeconds) }) { s, v in s.sessionTTLSeconds = try double("session_ttl_seconds", v) },
        Field(key: "challenge_ttl_seconds", help: "Login challenge lifetime, seconds", show: { seconds($0.challengeTTLSeconds) }) { s, v in
            s.challengeTTLSeconds = try double("challenge_ttl_seconds", v) },
        Field(key: "inference_models", help: "Comma-separated models agents may call", show: { $0.inferenceModels.joined(separator: ",") }) { s, v in
            s.inferenceModels = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } },
        Field(key: "require_inference_credential", help: "Refuse submissions from miners with no stored inference credential (true/false)", show: { String($0.requireInferenceCredential) }) { s, v in
            s.requireInferenceCredential = try bool("require_inference_credential", v) },
        Field(key: "credential_key", help: "Key that encrypts stored inference credentials", show: { _ in "a built-in development key: set one in production" }) { s, v in s.credentialKey = v },
        Field(key: "requeue_top_n", help: "Versions requeued when a suite is activated", show: { String($0.requeueTopN) }) { s, v in s.requeueTopN = try int("requeue_top_n", v) },
        Field(key: "qualifying_close_time", help: "Daily qualifying close, HH:MM local time", show: { $0.qualifyingCloseTime }) { s, v in
            let parts = v.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
                throw InvalidValue(key: "qualifying_close_time", value: v, expected: "HH:MM")
            }
            s.qualifyingCloseTime = v },
        Field(key: "qualifying_time_zone", help: "IANA time zone of the qualifying close (e.g. America/Los_Angeles)", show: { $0.qualifyingTimeZone }) { s, v in
            guard TimeZone(identifier: v) != nil else {
                throw InvalidValue(key: "qualifying_time_zone", value: v, expected: "an IANA time zone name")
            }
            s.qualifyingTimeZone = v },
        Field(key: "race_problem_count", help: "Hidden problems drawn per race", show: { String($0.raceProblemCount) }) { s, v in s.raceProblemCount = try int("race_problem_count", v) },
        Field(key: "qualifying_ratio", help: "Share of the reference score a challenger needs to qualify", show: { number($0.policy.qualification.ratio) }) { s, v in
            s.policy.qualification.ratio = try double("qualifying_ratio", v) },
        Field(key: "challenge_headroom_fraction", help: "Challenge margin as a share of the incumbent's headroom", show: { number($0.policy.challenge.headroomFraction) }) { s, v in
            s.policy.challenge.headroomFraction = try double("challenge_headroom_fraction", v) },
        Field(key: "challenge_half_life_days", help: "Half-life of the challenge margin, days", show: { number($0.policy.challenge.halfLifeDays) }) { s, v in
            s.policy.challenge.halfLifeDays = try double("challenge_half_life_days", v) },
        Field(key: "emission_grace_days", help: "Days the top agent is paid in full", show: { number($0.policy.emission.graceDays) }) { s, v in
            s.policy.emission.graceDays = try double("emission_grace_days", v) },
        Field(key: "emission_decay_per_day", help: "Daily decrease of the top agent's emission weight", show: { number($0.policy.emission.decayPerDay) }) { s, v in
            s.policy.emission.decayPerDay = try double("emission_decay_per_day", v) },
        Field(key: "emission_floor", help: "Lowest emission weight", show: { number($0.policy.emission.floor) }) { s, v in s.policy.emission.floor = try double("emission_floor", v) },
        Field(key: "emission_decay", help: "linear or compounding", show: { "\($0.policy.emission.decay)" }) { s, v in
            switch v {
            case "linear": s.policy.emission.decay = .linear
            case "compounding": s.policy.emission.decay = .compounding
            default: throw InvalidValue(key: "emission_decay", value: v, expected: "linear or compounding")
            }
        },
    ]

    static func envName(_ key: String) -> String { "SHOPARENA_" + key.uppercased() }
    static func flagName(_ key: String) -> String { key.replacingOccurrences(of: "_", with: "-") }

    /// A config file's values as text per key (numbers, booleans and string lists are accepted as JSON values).
    static func fileValues(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw ConfigError(description: "config file \(path) is not JSON: \(error)") }
        guard let object = value.objectValue else { throw ConfigError(description: "config file \(path) must hold a JSON object") }
        let known = Set(fields.map(\.key))
        var values: [String: String] = [:]
        for (key, raw) in object {
            guard known.contains(key) else {
                throw ConfigError(description: "config file \(path): unknown setting '\(key)' (known: \(fields.map(\.key).joined(separator: ", ")))")
            }
            switch raw {
            case .string(let s): values[key] = s
            case .bool(let b): values[key] = b ? "true" : "false"
            case .array(let items): values[key] = items.compactMap(\.stringValue).joined(separator: ",")
            default: values[key] = JSONWriter().string(raw)
            }
        }
        return values
    }

    /// Settings from defaults, then the file, then the environment, then flags (`flags` by snake_case key).
    static func resolve(file: String?, environment: [String: String], flags: [String: String]) throws -> (BackendSettings, Set<String>) {
        var settings = BackendSettings()
        var explicit = Set<String>()
        let fromFile = try file.map(fileValues) ?? [:]
        for field in fields {
            let value = flags[field.key] ?? environment[envName(field.key)] ?? fromFile[field.key]
            if let value {
                try field.apply(&settings, value)
                explicit.insert(field.key)
            }
        }
        return (settings, explicit)
    }

    /// One line per setting: flag / variable / key, what it does, and its default.
    static var helpText: String {
        let defaults = BackendSettings()
        return fields.map {
            "  --\(flagName($0.key)) / \(envName($0.key)) / \"\($0.key)\": \($0.help) (default: \($0.show(defaults)))"
        }.joined(separator: "\n")
    }
}
