extension ArenaMigrations {
    /// Signed-request nonces in the database (issue 19), so every backend replica over one database refuses a
    /// replay seen by any other: one row per `(hotkey, nonce)` until the signed timestamp leaves the skew window.
    static let requestNonces: [String] = [
        """
        CREATE TABLE request_nonces (
            hotkey TEXT NOT NULL,
            nonce TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (hotkey, nonce)
        )
        """,
        "CREATE INDEX request_nonces_expiry ON request_nonces (expires_at)",
    ]
}
