import ArenaModel
import AsyncHTTPClient
import Backend
import Foundation
import Hummingbird
import Identity
import NIOHTTP1
import Store

/// Arena state for `bench backend`: registered validators, a suite with problems and many queued versions.
public enum BenchBackendSeed {
    public struct Seeded: Sendable { public var suiteID: Int64; public var problemIDs: [String] }

    public static func seed(services: BackendServices, validators: [String], problems: Int, items: Int) async throws -> Seeded {
        let now = services.now()
        for hotkey in validators { try await services.identities.register(hotkey, role: .validator, now: now) }
        let miner = "bench-miner-\(UUID().uuidString.prefix(8))"
        try await services.identities.register(miner, role: .miner, now: now)
        let sha = try await services.blobs.put(Array("def agent_main(problem):\n    return []\n".utf8))
        let problemIDs = (0..<problems).map { _ in UUIDText.random() }
        let seeding = LoadSeeding(database: services.database)
        let suiteID = try await seeding.suite(problemIDs: problemIDs, now: now)
        try await seeding.queuedVersions(count: items, minerHotkey: miner, suiteID: suiteID, codeSHA256: sha, now: now,
                                         makeID: { UUIDText.random() })
        return Seeded(suiteID: suiteID, problemIDs: problemIDs)
    }
}

/// The simulated validators of `bench backend` and their measurements.
public struct BenchBackendLoad: Sendable {
    let client: HTTPClient
    let base: String
    let problemIDs: [String]

    /// What the validator API should sustain on one node: requests/s over all endpoints, and p99 latency.
    public static let targetRequestsPerSecond = 2000.0
    public static let targetP99Milliseconds = 25.0

    public init(client: HTTPClient, base: String, problemIDs: [String]) {
        self.client = client
        self.base = base
        self.problemIDs = problemIDs
    }

    public struct Sample: Sendable { var endpoint: String; var milliseconds: Double; var status: Int }

    public struct Report: Sendable {
        var samples: [Sample]
        var elapsed: Double
        var failures: [String]

        public func json(database: String, validators: Int, seconds: Double, build: String) -> String {
            let byEndpoint = Dictionary(grouping: samples, by: \.endpoint)
            let order = ["claim", "heartbeat", "progress", "complete"]
            var endpoints: [(String, JSONValue)] = []
            for name in order {
                guard let list = byEndpoint[name] else { continue }
                let sorted = list.map(\.milliseconds).sorted()
                let statuses = Dictionary(grouping: list, by: \.status).sorted { $0.key < $1.key }
                endpoints.append((name, .object([
                    ("requests", .int(Int64(list.count))),
                    ("requests_per_second", .double(Self.round(Double(list.count) / elapsed))),
                    ("p50_ms", .double(Self.round(Self.percentile(sorted, 0.50)))),
                    ("p99_ms", .double(Self.round(Self.percentile(sorted, 0.99)))),
                    ("statuses", .object(statuses.map { (String($0.key), JSONValue.int(Int64($0.value.count))) })),
                ])))
            }
            let all = samples.map(\.milliseconds).sorted()
            let rate = Double(samples.count) / elapsed
            let p99 = Self.percentile(all, 0.99)
            let value: JSONValue = .object([
                ("benchmark", "backend"),
                ("database", .string(database)),
                ("validators", .int(Int64(validators))),
                ("seconds", .double(Self.round(elapsed))),
                ("requests", .int(Int64(samples.count))),
                ("requests_per_second", .double(Self.round(rate))),
                ("p50_ms", .double(Self.round(Self.percentile(all, 0.50)))),
                ("p99_ms", .double(Self.round(p99))),
                ("endpoints", .object(endpoints)),
                ("errors", .array(failures.prefix(5).map { JSONValue.string($0) })),
                ("error_count", .int(Int64(failures.count))),
                ("target", .object([("requests_per_second", .double(BenchBackendLoad.targetRequestsPerSecond)),
                                    ("p99_ms", .double(BenchBackendLoad.targetP99Milliseconds))])),
                ("meets_target", .bool(rate >= BenchBackendLoad.targetRequestsPerSecond && p99 < BenchBackendLoad.targetP99Milliseconds)),
                ("build", .string(build)),
                ("cores", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
            ])
            return JSONWriter(style: .python).string(value)
        }

        static func percentile(_ sorted: [Double], _ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((Double(sorted.count) * p).rounded(.up)) - 1
            return sorted[max(0, min(sorted.count - 1, rank))]
        }

        static func round(_ v: Double) -> Double { (v * 100).rounded() / 100 }
    }

