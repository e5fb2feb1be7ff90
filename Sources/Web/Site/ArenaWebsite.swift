import Backend
import Foundation
import Hummingbird
import Logging
import Store

/// The arena's web pages, mounted on the backend's router at `/` beside the API (`/v1/…`):
///
/// | path | page |
/// | --- | --- |
/// | `/` | leaderboard: tiles, qualifying/race tabs, search, pages |
/// | `/agents/{version}` (+ `/live`) | an agent version: status, live progress, runs, per-problem matrix, score history |
/// | `/runs/{id}` (+ `/live`) | a run: facts and live per-problem table |
/// | `/runs/{id}/problems/{problem}` | the trajectory viewer |
/// | `/races`, `/races/{id}` | the current race, history, qualifiers |
/// | `/miners/{hotkey}` | a miner's agents, versions and cooldown |
/// | `/corpus` | the corpus figures (from `CorpusFigures`) |
/// | `/validators` | validators, last seen, runs in flight |
/// | `/assets/…` | the stylesheet, the script and the icon (nothing is loaded from elsewhere) |
///
/// Every page reads public data only, through `PublicQueries`, `RaceRepository` and `WebQueries`, all of which
/// leave hidden race problems out. Unknown ids, and unknown paths outside `/v1/`, get a 404 page that says
/// what was looked for and where to go.
public struct ArenaWebsite: Sendable {
    let site: SiteContext
    let renderer: PageRenderer
    let logger: Logger

    public init(services: BackendServices, corpus: any CorpusFigures = CorpusNotYetAvailable(),
                logger: Logger = Logger(label: "shoparena.web")) throws(WebError) {
        site = SiteContext(services: services, corpus: corpus)
        renderer = try PageRenderer()
        self.logger = logger
    }

    /// Adds the pages to `router`. Call it after the API's routes: the 404-page middleware it adds then wraps
    /// only the pages and unmatched paths, never an API route.
    public func mount(on router: Router<ArenaRequestContext>) {
        router.add(middleware: NotFoundPageMiddleware(website: self))
        router.get("/") { request, _ in
            try await page("leaderboard", request) {
                try await LeaderboardPage.load(site, tab: request.uri.queryParameters["tab"].map(String.init),
                                               search: request.uri.queryParameters["q"].map(String.init),
                                               page: request.uri.queryParameters["page"].map(String.init))
            }
        }
        router.get("/agents/:version") { request, context in
            try await page("agent", request) { try await AgentPage.load(site, versionID: context.parameters.get("version") ?? "") }
        }
        router.get("/agents/:version/live") { request, context in
            try await page("agent-live", request) {
                let id = context.parameters.get("version") ?? ""
                guard let normalized = UUIDText.normalized(id), let version = try await site.publicQueries.agentVersion(normalized) else {
                    throw PageNotFound(title: "No such agent version", message: "There is no agent version “\(id)”.")
                }
                return try await AgentLive.load(site, version: version)
            }
        }
        router.get("/runs/:run") { request, context in
            try await page("run", request) { try await RunPage.load(site, runID: context.parameters.get("run") ?? "") }
        }
        router.get("/runs/:run/live") { request, context in
            try await page("run-live", request) {
                try await RunLive.load(site, run: try await RunPage.requireRun(site, context.parameters.get("run") ?? ""))
            }
        }
        router.get("/runs/:run/problems/:problem") { request, context in
            try await page("trajectory", request) {
                try await TrajectoryPage.load(site, runID: context.parameters.get("run") ?? "",
                                              problemID: context.parameters.get("problem") ?? "")
            }
        }
        router.get("/races") { request, _ in try await page("races", request) { try await RacesPage.load(site) } }
        router.get("/races/:race") { request, context in
            try await page("race", request) { try await RacePage.load(site, raceID: context.parameters.get("race") ?? "") }
        }
        router.get("/miners/:hotkey") { request, context in
            try await page("miner", request) { try await MinerPage.load(site, hotkey: context.parameters.get("hotkey") ?? "") }
        }
        router.get("/corpus") { request, _ in try await page("corpus", request) { try await CorpusPage.load(site) } }
        router.get("/validators") { request, _ in try await page("validators", request) { try await ValidatorsPage.load(site) } }
        for asset in Asset.all {
            router.get(RouterPath(stringLiteral: asset.path)) { request, _ in asset.response(ifNoneMatch: request.headers[.ifNoneMatch]) }
        }
    }

    /// Loads a model and renders it with `template`; a `PageNotFound` becomes the 404 page, any other failure the
    /// error page (logged), both as HTML.
    func page(_ template: String, _ request: Request, _ load: () async throws -> Any) async throws -> HTMLResponse {
        let started = ContinuousClock.now
        do {
            let model = try await load()
            let loaded = ContinuousClock.now
            let html = try renderer.render(model, template: template)
            return HTMLResponse(html: html, timing: .init(loadMillis: Self.millis(from: started, to: loaded),
                                                          renderMillis: Self.millis(from: loaded, to: .now)))
        } catch let missing as PageNotFound {
            return notFound(title: missing.title, message: missing.message, path: Format.clip(request.uri.path, limit: 200).text)
        } catch {
            logger.error("page \(template) failed: \(error)")
            let html = (try? renderer.render(FailurePage(message: "Reading the arena's data failed: \(error)"), template: "error"))
                ?? "<!doctype html><title>Error</title><p>This page could not be built.</p>"
            return HTMLResponse(html: html, status: .internalServerError)
        }
    }

    /// The 404 page (HTML, status 404).
    func notFound(title: String, message: String, path: String) -> HTMLResponse {
        let model = NotFoundPage(heading: title, message: message, path: path)
        let html = (try? renderer.render(model, template: "not-found"))
            ?? "<!doctype html><title>Not found</title><p>\(SafeHTML.escape(message))</p>"
        return HTMLResponse(html: html, status: .notFound)
    }

    static func millis(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Double {
        let elapsed = end - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}

/// Turns a 404 for a GET outside the API (`/v1/`, `/health`, `/openapi.json`) into the site's 404 page.
/// Added to the router after the API's routes, so it wraps only the pages and the router's not-found answer.
struct NotFoundPageMiddleware: RouterMiddleware {
    typealias Context = ArenaRequestContext
    let website: ArenaWebsite

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard request.method == .get || request.method == .head, !path.hasPrefix("/v1/"), path != "/health",
              !path.hasPrefix("/openapi") else {
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            return try website.notFound(
                title: "Page not found",
                message: "There is no page at \(Format.clip(path, limit: 200).text). The pages are the leaderboard, agents, "
                    + "runs and their trajectories, races, miners, the corpus and the validators.",
                path: Format.clip(path, limit: 200).text
            ).response(from: request, context: context)
        }
    }
}
