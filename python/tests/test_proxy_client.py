"""ProxyClient against a stub HTTP server on 127.0.0.1 (sleep injected: no real waiting)."""

from __future__ import annotations

import json
import socket
import time

from conftest import json_reply

from shoparena_runtime import proxy_client
from shoparena_runtime.proxy_client import ProxyClient


class SleepRecorder:
    def __init__(self) -> None:
        self.calls = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client_for(stub, **kwargs) -> ProxyClient:
    kwargs.setdefault("sleep", SleepRecorder())
    kwargs.setdefault("access_token", "tok-123")
    kwargs.setdefault("request_log_file", "")
    kwargs.setdefault("inference_stats_file", "")
    return ProxyClient(base_url=stub.url, **kwargs)


def test_success_returns_parsed_json_without_sleeping(tcp_stub):
    hits = [{"product_id": "1", "shop_id": "s", "title": "Red Umbrella", "price": 99.0, "service": [], "sold_count": 3}]
    tcp_stub.routes.route("/search/find_product", lambda req: json_reply(hits))
    client = client_for(tcp_stub)
    assert client.find_product("red umbrella", page=2, price="0-100") == hits
    req = tcp_stub.routes.requests[0]
    assert req.method == "GET"
    assert req.query == {"q": ["red umbrella"], "page": ["2"], "price": ["0-100"]}
    assert client._sleep.calls == []
    assert client.last_status_code == 200


def test_find_product_drops_defaults_and_empty_filters(tcp_stub):
    tcp_stub.routes.route("/search/find_product", lambda req: json_reply([]))
    client = client_for(tcp_stub)
    assert client.find_product("x", shop_id="", price=None, sort="default", service="default,COD") == []
    assert client.find_product("x", sort="priceasc", service=["default"]) == []
    first, second = tcp_stub.routes.requests
    assert first.query == {"q": ["x"], "page": ["1"], "service": ["COD"]}
    assert second.query == {"q": ["x"], "page": ["1"], "sort": ["priceasc"]}


def test_view_product_information_joins_and_trims_ids(tcp_stub):
    tcp_stub.routes.route("/search/view_product_information", lambda req: json_reply([{"product_id": "1"}]))
    client = client_for(tcp_stub)
    assert client.view_product_information(" 1, 2 ,") == [{"product_id": "1"}]
    assert client.view_product_information(["3", "4"]) == [{"product_id": "1"}]
    assert [r.query["product_ids"] for r in tcp_stub.routes.requests] == [["1,2"], ["3,4"]]


def test_retries_on_500_with_doubling_backoff_then_succeeds(tcp_stub):
    err = json_reply({"error": "boom"}, status=500)
    tcp_stub.routes.sequence("/search/find_product", [err, err, json_reply([{"product_id": "7"}])])
    client = client_for(tcp_stub)
    assert client.find_product("x") == [{"product_id": "7"}]
    assert client._sleep.calls == [2.0, 4.0]
    assert len(tcp_stub.routes.requests) == 3


def test_none_after_max_retries_and_no_sleep_after_last_attempt(tcp_stub):
    tcp_stub.routes.sequence("/search/find_product", [json_reply({}, status=502)])
    client = client_for(tcp_stub)
    assert client.find_product("x") is None
    assert client._sleep.calls == [2.0, 4.0]
    assert len(tcp_stub.routes.requests) == 3
    assert client.last_status_code == 502


def test_429_uses_its_own_base_and_every_sleep_is_capped(tcp_stub):
    tcp_stub.routes.sequence("/search/find_product", [json_reply({}, status=429)])
    client = client_for(tcp_stub, max_retries=5)
    assert client.find_product("x") is None
    assert client._sleep.calls == [5.0, 10.0, 10.0, 10.0]

    tcp_stub.routes.sequence("/search/view_product_information", [json_reply({}, status=503)])
    client = client_for(tcp_stub, max_retries=6)
    assert client.view_product_information("1") is None
    assert client._sleep.calls == [2.0, 4.0, 8.0, 10.0, 10.0]


