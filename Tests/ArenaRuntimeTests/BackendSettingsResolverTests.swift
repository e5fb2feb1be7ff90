import ArenaModel
import ArenaRuntime
import Backend
import Foundation
import Testing

/// `shoparena serve`'s settings: defaults, a JSON file, `SHOPARENA_*` variables and `--key` options, in that
/// order of precedence, with one error per bad value naming the setting.
@Suite("Backend settings resolution")
struct BackendSettingsResolverTests {
    /// A JSON config file in a fresh temporary folder.
    static func file(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsWhenNothingIsGiven() async throws {
        let resolved = try await BackendSettingsResolver.resolve(file: nil, environment: ["PATH": "/bin"], arguments: [])
        #expect(resolved.explicit.isEmpty)
        #expect(resolved.settings.requiredSuccesses == BackendSettings().requiredSuccesses)
        #expect(resolved.settings.leaseSeconds == BackendSettings().leaseSeconds)
    }

    @Test func optionsBeatTheEnvironmentWhichBeatsTheFile() async throws {
        let path = try Self.file(#"{"required_successes": 7, "lease_seconds": 11, "requeue_top_n": 4, "emission_decay": "linear"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ["SHOPARENA_LEASE_SECONDS": "22", "SHOPARENA_REQUEUE_TOP_N": "5"]
        let resolved = try await BackendSettingsResolver.resolve(
            file: path, environment: environment, arguments: ["--requeue-top-n", "6"])
        #expect(resolved.settings.requiredSuccesses == 7)  // file only
        #expect(resolved.settings.leaseSeconds == 22)  // environment over file
        #expect(resolved.settings.requeueTopN == 6)  // option over environment and file
        #expect(resolved.settings.policy.emission.decay == .linear)
        #expect(resolved.explicit == ["required_successes", "lease_seconds", "requeue_top_n", "emission_decay"])
    }

    @Test func valuesReadInEveryFormTheyAlwaysHad() async throws {
        let path = try Self.file(#"{"inference_models": ["a/m1", "b/m2"], "open_miner_registration": true, "qualifying_ratio": 0.5}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try await BackendSettingsResolver.resolve(file: path, environment: [:], arguments: [])
        #expect(fromFile.settings.inferenceModels == ["a/m1", "b/m2"])
        #expect(fromFile.settings.openMinerRegistration == true)
        #expect(fromFile.settings.policy.qualification.ratio == 0.5)

        let fromText = try await BackendSettingsResolver.resolve(
            file: nil, environment: ["SHOPARENA_OPEN_MINER_REGISTRATION": "off", "SHOPARENA_INFERENCE_MODELS": "x, y ,,z"],
            arguments: ["--lease-seconds=1.5e3", "--qualifying-close-time", "17:30", "--require-inference-credential"])
        #expect(fromText.settings.openMinerRegistration == false)
        #expect(fromText.settings.inferenceModels == ["x", "y", "z"])
        #expect(fromText.settings.leaseSeconds == 1500)
        #expect(fromText.settings.qualifyingCloseTime == "17:30")
        #expect(fromText.settings.requireInferenceCredential == true)
    }

    @Test func badValuesNameTheSettingAndWhatItTakes() async throws {
        await #expect(throws: SettingsError.invalidValue(key: "required_successes", value: "two", expected: "an integer")) {
            try await BackendSettingsResolver.resolve(file: nil, environment: ["SHOPARENA_REQUIRED_SUCCESSES": "two"], arguments: [])
        }
        await #expect(throws: SettingsError.invalidValue(key: "lease_seconds", value: "nan", expected: "a number")) {
            try await BackendSettingsResolver.resolve(file: nil, environment: [:], arguments: ["--lease-seconds", "nan"])
        }
        await #expect(throws: SettingsError.invalidValue(key: "open_miner_registration", value: "maybe", expected: "true or false")) {
            try await BackendSettingsResolver.resolve(file: nil, environment: ["SHOPARENA_OPEN_MINER_REGISTRATION": "maybe"], arguments: [])
        }
        await #expect(throws: SettingsError.invalidValue(key: "qualifying_close_time", value: "25:00", expected: "HH:MM")) {
            try await BackendSettingsResolver.resolve(file: nil, environment: [:], arguments: ["--qualifying-close-time=25:00"])
        }
        await #expect(throws: SettingsError.invalidValue(key: "qualifying_time_zone", value: "Mars/Olympus", expected: "an IANA time zone name")) {
            try await BackendSettingsResolver.resolve(file: nil, environment: ["SHOPARENA_QUALIFYING_TIME_ZONE": "Mars/Olympus"], arguments: [])
        }
        await #expect(throws: SettingsError.invalidValue(key: "emission_decay", value: "cubic", expected: "linear or compounding")) {
            try await BackendSettingsResolver.resolve(file: nil, environment: [:], arguments: ["--emission-decay", "cubic"])
        }
        let path = try Self.file(#"{"max_agent_bytes": 1.5}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        await #expect(throws: SettingsError.self) {
            try await BackendSettingsResolver.resolve(file: path, environment: [:], arguments: [])
        }
    }

    @Test func unknownKeysOptionsAndFilesAreRefused() async throws {
        let path = try Self.file(#"{"lease_secs": 5}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try await BackendSettingsResolver.resolve(file: path, environment: [:], arguments: [])
            Issue.record("an unknown key was accepted")
        } catch {
            #expect("\(error)".contains("unknown setting 'lease_secs'"))
        }
        do {
            _ = try await BackendSettingsResolver.resolve(file: nil, environment: [:], arguments: ["--lease-secs", "5"])
            Issue.record("an unknown option was accepted")
        } catch {
            #expect("\(error)".hasPrefix("unknown option --lease-secs"))
        }
        let list = try Self.file(#"[1, 2]"#)
        defer { try? FileManager.default.removeItem(atPath: list) }
        await #expect(throws: SettingsError.configFile(path: list, reason: "must hold a JSON object")) {
            try await BackendSettingsResolver.resolve(file: list, environment: [:], arguments: [])
        }
    }

    @Test func helpListsEverySettingOnce() {
        let lines = BackendSettingsResolver.helpText.split(separator: "\n")
        #expect(lines.count == BackendSettingsResolver.fields.count)
        #expect(Set(BackendSettingsResolver.fields.map(\.key)).count == BackendSettingsResolver.fields.count)
        #expect(lines.contains { $0.hasPrefix("  --required-successes / SHOPARENA_REQUIRED_SUCCESSES / \"required_successes\":") })
    }
}
