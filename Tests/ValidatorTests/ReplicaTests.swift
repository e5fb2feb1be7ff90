import ArenaClient
import ArenaModel
import ArenaRuntime
import AsyncHTTPClient
import Backend
import Foundation
import Logging
import NIOHTTP1
import Store
import Testing
import Validator

/// Two `serve` replicas on one PostgreSQL (issue 19): a submission through one is claimed, downloaded and
/// completed through the other, its logs readable through either; and a replica that dies mid-run leaves the
/// validator (configured with both URLs) to finish through the other.
@Suite("Replicas", .serialized)
struct ReplicaTests {
    @Test func aSubmissionThroughOneReplicaIsEvaluatedThroughTheOtherAndReadBackThroughTheFirst() async throws {
        let arena = try await ReplicaArena.make()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let (versionID, code) = try await arena.submit(through: arena.a)
            let client = BackendClient(baseURL: arena.b.baseURL, signer: try await arena.validatorSigner(), http: http)
            let run = try #require(try await client.claim(serviceVersions: ["validator": "replica-test"]))
            #expect(run.agentVersionID == versionID)
            #expect(run.codeDownloadURL.hasPrefix(arena.b.baseURL + "/"))
            // Stored by replica A, served by replica B: the code is in PostgreSQL, not in A's data folder.
            #expect(try await client.download(run.codeDownloadURL) == code)
            let problems = try await client.problems(run: run.evalRunID)
            #expect(problems.count == 3)
            #expect(try await client.heartbeat(run: run.evalRunID, serviceVersions: [:]) != nil)
            let logs = try await arena.reportProblems(client, run: run, problems: problems)
            _ = try await client.complete(run: run.evalRunID, body: ReplicaArena.success)

            let a = ArenaClient(baseURL: arena.a.baseURL, http: http)
            let status = try await a.call(.GET, "/v1/public/agent-versions/\(versionID)/status")
            #expect(status?["state"]?.stringValue == "ELIGIBLE")
            let publicRun = try await a.call(.GET, "/v1/public/evaluation-runs/\(run.evalRunID)")
            #expect(publicRun?["status"]?.stringValue == "SUCCESS")
            #expect(try await arena.a.services.publicQueries.run(run.evalRunID)?.validatorScore == 0.75)
            // Logs uploaded through B are downloadable through A.
            for problem in problems {
                let served = try await arena.publicLog(through: arena.a, versionID: versionID, runID: run.evalRunID,
                                                       problemID: problem.problemID, http: http)
                #expect(served == logs[problem.problemID])
            }
        } catch {
            try? await http.shutdown()
            await arena.stop()
            throw error
        }
        try await http.shutdown()
        await arena.stop()
    }

    @Test func aReplicaStoppedAfterTheClaimIsFailedOverToTheOther() async throws {
        let arena = try await ReplicaArena.make()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let (versionID, code) = try await arena.submit(through: arena.a)
            let endpoints = BackendEndpoints([arena.a.baseURL, arena.b.baseURL])
            let client = BackendClient(endpoints: endpoints, signer: try await arena.validatorSigner(), http: http)
            let run = try #require(try await client.claim(serviceVersions: [:]))
            #expect(run.codeDownloadURL.hasPrefix(arena.a.baseURL + "/"))
            #expect(endpoints.active == arena.a.baseURL)

            await arena.a.stop()
            // A's download URL is retried on B; B stays in use for the rest of the run.
            #expect(try await client.download(run.codeDownloadURL) == code)
            #expect(endpoints.active == arena.b.baseURL)
            let problems = try await client.problems(run: run.evalRunID)
            #expect(try await client.heartbeat(run: run.evalRunID, serviceVersions: [:]) != nil)
            let logs = try await arena.reportProblems(client, run: run, problems: problems)
            _ = try await client.complete(run: run.evalRunID, body: ReplicaArena.success)
            #expect(endpoints.active == arena.b.baseURL)

            let b = ArenaClient(baseURL: arena.b.baseURL, http: http)
            #expect(try await b.call(.GET, "/v1/public/agent-versions/\(versionID)/status")?["state"]?.stringValue == "ELIGIBLE")
            #expect(try await b.call(.GET, "/v1/public/evaluation-runs/\(run.evalRunID)")?["status"]?.stringValue == "SUCCESS")
            for problem in problems {
                let served = try await arena.publicLog(through: arena.b, versionID: versionID, runID: run.evalRunID,
                                                       problemID: problem.problemID, http: http)
                #expect(served == logs[problem.problemID])
            }
        } catch {
            try? await http.shutdown()
            await arena.stop()
            throw error
        }
        try await http.shutdown()
        await arena.stop()
    }

    @Test func theValidatorDaemonFinishesARunThroughTheOtherReplicaWhenOneDiesMidRun() async throws {
        let arena = try await ReplicaArena.make(aDiesAfterClaim: true)
        do {
            // Submitted through B (A's kill switch arms only on a claim).
            let (versionID, _) = try await arena.submit(through: arena.b)
            var logger = Logger(label: "replica-daemon")
            logger.logLevel = .warning
            let daemon = try await arena.daemon(urls: [arena.a.baseURL, arena.b.baseURL], logger: logger)
            let loop = Task { await daemon.loop() }
            let b = ArenaClient(baseURL: arena.b.baseURL)
            let eligible = try await ValidatorHarness.waitUntil(seconds: 300) {
                (try? await b.call(.GET, "/v1/public/agent-versions/\(versionID)/status"))?["state"]?.stringValue == "ELIGIBLE"
            }
            loop.cancel()
            await loop.value
            #expect(eligible)
            // A answered the claim and died on the next request; everything after went through B.
            #expect(arena.a.tripwire?.tripped == true)
            #expect(daemon.endpoints.active == arena.b.baseURL)
            let runs = try await arena.b.services.database.read { db in
                try await db.query("SELECT status, failure_reason FROM evaluation_runs WHERE agent_version_id = ?", [.text(versionID)])
            }
            #expect(runs.count == 1)
            #expect(runs.first?.optionalString("status") == "SUCCESS", "run: \(runs)")
            let logged = try await arena.b.services.database.read { db in
                try await db.scalarInt("SELECT COUNT(*) FROM run_problems rp JOIN evaluation_runs r ON r.eval_run_id = rp.eval_run_id "
                                       + "WHERE r.agent_version_id = ? AND rp.logs_s3_key IS NOT NULL", [.text(versionID)])
            }
            #expect(logged == 3)
        } catch {
            await arena.stop()
            throw error
        }
        await arena.stop()
    }
}
