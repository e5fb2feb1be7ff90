import ArenaClient
import Testing
@testable import Validator

/// The replica list of a validator: tried in order from the one in use, failover on no answer or a 5xx only,
/// sticky once moved, and the backend's absolute URLs mapped back onto the replicas.
@Suite("Backend endpoints")
struct BackendEndpointsTests {
    @Test func failsOverInOrderAndStaysOnTheReplicaThatAnswers() {
        let endpoints = BackendEndpoints(["http://a:1/", "http://b:2", "http://a:1", "http://c:3"])
        #expect(endpoints.urls == ["http://a:1", "http://b:2", "http://c:3"])
        #expect(endpoints.active == "http://a:1")
        #expect(endpoints.attemptOrder().map(\.url) == ["http://a:1", "http://b:2", "http://c:3"])

        endpoints.failed(0)
        #expect(endpoints.active == "http://b:2")
        // A late failure report about a replica no longer in use does not move the pointer again.
        endpoints.failed(0)
        #expect(endpoints.active == "http://b:2")
        #expect(endpoints.attemptOrder().map(\.url) == ["http://b:2", "http://c:3", "http://a:1"])
        // Sticky: b stays in use while it answers, even though a is first in the list.
        endpoints.answered(1)
        #expect(endpoints.active == "http://b:2")
        endpoints.failed(1)
        endpoints.failed(2)
        #expect(endpoints.active == "http://a:1")
    }

    @Test func mapsTheBackendsOwnURLsBackOntoTheReplicas() {
        let endpoints = BackendEndpoints(["http://127.0.0.1:8080", "http://127.0.0.1:8081"])
        #expect(endpoints.path(of: "http://127.0.0.1:8081/v1/code/r/t/agent.py") == "/v1/code/r/t/agent.py")
        #expect(endpoints.path(of: "http://127.0.0.1:8080/v1/uploads/tok") == "/v1/uploads/tok")
        #expect(endpoints.path(of: "http://127.0.0.1:80801/v1/uploads/tok") == nil)
        #expect(endpoints.path(of: "https://arena.example/v1/uploads/tok") == nil)
    }

    @Test func onlyNoAnswerAndServerErrorsWarrantFailover() {
        #expect(BackendClientError.connection("refused").warrantsFailover)
        #expect(BackendClientError.http(status: 503, code: nil, detail: "").warrantsFailover)
        #expect(BackendClientError.http(status: 500, code: nil, detail: "").warrantsFailover)
        #expect(!BackendClientError.http(status: 409, code: "AT_CAPACITY", detail: "").warrantsFailover)
        #expect(!BackendClientError.http(status: 404, code: nil, detail: "").warrantsFailover)
        #expect(!BackendClientError.badResponse("x").warrantsFailover)
    }
}
