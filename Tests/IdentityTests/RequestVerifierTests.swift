import Foundation
import Testing
@testable import Identity

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64
    init(_ start: Int64) { value = start }
    var now: Int64 { lock.withLock { value } }
    func advance(_ seconds: Int64) { lock.withLock { value += seconds } }
}

@Suite("Signed request verification")
struct RequestVerifierTests {
    let start: Int64 = 1_800_000_000
    let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))

    func verifier(_ clock: ManualClock, cache: ReplayCache = ReplayCache()) -> RequestVerifier {
        RequestVerifier(nonceStore: cache, now: { clock.now })
    }

    func code(_ body: () async throws -> Void) async -> String? {
        do { try await body(); return nil } catch let e as AuthError { return e.errorCode } catch { return "\(error)" }
    }

    @Test("a signed request verifies once; the replay is NONCE_REUSED; another hotkey may reuse the nonce")
    func replay() async throws {
        let clock = ManualClock(start)
        let v = verifier(clock)
        let h = signer.headers(timestamp: start, nonce: "n-1")
        let ok = try await v.verify(h)
        #expect(ok.hotkey == signer.hotkey && ok.nonce == "n-1" && ok.timestamp == start)
        #expect(ok.publicKey == signer.keypair.publicKey)
        #expect(await code { _ = try await v.verify(h) } == "NONCE_REUSED")
        let other = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        _ = try await v.verify(other.headers(timestamp: start, nonce: "n-1"))
    }

    @Test("headers are read case-insensitively and the signature's 0x is optional")
    func headerSpelling() async throws {
        let h = signer.headers(timestamp: start)
        let dict = ["x-hotkey": h.hotkey!, "X-TIMESTAMP": h.timestamp!, "x-Nonce": h.nonce!,
                    "X-Signature": String(h.signature!.dropFirst(2))]
        _ = try await verifier(ManualClock(start)).verify(SignedRequestHeaders(dict))
    }

    @Test("missing or empty headers are MISSING_HEADERS, naming them")
    func missing() async throws {
        let v = verifier(ManualClock(start))
        var h = signer.headers(timestamp: start)
        h.nonce = nil
        h.signature = ""
        await #expect(throws: AuthError.missingHeaders(["X-Nonce", "X-Signature"])) { try await v.verify(h) }
        await #expect(throws: AuthError.missingHeaders(SignedRequestHeaders.names)) {
            try await v.verify(SignedRequestHeaders([:]))
        }
        #expect(AuthError.missingHeaders([]).httpStatus == 401)
    }

    @Test("malformed hotkeys are INVALID_HOTKEY_FORMAT (400)")
    func badHotkey() async throws {
        let v = verifier(ManualClock(start))
        let good = signer.headers(timestamp: start)
        let polkadot = signer.keypair.publicKey.ss58Address(prefix: 0)
        for hotkey in ["not-an-address", String(good.hotkey!.dropLast()), polkadot, "0x" + Hex.encode(signer.keypair.publicKey.bytes)] {
            var h = good
            h.hotkey = hotkey
            do { _ = try await v.verify(h); Issue.record("accepted \(hotkey)") } catch {
                #expect(error.errorCode == "INVALID_HOTKEY_FORMAT")
                #expect(error.httpStatus == 400)
            }
        }
    }

    @Test("non-integer timestamps are INVALID_TIMESTAMP", arguments: ["abc", "1.5e9", "1800000000.0", " 1800000000", "+1800000000", "-", "1234567890123456789012"])
    func badTimestamp(ts: String) async throws {
        var h = signer.headers(timestamp: start)
        h.timestamp = ts
        #expect(await code { _ = try await verifier(ManualClock(start)).verify(h) } == "INVALID_TIMESTAMP")
    }

    @Test("malformed signatures are INVALID_SIGNATURE_FORMAT")
    func badSignatureFormat() async throws {
        let h = signer.headers(timestamp: start)
        let sig = h.signature!
        var noMarker = try Hex.decode(sig)
        noMarker[63] &= 0x7f
        for bad in [String(sig.dropLast(2)), sig + "ab", String(sig.dropLast()), "0x" + String(repeating: "g", count: 128),
                    "0x" + Hex.encode(noMarker)] {
            var t = h
            t.signature = bad
            #expect(await code { _ = try await verifier(ManualClock(start)).verify(t) } == "INVALID_SIGNATURE_FORMAT")
        }
    }

    @Test("nonces up to 256 characters (Unicode scalars) pass; 257 is NONCE_TOO_LONG")
    func nonceLength() async throws {
        let v = verifier(ManualClock(start))
        _ = try await v.verify(signer.headers(timestamp: start, nonce: String(repeating: "é", count: 256)))
        await #expect(throws: AuthError.nonceTooLong(length: 257, limit: 256)) {
            try await v.verify(signer.headers(timestamp: start, nonce: String(repeating: "a", count: 257)))
        }
    }

    @Test("timestamps within ±60 s pass; 61 s off is TIMESTAMP_SKEW")
    func skew() async throws {
        let v = verifier(ManualClock(start))
        _ = try await v.verify(signer.headers(timestamp: start - 60))
        _ = try await v.verify(signer.headers(timestamp: start + 60))
        await #expect(throws: AuthError.timestampSkew(skew: -61, allowed: 60)) {
            try await v.verify(signer.headers(timestamp: start - 61))
        }
        await #expect(throws: AuthError.timestampSkew(skew: 61, allowed: 60)) {
            try await v.verify(signer.headers(timestamp: start + 61))
        }
    }

    @Test("signatures by another key or over other header values are INVALID_SIGNATURE")
    func wrongSignature() async throws {
        let v = verifier(ManualClock(start))
        let h = signer.headers(timestamp: start, nonce: "abc")
        var otherNonce = h
        otherNonce.nonce = "abd"
        var otherTime = h
        otherTime.timestamp = String(start + 1)
        var otherKey = h
        otherKey.signature = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
            .headers(timestamp: start, nonce: "abc").signature
        var wrapped = h  // a signature over the <Bytes>-wrapped message is only for the session flow
        wrapped.signature = signer.keypair.sign(Array("<Bytes>\(h.hotkey!):\(start):abc</Bytes>".utf8)).hex
        for t in [otherNonce, otherTime, otherKey, wrapped] {
            await #expect(throws: AuthError.invalidSignature) { try await v.verify(t) }
        }
        _ = try await v.verify(h)
    }

    @Test("a client clock 60 s ahead cannot replay once the server clock passes the 60 s cache window")
    func replayWithFastClient() async throws {
        let clock = ManualClock(start)
        let v = verifier(clock)
        let h = signer.headers(timestamp: start + 60)
        _ = try await v.verify(h)
        clock.advance(61)  // |timestamp − now| = 1: still inside the skew window
        await #expect(throws: AuthError.nonceReused) { try await v.verify(h) }
        clock.advance(60)  // now the timestamp itself is too old
        await #expect(throws: AuthError.timestampSkew(skew: -61, allowed: 60)) { try await v.verify(h) }
    }

    @Test("concurrent submissions of one signed request: exactly one succeeds")
    func concurrentReplay() async throws {
        let v = verifier(ManualClock(start))
        let h = signer.headers(timestamp: start)
        let results = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<64 {
                group.addTask { do { _ = try await v.verify(h); return nil } catch let e as AuthError { return e.errorCode } catch { return "\(error)" } }
            }
            var all: [String?] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.filter { $0 == nil }.count == 1)
        #expect(results.filter { $0 == "NONCE_REUSED" }.count == 63)
    }

    @Test("every error has its reference code, status and a message")
    func errorTable() {
        let cases: [(AuthError, String, Int)] = [
            (.missingHeaders(["X-Hotkey"]), "MISSING_HEADERS", 401),
            (.invalidHotkeyFormat(.badChecksum), "INVALID_HOTKEY_FORMAT", 400),
            (.invalidTimestamp("x"), "INVALID_TIMESTAMP", 400),
            (.invalidSignatureFormat("x"), "INVALID_SIGNATURE_FORMAT", 400),
            (.nonceTooLong(length: 300, limit: 256), "NONCE_TOO_LONG", 400),
            (.timestampSkew(skew: 90, allowed: 60), "TIMESTAMP_SKEW", 401),
            (.invalidSignature, "INVALID_SIGNATURE", 401),
            (.nonceReused, "NONCE_REUSED", 401),
            (.replayCacheFull, "REPLAY_CACHE_FULL", 503),
        ]
        for (error, code, status) in cases {
            #expect(error.errorCode == code)
            #expect(error.httpStatus == status)
            #expect(!error.message.isEmpty && error.description.hasPrefix(code))
        }
        #expect(AuthError.timestampSkew(skew: 90, allowed: 60).message.contains("90 s ahead"))
    }
}

