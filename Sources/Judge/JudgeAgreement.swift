import ArenaModel

/// How closely two judges agree on a set of trajectories (`shoparena judge-agreement`): the rule judge
/// (rows) against the LLM judge (columns).
public struct JudgeAgreement: Sendable, Hashable {
    /// Trajectories both judges gave a verdict on.
    public var compared: Int
    /// Trajectories the second judge failed on (left out of the figures).
    public var failed: Int
    public var exactMatches: Int
    /// Sum of |a − b| over compared trajectories.
    public var absoluteDifferenceSum: Double
    /// `matrix[i][j]`: trajectories scored ``JudgeScore/allowed``[i] by the first judge and [j] by the second.
    public var matrix: [[Int]]

    public init() {
        compared = 0
        failed = 0
        exactMatches = 0
        absoluteDifferenceSum = 0
        matrix = Array(repeating: Array(repeating: 0, count: JudgeScore.allowed.count), count: JudgeScore.allowed.count)
    }

    /// Adds one trajectory: `first` from the rule judge, `second` nil when the other judge failed.
    public mutating func add(first: Double, second: Double?) {
        guard let second else {
            failed += 1
            return
        }
        compared += 1
        let a = JudgeScore.snapped(first)
        let b = JudgeScore.snapped(second)
        if a == b { exactMatches += 1 }
        absoluteDifferenceSum += abs(a - b)
        if let i = JudgeScore.allowed.firstIndex(of: a), let j = JudgeScore.allowed.firstIndex(of: b) { matrix[i][j] += 1 }
    }

    public var exactMatchRate: Double? { compared == 0 ? nil : Double(exactMatches) / Double(compared) }
    public var meanAbsoluteDifference: Double? { compared == 0 ? nil : absoluteDifferenceSum / Double(compared) }

    /// The report object; rates are rounded to 4 decimals.
    public func json(firstName: String = "rule", secondName: String = "llm") -> JSONValue {
        func rounded(_ x: Double?) -> JSONValue { x.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null }
        let labels = JudgeScore.allowed.map { JSONWriter.pythonFloat($0) }
        return .object([
            ("compared", .int(Int64(compared))),
            ("\(secondName)_failed", .int(Int64(failed))),
            ("exact_match_rate", rounded(exactMatchRate)),
            ("mean_absolute_difference", rounded(meanAbsoluteDifference)),
            ("scores", .array(JudgeScore.allowed.map(JSONValue.double))),
            (
                "confusion_matrix",
                .object([
                    ("rows", .string(firstName)), ("columns", .string(secondName)),
                    (
                        "counts",
                        .object(
                            zip(labels, matrix).map { label, row -> (String, JSONValue) in
                                (label, .object(zip(labels, row).map { ($0, JSONValue.int(Int64($1))) }))
                            })
                    ),
                ])
            ),
        ])
    }
}
