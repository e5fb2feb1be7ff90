import CSodium

/// Facts about the Identity module's crypto backend.
public enum IdentityModule {
    /// The linked libsodium's version string (e.g. "1.0.18").
    public static var sodiumVersion: String {
        Sodium.ensureInitialized()
        return String(cString: sodium_version_string())
    }
}
