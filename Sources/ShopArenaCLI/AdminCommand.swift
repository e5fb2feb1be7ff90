import ArenaModel
import ArenaRuntime
import ArgumentParser
import Backend
import Store

/// `shoparena admin …`: operator actions run directly on the database (on the server box), no HTTP and no
/// signing. Parsing and printing only; the actions are `LocalAdmin` (audit actor `local-operator`).
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Manage hotkeys and suites directly in the arena database.",
        subcommands: [AdminRegister.self, AdminSetRole.self, AdminBan.self, AdminUnban.self, AdminList.self,
                      AdminSuiteAdd.self, AdminSuiteActivate.self, AdminHiddenBankAdd.self])
}

/// Where the database is: the same options as `shoparena serve`.
struct AdminStoreOptions: ParsableArguments {
    @Option(help: "A SQLite file path or a postgres:// URL (default: DATA-DIR/arena.sqlite).") var database: String?
    @Option(name: .customLong("data-dir"), help: "The serve data folder (SQLite database and blobs).") var dataDir: String = "shoparena-data"

    /// Opens (and migrates) the store, runs `body`, closes the store; `.existing` refuses a missing SQLite database.
    func with<T>(_ opening: ArenaStore.Opening = .create, _ body: (ArenaStore) async throws -> T) async throws -> T {
        try await ArenaStore.using(database: database, dataDir: dataDir, opening: opening, body)
    }

    /// Runs one `LocalAdmin` action (leak reports of a refusal on stderr); a refusal is a usage error.
    func admin<T>(_ action: (LocalAdmin) async throws -> T) async throws -> T {
        do {
            return try await with { try await action(LocalAdmin(database: $0.database, note: { printError($0) })) }
        } catch let error as LocalAdminError { throw ValidationError("\(error)") }
    }
}

extension Role: ExpressibleByArgument {}

struct AdminRegister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register", abstract: "Register a hotkey with a role (or change its role).")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @Option(help: "miner, validator or admin.") var role: Role
    @Option(help: "A display name.") var name: String?
    @OptionGroup var store: AdminStoreOptions

    func run() async throws { print(try await store.admin { try await $0.register(hotkey, role: role, name: name) }) }
}

struct AdminSetRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change the role of a registered hotkey.")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @Argument(help: "miner, validator or admin.") var role: Role
    @OptionGroup var store: AdminStoreOptions

    func run() async throws { print(try await store.admin { try await $0.setRole(hotkey, role: role) }) }
}

struct AdminBan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ban", abstract: "Ban a hotkey (any role).")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @Option(help: "Why (kept in the audit log).") var reason: String?
    @OptionGroup var store: AdminStoreOptions

    func run() async throws { print(try await store.admin { try await $0.setBanned(hotkey, true, reason: reason) }) }
}

struct AdminUnban: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unban", abstract: "Lift a ban.")
    @Argument(help: "The hotkey's SS58 address.") var hotkey: String
    @OptionGroup var store: AdminStoreOptions

    func run() async throws { print(try await store.admin { try await $0.setBanned(hotkey, false, reason: nil) }) }
}

struct AdminList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered hotkeys, or suites with --suites.")
    @Option(help: "Only this role.") var role: Role?
    @Flag(help: "List suites instead of hotkeys.") var suites = false
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let lines = try await store.admin { admin in
            if suites { return try await admin.suiteLines() }
            return try await admin.hotkeyLines(role: role)
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
    @Flag(name: .customLong("reject-leaks"), help: "Refuse the suite when a problem shares a leak cluster with the hidden race bank.") var rejectLeaks = false
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let suite: ProblemSuite
        do { suite = try LocalAdmin.loadProblems(file) } catch { throw ValidationError("\(error)") }
        let requeue = activate ? LocalAdmin.Requeue(topN: requeueTopN, requiredSuccesses: requiredSuccesses) : nil
        print(try await store.admin { try await $0.addSuite(suite, file: file, isPublic: !`private`, activate: requeue, rejectLeaks: rejectLeaks) })
    }
}

struct AdminSuiteActivate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suite-activate", abstract: "Make a suite the active one and requeue the best versions.")
    @Argument(help: "The suite id.") var suiteID: Int64
    @Option(name: .customLong("requeue-top-n"), help: "Versions of the previous suite to requeue.") var requeueTopN: Int = BackendSettings().requeueTopN
    @Option(name: .customLong("required-successes"), help: "Runs needed by requeued versions.") var requiredSuccesses: Int = BackendSettings().requiredSuccesses
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let requeue = LocalAdmin.Requeue(topN: requeueTopN, requiredSuccesses: requiredSuccesses)
        print(try await store.admin { try await $0.activateSuite(suiteID, requeue: requeue) })
    }
}

/// `shoparena admin hidden-bank-add --suite ID FILE`: the problems races draw from, never shown publicly.
struct AdminHiddenBankAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hidden-bank-add",
        abstract: "Add hidden race problems (ORO suite JSON or ShoppingBench JSONL) to a suite.")
    @Argument(help: "The problem file (path or file:// URL).") var file: String
    @Option(help: "The suite the bank belongs to.") var suite: Int64
    @Flag(name: .customLong("reject-leaks"), help: "Refuse the bank when a problem shares a leak cluster with public suite problems.") var rejectLeaks = false
    @OptionGroup var store: AdminStoreOptions

    func run() async throws {
        let bank: ProblemSuite
        do { bank = try LocalAdmin.loadProblems(file) } catch { throw ValidationError("\(error)") }
        print(try await store.admin { try await $0.addHiddenBank(bank, file: file, suiteID: suite, rejectLeaks: rejectLeaks) })
    }
}
