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
