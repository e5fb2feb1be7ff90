import ArenaRuntime
import ArgumentParser
import Hummingbird
import Search
import SearchService

/// `shoparena search serve`: the ShoppingBench/ORO search server over a binary index.
struct SearchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve find_product, view_product_information and get_product_raw over HTTP.",
        discussion: """
            Endpoints (GET): /find_product?q&page&shop_id&price&sort&service, \
            /view_product_information?product_ids=a,b, /get_product_raw?product_ids=a,b, /health, /.
            Bad parameters answer [] as the reference does; the server never answers 500 for input.
            Stops gracefully on Ctrl-C or SIGTERM.
            """)

    @Option(help: "The index file built by `shoparena index build`.") var index: String
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (ShoppingBench uses 5631).") var port: Int = 5631

    func run() async throws {
        let engine: SearchIndex
        do {
            engine = try SearchIndex.open(path: index)
        } catch {
            throw ValidationError("\(error)")
        }
        printError("search: \(engine.documentCount) products from \(index); listening on http://\(host):\(port)")
        let app = SearchServer.makeApplication(engine: engine, host: host, port: port)
        try await ListenFailure.explaining(host: host, port: port) { try await app.runService() }
    }
}
