import Foundation
import Identity

/// The validator's signing hotkey from the key store, and where its retry queue lives by default (next to the key
/// store: `<store>/../validator/retry_queue.json`).
public struct ValidatorKey: Sendable {
    public let keypair: Sr25519.Keypair
    public let defaultRetryQueue: URL

    /// Loads key `name` from `keysDir`, else the default key store (`$SHOPARENA_HOME/keys`, else `~/.shoparena/keys`).
    public static func load(name: String, keysDir: String?, environment: [String: String]) throws -> ValidatorKey {
        let store = KeyStore(directory: KeyStore.resolveDirectory(explicit: keysDir, environment: environment))
        let entry: KeyStore.Entry
        do { entry = try store.load(name: name) } catch { throw EvalSetupError("The validator key '\(name)' cannot be loaded: \(error).") }
        return ValidatorKey(keypair: entry.keypair, defaultRetryQueue: URL(fileURLWithPath: store.directory).deletingLastPathComponent()
            .appendingPathComponent("validator/retry_queue.json"))
    }
}
