import ArenaModel
import Foundation
import Testing
import TestSupport

/// `shoparena admin suite-add | hidden-bank-add` through the built executable on a SQLite data folder: the
/// leak-cluster guard's report is printed, and `--reject-leaks` refuses a load that clusters with another pool.
@Suite("shoparena admin (CLI): leak guard on entry", .timeLimit(.minutes(5)))
struct AdminCLITests {
    @Test("hidden-bank-add reports a paraphrase of a public problem; --reject-leaks refuses it and adds nothing")
    func hiddenBankLeaks() throws {
        let scratch = try CLIProcess.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = scratch.appendingPathComponent("data").path
        let suiteFile = try SharedData.url("oro_problem_suite_v3.json")
        let publicIDs = try ProblemSuite(text: String(contentsOf: suiteFile, encoding: .utf8), fileName: suiteFile.path).problems.map(\.id)
        let bank = scratch.appendingPathComponent("bank.json")
        try """
            [{"problem_id": "hidden-paraphrase", "category": "Product",
              "query": "I need a waist bag from the brand hosport, for motorcycles, costing 180 to 505 pesos.",
              "reward": {"product_id": "7700000001", "title": ["Hosport Motorbike Hip Pack"]}},
             {"problem_id": "hidden-unrelated", "category": "Product",
              "query": "A stainless steel garden hose nozzle with seven spray patterns",
              "reward": {"product_id": "7700000003", "title": ["Garden Hose Nozzle 7 Patterns"]}}]
            """.write(to: bank, atomically: true, encoding: .utf8)

        let added = try CLIProcess.shoparena(["admin", "suite-add", suiteFile.path, "--reject-leaks", "--data-dir", data], in: scratch)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("leak check: none of 30 problem(s) clusters with any of 0 hidden race bank problem(s)"))
        #expect(added.stdout.contains("suite 1 (version 1): 30 problems"))

        let refused = try CLIProcess.shoparena(
            ["admin", "hidden-bank-add", bank.path, "--suite", "1", "--reject-leaks", "--data-dir", data], in: scratch)
        #expect(refused.status != 0)
        let line = "hidden-paraphrase clusters with suite problem \(publicIDs[0]) of suite 1: similar_text"
        #expect(refused.stderr.contains(line), "\(refused.stderr)")
        #expect(refused.stderr.contains("refused: 1 of 2 problem(s) share a leak cluster with public suite problem(s)"))
        #expect(!refused.stderr.contains("hidden-unrelated"))

        let loaded = try CLIProcess.shoparena(["admin", "hidden-bank-add", bank.path, "--suite", "1", "--data-dir", data], in: scratch)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout.contains("leak check: 1 of 2 problem(s) cluster with public suite problem(s)"))
        #expect(loaded.stdout.contains(line))
        // The refused attempt added nothing: this load adds both.
        #expect(loaded.stdout.contains("suite 1: 2 hidden race problems"))
    }
}