@Suite("Replay cache")
struct ReplayCacheTests {
    @Test("entries expire, then the pair may be used again")
    func expiry() async {
        let cache = ReplayCache(capacity: 10)
        #expect(await cache.record(hotkey: "a", nonce: "1", expiresAt: 100, now: 50) == .recorded)
        #expect(await cache.record(hotkey: "a", nonce: "1", expiresAt: 100, now: 99) == .duplicate)
        #expect(await cache.record(hotkey: "a", nonce: "1", expiresAt: 200, now: 100) == .recorded)
        #expect(await cache.count == 1)
    }

    @Test("bounded: when full of live entries new pairs are refused; expired ones make room")
    func capacity() async {
        let cache = ReplayCache(capacity: 3)
        for (i, expiry) in [30, 10, 20].enumerated() {
            #expect(await cache.record(hotkey: "h", nonce: "\(i)", expiresAt: Int64(expiry), now: 0) == .recorded)
        }
        #expect(await cache.record(hotkey: "h", nonce: "x", expiresAt: 40, now: 5) == .full)
        #expect(await cache.record(hotkey: "h", nonce: "x", expiresAt: 40, now: 10) == .recorded)  // "1" expired
        #expect(await cache.record(hotkey: "h", nonce: "y", expiresAt: 40, now: 20) == .recorded)  // "2" expired
        #expect(await cache.record(hotkey: "h", nonce: "0", expiresAt: 40, now: 25) == .duplicate)
        #expect(await cache.count == 3)
        #expect(await cache.record(hotkey: "h", nonce: "z", expiresAt: 90, now: 1000) == .recorded)
        #expect(await cache.count == 1)
    }

