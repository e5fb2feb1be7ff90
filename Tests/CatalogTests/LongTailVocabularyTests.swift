import ArenaModel
import Foundation
import Testing
@testable import Catalog

@Suite("Catalog generator: long-tail title vocabulary")
struct LongTailVocabularyTests {
    /// Lower-cased alphanumeric title words.
    static func words(_ title: String) -> [String] {
        title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    @Test func distinctTitleWordsGrowLikeARealCatalog() {
        let generator = try! CatalogGenerator(configuration: .init(productCount: 8000, seed: 11), cover: [])
        var small = Set<String>(), large = Set<String>()
        for i in 0..<generator.count {
            let w = Self.words(generator.product(at: i).title)
            if i < 2000 { small.formUnion(w) }
            large.formUnion(w)
        }
        // The taxonomy alone gives about a thousand words; the long tail adds about one new word per
        // two products and keeps adding as the catalog grows.
        #expect(large.count > 3500, "\(large.count) distinct title words in 8,000 products")
        #expect(Double(large.count) > 2 * Double(small.count))
    }

    @Test func ranksAreZipfLike() {
        var rng = RandomStream(seed: 3, layer: .filler, index: 9, field: 1)
        var counts: [Int: Int] = [:]
        let n = 100_000
        for _ in 0..<n { counts[LongTailVocabulary.rank(unit: rng.unit()), default: 0] += 1 }
        let top = Double(counts[1, default: 0]) / Double(n)
        // P(rank 1) = ln 2 / ln(2^20 + 1) ≈ 0.05; P(rank ≤ 1000) = ln 1001 / ln(2^20 + 1) ≈ 0.5.
        #expect(abs(top - log(2) / log(Double(LongTailVocabulary.lexiconSize) + 1)) < 0.005)
        let head = Double(counts.filter { $0.key <= 1000 }.values.reduce(0, +)) / Double(n)
        #expect(abs(head - 0.5) < 0.01)
        #expect(counts.keys.allSatisfy { (1...LongTailVocabulary.lexiconSize).contains($0) })
    }

    @Test func wordsArePronounceableStableAndMostlyDistinct() {
        for kind in [LongTailVocabulary.Kind.productLine, .finish, .modelCode] {
            var seen = Set<String>()
            for rank in 1...20_000 {
                let w = LongTailVocabulary.word(kind, rank: rank)
                #expect(w == LongTailVocabulary.word(kind, rank: rank))
                #expect(w.count >= 3 && w.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "\(w)")
                seen.insert(w.lowercased())
            }
            #expect(seen.count > 19_600, "\(kind): \(seen.count) distinct of 20,000")
        }
        #expect(LongTailVocabulary.word(.productLine, rank: 1) != LongTailVocabulary.word(.finish, rank: 1))
    }

    @Test func backgroundTitlesKeepTheirTaxonomyWords() {
        let generator = try! CatalogGenerator(configuration: .init(productCount: 500, seed: 5), cover: [])
        let synthesizer = ProductSynthesizer(taxonomy: .standard)
        var withTail = 0
        for i in 0..<generator.count {
            let p = generator.product(at: i)
            let title = synthesizer.withLongTailWords("Plain Title Words", brand: "", productID: p.productID)
            #expect(title.contains("Plain Title Words"))
            if title != "Plain Title Words" { withTail += 1 }
            #expect(title == synthesizer.withLongTailWords("Plain Title Words", brand: "", productID: p.productID))
        }
        #expect(withTail > generator.count * 8 / 10)
        let branded = synthesizer.withLongTailWords("Acme Steel Widget", brand: "Acme", productID: "42")
        #expect(branded.hasPrefix("Acme "))
        #expect(branded.contains("Steel Widget"))
    }
}
