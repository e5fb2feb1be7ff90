import ArenaModel
import Backend
import Configuration
import Foundation
import SystemPackage

/// Why the backend's settings could not be resolved; each message names the setting and what it accepts.
public enum SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A value that is not what the setting accepts (`source` says where it came from when known).
    case invalidValue(key: String, value: String, expected: String)
    /// The config file cannot be read or is not a JSON object.
    case configFile(path: String, reason: String)
    /// A key of the config file that is no setting.
    case unknownKey(path: String, key: String, known: [String])
    /// A command-line option that is no setting.
    case unknownOption(String, known: [String])

    public var description: String {
        switch self {
        case .invalidValue(let key, let value, let expected): "setting \(key): '\(value)' is not \(expected)"
        case .configFile(let path, let reason): "config file \(path) \(reason)"
        case .unknownKey(let path, let key, let known):
            "config file \(path): unknown setting '\(key)' (known: \(known.joined(separator: ", ")))"
        case .unknownOption(let option, let known):
            "unknown option \(option) (settings: \(known.map { "--" + BackendSettingsResolver.flagName($0) }.joined(separator: ", ")))"
        }
    }
}

/// Every `BackendSettings` field under one snake_case key, declared once, settable from a JSON config file, a
/// `SHOPARENA_<KEY>` environment variable and a `--<key-with-dashes>` option of `shoparena serve`.
/// Precedence: option > environment > file > default.
///
/// The lookup (sources, precedence, key spelling per source) is swift-configuration's `ConfigReader` over a
/// command-line, an environment and a JSON file provider; values are read as text where the source has text
/// (so `yes`/`on`, `1.5e3` and `a, b` lists read as they always have) and typed otherwise (JSON numbers and
/// booleans, a bare `--flag`).
public enum BackendSettingsResolver {
    /// One setting: its key, help line, how it shows in help, and how a value is checked and applied.
    public struct Field: Sendable {
        public enum Kind: Sendable { case int, double, bool, string, list }
        public let key: String
        public let help: String
        public let kind: Kind
        /// The setting's value in `settings`, as help text shows it (the default, for `BackendSettings()`).
        public let show: @Sendable (BackendSettings) -> String
        let apply: @Sendable (inout BackendSettings, Value) throws(SettingsError) -> Void
    }

    /// A value as read from a source.
    enum Value: Sendable {
        case int(Int), double(Double), bool(Bool), string(String), list([String])
    }

    /// The resolved settings and the keys some source set explicitly.
    public struct Resolved: Sendable {
        public var settings: BackendSettings
        public var explicit: Set<String>
    }

    public static func envName(_ key: String) -> String { "SHOPARENA_" + key.uppercased() }
    public static func flagName(_ key: String) -> String { key.replacingOccurrences(of: "_", with: "-") }

