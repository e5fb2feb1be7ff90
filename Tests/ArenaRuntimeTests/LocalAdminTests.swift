import ArenaModel
import ArenaRuntime
import Backend
import Foundation
import ShopArenaTesting
import Store
import Synchronization
import Testing

/// `shoparena admin`'s actions on both stores: each change answered with the operator's line and audited with actor
/// `local-operator`; refusals are typed (`LocalAdminError`, `PoolLeakError`) and change nothing.
@Suite("Local admin actions", .serialized)
struct LocalAdminTests {
    static let hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"

    /// Lines handed to the admin's `note`.
    final class Notes: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static func problemFile(_ problems: [(id: String, query: String, productID: String)]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("admin-problems-\(UUID().uuidString).json")
        let items = problems.map {
            #"{"problem_id": "\#($0.id)", "category": "Product", "query": "\#($0.query)", "#
                + #""reward": {"product_id": "\#($0.productID)", "title": ["Item \#($0.productID)"]}}"#
        }
        try ("[" + items.joined(separator: ",\n") + "]").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func auditActions(_ db: any SQLDatabase) async throws -> [String] {
        let events = try await AuditLog.list(db, filter: AuditEventFilter(actorHotkey: LocalAdmin.actor), limit: 100, offset: 0).events
        return events.map(\.action).sorted()
    }

    @Test(arguments: StoreKind.allCases)
    func hotkeysAreRegisteredRoledBannedAndAudited(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        var admin = LocalAdmin(database: db)
        admin.clock = ManualClock()

        await #expect(throws: LocalAdminError.notRegisteredForRole(hotkey: Self.hotkey, role: "validator")) {
            try await admin.setRole(Self.hotkey, role: .validator)
        }
        #expect(LocalAdminError.notRegisteredForRole(hotkey: "h", role: "validator").description
            == "hotkey h is not registered; use `shoparena admin register h --role validator`")
        await #expect(throws: LocalAdminError.notRegistered(hotkey: Self.hotkey)) {
            try await admin.setBanned(Self.hotkey, true, reason: "spam")
        }
        #expect(try await Self.auditActions(db).isEmpty)

        #expect(try await admin.register(Self.hotkey, role: .miner, name: "alice") == "\(Self.hotkey) registered as miner")
        #expect(try await admin.setRole(Self.hotkey, role: .validator) == "\(Self.hotkey) is now validator")
        #expect(try await admin.hotkeyLines(role: nil) == ["\(Self.hotkey)\tvalidator\tok\talice"])
        #expect(try await admin.hotkeyLines(role: .miner).isEmpty)
        #expect(try await admin.setBanned(Self.hotkey, true, reason: "spam") == "\(Self.hotkey) banned")
        #expect(try await admin.hotkeyLines(role: .validator) == ["\(Self.hotkey)\tvalidator\tBANNED\talice"])
        #expect(try await admin.setBanned(Self.hotkey, false, reason: nil) == "\(Self.hotkey) unbanned")
        #expect(try await Self.auditActions(db) == ["identity.ban", "identity.register", "identity.set_role", "identity.unban"])
        let ban = try await AuditLog.list(db, filter: AuditEventFilter(action: "identity.ban"), limit: 1, offset: 0).events
        #expect(ban.first?.reason == "spam" && ban.first?.targetID == Self.hotkey && ban.first?.actorHotkey == "local-operator")
    }

    @Test(arguments: StoreKind.allCases)
    func suitesAreCreatedActivatedAndGivenHiddenBanks(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let notes = Notes()
        let admin = LocalAdmin(database: db, note: { notes.add($0) })
        let file = try Self.problemFile([("p1", "a red leather wallet with a zip", "1001"), ("p2", "a steel water bottle of one litre", "1002")])
        let suite = try LocalAdmin.loadProblems(file)
        let requeue = LocalAdmin.Requeue(topN: 3, requiredSuccesses: 2)

        let created = try await admin.addSuite(suite, file: file, isPublic: true, activate: requeue, rejectLeaks: true)
        #expect(created.hasSuffix("suite 1 (version 1): 2 problems, active, 0 versions requeued"), "\(created)")
        #expect(created.hasPrefix("leak check: "))
        let lines = try await admin.suiteLines()
        #expect(lines.count == 1 && lines[0].hasPrefix("suite 1\tversion 1\tACTIVE\t2 problems\t"))
        #expect(try await admin.activateSuite(1, requeue: requeue) == "suite 1 is active; 0 versions requeued")
        await #expect(throws: LocalAdminError.suiteMissing(suiteID: 9)) { try await admin.activateSuite(9, requeue: requeue) }

        // A hidden problem with a public problem's ground-truth product shares its leak cluster.
        let bankFile = try Self.problemFile([("h1", "a leather wallet in red with zipper", "1001"), ("h2", "a garden hose nozzle", "2001")])
        let bank = try LocalAdmin.loadProblems(bankFile)
        await #expect(throws: LocalAdminError.noSuite(suiteID: 9)) {
            try await admin.addHiddenBank(bank, file: bankFile, suiteID: 9, rejectLeaks: false)
        }
        await #expect(throws: PoolLeakError.self) {
            try await admin.addHiddenBank(bank, file: bankFile, suiteID: 1, rejectLeaks: true)
        }
        #expect(notes.all.contains { $0.contains("h1") && $0.contains("p1") }, "\(notes.all)")
        #expect(!notes.all.contains { $0.contains("h2") })
        let added = try await admin.addHiddenBank(bank, file: bankFile, suiteID: 1, rejectLeaks: false)
        #expect(added.hasSuffix("suite 1: 2 hidden race problems"), "\(added)")
        #expect(try await Self.auditActions(db)
            == ["suite.activate", "suite.activate", "suite.create", "suite.hidden_bank_add", "suite.hidden_bank_add.refused"])
    }

    @Test func anUnreadableProblemFileIsNamed() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).json").path
        do {
            _ = try LocalAdmin.loadProblems(missing)
            Issue.record("a missing problem file loaded")
        } catch {
            guard case .problemFile(let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description == reason && !reason.isEmpty)
        }
    }
}
