extension ArenaMigrations {
    /// A fair work queue (issue 13): per-item failure accounting, back-off and parking.
    ///
    /// - `failed_attempts`: consecutive counted failures since the last included success;
    /// - `retry_at`: not handed out before this time (NULL: ready); claims order ready items by
    ///   `COALESCE(retry_at, queued_at)`, so an item that backed off queues behind work that was waiting;
    /// - `parked_at`: no longer handed out (the attempt limit was reached); `last_failure_*` say why.
    static let fairQueue: [String] = [
        "ALTER TABLE work_items ADD COLUMN failed_attempts BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE work_items ADD COLUMN retry_at BIGINT",
        "ALTER TABLE work_items ADD COLUMN parked_at BIGINT",
        "ALTER TABLE work_items ADD COLUMN last_failure_at BIGINT",
        "ALTER TABLE work_items ADD COLUMN last_failure_kind TEXT",
        "ALTER TABLE work_items ADD COLUMN last_failure_reason TEXT",
    ]
}
