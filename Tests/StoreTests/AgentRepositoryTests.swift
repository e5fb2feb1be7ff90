import Foundation
import Store
import ShopArenaTesting
import Testing

/// The submit transaction, cooldowns and miner reads, on SQLite and PostgreSQL.
@Suite("Agent repository")
struct AgentRepositoryTests {
    static let now: Int64 = 1_790_000_000_000
    static let hour: Int64 = 3_600_000

    static func setUp(_ kind: StoreKind, activeSuite: Bool = true) async throws -> (any SQLDatabase, AgentRepository) {
        let database = try await TestDatabases.make(kind, now: now)
        try await IdentityRepository(database: database).register("miner-a", role: .miner, now: now)
        try await IdentityRepository(database: database).register("miner-b", role: .miner, now: now)
        if activeSuite {
            try await database.transaction { db in
                try await db.execute(
                    "INSERT INTO suites (suite_id, suite_version, is_active, is_public, problem_count, created_at) VALUES (7, 7, 1, 1, 0, ?)",
                    [.int(now)])
            }
        }
        return (database, AgentRepository(database: database))
    }

    static func submission(_ hotkey: String, _ name: String, at now: Int64, sha: String = String(repeating: "a", count: 64))
        -> AgentRepository.Submission
    {
        AgentRepository.Submission(minerHotkey: hotkey, agentName: name, codeSHA256: sha, codeSize: 42,
                                   cooldownMillis: 12 * hour, requiredSuccesses: 3, now: now)
    }

    static func submit(_ repo: AgentRepository, _ submission: AgentRepository.Submission) async throws -> AgentRepository.SubmitOutcome {
        try await repo.submit(submission, workItemID: UUID().uuidString.lowercased(), newID: { UUID().uuidString.lowercased() })
    }

    @Test(arguments: StoreKind.allCases)
    func submitCreatesAgentVersionWorkItemAndCooldown(kind: StoreKind) async throws {
        let (database, repo) = try await Self.setUp(kind)
        defer { Task { await database.close() } }
        let outcome = try await Self.submit(repo, Self.submission("miner-a", "Shopper One", at: Self.now))
        guard case .accepted(let agentID, let versionID, let number, let suiteID, let workItemID, let next) = outcome else {
            Issue.record("expected accepted, got \(outcome)")
            return
        }
        #expect(number == 1)
        #expect(suiteID == 7)
        #expect(next == Self.now + 12 * Self.hour)
        let version = try #require(try await repo.version(versionID))
        #expect(version.agentID == agentID)
        #expect(version.agentName == "Shopper One")
        #expect(version.state == "QUEUED")
        #expect(version.suiteID == 7)
        #expect(version.codeSize == 42)
        let item = try await database.read { db in
            try await db.first("SELECT agent_version_id, suite_id, phase, required_successes FROM work_items WHERE work_item_id = ?",
                               [.text(workItemID)])
        }
        #expect(try item?.string("agent_version_id") == versionID)
        #expect(try item?.string("phase") == "QUALIFYING")
        #expect(try item?.int("required_successes") == 3)
        #expect(try await repo.cooldownUntil("miner-a", now: Self.now + 1) == next)
        #expect(try await repo.cooldownUntil("miner-a", now: next) == nil)
        #expect(try await repo.cooldownUntil("miner-b", now: Self.now) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func cooldownRefusesUntilItEndsThenTheSameNameGetsTheNextVersion(kind: StoreKind) async throws {
        let (database, repo) = try await Self.setUp(kind)
        defer { Task { await database.close() } }
        _ = try await Self.submit(repo, Self.submission("miner-a", "agent", at: Self.now))
        let refused = try await Self.submit(repo, Self.submission("miner-a", "agent", at: Self.now + Self.hour))
        #expect(refused == .cooldown(until: Self.now + 12 * Self.hour))
        // Another miner is not affected, and may use the same name for its own agent.
        guard case .accepted(let otherAgent, _, let otherNumber, _, _, _) =
                try await Self.submit(repo, Self.submission("miner-b", "agent", at: Self.now + Self.hour))
        else { Issue.record("miner-b refused"); return }
        #expect(otherNumber == 1)
        let later = Self.now + 13 * Self.hour
        guard case .accepted(let agentID, _, let number, _, _, _) = try await Self.submit(repo, Self.submission("miner-a", "agent", at: later))
        else { Issue.record("second submission refused"); return }
        #expect(number == 2)
        #expect(agentID != otherAgent)
        let versions = try await repo.versions(ofAgent: agentID)
        #expect(versions.map(\.versionNumber) == [2, 1])
        // A new name is a new agent.
        guard case .accepted(let thirdAgent, _, let thirdNumber, _, _, _) =
                try await Self.submit(repo, Self.submission("miner-a", "other", at: later + 13 * Self.hour))
        else { Issue.record("third submission refused"); return }
        #expect(thirdAgent != agentID)
        #expect(thirdNumber == 1)
        let agents = try await repo.agents(ofMiner: "miner-a")
        #expect(agents.map(\.agent.agentName) == ["other", "agent"])
        #expect(agents.map { $0.latest?.versionNumber } == [1, 2])
        #expect(try await repo.agent(agentID)?.minerHotkey == "miner-a")
    }

