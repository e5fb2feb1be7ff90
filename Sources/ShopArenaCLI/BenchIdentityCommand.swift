import ArgumentParser
import Foundation
import Identity

/// `shoparena bench identity`: sr25519 verifications per second, Swift vs py-sr25519-bindings, one core.
struct BenchIdentityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Benchmark sr25519 verification (Swift/libsodium vs py-sr25519-bindings); prints JSON.",
        discussion: "Both sides verify the same signed-request messages on one thread. Build with -c release.")

    @Option(name: .long, help: "Distinct key/message/signature triples.") var messages: Int = 256
    @Option(name: .long, help: "Minimum seconds each side spends verifying.") var seconds: Double = 3
    @Option(name: .long, help: "Python interpreter with py-sr25519-bindings installed.") var python: String = "python3"

    static let target = 10_000.0

    func run() async throws {
        guard messages > 0, seconds > 0 else { throw ValidationError("--messages and --seconds must be positive") }
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
            let py = try runPython(items: items)
            report["python"] = py
            if let pyRate = py["verifications_per_second"] as? Double, pyRate > 0 {
                report["ratio_swift_over_python"] = Self.round(swiftRate / pyRate)
            }
        } catch {
            report["python"] = ["error": "\(error) (pip install py-sr25519-bindings)"]
        }
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    private func runPython(items: [(Sr25519.PublicKey, [UInt8], Sr25519.Signature)]) throws -> [String: Any] {
        let request: [String: Any] = [
            "items": items.map { [Self.hex($0.0.bytes), Self.hex($0.1), Self.hex($0.2.bytes)] },
            "min_seconds": seconds,
        ]
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("bench-identity-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", Self.pythonPeer]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let result = try? JSONSerialization.jsonObject(with: outData) as? [String: Any]
        else {
            throw ValidationError("python bench failed (exit \(process.terminationStatus)): "
                                  + String(decoding: errData, as: UTF8.self).suffix(400))
        }
        return result
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

    static var buildKind: String {
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
