extension ArenaMigrations {
    /// Queue positions (`work_items.seq`) from a PostgreSQL sequence (issue 19). Reading `MAX(seq) + 1` inside a
    /// transaction is safe on SQLite, which runs one writer at a time, but not on PostgreSQL: two transactions
    /// read the same value, the second insert waits for the first transaction to commit, then fails on the
    /// unique `seq`, and since the failed statement aborts its transaction it cannot retry — the submission (or
    /// race start) fails. `nextval` hands every transaction its own number without waiting. The sequence starts
    /// after the positions already taken. PostgreSQL only; SQLite keeps `MAX(seq) + 1` (see `WorkItems`).
    static let workItemSequence: [String] = [
        "CREATE SEQUENCE work_item_seq",
        "SELECT setval('work_item_seq', (SELECT COALESCE(MAX(seq), 0) + 1 FROM work_items), false)",
    ]
}
