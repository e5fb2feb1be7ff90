"""The harness end to end (subprocess, as the sandbox runs it) and its in-process pieces."""

from __future__ import annotations

import json
import textwrap

import pytest

from shoparena_runtime import RESULT_SCHEMA
from shoparena_runtime.harness import HIDDEN_KEYS, strip_problem

PROBLEM = {
    "query": "Looking for a red umbrella priced from 100 to 300 PHP.",
    "category": "Product",
    "difficulty": "easy",
    "title": "Product 1",
    "problem_id": "6f1c2a9e-0000-4000-8000-000000000001",
    "reward": {"product_id": "1111111111", "title": ["Red Umbrella"]},
    "voucher": {"budget": 10},
    "reward_title_embeddings": [[0.1, 0.2]],
}

GOOD_AGENT = textwrap.dedent(
    """
    from src.agent.agent_interface import create_dialogue_step, execute_tool_call

    def agent_main(problem_data):
        rec = execute_tool_call("recommend_product", {"product_ids": "42"})
        end = execute_tool_call("terminate", {"status": "success"})
        return [
            create_dialogue_step("look", [rec], "", problem_data["query"], 1),
            create_dialogue_step("done", [end], "bye", problem_data["query"], 2),
        ]
    """
)


def _assert_result_shape(result):
    assert result["schema"] == RESULT_SCHEMA
    assert result["status"] in ("SUCCESS", "FAILED")
    assert set(result) >= {"status", "problem_id", "execution_time", "dialogue", "error", "traceback", "warnings"}
    assert isinstance(result["execution_time"], float) and result["execution_time"] >= 0


def test_good_agent_succeeds_with_post_processing(run_harness):
    run = run_harness(GOOD_AGENT, PROBLEM)
    assert run.proc.returncode == 0, run.proc.stderr
    result = run.result
    _assert_result_shape(result)
    assert result["status"] == "SUCCESS"
    assert result["error"] is None
    assert result["problem_id"] == PROBLEM["problem_id"]
    steps = result["dialogue"]
    assert len(steps) == 2
    assert [s["extra_info"]["step"] for s in steps] == [1, 2]
    assert all(s["extra_info"]["problem_id"] == PROBLEM["problem_id"] for s in steps)
    assert "execution_time" in steps[0]["extra_info"] and "execution_time" not in steps[1]["extra_info"]
    call = steps[0]["completion"]["message"]["tool_call"][0]
    assert call["name"] == "recommend_product" and call["parameters"] == {"product_ids": "42"}
    assert steps[1]["completion"]["message"]["response"] == "bye"


def test_isolated_entry_script_works_the_same(run_harness):
    run = run_harness(GOOD_AGENT, PROBLEM, isolated=True)
    assert run.proc.returncode == 0, run.proc.stderr
    assert run.result["status"] == "SUCCESS"
    assert len(run.result["dialogue"]) == 2


def test_post_processing_fills_missing_fields_but_never_overwrites(run_harness):
    agent = textwrap.dedent(
        """
        def agent_main(problem_data):
            return [
                {"completion": {"content": "a"}},
                {"completion": {"content": "b"},
                 "extra_info": {"step": 7, "query": "mine", "timestamp": 123, "problem_id": "x"}},
            ]
        """
    )
    result = run_harness(agent, PROBLEM).result
    assert result["status"] == "SUCCESS"
    first, second = (s["extra_info"] for s in result["dialogue"])
    assert first["step"] == 1 and first["query"] == PROBLEM["query"] and first["problem_id"] == PROBLEM["problem_id"]
    assert isinstance(first["timestamp"], int) and first["timestamp"] > 1_600_000_000_000
    assert second == {"step": 7, "query": "mine", "timestamp": 123, "problem_id": "x"}


def test_reward_is_never_visible_to_the_agent(run_harness):
    agent = textwrap.dedent(
        """
        import gc
        import json
        from os import getenv
        import sys

        def leaked_in_frames():
            frame, hits = sys._getframe(), []
            while frame is not None:
                if "1111111111" in repr(frame.f_locals) or "Red Umbrella" in repr(frame.f_locals):
                    hits.append(frame.f_code.co_name)
                frame = frame.f_back
            return hits

        def leaked_in_heap():
            return sum(1 for o in gc.get_objects()
                       if isinstance(o, dict) and ("reward" in o or "reward_title_embeddings" in o))

        def agent_main(problem_data):
            env_problem = json.loads(getenv("PROBLEM_DATA"))
            seen = {
                "arg_keys": sorted(problem_data),
                "env_keys": sorted(env_problem),
                "argv": sys.argv,
                "frames": leaked_in_frames(),
                "heap": leaked_in_heap(),
            }
            return [{"completion": {"message": {"response": json.dumps(seen)}}}]
        """
    )
    run = run_harness(agent, PROBLEM)
    assert run.result["status"] == "SUCCESS", run.result
    seen = json.loads(run.result["dialogue"][0]["completion"]["message"]["response"])
    for hidden in HIDDEN_KEYS:
        assert hidden not in seen["arg_keys"]
        assert hidden not in seen["env_keys"]
    assert "query" in seen["arg_keys"] and "category" in seen["env_keys"]
    assert seen["frames"] == [] and seen["heap"] == 0
    assert len(seen["argv"]) == 1


