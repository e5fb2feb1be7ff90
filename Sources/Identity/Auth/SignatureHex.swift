extension Sr25519.Signature {
    /// Parses the `X-Signature` / session form: optional `0x`, then exactly 128 hex digits, then the
    /// schnorrkel checks (marker bit, canonical `s`). Every failure is `invalidSignatureFormat`.
    public init(hex text: String) throws(AuthError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(text, length: 64) } catch {
            throw .invalidSignatureFormat(error.description)
        }
        do { try self.init(bytes: bytes) } catch { throw .invalidSignatureFormat(error.description) }
    }
}
