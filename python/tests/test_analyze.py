"""Static analyzer: file checks, rules, CLI contract, bounded time on pathological input."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import EXAMPLES_DIR, PYTHON_DIR

from shoparena_runtime.analyze import MAX_FILE_BYTES, analyze_isolated, analyze_source, classify_child

CLEAN = textwrap.dedent(
    """
    import json
    import re
    from os import getenv
    from os.path import join
    import os.path
    from urllib.parse import quote_plus
    from urllib import parse

    from src.agent.agent_interface import create_dialogue_step
    from src.agent.proxy_client import ProxyClient

    PRICE = re.compile(r"(\\d+) PHP")

    def agent_main(problem_data):
        with open("/tmp/readme.txt") as fh:
            pass
        with open("/tmp/readme.txt", "r", encoding="utf-8") as fh:
            pass
        model = getenv("SANDBOX_MODEL")
        return [create_dialogue_step("", [], quote_plus(problem_data["query"]), problem_data["query"], 1)]
    """
)


def rules(source: str):
    result = analyze_source(textwrap.dedent(source).encode("utf-8"))
    assert result["file_error"] is None, result["file_error"]
    return [(v["rule"], v["severity"], v["line"]) for v in result["violations"]]


def test_clean_agent_is_ok():
    result = analyze_source(CLEAN.encode())
    assert result["ok"] is True
    assert result["violations"] == [] and result["severity"] is None and result["has_agent_main"] is True


@pytest.mark.parametrize("name", ["baseline_agent.py", "react_agent.py"])
def test_example_agents_pass(name):
    result = analyze_source((EXAMPLES_DIR / name).read_bytes())
    assert result["ok"] is True, result


@pytest.mark.parametrize(
    "line",
    [
        "import os", "import subprocess", "import socket", "import http.client", "import urllib.request",
        "import requests", "import ctypes", "import cffi", "import pickle", "import shutil", "import commands",
        "from os import system", "from os import environ", "from urllib import request", "from http import client",
        "import importlib", "from importlib import import_module", "import os as o2",
    ],
)
def test_banned_imports_are_security_violations(line):
    found = rules(f"{line}\ndef agent_main(p):\n    return []\n")
    assert ("banned_import", "security", 1) in found


@pytest.mark.parametrize("line", ["import base64", "import binascii", "import codecs", "import zlib",
                                  "from base64 import b64decode", "import lzma"])
def test_encoding_modules_are_integrity_violations(line):
    found = rules(f"{line}\ndef agent_main(p):\n    return []\n")
    assert ("encoding_module", "integrity", 1) in found


@pytest.mark.parametrize(
    "body, rule",
    [
        ("eval('1')", "banned_call"),
        ("exec('x = 1')", "banned_call"),
        ("__import__('os')", "banned_call"),
        ("f = eval", "banned_call"),
        ("__builtins__['ev' + 'al']", "banned_call"),
        ("open('out.txt', 'w')", "file_write"),
        ("open('out.txt', mode='a')", "file_write"),
        ("open('out.txt', 'x')", "file_write"),
        ("open('out.txt', 'r+')", "file_write"),
        ("open('out.txt', m)", "file_write"),
        ("p.write_text('x')", "file_write"),
        ("p.write_bytes(b'x')", "file_write"),
        ("p.open('w')", "file_write"),
    ],
)
def test_banned_calls_and_file_writes_are_security_violations(body, rule):
    found = rules(f"def agent_main(p, m='w'):\n    {body}\n    return []\n")
    assert (rule, "security", 2) in found


def test_encoded_payloads_are_integrity_violations():
    b64 = base64.b64encode(b'{"query one": "5035687794"} ' * 12).decode()
    hexs = "deadbeef" * 20
    blob = bytes(range(256))
    found = rules(
        f"""
        A = "{b64}"
        B = "{hexs}"
        C = {blob!r}
        D = bytes.fromhex("00ff")
        def agent_main(p):
            return []
        """
    )
    lines = sorted(line for rule, sev, line in found if rule == "encoded_payload" and sev == "integrity")
    assert lines == [2, 3, 4, 5]


def test_ordinary_long_text_is_not_an_encoded_payload():
    prose = "Find the best product for the user and explain why. " * 20
    assert rules(f'P = """{prose}"""\ndef agent_main(p):\n    return []\n') == []


def test_hardcoded_ids_and_answer_tables():
    found = rules(
        """
        FAV = "5035687794"
        TABLE = ["1234567890", "2234567890", "3234567890"]
        PAIR = "1234567890,2234567890"
        NOT_AN_ID = "2024"
        ANSWERS = {
            "looking for a red umbrella with a wooden handle": 1,
            "show me badminton nets that come pre-strung please": 2,
            "find shops offering both terno shorts and dresses": 3,
            "looking for car sponge pads in a pack of ten": 4,
            "show me basic calculators in orange that run on batteries": 5,
        }
        def agent_main(p):
            return []
        """
    )
    assert ("hardcoded_product_id", "integrity", 2) in found
    assert ("answer_table", "integrity", 3) in found
    assert ("hardcoded_product_id", "integrity", 4) in found
    assert ("answer_table", "integrity", 6) in found
    assert not any(line == 3 and rule == "hardcoded_product_id" for rule, _, line in found)
    assert not any(line == 5 for _, _, line in found)


def test_worst_severity_is_reported():
    result = analyze_source(b"import os\nimport base64\ndef agent_main(p):\n    return []\n")
    assert result["ok"] is False and result["severity"] == "integrity"
    result = analyze_source(b"import os\ndef agent_main(p):\n    return []\n")
    assert result["severity"] == "security"


@pytest.mark.parametrize(
    "data, code, fragment",
    [
        (b"def agent_main(p):\n    return [\n", "INVALID_FILE", "syntax error"),
        (b"def agent_main(p):\n    return '\xff\xfe'\n", "INVALID_FILE", "UTF-8"),
        (b"def other(p):\n    return []\n", "INVALID_FILE", "agent_main"),
        (b"async def agent_main(p):\n    return []\n", "INVALID_FILE", "async"),
        (b"x = 1\x00\n", "INVALID_FILE", ""),
        (b"# " + b"a" * MAX_FILE_BYTES + b"\ndef agent_main(p):\n    return []\n", "FILE_TOO_LARGE", "limit"),
    ],
)
def test_file_errors(data, code, fragment):
    result = analyze_source(data)
    assert result["ok"] is False
    assert result["file_error"]["code"] == code
    assert fragment in result["file_error"]["message"]


def test_syntax_error_reports_its_line():
    result = analyze_source(b"x = 1\ny = (\ndef agent_main(p):\n    return []\n")
    assert result["file_error"]["code"] == "INVALID_FILE" and isinstance(result["file_error"]["line"], int)


def test_agent_main_by_assignment_or_inside_if_counts():
    assert analyze_source(b"def _impl(p):\n    return []\nagent_main = _impl\n")["ok"] is True
    assert analyze_source(b"if True:\n    def agent_main(p):\n        return []\n")["ok"] is True


@pytest.mark.parametrize(
    "data",
    [
        b"x = " + b"(" * 5000 + b")" * 5000 + b"\ndef agent_main(p):\n    return []\n",
        b"x = " + b"[" * 100000 + b"\n",
        b"x = " + b"-" * 400000 + b"1\ndef agent_main(p):\n    return []\n",
        b"x = 1" + b" + 1" * 200000 + b"\ndef agent_main(p):\n    return []\n",
        b"def agent_main(p):\n    return []\n" + b"y = '" + b"A" * 900000 + b"'\n",
    ],
)
def test_pathological_input_is_bounded(data):
    # Isolated: CPython 3.10 segfaults while building the tree of some of these; the child turns that into data.
    assert len(data) <= MAX_FILE_BYTES
    started = time.monotonic()
    result = analyze_isolated(data)
    assert time.monotonic() - started < 25
    assert set(result) >= {"ok", "file_error", "violations"}
    assert result["size"] == len(data)
    if result["file_error"] is not None:
        assert result["file_error"]["code"] in ("INVALID_FILE", "ANALYSIS_FAILED")


def test_child_outcomes_are_classified():
    data = b"x = 1\n"
    crashed = classify_child(data, -11, b"", b"")
    assert crashed["ok"] is False and crashed["file_error"]["code"] == "INVALID_FILE"
    assert "signal 11" in crashed["file_error"]["message"]
    failed = classify_child(data, 1, b"", b"Traceback...\nMemoryError\n")
    assert failed["file_error"]["code"] == "ANALYSIS_FAILED" and "MemoryError" in failed["file_error"]["message"]
    garbage = classify_child(data, 0, b"not json", b"")
    assert garbage["file_error"]["code"] == "ANALYSIS_FAILED"
    good = analyze_source(b"def agent_main(p):\n    return []\n")
    assert classify_child(data, 0, json.dumps(good).encode(), b"") == good


def test_isolated_analysis_matches_in_process_analysis():
    for source in (CLEAN.encode(), b"import os\ndef agent_main(p):\n    return []\n"):
        assert analyze_isolated(source) == analyze_source(source)


def test_isolated_analysis_times_out_as_data():
    result = analyze_isolated(b"def agent_main(p):\n    return []\n", timeout=0.001)
    assert result["file_error"]["code"] == "ANALYSIS_FAILED"


def test_cli_prints_json_and_exits_zero(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import subprocess\ndef agent_main(p):\n    return []\n")
    for args in ([str(bad)], [str(tmp_path / "missing.py")], []):
        proc = subprocess.run([sys.executable, "-m", "shoparena_runtime.analyze", *args], cwd=str(PYTHON_DIR),
                              capture_output=True, timeout=60)
        assert proc.returncode == 0
        result = json.loads(proc.stdout)
        assert result["ok"] is False
    proc = subprocess.run([sys.executable, "-m", "shoparena_runtime.analyze", "-"], cwd=str(PYTHON_DIR),
                          input=CLEAN.encode(), capture_output=True, timeout=60)
    assert json.loads(proc.stdout)["ok"] is True


# -- imports of names the runtime does not provide (issue 13) --------------------------------------------


def _runtime_violations(source: str):
    result = analyze_source(textwrap.dedent(source).encode("utf-8"))
    assert result["file_error"] is None, result["file_error"]
    return [(v["line"], v["message"]) for v in result["violations"] if v["rule"] == "unknown_runtime_import"], result


def test_every_oro_name_and_shoparena_module_is_accepted():
    found, result = _runtime_violations(
        """
        from src.agent.agent_interface import (ToolCallResult, _TOOL_REGISTRY, register_tool, Tool, get_tool,
            generate_tool_call_id, format_content, create_dialogue_step, execute_tool_call, list_tools)
        from src.agent.proxy_client import (ProxyClient, RequestLog, InferenceStats, DEFAULT_TIMEOUT,
            DEFAULT_MAX_RETRIES, DEFAULT_RETRY_DELAY, DEFAULT_RATE_LIMIT_RETRY_DELAY, logger)
        from src.agent import agent_interface, proxy_client
        from shoparena_runtime.agent_interface import tool_call_id
        from shoparena_runtime import dialogue
        import shoparena_runtime.proxy_client as pc
        import src.agent.agent_interface

        def agent_main(problem_data):
            pc.ProxyClient(); pc.DEFAULT_TIMEOUT; agent_interface.Tool; proxy_client.RequestLog
            src.agent.agent_interface.format_content("", [], "")
            return []
        """
    )
    assert found == [] and result["ok"] is True


def test_missing_name_is_refused_with_its_line_and_a_suggestion():
    found, result = _runtime_violations(
        """
        import json
        from src.agent.agent_interface import Tool, generate_tool_call_ids
        from src.agent.proxy_client import ProxyClient, AsyncProxyClient

        def agent_main(problem_data):
            return []
        """
    )
    assert [line for line, _ in found] == [3, 4]
    assert found[0][1].startswith("'generate_tool_call_ids' is not provided by src.agent.agent_interface")
    assert "(did you mean 'generate_tool_call_id'?)" in found[0][1] and "ImportError" in found[0][1]
    assert found[1][1].startswith("'AsyncProxyClient' is not provided by src.agent.proxy_client")
    assert result["ok"] is False and result["severity"] == "compatibility"
    assert {v["severity"] for v in result["violations"]} == {"compatibility"}


def test_missing_runtime_modules_are_refused():
    found, _ = _runtime_violations(
        """
        import src.agent.agent
        from src.agent.util.message import Message
        from shoparena_runtime.nothing import x

        def agent_main(problem_data):
            return []
        """
    )
    assert [line for line, _ in found] == [2, 3, 4]
    assert found[0][1].startswith("module 'src.agent.agent' does not exist in the ShopArena runtime")
    assert "src.agent.util.message" in found[1][1] and "shoparena_runtime.nothing" in found[2][1]


def test_module_attribute_forms_are_checked():
    found, _ = _runtime_violations(
        """
        import src.agent.proxy_client as pc
        import src.agent.agent_interface
        from src.agent import agent_interface as ai

        def agent_main(problem_data):
            pc.ProxyClient()
            pc.AsyncClient()
            src.agent.agent_interface.generate_id("x", {})
            ai.create_dialogue_step("", [], "", "", 1)
            return ai.missing_helper
        """
    )
    assert [line for line, _ in found] == [8, 9, 11]
    assert found[0][1].startswith("'AsyncClient' is not provided by src.agent.proxy_client")
    assert "AttributeError" in found[0][1]
    assert found[1][1].startswith("'generate_id' is not provided by src.agent.agent_interface")
    assert found[2][1].startswith("'missing_helper' is not provided by src.agent.agent_interface")


def test_guarded_probed_patched_and_shadowed_uses_are_not_refused():
    found, result = _runtime_violations(
        """
        from typing import TYPE_CHECKING
        try:
            from src.agent.agent_interface import something_new
        except ImportError:
            something_new = None
        try:
            import src.agent.sandbox_helpers as helpers
        except Exception:
            helpers = None
        if TYPE_CHECKING:
            from src.agent.types import Problem
        import src.agent.agent_interface as ai
        import src.agent.proxy_client as pc
        ai.extra_tool = lambda: 1

        def agent_main(problem_data):
            ai.extra_tool()
            if hasattr(pc, "Future"):
                pc.Future()
            try:
                return ai.not_there
            except AttributeError:
                return []
        """
    )
    assert found == [] and result["ok"] is True

    found, _ = _runtime_violations(
        """
        import src.agent.agent_interface as ai

        def agent_main(ai):
            return ai.whatever
        """
    )
    assert found == []  # ``ai`` is also a parameter: not checked


def test_banned_modules_reached_through_the_runtime_are_refused():
    assert rules(
        """
        from src.agent.proxy_client import os, json
        import src.agent.agent_interface as ai

        def agent_main(problem_data):
            ai.base64.b64decode("aGk=")
            return []
        """
    ) == [("banned_import", "security", 2), ("encoding_module", "integrity", 6)]


def test_names_come_from_the_runtime_modules_not_from_a_list(tmp_path):
    # A copy of the runtime with one extra name in agent_interface: the analyzer of that copy accepts it.
    import shutil

    copy = tmp_path / "python"
    shutil.copytree(PYTHON_DIR / "shoparena_runtime", copy / "shoparena_runtime",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PYTHON_DIR / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "shoparena_runtime" / "agent_interface.py", "a", encoding="utf-8") as fh:
        fh.write("\n\ndef brand_new_helper():\n    return 1\n")
    agent = b"from src.agent.agent_interface import brand_new_helper\n\ndef agent_main(p):\n    return []\n"
    outputs = []
    for root in (copy, PYTHON_DIR):
        proc = subprocess.run([sys.executable, "-I", "-B", "-c",
                               "import sys; sys.path.insert(0, sys.argv[1]); "
                               "from shoparena_runtime.analyze import main; sys.exit(main(['-']))", str(root)],
                              input=agent, capture_output=True, timeout=60)
        outputs.append(json.loads(proc.stdout))
    assert outputs[0]["ok"] is True, outputs[0]
    assert outputs[1]["ok"] is False
    assert outputs[1]["violations"][0]["rule"] == "unknown_runtime_import"
