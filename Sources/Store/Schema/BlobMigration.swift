extension ArenaMigrations {
    /// Agent code and run logs in PostgreSQL (issue 19), so every backend replica over one database reads the
    /// blobs any other stored: one row per SHA-256 address. PostgreSQL only — SQLite deployments are a single
    /// node and keep blobs on the filesystem (`FileBlobStore`).
    static let postgresBlobs: [String] = [
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            content BYTEA NOT NULL,
            size BIGINT NOT NULL,
            stored_at BIGINT NOT NULL
        )
        """,
    ]
}
