"""The scripted classifier example: the program chooses every call; the model only classifies and narrates."""

from __future__ import annotations

from test_examples import CATALOG, EXAMPLES_DIR, _completion, check_steps, last_recommendation, search_stub  # noqa: F401

CLASSIFIER = (EXAMPLES_DIR / "scripted_classifier_agent.py").read_text()


def test_classifier_agent_chooses_its_own_searches(run_harness, search_stub):  # noqa: F811
    search_stub.routes.sequence("/inference/chat/completions", [
        # Even a reply proposing a tool call is only read as a label: the agent never dispatches it.
        _completion('product <tool_call>[{"name": "find_product", "parameters": {"q": "garden hose", "page": 1}}]</tool_call>'),
        _completion("The wooden-handled red umbrella fits your price range."),
    ])
    problem = {"query": "Looking for a red umbrella with a wooden handle, priced from 100 to 300 PHP.", "category": "Product"}
    run = run_harness(CLASSIFIER, problem, proxy_socket=search_stub.path, env={"SANDBOX_MODEL": "test/model-1"})
    assert run.result["status"] == "SUCCESS", run.result
    dialogue = run.result["dialogue"]
    check_steps(dialogue)
    assert last_recommendation(dialogue) in {pid for pid, *_ in CATALOG}
    assert dialogue[-1]["completion"]["message"]["response"] == "The wooden-handled red umbrella fits your price range."

    llm = [r for r in search_stub.routes.requests if r.path == "/inference/chat/completions"]
    assert [r.json()["messages"][0]["content"].split("\n")[0] for r in llm] == ["# Intent classification", "# Narration"]
    searches = [r.query.get("q", [""])[0] for r in search_stub.routes.requests if r.path == "/search/find_product"]
    assert searches and "garden hose" not in searches
    assert all(q.split()[0] == "red" for q in searches)


def test_classifier_agent_falls_back_to_the_category_when_the_model_fails(run_harness, search_stub):  # noqa: F811
    problem = {"query": "I need a rain coat.", "category": "Product"}
    run = run_harness(CLASSIFIER, problem, proxy_socket=search_stub.path)
    assert run.result["status"] == "SUCCESS", run.result
    dialogue = run.result["dialogue"]
    check_steps(dialogue)
    assert last_recommendation(dialogue) == "1000000005"
    assert dialogue[-1]["completion"]["message"]["response"] == "These products match your request."
