/// The four headers of an ORO-style signed request, and the message they sign:
/// the UTF-8 bytes of `"{hotkey}:{timestamp}:{nonce}"`.
public struct SignedRequestHeaders: Sendable, Equatable {
    public static let hotkeyName = "X-Hotkey"
    public static let timestampName = "X-Timestamp"
    public static let nonceName = "X-Nonce"
    public static let signatureName = "X-Signature"
    public static let names = [hotkeyName, timestampName, nonceName, signatureName]

    public var hotkey: String?
    public var timestamp: String?
    public var nonce: String?
    public var signature: String?

    public init(hotkey: String?, timestamp: String?, nonce: String?, signature: String?) {
        self.hotkey = hotkey
        self.timestamp = timestamp
        self.nonce = nonce
        self.signature = signature
    }

    /// Reads the headers through `lookup`, which the caller makes case-insensitive
    /// (e.g. Hummingbird's `HTTPFields` subscript).
    public init(lookup: (String) -> String?) {
        self.init(hotkey: lookup(Self.hotkeyName), timestamp: lookup(Self.timestampName),
                  nonce: lookup(Self.nonceName), signature: lookup(Self.signatureName))
    }

    /// From a plain dictionary, matching names case-insensitively.
    public init(_ headers: [String: String]) {
        var lowered: [String: String] = [:]
        for (k, v) in headers { lowered[k.lowercased()] = v }
        self.init(lookup: { lowered[$0.lowercased()] })
    }

    /// The headers as name/value pairs (only those present).
    public var fields: [(name: String, value: String)] {
        zip(Self.names, [hotkey, timestamp, nonce, signature]).compactMap { name, value in
            value.map { (name, $0) }
        }
    }

    /// The bytes that are signed.
    public static func message(hotkey: String, timestamp: String, nonce: String) -> [UInt8] {
        Array("\(hotkey):\(timestamp):\(nonce)".utf8)
    }
}

/// Signs outgoing requests with a hotkey, as the oro-sdk client does: a fresh nonce (UUID v4) and
/// the current time per request.
public struct RequestSigner: Sendable {
    public let keypair: Sr25519.Keypair
    /// The hotkey's SS58 address, sent as `X-Hotkey`.
    public let hotkey: String

    public init(keypair: Sr25519.Keypair) {
        self.keypair = keypair
        hotkey = keypair.publicKey.ss58Address()
    }

    /// The four headers for a request at `timestamp` (Unix seconds) with `nonce` (default: a new UUID v4).
    public func headers(timestamp: Int64, nonce: String = RequestSigner.newNonce()) -> SignedRequestHeaders {
        let ts = String(timestamp)
        let signature = keypair.sign(SignedRequestHeaders.message(hotkey: hotkey, timestamp: ts, nonce: nonce))
        return SignedRequestHeaders(hotkey: hotkey, timestamp: ts, nonce: nonce, signature: signature.hex)
    }

    /// A random UUID v4 string, lower case.
    public static func newNonce() -> String {
        var b = Sodium.randomBytes(16)
        b[6] = (b[6] & 0x0f) | 0x40
        b[8] = (b[8] & 0x3f) | 0x80
        let h = Hex.encode(b)
        let c = Array(h)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-"
            + String(c[16..<20]) + "-" + String(c[20..<32])
    }
}
