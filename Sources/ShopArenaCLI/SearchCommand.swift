import ArenaModel
import ArenaRuntime
import ArgumentParser
import Foundation
import Search

/// `shoparena search …`: query an index, or serve it over HTTP.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Query or serve the product search index.",
        subcommands: [SearchQueryCommand.self, SearchServeCommand.self, SearchDemoCommand.self])
}

/// `shoparena search query "…" --index FILE [--page --price --sort --service --shop-id] [--json]`
struct SearchQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Run find_product against an index and print the page.")

    @Argument(help: "The query text (q).") var q: String
    @Option(help: "The index file.") var index: String
    @Option(help: "Page 1-5.") var page: String = "1"
    @Option(help: "Price range \"low-high\" (either side may be empty).") var price: String?
    @Option(help: "priceasc, pricedesc, order or default.") var sort: String?
    @Option(help: "Comma-separated services: official, freeShipping, COD, flashsale.") var service: String?
    @Option(name: .customLong("shop-id"), help: "Restrict to one shop.") var shopID: String?
    @Option(help: "How many BM25 hits are walked before filtering.") var candidateCap = FindProductLimits.defaultCandidateCap
    @Flag(help: "Print the find_product JSON array instead of a table.") var json = false
    @Flag(help: "Print how the query was answered instead: its terms, what the pruned scan visited and skipped, and the best of 5 timings: pruned and exhaustive ranking, and the whole find_product page (JSON).")
    var profile = false

    func run() async throws {
        let idx = try SearchIndex.open(path: index, verify: false)
        let request = FindProductRequest(q: q, page: page, shopID: shopID, price: price, sort: sort, service: service)
        if profile {
            printJSON(SearchProfile.profile(idx, request, candidateCap: candidateCap))
            return
        }
        let products = idx.findProduct(request, candidateCap: candidateCap)
        if json {
            printJSON(.array(products.map(\.searchResultJSON)))
            return
        }
        if products.isEmpty {
            print("no results")
            return
        }
        for line in SearchResultTable.lines(products, page: page) { print(line) }
    }
}
