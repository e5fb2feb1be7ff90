import ArenaModel
import Foundation
import Hummingbird
import Store

/// `POST /v1/miner/submit`: multipart `agent_name` + `file`, checked in this order —
///
/// 1. the body is read up to `maxAgentBytes` + 64 KiB of form overhead; more is 413 FILE_TOO_LARGE at once
///    (nothing past the limit is read);
/// 2. a malformed form or a missing part is a FastAPI-shaped 422 (`missing` for an absent part);
/// 3. name rules → 400 INVALID_AGENT_NAME; file over `maxAgentBytes` → 413 FILE_TOO_LARGE; a file name not
///    ending in `.py` → 400 INVALID_FILE;
/// 4. cooldown → 429 COOLDOWN_ACTIVE with `remaining_seconds` (no Retry-After: the client retries a refused
///    POST three times and each retry gets the same answer);
/// 5. no active suite → 503 NO_ACTIVE_SUITE (the only 503 reason, so oro-sdk 1.0.50, which reads every 503 as
///    NoActiveSuiteError, and 7.x, which tries NO_ACTIVE_SUITE first, both read it right);
/// 5b. when `requireInferenceCredential` is on and the miner has no usable inference credential for any
///    provider → 409 NO_INFERENCE_CREDENTIAL with how to connect one (validators fund each run with it, so the
///    version could only fail; ORO checks the token before evaluating too). No cooldown is used;
/// 6. the Python analyzer: a file error → 413 / 400 INVALID_FILE (no cooldown: the file never counted);
///    rule violations → 422 CODE_ANALYSIS_ERROR with `violations` and `remaining_seconds`. Violations use up
///    the miner's turn: an integrity violation (answer tables, hidden payloads) starts the full
///    `submissionCooldownSeconds`, security-only violations the shorter `securityViolationCooldownSeconds`;
///    the text says when the miner may submit again;
/// 7. accepted: code to the blob store, then one transaction creates/reuses the agent, adds version n+1
///    QUEUED with its qualifying work item and starts the cooldown → 200 SubmitAgentResponse.
///
/// Banned and unregistered hotkeys never get here: the auth middleware refuses them (403).
struct SubmissionHandler: Sendable {
    let services: BackendServices
    let analyzer: any SubmissionAnalyzer

    static let formOverheadBytes = 64 << 10

    func handle(_ request: Request, caller: Caller, context: ArenaRequestContext) async throws -> Response {
        let settings = services.settings
        let boundary: String
        switch Result(catching: { () throws(MultipartForm.ParseError) in
            try MultipartForm.boundary(contentType: request.headers[.contentType])
        }) {
        case .success(let value): boundary = value
        case .failure(let error): throw Self.missingParts(["agent_name", "file"], reason: error.description)
        }
        let limit = settings.maxAgentBytes + Self.formOverheadBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw Self.tooLarge(settings.maxAgentBytes)
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw Self.tooLarge(settings.maxAgentBytes) }
        let form: MultipartForm
        switch Result(catching: { () throws(MultipartForm.ParseError) in
            try MultipartForm.parse(Array(buffer.readableBytesView), boundary: boundary)
        }) {
        case .success(let value): form = value
        case .failure(let error):
            throw APIError.invalid(["body"], error.description, type: "value_error")
        }
        let missing = ["agent_name", "file"].filter { form.part($0) == nil }
        if !missing.isEmpty { throw Self.missingParts(missing, reason: "Field required") }
        let namePart = form.part("agent_name")!
        let file = form.part("file")!

        guard let rawName = String(validating: namePart.body, as: UTF8.self) else {
            throw APIError.badRequest("INVALID_AGENT_NAME", "agent_name is not UTF-8 text")
        }
        let agentName: String
        switch AgentNameRules.validate(rawName) {
        case .success(let name): agentName = name
        case .failure(let invalid): throw APIError.badRequest("INVALID_AGENT_NAME", invalid.message)
        }
        if file.body.count > settings.maxAgentBytes { throw Self.tooLarge(settings.maxAgentBytes) }
        if let filename = file.filename, !filename.lowercased().hasSuffix(".py") {
            throw APIError.badRequest("INVALID_FILE", "the agent file must be a Python source file ending in .py (got '\(filename.prefix(100))')")
        }

