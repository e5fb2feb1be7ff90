import Foundation
import Testing
@testable import Identity

@Suite("Key files")
struct KeyStoreTests {
    func temporaryStore() -> KeyStore {
        KeyStore(directory: FileManager.default.temporaryDirectory
            .appendingPathComponent("shoparena-keys-\(UUID().uuidString)/keys").path)
    }

    func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("new keys are 0600 files in a 0700 folder, listed, loaded and never overwritten")
    func createListLoad() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: (store.directory as NSString).deletingLastPathComponent) }
        #expect(try store.list() == [])
        let b = try store.create(name: "validator-1")
        let a = try store.create(name: "A_miner")
        #expect(try mode(store.path(for: "A_miner")) == 0o600)
        #expect(try mode(store.directory) == 0o700)
        #expect(try store.list() == ["A_miner", "validator-1"])
        #expect(try store.load(name: "validator-1").ss58Address == b.ss58Address)
        #expect(try store.load(name: "A_miner").keypair.publicKey == a.keypair.publicKey)
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path(for: "A_miner")))
        #expect(throws: KeyStoreError.alreadyExists(path: store.path(for: "A_miner"))) { try store.create(name: "A_miner") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path(for: "A_miner"))) == before)
        #expect(throws: KeyStoreError.notFound(name: "nobody", directory: store.directory)) { try store.load(name: "nobody") }
    }

    @Test("the file holds the documented fields")
    func format() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: (store.directory as NSString).deletingLastPathComponent) }
        let seed = try Sr25519.MiniSecret(bytes: try Hex.decode(Sr25519Tests.aliceSeed))
        try store.store(name: "alice", miniSecret: seed)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.path(for: "alice")))) as? [String: Any]
        #expect(json?["format"] as? String == "shoparena-sr25519-key")
        #expect(json?["version"] as? Int == 1)
        #expect(json?["mini_secret"] as? String == Sr25519Tests.aliceSeed)
        #expect(json?["ss58_address"] as? String == Sr25519Tests.aliceAddress)
        #expect(json?["public_key"] as? String == "0x" + Sr25519Tests.alicePublic)
    }

    @Test("a tampered key file is refused")
    func tampered() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: (store.directory as NSString).deletingLastPathComponent) }
        try store.create(name: "k")
        let path = store.path(for: "k")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let other = Sr25519.Keypair(miniSecret: .random()).publicKey.ss58Address()
        let current = try store.load(name: "k").ss58Address
        text = text.replacingOccurrences(of: current, with: other)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: KeyStoreError.self) { try store.load(name: "k") }
        try "{}".write(toFile: path, atomically: false, encoding: .utf8)
        do { _ = try store.load(name: "k"); Issue.record("loaded {}") } catch {
            guard case .invalidKeyFile = error else { Issue.record("\(error)"); return }
        }
    }

    @Test("names must match [A-Za-z0-9_-]{1,64}", arguments: ["", "a b", "../x", "é", "a.json", String(repeating: "x", count: 65)])
    func badNames(name: String) {
        #expect(throws: KeyStoreError.invalidName(name)) { try KeyStore.validate(name: name) }
    }

    @Test("good names", arguments: ["a", "Z9_-", String(repeating: "x", count: 64)])
    func goodNames(name: String) throws {
        try KeyStore.validate(name: name)
    }

    @Test("keys directory: --keys-dir, then $SHOPARENA_HOME/keys, then ~/.shoparena/keys")
    func directoryResolution() {
        let env = ["SHOPARENA_HOME": "/srv/arena", "HOME": "/home/u"]
        #expect(KeyStore.resolveDirectory(explicit: "/k", environment: env) == "/k")
        #expect(KeyStore.resolveDirectory(explicit: nil, environment: env) == "/srv/arena/keys")
        #expect(KeyStore.resolveDirectory(explicit: nil, environment: ["HOME": "/home/u"]) == "/home/u/.shoparena/keys")
    }

    func writeWallet(_ object: [String: Any]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hotkey-\(UUID().uuidString)").path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("imports a Bittensor hotkey file and checks its address")
    func importWallet() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: (store.directory as NSString).deletingLastPathComponent) }
        let wallet = try writeWallet([
            "accountId": "0x" + Sr25519Tests.alicePublic, "publicKey": "0x" + Sr25519Tests.alicePublic,
            "secretPhrase": NSNull(), "secretSeed": Sr25519Tests.aliceSeed, "ss58Address": Sr25519Tests.aliceAddress,
        ])
        defer { try? FileManager.default.removeItem(atPath: wallet) }
        let entry = try store.importBittensorHotkey(name: "hk", from: wallet)
        #expect(entry.ss58Address == Sr25519Tests.aliceAddress)
        #expect(try mode(store.path(for: "hk")) == 0o600)
        #expect(throws: KeyStoreError.alreadyExists(path: store.path(for: "hk"))) {
            try store.importBittensorHotkey(name: "hk", from: wallet)
        }
    }

    @Test("bad wallet files are refused with a reason")
    func badWallets() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: (store.directory as NSString).deletingLastPathComponent) }
        let other = Sr25519.Keypair(miniSecret: .random()).publicKey.ss58Address()
        let mismatch = try writeWallet(["secretSeed": Sr25519Tests.aliceSeed, "ss58Address": other])
        let noSeed = try writeWallet(["ss58Address": other])
        let shortSeed = try writeWallet(["secretSeed": "0x1234", "ss58Address": other])
        let badAddress = try writeWallet(["secretSeed": Sr25519Tests.aliceSeed, "ss58Address": "5Gr"])
        let encrypted = FileManager.default.temporaryDirectory.appendingPathComponent("enc-\(UUID().uuidString)").path
        try "$NACLxxxxxxxx".write(toFile: encrypted, atomically: true, encoding: .utf8)
        defer { for p in [mismatch, noSeed, shortSeed, badAddress, encrypted] { try? FileManager.default.removeItem(atPath: p) } }

        #expect(throws: KeyStoreError.addressMismatch(path: mismatch, fileAddress: other, derivedAddress: Sr25519Tests.aliceAddress)) {
            try store.importBittensorHotkey(name: "x", from: mismatch)
        }
        for (path, fragment) in [(noSeed, "secretSeed"), (shortSeed, "secretSeed"), (badAddress, "ss58Address"),
                                 (encrypted, "encrypted"), ("/nonexistent/hotkey", "no such file")] {
            do { try store.importBittensorHotkey(name: "x", from: path); Issue.record("imported \(path)") } catch {
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
        #expect(try store.list() == [])
    }
}
