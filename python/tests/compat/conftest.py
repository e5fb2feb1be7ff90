"""A running `shoparena serve` (the debug binary) on a temporary SQLite database and a free loopback port, with
hotkeys registered through `shoparena admin` and the ORO suite v3 added and activated — for driving with the real
oro-sdk client classes.
"""

from __future__ import annotations

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


def shoparena_binary() -> Path:
    path = Path(os.environ.get("SHOPARENA_BINARY", REPO_ROOT / ".build" / "debug" / "shoparena"))
    if not path.exists():
        pytest.fail(f"{path} not found: build it first (swift build) or set SHOPARENA_BINARY")
    return path


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


def new_keypair():
    from bittensor_wallet import Keypair  # installed with oro-sdk

    return Keypair.create_from_seed(os.urandom(32).hex())


@dataclass
class Arena:
    base_url: str
    data_dir: str
    binary: Path
    admin: object
    miner: object
    validator: object
    log_path: Path

    def admin_cli(self, *args: str) -> str:
        result = subprocess.run([str(self.binary), "admin", *args, "--data-dir", self.data_dir],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"shoparena admin {' '.join(args)} failed: {result.stderr}"
        return result.stdout


@pytest.fixture(scope="module")
def arena():
    binary = shoparena_binary()
    suite = shared_data("oro_problem_suite_v3.json")
    with tempfile.TemporaryDirectory(prefix="shoparena-compat-") as data_dir:
        port = free_port()
        admin, miner, validator = new_keypair(), new_keypair(), new_keypair()
        log_path = Path(data_dir) / "serve.log"
        base = f"http://127.0.0.1:{port}"
        arena = Arena(base, data_dir, binary, admin, miner, validator, log_path)
        arena.admin_cli("register", admin.ss58_address, "--role", "admin")
        arena.admin_cli("register", miner.ss58_address, "--role", "miner")
        arena.admin_cli("register", validator.ss58_address, "--role", "validator")
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
