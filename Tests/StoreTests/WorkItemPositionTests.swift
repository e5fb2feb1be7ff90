import Foundation
import Store
import ShopArenaTesting
import Testing

/// Queue positions of work items (`seq`): distinct and increasing on both stores, and on PostgreSQL handed out by
/// `work_item_seq` (migration 10), which continues after the positions a database already had.
@Suite("Work item positions", .serialized)
struct WorkItemPositionTests {
    static let now: Int64 = 1_790_000_000_000

    /// A database created before migration 10 keeps its queue order: new items come after every older one.
    @Test(arguments: StoreKind.allCases)
    func positionsContinueAfterTheItemsOfAnOlderSchema(kind: StoreKind) async throws {
        let older = Migrator(migrations: ArenaMigrations.all.filter { $0.version < 10 })
        let database = try await TestDatabases.make(kind, now: Self.now, migrator: older)
        defer { Task { await database.close() } }
        // Items queued by an older binary (MAX(seq) + 1), with a gap as deletions or failed inserts leave.
        try await database.transaction { db in
            for (id, seq) in [("old-1", 1), ("old-2", 2), ("old-7", 7)] as [(String, Int64)] {
                try await db.execute(
                    """
                    INSERT INTO work_items (work_item_id, seq, agent_version_id, suite_id, phase, required_successes, queued_at)
                    VALUES (?, ?, 'version', 1, 'QUALIFYING', 2, ?)
                    """, [.text(id), .int(seq), .int(Self.now)])
            }
        }
        try await Migrator().migrate(database, now: Self.now)
        let first = try await database.transaction { db in
            try await WorkItems.enqueue(in: db, workItemID: "new-1", agentVersionID: "version", suiteID: 1,
                                        phase: .qualifying, requiredSuccesses: 2, now: Self.now)
        }
        let second = try await database.transaction { db in
            try await WorkItems.enqueue(in: db, workItemID: "new-2", agentVersionID: "version", suiteID: 1,
                                        phase: .qualifying, requiredSuccesses: 2, now: Self.now)
        }
        let order = try await database.read { db in
            try await db.query("SELECT work_item_id FROM work_items ORDER BY seq", []).map { try $0.string("work_item_id") }
        }
        #expect([first, second] == ["new-1", "new-2"])
        #expect(order == ["old-1", "old-2", "old-7", "new-1", "new-2"])
    }
}
