import Testing

@testable import ArenaModel

@Suite("Hidden problem draw: SplitMix64 with a recorded seed")
struct HiddenProblemDrawTests {
    @Test func splitMixMatchesTheReferenceC() {
        // Outputs of Vigna's splitmix64.c for x = 1234567 and x = 0.
        var a = SplitMix64(seed: 1_234_567)
        #expect([a.next(), a.next(), a.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
        var z = SplitMix64(seed: 0)
        #expect([z.next(), z.next()] == [16_294_208_416_658_607_535, 7_960_286_522_194_355_700])
    }

    @Test func boundedDrawsStayInRange() {
        var g = SplitMix64(seed: 7)
        for bound in [1, 2, 3, 10, 1000, 1 << 40] as [UInt64] {
            for _ in 0..<100 { #expect(g.next(below: bound) < bound) }
        }
    }

    static let bank = (0..<20).map { i in "p" + (i < 10 ? "0" : "") + String(i) }

    @Test func goldenDraw() throws {
        // From an independent Python implementation of the documented algorithm (sorted bank, partial
        // Fisher–Yates, rejection-sampled bounds), seed 42.
        let draw = try HiddenProblemDraw(bank: Self.bank, count: 5, seed: 42)
        #expect(draw.problemIDs == ["p13", "p16", "p02", "p08", "p06"])
        #expect(draw.seed == 42)
    }

    @Test func independentOfBankOrderAndDuplicates() throws {
        let a = try HiddenProblemDraw(bank: Self.bank, count: 8, seed: 99)
        let b = try HiddenProblemDraw(bank: Self.bank.reversed() + Self.bank.prefix(5), count: 8, seed: 99)
        #expect(a == b)
        #expect(Set(a.problemIDs).count == 8 && a.problemIDs.allSatisfy(Self.bank.contains))
        let c = try HiddenProblemDraw(bank: Self.bank, count: 8, seed: 100)
        #expect(c.problemIDs != a.problemIDs)
        let all = try HiddenProblemDraw(bank: Self.bank, count: 20, seed: 5)
        #expect(Set(all.problemIDs) == Set(Self.bank))
    }

    @Test func rejectsImpossibleCounts() {
        #expect(throws: PolicyError.drawCountOutOfRange(requested: 21, available: 20)) {
            try HiddenProblemDraw(bank: Self.bank, count: 21, seed: 1)
        }
        #expect(throws: PolicyError.drawCountOutOfRange(requested: 0, available: 20)) {
            try HiddenProblemDraw(bank: Self.bank, count: 0, seed: 1)
        }
        #expect(throws: PolicyError.drawCountOutOfRange(requested: 1, available: 0)) {
            try HiddenProblemDraw(bank: [], count: 1, seed: 1)
        }
    }

    @Test func seedsComeFromTheGivenGenerator() {
        var g1 = SplitMix64(seed: 3)
        var g2 = SplitMix64(seed: 3)
        #expect(HiddenProblemDraw.makeSeed(using: &g1) == g2.next())
    }
}
