import ArenaModel
import Foundation
import Testing

@testable import Scoring

@Suite("pass@k estimator and report")
struct PassAtKTests {
    /// `C(n, k)` exactly, as a Double (the test's n stay small enough for UInt64 intermediate values).
    static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var result: UInt64 = 1
        for i in 0..<min(k, n - k) { result = result * UInt64(n - i) / UInt64(i + 1) }
        return Double(result)
    }

    @Test("known values: n=5 c=2 k=1 is 0.4; k > n-c is 1; c=0 is 0; c=n is 1")
    func knownValues() throws {
        #expect(abs(try PassAtK.estimate(n: 5, c: 2, k: 1) - 0.4) < 1e-12)
        #expect(try PassAtK.estimate(n: 5, c: 2, k: 4) == 1)  // k = n-c+1
        #expect(try PassAtK.estimate(n: 5, c: 2, k: 5) == 1)
        #expect(try PassAtK.estimate(n: 5, c: 0, k: 1) == 0)
        #expect(try PassAtK.estimate(n: 5, c: 0, k: 5) == 0)
        #expect(try PassAtK.estimate(n: 3, c: 3, k: 1) == 1)
        // 1 - C(3,2)/C(5,2) = 1 - 3/10.
        #expect(abs(try PassAtK.estimate(n: 5, c: 2, k: 2) - 0.7) < 1e-12)
    }

    @Test("the product form equals 1 - C(n-c,k)/C(n,k) for every n ≤ 30, c ≤ n, k ≤ n")
    func matchesCombinatorialFormula() throws {
        var checked = 0
        for n in 1...30 {
            for c in 0...n {
                for k in 1...n {
                    let direct = 1 - Self.binomial(n - c, k) / Self.binomial(n, k)
                    let estimate = try PassAtK.estimate(n: n, c: c, k: k)
                    #expect(abs(estimate - direct) < 1e-9, "n=\(n) c=\(c) k=\(k): \(estimate) vs \(direct)")
                    checked += 1
                }
            }
        }
        #expect(checked == (1...30).map { ($0 + 1) * $0 }.reduce(0, +))
    }

    @Test("pass@1 is c/n, and pass@k never decreases with k")
    func passAt1AndMonotone() throws {
        for n in 1...20 {
            for c in 0...n {
                #expect(abs(try PassAtK.estimate(n: n, c: c, k: 1) - Double(c) / Double(n)) < 1e-12)
                var last = 0.0
                for k in 1...n {
                    let value = try PassAtK.estimate(n: n, c: c, k: k)
                    #expect(value >= last - 1e-12 && value <= 1)
                    last = value
                }
            }
        }
    }

    @Test("large n stays finite where the binomials overflow")
    func largeN() throws {
        let value = try PassAtK.estimate(n: 2000, c: 3, k: 100)
        #expect(value.isFinite && value > 0 && value < 1)
        // 1 - ∏ (1 - 100/i) for i in 1998...2000.
        let expected = 1 - (1 - 100.0 / 1998) * (1 - 100.0 / 1999) * (1 - 100.0 / 2000)
        #expect(abs(value - expected) < 1e-12)
    }

    @Test("k outside 1…n and c outside 0…n are errors naming the fix")
    func invalidArguments() {
        #expect(throws: PassAtKError.kOutOfRange(n: 3, k: 4)) { try PassAtK.estimate(n: 3, c: 1, k: 4) }
        #expect(throws: PassAtKError.kOutOfRange(n: 3, k: 0)) { try PassAtK.estimate(n: 3, c: 1, k: 0) }
        #expect(throws: PassAtKError.successesOutOfRange(n: 3, c: 4)) { try PassAtK.estimate(n: 3, c: 4, k: 1) }
        #expect(PassAtKError.kOutOfRange(n: 3, k: 4).description.contains("--samples 4"))
    }

    static func samples(_ id: String, _ category: ProblemCategory, _ outcomes: [Bool], verdict: String = "agentic") -> [PassAtKSample] {
        outcomes.enumerated().map { PassAtKSample(problemID: id, category: category, sample: $0.offset, success: $0.element, verdict: verdict) }
    }

    @Test("the report averages problems per category and overall, and counts verdicts")
    func report() throws {
        // Samples arrive out of order, as a batch finishes them.
        let samples = (Self.samples("p1", .product, [true, false, false]) + Self.samples("p2", .product, [false, false, false])
            + Self.samples("s1", .shop, [true, true, false], verdict: "scripted")).reversed()
        let report = try PassAtKReport(samples: Array(samples), k: 3)
        #expect(report.problems.map(\.problemID) == ["s1", "p2", "p1"])
        #expect(report.problems.first { $0.problemID == "p1" }?.successes == [true, false, false])
        #expect(report.categories.map(\.name) == ["product", "shop"])
        let product = report.categories[0]
        #expect(product.problems == 2 && product.samples == 6 && product.successes == 1 && product.solvedProblems == 1)
        #expect(abs(product.passAt1 - (1.0 / 3 + 0) / 2) < 1e-12)
        #expect(product.passAtK == 0.5)
        let shop = report.categories[1]
        #expect(abs(shop.passAt1 - 2.0 / 3) < 1e-12 && shop.passAtK == 1)
        #expect(report.overall.problems == 3 && report.overall.samples == 9 && report.overall.successes == 3)
        #expect(abs(report.overall.passAt1 - (1.0 / 3 + 0 + 2.0 / 3) / 3) < 1e-12)
        #expect(abs(report.overall.passAtK - 2.0 / 3) < 1e-12)
        #expect(report.overall.verdicts == ["agentic": 6, "scripted": 3])

        let json = report.json
        #expect(json["k"] == 3 && json["success"] == "oro-production-strict")
        #expect(json["overall"]?["samples"] == 9 && json["by_category"]?["shop"]?["verdicts"]?["scripted"] == 3)
        #expect(json["problems"]?.arrayValue?.last?["sample_success"] == [true, false, false])
        let text = report.text
        #expect(text.contains("pass@3") && text.contains("agentic 6, scripted 3"))
        #expect(text.split(separator: "\n").count == 5)
    }

    @Test("a problem with fewer samples than k is refused")
    func tooFewSamples() {
        #expect(throws: PassAtKError.kOutOfRange(n: 2, k: 3)) {
            try PassAtKReport(samples: Self.samples("p", .product, [true, false]), k: 3)
        }
    }
}
