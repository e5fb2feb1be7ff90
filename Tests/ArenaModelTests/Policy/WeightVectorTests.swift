import Testing

@testable import ArenaModel

@Suite("Weight vectors: top and race-top-half")
struct WeightVectorTests {
    /// N finishers with distinct scores, given in reverse rank order; finisher r (rank r) has hotkey
    /// "hk<r>" at uid r. uid 0 is the subnet owner (the burn).
    static func race(_ n: Int) -> (finishers: [WeightFinisher], registry: UIDRegistry) {
        let finishers = (1...n).reversed().map { r in
            WeightFinisher(hotkey: "hk\(r)", raceScore: 1 - Double(r) / 1000, agentVersionID: "v\(1000 - r)")
        }
        let registry = try! UIDRegistry(uids: Dictionary(uniqueKeysWithValues: (1...n).map { ("hk\($0)", $0) }))
        return (finishers, registry)
    }

    func compute(_ n: Int) throws -> RaceTopHalfWeights.Result {
        let (finishers, registry) = Self.race(n)
        return try #require(try RaceTopHalfWeights.default.compute(finishers: finishers, registry: registry))
    }

    @Test func oneFinisherAllBurn() throws {
        let r = try compute(1)
        #expect(r.k == 0)
        #expect(r.vector.weights == [65_535, 0])  // K = 0: uid 0 gets 65535, the lone finisher nothing
    }

    @Test(arguments: [2, 3])
    func twoOrThreeFinishersTopOnly(n: Int) throws {
        // K = 1: no tail; total = 65535 / 0.75 = 87380; top = 0.25 · 87380 = 21845.
        let r = try compute(n)
        #expect(r.k == 1 && r.tail == 0 && r.top == 21_845 && r.burn == 65_535)
        var expected = [UInt16](repeating: 0, count: n + 1)
        expected[0] = 65_535
        expected[1] = 21_845
        #expect(r.vector.weights == expected)
    }

    @Test func thirtyFinishers() throws {
        // K = 15, tail 14 + … + 1 = 105, total (65535 + 105) / 0.75 = 87520, top 21880 = exactly 25 %.
        let r = try compute(30)
        #expect(r.k == 15 && r.tail == 105 && r.top == 21_880 && r.burn == 65_535)
        var expected = [UInt16](repeating: 0, count: 31)
        expected[0] = 65_535
        expected[1] = 21_880
        for rank in 2...15 { expected[rank] = UInt16(16 - rank) }  // 14 … 1
        #expect(r.vector.weights == expected)
        #expect(Double(r.top) / Double(r.top + r.burn + r.tail) == 0.25)
    }

    @Test func hundredFinishers() throws {
        // K = 50, tail 49 + … + 1 = 1225, total (65535 + 1225) / 0.75 = 89013.33, top round(22253.33) = 22253.
        let r = try compute(100)
        #expect(r.k == 50 && r.tail == 1225 && r.top == 22_253)
        var expected = [UInt16](repeating: 0, count: 101)
        expected[0] = 65_535
        expected[1] = 22_253
        for rank in 2...50 { expected[rank] = UInt16(51 - rank) }  // 49 … 1
        #expect(r.vector.weights == expected)
    }

    @Test func topMinerMissingFromTheRegistryLeavesOnlyTheBurn() throws {
        let (finishers, _) = Self.race(30)
        let registry = try UIDRegistry(uids: Dictionary(uniqueKeysWithValues: (2...30).map { ("hk\($0)", $0) }), neuronCount: 31)
        let r = try #require(try RaceTopHalfWeights.default.compute(finishers: finishers, registry: registry))
        var expected = [UInt16](repeating: 0, count: 31)
        expected[0] = 65_535
        #expect(r.vector.weights == expected)
        #expect(r.droppedHotkeys == ["hk1"])
    }

    @Test func tailMinerMissingIsDroppedAndTheTailRecomputed() throws {
        let (finishers, _) = Self.race(30)
        // Rank 2 (weight 14) deregistered: tail 91, total (65535 + 91) / 0.75 = 87501.33, top round(21875.33) = 21875.
        let registry = try UIDRegistry(
            uids: Dictionary(uniqueKeysWithValues: ([1] + Array(3...30)).map { ("hk\($0)", $0) }), neuronCount: 31)
        let r = try #require(try RaceTopHalfWeights.default.compute(finishers: finishers, registry: registry))
        #expect(r.tail == 91 && r.top == 21_875 && r.droppedHotkeys == ["hk2"])
        var expected = [UInt16](repeating: 0, count: 31)
        expected[0] = 65_535
        expected[1] = 21_875
        for rank in 3...15 { expected[rank] = UInt16(16 - rank) }
        #expect(r.vector.weights == expected)
    }

