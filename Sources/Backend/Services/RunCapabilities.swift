import Store

/// Unguessable per-run capabilities derived from the server's secret (`BackendSettings.credentialKey`), so
/// stateless replicas agree on them without storing anything: the token in a run's code download URL.
///
/// A keyed hash in the HMAC shape (inner and outer SHA-256 over the padded key), over hex digests.
public struct RunCapabilities: Sendable {
    private let key: [UInt8]

    public init(secret: String) {
        key = Array(SHA256Hex.digest(Array("shoparena-run-capability|".utf8) + Array(secret.utf8)).utf8)  // 64 bytes
    }

    /// The token that authorises `GET /v1/code/{eval_run_id}/{token}/agent.py`.
    public func codeToken(runID: String) -> String { mac("code|" + runID) }

    /// Constant-time comparison of a presented code token.
    public func isValidCodeToken(_ token: String, runID: String) -> Bool {
        let expected = Array(codeToken(runID: runID).utf8)
        let given = Array(token.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }

    private func mac(_ message: String) -> String {
        let inner = SHA256Hex.digest(key.map { $0 ^ 0x36 } + Array(message.utf8))
        return SHA256Hex.digest(key.map { $0 ^ 0x5c } + Array(inner.utf8))
    }
}
