import CSodium

/// Namespace for hotkey identity (sr25519, SS58, signed requests).
public enum IdentityModule {
    /// Initialises libsodium once; safe to call from any thread.
    public static func initializeSodium() -> Bool { sodium_init() >= 0 }
}