    @Test func topAtUIDZeroGetsTheBurnToo() throws {
        // N = 4 with the winner at uid 0: K = 2, tail 1, total 65536 / 0.75, top round(21845.33) = 21845;
        // uid 0 collects 65535 + 21845 = 87380, emitted as 65535, and rank 2's 1 becomes round(65535/87380) = 1.
        let finishers = [
            WeightFinisher(hotkey: "owner", raceScore: 0.9, agentVersionID: "a"),
            WeightFinisher(hotkey: "two", raceScore: 0.8, agentVersionID: "b"),
            WeightFinisher(hotkey: "three", raceScore: 0.7, agentVersionID: "c"),
            WeightFinisher(hotkey: "four", raceScore: 0.6, agentVersionID: "d"),
        ]
        let registry = try UIDRegistry(uids: ["owner": 0, "two": 1, "three": 2, "four": 3])
        let r = try #require(try RaceTopHalfWeights.default.compute(finishers: finishers, registry: registry))
        #expect(r.top == 21_845 && r.tail == 1)
        #expect(r.vector.weights == [65_535, 1, 0, 0])
    }

    @Test func equalRaceScoresOrderByAgentVersionID() throws {
        let finishers = [
            WeightFinisher(hotkey: "z", raceScore: 0.5, agentVersionID: "bbb"),
            WeightFinisher(hotkey: "y", raceScore: 0.5, agentVersionID: "aaa"),
            WeightFinisher(hotkey: "x", raceScore: 0.5, agentVersionID: "ccc"),
            WeightFinisher(hotkey: "w", raceScore: 0.4, agentVersionID: "000"),
        ]
        let registry = try UIDRegistry(uids: ["z": 1, "y": 2, "x": 3, "w": 4])
        let r = try #require(try RaceTopHalfWeights.default.compute(finishers: finishers, registry: registry))
        #expect(r.ranked.map(\.agentVersionID) == ["aaa", "bbb", "ccc", "000"])
        // K = 2: "aaa" (uid 2) top 21845, "bbb" (uid 1) tail weight 1.
        #expect(r.vector.weights == [65_535, 1, 21_845, 0, 0])
        // Input order does not matter.
        let again = try #require(try RaceTopHalfWeights.default.compute(finishers: finishers.reversed(), registry: registry))
        #expect(again.vector == r.vector)
    }

    @Test func noFinishersSkipsTheTick() throws {
        #expect(try RaceTopHalfWeights.default.compute(finishers: [], registry: UIDRegistry(uids: [:])) == nil)
    }

