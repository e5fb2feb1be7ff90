import ArenaModel
import Backend
import Foundation
import Store

/// Operator actions run directly on the arena database (on the server box, no HTTP and no signing): hotkeys, roles,
/// bans, suites and hidden race banks. Every change is written to the audit log with actor ``actor``, in the
/// change's own transaction: the change and its event commit together or not at all. Each action returns the line
/// the operator sees; refusals are ``LocalAdminError`` or `PoolLeakError`.
public struct LocalAdmin: Sendable {
    /// The audit-log actor of every local operator action.
    public static let actor = "local-operator"

    /// The arena database (`ArenaStore.database`).
    public let database: any SQLDatabase
    /// Diagnostics (the leak report of a refused load), for stderr.
    public var note: @Sendable (String) -> Void
    /// The clock of registrations, activations and audit events.
    public var clock: any ArenaClock = SystemClock()

    public init(database: any SQLDatabase, note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.database = database
        self.note = note
    }

    /// How many versions of the previous suite an activation requeues, and the runs each then needs.
    public struct Requeue: Sendable, Equatable {
        public var topN: Int
        public var requiredSuccesses: Int
        public init(topN: Int, requiredSuccesses: Int) {
            self.topN = topN
            self.requiredSuccesses = requiredSuccesses
        }
    }

    /// Reads an ORO suite JSON or ShoppingBench JSONL problem file (path or file:// URL).
    public static func loadProblems(_ file: String) throws(LocalAdminError) -> ProblemSuite {
        do { return try SuiteRepository.load(uri: file) } catch { throw .problemFile(reason: "\(error)") }
    }