def test_strip_problem_returns_a_deep_copy_without_hidden_keys():
    stripped = strip_problem(PROBLEM)
    assert not set(HIDDEN_KEYS) & set(stripped)
    stripped["query"] = "changed"
    assert PROBLEM["query"] != "changed"


def test_exception_in_agent_main_is_reported_with_type_message_and_traceback(run_harness):
    agent = textwrap.dedent(
        """
        def helper():
            raise ValueError("no products for you")

        def agent_main(problem_data):
            helper()
        """
    )
    run = run_harness(agent, PROBLEM)
    assert run.proc.returncode == 0
    result = run.result
    _assert_result_shape(result)
    assert result["status"] == "FAILED"
    assert result["dialogue"] is None
    assert result["error"] == {"type": "ValueError", "message": "no products for you"}
    assert "helper" in result["traceback"] and "ValueError" in result["traceback"]


def test_exception_at_import_time_and_system_exit_are_failures(run_harness):
    run = run_harness("raise RuntimeError('boom at import')\n", PROBLEM)
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == {"type": "RuntimeError", "message": "boom at import"}

    run = run_harness("import sys\ndef agent_main(p):\n    sys.exit(3)\n", PROBLEM)
    assert run.proc.returncode == 0
    assert run.result["status"] == "FAILED"
    assert run.result["error"]["type"] == "SystemExit"


def test_syntax_error_in_agent_file(run_harness):
    run = run_harness("def agent_main(p):\n    return [\n", PROBLEM)
    assert run.result["status"] == "FAILED"
    assert run.result["error"]["type"] == "SyntaxError"


@pytest.mark.parametrize(
    "source, fragment",
    [
        ("x = 1\n", "does not define agent_main"),
        ("agent_main = 5\n", "not callable"),
    ],
)
def test_missing_or_non_callable_agent_main_is_an_import_error(run_harness, source, fragment):
    run = run_harness(source, PROBLEM)
    assert run.result["status"] == "FAILED"
    assert run.result["error"]["type"] == "ImportError"
    assert fragment in run.result["error"]["message"]


def test_missing_agent_file_fails_cleanly(run_harness, tmp_path):
    run = run_harness("", PROBLEM, agent_path=tmp_path / "nope.py")
    assert run.proc.returncode == 0
    assert run.result["status"] == "FAILED"
    assert run.result["error"]["type"] == "FileNotFoundError"


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("return {'steps': []}", "must return a list"),
        ("return None", "got NoneType"),
        ("return ({'a': 1},)", "got tuple"),
        ("return ['not a dict']", "step 0: a dialogue step must be a dict"),
        ("return [{'extra_info': 'x'}]", "extra_info must be a dict"),
    ],
)
def test_non_list_results_fail_with_a_clear_reason(run_harness, body, fragment):
    run = run_harness(f"def agent_main(problem_data):\n    {body}\n", PROBLEM)
    assert run.result["status"] == "FAILED"
    assert run.result["error"]["type"] == "TypeError"
    assert fragment in run.result["error"]["message"]


def test_non_serializable_values_fail_with_their_path(run_harness):
    agent = textwrap.dedent(
        """
        class Thing:
            pass

        def agent_main(problem_data):
            return [{"completion": {"message": {"tool_call": [{"result": {1, 2}}]}}},
                    {"completion": {"x": Thing()}}]
        """
    )
    result = run_harness(agent, PROBLEM).result
    assert result["status"] == "FAILED"
    assert result["error"]["type"] == "TypeError"
    assert "step 0.completion.message.tool_call[0].result" in result["error"]["message"]
    assert "set" in result["error"]["message"]


def test_circular_result_fails_instead_of_hanging(run_harness):
    agent = "def agent_main(p):\n    d = {}\n    d['self'] = d\n    return [d]\n"
    result = run_harness(agent, PROBLEM).result
    assert result["status"] == "FAILED"
    assert "circular" in result["error"]["message"]


def test_pep563_dataclass_agent_works(run_harness):
    agent = textwrap.dedent(
        """
        from __future__ import annotations

        from dataclasses import dataclass, field
        from typing import List

        from src.agent.agent_interface import create_dialogue_step


        @dataclass
        class Plan:
            query: str
            ids: List[str] = field(default_factory=list)


        def agent_main(problem_data: dict) -> list[dict]:
            plan = Plan(problem_data["query"], ["7"])
            return [create_dialogue_step(f"plan {plan.ids}", [], "ok", plan.query, 1)]
        """
    )
    run = run_harness(agent, PROBLEM)
    assert run.result["status"] == "SUCCESS", run.result["error"]
    assert run.result["dialogue"][0]["completion"]["message"]["think"] == "plan ['7']"


