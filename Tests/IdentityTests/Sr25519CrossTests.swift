import Foundation
import Testing
@testable import Identity

/// Swift sr25519 and SS58 against the reference implementation (schnorrkel through py-sr25519-bindings).
@Suite("sr25519 and SS58 against py-sr25519-bindings")
struct Sr25519CrossTests {
    static let count = 50

    /// Random messages of varied length (0…300 bytes), including text shaped like signed headers.
    static func randomMessages() -> [[UInt8]] {
        (0..<count).map { i in
            if i % 5 == 0 {
                let key = Sr25519.Keypair(miniSecret: .random()).publicKey.ss58Address()
                return Array("\(key):\(1_700_000_000 + i):\(RequestSigner.newNonce())".utf8)
            }
            return (0..<Int.random(in: 0...300)).map { _ in UInt8.random(in: 0...255) }
        }
    }

    @Test("key pairs and SS58 addresses match pair_from_seed and a Python SS58 encoder")
    func keysAndAddresses() throws {
        let seeds = (0..<Self.count).map { _ in Sr25519.MiniSecret.random() }
        let answers = try PythonPeer.run(seeds.map { ["op": "pair", "seed": Hex.encode($0.bytes)] })
        for (seed, answer) in zip(seeds, answers) {
            let pair = Sr25519.Keypair(miniSecret: seed)
            #expect(Hex.encode(pair.publicKey.bytes) == answer["public"] as? String)
            #expect(Hex.encode(pair.secretKeyBytes) == answer["secret"] as? String)
            let address = pair.publicKey.ss58Address()
            #expect(address == answer["ss58"] as? String)
            #expect(try SS58.decode(address).publicKey == pair.publicKey.bytes)
        }
    }

    @Test("SS58 with one- and two-byte network prefixes matches Python")
    func prefixes() throws {
        let key = Sr25519.Keypair(miniSecret: .random()).publicKey
        let prefixes: [UInt16] = [0, 1, 2, 42, 63, 64, 255, 1284, 16383]
        let answers = try PythonPeer.run(prefixes.map { ["op": "ss58", "public": Hex.encode(key.bytes), "prefix": Int($0)] })
        for (prefix, answer) in zip(prefixes, answers) {
            let address = key.ss58Address(prefix: prefix)
            #expect(address == answer["address"] as? String, "prefix \(prefix)")
            let decoded = try SS58.decode(address, expectedPrefix: nil)
            #expect(decoded.prefix == prefix)
            #expect(decoded.publicKey == key.bytes)
        }
    }

    @Test("signatures made in Python verify in Swift; altered ones do not")
    func pythonSignaturesVerifyInSwift() throws {
        let seeds = (0..<Self.count).map { _ in Sr25519.MiniSecret.random() }
        let messages = Self.randomMessages()
        let answers = try PythonPeer.run(zip(seeds, messages).map {
            ["op": "sign", "seed": Hex.encode($0.bytes), "message": Hex.encode($1)]
        })
        for ((seed, message), answer) in zip(zip(seeds, messages), answers) {
            let key = Sr25519.Keypair(miniSecret: seed).publicKey
            let sigHex = try #require(answer["signature"] as? String)
            let signature = try Sr25519.Signature(hex: sigHex)
            #expect(key.verify(signature, message: message), "message \(Hex.encode(message))")
            // Any other context, message or key fails.
            #expect(!key.verify(signature, message: message, context: Array("polkadot".utf8)))
            var other = message
            if other.isEmpty { other = [0] } else { other[Int.random(in: 0..<other.count)] ^= 1 << UInt8.random(in: 0...7) }
            #expect(!key.verify(signature, message: other))
            let otherKey = Sr25519.Keypair(miniSecret: .random()).publicKey
            #expect(!otherKey.verify(signature, message: message))
        }
    }

    @Test("signatures made in Swift verify in Python; altered ones do not")
    func swiftSignaturesVerifyInPython() throws {
        let pairs = (0..<Self.count).map { _ in Sr25519.Keypair(miniSecret: .random()) }
        let messages = Self.randomMessages()
        var requests: [[String: Any]] = []
        for (pair, message) in zip(pairs, messages) {
            let sig = pair.sign(message)
            requests.append(["op": "verify", "public": Hex.encode(pair.publicKey.bytes),
                             "message": Hex.encode(message), "signature": Hex.encode(sig.bytes)])
            var tampered = message + [0x21]
            tampered.swapAt(0, tampered.count - 1)
            requests.append(["op": "verify", "public": Hex.encode(pair.publicKey.bytes),
                             "message": Hex.encode(tampered == message ? message + [1] : tampered),
                             "signature": Hex.encode(sig.bytes)])
            let wrongContext = pair.sign(message, context: Array("not-substrate".utf8))
            requests.append(["op": "verify", "public": Hex.encode(pair.publicKey.bytes),
                             "message": Hex.encode(message), "signature": Hex.encode(wrongContext.bytes)])
        }
        let answers = try PythonPeer.run(requests)
        for i in stride(from: 0, to: answers.count, by: 3) {
            #expect(answers[i]["ok"] as? Bool == true, "Swift signature \(i / 3) refused by schnorrkel")
            #expect(answers[i + 1]["ok"] as? Bool == false, "tampered message \(i / 3) accepted by schnorrkel")
            #expect(answers[i + 2]["ok"] as? Bool == false, "wrong-context signature \(i / 3) accepted")
        }
    }

    @Test("signed request headers from Python verify through RequestVerifier")
    func pythonSignedRequests() async throws {
        let seeds = (0..<10).map { _ in Sr25519.MiniSecret.random() }
        let now: Int64 = 1_800_000_000
        var requests: [[String: Any]] = []
        var headers: [SignedRequestHeaders] = []
        for seed in seeds {
            let hotkey = Sr25519.Keypair(miniSecret: seed).publicKey.ss58Address()
            let nonce = RequestSigner.newNonce()
            let ts = String(now - 30)
            requests.append(["op": "sign", "seed": Hex.encode(seed.bytes),
                             "message": Hex.encode(SignedRequestHeaders.message(hotkey: hotkey, timestamp: ts, nonce: nonce))])
            headers.append(SignedRequestHeaders(hotkey: hotkey, timestamp: ts, nonce: nonce, signature: nil))
        }
        let answers = try PythonPeer.run(requests)
        let verifier = RequestVerifier(now: { now })
        for (var h, answer) in zip(headers, answers) {
            h.signature = try #require(answer["signature"] as? String)  // no 0x: the prefix is optional
            let verified = try await verifier.verify(h)
            #expect(verified.hotkey == h.hotkey)
            await #expect(throws: AuthError.nonceReused) { try await verifier.verify(h) }
        }
    }
}
