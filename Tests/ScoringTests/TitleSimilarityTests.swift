import ArenaModel
import Testing

@testable import Scoring

@Suite("Title similarity backends")
struct TitleSimilarityTests {
    let lexical = LexicalTitleSimilarity()

    @Test func tokensAreNormalisedStemmedAndFiltered() {
        #expect(LexicalTitleSimilarity.tokens("Hyco Chili Powder1 kilo") == ["hyco", "chili", "powder", "1", "kilo"])
        #expect(LexicalTitleSimilarity.tokens("【Arrive 1-3 Days】Waterproof Bags for the Boys") == ["arrive", "1", "3", "day", "waterproof", "bag", "boy"])
        #expect(LexicalTitleSimilarity.tokens("160g, ÉTÉ Dress") == ["160", "g", "été", "dress"])
        #expect(LexicalTitleSimilarity.stem("batteries") == "battery")
        #expect(LexicalTitleSimilarity.stem("glasses") == "glass")
        #expect(LexicalTitleSimilarity.stem("dress") == "dress")
        #expect(LexicalTitleSimilarity.stem("cactus") == "cactus")
        #expect(LexicalTitleSimilarity.stem("bus") == "bus")
    }

    @Test func basicProperties() {
        let titles = [
            "Heavy Duty Pushcart Solid Rubber Wheel 12 Inches", "Hyco Chili Powder 1 kilo", "Snoopy Cute Cartoon Short Wallet",
            "MAGNOLIA Cheezee Regular 160g Processed Cheese", "", "!!!",
        ]
        for a in titles {
            #expect(lexical.score(a, a) == 1)
            for b in titles {
                let s = lexical.score(a, b)
                #expect(s >= 0 && s <= 1)
                #expect(abs(s - lexical.score(b, a)) < 1e-12)
            }
        }
        #expect(lexical.score("", "anything") == 0)
        #expect(lexical.score("!!!", "???") == 0)
    }

    @Test func caseOrderAndPunctuationDoNotMatter() {
        #expect(lexical.score("Red Cotton T-Shirt", "red cotton t shirt") == 1)
        #expect(lexical.score("Solid Rubber Wheel", "Wheel Rubber Solid") > 0.7)
        #expect(lexical.score("Rubber Wheels", "rubber wheel") == 1)
    }

    @Test func nearCopiesScoreHighAndUnrelatedTitlesLow() {
        let gt = "Heavy Duty Pushcart Solid Rubber Wheel Steel Body 12 Inches Mold-On Rubber Wheel"
        let negative = "Acme Pushcart Rubber Wheel Heavy Duty 12 Inches Steel"  // brand swapped, words dropped and moved
        let unrelated = "Snoopy Cute Cartoon Short Wallet Card Holder Girls Coin Purse"
        #expect(lexical.score(gt, negative) >= ScoringProfile.oro.lexicalTitleThreshold)
        #expect(lexical.score(gt, unrelated) < 0.1)
    }

    @Test func calibratedThresholdsPerProfile() {
        #expect(LexicalTitleSimilarity.calibratedThreshold(forEmbeddingThreshold: 0.5) == 0.35)
        #expect(abs(LexicalTitleSimilarity.calibratedThreshold(forEmbeddingThreshold: 0.7) - 0.5) < 1e-12)
        #expect(abs(LexicalTitleSimilarity.calibratedThreshold(forEmbeddingThreshold: 0.8) - 0.6) < 1e-12)
        #expect(ScoringProfile.oro.titleThreshold(for: .embedding, web: false) == 0.7)
        #expect(ScoringProfile.shoppingBench.titleThreshold(for: .embedding, web: false) == 0.5)
        #expect(ScoringProfile.shoppingBench.titleThreshold(for: .embedding, web: true) == 0.8)
        #expect(ScoringProfile.shoppingBench.titleThreshold(for: .lexical, web: false) == 0.35)
        #expect(ScoringProfile.named("ShoppingBench") == .shoppingBench && ScoringProfile.named("x") == nil)
    }

