import ArenaRuntime
import ArgumentParser
import Catalog
import Foundation
import Search

/// `shoparena index …`: build and inspect search index files.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build and inspect search index files.",
        subcommands: [IndexBuildCommand.self, IndexInfoCommand.self])
}

/// `shoparena index build --catalog FILE --out FILE`
struct IndexBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Index a JSONL catalog ({id, contents, product} lines) into a memory-mappable index file.")

    @Option(help: "The catalog JSONL file.") var catalog: String
    @Option(help: "The index file to write (written to FILE.partial, renamed at the end).") var out: String
    @Option(help: "Document numbering: shortest-first (prunes best) or catalog. Results are the same either way.") var documentOrder: IndexDocumentOrder = .shortestFirst
    @Option(help: "Threads to index on (default: every core). The file is the same whatever the number.") var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        let summary = try IndexBuilding.build(catalog: catalog, out: out, order: documentOrder,
                                              parallelism: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                              progress: { printError($0) })
        printError("indexed \(summary.documents) documents, \(summary.terms) terms, \(summary.postings) postings, \(summary.bytes) bytes -> \(out)")
    }
}

/// `shoparena index info --index FILE`
struct IndexInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Check an index file and print its statistics.")

    @Option(help: "The index file.") var index: String

    func run() async throws {
        print(try IndexBuilding.info(path: index))
    }
}

extension IndexDocumentOrder: ExpressibleByArgument {}
