import ArenaModel
import Backend
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Store
import ShopArenaTesting

/// A backend on a fresh database of either kind with a manual clock, and a validator played by hand over the real
/// HTTP routes (claim, presign + PUT, progress, complete), for the corpus ingest tests.
struct IngestArena: Sendable {
    let services: BackendServices
    let clock: ManualClock

    static func make(_ kind: StoreKind) async throws -> IngestArena {
        let clock = ManualClock()
        let database = try await TestDatabases.make(kind, now: clock.nowMillis())
        var settings = BackendSettings()
        settings.publicBaseURL = "http://127.0.0.1:8080"
        let services = BackendServices(database: database, blobs: try TestDatabases.blobs(), clock: clock, settings: settings)
        return IngestArena(services: services, clock: clock)
    }

    var router: Router<ArenaRequestContext> { BackendApplication.makeRouter(services: services) }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: router)
        do {
            try await app.test(.router) { client in try await body(client) }
        } catch {
            await services.database.close()
            throw error
        }
        await services.database.close()
    }

    func hotkey(_ role: Role) async throws -> Key {
        let key = Key()
        try await services.identities.register(key.address, role: role, now: clock.nowMillis())
        return key
    }

    /// A suite (id 1) with `problems` public product problems and `hidden` hidden ones; returns both id lists.
    func suite(problems: Int, hidden: Int = 0) async throws -> (visible: [String], hidden: [String]) {
        let now = clock.nowMillis()
        let ids = (0..<(problems + hidden)).map { _ in UUID().uuidString.lowercased() }
        try await services.database.transaction { db in
            try await db.execute(
                "INSERT INTO suites (suite_id, suite_version, is_active, is_public, source_uri, problem_count, created_at) VALUES (1, 3, 1, 1, 'fixture', ?, ?)",
                [.int(Int64(problems)), .int(now)])
            for (index, id) in ids.enumerated() {
                let metadata = #"{"problem_id":"\#(id)","query":"red running shoes \#(index)","category":"Product","reward":[{"product_id":"101"}]}"#
                try await db.execute(
                    "INSERT INTO problems (suite_id, problem_id, position, category, is_hidden, metadata) VALUES (1, ?, ?, 'Product', ?, ?)",
                    [.text(id), .int(Int64(index)), .bool(index >= problems), .text(metadata)])
            }
        }
        return (Array(ids.prefix(problems)), Array(ids.dropFirst(problems)))
    }

    /// A queued agent version named `name` of `miner` (QUALIFYING, or RACE over `raceProblems` in race `raceID`).
    func version(miner: String, name: String, required: Int = 1, raceID: String? = nil, raceProblems: [String] = [])
        async throws -> String
    {
        let now = clock.nowMillis()
        let sha = try await services.blobs.put(Array("def agent_main(p):\n    return []\n".utf8))
        let agentID = UUID().uuidString.lowercased()
        let versionID = UUID().uuidString.lowercased()
        try await services.database.transaction { db in
            try await db.execute("INSERT INTO agents (agent_id, miner_hotkey, agent_name, created_at) VALUES (?, ?, ?, ?)",
                                 [.text(agentID), .text(miner), .text(name), .int(now)])
            try await db.execute(
                """
                INSERT INTO agent_versions (agent_version_id, agent_id, miner_hotkey, version_number, submitted_at, suite_id,
                    code_sha256, code_size, state) VALUES (?, ?, ?, 1, ?, 1, ?, 10, 'QUEUED')
                """, [.text(versionID), .text(agentID), .text(miner), .int(now), .text(sha)])
            for (i, problem) in raceProblems.enumerated() {
                try await db.execute("INSERT INTO race_problems (race_id, problem_id, position) VALUES (?, ?, ?)",
                                     [.optional(raceID), .text(problem), .int(Int64(i))])
            }
            _ = try await WorkItems.enqueue(in: db, workItemID: UUID().uuidString.lowercased(), agentVersionID: versionID, suiteID: 1,
                                            phase: raceID == nil ? .qualifying : .race, raceID: raceID, raceNumber: raceID == nil ? nil : 1,
                                            requiredSuccesses: required, now: now)
        }
        return versionID
    }
}

