import ArenaRuntime
import ArgumentParser
import Foundation

/// `shoparena bench faults`: validators SIGKILLed at every point of their work over a long-running arena, then the
/// invariants checked (issue 19). Parsing and printing only; the driver is `ValidatorFaultBench`.
struct BenchFaultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "Kill validators with SIGKILL at random points (seeded) and check the arena's invariants; prints JSON.",
        discussion: """
            Starts `shoparena serve` (SQLite in the working folder, or --database-url: an EMPTY PostgreSQL database) \
            with a short lease, and runs --crashes validator processes, --parallel at a time, each killing itself at a \
            seeded point (SHOPARENA_FAULT_POINT). Clean validators then finish every agent version and the store is audited.
            """)

    @Option(help: "Validator crashes to inject.") var crashes: Int = 1_000
    @Option(help: "Validator processes at once.") var parallel: Int = 4
    @Option(help: "Agent versions submitted (default: crashes / 4 + 2).") var versions: Int?
    @Option(help: "Problems in the suite.") var problems: Int = 3
    @Option(help: "Lease of a claim, seconds (the serve setting).") var leaseSeconds: Double = 2
    @Option(help: "Seed of the crash points and delays.") var seed: UInt64 = 19
    @Option(help: "A postgres:// URL of an empty database (default: SQLite in the working folder).") var databaseURL: String?
    @Option(help: "Instead of validator crashes: SIGKILL `serve` this many times during a stream of writes and check that every acknowledged write survived.")
    var backendKills: Int = 0
    @Option(help: "Agent file.") var agent: String = "examples/agents/baseline_agent.py"
    @Option(help: "Working folder (default: a temporary one, removed afterwards).") var dir: String?
    @OptionGroup var sandbox: SandboxOptions

    func run() async throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let directory = BenchWorkingFolder.resolve(dir, cwd: cwd, name: "bench-faults")
        defer { if dir == nil { try? FileManager.default.removeItem(at: directory) } }
        let agent = URL(fileURLWithPath: agent, relativeTo: cwd).standardizedFileURL
        if backendKills > 0 {
            var kill = BackendKillBench.Configuration(
                directory: directory, binary: BenchWorkingFolder.currentBinary, runtime: try sandbox.checkedRuntimeURL(cwd: cwd), agent: agent)
            kill.kills = backendKills
            kill.seed = seed
            kill.databaseURL = databaseURL
            kill.python = try sandbox.pythonURL(cwd: cwd)
            printJSON(try await BackendKillBench(configuration: kill, log: { printError("bench faults: \($0)") }).run().json)
            return
        }
        let configuration = ValidatorFaultBench.Configuration(
            directory: directory, binary: BenchWorkingFolder.currentBinary, python: try sandbox.pythonURL(cwd: cwd),
            runtime: try sandbox.checkedRuntimeURL(cwd: cwd), agent: agent, insecure: sandbox.insecure, crashes: crashes,
            parallel: parallel, versions: versions, problems: problems, seed: seed, leaseSeconds: leaseSeconds, databaseURL: databaseURL)
        printJSON(try await ValidatorFaultBench(configuration: configuration, log: { printError("bench faults: \($0)") }).run().json)
    }
}
