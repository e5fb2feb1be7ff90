import ArenaRuntime
import ArgumentParser

/// `shoparena bench identity`: sr25519 verifications per second, Swift vs py-sr25519-bindings, one core.
struct BenchIdentityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Benchmark sr25519 verification (Swift/libsodium vs py-sr25519-bindings); prints JSON.",
        discussion: "Both sides verify the same signed-request messages on one thread. Build with -c release.")

    @Option(name: .long, help: "Distinct key/message/signature triples.") var messages: Int = 256
    @Option(name: .long, help: "Minimum seconds each side spends verifying.") var seconds: Double = 3
    @Option(name: .long, help: "Python interpreter with py-sr25519-bindings installed.") var python: String = "python3"

    func run() async throws {
        guard messages > 0, seconds > 0 else { throw ValidationError("--messages and --seconds must be positive") }
        print(try await BenchIdentity(messages: messages, seconds: seconds, python: python).run())
    }
}
