import ArenaModel
import Backend
import HTTPTypes
import ShopArenaTesting
import Store
import Testing

/// `/v1/public/suites*`: listing order, the current suite, problems with and without embeddings, hidden and
/// non-public suites.
@Suite("Public suites")
struct PublicSuiteTests {
    @Test(arguments: StoreKind.allCases)
    func currentSuiteIsNotFoundWithoutAnActiveSuite(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, id: 1, active: false)
        try await arena.test { client in
            let current = try await client.getJSON("/v1/public/suites/current")
            #expect(current.status == .notFound)
            #expect(current.json["error_code"]?.stringValue == "SUITE_NOT_FOUND")
            let top = try await client.getJSON("/v1/public/top")
            #expect(top.json["error_code"]?.stringValue == "SUITE_NOT_FOUND")
            let board = try await client.getJSON("/v1/public/leaderboard")
            #expect(board.json["error_code"]?.stringValue == "SUITE_NOT_FOUND")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listsPublicSuitesNewestFirstAndTheCurrentOne(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        try await Fixtures.suite(arena, id: 1, active: false)
        arena.clock.advance(seconds: 60)
        try await Fixtures.suite(arena, id: 2, active: true)
        arena.clock.advance(seconds: 60)
        try await Fixtures.suite(arena, id: 3, active: false)
        try await PublicFixtures.sql(arena, "UPDATE suites SET is_public = 0 WHERE suite_id = 3")
        try await arena.test { client in
            let list = try await client.getJSON("/v1/public/suites")
            #expect(list.status == .ok)
            #expect(list.json.arrayValue?.compactMap { $0["suite_id"]?.intValue } == [2, 1])
            #expect(list.json.arrayValue?.first == .object([("suite_id", .int(2)), ("suite_version", .int(2)), ("is_active", .bool(true))]))
            let current = try await client.getJSON("/v1/public/suites/current")
            #expect(current.json["suite_id"]?.intValue == 2)
            #expect(current.json["is_active"] == .bool(true))
            let hidden = try await client.getJSON("/v1/public/suites/3/problems")
            #expect(hidden.status == .notFound)
            #expect(hidden.json["error_code"]?.stringValue == "SUITE_NOT_FOUND")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func problemsLeaveOutHiddenOnesAndEmbeddingsUnlessAsked(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind)
        let suite = try await Fixtures.suite(arena, id: 7, problems: 3, hiddenProblems: 2)
        let first = suite.problemIDs[0]
        try await PublicFixtures.sql(
            arena, "UPDATE problems SET metadata = ? WHERE problem_id = ?",
            [.text(#"{"problem_id":"\#(first)","query":"q","reward_title_embeddings":[[0.5,0.25]]}"#), .text(first)])
        try await arena.test { client in
            let plain = try await client.getJSON("/v1/public/suites/7/problems")
            #expect(plain.status == .ok)
            #expect(plain.json["suite"]?["suite_id"]?.intValue == 7)
            let problems = plain.json["problems"]?.arrayValue ?? []
            #expect(problems.compactMap { $0["problem_id"]?.stringValue } == suite.problemIDs)
            #expect(problems.first?["suite_id"]?.intValue == 7)
            #expect(problems.first?["metadata"]?["query"]?.stringValue == "q")
            #expect(problems.first?["metadata"]?["reward_title_embeddings"] == nil)

            let full = try await client.getJSON("/v1/public/suites/7/problems?include_embeddings=true")
            let embeddings = full.json["problems"]?.arrayValue?.first?["metadata"]?["reward_title_embeddings"]
            #expect(embeddings == .array([.array([.double(0.5), .double(0.25)])]))
            #expect(full.json["problems"]?.arrayValue?.count == 3)

            #expect(try await client.getJSON("/v1/public/suites/99/problems").json["error_code"]?.stringValue == "SUITE_NOT_FOUND")
            let badID = try await client.getJSON("/v1/public/suites/seven/problems")
            #expect(badID.status == .unprocessableContent)
            #expect(badID.json["detail"]?.arrayValue?.first?["loc"] == .array(["path", "suite_id"]))
            let badFlag = try await client.getJSON("/v1/public/suites/7/problems?include_embeddings=maybe")
            #expect(badFlag.status == .unprocessableContent)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func inferenceModelsAndWaitlist(kind: StoreKind) async throws {
        let arena = try await TestArena.make(kind) { $0.inferenceModels = ["m/one", "m/two"] }
        try await arena.test { client in
            let models = try await client.getJSON("/v1/public/inference/models")
            #expect(models.json == .object([("models", .array([.string("m/one"), .string("m/two")]))]))
            let joined = try await client.postJSON("/v1/public/waitlist", .object([("email", .string("a@b.example"))]))
            #expect(joined.status == .ok)
            #expect(joined.json == .object([("success", .bool(true))]))
            let missing = try await client.postJSON("/v1/public/waitlist", .object([("source", .string("landing"))]))
            #expect(missing.status == .unprocessableContent)
            #expect(missing.json["detail"]?.arrayValue?.first?["loc"] == .array(["body", "email"]))
        }
    }
}
