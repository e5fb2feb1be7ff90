import Hummingbird

/// Counts and times every request of the router it is added to (add it first, so that it wraps every route),
/// labelled with the matched route pattern, the method and the answered status.
///
/// A thrown error counts with its HTTP status (500 when it has none); a request no route matched counts under
/// `BackendMetrics.unmatchedRoute`. The clock is a `ContinuousClock` reading, used only for the duration.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: BackendMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.request(method: method, route: route(context), status: response.status.code, duration: clock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(method: method, route: route(context), status: status, duration: clock.now - start)
            throw error
        }
    }

    /// The matched route pattern; Hummingbird's own "NotFound" marker and no match both become one label.
    private func route(_ context: Context) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return BackendMetrics.unmatchedRoute }
        return path
    }
}
