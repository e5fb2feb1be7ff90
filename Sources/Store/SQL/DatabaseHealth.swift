extension SQLDatabase {
    /// One round trip to the database (reads the applied schema version); throws when it does not answer.
    /// Serves the backend's `/health/deep`.
    public func ping() async throws -> Int64? {
        try await read { db in try await db.scalarInt("SELECT MAX(version) FROM schema_migrations") }
    }
}