    /// Records the texts it is asked to embed; vectors are one-hot by the first letter.
    actor RecordingEmbedder: TextEmbedder {
        var calls: [[String]] = []
        nonisolated func embed(_ texts: [String]) async throws -> [[Float]] {
            await record(texts)
            return texts.map { t in
                var v = [Float](repeating: 0, count: 4)
                v[Int((t.unicodeScalars.first?.value ?? 0) % 4)] = 1
                return v
            }
        }
        func record(_ texts: [String]) { calls.append(texts) }
    }

    @Test func embeddingsUsePrecomputedVectorsAndBatchTheRest() async throws {
        let embedder = RecordingEmbedder()
        let sim = EmbeddingTitleSimilarity(embedder: embedder)
        let ref: [Float] = [0, 1, 0, 0]  // like "a" (97 % 4 = 1)
        let scores = try await sim.similarities([
            TitleComparison(candidate: "apple", reference: "GT title", referenceEmbedding: ref),
            TitleComparison(candidate: "bpple", reference: "GT title", referenceEmbedding: ref),
            TitleComparison(candidate: "apple", reference: "another GT"),
        ])
        #expect(scores == [1, 0, 1])  // "another GT" → "a" = 97 → same bucket as "apple"
        let calls = await embedder.calls
        #expect(calls == [["apple", "bpple", "another GT"]])  // one batch, each text once, GT with a vector skipped
    }

    @Test func embeddingsScoreAProblemAgainstTheSuitesPrecomputedVectors() async throws {
        var problem = try Fixture.problem(Fixture.hosportProduct)
        let title = problem.rewards[0].titles[0]
        problem.titleEmbeddings = [title: [0.6, 0.8, 0, 0]]
        let x = Fixture.product("X", title: "abc", price: 299, attributes: [("brand", ["hosport"])])  // "a" → [0,1,0,0]
        let scorer = OutcomeScorer(
            profile: .oro, products: ProductDictionary([x]), similarity: EmbeddingTitleSimilarity(embedder: RecordingEmbedder()))
        let s = await scorer.score(problem, envelope: Fixture.recommending(problem, "X"))
        #expect(abs((s.slots[0].titleSimilarities[0] ?? 0) - 0.8) < 1e-6)  // cos = 0.8 ≥ 0.7
        #expect(s.success)
    }

    @Test func dimensionMismatchIsAnErrorNotAScore() async {
        let sim = EmbeddingTitleSimilarity(embedder: RecordingEmbedder())
        await #expect(throws: EmbeddingSimilarityError.dimensionMismatch(candidate: 4, reference: 2)) {
            _ = try await sim.similarities([TitleComparison(candidate: "a", reference: "b", referenceEmbedding: [1, 0])])
        }
        #expect(EmbeddingTitleSimilarity.cosine([0, 0], [1, 0]) == 0)
    }
}

@Suite("Similarity evaluation on labelled pairs")
struct SimilarityEvaluationTests {
    static let pairs: [LabelledTitlePair] = [
        .init(reference: "Red Cotton Shirt", candidate: "Red Cotton Shirt", isSameProduct: true, group: "anchor"),
        .init(reference: "Red Cotton Shirt", candidate: "Acme Red Shirt Cotton Slim", isSameProduct: true, group: "alternate"),
        .init(reference: "Hyco Chili Powder 1 kilo", candidate: "Chili powder", isSameProduct: true, group: "alternate"),
        .init(reference: "Red Cotton Shirt", candidate: "Stainless Steel Kettle 2L", isSameProduct: false, group: "unrelated"),
        .init(reference: "Hyco Chili Powder 1 kilo", candidate: "Red Cotton Shirt", isSameProduct: false, group: "unrelated"),
        .init(reference: "Hyco Chili Powder 1 kilo", candidate: "Hyco Chili Flakes 1 kilo", isSameProduct: false, group: "unrelated"),
    ]