    /// Runs every validator's loop for `seconds` and gathers the samples.
    ///
    /// With `presigned` > 0 each validator signs that many header sets before the clock starts (validators are
    /// separate machines in production, so their signing is not the server's cost); it signs on the fly once
    /// they run out.
    public func run(signers: [RequestSigner], seconds: Double, presigned: Int = 0) async throws -> Report {
        let now = Int64(Date().timeIntervalSince1970)
        let pools = signers.map { signer in (0..<presigned).map { _ in signer.headers(timestamp: now).fields } }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        let results = try await withThrowingTaskGroup(of: ([Sample], [String]).self) { group in
            for (index, signer) in signers.enumerated() {
                let pool = pools[index]
                group.addTask { try await validatorLoop(signer: signer, offset: index, deadline: deadline, presigned: pool) }
            }
            var samples: [Sample] = []
            var failures: [String] = []
            for try await (s, f) in group { samples += s; failures += f }
            return (samples, failures)
        }
        let elapsed = clock.now - start
        return Report(samples: results.0,
                      elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      failures: results.1)
    }

    func validatorLoop(signer: RequestSigner, offset: Int, deadline: ContinuousClock.Instant,
                       presigned: [[(name: String, value: String)]]) async throws -> ([Sample], [String]) {
        let clock = ContinuousClock()
        var samples: [Sample] = []
        var failures: [String] = []
        var problem = offset
        var nextPresigned = 0
        func call(_ endpoint: String, _ path: String, _ body: String) async throws -> (Int, String) {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            let fields: [(name: String, value: String)]
            if nextPresigned < presigned.count {
                fields = presigned[nextPresigned]
                nextPresigned += 1
            } else {
                fields = signer.headers(timestamp: Int64(Date().timeIntervalSince1970)).fields
            }
            for (name, value) in fields { request.headers.add(name: name, value: value) }
            request.body = .bytes(Array(body.utf8))
            let t0 = clock.now
            let response = try await client.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            let elapsed = clock.now - t0
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            let status = Int(response.status.code)
            samples.append(Sample(endpoint: endpoint, milliseconds: ms, status: status))
            let text = String(buffer: buffer)
            if status >= 400 { failures.append("\(endpoint) \(status): \(text.prefix(200))") }
            return (status, text)
        }
        while clock.now < deadline {
            let (status, text) = try await call("claim", "/v1/validator/work/claim", #"{"service_versions":{"validator":"bench"}}"#)
            guard status == 200, let runID = (try? JSONParser.parse(text))?["eval_run_id"]?.stringValue else {
                if status == 204 { try await Task.sleep(for: .milliseconds(50)) }
                continue
            }
            for _ in 0..<2 where clock.now < deadline {
                _ = try await call("heartbeat", "/v1/validator/evaluation-runs/\(runID)/heartbeat", "{}")
                let id = problemIDs[problem % problemIDs.count]
                problem += 1
                _ = try await call("progress", "/v1/validator/evaluation-runs/\(runID)/progress",
                                   #"{"problems":[{"problem_id":"\#(id)","status":"SUCCESS","score":1.0,"reasoning_score":0.8,"execution_time":3.5}]}"#)
            }
            _ = try await call("complete", "/v1/validator/evaluation-runs/\(runID)/complete",
                               #"{"terminal_status":"SUCCESS","validator_score":0.5,"score_components":{"reasoning_coefficient":0.9}}"#)
        }
        return (samples, failures)
    }
}