    @Test("the verifier reports a full cache as REPLAY_CACHE_FULL")
    func verifierFull() async throws {
        let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
        let v = RequestVerifier(nonceStore: ReplayCache(capacity: 1), now: { 1_000 })
        _ = try await v.verify(signer.headers(timestamp: 1_000))
        await #expect(throws: AuthError.replayCacheFull) {
            try await v.verify(signer.headers(timestamp: 1_000))
        }
    }
}

@Suite("Challenge signatures (session flow)")
struct MessageSignatureTests {
    let pair = Sr25519.Keypair(miniSecret: .random())
    let challenge = "bittensor-auth:1800000000:0123456789abcdef0123456789abcdef"

    @Test("a signature over the bare challenge or its <Bytes> wrapping verifies")
    func forms() throws {
        let hotkey = pair.publicKey.ss58Address()
        #expect(try MessageSignature.verify(message: challenge, signatureHex: pair.sign(Array(challenge.utf8)).hex,
                                            hotkey: hotkey) == .bare)
        let wrapped = pair.sign(Array("<Bytes>\(challenge)</Bytes>".utf8))
        #expect(try MessageSignature.verify(message: challenge, signatureHex: String(wrapped.hex.dropFirst(2)),
                                            hotkey: hotkey) == .bytesWrapped)
    }

    @Test("other messages, keys and malformed input are refused with the right code")
    func refusals() throws {
        let hotkey = pair.publicKey.ss58Address()
        let sig = pair.sign(Array(challenge.utf8)).hex
        #expect(throws: AuthError.invalidSignature) {
            try MessageSignature.verify(message: challenge + "x", signatureHex: sig, hotkey: hotkey)
        }
        #expect(throws: AuthError.invalidSignature) {
            try MessageSignature.verify(message: challenge, signatureHex: pair.sign(Array("<Bytes>\(challenge)".utf8)).hex,
                                        hotkey: hotkey)
        }
        #expect(throws: AuthError.invalidSignature) {
            try MessageSignature.verify(message: challenge, signatureHex: sig,
                                        hotkey: Sr25519.Keypair(miniSecret: .random()).publicKey.ss58Address())
        }
        #expect(throws: AuthError.invalidHotkeyFormat(.empty)) {
            try MessageSignature.verify(message: challenge, signatureHex: sig, hotkey: "")
        }
        #expect(throws: AuthError.invalidSignatureFormat(Hex.DecodeError.wrongLength(expectedBytes: 64, actualBytes: 63).description)) {
            try MessageSignature.verify(message: challenge, signatureHex: String(sig.dropLast(2)), hotkey: hotkey)
        }
    }
}
