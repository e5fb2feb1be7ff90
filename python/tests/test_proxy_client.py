"""ProxyClient against a stub HTTP server on 127.0.0.1 (sleep injected: no real waiting)."""

from __future__ import annotations

import json
import socket
import time

from conftest import json_reply

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
