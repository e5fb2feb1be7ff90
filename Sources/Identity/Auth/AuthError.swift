/// Why a signed request (or a challenge signature) was refused. `errorCode` and `httpStatus` follow
/// the ORO / bittensor-auth reference; the Backend answers `{"detail": {"code": errorCode,
/// "message": message}}` with `httpStatus`.
public enum AuthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One or more of the four signing headers is absent or empty (names in header spelling).
    case missingHeaders([String])
    case invalidHotkeyFormat(SS58.DecodeError)
    case invalidTimestamp(String)
    case invalidSignatureFormat(String)
    case nonceTooLong(length: Int, limit: Int)
    /// `skew` = request timestamp − server time, in seconds.
    case timestampSkew(skew: Int64, allowed: Int64)
    case invalidSignature
    case nonceReused
    /// The nonce store is full of live entries; the request is refused rather than risk a replay.
    case replayCacheFull
    /// The nonce store could not be reached (its database failed); refused rather than risk a replay.
    case nonceStoreUnavailable

    /// The reference's machine-readable code.
    public var errorCode: String {
        switch self {
        case .missingHeaders: "MISSING_HEADERS"
        case .invalidHotkeyFormat: "INVALID_HOTKEY_FORMAT"
        case .invalidTimestamp: "INVALID_TIMESTAMP"
        case .invalidSignatureFormat: "INVALID_SIGNATURE_FORMAT"
        case .nonceTooLong: "NONCE_TOO_LONG"
        case .timestampSkew: "TIMESTAMP_SKEW"
        case .invalidSignature: "INVALID_SIGNATURE"
        case .nonceReused: "NONCE_REUSED"
        case .replayCacheFull: "REPLAY_CACHE_FULL"  // not in the reference: ours, with 503
        case .nonceStoreUnavailable: "NONCE_STORE_UNAVAILABLE"  // ours, with 503
        }
    }

    /// 400 for malformed input, 401 for failed authentication, 503 when the server cannot keep count.
    public var httpStatus: Int {
        switch self {
        case .missingHeaders, .timestampSkew, .invalidSignature, .nonceReused: 401
        case .invalidHotkeyFormat, .invalidTimestamp, .invalidSignatureFormat, .nonceTooLong: 400
        case .replayCacheFull, .nonceStoreUnavailable: 503
        }
    }

    /// A sentence for the client's user.
    public var message: String {
        switch self {
        case .missingHeaders(let names):
            "missing authentication headers: \(names.joined(separator: ", ")) (requests must be signed with "
                + "X-Hotkey, X-Timestamp, X-Nonce and X-Signature)"
        case .invalidHotkeyFormat(let reason): "X-Hotkey is not a valid SS58 hotkey address: \(reason)"
        case .invalidTimestamp(let value):
            "X-Timestamp must be Unix time in whole seconds (decimal digits), got '\(value.prefix(40))'"
        case .invalidSignatureFormat(let reason):
            "X-Signature must be 0x followed by the hex of a 64-byte sr25519 signature: \(reason)"
        case .nonceTooLong(let length, let limit): "X-Nonce has \(length) characters; at most \(limit) are allowed"
        case .timestampSkew(let skew, let allowed):
            "X-Timestamp is \(abs(skew)) s \(skew < 0 ? "behind" : "ahead of") the server clock; at most "
                + "\(allowed) s is allowed (check the client's clock)"
        case .invalidSignature:
            "the signature does not verify for this hotkey and message (sign \"{hotkey}:{timestamp}:{nonce}\" "
                + "with the hotkey's sr25519 key)"
        case .nonceReused: "this nonce was already used by this hotkey; sign every request with a fresh nonce"
        case .replayCacheFull: "the server's replay cache is full; retry in a minute"
        case .nonceStoreUnavailable: "the server cannot check request nonces right now (database unavailable); retry shortly"
        }
    }

    public var description: String { "\(errorCode): \(message)" }
}
