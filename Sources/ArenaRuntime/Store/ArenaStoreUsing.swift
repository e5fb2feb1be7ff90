import Store

extension ArenaStore {
    /// Opens (and migrates) the store as ``open(database:dataDir:maxConnections:)`` does, runs `body`, and closes the
    /// store whether `body` succeeds or throws: one-shot commands (`admin`, `corpus`) on the arena database.
    /// Read-only commands pass `opening` ``Opening/existing`` to refuse a missing SQLite database.
    public static func using<T>(database: String?, dataDir: String, opening: Opening = .create,
                                _ body: (ArenaStore) async throws -> T) async throws -> T {
        let store = try await open(database: database, dataDir: dataDir, opening: opening)
        do {
            let result = try await body(store)
            await store.database.close()
            return result
        } catch {
            await store.database.close()
            throw error
        }
    }
}
