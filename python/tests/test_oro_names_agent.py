"""The ORO-names test agent (``tests/fixtures/oro_names_agent.py``) through the harness and a stub proxy.

It imports and uses every public name of ORO's ``src.agent.agent_interface`` / ``src.agent.proxy_client``
and checks their behaviour itself; here the dialogue it returns is checked against values computed
independently (tool-call ids from hashlib + base64, the stub's search results, the scripted model).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from conftest import json_reply

from shoparena_runtime.analyze import analyze_source

AGENT = Path(__file__).resolve().parent / "fixtures" / "oro_names_agent.py"
PROBLEM = {"query": "Looking for a red umbrella priced from 100 to 300 PHP.", "category": "Product",
           "problem_id": "6f1c2a9e-0000-4000-8000-00000000000a", "reward": {"product_id": "1"}}
HITS = [{"product_id": "5035687794", "shop_id": "77", "title": "Red Umbrella", "price": 150.0, "service": [],
         "sold_count": 9}]


def _id(name: str, parameters: dict) -> str:
    digest = hashlib.md5(f"{name}\n{parameters!r}".encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode().replace("=", "").replace("+", "").replace("/", "")[:8]


def _reply(content: str):
    return json_reply({"choices": [{"message": {"role": "assistant", "content": content}}]})


def _turn(think: str, calls: list, response: str = "") -> str:
    text = f"<think>{think}</think>\n<tool_call>{json.dumps(calls)}</tool_call>"
    return text + (f"\n<response>{response}</response>" if response else "")


SEARCH = {"name": "find_product", "parameters": {"q": "red umbrella", "page": 1, "price": "100-300"}}
VIEW = {"name": "view_product_information", "parameters": {"product_ids": "5035687794"}}
FINISH = [{"name": "recommend_product", "parameters": {"product_ids": "5035687794"}},
          {"name": "terminate", "parameters": {"status": "success"}}]


def _serve(unix_stub):
    unix_stub.routes.sequence("/inference/chat/completions", [
        _reply(_turn("search", [SEARCH])), _reply(_turn("view", [VIEW])), _reply(_turn("done", FINISH, "Here."))])
    unix_stub.routes.route("/search/find_product", lambda req: json_reply(HITS))
    unix_stub.routes.route("/search/view_product_information",
                           lambda req: json_reply([{"product_id": "5035687794", "attributes": {"color": "red"}}]))


def test_the_agent_passes_the_analyzer():
    result = analyze_source(AGENT.read_bytes())
    assert result["ok"] is True, result["violations"]


def test_every_name_works_through_the_harness(run_harness, unix_stub):
    _serve(unix_stub)
    run = run_harness(AGENT.read_text(), PROBLEM, proxy_socket=unix_stub.path, isolated=True,
                      env={"CHUTES_ACCESS_TOKEN": "tok", "SANDBOX_MODEL": "stub-model"})
    assert run.proc.returncode == 0, run.proc.stderr
    result = run.result
    assert result["status"] == "SUCCESS", (result["error"], result["traceback"])
    steps = result["dialogue"]
    assert len(steps) == 3
    calls = [[(c["name"], c["parameters"], c["tool_call_id"]) for c in s["completion"]["message"]["tool_call"]]
             for s in steps]
    assert calls == [
        [("find_product", SEARCH["parameters"], _id("find_product", SEARCH["parameters"]))],
        [("view_product_information", VIEW["parameters"], _id("view_product_information", VIEW["parameters"]))],
        [(c["name"], c["parameters"], _id(c["name"], c["parameters"])) for c in FINISH],
    ]
    assert steps[0]["completion"]["message"]["tool_call"][0]["result"] == HITS
    assert steps[2]["completion"]["message"]["tool_call"][0]["result"] == (
        "Having recommended the products to the user: 5035687794.")
    assert steps[2]["completion"]["message"]["response"] == "Here."
    requests = unix_stub.routes.requests
    assert [(r.method, r.path) for r in requests] == [
        ("POST", "/inference/chat/completions"), ("GET", "/search/find_product"),
        ("POST", "/inference/chat/completions"), ("GET", "/search/view_product_information"),
        ("POST", "/inference/chat/completions")]
    assert requests[1].query == {"q": ["red umbrella"], "page": ["1"], "price": ["100-300"]}
    assert all(r.headers.get("authorization") == "Bearer tok" for r in requests if r.path.startswith("/inference/"))
    assert requests[0].json()["model"] == "stub-model"


def test_a_wrong_answer_from_the_runtime_fails_the_problem(run_harness, unix_stub):
    # The agent's own checks can fail: a search that answers 500 every time leaves find_product with [], and
    # the RequestLog check (every summary a 200) then stops the agent with an AssertionError.
    _serve(unix_stub)
    unix_stub.routes.route("/search/find_product", lambda req: json_reply({"error": "down"}, status=500))
    run = run_harness(AGENT.read_text(), PROBLEM, proxy_socket=unix_stub.path, isolated=True,
                      env={"CHUTES_ACCESS_TOKEN": "tok"}, timeout=120)
    assert run.result["status"] == "FAILED"
    assert run.result["error"]["type"] == "AssertionError"
    assert "RequestLog" in run.result["error"]["message"]
