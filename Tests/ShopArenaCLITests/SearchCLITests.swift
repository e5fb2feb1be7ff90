import ArenaModel
import Foundation
import Testing

/// `shoparena index build` and `shoparena search query` through the built executable.
@Suite("shoparena index build / search query (CLI)", .timeLimit(.minutes(5)))
struct SearchCLITests {
    @Test("both document orders give the same page; --profile prints the scan as JSON; a bad order is refused")
    func documentOrderAndProfile() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let catalog = try CLIProcess.generateCatalog(products: 1500, seed: 3, in: scratch)
        var pages: [String] = []
        for order in ["shortest-first", "catalog"] {
            let index = scratch.appendingPathComponent("\(order).idx").path
            let built = try CLIProcess.shoparena(
                ["index", "build", "--catalog", catalog, "--out", index, "--document-order", order], in: scratch)
            try #require(built.status == 0, "index build failed: \(built.stderr)")
            let query = try CLIProcess.shoparena(
                ["search", "query", "set premium quality", "--index", index, "--json", "--sort", "priceasc"], in: scratch)
            #expect(query.status == 0, "\(query.stderr)")
            pages.append(query.stdout)
        }
        #expect(pages[0] == pages[1])
        #expect(try JSONParser.parse(pages[0]).arrayValue?.count == 10)

        let index = scratch.appendingPathComponent("shortest-first.idx").path
        let profiled = try CLIProcess.shoparena(["search", "query", "set premium quality", "--index", index, "--profile"],
                                                in: scratch)
        #expect(profiled.status == 0, "\(profiled.stderr)")
        let profile = try JSONParser.parse(profiled.stdout)
        #expect(profile["terms"]?.arrayValue?.compactMap { $0["term"]?.stringValue } == ["set", "premium", "qualiti"])
        #expect(profile["kept"]?.intValue == 50)
        #expect((profile["scan"]?["documents_visited"]?.intValue ?? 0) > 0)
        #expect(profile["pruned_ms"]?.numberValue != nil)

        let refused = try CLIProcess.shoparena(
            ["index", "build", "--catalog", catalog, "--out", index, "--document-order", "random"], in: scratch)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("document-order"))
    }
}
