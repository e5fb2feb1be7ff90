/// A Merlin transcript (merlin.cool, v1.0): STROBE-128 with labelled messages, used by schnorrkel to
/// derive sr25519 challenges and signing witnesses (Fiat–Shamir).
///
/// Every operation is framed as `meta_ad(label) ‖ meta_ad(LE32(length), more) ‖ op(data)`, so
/// distinct sequences of labelled messages can never produce the same challenge. A transcript is a
/// value: copying it forks the protocol state.
public struct MerlinTranscript: Sendable {
    private var strobe: Strobe128

    /// Starts a transcript for the application protocol `label` (its domain separator).
    public init(label: [UInt8]) {
        strobe = Strobe128(protocolLabel: Array("Merlin v1.0".utf8))
        appendMessage(label: Array("dom-sep".utf8), message: label)
    }

    /// Absorbs `message` under `label`.
    public mutating func appendMessage(label: [UInt8], message: [UInt8]) {
        strobe.metaAD(label, more: false)
        strobe.metaAD(Self.le32(message.count), more: true)
        strobe.ad(message, more: false)
    }

    /// Squeezes `count` challenge bytes bound to everything appended so far.
    public mutating func challengeBytes(label: [UInt8], count: Int) -> [UInt8] {
        strobe.metaAD(label, more: false)
        strobe.metaAD(Self.le32(count), more: true)
        return strobe.prf(count: count, more: false)
    }

    /// Merlin's transcript RNG: forks the transcript, rekeys it with secret `witnesses` under `label`,
    /// then with 32 bytes of external randomness, and squeezes `count` bytes. The output depends on
    /// the public transcript, the secrets and the randomness, so a bad RNG alone cannot leak a key.
    public func witnessBytes(label: [UInt8], witnesses: [[UInt8]], randomness: [UInt8], count: Int) -> [UInt8] {
        precondition(randomness.count == 32, "Merlin's RNG finalisation takes 32 random bytes")
        var rng = strobe
        for w in witnesses {
            rng.metaAD(label, more: false)
            rng.metaAD(Self.le32(w.count), more: true)
            rng.key(w, more: false)
        }
        rng.metaAD(Array("rng".utf8), more: false)
        rng.key(randomness, more: false)
        rng.metaAD(Self.le32(count), more: false)
        return rng.prf(count: count, more: false)
    }

    /// Merlin encodes lengths as little-endian u32.
    private static func le32(_ n: Int) -> [UInt8] {
        precondition(n >= 0 && n <= Int(UInt32.max), "Merlin message longer than 4 GiB")
        let v = UInt32(n)
        return [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8),
                UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)]
    }
}
