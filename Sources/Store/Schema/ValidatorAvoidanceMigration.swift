extension ArenaMigrations {
    /// Runs failed by the validator's own inference provider (issue 19, `inference_unavailable`) are not counted and
    /// go to another validator: the item remembers which validator to avoid and until when.
    ///
    /// - `avoid_validator_hotkey`: the validator that may not claim the item before `avoid_until`;
    /// - `avoid_until`: end of that exclusion (milliseconds); everyone else may claim the item at once.
    static let validatorAvoidance: [String] = [
        "ALTER TABLE work_items ADD COLUMN avoid_validator_hotkey TEXT",
        "ALTER TABLE work_items ADD COLUMN avoid_until BIGINT",
    ]
}
