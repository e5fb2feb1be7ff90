#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Verifies ORO-style signed requests: header presence and format, clock skew, the sr25519
/// signature over `"{hotkey}:{timestamp}:{nonce}"`, then nonce replay.
///
/// The clock is a parameter so tests (and replicas with a shared clock) control time. A verifier is
/// `Sendable`; share one instance (and so one ``NonceStore``) across all requests of a server.
/// Registration, role and ban checks are the Backend's, after this succeeds.
public struct RequestVerifier: Sendable {
    /// Largest allowed |timestamp − now|, seconds (reference default 60).
    public let allowedSkew: Int64
    /// Longest accepted nonce, in Unicode scalars (as Python's `len`).
    public let maxNonceLength: Int
    /// The SS58 network prefix hotkeys must use (`nil` accepts any).
    public let ss58Prefix: UInt16?
    public let nonceStore: any NonceStore
    private let now: @Sendable () -> Int64

    /// - Parameters:
    ///   - now: the current Unix time in seconds; defaults to the system clock.
    public init(allowedSkew: Int64 = 60, maxNonceLength: Int = 256, ss58Prefix: UInt16? = SS58.bittensorPrefix,
                nonceStore: any NonceStore = ReplayCache(),
                now: @escaping @Sendable () -> Int64 = RequestVerifier.systemNow) {
        self.allowedSkew = allowedSkew
        self.maxNonceLength = maxNonceLength
        self.ss58Prefix = ss58Prefix
        self.nonceStore = nonceStore
        self.now = now
    }

    /// The system clock in whole Unix seconds.
    @Sendable public static func systemNow() -> Int64 {
        Int64(time(nil))
    }

    /// A request that passed verification.
    public struct Verified: Sendable, Equatable {
        /// The hotkey's SS58 address exactly as sent.
        public let hotkey: String
        public let publicKey: Sr25519.PublicKey
        public let timestamp: Int64
        public let nonce: String
    }

    /// Checks everything but the replay cache; does not record the nonce. For dry runs and benches.
    public func verifyStateless(_ headers: SignedRequestHeaders) throws(AuthError) -> Verified {
        let missing = zip(SignedRequestHeaders.names, [headers.hotkey, headers.timestamp, headers.nonce,
                                                       headers.signature])
            .filter { $0.1 == nil || $0.1!.isEmpty }.map(\.0)
        guard missing.isEmpty, let hotkey = headers.hotkey, let timestampText = headers.timestamp,
              let nonce = headers.nonce, let signatureText = headers.signature
        else { throw .missingHeaders(missing) }

        let publicKey: Sr25519.PublicKey
        do { publicKey = try SS58.publicKey(of: hotkey, expectedPrefix: ss58Prefix) } catch {
            throw .invalidHotkeyFormat(error)
        }
        guard let timestamp = Self.parseTimestamp(timestampText) else { throw .invalidTimestamp(timestampText) }
        let signature = try Sr25519.Signature(hex: signatureText)
        let nonceLength = nonce.unicodeScalars.count
        guard nonceLength <= maxNonceLength else { throw .nonceTooLong(length: nonceLength, limit: maxNonceLength) }

        let skew = timestamp - now()
        guard abs(skew) <= allowedSkew else { throw .timestampSkew(skew: skew, allowed: allowedSkew) }

        let message = SignedRequestHeaders.message(hotkey: hotkey, timestamp: timestampText, nonce: nonce)
        guard publicKey.verify(signature, message: message) else { throw .invalidSignature }
        return Verified(hotkey: hotkey, publicKey: publicKey, timestamp: timestamp, nonce: nonce)
    }

    /// Full verification; on success the `(hotkey, nonce)` pair is recorded so a replay fails with
    /// `nonceReused`. The pair is kept until the timestamp itself leaves the skew window
    /// (`timestamp + allowedSkew`), which also covers clients whose clock runs ahead.
    public func verify(_ headers: SignedRequestHeaders) async throws(AuthError) -> Verified {
        let verified = try verifyStateless(headers)
        let current = now()
        let expiresAt = max(verified.timestamp + allowedSkew + 1, current + 1)
        switch await nonceStore.record(hotkey: verified.hotkey, nonce: verified.nonce,
                                       expiresAt: expiresAt, now: current) {
        case .recorded: return verified
        case .duplicate: throw .nonceReused
        case .full: throw .replayCacheFull
        case .unavailable: throw .nonceStoreUnavailable
        }
    }

    /// Decimal digits only (an optional leading `-` for times before 1970), at most 18 digits.
    static func parseTimestamp(_ text: String) -> Int64? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        return Int64(text)
    }
}
