import ArenaModel
import ArgumentParser
import Backend
import Foundation
import Store

/// `shoparena admin …`: operator actions run directly on the database (on the server box), no HTTP and no
/// signing. Every change is written to the audit log with actor `local-operator`.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Manage hotkeys and suites directly in the arena database.",
        subcommands: [AdminRegister.self, AdminSetRole.self, AdminBan.self, AdminUnban.self, AdminList.self,
                      AdminSuiteAdd.self, AdminSuiteActivate.self, AdminHiddenBankAdd.self])
}

/// Where the database is: the same options as `shoparena serve`.
struct AdminStoreOptions: ParsableArguments {
    @Option(help: "A SQLite file path or a postgres:// URL (default: DATA-DIR/arena.sqlite).")
    var database: String?

    @Option(name: .customLong("data-dir"), help: "The serve data folder (SQLite database and blobs).")
    var dataDir: String = "shoparena-data"

    /// Opens (and migrates) the store, runs `body`, closes the store.
    func with<T>(_ body: (ArenaStore) async throws -> T) async throws -> T {
        let store = try await ArenaStore.open(database: database, dataDir: dataDir)
        do {
            let result = try await body(store)
            await store.database.close()
            return result
        } catch {
            await store.database.close()
            throw error
        }
    }

    static let actor = "local-operator"
}

extension Role: ExpressibleByArgument {}

func auditLocal(_ store: ArenaStore, action: String, targetType: String, targetID: String, reason: String?, details: String?) async throws {
    try await store.database.transaction { db in
        try await AuditLog.record(in: db, eventID: UUIDText.random(), action: action, targetType: targetType, targetID: targetID,
                                  actorHotkey: AdminStoreOptions.actor, reason: reason, details: details, now: SystemClock().nowMillis())
    }
}

struct AdminRegister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register", abstract: "Register a hotkey with a role (or change its role).")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @Option(help: "miner, validator or admin.") var role: Role
    @Option(help: "A display name.") var name: String?
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let record = try await store.with { store in
            let record = try await IdentityRepository(database: store.database).register(hotkey, role: role, name: name, now: SystemClock().nowMillis())
            try await auditLocal(store, action: "identity.register", targetType: role.rawValue, targetID: hotkey, reason: nil,
                                 details: #"{"role":"\#(role.rawValue)"}"#)
            return record
        }
        print("\(record.hotkey) registered as \(record.role.rawValue)")
    }
}

struct AdminSetRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change the role of a registered hotkey.")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @Argument(help: "miner, validator or admin.") var role: Role
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        try await store.with { store in
            let identities = IdentityRepository(database: store.database)
            guard try await identities.find(hotkey) != nil else {
                throw ValidationError("hotkey \(hotkey) is not registered; use `shoparena admin register \(hotkey) --role \(role.rawValue)`")
            }
            try await identities.register(hotkey, role: role, now: SystemClock().nowMillis())
            try await auditLocal(store, action: "identity.set_role", targetType: role.rawValue, targetID: hotkey, reason: nil,
                                 details: #"{"role":"\#(role.rawValue)"}"#)
        }
        print("\(hotkey) is now \(role.rawValue)")
    }
}

struct AdminBan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ban", abstract: "Ban a hotkey (any role).")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @Option(help: "Why (kept in the audit log).") var reason: String?
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        try await store.with { store in
            guard try await IdentityRepository(database: store.database).setBanned(hotkey, banned: true, reason: reason, now: SystemClock().nowMillis()) else {
                throw ValidationError("hotkey \(hotkey) is not registered")
            }
            try await auditLocal(store, action: "identity.ban", targetType: "identity", targetID: hotkey, reason: reason, details: nil)
        }
        print("\(hotkey) banned")
    }
}

struct AdminUnban: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unban", abstract: "Lift a ban.")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        try await store.with { store in
            guard try await IdentityRepository(database: store.database).setBanned(hotkey, banned: false, reason: nil, now: SystemClock().nowMillis()) else {
                throw ValidationError("hotkey \(hotkey) is not registered")
            }
            try await auditLocal(store, action: "identity.unban", targetType: "identity", targetID: hotkey, reason: nil, details: nil)
        }
        print("\(hotkey) unbanned")
    }
}

struct AdminList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered hotkeys, or suites with --suites.")
    @Option(help: "Only this role.") var role: Role?
    @Flag(help: "List suites instead of hotkeys.") var suites = false
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let lines: [String] = try await store.with { store in
            if suites {
                return try await SuiteRepository(database: store.database).list().map {
                    "suite \($0.suiteID)\tversion \($0.suiteVersion)\t\($0.isActive ? "ACTIVE" : "inactive")\t\($0.problemCount) problems\t\($0.sourceURI ?? "")"
                }
            }
            return try await IdentityRepository(database: store.database).list(role: role).map {
                "\($0.hotkey)\t\($0.role.rawValue)\t\($0.isBanned ? "BANNED" : "ok")\t\($0.name ?? "")"
            }
        }
        if lines.isEmpty { printError(suites ? "no suites" : "no hotkeys registered") }
        for line in lines { print(line) }
    }
}

