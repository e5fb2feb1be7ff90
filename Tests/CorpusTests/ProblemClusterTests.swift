import ArenaModel
import Corpus
import Foundation
import TestSupport
import Testing

@Suite("Leak clusters: versions of a problem together, different problems apart")
struct ProblemClusterTests {
    static func problem(_ json: String) throws -> Problem { try Problem(json: try JSONParser.parse(json)) }

    static func oroSuite() throws -> [Problem] {
        let url = try SharedData.url("oro_problem_suite_v3.json")
        return try ProblemSuite(text: String(contentsOf: url, encoding: .utf8), fileName: url.path).problems
    }

    @Test func numbersAndCurrencyAreWrittenOneWay() {
        let forms = ["159", "159.00", "₱159", "PHP 159", "php159", "159 pesos", "P H P"].prefix(6)
        for form in forms {
            #expect(QueryFingerprint(query: "a bag over \(form)").tokens == ["bag", "over", "159"], "\(form)")
        }
        #expect(QueryFingerprint(query: "Budget `1,299.50` PHP").tokens == ["budget", "1299.5"])
        #expect(QueryFingerprint(query: "RED Shorts").tokens == QueryFingerprint(query: "red short").tokens)
    }

    @Test func rewardKeyIgnoresOrderAndIDs() throws {
        let a = try Self.problem("""
            {"query": "q1", "category": "Shop", "reward": [
              {"product_id": "1", "title": ["Blue Pen"], "price": [{"between": [10, 20]}], "attributes": [{"brand": ["x"]}, {"ink": ["gel"]}]},
              {"product_id": "2", "title": ["Red Book"], "service": ["COD", "official"]}]}
            """)
        let b = try Self.problem("""
            {"query": "q2", "category": "Shop", "reward": [
              {"service": ["official", "COD"], "title": ["red  book"], "product_id": "92"},
              {"attributes": [{"ink": ["gel"]}, {"brand": ["x"]}], "price": [{"between": [10.0, 20.00]}], "product_id": "91", "title": ["Blue Pen"]}]}
            """)
        #expect(RewardKey.of(a) != nil)
        #expect(RewardKey.of(a) == RewardKey.of(b))
        let c = try Self.problem("""
            {"query": "q3", "category": "Shop", "reward": [
              {"product_id": "1", "title": ["Blue Pen"], "price": [{"between": [10, 21]}], "attributes": [{"brand": ["x"]}, {"ink": ["gel"]}]},
              {"product_id": "2", "title": ["Red Book"], "service": ["COD", "official"]}]}
            """)
        #expect(RewardKey.of(a) != RewardKey.of(c))
    }

    @Test func everyVariantOfORObsSuiteJoinsItsOriginalAndTheOriginalsStayApart() throws {
        let originals = try Self.oroSuite()
        let variants = ProblemVariants(seed: 11)
        var problems = originals
        var origin = Array(originals.indices)
        var kind: [ProblemVariants.Kind?] = Array(repeating: nil, count: originals.count)
        for (i, p) in originals.enumerated() {
            for k in ProblemVariants.Kind.allCases {
                for n in 0..<2 {
                    problems.append(try Problem(json: variants.variant(of: p, kind: k, index: n)))
                    origin.append(i)
                    kind.append(k)
                }
            }
        }
        let result = ProblemClusterer().cluster(problems)
        let evaluation = ClusterEvaluation(result: result, problems: problems, origin: origin, kind: kind)
        for k in ProblemVariants.Kind.allCases {
            #expect(evaluation.recall[k] == 1, "\(k): \(evaluation.recall[k] ?? 0)")
        }
        #expect(evaluation.wrongPairs == 0)
        // The 30 problems (ten voucher problems share long boilerplate) are 30 clusters.
        #expect(Set(result.cluster.prefix(originals.count)).count == originals.count)
    }

    @Test func theTextSimilarityAloneCatchesShortenedAndRestyledVersions() throws {
        let originals = try Self.oroSuite()
        let variants = ProblemVariants(seed: 5)
        var configuration = ProblemClusterer.Configuration()
        configuration.exactLinks = false
        for kind in [ProblemVariants.Kind.shortened, .restyled, .reordered, .reworded] {
            var caught = 0
            for p in originals {
                let v = try Problem(json: variants.variant(of: p, kind: kind))
                let result = ProblemClusterer(configuration: configuration).cluster(originals + [v])
                if result.cluster.last == result.cluster[originals.firstIndex(of: p)!] { caught += 1 }
            }
            #expect(caught >= 28, "\(kind): \(caught) of 30")
        }
    }

