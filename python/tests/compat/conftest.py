"""A running `shoparena serve` (the debug binary) on a temporary SQLite database and a free loopback port, with the
ORO suite v3 added and activated, driven by the REAL official `oro-sdk` clients 1.0.45, 1.0.50 and 7.0.2.

Each oro-sdk release lives in its own virtualenv, `.build/oro-sdk-<version>` (created once by `scripts/test`, then
reused; `SHOPARENA_ORO_SDK_VENVS` may point at another folder holding `oro-sdk-<version>/`). The test process itself
needs no oro-sdk: each scenario runs `oro_driver.py` with the release's interpreter (and its `oro` console script),
which registers its own hotkeys through `shoparena admin` and exits non-zero with the failed check on stderr.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).resolve().parent / "oro_driver.py"
# The releases ShopArena is tested with: the 1.0.45 surface, 1.0.50 (ORO's validator repo pin in May 2026) and
# today's PyPI release.
ORO_SDK_VERSIONS = ["1.0.45", "1.0.50", "7.0.2"]


def shoparena_binary() -> Path:
    path = Path(os.environ.get("SHOPARENA_BINARY", REPO_ROOT / ".build" / "debug" / "shoparena"))
    if not path.exists():
        pytest.fail(f"{path} not found: build it first (swift build) or set SHOPARENA_BINARY")
    return path


def sdk_python(version: str) -> Path:
    """The interpreter of the virtualenv holding `oro-sdk==version` (with its `oro` script beside it)."""
    root = Path(os.environ.get("SHOPARENA_ORO_SDK_VENVS", REPO_ROOT / ".build"))
    python = root / f"oro-sdk-{version}" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} not found: scripts/test creates it, or run: python3 -m venv {python.parent.parent} && "
                    f"{python.parent}/pip install 'oro-sdk[bittensor]=={version}'")
    return python


def shared_data(name: str) -> Path:
    """Same search as the Swift TestSupport `SharedData`: $SHOPARENA_SHARED_DATA, then shared/data upwards."""
    searched = []
    env = os.environ.get("SHOPARENA_SHARED_DATA")
    if env:
        candidate = Path(env) / name
        if candidate.exists():
            return candidate
        searched.append(str(candidate))
    directory = Path(__file__).resolve().parent
    for _ in range(8):
        candidate = directory / "shared" / "data" / name
        if candidate.exists():
            return candidate
        searched.append(str(candidate))
        directory = directory.parent
    pytest.fail(f"shared test data '{name}' not found (searched: {', '.join(searched)}); "
                "put the shared/ folder beside the repository or set SHOPARENA_SHARED_DATA")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Arena:
    version: str
    base_url: str
    data_dir: str
    binary: Path
    python: Path
    suite: Path
    log_path: Path

    def admin_cli(self, *args: str) -> str:
        result = subprocess.run([str(self.binary), "admin", *args, "--data-dir", self.data_dir],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"shoparena admin {' '.join(args)} failed: {result.stderr}"
        return result.stdout

    def drive(self, scenario: str) -> dict:
        """Runs one scenario of oro_driver.py under this release's interpreter; returns its JSON report."""
        state = Path(self.data_dir) / "driver-state.json"
        home = Path(self.data_dir) / "home"  # the `oro` CLI reads its wallet from $HOME/.bittensor
        home.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "ORO_"))}
        env.update({"HOME": str(home), "PATH": f"{self.python.parent}:{env.get('PATH', '')}", "NO_COLOR": "1"})
        command = [str(self.python), str(DRIVER), scenario, "--version", self.version, "--base-url", self.base_url,
                   "--binary", str(self.binary), "--data-dir", self.data_dir, "--suite", str(self.suite),
                   "--state", str(state)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
        if result.returncode != 0:
            tail = self.log_path.read_text()[-3000:] if self.log_path.exists() else ""
            pytest.fail(f"oro-sdk {self.version} scenario '{scenario}' failed (exit {result.returncode}):\n"
                        f"{result.stderr[-6000:]}\n--- driver stdout ---\n{result.stdout[-3000:]}\n"
                        f"--- server log (tail) ---\n{tail}")
        lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
        assert lines, f"the driver printed no report: {result.stdout[-2000:]}"
        return json.loads(lines[-1][len("REPORT "):])


@pytest.fixture(scope="module", params=ORO_SDK_VERSIONS, ids=lambda v: f"oro-sdk-{v}")
def arena(request):
    version = request.param
    python = sdk_python(version)
    binary = shoparena_binary()
    suite = shared_data("oro_problem_suite_v3.json")
    with tempfile.TemporaryDirectory(prefix=f"shoparena-compat-{version}-") as data_dir:
        port = free_port()
        log_path = Path(data_dir) / "serve.log"
        base = f"http://127.0.0.1:{port}"
        arena = Arena(version, base, data_dir, binary, python, suite, log_path)
        out = arena.admin_cli("suite-add", str(suite), "--activate")
        assert "active" in out, out
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [str(binary), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir,
                 "--required-successes", "1", "--python-executable", sys.executable,
                 "--python-runtime-path", str(REPO_ROOT / "python")],
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
                yield arena
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
