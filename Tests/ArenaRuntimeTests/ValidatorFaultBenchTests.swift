@testable import ArenaRuntime
import Foundation
import Testing
import TestSupport
import Validator

/// Issue 19's crash invariants, small: validator processes SIGKILLed at every fault point (two at each) over a
/// SQLite arena, then drained; nothing is lost, counted twice, duplicated or left running.
@Suite("Validator fault bench", .serialized)
struct ValidatorFaultBenchTests {
    // Twelve validators SIGKILLed, two at every point, then clean validators drain the arena: every invariant holds,
    // and no sandbox process or cgroup is left (issue 19: the launcher arms the parent-death signal before bubblewrap,
    // and each validator sweeps what dead ones left in the shared sandbox folder). `shoparena bench faults --crashes 12`.
    @Test
    func crashesAtEveryPointKeepTheInvariants() async throws {
        let root = SharedData.repositoryRoot()
        let binary = root.appendingPathComponent(".build/debug/shoparena")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "build the shoparena executable first (swift build --build-tests)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fault-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ValidatorFaultBench.Configuration(
            directory: directory, binary: binary, python: try SandboxPython.url(),
            runtime: root.appendingPathComponent("python"), agent: root.appendingPathComponent("examples/agents/baseline_agent.py"))
        configuration.crashes = 12
        configuration.parallel = 2
        configuration.versions = 8
        configuration.seed = 3
        configuration.drainSeconds = 240
        let result = try await ValidatorFaultBench(configuration: configuration, log: { _ in }).run()

        #expect(result.crashes + result.watchdogKills == 12)
        #expect(result.watchdogKills == 0)
        #expect(result.byPoint == Dictionary(uniqueKeysWithValues: FaultPoint.allCases.map { ($0.rawValue, 2) }))
        #expect(result.versionsTotal == 8)
        #expect(result.versionsFinal == 8)
        #expect(result.versionsByState == ["ELIGIBLE": 8])
        #expect(result.runsDoubleCounted == 0)
        #expect(result.missingProblems == 0)
        #expect(result.corpusDuplicates == 0)
        #expect(result.corpusMissing == 0)
        #expect(result.runsInFlight == 0)
        #expect(result.orphanProcesses == 0)
        #expect(result.orphanCgroups == 0)
        #expect(result.integrityOK, "\(result.integrityDetail)")
    }

    // What the bench counts as left running names its folder as a path: a process whose argument merely starts
    // like the folder (a sampler writing `<folder>.samples` beside it) is not the bench's.
    @Test func leftoversNameTheFolderAsAPath() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leftovers-\(UUID().uuidString)").path
        func start(_ argument: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "while :; do sleep 0.1; done", argument]
            try process.run()
            return process
        }
        let beside = try start(folder + ".samples")
        let inside = try start(folder + "/serve")
        let exact = try start(folder)
        defer { for process in [beside, inside, exact] { process.terminate(); process.waitUntilExit() } }
        let found = Set(HostLeftovers.processes(mentioning: folder))
        #expect(found == [inside.processIdentifier, exact.processIdentifier])
    }

    @Test func everyBlockOfSixCrashesCoversEveryPoint() {
        for seed: UInt64 in [1, 19, 12345] {
            for block in 0..<20 {
                let points = (0..<6).map { ValidatorFaultBench.point(crash: block * 6 + $0, seed: seed) }
                #expect(Set(points) == Set(FaultPoint.allCases))
            }
        }
        #expect((0..<12).map { ValidatorFaultBench.point(crash: $0, seed: 19) }
                == (0..<12).map { ValidatorFaultBench.point(crash: $0, seed: 19) })
    }
}
