import ArenaModel

/// The verdict of `shoparena_runtime.analyze` on a submitted file (schema `shoparena.analysis/1`).
///
/// `fileError` means the file itself is unusable (too large, not UTF-8, not Python, no `agent_main`, or the
/// analysis could not finish); otherwise `violations` lists broken rules, each `security` or `integrity`.
public struct CodeAnalysisReport: Sendable, Equatable {
    public struct FileError: Sendable, Equatable {
        /// FILE_TOO_LARGE, INVALID_FILE or ANALYSIS_FAILED.
        public var code: String
        public var message: String
        public var line: Int64?
    }

    public struct Violation: Sendable, Equatable {
        public var rule: String
        /// `security` or `integrity`.
        public var severity: String
        public var message: String
        public var line: Int64?

        /// `{rule, severity, message, line}` as the CodeAnalysisError body lists it.
        public var json: JSONValue {
            .object([("rule", .string(rule)), ("severity", .string(severity)), ("message", .string(message)),
                     ("line", line.map(JSONValue.int) ?? .null)])
        }
    }

    public static let schema = "shoparena.analysis/1"

    public var fileError: FileError?
    public var violations: [Violation]

    public init(fileError: FileError?, violations: [Violation]) {
        self.fileError = fileError
        self.violations = violations
    }

    /// True when any violation is an integrity one (answer tables, encoded payloads…), which costs the full
    /// cooldown; security-only violations cost the shorter security cooldown.
    public var hasIntegrityViolation: Bool { violations.contains { $0.severity == "integrity" } }
    /// Every violation is a `compatibility` one (an import of a runtime name that does not exist): an honest
    /// mistake that could only score 0, refused without a cooldown.
    public var isCompatibilityOnly: Bool { !violations.isEmpty && violations.allSatisfy { $0.severity == "compatibility" } }

    /// Reads the analyzer's JSON; nil when it is not an analysis object of the expected schema.
    public init?(json: JSONValue) {
        guard json["schema"]?.stringValue == Self.schema else { return nil }
        if let error = json["file_error"], !error.isNull {
            guard let code = error["code"]?.stringValue else { return nil }
            fileError = FileError(code: code, message: error["message"]?.stringValue ?? code,
                                  line: error["line"]?.intValue)
        } else {
            fileError = nil
        }
        violations = (json["violations"]?.arrayValue ?? []).map { item in
            Violation(rule: item["rule"]?.stringValue ?? "unknown", severity: item["severity"]?.stringValue ?? "security",
                      message: item["message"]?.stringValue ?? "", line: item["line"]?.intValue)
        }
    }
}
