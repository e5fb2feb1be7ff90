import ArenaModel
import ArenaRuntime
import Foundation
import ShopArenaTesting
import Store
import Testing

/// `shoparena admin`'s changes and their audit events commit together (issue 19): with the audit table made
/// unwritable, every local action fails and leaves nothing behind; with it restored, each change and its event
/// are both there. Both stores.
@Suite("Local admin audit atomicity", .serialized)
struct LocalAdminAuditAtomicityTests {
    static let hotkey = LocalAdminTests.hotkey

    /// Renames `audit_events` away (every audit insert then fails inside the action's transaction) or back.
    static func auditTable(_ db: any SQLDatabase, writable: Bool) async throws {
        let (from, to) = writable ? ("audit_events_off", "audit_events") : ("audit_events", "audit_events_off")
        try await db.transaction { tx in try await tx.execute("ALTER TABLE \(from) RENAME TO \(to)") }
    }

    static func counts(_ db: any SQLDatabase) async throws -> [Int64] {
        try await db.read { tx in
            [try await tx.scalarInt("SELECT COUNT(*) FROM identities") ?? -1,
             try await tx.scalarInt("SELECT COUNT(*) FROM identities WHERE is_banned = 1") ?? -1,
             try await tx.scalarInt("SELECT COUNT(*) FROM identities WHERE role = 'validator'") ?? -1,
             try await tx.scalarInt("SELECT COUNT(*) FROM suites") ?? -1,
             try await tx.scalarInt("SELECT COUNT(*) FROM suites WHERE is_active = 1") ?? -1,
             try await tx.scalarInt("SELECT COUNT(*) FROM problems WHERE is_hidden = 1") ?? -1]
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aFailingAuditWriteRollsBackEveryLocalAction(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let admin = LocalAdmin(database: db)
        let requeue = LocalAdmin.Requeue(topN: 3, requiredSuccesses: 1)
        let file = try LocalAdminTests.problemFile([("p1", "a red leather wallet with a zip", "1001")])
        let bankFile = try LocalAdminTests.problemFile([("h1", "a garden hose nozzle", "2001")])
        let second = try LocalAdminTests.problemFile([("p2", "a steel water bottle of one litre", "1002")])

        // One miner and one active suite with its event, written while the audit table works.
        _ = try await admin.register(Self.hotkey, role: .miner, name: nil)
        _ = try await admin.addSuite(try LocalAdmin.loadProblems(file), file: file, isPublic: true, activate: requeue, rejectLeaks: false)
        _ = try await admin.addSuite(try LocalAdmin.loadProblems(second), file: second, isPublic: true, activate: nil, rejectLeaks: false)
        let before = try await Self.counts(db)
        #expect(before == [1, 0, 0, 2, 1, 0])

        try await Self.auditTable(db, writable: false)
        let other = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
        await #expect(throws: (any Error).self) { try await admin.register(other, role: .validator, name: nil) }
        await #expect(throws: (any Error).self) { try await admin.setRole(Self.hotkey, role: .validator) }
        await #expect(throws: (any Error).self) { try await admin.setBanned(Self.hotkey, true, reason: "spam") }
        await #expect(throws: (any Error).self) {
            try await admin.addSuite(try LocalAdmin.loadProblems(second), file: second, isPublic: true, activate: nil, rejectLeaks: false)
        }
        await #expect(throws: (any Error).self) { try await admin.activateSuite(2, requeue: requeue) }
        await #expect(throws: (any Error).self) {
            try await admin.addHiddenBank(try LocalAdmin.loadProblems(bankFile), file: bankFile, suiteID: 1, rejectLeaks: false)
        }
        #expect(try await Self.counts(db) == before)
        #expect(try await SuiteRepository(database: db).active()?.suiteID == 1)
        try await Self.auditTable(db, writable: true)
        #expect(try await LocalAdminTests.auditActions(db) == ["identity.register", "suite.activate", "suite.create", "suite.create"])

        // Restored: the same actions now change the store and each writes its event.
        _ = try await admin.setBanned(Self.hotkey, true, reason: "spam")
        _ = try await admin.activateSuite(2, requeue: requeue)
        _ = try await admin.addHiddenBank(try LocalAdmin.loadProblems(bankFile), file: bankFile, suiteID: 2, rejectLeaks: false)
        #expect(try await Self.counts(db) == [1, 1, 0, 2, 1, 1])
        #expect(try await LocalAdminTests.auditActions(db)
            == ["identity.ban", "identity.register", "suite.activate", "suite.activate", "suite.create", "suite.create",
                "suite.hidden_bank_add"])
    }
}
