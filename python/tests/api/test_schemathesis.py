"""Schemathesis against the OpenAPI document of a running `shoparena serve` (issue 19, "Attacks"): every operation,
bounded (10 examples per operation and phase, seed 19: no time budget), every check. The goal is 0 server errors and every
answer conforming to the document: statuses documented, bodies matching their schemas, schema-valid requests
accepted, 405 for undeclared methods.

Rejections that depend on server state no schema expresses are allowed per operation, each with its reason, in
`schemathesis.toml`; the hooks also generate the document's custom formats (`ss58` hotkeys, `python-agent` files).

Signed routes are fuzzed past authentication: `schemathesis_hooks.py` signs each request with a hotkey of the
operation's role, registered here with `shoparena admin register` before the server starts.

Runs the debug binary from $SHOPARENA_BINARY (default .build/debug/shoparena) on a free port with a temp data dir.
Skipped when schemathesis is not installed (scripts/test installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("schemathesis")
pytest.importorskip("sr25519")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import report_summary  # noqa: E402
from signing import Hotkey  # noqa: E402

REPO_ROOT = HERE.parents[2]
# Bounded by examples, not time (schemathesis's --max-time is a budget it spends in full): a few examples per
# operation and phase with a fixed seed is the same run on every machine, in about two minutes on a busy 2-core one.
MAX_EXAMPLES = int(os.environ.get("SHOPARENA_FUZZ_EXAMPLES", "10"))
# Only a safety net for a hung run.
MAX_SECONDS = int(os.environ.get("SHOPARENA_FUZZ_SECONDS", "600"))


# Failures tolerated while open: none. The document and the server agree on every operation (issue 19); a rejection
# that depends on server state no schema can express is allowed per operation, with its reason, in schemathesis.toml.
# Anything found — a failure of any check, a server error, a crash — fails the test.
KNOWN_REMAINING: set[tuple[str, str]] = set()


def binary() -> Path:
    path = Path(os.environ.get("SHOPARENA_BINARY", REPO_ROOT / ".build" / "debug" / "shoparena"))
    if not path.exists():
        pytest.fail(f"{path} not found: build it first (swift build) or set SHOPARENA_BINARY")
    return path


def suite_file() -> Path | None:
    directory = HERE
    for _ in range(8):
        candidate = directory / "shared" / "data" / "oro_problem_suite_v3.json"
        if candidate.exists():
            return candidate
        directory = directory.parent
    env = os.environ.get("SHOPARENA_SHARED_DATA")
    return Path(env) / "oro_problem_suite_v3.json" if env else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_schemathesis_finds_no_failure(tmp_path):
    exe = binary()
    data_dir = str(tmp_path / "data")
    os.makedirs(data_dir)
    keys = {role: Hotkey() for role in ("miner", "validator", "admin")}

    def admin(*args: str) -> None:
        result = subprocess.run([str(exe), "admin", *args, "--data-dir", data_dir], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"shoparena admin {' '.join(args)}: {result.stderr}"

    for role, key in keys.items():
        admin("register", key.address, "--role", role)
    # An active suite: without one a submission is 503 NO_ACTIVE_SUITE, which the server-error check rightly refuses.
    suite = suite_file()
    if suite is None or not suite.exists():
        pytest.fail("oro_problem_suite_v3.json not found in ../shared/data: set SHOPARENA_SHARED_DATA to the shared data dir")
    admin("suite-add", str(suite), "--activate")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir,
             "--python-executable", sys.executable, "--python-runtime-path", str(REPO_ROOT / "python")],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"shoparena serve did not come up: {log_path.read_text()}")
                time.sleep(0.2)

            env = dict(os.environ)
            env["SHOPARENA_FUZZ_KEYS"] = ",".join(f"{role}={key.seed_hex}" for role, key in keys.items())
            env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
            env["SCHEMATHESIS_HOOKS"] = "schemathesis_hooks"
            env["NO_COLOR"] = "1"
            # Only the local server is ever asked: no proxy in between, whatever the environment says.
            env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
            report = tmp_path / "report.json"
            command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(HERE / "schemathesis.toml"), "run",
                       f"{base}/openapi.json", "--checks", "all",
                       "--max-examples", str(MAX_EXAMPLES), "--seed", "19",
                       "--workers", "1", "--request-timeout", "30", "--no-color",
                       "--report", "ndjson", "--report-ndjson-path", str(report)]
            if shutil.which("schemathesis") is not None:
                command = ["schemathesis", *command[3:]]
            # In the temp dir: schemathesis keeps a .schemathesis/ example cache in its working directory.
            result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=MAX_SECONDS, cwd=tmp_path)
            output = result.stdout + result.stderr
            summary = [line for line in output.splitlines() if "failure" in line.lower() or "passed" in line.lower()]
            print("\n".join(summary[-20:]))
            assert report.exists(), f"schemathesis wrote no report (exit {result.returncode}):\n{output[-6000:]}"
            summary_text = report_summary.summary(str(report))
            print(summary_text)
            found = {(code, operation) for code, operation, _, _ in report_summary.failures(str(report))}
            new = sorted(found - KNOWN_REMAINING)
            crashed = [word for word in ("Server Unavailable", "Network Error", "Fatal error") if word in output + log_path.read_text()]
            assert not new and not crashed, (
                f"schemathesis found failures {new} or the server went down {crashed} (exit {result.returncode}):\n"
                f"{summary_text}\n{output[-6000:]}\n--- server log (tail) ---\n{log_path.read_text()[-3000:]}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
