/// Verification of a signature over a plain message, for the challenge/session flow
/// (`POST /v1/auth/session {hotkey, challenge, signature}`).
///
/// Browser wallets (the Polkadot{.js} extension's `signRaw`) sign `<Bytes>message</Bytes>` instead of
/// the message itself, so a signature over either form is accepted.
public enum MessageSignature {
    public static let bytesPrefix = "<Bytes>"
    public static let bytesSuffix = "</Bytes>"

    /// Which form of the message the signature covered.
    public enum SignedForm: Sendable, Equatable {
        case bare
        case bytesWrapped
    }

    /// Verifies `signatureHex` (`0x` optional) by `hotkey` (SS58) over `message` or its `<Bytes>` wrapping.
    /// Throws `invalidHotkeyFormat`, `invalidSignatureFormat` or `invalidSignature`.
    @discardableResult
    public static func verify(message: String, signatureHex: String, hotkey: String,
                              ss58Prefix: UInt16? = SS58.bittensorPrefix) throws(AuthError) -> SignedForm {
        let publicKey: Sr25519.PublicKey
        do { publicKey = try SS58.publicKey(of: hotkey, expectedPrefix: ss58Prefix) } catch {
            throw .invalidHotkeyFormat(error)
        }
        let signature = try Sr25519.Signature(hex: signatureHex)
        if publicKey.verify(signature, message: Array(message.utf8)) { return .bare }
        if publicKey.verify(signature, message: Array((bytesPrefix + message + bytesSuffix).utf8)) {
            return .bytesWrapped
        }
        throw .invalidSignature
    }
}