    /// Registers `hotkey` with `role` (or changes its role).
    public func register(_ hotkey: String, role: Role, name: String?) async throws -> String {
        let record = try await IdentityRepository(database: database).register(
            hotkey, role: role, name: name, now: clock.nowMillis(),
            audit: audited("identity.register", targetType: role.rawValue, targetID: hotkey, details: #"{"role":"\#(role.rawValue)"}"#))
        return "\(record.hotkey) registered as \(record.role.rawValue)"
    }

    /// Changes the role of a registered hotkey.
    public func setRole(_ hotkey: String, role: Role) async throws -> String {
        let identities = IdentityRepository(database: database)
        guard try await identities.find(hotkey) != nil else { throw LocalAdminError.notRegisteredForRole(hotkey: hotkey, role: role.rawValue) }
        try await identities.register(
            hotkey, role: role, now: clock.nowMillis(),
            audit: audited("identity.set_role", targetType: role.rawValue, targetID: hotkey, details: #"{"role":"\#(role.rawValue)"}"#))
        return "\(hotkey) is now \(role.rawValue)"
    }

    /// Bans (`banned`) or unbans a hotkey of any role; `reason` is kept in the audit log.
    public func setBanned(_ hotkey: String, _ banned: Bool, reason: String?) async throws -> String {
        let changed = try await IdentityRepository(database: database).setBanned(hotkey, banned: banned, reason: reason, now: clock.nowMillis()) { db in
            try await self.record(in: db, banned ? "identity.ban" : "identity.unban", targetType: "identity", targetID: hotkey, reason: reason)
        }
        guard changed else { throw LocalAdminError.notRegistered(hotkey: hotkey) }
        return "\(hotkey) \(banned ? "banned" : "unbanned")"
    }

    /// One tab-separated line per registered hotkey (only `role` when given).
    public func hotkeyLines(role: Role?) async throws -> [String] {
        try await IdentityRepository(database: database).list(role: role).map {
            "\($0.hotkey)\t\($0.role.rawValue)\t\($0.isBanned ? "BANNED" : "ok")\t\($0.name ?? "")"
        }
    }

    /// One tab-separated line per suite.
    public func suiteLines() async throws -> [String] {
        try await SuiteRepository(database: database).list().map {
            "suite \($0.suiteID)\tversion \($0.suiteVersion)\t\($0.isActive ? "ACTIVE" : "inactive")\t\($0.problemCount) problems\t\($0.sourceURI ?? "")"
        }
    }

    /// Creates a suite from `suite` (read from `file`) after the leak check against the hidden race bank, and activates
    /// it when `activate` is given. Returns the leak report and what was done.
    public func addSuite(_ suite: ProblemSuite, file: String, isPublic: Bool, activate: Requeue?, rejectLeaks: Bool) async throws -> String {
        let report = try await PoolLeakCheck(database: database).enteringSuite(suite)
        try await refuseLeaks(report, rejectLeaks, action: "suite.create", targetID: "new", file: file)
        let suites = SuiteRepository(database: database)
        let now = clock.nowMillis()
        let record = try await suites.create(suite, sourceURI: file, isPublic: isPublic, now: now) { db, record in
            try await self.record(in: db, "suite.create", targetType: "suite", targetID: String(record.suiteID), details: JSONWriter().string(
                .object([("problem_count", .int(record.problemCount)), ("leak_report", report.json)])))
        }
        var message = report.lines.joined(separator: "\n") + "\n"
        message += "suite \(record.suiteID) (version \(record.suiteVersion)): \(record.problemCount) problems"
        if let activate {
            let activation = try await suites.activate(record.suiteID, requeueTopN: activate.topN, requiredSuccesses: activate.requiredSuccesses,
                                                       now: now, makeID: { UUIDText.random() }) { db, activation in
                try await self.record(in: db, "suite.activate", targetType: "suite", targetID: String(record.suiteID),
                                      details: #"{"requeued":\#(activation.requeuedVersionIDs.count)}"#)
            }
            message += ", active, \(activation?.requeuedVersionIDs.count ?? 0) versions requeued"
        }
        return message
    }

    /// Makes `suiteID` the active suite and requeues the best versions of the previous one.
    public func activateSuite(_ suiteID: Int64, requeue: Requeue) async throws -> String {
        guard let activation = try await SuiteRepository(database: database).activate(
            suiteID, requeueTopN: requeue.topN, requiredSuccesses: requeue.requiredSuccesses, now: clock.nowMillis(),
            makeID: { UUIDText.random() },
            audit: { db, activation in
                try await self.record(in: db, "suite.activate", targetType: "suite", targetID: String(suiteID),
                                      details: #"{"requeued":\#(activation.requeuedVersionIDs.count)}"#)
            })
        else { throw LocalAdminError.suiteMissing(suiteID: suiteID) }
        return "suite \(suiteID) is active; \(activation.requeuedVersionIDs.count) versions requeued"
    }

    /// Adds `bank` (read from `file`) as hidden race problems of `suiteID` after the leak check against the public
    /// suite problems. Returns the leak report and the count added.
    public func addHiddenBank(_ bank: ProblemSuite, file: String, suiteID: Int64, rejectLeaks: Bool) async throws -> String {
        let suites = SuiteRepository(database: database)
        guard try await suites.find(suiteID) != nil else { throw LocalAdminError.noSuite(suiteID: suiteID) }
        let report = try await PoolLeakCheck(database: database).enteringHiddenBank(bank, suiteID: suiteID)
        try await refuseLeaks(report, rejectLeaks, action: "suite.hidden_bank_add", targetID: String(suiteID), file: file)
        let added = try await suites.addHiddenBank(bank, to: suiteID) { db, count in
            try await self.record(in: db, "suite.hidden_bank_add", targetType: "suite", targetID: String(suiteID), details: JSONWriter().string(
                .object([("hidden_problem_count", .int(Int64(count))), ("leak_report", report.json)])))
        }
        guard let count = added else { throw LocalAdminError.noSuite(suiteID: suiteID) }
        return report.lines.joined(separator: "\n") + "\nsuite \(suiteID): \(count) hidden race problems"
    }

    /// With `reject` and a report that is not clear: notes the report, records the refused action as
    /// `<action>.refused`, and fails with `PoolLeakError` (nothing is added).
    func refuseLeaks(_ report: LeakReport, _ reject: Bool, action: String, targetID: String, file: String) async throws {
        guard reject, !report.isClear else { return }
        for line in report.lines { note(line) }
        try await audit(action + ".refused", targetType: "suite", targetID: targetID,
                        details: JSONWriter().string(.object([("problem_suite_uri", .string(file)), ("leak_report", report.json)])))
        throw PoolLeakError.leaks(report)
    }

    /// Appends one audit event by ``actor`` in its own transaction (for refusals, which change nothing else).
    func audit(_ action: String, targetType: String, targetID: String, reason: String? = nil, details: String? = nil) async throws {
        try await database.transaction { db in
            try await record(in: db, action, targetType: targetType, targetID: targetID, reason: reason, details: details)
        }
    }

    /// Writes one audit event by ``actor`` inside the action's transaction `db`.
    func record(in db: any SQLExecutor, _ action: String, targetType: String, targetID: String, reason: String? = nil,
                details: String? = nil) async throws {
        try await AuditLog.record(in: db, eventID: UUIDText.random(), action: action, targetType: targetType, targetID: targetID,
                                  actorHotkey: Self.actor, reason: reason, details: details, now: clock.nowMillis())
    }

    /// ``record(in:_:targetType:targetID:reason:details:)`` as the `audit` argument of a repository action.
    func audited<Value>(_ action: String, targetType: String, targetID: String,
                        details: String? = nil) -> @Sendable (any SQLExecutor, Value) async throws -> Void {
        { db, _ in try await self.record(in: db, action, targetType: targetType, targetID: targetID, details: details) }
    }
}
