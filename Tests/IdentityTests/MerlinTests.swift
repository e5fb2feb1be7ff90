import Testing
@testable import Identity

/// Keccak-f[1600], STROBE-128 and Merlin against published vectors.
@Suite("Keccak, STROBE and Merlin vectors")
struct MerlinTests {
    /// SHA3-256 of a message shorter than one block (rate 136), built directly on `Keccak.permute`.
    func sha3_256(_ message: [UInt8]) -> [UInt8] {
        precondition(message.count < 136)
        var block = message + [0x06] + [UInt8](repeating: 0, count: 135 - message.count)
        block[135] ^= 0x80
        var lanes = [UInt64](repeating: 0, count: 25)
        for (i, b) in block.enumerated() { lanes[i / 8] ^= UInt64(b) << UInt64(8 * (i % 8)) }
        Keccak.permute(&lanes)
        return (0..<32).map { UInt8(truncatingIfNeeded: lanes[$0 / 8] >> UInt64(8 * ($0 % 8))) }
    }

    @Test("Keccak-f[1600] gives the FIPS 202 SHA3-256 digests", arguments: [
        ("", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"),
        ("abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
    ])
    func keccakThroughSha3(message: String, digest: String) {
        #expect(Hex.encode(sha3_256(Array(message.utf8))) == digest)
    }

    @Test("Keccak-f[1600] on the zero state gives the Keccak team's first lanes")
    func keccakZeroState() {
        var lanes = [UInt64](repeating: 0, count: 25)
        Keccak.permute(&lanes)
        #expect(lanes[0] == 0xF1258F7940E1DDE7)
        #expect(lanes[1] == 0x84D5CCF933C0478A)
    }

    @Test("STROBE-128 conformance vector (merlin crate, strobe.rs)")
    func strobeConformance() {
        var s = Strobe128(protocolLabel: Array("Conformance Test Protocol".utf8))
        s.metaAD(Array("ms".utf8), more: false)
        s.metaAD(Array("g".utf8), more: true)
        s.ad([UInt8](repeating: 99, count: 1024), more: false)
        s.metaAD(Array("prf".utf8), more: false)
        let prf1 = s.prf(count: 32, more: false)
        #expect(Hex.encode(prf1) == "b48e645ca17c667fd5206ba57a6a228d72d8e1903814d3f17f622996d7cfefb0")
        s.metaAD(Array("key".utf8), more: false)
        s.key(prf1, more: false)
        s.metaAD(Array("prf".utf8), more: false)
        #expect(Hex.encode(s.prf(count: 32, more: false))
                == "07e45cce8078cee259e3e375bb85d75610e2d1e1201c5f645045a194edd49ff8")
    }

    @Test("Merlin equivalence_simple")
    func merlinSimple() {
        var t = MerlinTranscript(label: Array("test protocol".utf8))
        t.appendMessage(label: Array("some label".utf8), message: Array("some data".utf8))
        #expect(Hex.encode(t.challengeBytes(label: Array("challenge".utf8), count: 32))
                == "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615")
    }

    @Test("Merlin equivalence_complex (32 rounds of 1 KiB appends and challenges)")
    func merlinComplex() {
        var t = MerlinTranscript(label: Array("test protocol".utf8))
        t.appendMessage(label: Array("step1".utf8), message: Array("some data".utf8))
        let data = [UInt8](repeating: 99, count: 1024)
        var challenge: [UInt8] = []
        for _ in 0..<32 {
            challenge = t.challengeBytes(label: Array("challenge".utf8), count: 32)
            t.appendMessage(label: Array("bigdata".utf8), message: data)
            t.appendMessage(label: Array("challengedata".utf8), message: challenge)
        }
        #expect(Hex.encode(challenge) == "a8c933f54fae76e3f9bea93648c1308e7dfa2152dd51674ff3ca438351cf003c")
    }

    @Test("a copied transcript forks: same inputs agree, different inputs diverge")
    func transcriptIsAValue() {
        var a = MerlinTranscript(label: Array("p".utf8))
        var b = a
        a.appendMessage(label: Array("l".utf8), message: [1])
        b.appendMessage(label: Array("l".utf8), message: [1])
        var c = a
        c.appendMessage(label: Array("l".utf8), message: [2])
        let ca = a.challengeBytes(label: Array("c".utf8), count: 64)
        #expect(ca == b.challengeBytes(label: Array("c".utf8), count: 64))
        #expect(ca != c.challengeBytes(label: Array("c".utf8), count: 64))
    }

    @Test("the witness depends on the transcript, the secret and the randomness")
    func witnessInputs() {
        let t = MerlinTranscript(label: Array("p".utf8))
        let seed = [UInt8](repeating: 7, count: 32), rand = [UInt8](repeating: 1, count: 32)
        let base = t.witnessBytes(label: Array("signing".utf8), witnesses: [seed], randomness: rand, count: 64)
        #expect(base == t.witnessBytes(label: Array("signing".utf8), witnesses: [seed], randomness: rand, count: 64))
        #expect(base != t.witnessBytes(label: Array("signing".utf8), witnesses: [seed],
                                       randomness: [UInt8](repeating: 2, count: 32), count: 64))
        #expect(base != t.witnessBytes(label: Array("signing".utf8), witnesses: [[UInt8](repeating: 8, count: 32)],
                                       randomness: rand, count: 64))
        var u = t
        u.appendMessage(label: Array("x".utf8), message: [])
        #expect(base != u.witnessBytes(label: Array("signing".utf8), witnesses: [seed], randomness: rand, count: 64))
    }
}
