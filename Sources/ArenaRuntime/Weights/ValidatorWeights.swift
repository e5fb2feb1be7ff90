import ArenaClient
import ArenaModel
import Foundation

/// `shoparena weights`: the u16 weight vector a validator would set right now, from the backend's public endpoints
/// and the subnet's uid map (mode `top`: the top agent's miner; `race-top-half`: the newest completed race's top half).
public struct ValidatorWeights: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        case top
        case raceTopHalf = "race-top-half"
    }

    public var backend: String
    public var mode: Mode = .top
    /// JSON file mapping miner hotkeys to uids.
    public var uids: String
    /// Number of neurons n (the vector covers uids 0..<n); nil: largest uid + 1.
    public var neurons: Int?
    /// race-top-half: share of rank 1.
    public var topShare = 0.25
    /// race-top-half: share of the burn plus the tail.
    public var burnShare = 0.75

    public init(backend: String, uids: String, mode: Mode = .top, neurons: Int? = nil, topShare: Double = 0.25,
                burnShare: Double = 0.75) {
        self.backend = backend
        self.uids = uids
        self.mode = mode
        self.neurons = neurons
        self.topShare = topShare
        self.burnShare = burnShare
    }

    /// Reads the uid map and the backend's endpoints and returns `{"mode", "source", "uids", "weights", ...}`.
    public func run() async throws -> JSONValue {
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
        return output
    }

    private func loadRegistry() throws -> UIDRegistry {
        let text: String
        do {
            text = try String(contentsOfFile: uids, encoding: .utf8)
        } catch {
            throw WeightsError("The uid map \(uids) cannot be read: \(error.localizedDescription).")
        }
        do {
            return try UIDRegistry(json: try JSONParser.parse(text), neuronCount: neurons)
        } catch {
            throw WeightsError("The uid map \(uids) is not usable: \(error).")
        }
    }
}

/// A failure after the arguments were accepted (unreachable backend, odd response): printed without usage.
public struct WeightsError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
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
