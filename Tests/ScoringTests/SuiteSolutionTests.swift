import ArenaModel
import Testing
import TestSupport

@testable import Scoring

/// Every ORO v3 problem, answered with products built from its own reward constraints.
@Suite("ORO suite v3: ground truth succeeds, hard negatives fail on exactly their violation")
struct SuiteSolutionTests {
    static let suite: [Problem] = {
        do { return try ProblemLoadingTests.oroSuite().problems } catch { return [] }
    }()

    static func scorer(_ products: [Product]) -> OutcomeScorer {
        OutcomeScorer(profile: .oro, products: ProductDictionary(products), similarity: LexicalTitleSimilarity())
    }

    @Test func suiteIsPresent() throws {
        _ = try ProblemLoadingTests.oroSuite()  // fails with SharedData's message when missing
        #expect(Self.suite.count == 30)
    }

    @Test func recommendingTheGroundTruthSucceedsEverywhere() async throws {
        #expect(!Self.suite.isEmpty)
        for problem in Self.suite {
            let products = SyntheticSolutions.groundTruthProducts(for: problem)
            let s = await Self.scorer(products)
                .score(problem, envelope: SyntheticSolutions.envelope(problem: problem, recommending: products.map(\.productID)))
            #expect(s.success, "\(problem.title ?? problem.id): \(s.issues) \(s.components)")
            #expect(s.components.gt == 1 && s.components.rule == 1 && s.components.format == 1)
            #expect(s.components.length == 1.0 / 3.0)
            if problem.category == .shop { #expect(s.components.shop == 1) }
            if problem.category == .voucher { #expect(s.components.budget == 1) }
        }
    }

    /// The same products under other ids: judged on constraints (title via the lexical similarity).
    static func alternates(_ problem: Problem) -> [Product] {
        SyntheticSolutions.groundTruthProducts(for: problem).map { p in
            var q = p
            q.productID = "alt-" + p.productID
            return q
        }
    }

    @Test func validAlternatesSucceedWithoutTheGroundTruthID() async throws {
        #expect(!Self.suite.isEmpty)
        for problem in Self.suite {
            let products = Self.alternates(problem)
            let s = await Self.scorer(products)
                .score(problem, envelope: SyntheticSolutions.envelope(problem: problem, recommending: products.map(\.productID)))
            #expect(s.success, "\(problem.title ?? problem.id): \(s.slots.map(\.missed))")
            #expect(s.components.gt == 0 && s.components.rule == 1)
        }
    }

    @Test func hardNegativesFailOnExactlyTheViolatedConstraint() async throws {
        #expect(!Self.suite.isEmpty)
        var checked: [SyntheticSolutions.Violation: Int] = [:]
        for problem in Self.suite {
            let base = Self.alternates(problem)
            for (i, reward) in problem.rewards.enumerated() {
                for violation in SyntheticSolutions.Violation.allCases {
                    if violation == .shop && problem.category == .product { continue }
                    if violation == .shop && problem.category == .voucher && problem.voucher?.scope != .shop { continue }
                    if violation == .budget && problem.category != .voucher { continue }
                    guard
                        let negative = SyntheticSolutions.hardNegative(
                            of: base[i], reward: reward, violating: violation, id: "neg-\(i)", budget: problem.voucher)
                    else { continue }
                    var products = base
                    products[i] = negative
                    let ids = products.map(\.productID)
                    let s = await Self.scorer(products)
                        .score(problem, envelope: SyntheticSolutions.envelope(problem: problem, recommending: ids))
                    let label = "\(problem.title ?? problem.id) item \(i) \(violation)"
                    #expect(!s.success, "\(label)")
                    let otherMissed = s.slots.enumerated().filter { $0.offset != i }.flatMap(\.element.missed)
                    #expect(otherMissed.isEmpty, "\(label): \(otherMissed)")
                    switch violation {
                    case .price, .service, .sku, .attribute:
                        let missed = s.slots[i].missed
                        #expect(missed.count == 1, "\(label): \(missed)")
                        let expectedPrefix: String
                        switch violation {
                        case .price: expectedPrefix = "price "
                        case .service: expectedPrefix = "service \(reward.service.first ?? "")"
                        case .sku: expectedPrefix = "\(reward.skuOptions.first?.first?.key ?? "")="
                        default: expectedPrefix = "\(reward.attributes.first?.key ?? "")="
                        }
                        #expect(missed.first?.hasPrefix(expectedPrefix) == true, "\(label): \(missed)")
                        #expect(s.components.rule < 1)
                        if problem.category == .shop { #expect(s.components.shop == 1, "\(label)") }
                        if problem.category == .voucher { #expect(s.components.budget == 1, "\(label)") }
                    case .shop:
                        #expect(s.components.rule == 1, "\(label)")
                        if problem.category == .shop { #expect(s.components.shop == 0) }
                        if problem.category == .voucher { #expect(s.components.budget == 0) }
                    case .budget:
                        #expect(s.components.rule == 1 && s.components.budget == 0, "\(label)")
                    }
                    checked[violation, default: 0] += 1
                }
            }
        }
        // Every kind of violation occurs in the suite.
        for v in SyntheticSolutions.Violation.allCases { #expect((checked[v] ?? 0) > 0, "\(v) never exercised") }
    }
}
