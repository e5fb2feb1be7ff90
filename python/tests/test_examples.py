"""Example agents end to end: harness subprocess -> TCP bridge -> Unix-socket stub proxy with canned data."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EXAMPLES_DIR, json_reply

from shoparena_runtime.agent_interface import tool_call_id

CATALOG = [
    # product_id, shop_id, title, price, service, sold_count, attributes
    ("1000000001", "shopA", "Red Umbrella Wooden Handle Windproof", 250.0, ["COD"], 40, {"color": ["red"]}),
    ("1000000002", "shopA", "Red Umbrella Plastic Handle", 500.0, [], 900, {"color": ["red"]}),
    ("1000000003", "shopB", "Blue Umbrella Compact", 200.0, ["freeShipping"], 10, {"color": ["blue"]}),
    ("1000000004", "shopB", "Red Umbrella Folding", 120.0, ["freeShipping"], 5, {"color": ["red"]}),
    ("1000000005", "shopB", "Rain Coat Waterproof Hooded", 150.0, ["freeShipping"], 30, {"material": ["pvc"]}),
    ("1000000006", "shopC", "Garden Hose 20m", 300.0, [], 70, {}),
]


def _tokens(text: str):
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def find_product(req):
    q = _tokens(req.query.get("q", [""])[0])
    shop = req.query.get("shop_id", [None])[0]
    price = req.query.get("price", [None])[0]
    services = [s for s in req.query.get("service", [""])[0].split(",") if s]
    low, high = None, None
    if price and price.count("-") == 1:
        lo, hi = price.split("-")
        low = float(lo) if lo else None
        high = float(hi) if hi else None
    hits = []
    for pid, sid, title, p, svc, sold, _ in CATALOG:
        overlap = len(q & _tokens(title))
        if not overlap or (shop and sid != shop) or (low is not None and p < low) or (high is not None and p > high):
            continue
        if not all(s in svc for s in services):
            continue
        hits.append((-overlap, pid, {"product_id": pid, "shop_id": sid, "title": title, "price": p,
                                     "service": svc, "sold_count": sold}))
    hits.sort(key=lambda h: (h[0], h[1]))
    return json_reply([h[2] for h in hits[:10]])


def view_product_information(req):
    ids = [i.strip() for i in req.query.get("product_ids", [""])[0].split(",")]
    out = [{"product_id": pid, "short_description": title, "description": title, "sku_options": [],
            "attributes": attrs} for pid, _, title, _, _, _, attrs in CATALOG if pid in ids]
    return json_reply(out)


@pytest.fixture
def search_stub(unix_stub):
    unix_stub.routes.route("/search/find_product", find_product)
    unix_stub.routes.route("/search/view_product_information", view_product_information)
    return unix_stub


def last_recommendation(dialogue):
    ids = None
    for step in dialogue:
        for call in step["completion"].get("message", {}).get("tool_call", []):
            if call["name"] == "recommend_product":
                ids = call["parameters"]["product_ids"]
    return ids


def check_steps(dialogue):
    for i, step in enumerate(dialogue, start=1):
        assert step["extra_info"]["step"] == i
        for call in step["completion"]["message"].get("tool_call", []):
            assert call["tool_call_id"] == tool_call_id(call["name"], call["parameters"])
    last_calls = dialogue[-1]["completion"]["message"]["tool_call"]
    assert last_calls[-1]["name"] == "terminate"


SCRIPTED = (EXAMPLES_DIR / "baseline_agent.py").read_text()
REACT = (EXAMPLES_DIR / "react_agent.py").read_text()


@pytest.mark.parametrize(
    "problem, expected",
    [
        ({"query": "Looking for a red umbrella with a wooden handle, priced from 100 to 300 PHP.",
          "category": "Product", "reward": {"product_id": "leak"}}, "1000000001"),
        ({"query": "Find shops offering both a red umbrella priced above 100 PHP, and a rain coat with free shipping.",
          "category": "Shop"}, "1000000004,1000000005"),
        ({"query": "Looking for a red umbrella, and also a waterproof rain coat.\n\nMy budget is only `300`, but I "
                   "have a voucher with the following rules:\n1. The voucher applies to all products.\n2. It is valid "
                   "only when the total price of the products exceeds `1000`.\n3. It provides a fixed discount of `50`.",
          "category": "Voucher"}, "1000000004,1000000005"),
    ],
    ids=["product", "shop", "voucher"],
)
def test_baseline_agent_end_to_end(run_harness, search_stub, problem, expected):
    run = run_harness(SCRIPTED, problem, proxy_socket=search_stub.path)
    assert run.proc.returncode == 0, run.proc.stderr.decode()
    result = run.result
    assert result["status"] == "SUCCESS", result
    check_steps(result["dialogue"])
    assert last_recommendation(result["dialogue"]) == expected
    paths = {r.path for r in search_stub.routes.requests}
    assert paths == {"/search/find_product", "/search/view_product_information"}
    assert all("authorization" not in r.headers for r in search_stub.routes.requests)


def _completion(content):
    return json_reply({"choices": [{"message": {"role": "assistant", "content": content}}]})


def test_react_agent_end_to_end_with_stub_llm(run_harness, search_stub):
    search_stub.routes.sequence("/inference/chat/completions", [
        _completion('<think>Search first.</think>\n<tool_call>[{"name": "find_product", '
                    '"parameters": {"q": "red umbrella wooden", "page": 1, "price": "100-300"}}]</tool_call>'),
        _completion('<think>1000000001 fits.</think>\n<tool_call>[{"name": "recommend_product", "parameters": '
                    '{"product_ids": "1000000001"}}, {"name": "terminate", "parameters": {"status": "success"}}]'
                    '</tool_call>\n<response>Here it is.</response>'),
    ])
    problem = {"query": "Looking for a red umbrella with a wooden handle, priced from 100 to 300 PHP."}
    run = run_harness(REACT, problem, proxy_socket=search_stub.path,
                      env={"CHUTES_ACCESS_TOKEN": "miner-token", "SANDBOX_MODEL": "test/model-1"})
    assert run.result["status"] == "SUCCESS", run.result
    dialogue = run.result["dialogue"]
    assert len(dialogue) == 2
    check_steps(dialogue)
    assert last_recommendation(dialogue) == "1000000001"
    assert dialogue[1]["completion"]["message"]["response"] == "Here it is."

    llm = [r for r in search_stub.routes.requests if r.path == "/inference/chat/completions"]
    search = [r for r in search_stub.routes.requests if r.path.startswith("/search/")]
    assert len(llm) == 2
    assert all(r.headers.get("authorization") == "Bearer miner-token" for r in llm)
    assert all("authorization" not in r.headers for r in search)
    body = llm[1].json()
    assert body["model"] == "test/model-1" and body["temperature"] == 0 and body["stream"] is False
    system, user = body["messages"]
    assert system["role"] == "system" and "1. Name: find_product" in system["content"]
    assert user["content"].startswith("# Dialogue Records History\n<user>Looking for a red umbrella")
    first_id = tool_call_id("find_product", {"q": "red umbrella wooden", "page": 1, "price": "100-300"})
    assert f'<obs>[{{"tool_call_id":"{first_id}","results":[' in user["content"]


def test_react_agent_falls_back_after_three_empty_replies(run_harness, search_stub):
    search_stub.routes.sequence("/inference/chat/completions", [
        _completion('<think>Search.</think><tool_call>{"name": "find_product", "parameters": {"q": "rain coat", '
                    '"page": 1}}</tool_call>'),
        _completion("<think>oops</think><tool_call>[not json</tool_call>"),
        _completion(""),
    ])
    run = run_harness(REACT, {"query": "I need a rain coat."}, proxy_socket=search_stub.path)
    assert run.result["status"] == "SUCCESS", run.result
    dialogue = run.result["dialogue"]
    check_steps(dialogue)
    assert last_recommendation(dialogue) == "1000000005"
    assert "tool_call" not in dialogue[1]["completion"]["message"]  # invalid JSON gave no calls
    llm = [r for r in search_stub.routes.requests if r.path == "/inference/chat/completions"]
    assert len(llm) == 5  # search, invalid, then three empty replies


def test_react_agent_without_any_search_terminates_with_failure(run_harness, search_stub):
    search_stub.routes.sequence("/inference/chat/completions", [_completion("")])
    run = run_harness(REACT, {"query": "anything"}, proxy_socket=search_stub.path)
    assert run.result["status"] == "SUCCESS"
    dialogue = run.result["dialogue"]
    assert len(dialogue) == 1
    assert dialogue[0]["completion"]["message"]["tool_call"][0]["parameters"] == {"status": "failure"}
    assert last_recommendation(dialogue) is None


def test_baseline_agent_survives_every_suite_problem_with_an_empty_catalog(run_harness, unix_stub):
    """Real ORO suite rows (reward included in the file) through the harness: stripped, no crash, clean end."""
    from conftest import shared_data

    unix_stub.routes.route("/search/find_product", lambda req: json_reply([]))
    unix_stub.routes.route("/search/view_product_information", lambda req: json_reply([]))
    suite = json.loads(shared_data("oro_problem_suite_v3.json").read_text(encoding="utf-8"))
    assert len(suite) == 30
    for problem in suite:
        run = run_harness(SCRIPTED, problem, proxy_socket=unix_stub.path)
        result = run.result
        assert result["status"] == "SUCCESS", (problem["title"], result["error"])
        last = result["dialogue"][-1]["completion"]["message"]["tool_call"][-1]
        assert last == {"name": "terminate", "parameters": {"status": "failure"},
                        "tool_call_id": tool_call_id("terminate", {"status": "failure"}),
                        "result": "The interaction has been completed with status: failure"}
        assert result["dialogue"][0]["extra_info"]["query"] == problem["query"]
    sent = json.dumps([r.query for r in unix_stub.routes.requests])
    for problem in suite:
        rewards = problem["reward"] if isinstance(problem["reward"], list) else [problem["reward"]]
        for reward in rewards:
            assert reward["product_id"] not in sent
