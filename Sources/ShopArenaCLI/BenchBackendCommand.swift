import ArenaRuntime
import ArgumentParser

/// `shoparena bench backend`: the real backend on 127.0.0.1 (real HTTP, signed requests) and N simulated
/// validators looping claim → heartbeat → progress → heartbeat → progress → complete; prints requests/s and
/// p50/p99 latency per endpoint as JSON.
struct BenchBackendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend",
        abstract: "Benchmark the validator API over HTTP with N simulated validators; prints JSON.",
        discussion: "--database sqlite (a temporary file) or a postgres://user@host:port/db URL of an EMPTY database "
            + "(tables are created; older open work items would be claimed first and their problems differ). "
            + "Validators sign --presign header sets before the clock starts (separate machines in production). Build with -c release for real numbers.")

    @Option(name: .long, help: "Simulated validators (concurrent clients).") var validators: Int = 16
    @Option(name: .long, help: "Seconds of load.") var seconds: Double = 10
    @Option(name: .long, help: "sqlite, or a PostgreSQL URL.") var database: String = "sqlite"
    @Option(name: .long, help: "Problems per run (progress reports one per call, cycling).") var problems: Int = 30
    @Option(name: .long, help: "Signed header sets each validator prepares before the clock starts (0: sign every request in the timed loop, in this process).")
    var presign: Int = 2_000

    func run() async throws {
        guard validators > 0, seconds > 0, problems > 0 else { throw ValidationError("--validators, --seconds, --problems must be positive") }
        guard database == "sqlite" || ArenaStore.isPostgres(database) else {
            throw ValidationError("--database must be sqlite or a postgres:// URL")
        }
        print(try await BenchBackend(validators: validators, seconds: seconds, database: database, problems: problems, presign: presign).run())
    }
}
