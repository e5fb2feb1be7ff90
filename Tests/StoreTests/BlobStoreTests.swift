import Foundation
import Store
import ShopArenaTesting
import Testing

@Suite("Blob store")
struct BlobStoreTests {
    @Test func storesByContentAndDetectsCorruption() async throws {
        let blobs = try TestDatabases.blobs()
        let sha = try await blobs.put(Array("def agent_main(p): return []\n".utf8))
        #expect(SHA256Hex.isValid(sha))
        #expect(try await blobs.get(sha) == Array("def agent_main(p): return []\n".utf8))
        #expect(try await blobs.put(Array("def agent_main(p): return []\n".utf8)) == sha)
        #expect(try await blobs.get(String(repeating: "0", count: 64)) == nil)
        #expect(try await blobs.get("../etc/passwd") == nil)
        let path = blobs.root.appendingPathComponent(String(sha.prefix(2))).appendingPathComponent(sha)
        try Data("tampered".utf8).write(to: path)
        await #expect(throws: StoreError.self) { try await blobs.get(sha) }
    }

    @Test func sha256MatchesKnownVector() {
        #expect(SHA256Hex.digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hex.digest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
