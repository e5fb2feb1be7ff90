import ArenaModel
import ArenaRuntime
import ArgumentParser

/// `shoparena weights --backend URL --uids FILE.json [--mode top|race-top-half]`: prints the u16 weight
/// vector a validator would set right now, computed from the backend's public endpoints.
struct WeightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Print the u16 weight vector a validator would set.",
        discussion: """
            Mode top: GET /v1/public/top; the top miner's uid gets emission_weight (1.0 when absent), uid 0 the burn; a top hotkey missing from the \
            uid map sends everything to uid 0. Mode race-top-half: GET /v1/public/races/history?limit=5, the newest RACE_COMPLETE race, GET \
            /v1/public/races/{id}; the top half of its finishers (rank 1 exactly t_top of the total, linear tail, burn to uid 0). The uid map is the \
            subnet metagraph as the validator sees it; the backend does not know it (its /v1/public/validators lists validators, not miners' uids), \
            so pass it as a JSON file {"<hotkey>": <uid>, ...}. Prints {"mode", "source", "uids", "weights", ...} on stdout; exits with an error \
            when race-top-half finds no completed race or no finisher (a validator skips that tick).
            """)

    @Option(help: "Backend base URL, e.g. http://127.0.0.1:8080.") var backend: String
    @Option(help: "top or race-top-half.") var mode: ValidatorWeights.Mode = .top
    @Option(help: "JSON file mapping miner hotkeys to uids: {\"<hotkey>\": <uid>, ...}.") var uids: String
    @Option(help: "Number of neurons n (the vector covers uids 0..<n); default: largest uid + 1.") var neurons: Int?
    @Option(help: "race-top-half: share of rank 1.") var topShare: Double = 0.25
    @Option(help: "race-top-half: share of the burn plus the tail.") var burnShare: Double = 0.75

    func run() async throws {
        let weights = ValidatorWeights(backend: backend, uids: uids, mode: mode, neurons: neurons, topShare: topShare, burnShare: burnShare)
        printJSON(try await weights.run())
    }
}

extension ValidatorWeights.Mode: ExpressibleByArgument {}
