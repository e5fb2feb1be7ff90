"""A demo-sized arena (`shoparena demo`: backend + two validators + stub LLM, both example agents submitted) on a
free loopback port, and Debian's Chromium driven by Playwright for Python, for the web page tests.

The arena starts once per module; its evaluations begin at once, so the first test can watch live progress
before the agents become eligible. Screenshots go to `.build/test-logs/web/`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO_ROOT / ".build" / "test-logs" / "web"


def shoparena_binary() -> Path:
    path = Path(os.environ.get("SHOPARENA_BINARY", REPO_ROOT / ".build" / "debug" / "shoparena"))
    if not path.exists():
        pytest.fail(f"{path} not found: build it first (swift build) or set SHOPARENA_BINARY")
    return path


def sandbox_python() -> str:
    path = os.environ.get("SHOPARENA_SANDBOX_PYTHON") or str(REPO_ROOT / ".venv-sandbox" / "bin" / "python")
    if not os.access(path, os.X_OK):
        pytest.fail(f"the sandbox python {path} does not exist: run scripts/setup-sandbox-venv and set SHOPARENA_SANDBOX_PYTHON")
    return path


def chromium_path() -> str:
    path = os.environ.get("SHOPARENA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.fail(f"Chromium not found at {path}: install Debian's chromium (scripts/test does) or set SHOPARENA_CHROMIUM")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


@dataclass
class DemoArena:
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def api(self, path: str):
        return get_json(self.base_url + path)

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def wait_for(self, what: str, predicate, timeout: float, interval: float = 0.25):
        """Polls `predicate()` until it returns something truthy; fails with the demo's log otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"shoparena demo exited while waiting for {what}:\n{self.log_tail()}")
            try:
                value = predicate()
            except OSError:
                value = None
            if value:
                return value
            time.sleep(interval)
        pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}:\n{self.log_tail()}")


@pytest.fixture(scope="module")
def demo():
    binary = shoparena_binary()
    python = sandbox_python()
    with tempfile.TemporaryDirectory(prefix="shoparena-web-") as directory:
        port = free_port()
        log_path = Path(directory) / "demo.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [str(binary), "demo", "--dir", directory, "--port", str(port), "--products", "2000",
                 "--problems", "30", "--python", python, "--runtime", str(REPO_ROOT / "python")],
                cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
            arena = DemoArena(f"http://127.0.0.1:{port}", process, log_path)
            try:
                def healthy():
                    with urllib.request.urlopen(arena.url("/health"), timeout=2) as response:
                        return response.status == 200
                arena.wait_for("the demo's backend", healthy, timeout=300)
                yield arena
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@dataclass
class Console:
    """Console errors and uncaught page errors seen by one page."""
    errors: List[str] = field(default_factory=list)

    def watch(self, page):
        page.on("console", lambda message: self.errors.append(f"console.{message.type}: {message.text}")
                if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        return self


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install playwright (scripts/test installs it)")
    executable = chromium_path()
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=args)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
