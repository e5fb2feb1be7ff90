import ArenaModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import Store
import ShopArenaTesting
import Testing
@testable import Web

/// `/races`, `/races/{id}`, `/miners/{hotkey}`, `/corpus`, `/validators` and the assets.
@Suite("Races, miners, corpus, validators and assets")
struct OtherPagesTests {
    @Test(arguments: StoreKind.allCases)
    func racesListTheOpenRaceAndHistoryWithoutHiddenProblems(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        let suite = try await WebFixtures.suite(arena, visible: 1, hidden: 2)
        let miner = try await WebFixtures.miner(arena)
        let winner = try await WebFixtures.version(arena, miner: miner, name: "winner<>", score: 0.8, raceScore: 0.85)
        let loser = try await WebFixtures.version(arena, miner: miner, name: "loser", score: 0.78)
        let done = try await WebFixtures.race(
            arena, number: 1, status: "RACE_COMPLETE", closesAt: arena.now - 86_400_000, winner: winner.versionID, winnerScore: 0.85,
            qualifiers: [(winner.versionID, "SCORED", 0.8, 0.85, 1), (loser.versionID, "SCORED", 0.78, nil, nil)],
            problems: suite.hidden)
        try await WebFixtures.race(arena, number: 2, status: "CANCELLED", closesAt: arena.now - 3_600_000)
        let open = try await WebFixtures.race(arena, number: 3, status: "QUALIFYING_OPEN", closesAt: arena.now + 600_000)
        try await arena.test { client in
            let list = try await client.page("/races")
            #expect(list.status == .ok)
            #expect(list.links.contains("/races/\(open)"))
            #expect(list.links.contains("/races/\(done)"))
            #expect(list.html.contains("data-countdown=\"\(arena.now + 600_000)\""))
            #expect(list.html.contains("winner&lt;&gt; v1"))
            #expect(list.html.contains("none (cancelled)"))
            let detail = try await client.page("/races/\(done)")
            #expect(detail.status == .ok)
            #expect(detail.html.contains("<tr class=\"winner\">"))
            #expect(detail.html.contains("did not finish (no race score)"))
            #expect(detail.html.contains("<dd>2 <span class=\"muted small\">(never shown)</span></dd>"))
            for hidden in suite.hidden { #expect(!detail.html.contains(hidden)) }
            #expect(!detail.html.contains("SECRET-HIDDEN-QUERY"))
            let openPage = try await client.page("/races/\(open)")
            #expect(openPage.html.contains("Qualifiers are decided when qualifying closes."))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func minerPageGroupsVersionsAndShowsTheCooldown(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let miner = try await WebFixtures.miner(arena, cooldownUntil: arena.now + 90 * 60_000)
        let v1 = try await WebFixtures.version(arena, miner: miner, name: "first", score: 0.3, submittedAt: arena.now - 3000)
        let v2 = try await WebFixtures.version(arena, miner: miner, name: "first", number: 2, score: 0.6, submittedAt: arena.now - 2000)
        let other = try await WebFixtures.version(arena, miner: miner, name: "second", state: "QUEUED", submittedAt: arena.now - 1000)
        let idle = try await WebFixtures.miner(arena)
        try await arena.test { client in
            let page = try await client.page("/miners/\(miner)")
            #expect(page.status == .ok)
            #expect(page.html.contains("<h3>first</h3>"))
            #expect(page.html.contains("<h3>second</h3>"))
            for version in [v1, v2, other] { #expect(page.links.contains("/agents/\(version.versionID)")) }
            #expect(page.html.contains("data-countdown=\"\(arena.now + 90 * 60_000)\">1 h 30 min</span> left"))
            #expect(page.html.contains("<svg class=\"chart\""))
            let quiet = try await client.page("/miners/\(idle)")
            #expect(quiet.status == .ok)
            #expect(quiet.html.contains("none: may submit now"))
            #expect(quiet.html.contains("has not submitted an agent yet"))
            // A validator is not a miner.
            let validator = try await WebFixtures.validator(arena, name: "v")
            #expect(try await client.page("/miners/\(validator)").status == .notFound)
        }
    }

    struct Figures: CorpusFigures {
        func summary() async throws -> CorpusSummary? {
            CorpusSummary(trajectories: 120, accepted: 90,
                          byCategory: [CorpusCount(label: "product", count: 60), CorpusCount(label: "voucher<x>", count: 60)],
                          byVerdict: [CorpusCount(label: "kept", count: 90), CorpusCount(label: "rejected", count: 30)],
                          byRejectReason: [CorpusCount(label: "no recommendation", count: 30)],
                          perDay: [])
        }
        func verdicts(for trajectories: [TrajectoryKey]) async throws -> [TrajectoryKey: CorpusVerdict] { [:] }
    }

    @Test func corpusPageSaysWhatItWillShowThenDrawsTheFigures() async throws {
        let pending = try await WebArena.make(.sqlite)
        try await pending.test { client in
            let page = try await client.page("/corpus")
            #expect(page.status == .ok)
            #expect(page.html.contains("The corpus is not available on this arena yet."))
            #expect(page.html.contains("by reject reason"))
        }
        let ready = try await WebArena.make(.sqlite, corpus: Figures())
        try await ready.test { client in
            let page = try await client.page("/corpus")
            #expect(page.html.contains("120 trajectories ingested; 90 kept (75.0 %)."))
            #expect(page.html.components(separatedBy: "<svg class=\"chart bars\"").count - 1 == 3)
            #expect(page.html.contains("voucher&lt;x&gt;"))
            #expect(!page.html.contains("voucher<x>"))
            #expect(page.html.contains("<h2 id=\"per-day\">Per day</h2>\n<p class=\"empty\">Nothing yet.</p>"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func validatorsPageShowsRunsInFlightAndNoSecrets(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let busy = try await WebFixtures.validator(arena, name: "busy-bee", lastSeen: arena.now - 30_000)
        let idle = try await WebFixtures.validator(arena, name: "idle")
        let miner = try await WebFixtures.miner(arena)
        try await arena.sql("UPDATE identities SET inference_credential = 'SECRET-CREDENTIAL' WHERE hotkey = ?", [.text(miner)])
        let version = try await WebFixtures.version(arena, miner: miner, name: "work", state: "RUNNING")
        let run = try await WebFixtures.run(arena, version, validator: busy, status: "RUNNING")
        try await arena.test { client in
            let page = try await client.page("/validators")
            #expect(page.status == .ok)
            #expect(page.html.contains("2 validators registered; 1 evaluating now, 1 run in flight."))
            #expect(page.html.contains("busy-bee"))
            #expect(page.html.contains("data-copy=\"\(idle)\""))
            #expect(page.links.contains("/runs/\(run)"))
            #expect(page.html.contains("30 s ago"))
            #expect(!page.html.contains("SECRET-CREDENTIAL"))
            #expect(!page.links.contains("/miners/\(busy)"), "validators are not linked as miners")
        }
    }

    @Test func assetsAreServedLocallyWithTypesAndETags() async throws {
        let arena = try await WebArena.make(.sqlite)
        try await arena.test { client in
            for (path, type) in [("/assets/site.css", "text/css; charset=utf-8"), ("/assets/site.js", "text/javascript; charset=utf-8"),
                                 ("/assets/icon.svg", "image/svg+xml"), ("/favicon.ico", "image/svg+xml")] {
                let response = try await client.execute(uri: path, method: .get, headers: [:], body: nil)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == type, "\(path)")
                let etag = try #require(response.headers[.eTag])
                let again = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: etag], body: nil)
                #expect(again.status == .notModified, "\(path)")
            }
            // Every page links only local assets: no CDN, no external script.
            let page = try await client.page("/")
            for link in page.attributeValues("src") + page.links where link.hasPrefix("http") {
                Issue.record("external reference \(link)")
            }
            #expect(page.headers[.init("Content-Security-Policy")!]?.contains("default-src 'self'") == true)
        }
    }
}