        let now = services.now()
        if let until = try await services.agents.cooldownUntil(caller.hotkey, now: now) {
            throw Self.cooldown(until: until, now: now)
        }
        guard try await services.agents.activeSuiteID() != nil else { throw Self.noActiveSuite }
        if settings.requireInferenceCredential, try await services.credentials.inferenceToken(forMiner: caller.hotkey) == nil {
            throw Self.noInferenceCredential(caller.hotkey)
        }

        let report: CodeAnalysisReport
        switch await Self.run(analyzer, file.body) {
        case .success(let value): report = value
        case .failure(let error):
            throw APIError(.internalServerError, code: "ANALYZER_UNAVAILABLE", detail: error.description)
        }
        if let fileError = report.fileError {
            throw Self.fileError(fileError, maxBytes: settings.maxAgentBytes)
        }
        if report.isCompatibilityOnly { throw Self.compatibility(report) }
        if !report.violations.isEmpty {
            let integrity = report.hasIntegrityViolation
            let seconds = integrity ? settings.submissionCooldownSeconds : settings.securityViolationCooldownSeconds
            let until = try await services.agents.applyCooldown(caller.hotkey, until: now + Self.millis(seconds), now: now)
            throw Self.codeAnalysis(report, integrity: integrity, cooldownSeconds: seconds, until: until, now: now)
        }