    @Test(arguments: StoreKind.allCases)
    func noActiveSuiteRefusesAndWritesNothing(kind: StoreKind) async throws {
        let (database, repo) = try await Self.setUp(kind, activeSuite: false)
        defer { Task { await database.close() } }
        #expect(try await repo.activeSuiteID() == nil)
        #expect(try await Self.submit(repo, Self.submission("miner-a", "agent", at: Self.now)) == .noActiveSuite)
        #expect(try await repo.agents(ofMiner: "miner-a").isEmpty)
        #expect(try await repo.cooldownUntil("miner-a", now: Self.now) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func applyCooldownNeverShortensARunningOne(kind: StoreKind) async throws {
        let (database, repo) = try await Self.setUp(kind)
        defer { Task { await database.close() } }
        #expect(try await repo.applyCooldown("miner-a", until: Self.now + Self.hour, now: Self.now) == Self.now + Self.hour)
        #expect(try await repo.applyCooldown("miner-a", until: Self.now + 2 * Self.hour, now: Self.now) == Self.now + 2 * Self.hour)
        #expect(try await repo.applyCooldown("miner-a", until: Self.now + Self.hour, now: Self.now) == Self.now + 2 * Self.hour)
        #expect(try await repo.cooldownUntil("miner-a", now: Self.now) == Self.now + 2 * Self.hour)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentSubmissionsOfOneHotkeyAcceptExactlyOne(kind: StoreKind) async throws {
        let (database, repo) = try await Self.setUp(kind)
        defer { Task { await database.close() } }
        let outcomes = try await withThrowingTaskGroup(of: AgentRepository.SubmitOutcome.self) { group in
            for i in 0..<6 {
                group.addTask { try await Self.submit(repo, Self.submission("miner-a", "agent \(i % 2)", at: Self.now)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let accepted = outcomes.filter { if case .accepted = $0 { return true } else { return false } }
        #expect(accepted.count == 1)
        #expect(outcomes.filter { $0 == .cooldown(until: Self.now + 12 * Self.hour) }.count == 5)
    }

    /// Many miners submitting at once (PostgreSQL runs the transactions truly in parallel): every submission is
    /// accepted and its work item gets a distinct queue position. Two transactions that read the same
    /// `MAX(seq) + 1` used to collide on the unique `seq`; the loser waited for the winner's commit, then failed,
    /// and on PostgreSQL its retry ran inside the aborted transaction, so the miner got a 500.
    @Test(arguments: StoreKind.allCases)
    func concurrentSubmissionsOfManyMinersAreAllQueuedInDistinctPositions(kind: StoreKind) async throws {
        let (database, repo) = try await Self.setUp(kind)
        defer { Task { await database.close() } }
        let miners = (0..<16).map { "miner-many-\($0)" }
        for miner in miners { try await IdentityRepository(database: database).register(miner, role: .miner, now: Self.now) }
        let outcomes = try await withThrowingTaskGroup(of: AgentRepository.SubmitOutcome.self) { group in
            for miner in miners {
                group.addTask { try await Self.submit(repo, Self.submission(miner, "agent", at: Self.now)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let accepted = outcomes.filter { if case .accepted = $0 { return true } else { return false } }
        #expect(accepted.count == miners.count)
        let positions = try await database.read { db in
            try await db.query("SELECT seq FROM work_items", []).map { try $0.int("seq") }
        }
        #expect(positions.count == miners.count)
        #expect(Set(positions).count == miners.count)
    }
}

/// Sealing credentials, and storing them per miner on both stores.
@Suite("Agent credentials")
struct AgentCredentialTests {
    @Test func sealOpensOnlyWithTheSameKey() throws {
        let box = CredentialBox(keyText: "operator secret")
        let sealed = box.seal("rt_chutes_refresh_token")
        #expect(sealed.hasPrefix("sb1:"))
        #expect(!sealed.contains("rt_chutes"))
        #expect(box.seal("rt_chutes_refresh_token") != sealed)  // fresh nonce each time
        #expect(try box.open(sealed) == "rt_chutes_refresh_token")
        #expect(throws: CredentialBox.OpenError.wrongKeyOrTampered) { try CredentialBox(keyText: "other").open(sealed) }
        var tampered = Array(sealed)
        tampered[tampered.count - 1] = tampered[tampered.count - 1] == "0" ? "1" : "0"
        #expect(throws: CredentialBox.OpenError.wrongKeyOrTampered) { try box.open(String(tampered)) }
        #expect(throws: CredentialBox.OpenError.malformed) { try box.open("plaintext") }
        #expect(throws: CredentialBox.OpenError.malformed) { try box.open("sb1:abc") }
    }

    @Test(arguments: StoreKind.allCases)
    func storedTokenIsEncryptedAndReadBackForTheValidator(kind: StoreKind) async throws {
        let now = AgentRepositoryTests.now
        let database = try await TestDatabases.make(kind, now: now)
        defer { Task { await database.close() } }
        try await IdentityRepository(database: database).register("miner-a", role: .miner, now: now)
        let credentials = InferenceCredentials(database: database, box: CredentialBox(keyText: "k1"))
        #expect(try await credentials.status(forMiner: "miner-a") == .init(connected: false, updatedAt: nil))
        #expect(try await credentials.inferenceToken(forMiner: "miner-a") == nil)
        #expect(try await credentials.store("token-1", forMiner: "miner-a", now: now + 5))
        #expect(try await credentials.store("token-x", forMiner: "nobody", now: now) == false)
        #expect(try await credentials.status(forMiner: "miner-a") == .init(connected: true, updatedAt: now + 5))
        #expect(try await credentials.inferenceToken(forMiner: "miner-a") == "token-1")
        let stored = try await database.read { db in
            try await db.first("SELECT inference_credential FROM identities WHERE hotkey = 'miner-a'")?.optionalString("inference_credential")
        }
        #expect(stored?.contains("token-1") == false)
        #expect(try await IdentityRepository(database: database).find("miner-a")?.hasInferenceCredential == true)
        // Under another key the token no longer decrypts: the claim then carries no token.
        let rotated = InferenceCredentials(database: database, box: CredentialBox(keyText: "k2"))
        #expect(try await rotated.inferenceToken(forMiner: "miner-a") == nil)
        let inTransaction = try await database.transaction { db in try await credentials.inferenceToken(forMiner: "miner-a", in: db) }
        #expect(inTransaction == "token-1")
    }
}
