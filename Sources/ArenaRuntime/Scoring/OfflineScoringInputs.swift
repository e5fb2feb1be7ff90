import Scoring

extension OfflineScoring.Products {
    /// The products to judge: exactly one of a catalog JSONL file and a search index file.
    public static func choose(catalog: String?, index: String?) throws(ScoreFilesError) -> Self {
        switch (catalog, index) {
        case (let catalog?, nil): .catalog(catalog)
        case (nil, let index?): .index(index)
        case (.some, .some): throw .productsTwice
        case (nil, nil): throw .productsMissing
        }
    }
}

extension ScoringProfile.Denominator {
    /// The rate denominator named `suite` or `rolled-out`.
    public static func named(_ name: String) throws(ScoreFilesError) -> Self {
        guard let parsed = Self(rawValue: name) else { throw .unknownDenominator(name) }
        return parsed
    }
}