    @Test func confusionCountsAtTheThreshold() async throws {
        let sims = TableSimilarity(scores: [
            "Red Cotton Shirt": 1, "Acme Red Shirt Cotton Slim": 0.8, "Chili powder": 0.4, "Stainless Steel Kettle 2L": 0.1,
            "Hyco Chili Flakes 1 kilo": 0.75,
        ])
        // "Red Cotton Shirt" as a candidate for the chili reference scores 1 by the table: a false positive.
        let r = try await SimilarityEvaluation.evaluate(Self.pairs, similarity: sims, threshold: 0.7)
        #expect(r.result.truePositives == 2 && r.result.falseNegatives == 1)
        #expect(r.result.falsePositives == 2 && r.result.trueNegatives == 1)
        #expect(r.result.precision == 0.5 && r.result.recall == 2.0 / 3.0)
        #expect(r.groups.map(\.name) == ["anchor", "alternate", "unrelated"])
        #expect(r.groups[1].atOrAbove == 1 && r.groups[2].atOrAbove == 2)
        #expect(r.sweep.count == 19)
        #expect(r.sweep.last!.truePositives == 1)  // only 1.0 ≥ 0.95
    }

    @Test func lexicalBackendOnTheHandMadeSet() async throws {
        let r = try await SimilarityEvaluation.evaluate(
            Self.pairs, similarity: LexicalTitleSimilarity(), threshold: ScoringProfile.oro.lexicalTitleThreshold)
        // "Chili powder" keeps 2 of the 5 tokens: word cosine 2/√10 ≈ 0.63 — a pass at the ORO level.
        #expect(r.result.truePositives == 3)
        #expect(Features.cosine(Features("Chili powder").words, Features("Hyco Chili Powder 1 kilo").words) == 2 / 10.0.squareRoot())
        #expect(r.result.falsePositives == 1)  // the chili flakes share brand, size and "chili"
        #expect(r.result.precision == 0.75 && r.result.recall == 1)
        #expect(r.scores.count == Self.pairs.count)
    }

    @Test func emptyPredictionsHaveNoPrecision() {
        let r = SimilarityEvaluation.report(Self.pairs, scores: Self.pairs.map { _ in 0 }, threshold: 0.5)
        #expect(r.result.precision == nil && r.result.recall == 0)
    }

    @Test func labelledPairsFromACatalogManifest() throws {
        let problem = try Fixture.problem(Fixture.hosportProduct)
        let title = problem.rewards[0].titles[0]
        let products = [
            Fixture.product("5035687794", title: title, price: 200), Fixture.product("alt", title: "Hosport waist leg bag", price: 200),
            Fixture.product("neg", title: title + " v2", price: 900), Fixture.product("f1", title: "Kettle", price: 5),
            Fixture.product("f2", title: "Lamp", price: 5),
        ]
        let manifest = [
            ManifestEntry(productID: "5035687794", layer: .anchor, problemIDs: [problem.id], rewardProductID: "5035687794", violates: nil),
            try ManifestEntry(
                jsonLine: #"{"product_id":"alt","layer":"alternate","problem_ids":["x"],"reward_product_id":"5035687794","violates":null}"#),
            ManifestEntry(productID: "neg", layer: .negative, problemIDs: [], rewardProductID: "5035687794", violates: .price),
        ]
        let (pairs, hard) = SimilarityEvaluation.labelledPairs(products: products, manifest: manifest, suite: [problem], seed: 9)
        #expect(pairs.filter(\.isSameProduct).map(\.candidate) == [title, "Hosport waist leg bag"])
        #expect(pairs.filter { !$0.isSameProduct }.allSatisfy { ["Kettle", "Lamp"].contains($0.candidate) })
        #expect(pairs.count == 4)
        #expect(hard.map(\.group) == ["hard_negative/price"])
        let again = SimilarityEvaluation.labelledPairs(products: products, manifest: manifest, suite: [problem], seed: 9)
        #expect(again.pairs == pairs)
    }
}