def test_only_200_is_success_and_bad_json_is_none_without_retry(tcp_stub):
    tcp_stub.routes.sequence("/search/find_product", [json_reply([1], status=201)])
    client = client_for(tcp_stub)
    assert client.find_product("x") is None
    assert len(tcp_stub.routes.requests) == 3

    tcp_stub.routes.route("/search/view_product_information", lambda req: (200, {}, b"<html>not json"))
    client = client_for(tcp_stub)
    assert client.view_product_information("1") is None
    assert client._sleep.calls == []
    assert len(tcp_stub.routes.requests) == 4


def test_bearer_only_on_inference_paths(tcp_stub):
    completion = {"choices": [{"message": {"content": "<think>a</think>", "reasoning_content": "r"}}]}
    tcp_stub.routes.route("/inference/chat/completions", lambda req: json_reply(completion))
    tcp_stub.routes.route("/search/find_product", lambda req: json_reply([]))
    client = client_for(tcp_stub)
    reply = client.chat_completion([{"role": "user", "content": "hi"}], model="m-1", temperature=0)
    assert ProxyClient.message_content(reply) == ("<think>a</think>", "r")
    client.find_product("x")
    inference, search = tcp_stub.routes.requests
    assert inference.method == "POST" and inference.headers.get("authorization") == "Bearer tok-123"
    assert inference.json() == {"model": "m-1", "messages": [{"role": "user", "content": "hi"}],
                                "temperature": 0, "stream": False}
    assert "authorization" not in search.headers
    assert client.inference_success == 1 and client.inference_failed == 0


def test_no_bearer_header_without_token(tcp_stub):
    tcp_stub.routes.route("/inference/chat/completions", lambda req: json_reply({}))
    client = client_for(tcp_stub, access_token="")
    client.chat_completion([])
    assert "authorization" not in tcp_stub.routes.requests[0].headers


def test_connection_errors_are_retried_then_none():
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sleeps = SleepRecorder()
    client = ProxyClient(base_url=f"http://127.0.0.1:{port}", sleep=sleeps, request_log_file="",
                         inference_stats_file="", access_token="t")
    assert client.chat_completion([{"role": "user", "content": "x"}]) is None
    assert sleeps.calls == [2.0, 4.0]
    assert client.last_status_code is None
    assert client.inference_failed == 1


def test_timeout_is_retried(tcp_stub):
    def slow(req):
        time.sleep(1.0)
        return json_reply([])

    tcp_stub.routes.route("/search/find_product", slow)
    client = client_for(tcp_stub, timeout=0.2, max_retries=2)
    assert client.find_product("x") is None
    assert client._sleep.calls == [2.0]


def test_request_log_has_attempt_and_summary_entries(tcp_stub, tmp_path):
    log = tmp_path / "request_log.jsonl"
    stats = tmp_path / "inference_stats.jsonl"
    tcp_stub.routes.sequence("/search/find_product",
                             [json_reply({}, status=500), json_reply([{"product_id": "5"}, {"product_id": 6}])])
    tcp_stub.routes.route("/inference/chat/completions", lambda req: json_reply({"choices": []}))
    client = client_for(tcp_stub, request_log_file=str(log), inference_stats_file=str(stats), problem_id="p1")
    client.find_product("x")
    client.chat_completion([{"role": "user", "content": "secret prompt"}], model="m")
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    kinds = [(e["kind"], e["path"], e.get("attempt"), e["status_code"]) for e in entries]
    assert kinds == [
        ("attempt", "/search/find_product", 0, 500),
        ("attempt", "/search/find_product", 1, 200),
        ("summary", "/search/find_product", None, 200),
        ("attempt", "/inference/chat/completions", 0, 200),
        ("summary", "/inference/chat/completions", None, 200),
    ]
    assert entries[2]["result_product_ids"] == ["5", "6"]
    assert entries[2]["params"] == {"q": "x", "page": 1}
    assert entries[4]["json_data"] == {"model": "m", "temperature": 0.0, "stream": False}
    assert json.loads(stats.read_text()) == {"problem_id": "p1", "inference_success": 1, "inference_failed": 0,
                                             "inference_total": 1}


