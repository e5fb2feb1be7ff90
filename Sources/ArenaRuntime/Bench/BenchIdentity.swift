import Foundation
import Identity
import Subprocess
import SystemPackage

/// The Python peer of the identity benchmark failed.
public enum BenchIdentityError: Error, CustomStringConvertible {
    case peerFailed(status: String, stderrTail: String)

    public var description: String {
        switch self {
        case .peerFailed(let status, let tail): "python bench failed (\(status)): \(tail)"
        }
    }
}

/// `shoparena bench identity`: sr25519 verifications per second on one thread, Swift (libsodium ristretto255 + Swift
/// Merlin) against py-sr25519-bindings verifying the same signed-request messages; the report as JSON text.
public struct BenchIdentity: Sendable {
    /// Distinct key/message/signature triples.
    public var messages: Int
    /// Minimum seconds each side spends verifying.
    public var seconds: Double
    /// Interpreter with py-sr25519-bindings installed.
    public var python: String

    public static let target = 10_000.0

    public init(messages: Int = 256, seconds: Double = 3, python: String = "python3") {
        self.messages = messages
        self.seconds = seconds
        self.python = python
    }

    /// Runs both sides and returns the report (`python` holds an error when the peer cannot run).
    public func run() async throws -> String {
        let now: Int64 = 1_800_000_000
        var items: [(Sr25519.PublicKey, [UInt8], Sr25519.Signature)] = []
        var headers: [SignedRequestHeaders] = []
        for _ in 0..<messages {
            let signer = RequestSigner(keypair: Sr25519.Keypair(miniSecret: .random()))
            let h = signer.headers(timestamp: now)
            headers.append(h)
            items.append((signer.keypair.publicKey,
                          SignedRequestHeaders.message(hotkey: h.hotkey!, timestamp: h.timestamp!, nonce: h.nonce!),
                          try Sr25519.Signature(bytes: Array(Self.hexBytes(h.signature!)))))
        }

        // Raw signature verification.
        let clock = ContinuousClock()
        var count = 0
        var allValid = true
        let started = clock.now
        var elapsed = Duration.zero
        repeat {
            for (key, message, signature) in items where !key.verify(signature, message: message) { allValid = false }
            count += items.count
            elapsed = clock.now - started
        } while elapsed < .seconds(seconds)
        let swiftSeconds = Self.seconds(elapsed)

        // Whole header checks (SS58 decode, hex parse, skew, signature), without the replay cache.
        let verifier = RequestVerifier(now: { now })
        var requestCount = 0
        let requestStarted = clock.now
        var requestElapsed = Duration.zero
        repeat {
            for h in headers where (try? verifier.verifyStateless(h)) == nil { allValid = false }
            requestCount += headers.count
            requestElapsed = clock.now - requestStarted
        } while requestElapsed < .seconds(seconds / 2)

        let swiftRate = Double(count) / swiftSeconds
        var report: [String: Any] = [
            "benchmark": "identity",
            "messages": messages,
            "swift": [
                "implementation": "Identity (libsodium \(Self.sodiumVersion) ristretto255 + Swift Merlin)",
                "verifications": count,
                "seconds": Self.round(swiftSeconds),
                "verifications_per_second": Self.round(swiftRate),
                "signed_request_verifications_per_second": Self.round(Double(requestCount) / Self.seconds(requestElapsed)),
                "all_valid": allValid,
            ] as [String: Any],
            "target_verifications_per_second": Self.target,
            "meets_target": swiftRate >= Self.target,
            "build": Self.buildKind,
        ]
        do {
            let py = try await runPython(items: items)
            report["python"] = py
            if let pyRate = py["verifications_per_second"] as? Double, pyRate > 0 {
                report["ratio_swift_over_python"] = Self.round(swiftRate / pyRate)
            }
        } catch {
            report["python"] = ["error": "\(error) (pip install py-sr25519-bindings)"]
        }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The peer in `python`, started with swift-subprocess: the triples on stdin, its JSON on stdout.
    private func runPython(items: [(Sr25519.PublicKey, [UInt8], Sr25519.Signature)]) async throws -> [String: Any] {
        let request: [String: Any] = [
            "items": items.map { [Self.hex($0.0.bytes), Self.hex($0.1), Self.hex($0.2.bytes)] },
            "min_seconds": seconds,
        ]
        let input = try JSONSerialization.data(withJSONObject: request)
        let result = try await Subprocess.run(
            .path(FilePath("/usr/bin/env")), arguments: [python, "-c", Self.pythonPeer], input: .data(input),
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
        guard result.terminationStatus.isSuccess,
              let parsed = try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        else {
            throw BenchIdentityError.peerFailed(status: "\(result.terminationStatus)",
                                                stderrTail: String(result.standardError.suffix(400)))
        }
        return parsed
    }

    /// The Python side: same triples, same loop shape, timed with perf_counter.
    static let pythonPeer = #"""
    import json, sys, time
    from importlib import metadata
    import sr25519
    req = json.load(sys.stdin)
    items = [(bytes.fromhex(s), bytes.fromhex(m), bytes.fromhex(p)) for p, m, s in req["items"]]
    verify = sr25519.verify
    count, ok = 0, True
    start = time.perf_counter()
    while True:
        for sig, msg, pub in items:
            if not verify(sig, msg, pub):
                ok = False
        count += len(items)
        elapsed = time.perf_counter() - start
        if elapsed >= req["min_seconds"]:
            break
    print(json.dumps({"implementation": "py-sr25519-bindings " + metadata.version("py-sr25519-bindings"),
                      "verifications": count, "seconds": round(elapsed, 4),
                      "verifications_per_second": round(count / elapsed, 1), "all_valid": ok}))
    """#

    public static var buildKind: String {
        #if DEBUG
        "debug (use -c release for real numbers)"
        #else
        "release"
        #endif
    }

    static var sodiumVersion: String { IdentityModule.sodiumVersion }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func round(_ v: Double) -> Double { (v * 10).rounded() / 10 }
    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
    static func hexBytes(_ s: String) -> [UInt8] {
        let digits = Array(s.hasPrefix("0x") ? s.dropFirst(2) : Substring(s))
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }
}