struct AdminSuiteAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suite-add", abstract: "Create a suite from an ORO suite JSON or ShoppingBench JSONL file.")
    @Argument(help: "The problem file (path or file:// URL).") var file: String
    @Flag(help: "Activate the new suite at once.") var activate = false
    @Flag(help: "Hide the suite from the public suite routes.") var `private` = false
    @Option(name: .customLong("requeue-top-n"), help: "With --activate: versions of the previous suite to requeue.") var requeueTopN: Int = BackendSettings().requeueTopN
    @Option(name: .customLong("required-successes"), help: "Runs needed by requeued versions.") var requiredSuccesses: Int = BackendSettings().requiredSuccesses
    @Flag(name: .customLong("reject-leaks"), help: "Refuse the suite when a problem shares a leak cluster with the hidden race bank.")
    var rejectLeaks = false
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let suite: ProblemSuite
        do { suite = try SuiteRepository.load(uri: file) } catch { throw ValidationError("\(error)") }
        let message = try await store.with { store in
            let report = try await PoolLeakCheck(database: store.database).enteringSuite(suite)
            try await refuseLeaks(report, rejectLeaks, store, action: "suite.create", targetID: "new", file: file)
            let suites = SuiteRepository(database: store.database)
            let now = SystemClock().nowMillis()
            let record = try await suites.create(suite, sourceURI: file, isPublic: !`private`, now: now)
            try await auditLocal(store, action: "suite.create", targetType: "suite", targetID: String(record.suiteID), reason: nil,
                                 details: JSONWriter().string(.object([("problem_count", .int(record.problemCount)),
                                                                       ("leak_report", report.json)])))
            var message = report.lines.joined(separator: "\n") + "\n"
            message += "suite \(record.suiteID) (version \(record.suiteVersion)): \(record.problemCount) problems"
            if activate {
                let activation = try await suites.activate(record.suiteID, requeueTopN: requeueTopN, requiredSuccesses: requiredSuccesses,
                                                           now: now, makeID: { UUIDText.random() })
                try await auditLocal(store, action: "suite.activate", targetType: "suite", targetID: String(record.suiteID), reason: nil,
                                     details: #"{"requeued":\#(activation?.requeuedVersionIDs.count ?? 0)}"#)
                message += ", active, \(activation?.requeuedVersionIDs.count ?? 0) versions requeued"
            }
            return message
        }
        print(message)
    }
}

struct AdminSuiteActivate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suite-activate", abstract: "Make a suite the active one and requeue the best versions.")
    @Argument(help: "The suite id.") var suiteID: Int64
    @Option(name: .customLong("requeue-top-n"), help: "Versions of the previous suite to requeue.") var requeueTopN: Int = BackendSettings().requeueTopN
    @Option(name: .customLong("required-successes"), help: "Runs needed by requeued versions.") var requiredSuccesses: Int = BackendSettings().requiredSuccesses
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let count = try await store.with { store in
            guard let activation = try await SuiteRepository(database: store.database).activate(
                suiteID, requeueTopN: requeueTopN, requiredSuccesses: requiredSuccesses, now: SystemClock().nowMillis(),
                makeID: { UUIDText.random() })
            else { throw ValidationError("suite \(suiteID) does not exist (see `shoparena admin list --suites`)") }
            try await auditLocal(store, action: "suite.activate", targetType: "suite", targetID: String(suiteID), reason: nil,
                                 details: #"{"requeued":\#(activation.requeuedVersionIDs.count)}"#)
            return activation.requeuedVersionIDs.count
        }
        print("suite \(suiteID) is active; \(count) versions requeued")
    }
}

/// `shoparena admin hidden-bank-add --suite ID FILE`: the problems races draw from, never shown publicly.
struct AdminHiddenBankAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hidden-bank-add",
        abstract: "Add hidden race problems (ORO suite JSON or ShoppingBench JSONL) to a suite.")
    @Argument(help: "The problem file (path or file:// URL).") var file: String
    @Option(help: "The suite the bank belongs to.") var suite: Int64
    @Flag(name: .customLong("reject-leaks"), help: "Refuse the bank when a problem shares a leak cluster with public suite problems.")
    var rejectLeaks = false
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let bank: ProblemSuite
        do { bank = try SuiteRepository.load(uri: file) } catch { throw ValidationError("\(error)") }
        let suiteID = suite
        let message = try await store.with { store in
            let suites = SuiteRepository(database: store.database)
            guard try await suites.find(suiteID) != nil else {
                throw ValidationError("there is no suite \(suiteID); list them with `shoparena admin list --suites`")
            }
            let report = try await PoolLeakCheck(database: store.database).enteringHiddenBank(bank, suiteID: suiteID)
            try await refuseLeaks(report, rejectLeaks, store, action: "suite.hidden_bank_add", targetID: String(suiteID), file: file)
            guard let count = try await suites.addHiddenBank(bank, to: suiteID) else {
                throw ValidationError("there is no suite \(suiteID); list them with `shoparena admin list --suites`")
            }
            try await auditLocal(store, action: "suite.hidden_bank_add", targetType: "suite", targetID: String(suiteID), reason: nil,
                                 details: JSONWriter().string(.object([("hidden_problem_count", .int(Int64(count))),
                                                                       ("leak_report", report.json)])))
            return report.lines.joined(separator: "\n") + "\nsuite \(suiteID): \(count) hidden race problems"
        }
        print(message)
    }
}

/// With `--reject-leaks` and a report that is not clear: prints the report to standard error, records the refused
/// action as `<action>.refused`, and fails with ``PoolLeakError`` (nothing is added).
func refuseLeaks(_ report: LeakReport, _ reject: Bool, _ store: ArenaStore, action: String, targetID: String, file: String) async throws {
    guard reject, !report.isClear else { return }
    for line in report.lines { printError(line) }
    try await auditLocal(store, action: action + ".refused", targetType: "suite", targetID: targetID, reason: nil,
                         details: JSONWriter().string(.object([("problem_suite_uri", .string(file)), ("leak_report", report.json)])))
    throw PoolLeakError.leaks(report)
}