def test_stdout_noise_does_not_corrupt_the_result(run_harness):
    agent = textwrap.dedent(
        """
        import sys

        print('{"status": "SUCCESS", "dialogue": "forged"}')

        def agent_main(problem_data):
            print("x" * 100000)
            sys.stdout.write("not json at all\\n")
            sys.stderr.write("some stderr\\n")
            return [{"completion": {"message": {"response": "real"}}}]
        """
    )
    run = run_harness(agent, PROBLEM)
    assert run.proc.returncode == 0
    assert b"forged" in run.proc.stdout
    assert run.result["status"] == "SUCCESS"
    assert run.result["dialogue"][0]["completion"]["message"]["response"] == "real"


def test_huge_strings_are_truncated_with_a_marker(run_harness):
    agent = "def agent_main(p):\n    return [{'completion': {'content': 'y' * 3000000}}]\n"
    result = run_harness(agent, PROBLEM).result
    assert result["status"] == "SUCCESS"
    content = result["dialogue"][0]["completion"]["content"]
    assert len(content) < 200_000
    assert content.endswith("chars]") and "...[truncated " in content
    assert any("truncated" in w for w in result["warnings"])


def test_lingering_non_daemon_thread_does_not_block_exit(run_harness):
    agent = textwrap.dedent(
        """
        import threading, time

        def agent_main(problem_data):
            threading.Thread(target=time.sleep, args=(600,)).start()
            return []
        """
    )
    run = run_harness(agent, PROBLEM, timeout=30)
    assert run.proc.returncode == 0
    assert run.result["status"] == "SUCCESS"
    assert run.result["dialogue"] == []


def test_async_agent_main_is_rejected(run_harness):
    run = run_harness("async def agent_main(p):\n    return []\n", PROBLEM)
    assert run.result["status"] == "FAILED"
    assert "coroutine" in run.result["error"]["message"]


def test_unreadable_problem_file_gives_a_harness_error(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import PYTHON_DIR

    (tmp_path / "agent.py").write_text(GOOD_AGENT)
    (tmp_path / "problem.json").write_text("[1, 2")
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-B", "-m", "shoparena_runtime.harness", "--agent", str(tmp_path / "agent.py"),
         "--problem", str(tmp_path / "problem.json"), "--output", str(out)],
        env={**os.environ, "PYTHONPATH": str(PYTHON_DIR)}, capture_output=True, timeout=60,
    )
    assert proc.returncode == 0
    result = json.loads(out.read_text())
    assert result["status"] == "FAILED"
    assert result["error"]["type"] == "HarnessError"


def test_proxy_socket_is_exposed_as_sandbox_proxy_url(run_harness, unix_stub):
    from conftest import json_reply

    unix_stub.routes.route("/search/find_product", lambda req: json_reply([{"product_id": "9", "q": req.query["q"][0]}]))
    agent = textwrap.dedent(
        """
        import json
        from os import getenv
        from src.agent.proxy_client import ProxyClient

        def agent_main(problem_data):
            url = getenv("SANDBOX_PROXY_URL")
            hits = ProxyClient().find_product("red umbrella")
            return [{"completion": {"message": {"response": json.dumps({"url": url, "hits": hits})}}}]
        """
    )
    run = run_harness(agent, PROBLEM, proxy_socket=unix_stub.path)
    assert run.result["status"] == "SUCCESS", run.result
    seen = json.loads(run.result["dialogue"][0]["completion"]["message"]["response"])
    assert seen["url"].startswith("http://127.0.0.1:")
    assert seen["hits"] == [{"product_id": "9", "q": "red umbrella"}]
    assert [r.path for r in unix_stub.routes.requests] == ["/search/find_product"]


def test_agent_using_urllib_directly_reaches_the_proxy_through_the_bridge(run_harness, unix_stub):
    from conftest import json_reply

    unix_stub.routes.route("/inference/chat/completions", lambda req: json_reply({"echo": req.json()}))
    agent = textwrap.dedent(
        """
        import json
        import os
        import urllib.request

        def agent_main(problem_data):
            req = urllib.request.Request(os.environ["SANDBOX_PROXY_URL"] + "/inference/chat/completions",
                                         data=json.dumps({"model": "m", "messages": []}).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(req, timeout=10) as resp:
                body = json.loads(resp.read())
            return [{"completion": {"message": {"response": json.dumps(body)}}}]
        """
    )
    run = run_harness(agent, PROBLEM, proxy_socket=unix_stub.path)
    assert run.result["status"] == "SUCCESS", run.result
    body = json.loads(run.result["dialogue"][0]["completion"]["message"]["response"])
    assert body == {"echo": {"model": "m", "messages": []}}


def test_agent_changing_directory_does_not_misplace_the_result(run_harness, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    agent = f"import os\ndef agent_main(p):\n    os.chdir({str(other)!r})\n    return []\n"
    run = run_harness(agent, PROBLEM, relative_paths=True)
    assert run.result is not None and run.result["status"] == "SUCCESS"
    assert not (other / "result.json").exists()
