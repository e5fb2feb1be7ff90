import ArenaModel
import Catalog
import Foundation
import Search

/// `shoparena bench search`: index build time and size, resident memory, in-process find_product latency over a
/// deterministic query set derived from titles (pruned, and exhaustive for comparison, with a count of queries where
/// the two disagree), throughput, the real HTTP server under concurrent clients, and top-10 overlap with Lucene.
public struct BenchSearch: Sendable {
    /// The catalog benchmarked: a file, or one generated with `catalog generate` into a temporary file.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case file(String)
        case generated(products: Int, seed: UInt64)

        public var description: String {
            switch self {
            case .file(let path): path
            case .generated(let products, let seed): "generated: --products \(products) --seed \(seed)"
            }
        }
    }

    public var source: Source
    /// Concurrent HTTP clients against the real server on 127.0.0.1 (0 skips the HTTP run).
    public var httpClients = 8
    /// find_product requests sent over HTTP in total.
    public var httpRequests = 3000
    /// Index file to build (nil: a temporary file, removed afterwards).
    public var index: String?
    /// Reuse `index` if it exists instead of rebuilding.
    public var reuseIndex = false
    public var documentOrder: IndexDocumentOrder = .shortestFirst
    /// How many queries to derive from titles.
    public var queries = 300
    /// Read the queries from this file (one JSON string per line) instead.
    public var queryFile: String?
    /// Write the derived queries here (one JSON string per line) for peer engines.
    public var writeQueries: String?
    /// Timed passes over the query set.
    public var repeats = 3
    /// Concurrent query tasks for the throughput run.
    public var concurrency = 1
    /// Oracle output of `LuceneOracle.java bench` (its top10) to compute top-10 overlap.
    public var golden: String?
    public var candidateCap = FindProductLimits.defaultCandidateCap

    public init(source: Source, httpClients: Int = 8, httpRequests: Int = 3000, index: String? = nil,
                reuseIndex: Bool = false, documentOrder: IndexDocumentOrder = .shortestFirst, queries: Int = 300,
                queryFile: String? = nil, writeQueries: String? = nil, repeats: Int = 3, concurrency: Int = 1,
                golden: String? = nil, candidateCap: Int = FindProductLimits.defaultCandidateCap) {
        self.source = source
        self.httpClients = httpClients
        self.httpRequests = httpRequests
        self.index = index
        self.reuseIndex = reuseIndex
        self.documentOrder = documentOrder
        self.queries = queries
        self.queryFile = queryFile
        self.writeQueries = writeQueries
        self.repeats = repeats
        self.concurrency = concurrency
        self.golden = golden
        self.candidateCap = candidateCap
    }

    var seed: UInt64 {
        if case .generated(_, let seed) = source { return seed }
        return 0
    }

    /// Builds (or reuses) the index, times every kind of query and returns the report.
    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> JSONValue {
        var generatedSeconds: Double?
        let catalog: String
        let seed = self.seed
        switch source {
        case .file(let path): catalog = path
        case .generated(let count, _):
            catalog = NSTemporaryDirectory() + "shoparena-bench-\(getpid())-\(count).jsonl"
            let start = Date()
            let generator = try CatalogGenerator(configuration: CatalogGeneratorConfiguration(productCount: count, seed: seed), cover: [])
            let writer = try CatalogWriter(path: catalog)
            _ = try await generator.generate(into: writer, manifest: nil, parallelism: 2) { done, total in
                if done % 250_000 == 0 || done == total { progress("bench: generated \(done)/\(total) products") }
            }
            generatedSeconds = Date().timeIntervalSince(start)
        }
        defer { if case .generated = source { unlink(catalog) } }
        let indexPath = index ?? NSTemporaryDirectory() + "shoparena-bench-\(getpid()).idx"
        var buildSeconds: Double? = nil
        var summary: IndexBuildSummary? = nil
        if !(reuseIndex && FileManager.default.fileExists(atPath: indexPath)) {
            let start = Date()
            summary = try IndexBuilding.build(catalog: catalog, out: indexPath, order: documentOrder, progress: progress)
            buildSeconds = Date().timeIntervalSince(start)
        }
        defer { if index == nil { unlink(indexPath) } }
        let rssBefore = Self.status("VmRSS")
        let openStart = Date()
        let idx = try SearchIndex.open(path: indexPath)
        let openSeconds = Date().timeIntervalSince(openStart)
        let rssAfterOpen = Self.status("VmRSS")

        let qs: [String]
        if let queryFile {
            qs = try String(contentsOfFile: queryFile, encoding: .utf8).split(separator: "\n")
                .compactMap { try? JSONParser.parse(String($0)).stringValue }
        } else {
            qs = try Self.deriveQueries(catalog: catalog, documentCount: idx.documentCount, count: queries)
        }
        if let writeQueries {
            let text = qs.map { JSONWriter().string(.string($0)) + "\n" }.joined()
            try text.write(toFile: writeQueries, atomically: true, encoding: .utf8)
        }
        let cap = candidateCap
        func run(_ q: String) -> [Product] { idx.findProduct(FindProductRequest(q: q), candidateCap: cap) }
        func runFiltered(_ q: String) -> [Product] {
            idx.findProduct(FindProductRequest(q: q, price: "100-1000", sort: "priceasc", service: "COD"), candidateCap: cap)
        }

        for q in qs { _ = run(q) }  // warm-up: fault in the pages the queries touch
        var latencies: [Double] = []
        var filteredLatencies: [Double] = []
        var rankingLatencies: [Double] = []
        let clock = ContinuousClock()
        var slowest: [String: Double] = [:]
        let parsed = qs.map { FindProductQuery(FindProductRequest(q: $0)) }
        // One pass per kind over all the queries, so no timing profits from the caches the same query's
        // previous call warmed (as Lucene's timing loop does).
        for _ in 0..<max(1, repeats) {
            for q in qs {
                let t = clock.measure { _ = run(q) }
                latencies.append(Self.ms(t))
                slowest[q] = min(slowest[q] ?? .infinity, Self.ms(t))
            }
            for q in qs {
                filteredLatencies.append(Self.ms(clock.measure { _ = runFiltered(q) }))
            }
            for query in parsed {
                rankingLatencies.append(Self.ms(clock.measure { _ = query.map { idx.keptDocuments($0, candidateCap: cap) } }))
            }
        }

        // The same queries through the exhaustive walk (no pruning), and a check that both agree.
        var exhaustiveLatencies: [Double] = []
        var exhaustiveFilteredLatencies: [Double] = []
        var mismatches = 0
        let requests = qs.flatMap { q in
            [FindProductRequest(q: q), FindProductRequest(q: q, price: "100-1000", sort: "priceasc", service: "COD")]
        }
        for (i, r) in requests.enumerated() {
            guard let query = FindProductQuery(r) else { continue }
            var slow: [Int] = []
            let t = clock.measure { slow = idx.keptDocuments(query, candidateCap: cap, pruning: false) }
            if i % 2 == 0 { exhaustiveLatencies.append(Self.ms(t)) } else { exhaustiveFilteredLatencies.append(Self.ms(t)) }
            if idx.keptDocuments(query, candidateCap: cap) != slow { mismatches += 1 }
        }

        var throughput: Double? = nil
        if concurrency > 1 {
            let start = clock.now
            let total = qs.count * max(1, repeats)
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var i = worker
                        while i < total {
                            _ = run(qs[i % qs.count])
                            i += concurrency
                        }
                    }
                }
            }
            throughput = Double(total) / Self.seconds(clock.now - start)
        }

        var http: JSONValue = .null
        if httpClients > 0 {
            let r = try await BenchSearchHTTP.run(index: idx, queries: qs, clients: httpClients, requests: httpRequests)
            http = .object([
                ("clients", .int(Int64(httpClients))), ("requests", .int(Int64(r.requests))),
                ("failures", .int(Int64(r.failures))), ("requests_per_second", .double(Double(r.requests) / r.seconds)),
                ("latency_ms", Self.summary(r.latenciesMS)),
            ])
        }

        var overlap: JSONValue = .null
        if let golden {
            let g = try JSONParser.parse(String(contentsOfFile: golden, encoding: .utf8))
            if let top10 = g["top10"]?.objectValue {
                var sum = 0.0
                var n = 0
                var exact = 0
                for (q, ids) in top10 {
                    let theirs = (ids.arrayValue ?? []).compactMap(\.stringValue)
                    let ours = run(q).map(\.productID)
                    let common = Set(theirs).intersection(ours).count
                    sum += theirs.isEmpty && ours.isEmpty ? 1 : Double(common) / Double(max(theirs.count, ours.count))
                    if theirs == ours { exact += 1 }
                    n += 1
                }
                overlap = .object([("queries", .int(Int64(n))), ("mean_top10_overlap", .double(n == 0 ? 0 : sum / Double(n))),
                                   ("identical_top10_lists", .int(Int64(exact)))])
            }
        }

        let report: JSONValue = .object([
            ("engine", .string("shoparena-swift")),
            ("catalog", .string(source.description)),
            ("generate_seconds", generatedSeconds.map(JSONValue.double) ?? .null),
            ("documents", .int(Int64(idx.documentCount))),
            ("terms", .int(Int64(idx.termCount))),
            ("postings", summary.map { .int(Int64($0.postings)) } ?? .null),
            ("build_seconds", buildSeconds.map(JSONValue.double) ?? .null),
            ("build_threads", buildSeconds == nil ? .null : .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
            ("index_bytes", .int(Int64(idx.fileSize))),
            ("open_seconds", .double(openSeconds)),
            ("rss_mb_before_open", .double(rssBefore)),
            ("rss_mb_after_open", .double(rssAfterOpen)),
            ("rss_mb_after_queries", .double(Self.status("VmRSS"))),
            ("rss_anon_mb_after_queries", .double(Self.status("RssAnon"))),
            ("rss_file_mb_after_queries", .double(Self.status("RssFile"))),
            ("peak_rss_mb", .double(Self.status("VmHWM"))),
            ("queries", .int(Int64(qs.count))),
            ("repeats", .int(Int64(repeats))),
            ("candidate_cap", .int(Int64(cap))),
            ("find_product_ms", Self.summary(latencies)),
            ("find_product_filtered_ms", Self.summary(filteredLatencies)),
            // The ranked top 50 alone (what Lucene's search(q, 50) times): find_product without decoding
            // the page's 10 stored products.
            ("ranking_ms", Self.summary(rankingLatencies)),
            ("exhaustive_ms", Self.summary(exhaustiveLatencies)),
            ("exhaustive_filtered_ms", Self.summary(exhaustiveFilteredLatencies)),
            ("pruned_vs_exhaustive_mismatches", .int(Int64(mismatches))),
            ("slowest_queries_best_of_repeats_ms", .object(slowest.sorted { $0.value > $1.value }.prefix(8).map { ($0.key, .double($0.value)) })),
            ("concurrency", .int(Int64(concurrency))),
            ("throughput_qps", throughput.map(JSONValue.double) ?? .null),
            ("http", http),
            ("lucene_overlap", overlap),
        ])
        return report
    }

    public static func ms(_ d: Duration) -> Double { seconds(d) * 1000 }
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func summary(_ values: [Double]) -> JSONValue {
        let s = values.sorted()
        func pct(_ p: Double) -> Double { s.isEmpty ? 0 : s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)] }
        return .object([("p50", .double(pct(0.5))), ("p90", .double(pct(0.9))), ("p99", .double(pct(0.99))),
                        ("max", .double(s.last ?? 0)), ("mean", .double(s.isEmpty ? 0 : s.reduce(0, +) / Double(s.count)))])
    }

    /// A value in MB from /proc/self/status (e.g. VmRSS), or -1 where unavailable.
    static func status(_ key: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
            return kb / 1024
        }
        return -1
    }

    /// Deterministic queries from titles: `count` evenly spaced documents, a window of 1–4 title words
    /// chosen by a fixed LCG.
    static func deriveQueries(catalog: String, documentCount: Int, count: Int) throws -> [String] {
        let stride = max(1, documentCount / max(1, count))
        var reader = try CatalogReader(path: catalog)
        var out: [String] = []
        var i = 0
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        while out.count < count, let doc = try reader.next() {
            defer { i += 1 }
            guard i % stride == 0 else { continue }
            let words = doc.product.title.split(separator: " ")
            guard !words.isEmpty else { continue }
            let length = 1 + next() % min(4, words.count)
            let start = next() % (words.count - length + 1)
            out.append(words[start..<(start + length)].joined(separator: " "))
        }
        return out
    }
}
