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