    @Test func aSharedProductJoinsDifferentRequests() throws {
        let a = try Self.problem(#"{"query": "a red umbrella", "category": "Product", "reward": {"product_id": "77", "title": ["Umbrella"]}}"#)
        let b = try Self.problem("""
            {"query": "a blue kettle and something", "category": "Shop", "reward": [
              {"product_id": "5", "title": ["Kettle"]}, {"product_id": "77", "title": ["Umbrella"]}]}
            """)
        let c = try Self.problem(#"{"query": "garden hose", "category": "Product", "reward": {"product_id": "8", "title": ["Hose"]}}"#)
        let result = ProblemClusterer().cluster([a, b, c])
        #expect(result.cluster == [0, 0, 1])
        #expect(result.links.first?.reason == .sharedProduct("77"))
    }

    @Test func alikeTemplatesWithOtherProductsStayApart() throws {
        let shorts = [
            ("floral", "denim", "414", "1"), ("printed", "cotton", "35", "2"), ("plain", "polyester", "120", "3"),
            ("striped", "linen", "260", "4"),
        ].map { pattern, material, price, id in
            try! Self.problem("""
                {"query": "Looking for a shop offering these items: First, a board shorts whose fa pattern is \(pattern), \
                with clothing material \(material), with free delivery and costing more than \(price) pesos. Second, a terno \
                shorts with size '8 inch'. Please show shops that have all these products.", "category": "Shop",
                 "reward": [{"product_id": "\(id)a", "title": ["Board Shorts \(pattern)"]}, {"product_id": "\(id)b", "title": ["Terno \(id)"]}]}
                """)
        }
        let result = ProblemClusterer().cluster(shorts)
        #expect(Set(result.cluster).count == shorts.count, "\(result.links.map(\.reason))")
    }

    @Test func variantsAreDeterministic() throws {
        let p = try Self.oroSuite()[12]
        var changed = 0
        for k in ProblemVariants.Kind.allCases {
            let v = ProblemVariants(seed: 3).variant(of: p, kind: k)
            #expect(v == ProblemVariants(seed: 3).variant(of: p, kind: k))
            #expect(v != ProblemVariants(seed: 4).variant(of: p, kind: k) || k == .relisted)
            if v["query"] != .string(p.query) { changed += 1 }
        }
        #expect(changed >= 5)
    }
}

@Suite("Leak guard: pools kept apart where problems enter")
struct LeakGuardTests {
    @Test func candidatesClusteringWithTheProtectedPoolAreFlaggedAndNeverSampled() throws {
        let bank = try ProblemClusterTests.oroSuite()
        let variants = ProblemVariants(seed: 9)
        let leaked = try bank.prefix(5).map { try Problem(json: variants.variant(of: $0, kind: .shortened)) }
        let fresh = try (0..<6).map { i in
            try ProblemClusterTests.problem("""
                {"query": "a \(["kettle", "lamp", "sofa", "drill", "kite", "broom"][i]) in \(["red", "teal", "oak", "steel", "nylon", "straw"][i]) \
                under \(100 + i * 37) pesos", "category": "Product", "reward": {"product_id": "fresh\(i)", "title": ["Item \(i)"]}}
                """)
        }
        let conflicts = LeakGuard().conflicts(leaked + fresh, protected: bank)
        #expect(conflicts.prefix(5).allSatisfy { $0 != nil })
        #expect(conflicts.suffix(6).allSatisfy { $0 == nil })
        #expect(conflicts[0] == 0)

        let sample = LeakGuard().sample(leaked + fresh + fresh.map { p in
            try! Problem(json: variants.variant(of: p, kind: .restyled))
        }, count: 10, seed: 4, protected: bank)
        // Only the six fresh problems are clear, and each may appear once (its restyled copy is the same cluster).
        #expect(sample.count == 6)
        #expect(Set(sample.map { $0.rewards[0].productID }).count == 6)
        #expect(sample.map(\.id) == LeakGuard().sample(leaked + fresh + fresh.map { p in
            try! Problem(json: variants.variant(of: p, kind: .restyled))
        }, count: 10, seed: 4, protected: bank).map(\.id))
    }
}

@Suite("Leak guard: the report where problems enter a pool")
struct PoolLeakReportTests {
    /// `problem` with its reward moved to a product and title no kept problem has: only the request still links it.
    static func freshReward(_ record: JSONValue, _ n: Int) throws -> Problem {
        try Problem(json: record.setting("reward", to: .object([
            ("product_id", .string("fresh-\(n)")), ("title", .array([.string("Unrelated Item \(n)")]))])))
    }

    @Test func eachEnteringProblemListsTheKeptProblemsOfItsClusterWithWhy() throws {
        let bank = try ProblemClusterTests.oroSuite()
        let kept = bank.map { PooledProblem(problem: $0, pool: .suite, suiteID: 1) }
        let variants = ProblemVariants(seed: 9)
        let shortened = try Problem(json: variants.variant(of: bank[0], kind: .shortened))
        let relisted = try Problem(json: variants.variant(of: bank[2], kind: .relisted))
        let reworded = try Self.freshReward(variants.variant(of: bank[3], kind: .reworded), 1)
        // Shares only a product with `reworded`: it reaches bank[3] through that entering problem.
        let chained = try ProblemClusterTests.problem("""
            {"problem_id": "chained", "query": "a ceramic teapot with a bamboo handle", "category": "Product",
             "reward": {"product_id": "fresh-1", "title": ["Teapot"]}}
            """)
        let fresh = try ProblemClusterTests.problem("""
            {"problem_id": "fresh", "query": "a kite in straw under 211 pesos", "category": "Product",
             "reward": {"product_id": "fresh-9", "title": ["Kite"]}}
            """)
        let leaks = LeakGuard().leaks(entering: [shortened, relisted, reworded, chained, fresh], pool: .hiddenBank, others: kept)
        #expect(leaks.map(\.problemID) == [shortened.id, relisted.id, reworded.id, "chained"])
        #expect(leaks.allSatisfy { $0.pool == .hiddenBank && $0.clustersWith.allSatisfy { $0.pool == .suite && $0.suiteID == 1 } })
        func match(_ id: String, _ keptID: String) -> PoolLeak.Match? {
            leaks.first { $0.problemID == id }?.clustersWith.first { $0.problemID == keptID }
        }
        #expect(match(shortened.id, bank[0].id)?.reason == .sharedProduct)
        #expect(match(relisted.id, bank[2].id)?.reason == .sameReward)
        #expect(match(reworded.id, bank[3].id)?.reason == .similarText)
        #expect(match(reworded.id, bank[3].id)?.via == [])
        #expect(match("chained", bank[3].id)?.reason == .similarText)
        #expect(match("chained", bank[3].id)?.via == [reworded.id])
        // Nothing to compare with, nothing reported.
        #expect(LeakGuard().leaks(entering: [shortened], pool: .hiddenBank, others: []).isEmpty)
    }
}