/// A hotkey that signs requests as oro-sdk does.
struct Key: Sendable {
    let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
    var address: String { signer.hotkey }

    func headers(_ clock: ManualClock, json: Bool = false) -> HTTPFields {
        var fields = HTTPFields()
        if json { fields[.contentType] = "application/json" }
        for (name, value) in signer.headers(timestamp: clock.nowMillis() / 1000).fields { fields[HTTPField.Name(name)!] = value }
        return fields
    }
}

/// A validator played by hand over the HTTP API.
struct HandValidator: Sendable {
    let key: Key
    let clock: ManualClock
    let client: any TestClientProtocol

    struct Failure: Error, CustomStringConvertible { var description: String }

    func call(_ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue? = nil) async throws -> (HTTPResponse.Status, JSONValue?) {
        try await client.execute(uri: uri, method: method, headers: key.headers(clock, json: body != nil),
                                 body: body.map { ByteBuffer(string: JSONWriter().string($0)) }) { response in
            (response.status, try? JSONParser.parse(String(buffer: response.body)))
        }
    }

    /// Claims a run; its id.
    func claim() async throws -> String {
        let (status, json) = try await call(.post, "/v1/validator/work/claim", .object([("service_versions", .object([("validator", "hand/1")]))]))
        guard status == .ok, let id = json?["eval_run_id"]?.stringValue else { throw Failure(description: "claim answered \(status)") }
        return id
    }

    /// Presigns an upload of `problem`'s log and never PUTs it (a validator killed mid-upload).
    func presignOnly(run: String, problem: String) async throws {
        let (status, _) = try await call(.post, "/v1/validator/uploads/presign", .object([
            ("eval_run_id", .string(run)), ("problem_id", .string(problem)), ("content_length", 1_000), ("content_type", "application/gzip"),
        ]))
        guard status == .ok else { throw Failure(description: "presign answered \(status)") }
    }

    /// Presigns and PUTs `envelope` (gzip) as the log of `problem`; returns the object key.
    func upload(run: String, problem: String, envelope: Envelope) async throws -> String {
        let bytes = GzipFixture.stored(Array(envelope.jsonLine.utf8))
        let (status, json) = try await call(.post, "/v1/validator/uploads/presign", .object([
            ("eval_run_id", .string(run)), ("problem_id", .string(problem)), ("content_length", .int(Int64(bytes.count))),
            ("content_type", "application/gzip"),
        ]))
        guard status == .ok, let url = json?["upload_url"]?.stringValue, let key = json?["results_s3_key"]?.stringValue,
            let path = url.range(of: "/v1/uploads/").map({ String(url[$0.lowerBound...]) })
        else { throw Failure(description: "presign answered \(status)") }
        let put = try await client.execute(uri: path, method: .put, headers: [.contentType: "application/gzip"],
                                           body: ByteBuffer(bytes: bytes)) { $0.status }
        guard put == .ok || put == .noContent || put == .created else { throw Failure(description: "PUT answered \(put)") }
        return key
    }

    func progress(run: String, _ entries: [JSONValue]) async throws {
        let (status, _) = try await call(.post, "/v1/validator/evaluation-runs/\(run)/progress", .object([("problems", .array(entries))]))
        guard status == .ok else { throw Failure(description: "progress answered \(status)") }
    }

    func complete(run: String, score: Double = 0.5) async throws -> (HTTPResponse.Status, JSONValue?) {
        try await call(.post, "/v1/validator/evaluation-runs/\(run)/complete", .object([
            ("terminal_status", "SUCCESS"), ("validator_score", .double(score)),
            ("score_components", .object([("reasoning_quality", 0.9), ("reasoning_coefficient", 1.0)])),
        ]))
    }
}

enum GzipFixture {
    /// A gzip member of stored blocks (what ShopArena's validator uploads).
    static func stored(_ bytes: [UInt8]) -> [UInt8] { GzipReaderTests.stored(bytes) }
}