    @Test func sharesAreValidated() throws {
        let (finishers, registry) = Self.race(4)
        #expect(throws: PolicyError.invalidShares(top: 0.3, burn: 0.3)) {
            try RaceTopHalfWeights(topShare: 0.3, burnShare: 0.3).compute(finishers: finishers, registry: registry)
        }
        // Top share larger than burn: top 65535, burn round(0.25 · 65535 / 0.75) − tail = 21845 − 1.
        let big = try #require(try RaceTopHalfWeights(topShare: 0.75, burnShare: 0.25).compute(finishers: finishers, registry: registry))
        #expect(big.top == 65_535 && big.burn == 21_844)
        #expect(big.vector.weights == [21_844, 65_535, 1, 0, 0])
        let many = Self.race(600)
        #expect(throws: PolicyError.self) {  // tail 299·300/2 = 44850 > round(0.01·65535/0.99) = 662 → negative burn
            try RaceTopHalfWeights(topShare: 0.99, burnShare: 0.01).compute(finishers: many.finishers, registry: many.registry)
        }
    }

    // MARK: top mode

    @Test(arguments: [
        (1.0 as Double?, UInt16(0), UInt16(65_535)),
        (nil, 0, 65_535),  // emission_weight absent = 1.0
        (0.5, 65_535, 65_535),
        (0.25, 65_535, 21_845),  // 0.25 / 0.75 · 65535
        (0.91, 6_481, 65_535),  // 0.09 / 0.91 · 65535 = 6481.48
    ])
    func topMode(weight: Double?, burn: UInt16, top: UInt16) throws {
        let registry = try UIDRegistry(uids: ["top": 3, "other": 1])
        let v = TopAgentWeights.vector(topHotkey: "top", emissionWeight: weight, registry: registry)
        #expect(v.weights == [burn, 0, 0, top])
    }

    @Test func topModeMissingOrAbsentTopBurnsEverything() throws {
        let registry = try UIDRegistry(uids: ["other": 2])
        #expect(TopAgentWeights.vector(topHotkey: "gone", emissionWeight: 0.8, registry: registry).weights == [65_535, 0, 0])
        #expect(TopAgentWeights.vector(topHotkey: nil, emissionWeight: 0.8, registry: registry).weights == [65_535, 0, 0])
        let owner = try UIDRegistry(uids: ["top": 0, "x": 1])
        #expect(TopAgentWeights.vector(topHotkey: "top", emissionWeight: 0.6, registry: owner).weights == [65_535, 0])
    }

    // MARK: plumbing

    @Test func registryFromJSONAndValidation() throws {
        let r = try UIDRegistry(json: try JSONParser.parse(#"{"a": 4, "b": 0}"#))
        #expect(r.neuronCount == 5 && r.uid(of: "a") == 4 && r.uid(of: "c") == nil)
        #expect(try UIDRegistry(uids: ["a": 1], neuronCount: 10).neuronCount == 10)
        #expect(throws: PolicyError.invalidUID(hotkey: "a", uid: 70_000)) { try UIDRegistry(uids: ["a": 70_000]) }
        #expect(throws: PolicyError.invalidUID(hotkey: "a", uid: 4)) { try UIDRegistry(uids: ["a": 4], neuronCount: 3) }
        #expect(throws: PolicyError.self) { try UIDRegistry(json: try JSONParser.parse(#"{"a": "x"}"#)) }
        #expect(throws: PolicyError.self) { try UIDRegistry(json: try JSONParser.parse(#"[1]"#)) }
    }

    @Test func emittingFollowsBittensor() {
        #expect(WeightVector.emitting([0, 0]).weights == [0, 0])
        #expect(WeightVector.emitting([2, 1]).weights == [65_535, 32_768])  // 32767.5 → even
        #expect(WeightVector.emitting([65_535, 14, 1]).weights == [65_535, 14, 1])
        #expect(WeightVector(weights: [3, 0]).jsonValue == ["uids": [0, 1], "weights": [3, 0]])
    }

    @Test func sourcesFromBackendResponses() throws {
        let top = try WeightSources.topAgent(
            try JSONParser.parse(#"{"suite_id":1,"computed_at":"2026-11-22T00:00:00Z","top_miner_hotkey":"hk","emission_weight":0.8}"#))
        #expect(top.hotkey == "hk" && top.emissionWeight == 0.8)
        let none = try WeightSources.topAgent(try JSONParser.parse(#"{"suite_id":1,"top_miner_hotkey":null}"#))
        #expect(none.hotkey == nil && none.emissionWeight == nil)

        let history = try JSONParser.parse(
            #"{"total":3,"limit":5,"offset":0,"races":[{"race_id":"r3","suite_id":1,"status":"CANCELLED"},{"race_id":"r2","suite_id":1,"status":"RACE_COMPLETE"},{"race_id":"r1","suite_id":1,"status":"RACE_COMPLETE"}]}"#)
        #expect(try WeightSources.latestCompletedRaceID(history) == "r2")
        #expect(try WeightSources.latestCompletedRaceID(try JSONParser.parse(#"{"races":[]}"#)) == nil)
        #expect(throws: PolicyError.self) { try WeightSources.latestCompletedRaceID(try JSONParser.parse("{}")) }

        let detail = try JSONParser.parse(
            #"{"race":{"race_id":"r2","suite_id":1,"status":"RACE_COMPLETE"},"qualifiers":[{"agent_version_id":"a","qualification_type":"INCUMBENT","miner_hotkey":"h1","race_score":0.7},{"agent_version_id":"b","qualification_type":"SCORED","miner_hotkey":"h2","race_score":null},{"agent_version_id":"c","qualification_type":"SCORED","race_score":0.9},{"agent_version_id":"d","qualification_type":"SCORED","miner_hotkey":"h4","race_score":1}]}"#)
        #expect(
            try WeightSources.finishers(detail) == [
                WeightFinisher(hotkey: "h1", raceScore: 0.7, agentVersionID: "a"),
                WeightFinisher(hotkey: "h4", raceScore: 1, agentVersionID: "d"),
            ])
    }
}
