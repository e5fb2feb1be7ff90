/// The run-level combination of outcome and reasoning (`reference/oro-validator.md` §3):
/// `coefficient = 1.0 if q ≥ 0.8 else round(0.3 + q·0.7/0.8, 4)` with q the mean judge score clamped
/// to [0, 1], and `final_score = round(success_rate × coefficient, 4)` (Python rounding).
public enum ReasoningCoefficient {
    /// The judge score at and above which reasoning no longer discounts the score.
    public static let ceiling = 0.8
    /// The coefficient at q = 0.
    public static let floor = 0.3

    public static func coefficient(meanJudgeScore q: Double) -> Double {
        let q = q.isNaN ? 0 : min(1, max(0, q))
        if q >= ceiling { return 1.0 }
        // Same evaluation order as the reference: 0.3 + ((q * 0.7) / 0.8).
        return PythonRounding.round(floor + q * 0.7 / 0.8, 4)
    }

    public static func finalScore(successRate: Double, meanJudgeScore q: Double) -> Double {
        PythonRounding.round(successRate * coefficient(meanJudgeScore: q), 4)
    }
}