    /// Settings from defaults, then the JSON object in `file`, then `environment` (`SHOPARENA_<KEY>`), then
    /// `arguments` (`--key value` or `--key=value`, only setting options).
    public static func resolve(file: String?, environment: [String: String], arguments: [String]) async throws(SettingsError)
        -> Resolved
    {
        try checkOptions(arguments)
        var providers: [any ConfigProvider] = [
            KeyMappingProvider(upstream: CommandLineArgumentsProvider(arguments: ["shoparena"] + arguments)) { key in
                AbsoluteConfigKey(key.components.flatMap { $0.split(separator: "_").map(String.init) })
            },
            KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: environment)) { key in
                AbsoluteConfigKey(["shoparena"] + key.components)
            },
        ]
        if let file {
            try checkFileKeys(file)
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
            } catch {
                throw .configFile(path: file, reason: "is not a JSON object: \(error)")
            }
        }
        let reader = ConfigReader(providers: providers)
        var settings = BackendSettings()
        var explicit = Set<String>()
        for field in fields {
            guard let value = try await read(field, from: reader) else { continue }
            try field.apply(&settings, value)
            explicit.insert(field.key)
        }
        return Resolved(settings: settings, explicit: explicit)
    }

    /// One line per setting: option / variable / key, what it does, and its default.
    public static var helpText: String {
        let defaults = BackendSettings()
        return fields.map {
            "  --\(flagName($0.key)) / \(envName($0.key)) / \"\($0.key)\": \($0.help) (default: \($0.show(defaults)))"
        }.joined(separator: "\n")
    }

    // MARK: - Reading

    private static func read(_ field: Field, from reader: ConfigReader) async throws(SettingsError) -> Value? {
        let key = ConfigKey([field.key])
        if field.kind == .list, let list = try? await reader.fetchStringArray(forKey: key) { return .list(list) }
        do {
            if let text = try await reader.fetchString(forKey: key) { return .string(text) }
            return nil
        } catch {
            // Not text in its source: a JSON number or boolean, a JSON list, or a bare `--flag`.
        }
        do {
            switch field.kind {
            case .int: return try await reader.fetchInt(forKey: key).map(Value.int)
            case .double: return try await reader.fetchDouble(forKey: key).map(Value.double)
            case .bool: return try await reader.fetchBool(forKey: key).map(Value.bool)
            case .list: return try await reader.fetchStringArray(forKey: key).map(Value.list)
            case .string: return nil
            }
        } catch {
            throw .invalidValue(key: field.key, value: "\(error)", expected: expected(field.kind))
        }
    }

    private static func expected(_ kind: Field.Kind) -> String {
        switch kind {
        case .int: "an integer"
        case .double: "a number"
        case .bool: "true or false"
        case .string: "text"
        case .list: "a comma-separated list"
        }
    }

    private static func checkOptions(_ arguments: [String]) throws(SettingsError) {
        let known = Set(fields.map { "--" + flagName($0.key) })
        for argument in arguments where argument.hasPrefix("--") {
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            guard known.contains(name) else { throw .unknownOption(argument, known: fields.map(\.key)) }
        }
    }

    private static func checkFileKeys(_ path: String) throws(SettingsError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .configFile(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw .configFile(path: path, reason: "is not JSON: \(error)") }
        guard let object = value.objectValue else { throw .configFile(path: path, reason: "must hold a JSON object") }
        let known = Set(fields.map(\.key))
        for (key, _) in object where !known.contains(key) {
            throw .unknownKey(path: path, key: key, known: fields.map(\.key))
        }
    }

    // MARK: - Values

    static func int(_ key: String, _ value: Value) throws(SettingsError) -> Int {
        switch value {
        case .int(let v): return v
        case .string(let s): if let v = Int(s) { return v }
        case .double(let d): if let v = Int(exactly: d) { return v }
        default: break
        }
        throw .invalidValue(key: key, value: text(value), expected: "an integer")
    }

    static func double(_ key: String, _ value: Value) throws(SettingsError) -> Double {
        let number: Double? = switch value {
        case .double(let d): d
        case .int(let i): Double(i)
        case .string(let s): Double(s)
        default: nil
        }
        guard let number, number.isFinite else { throw .invalidValue(key: key, value: text(value), expected: "a number") }
        return number
    }

    static func bool(_ key: String, _ value: Value) throws(SettingsError) -> Bool {
        switch value {
        case .bool(let b): return b
        case .string(let s):
            switch s.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: break
            }
        default: break
        }
        throw .invalidValue(key: key, value: text(value), expected: "true or false")
    }

    static func string(_ value: Value) -> String { text(value) }

    static func list(_ value: Value) -> [String] {
        let items: [String] = if case .list(let l) = value { l } else { [text(value)] }
        return items.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func text(_ value: Value) -> String {
        switch value {
        case .int(let v): String(v)
        case .double(let v): number(v)
        case .bool(let v): v ? "true" : "false"
        case .string(let v): v
        case .list(let v): v.joined(separator: ",")
        }
    }

    static func seconds(_ value: Double) -> String {
        let text = number(value)
        if value >= 3600, value.truncatingRemainder(dividingBy: 3600) == 0 { return "\(text) (\(Int(value / 3600)) h)" }
        return text
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