        let sha = try await services.blobs.put(file.body)
        let outcome = try await services.agents.submit(
            AgentRepository.Submission(minerHotkey: caller.hotkey, agentName: agentName, codeSHA256: sha,
                                       codeSize: Int64(file.body.count),
                                       cooldownMillis: Self.millis(settings.submissionCooldownSeconds),
                                       requiredSuccesses: settings.requiredSuccesses, now: now),
            workItemID: UUIDText.random(), newID: { UUIDText.random() })
        switch outcome {
        case .cooldown(let until): throw Self.cooldown(until: until, now: now)
        case .noActiveSuite: throw Self.noActiveSuite
        case .accepted(let agentID, let versionID, let number, let suiteID, _, let next):
            let body: JSONValue = .object([
                ("admission_status", "ACCEPTED"),
                ("hotkey", .string(caller.hotkey)),
                ("agent_id", .string(agentID)),
                ("agent_version_id", .string(versionID)),
                ("admission_reason", .null),
                ("next_allowed_at", .string(Wire.timestamp(next))),
                ("message", .string("Agent '\(agentName)' version \(number) accepted and queued for evaluation on suite \(suiteID)")),
            ])
            return try JSONResponse(body).response(from: request, context: context)
        }
    }

    private static func run(_ analyzer: any SubmissionAnalyzer, _ code: [UInt8]) async -> Result<CodeAnalysisReport, AnalyzerError> {
        do { return .success(try await analyzer.analyze(code)) } catch { return .failure(error) }
    }

    static func millis(_ seconds: Double) -> Int64 { Int64((seconds * 1000).rounded()) }

    static func remainingSeconds(until: Int64, now: Int64) -> Int64 { max(0, (until - now + 999) / 1000) }

    static func tooLarge(_ maxBytes: Int) -> APIError {
        APIError(.contentTooLarge, code: "FILE_TOO_LARGE", detail: "the agent file is larger than \(maxBytes) bytes")
    }

    static var noActiveSuite: APIError {
        APIError(.serviceUnavailable, code: "NO_ACTIVE_SUITE",
                 detail: "no problem suite is active, so submissions cannot be evaluated; try again later")
    }

    /// 422 CODE_ANALYSIS_ERROR whose text says what the refusal cost and when the miner may submit again.
    static func codeAnalysis(_ report: CodeAnalysisReport, integrity: Bool, cooldownSeconds: Double, until: Int64,
                             now: Int64) -> APIError {
        let count = report.violations.count
        let remaining = remainingSeconds(until: until, now: now)
        let cost = integrity
            ? "an integrity-rule refusal costs the full \(Self.duration(cooldownSeconds)) cooldown"
            : "a security-rule refusal costs a \(Self.duration(cooldownSeconds)) cooldown"
        return APIError(.unprocessableContent, code: "CODE_ANALYSIS_ERROR",
                        detail: "the agent file breaks \(count) code rule\(count == 1 ? "" : "s"); fix "
                            + "\(count == 1 ? "it" : "them") and submit again from \(Wire.timestamp(until)) "
                            + "(in \(Self.duration(Double(remaining)))): \(cost)",
                        extras: [("violations", .array(report.violations.map(\.json))),
                                 ("remaining_seconds", .int(remaining))])
    }

    /// 422 CODE_ANALYSIS_ERROR for imports of names the runtime does not provide: no cooldown is used.
    static func compatibility(_ report: CodeAnalysisReport) -> APIError {
        let count = report.violations.count
        return APIError(.unprocessableContent, code: "CODE_ANALYSIS_ERROR",
                        detail: "the agent file imports \(count) name\(count == 1 ? "" : "s") the ShopArena runtime does not "
                            + "provide, so every problem would fail; fix the import\(count == 1 ? "" : "s") and submit again "
                            + "now (this refusal costs no cooldown)",
                        extras: [("violations", .array(report.violations.map(\.json))), ("remaining_seconds", .int(0))])
    }

    /// `12 h`, `1 h 30 min`, `45 min`, `20 s`: a length of time as a person reads it.
    static func duration(_ seconds: Double) -> String {
        let total = Int64(max(0, seconds.rounded()))
        let hours = total / 3600, minutes = total % 3600 / 60, rest = total % 60
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return rest > 0 ? "\(minutes) min \(rest) s" : "\(minutes) min" }
        return "\(rest) s"
    }

    /// 409 NO_INFERENCE_CREDENTIAL: the miner must connect an inference provider before submitting.
    static func noInferenceCredential(_ hotkey: String) -> APIError {
        APIError(.conflict, code: "NO_INFERENCE_CREDENTIAL",
                 detail: "hotkey \(hotkey) has no inference credential, and validators fund every evaluation with the miner's "
                     + "own: connect a provider first (oro-sdk 7.x: `oro inference connect openrouter --api-key …`; "
                     + "oro-sdk 1.0.x: `oro submit` asks for Chutes, or POST /v1/miner/chutes-auth), then submit again. "
                     + "Nothing was stored and no cooldown was used.")
    }

    static func cooldown(until: Int64, now: Int64) -> APIError {
        let remaining = remainingSeconds(until: until, now: now)
        return APIError(.tooManyRequests, code: "COOLDOWN_ACTIVE",
                        detail: "this hotkey submitted recently; the next submission is allowed at \(Wire.timestamp(until)) "
                            + "(in \(remaining) s)",
                        extras: [("remaining_seconds", .int(remaining))])
    }

    static func fileError(_ error: CodeAnalysisReport.FileError, maxBytes: Int) -> APIError {
        let extras: [(String, JSONValue)] = error.line.map { [("line", .int($0))] } ?? []
        switch error.code {
        case "FILE_TOO_LARGE": return tooLarge(maxBytes)
        case "ANALYSIS_FAILED":
            return APIError(.badRequest, code: "INVALID_FILE", detail: "the agent file could not be analysed: \(error.message)",
                            extras: extras)
        default:
            return APIError(.badRequest, code: "INVALID_FILE", detail: error.message, extras: extras)
        }
    }

    static func missingParts(_ names: [String], reason: String) -> APIError {
        .validation(names.map { APIError.ValidationIssue(location: ["body", $0], message: reason == "Field required" ? reason : "Field required (\(reason))", type: "missing") })
    }
}
