import ArenaModel
import Foundation
import HTTPTypes
import Store
import ShopArenaTesting
import Testing
@testable import Web

/// `/`: the same rows as `/v1/public/leaderboard`, statuses, tiles, search, tabs, paging and escaping.
@Suite("Leaderboard page")
struct LeaderboardPageTests {
    @Test(arguments: StoreKind.allCases)
    func rowsEqualThePublicAPIAndShowStatuses(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let a = try await WebFixtures.miner(arena), b = try await WebFixtures.miner(arena), c = try await WebFixtures.miner(arena)
        let t0 = arena.now
        let best = try await WebFixtures.version(arena, miner: a, name: "alpha", score: 0.9, submittedAt: t0 - 50)
        let tieEarlier = try await WebFixtures.version(arena, miner: b, name: "beta", score: 0.8, submittedAt: t0 - 40)
        let tieLater = try await WebFixtures.version(arena, miner: c, name: "gamma", score: 0.8, submittedAt: t0 - 30)
        let low = try await WebFixtures.version(arena, miner: c, name: "delta", score: 0.5, submittedAt: t0 - 20)
        try await WebFixtures.version(arena, miner: a, name: "gone", score: 0.99, discarded: true)
        try await WebFixtures.version(arena, miner: b, name: "waiting", state: "QUEUED")
        try await WebFixtures.top(arena, versionID: best.versionID, score: 0.9, topAt: t0 - 86_400_000)
        try await arena.sql("UPDATE agent_versions SET eliminated_at = ?, eliminated_in_race_number = 3 WHERE agent_version_id = ?",
                            [.int(t0 - 1000), .text(tieLater.versionID)])
        try await arena.test { client in
            let page = try await client.page("/")
            #expect(page.status == .ok)
            #expect(page.contentType == "text/html; charset=utf-8")
            let api = try await client.json("/v1/public/leaderboard")
            let apiRows = api["entries"]?.arrayValue?.compactMap { $0["agent_version_id"]?.stringValue } ?? []
            #expect(apiRows == [best.versionID, tieEarlier.versionID, tieLater.versionID, low.versionID])
            #expect(page.versionRows == apiRows)
            // Statuses: top, qualifier (≥ 95 % of the top's 0.9 = 0.855: nobody else), eliminated, eligible.
            let badges = page.attributeValues("class").filter { $0.hasPrefix("badge s-") }
            #expect(badges == ["badge s-top", "badge s-eligible", "badge s-eliminated", "badge s-eligible"])
            #expect(page.html.contains("Unique miners"))
            #expect(page.html.contains("<span class=\"label\">Unique miners</span><span class=\"value\">3</span>"))
            #expect(page.html.contains("alpha v1"), "the top agent tile names the top version")
            #expect(page.links.contains("/agents/\(best.versionID)"))
            #expect(page.links.contains("/miners/\(a)"))
            #expect(page.html.contains("data-copy=\"\(a)\""), "the full hotkey is copyable")
            #expect(!page.html.contains("gone"), "discarded versions are not ranked, like the API")
            #expect(page.headers[.init("Server-Timing")!]?.hasPrefix("app;dur=") == true)
            #expect(page.bytes < 150_000)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func searchKeepsBoardRanksAndMatchesNamesAndHotkeyPrefixes(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let a = try await WebFixtures.miner(arena, "5AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        let b = try await WebFixtures.miner(arena, "5BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")
        let first = try await WebFixtures.version(arena, miner: a, name: "Shopper_100%", score: 0.9)
        let second = try await WebFixtures.version(arena, miner: b, name: "quick-shopper", score: 0.7)
        let third = try await WebFixtures.version(arena, miner: b, name: "other", score: 0.6)
        try await arena.test { client in
            let byName = try await client.page("/?q=SHOPPER")
            #expect(byName.versionRows == [first.versionID, second.versionID])
            #expect(byName.html.contains("2 of 3 agent versions match"))
            let byHotkey = try await client.page("/?q=5BBB")
            #expect(byHotkey.versionRows == [second.versionID, third.versionID])
            // Board ranks survive the filter.
            #expect(byHotkey.html.contains("<td class=\"num rank\">2</td>"))
            #expect(byHotkey.html.contains("<td class=\"num rank\">3</td>"))
            // Hotkey prefixes are case-sensitive (SS58 is); LIKE wildcards in the search are literal.
            #expect(try await client.page("/?q=5bbb").versionRows.isEmpty)
            #expect(try await client.page("/?q=100%25").versionRows == [first.versionID])
            #expect(try await client.page("/?q=_").versionRows == [first.versionID])
            let none = try await client.page("/?q=nobody")
            #expect(none.status == .ok)
            #expect(none.html.contains("No agent name contains “nobody”"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func raceTabRanksByRaceScoreAndPagesHoldFiftyRows(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let miner = try await WebFixtures.miner(arena)
        var versions: [String] = []
        for i in 0..<55 {
            versions.append(try await WebFixtures.version(arena, miner: miner, name: "agent-\(i)", score: 0.9 - Double(i) * 0.01,
                                                          raceScore: i < 2 ? Double(i) * 0.1 + 0.5 : nil,
                                                          submittedAt: arena.now - Int64(i)).versionID)
        }
        let versionIDs = versions
        try await arena.test { client in
            let versions = versionIDs
            let race = try await client.page("/?tab=race")
            #expect(race.versionRows == [versions[1], versions[0]])
            let raceAPI = try await client.json("/v1/public/leaderboard?score_type=race")
            #expect(race.versionRows == raceAPI["entries"]?.arrayValue?.compactMap { $0["agent_version_id"]?.stringValue })
            let first = try await client.page("/")
            #expect(first.versionRows == Array(versions.prefix(50)))
            #expect(first.html.contains("Page 1 of 2"))
            #expect(first.links.contains("/?page=2"))
            let second = try await client.page("/?page=2")
            #expect(second.versionRows == Array(versions.suffix(5)))
            let api = try await client.json("/v1/public/leaderboard?limit=50&offset=50")
            #expect(second.versionRows == api["entries"]?.arrayValue?.compactMap { $0["agent_version_id"]?.stringValue })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func hostileAgentNamesRenderAsText(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let miner = try await WebFixtures.miner(arena)
        let hostile = "<script>alert('pwned')</script><img src=x onerror=alert(1)>"
        let version = try await WebFixtures.version(arena, miner: miner, name: hostile, score: 0.8)
        try await WebFixtures.top(arena, versionID: version.versionID, score: 0.8, topAt: arena.now - 1000)
        try await arena.test { client in
            for uri in ["/", "/agents/\(version.versionID)", "/miners/\(miner)", "/?q=%3Cscript"] {
                let page = try await client.page(uri)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.html.contains("<script>alert"), "\(uri) printed the name as markup")
                #expect(!page.html.contains("<img src=x"), "\(uri) printed the name as markup")
                #expect(page.html.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"), "\(uri) lost the name")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func withoutASuiteThePageExplainsWhatToDo(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await arena.test { client in
            let page = try await client.page("/")
            #expect(page.status == .ok)
            #expect(page.html.contains("No suite is active yet"))
            #expect(page.html.contains("<html lang=\"en\">"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func tilesShowTheOpenRaceCountdownAndProjectedQualifiers(kind: StoreKind) async throws {
        let arena = try await WebArena.make(kind)
        try await WebFixtures.suite(arena)
        let miner = try await WebFixtures.miner(arena)
        let top = try await WebFixtures.version(arena, miner: miner, name: "champion", score: 0.8)
        let close = try await WebFixtures.version(arena, miner: miner, name: "close", score: 0.77)
        try await WebFixtures.version(arena, miner: miner, name: "far", score: 0.5)
        try await WebFixtures.top(arena, versionID: top.versionID, score: 0.8, topAt: arena.now - 3_600_000)
        let closesAt = arena.now + 2 * 3_600_000 + 5 * 60_000
        try await WebFixtures.race(arena, number: 4, status: "QUALIFYING_OPEN", closesAt: closesAt)
        try await arena.test { client in
            let page = try await client.page("/")
            #expect(page.html.contains("Race 4: qualifying"))
            #expect(page.html.contains("data-countdown=\"\(closesAt)\""))
            #expect(page.html.contains(">2 h 5 min<"))
            // The incumbent and "close" (0.77 ≥ 0.95 × 0.8 = 0.76) qualify; "far" does not.
            #expect(page.html.contains("<span class=\"value\">2</span>"))
            let badges = page.attributeValues("class").filter { $0.hasPrefix("badge s-") }
            #expect(badges == ["badge s-top", "badge s-qualifier", "badge s-eligible"])
            #expect(page.versionRows.count == 3)
            _ = close
        }
    }
}
