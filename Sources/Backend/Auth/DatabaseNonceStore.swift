import Identity
import Logging
import Store

/// The signed-request nonce store of a backend: `(hotkey, nonce)` pairs in the database (`RequestNonces`), so
/// a replay is refused by every replica sharing the database, not only by the one that saw the nonce first.
///
/// Times: ``NonceStore`` speaks Unix seconds; rows hold epoch milliseconds like every other table. A database
/// error answers ``NonceRecordResult/unavailable`` (503), never "recorded": failing open would allow replays.
public struct DatabaseNonceStore: NonceStore {
    public let nonces: RequestNonces
    let logger = Logger(label: "shoparena.backend.nonces")

    public init(database: any SQLDatabase) {
        nonces = RequestNonces(database: database)
    }

    public func record(hotkey: String, nonce: String, expiresAt: Int64, now: Int64) async -> NonceRecordResult {
        do {
            let fresh = try await nonces.record(hotkey: hotkey, nonce: nonce, expiresAt: expiresAt * 1000, now: now * 1000)
            return fresh ? .recorded : .duplicate
        } catch {
            logger.error("recording a request nonce failed: \(error)")
            return .unavailable
        }
    }
}
