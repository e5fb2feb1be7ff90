"""The harness's hand-rolled command line (argparse is too slow to import on every problem)."""

from __future__ import annotations

import sys

import pytest

from shoparena_runtime.harness import parse_args


def test_space_and_equals_forms():
    args = parse_args(["--agent", "a.py", "--problem=p.json", "--output", "o.json", "--proxy-socket", "/s",
                       "--problem-id=x"])
    assert (args.agent, args.problem, args.output, args.proxy_socket, args.problem_id) == \
        ("a.py", "p.json", "o.json", "/s", "x")


def test_optional_arguments_default_to_none():
    args = parse_args(["--agent", "a.py", "--problem", "p.json", "--output", "o.json"])
    assert args.proxy_socket is None and args.problem_id is None


@pytest.mark.parametrize("argv, fragment", [
    (["--agent", "a.py", "--problem", "p.json"], "required: --output"),
    (["--agent", "a.py", "--problem", "p.json", "--output", "o", "--bogus", "1"], "unrecognized argument: --bogus"),
    (["--agent", "a.py", "--problem", "p.json", "--output"], "--output: expected one argument"),
])
def test_bad_command_lines_exit_2_with_a_message(argv, fragment, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert fragment in capsys.readouterr().err


def test_harness_startup_skips_slow_imports():
    import subprocess

    # Only what the harness itself adds counts (some interpreters' site hooks import typing already).
    code = ("import sys; before = set(sys.modules); sys.path.insert(0, 'python'); import shoparena_runtime.harness; "
            "print(sorted(m for m in ('argparse', 'copy', 'traceback', 'typing', 'hashlib') "
            "if m in sys.modules and m not in before))")
    out = subprocess.run([sys.executable, "-I", "-B", "-c", code], capture_output=True, text=True, check=True,
                         cwd=__file__.rsplit("/python/", 1)[0])
    assert out.stdout.strip() == "[]"


def _gated_run(tmp_path, open_gate: bool):
    """Runs the harness with --gate-fd on one end of a socket pair; returns (exit code, result or None,
    whether the agent was imported)."""
    import json
    import os
    import socket
    import subprocess

    marker = tmp_path / "imported"
    agent = tmp_path / "agent.py"
    agent.write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "def agent_main(p):\n    return [{'completion': {'message': {'response': 'ok'}}, 'extra_info': {}}]\n"
    )
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps({"query": "q", "problem_id": "g"}))
    output = tmp_path / "result.json"
    host, sandbox = socket.socketpair()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen(
        [sys.executable, "-I", "-B", os.path.join(root, "run_harness.py"), "--agent", str(agent),
         "--problem", str(problem), "--output", str(output), "--gate-fd", str(sandbox.fileno())],
        pass_fds=(sandbox.fileno(),),
    )
    sandbox.close()
    # The harness must be waiting: nothing of the agent has run yet.
    try:
        proc.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        pass
    assert proc.poll() is None and not marker.exists()
    if open_gate:
        host.sendall(b"\x01")
    host.close()
    code = proc.wait(timeout=30)
    result = json.loads(output.read_text()) if output.exists() else None
    return code, result, marker.exists()


def test_gate_opened_runs_the_agent(tmp_path):
    code, result, imported = _gated_run(tmp_path, open_gate=True)
    assert code == 0 and imported
    assert result["status"] == "SUCCESS"


def test_gate_closed_exits_3_without_importing_the_agent(tmp_path):
    code, result, imported = _gated_run(tmp_path, open_gate=False)
    assert code == 3 and not imported and result is None


def test_gate_fd_must_be_a_number(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--agent", "a.py", "--problem", "p.json", "--output", "o", "--gate-fd", "x"])
    assert exit_info.value.code == 2
    assert "not a descriptor number" in capsys.readouterr().err
