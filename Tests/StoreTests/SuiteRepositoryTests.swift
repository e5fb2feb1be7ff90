import ArenaModel
import Foundation
import Store
import ShopArenaTesting
import Testing
import TestSupport

/// Suites from problem files: rows as stored, exactly one active suite, requeue of the previous suite's best.
@Suite("Suite repository")
struct SuiteRepositoryTests {
    static func oroSuite() throws -> (ProblemSuite, String) {
        let url = try SharedData.url("oro_problem_suite_v3.json")
        return (try SuiteRepository.load(uri: url.absoluteString), url.path)
    }

    @Test(arguments: StoreKind.allCases)
    func createStoresEveryProblemRow(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let (suite, path) = try Self.oroSuite()
        let suites = SuiteRepository(database: db)
        let first = try await suites.create(suite, sourceURI: path, now: 1_000)
        let second = try await suites.create(suite, sourceURI: path, isPublic: false, now: 2_000)
        #expect(first.suiteID == 1 && first.suiteVersion == 1 && !first.isActive && first.isPublic)
        #expect(second.suiteID == 2 && second.suiteVersion == 2 && !second.isPublic)
        #expect(first.problemCount == Int64(suite.problems.count))
        let rows = try await db.read { try await $0.query("SELECT problem_id, position, category, metadata FROM problems WHERE suite_id = 1 ORDER BY position", []) }
        #expect(rows.count == suite.problems.count)
        for (index, row) in rows.enumerated() {
            let problem = suite.problems[index]
            #expect(try row.string("problem_id") == problem.id)
            #expect(try row.int("position") == Int64(index))
            #expect(try row.string("category") == problem.category.rawValue.lowercased())
            let metadata = try JSONParser.parse(try row.string("metadata"))
            #expect(metadata == problem.original)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func poolProblemsReadEachPoolOfEverySuiteInOrder(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let (suite, path) = try Self.oroSuite()
        let suites = SuiteRepository(database: db)
        _ = try await suites.create(try ProblemSuite(problems: Array(suite.problems.prefix(3))), sourceURI: path, now: 1_000)
        _ = try await suites.create(try ProblemSuite(problems: Array(suite.problems[3..<5])), sourceURI: path, now: 2_000)
        _ = try await suites.addHiddenBank(try ProblemSuite(problems: Array(suite.problems[5..<7])), to: 2)
        let visible = try await suites.poolProblems(hidden: false)
        #expect(visible.map(\.problemID) == suite.problems.prefix(5).map(\.id))
        #expect(visible.map(\.suiteID) == [1, 1, 1, 2, 2] && visible.allSatisfy { !$0.isHidden })
        #expect(try JSONParser.parse(visible[0].metadataJSON) == suite.problems[0].original)
        let hidden = try await suites.poolProblems(hidden: true)
        #expect(hidden.map(\.problemID) == suite.problems[5..<7].map(\.id))
        #expect(hidden.allSatisfy { $0.isHidden && $0.suiteID == 2 })
        #expect(try await suites.problemIDs(inSuite: 2) == Set(suite.problems[3..<7].map(\.id)))
        #expect(try await suites.problemIDs(inSuite: 9).isEmpty)
    }

    @Test func loadRefusesUnknownSchemesAndMissingFiles() throws {
        #expect(throws: SuiteSourceError.self) { try SuiteRepository.load(uri: "s3://bucket/suite.json") }
        #expect(throws: SuiteSourceError.self) { try SuiteRepository.load(uri: "/nonexistent/suite-\(UUID()).json") }
    }

    @Test(arguments: StoreKind.allCases)
    func activateKeepsOneActiveSuiteAndRequeuesTheBest(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        let (suite, path) = try Self.oroSuite()
        let suites = SuiteRepository(database: db)
        let old = try await suites.create(suite, sourceURI: path, now: 1_000)
        _ = try await suites.activate(old.suiteID, requeueTopN: 5, requiredSuccesses: 2, now: 1_000, makeID: { UUID().uuidString.lowercased() })
        // Four eligible versions on the old suite (scores 0.1 … 0.4), one discarded with the best score, one queued.
        let scores = [0.1, 0.4, 0.2, 0.3, 0.9, 0.0]
        let ids = scores.map { _ in UUID().uuidString.lowercased() }
        try await db.transaction { tx in
            for (index, score) in scores.enumerated() {
                let id = ids[index]
                let state = index == 5 ? "QUEUED" : "ELIGIBLE"
                try await tx.execute(
                    """
                    INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                        code_sha256, code_size, state, final_score, eligible_at, is_discarded)
                    VALUES (?, ?, 'miner', 1, ?, ?, 'sha', 1, ?, ?, ?, ?)
                    """,
                    [.text(id), .text(UUID().uuidString), .int(Int64(index)), .int(old.suiteID), .text(state),
                     index == 5 ? .null : .double(score), .int(Int64(index)), .bool(index == 4)])
            }
        }
        let new = try await suites.create(suite, sourceURI: path, now: 2_000)
        let activation = try #require(try await suites.activate(new.suiteID, requeueTopN: 2, requiredSuccesses: 3, now: 2_000,
                                                                makeID: { UUID().uuidString.lowercased() }))
        #expect(activation.previousSuiteID == old.suiteID)
        #expect(activation.requeuedVersionIDs == [ids[1], ids[3]])
        #expect(activation.suite.isActive)
        let active = try await db.read { try await $0.query("SELECT suite_id FROM suites WHERE is_active = 1", []) }
        #expect(try active.map { try $0.int("suite_id") } == [new.suiteID])
        let items = try await db.read {
            try await $0.query("SELECT agent_version_id, suite_id, required_successes, phase FROM work_items ORDER BY seq", [])
        }
        #expect(try items.map { try $0.string("agent_version_id") } == [ids[1], ids[3]])
        #expect(try items.allSatisfy { try $0.int("suite_id") == new.suiteID && $0.int("required_successes") == 3 && $0.string("phase") == "QUALIFYING" })
        let moved = try await db.read { try await $0.first("SELECT state, suite_id, final_score FROM agent_versions WHERE agent_version_id = ?", [.text(ids[1])]) }
        #expect(try moved?.string("state") == "QUEUED")
        #expect(try moved?.int("suite_id") == new.suiteID)
        #expect(moved?.optionalDouble("final_score") == nil)
        // Unknown suite: nil, nothing changes.
        #expect(try await suites.activate(99, requeueTopN: 2, requiredSuccesses: 2, now: 3_000, makeID: { UUID().uuidString }) == nil)
        #expect(try await suites.active()?.suiteID == new.suiteID)
    }

    @Test(arguments: StoreKind.allCases)
    func auditLogFiltersAndPages(kind: StoreKind) async throws {
        let db = try await TestDatabases.make(kind)
        defer { Task { await db.close() } }
        try await db.transaction { tx in
            for index in 0..<5 {
                try await AuditLog.record(in: tx, eventID: "e\(index)", action: index.isMultiple(of: 2) ? "miner.ban" : "suite.create",
                                          targetType: "x", targetID: "t\(index)", actorHotkey: "admin", reason: "r\(index)",
                                          details: #"{"i":\#(index)}"#, now: Int64(index) * 10)
            }
        }
        let bans = try await AuditLog.list(db, filter: AuditEventFilter(action: "miner.ban"), limit: 2, offset: 0)
        #expect(bans.total == 3)
        #expect(bans.events.map(\.eventID) == ["e4", "e2"])
        let window = try await AuditLog.list(db, filter: AuditEventFilter(since: 10, until: 30), limit: 10, offset: 1)
        #expect(window.total == 3)
        #expect(window.events.map(\.eventID) == ["e2", "e1"])
        #expect(window.events.first?.details == #"{"i":2}"#)
    }
}
