import ArenaClient
import ArenaModel
import ArgumentParser
import Foundation

/// `shoparena weights --backend URL --uids FILE.json [--mode top|race-top-half]`: prints the u16 weight
/// vector a validator would set right now, computed from the backend's public endpoints.
struct WeightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Print the u16 weight vector a validator would set.",
        discussion: """
            Mode top: GET /v1/public/top; the top miner's uid gets emission_weight (1.0 when absent), uid 0 \
            the burn; a top hotkey missing from the uid map sends everything to uid 0. Mode race-top-half: \
            GET /v1/public/races/history?limit=5, the newest RACE_COMPLETE race, GET /v1/public/races/{id}; \
            the top half of its finishers (rank 1 exactly t_top of the total, linear tail, burn to uid 0). \
            The uid map is the subnet metagraph as the validator sees it; the backend does not know it (its \
            /v1/public/validators lists validators, not miners' uids), so pass it as a JSON file \
            {"<hotkey>": <uid>, ...}. Prints {"mode", "source", "uids", "weights", ...} on stdout; exits \
            with an error when race-top-half finds no completed race or no finisher (a validator skips that \
            tick).
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case top
        case raceTopHalf = "race-top-half"
    }

    @Option(help: "Backend base URL, e.g. http://127.0.0.1:8080.")
    var backend: String

    @Option(help: "top or race-top-half.")
    var mode: Mode = .top

    @Option(help: "JSON file mapping miner hotkeys to uids: {\"<hotkey>\": <uid>, ...}.")
    var uids: String

    @Option(help: "Number of neurons n (the vector covers uids 0..<n); default: largest uid + 1.")
    var neurons: Int?

    @Option(help: "race-top-half: share of rank 1.")
    var topShare: Double = 0.25

    @Option(help: "race-top-half: share of the burn plus the tail.")
    var burnShare: Double = 0.75

    func run() async throws {
        let registry = try loadRegistry()
        let client = BackendReader(base: backend)
        let output: JSONValue
        switch mode {
        case .top:
            let top = try WeightSources.topAgent(try await client.get("/v1/public/top"))
            let vector = TopAgentWeights.vector(
                topHotkey: top.hotkey, emissionWeight: top.emissionWeight, registry: registry)
            output = [
                "mode": "top",
                "source": [
                    "top_miner_hotkey": top.hotkey.map { .string($0) } ?? .null,
                    "emission_weight": top.emissionWeight.map { .double($0) } ?? .null,
                ],
                "uids": vector.jsonValue["uids"]!, "weights": vector.jsonValue["weights"]!,
            ]
        case .raceTopHalf:
            let history = try await client.get("/v1/public/races/history?limit=5")
            guard let raceID = try WeightSources.latestCompletedRaceID(history) else {
                throw WeightsError("No RACE_COMPLETE race among the last 5 races: a validator skips this tick.")
            }
            let detail = try await client.get("/v1/public/races/\(raceID)")
            let finishers = try WeightSources.finishers(detail)
            let policy = RaceTopHalfWeights(topShare: topShare, burnShare: burnShare)
            guard let result = try policy.compute(finishers: finishers, registry: registry) else {
                throw WeightsError("Race \(raceID) has no finisher with a race_score: a validator skips this tick.")
            }
            output = [
                "mode": "race-top-half",
                "source": [
                    "race_id": .string(raceID),
                    "race_number": detail["race"]?["race_number"] ?? .null,
                    "finishers": .int(Int64(finishers.count)),
                ],
                "k": .int(Int64(result.k)), "top": .int(Int64(result.top)), "burn": .int(Int64(result.burn)),
                "tail": .int(Int64(result.tail)),
                "dropped_hotkeys": .array(result.droppedHotkeys.map { .string($0) }),
                "uids": result.vector.jsonValue["uids"]!, "weights": result.vector.jsonValue["weights"]!,
            ]
        }
        print(JSONWriter().string(output))
    }

    private func loadRegistry() throws -> UIDRegistry {
        let text: String
        do {
            text = try String(contentsOfFile: uids, encoding: .utf8)
        } catch {
            throw ValidationError("The uid map \(uids) cannot be read: \(error.localizedDescription).")
        }
        do {
            return try UIDRegistry(json: try JSONParser.parse(text), neuronCount: neurons)
        } catch {
            throw ValidationError("The uid map \(uids) is not usable: \(error).")
        }
    }
}

/// A failure after the arguments were accepted (unreachable backend, odd response): printed without usage.
struct WeightsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// GETs JSON from the backend's public endpoints (unsigned, the shared `ArenaClient`) with a short timeout.
private struct BackendReader {
    let client: ArenaClient

    init(base: String) { client = ArenaClient(baseURL: base) }

    func get(_ path: String) async throws -> JSONValue {
        let url = client.baseURL + path
        do {
            return try await client.getJSON(path)
        } catch {
            switch error {
            case .connection(let why): throw WeightsError("GET \(url) failed (\(why)); check --backend.")
            case .http(let status, _, let detail): throw WeightsError("GET \(url) answered HTTP \(status): \(detail)")
            case .badResponse(let why): throw WeightsError("GET \(url) did not return JSON: \(why)")
            }
        }
    }
}