def test_environment_proxy_settings_are_ignored(tcp_stub, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    tcp_stub.routes.route("/search/find_product", lambda req: json_reply(["ok"]))
    assert client_for(tcp_stub).find_product("x") == ["ok"]


def test_defaults_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_PROXY_URL", "http://127.0.0.1:1234/")
    monkeypatch.setenv("CHUTES_ACCESS_TOKEN", "env-token")
    monkeypatch.setenv("PROBLEM_DATA", json.dumps({"query": "q", "problem_id": "pid"}))
    client = ProxyClient()
    assert client.base_url == "http://127.0.0.1:1234"
    assert client.access_token == "env-token"
    assert client.problem_id == "pid"
    assert client.timeout == 120.0 and client.max_retries == 3


# -- ORO's public names (issue 13) ----------------------------------------------------------------------


def test_oro_names_and_default_constants():
    import src.agent.proxy_client as shim

    for name in ["ProxyClient", "RequestLog", "InferenceStats", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RETRIES",
                 "DEFAULT_RETRY_DELAY", "DEFAULT_RATE_LIMIT_RETRY_DELAY", "logger"]:
        assert hasattr(shim, name), name
    assert (shim.DEFAULT_TIMEOUT, shim.DEFAULT_MAX_RETRIES, shim.DEFAULT_RETRY_DELAY,
            shim.DEFAULT_RATE_LIMIT_RETRY_DELAY) == (120, 3, 2, 5)
    assert shim.logger.name == "src.agent.proxy_client"


def test_oro_positional_signature_and_attributes(monkeypatch):
    monkeypatch.delenv("CHUTES_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("INFERENCE_ACCESS_TOKEN", raising=False)
    client = ProxyClient("http://127.0.0.1:9/", 30, 4, 1, 3, "key-1")
    assert (client.proxy_url, client.timeout, client.max_retries, client.retry_delay,
            client.rate_limit_retry_delay, client.api_key) == ("http://127.0.0.1:9/", 30, 4, 1, 3, "key-1")
    assert client.base_url == "http://127.0.0.1:9" and client.access_token == "key-1"
    assert [client.backoff_delay(n, 500) for n in range(4)] == [1.0, 2.0, 4.0, 8.0]
    assert [client.backoff_delay(n, 429) for n in range(4)] == [3.0, 6.0, 10.0, 10.0]
    assert client._build_url("/search/find_product", {"q": "a b", "page": 2, "shop_id": None}) == (
        "http://127.0.0.1:9/search/find_product?q=a+b&page=2")
    assert isinstance(client.request_log, proxy_client.RequestLog)
    assert isinstance(client.inference_stats, proxy_client.InferenceStats)
    assert ProxyClient().api_key is None
    monkeypatch.setenv("CHUTES_ACCESS_TOKEN", "from-env")
    assert ProxyClient(api_key="").api_key == "from-env"  # ORO: a falsy key falls back to the environment


def test_oro_keyword_names_drive_retries(tcp_stub):
    tcp_stub.routes.sequence("/search/find_product", [json_reply({}, status=429), json_reply({}, status=500),
                                                      json_reply([{"product_id": "1"}])])
    sleeps = SleepRecorder()
    client = ProxyClient(proxy_url=tcp_stub.url, retry_delay=0.5, rate_limit_retry_delay=1.5, sleep=sleeps,
                         request_log_file="", inference_stats_file="")
    assert client.get("/search/find_product", {"q": "x"}) == [{"product_id": "1"}]
    assert sleeps.calls == [1.5, 1.0]


def test_retries_log_warnings_on_oros_logger(tcp_stub, caplog):
    tcp_stub.routes.sequence("/search/find_product", [json_reply({}, status=429), json_reply({}, status=503)])
    client = client_for(tcp_stub, max_retries=2)
    with caplog.at_level("WARNING", logger="src.agent.proxy_client"):
        assert client.get("/search/find_product", {"q": "x"}) is None
    messages = [r.getMessage() for r in caplog.records if r.name == "src.agent.proxy_client"]
    assert messages == ["GET /search/find_product rate limited (429), retry 1/2",
                        "GET /search/find_product returned status 503, retry 2/2",
                        "Failed GET /search/find_product after 2 retries"]


def test_request_log_on_its_own(tmp_path):
    path = tmp_path / "log.jsonl"
    log = proxy_client.RequestLog(str(path))
    assert log.log_file == str(path)
    big = [{"product_id": str(i), "title": "x" * 50} for i in range(60)]
    log.record("GET", "/search/find_product", params={"q": "a", "shop_id": None}, status_code=200,
               response_body=big, duration_ms=12.345)
    log.record("POST", "/inference/chat/completions", json_data={"model": "m", "messages": [{"role": "user"}]},
               status_code=None, duration_ms=3)
    log.record_attempt("POST", "/inference/chat/completions", 2, 1.26, status_code=None, error_class="TimeoutError")
    first, second, third = [json.loads(line) for line in path.read_text().splitlines()]
    assert first["kind"] == "summary" and first["method"] == "GET" and first["duration_ms"] == 12.3
    assert first["params"] == {"q": "a"}
    assert first["response_truncated"] is True and "response" not in first
    assert first["response_length"] == len(json.dumps(big))
    assert first["result_product_ids"] == [str(i) for i in range(60)]
    assert abs(first["timestamp"] - time.time() * 1000) < 60_000
    assert second["json_data"] == {"model": "m"} and second["status_code"] is None and second["params"] is None
    assert "response" not in second and second["response_length"] == 0
    assert third == {"kind": "attempt", "method": "POST", "path": "/inference/chat/completions",
                     "timestamp": third["timestamp"], "attempt": 2, "duration_ms": 1.3, "status_code": None,
                     "error_class": "TimeoutError"}
    silent = proxy_client.RequestLog(None)
    silent.record("GET", "/x")
    silent.record_attempt("GET", "/x", 0, 1.0)


def test_inference_stats_on_its_own(tmp_path, monkeypatch):
    path = tmp_path / "stats.jsonl"
    monkeypatch.setenv("PROBLEM_DATA", json.dumps({"query": "q", "problem_id": "p-9"}))
    stats = proxy_client.InferenceStats(str(path))
    stats.record_success()
    stats.record_failure()
    monkeypatch.setenv("PROBLEM_DATA", json.dumps({"query": "q", "id": 17}))
    stats.record_success()
    monkeypatch.setenv("PROBLEM_DATA", json.dumps({"query": "q"}))
    stats.record_failure()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines == [
        {"problem_id": "p-9", "inference_success": 1, "inference_failed": 0, "inference_total": 1},
        {"problem_id": "p-9", "inference_success": 1, "inference_failed": 1, "inference_total": 2},
        {"problem_id": "17", "inference_success": 2, "inference_failed": 1, "inference_total": 3},
        {"problem_id": "unknown", "inference_success": 2, "inference_failed": 2, "inference_total": 4},
    ]
    assert (stats.success, stats.failed, stats.total) == (2, 2, 4)
    proxy_client.InferenceStats(None).record_success()  # no file: nothing written, no error


def test_agent_may_swap_the_log_objects(tcp_stub, tmp_path):
    tcp_stub.routes.route("/inference/chat/completions", lambda req: json_reply({"choices": []}))
    client = client_for(tcp_stub)
    client.request_log = proxy_client.RequestLog(str(tmp_path / "r.jsonl"))
    client.inference_stats = proxy_client.InferenceStats(str(tmp_path / "s.jsonl"), problem_id="x")
    client.post("/inference/chat/completions", {"model": "m", "messages": []})
    assert [json.loads(l)["kind"] for l in (tmp_path / "r.jsonl").read_text().splitlines()] == ["attempt", "summary"]
    assert json.loads((tmp_path / "s.jsonl").read_text())["inference_success"] == 1
    assert client.inference_success == 1
