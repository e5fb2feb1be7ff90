import ArenaModel
import Backend
import Foundation
import Store

/// What every page loader reads from: the backend's services (database, blobs, clock, settings), the public
/// and web queries over them, and the corpus figures. One value per site, shared read-only.
struct SiteContext: Sendable {
    let services: BackendServices
    let corpus: any CorpusFigures
    let problemTexts = ProblemTexts()

    /// The suite's visible problems and their texts (from the cache).
    func problems(suiteID: Int64) async throws -> ProblemTexts.Suite {
        try await problemTexts.suite(suiteID, queries: queries, publicQueries: publicQueries)
    }

    var publicQueries: PublicQueries { PublicQueries(database: services.database) }
    var queries: WebQueries { WebQueries(database: services.database) }
    var settings: BackendSettings { services.settings }
    func now() -> Int64 { services.now() }

    /// The daily qualifying close as the race engine reads it from the settings.
    var schedule: QualifyingSchedule { RaceEngine.Settings(backend: settings).schedule }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// A page that cannot be shown because what it names does not exist (or is not public): rendered as the
/// 404 page with a message that says what was looked for and where to go instead.
struct PageNotFound: Error, Sendable {
    var title: String
    var message: String
}
