import ArenaRuntime
import ArgumentParser
import Foundation
import Identity

/// `shoparena keys …`: hotkeys on disk (sr25519, SS58 prefix 42).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, import, list, show and use sr25519 hotkeys.",
        discussion: """
        Keys live in --keys-dir, else $SHOPARENA_HOME/keys, else ~/.shoparena/keys, one JSON file per key (mode 0600) holding the 32-byte mini \
        secret and the SS58 address. Key names: 1-64 characters from A-Z a-z 0-9 _ -.
        """,
        subcommands: [KeysNewCommand.self, KeysListCommand.self, KeysShowCommand.self, KeysSignCommand.self,
                      KeysImportCommand.self, KeysVerifyCommand.self])
}

/// The `--keys-dir` option shared by the `keys` subcommands.
struct KeysLocation: ParsableArguments {
    @Option(name: .long, help: "Keys directory (default: $SHOPARENA_HOME/keys, else ~/.shoparena/keys).") var keysDir: String?

    var store: KeyStore {
        KeyStore(directory: KeyStore.resolveDirectory(explicit: keysDir, environment: ProcessInfo.processInfo.environment))
    }
}

struct KeysNewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Create a hotkey from a fresh random seed (never overwrites).")

    @Option(name: .long, help: "Key name.") var name: String
    @OptionGroup var location: KeysLocation

    func run() async throws {
        let store = location.store
        let entry = try store.create(name: name)
        print(entry.ss58Address)
        printError("created key '\(name)' in \(store.path(for: name))")
    }
}

struct KeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored hotkeys.")

    @OptionGroup var location: KeysLocation

    func run() async throws {
        let lines = try KeyCommands.listing(location.store)
        if lines.isEmpty { printError("no keys in \(location.store.directory)") }
        for line in lines { print(line) }
    }
}

struct KeysShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a hotkey's SS58 address.")

    @Argument(help: "Key name.") var name: String
    @OptionGroup var location: KeysLocation

    func run() async throws {
        print(try location.store.load(name: name).ss58Address)
    }
}

struct KeysSignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a message (its UTF-8 bytes, context \"substrate\"); prints 0x + hex of the signature.")

    @Argument(help: "Key name.") var name: String
    @Argument(help: "The message.") var message: String
    @OptionGroup var location: KeysLocation

    func run() async throws {
        let entry = try location.store.load(name: name)
        print(entry.keypair.sign(Array(message.utf8)).hex)
    }
}

struct KeysImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a Bittensor wallet hotkey file (JSON with secretSeed and ss58Address).")

    @Option(name: .long, help: "Name for the imported key.") var name: String
    @Option(name: .long, help: "The hotkey file, e.g. ~/.bittensor/wallets/<wallet>/hotkeys/<hotkey>.") var from: String
    @OptionGroup var location: KeysLocation

    func run() async throws {
        let store = location.store
        let entry = try store.importBittensorHotkey(name: name, from: from)
        print(entry.ss58Address)
        printError("imported key '\(name)' into \(store.path(for: name))")
    }
}

struct KeysVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a signature by an SS58 address over a message (bare or <Bytes>-wrapped).")

    @Argument(help: "SS58 address of the signer.") var address: String
    @Argument(help: "The message.") var message: String
    @Argument(help: "The signature, hex (0x optional).") var signature: String

    func run() async throws { print(try KeyCommands.verify(address: address, message: message, signature: signature)) }
}
