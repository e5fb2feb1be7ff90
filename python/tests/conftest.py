"""Shared fixtures: import path, stub HTTP servers (TCP on 127.0.0.1 and Unix sockets), harness runner.

All network traffic of these tests goes to 127.0.0.1 or to Unix sockets inside temporary directories.
"""

from __future__ import annotations

import json
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PYTHON_DIR.parent
EXAMPLES_DIR = REPO_ROOT / "examples" / "agents"
if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))

#: (status, headers, body) or a callable(request) -> that tuple
Reply = Tuple[int, Dict[str, str], bytes]


class Recorded:
    """One request the stub saw."""

    def __init__(self, method: str, path: str, query: Dict[str, List[str]], headers: Dict[str, str], body: bytes):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class StubRoutes:
    """Routing table of a stub server: path -> handler(Recorded) -> Reply. Records every request."""

    def __init__(self) -> None:
        self.routes: Dict[str, Callable[[Recorded], Reply]] = {}
        self.requests: List[Recorded] = []
        self.lock = threading.Lock()

    def route(self, path: str, handler: Callable[[Recorded], Reply]) -> None:
        self.routes[path] = handler

    def sequence(self, path: str, replies: List[Reply]) -> None:
        """Answer ``path`` with ``replies`` in order, repeating the last one."""
        state = {"i": 0}

        def handler(_req: Recorded) -> Reply:
            with self.lock:
                i = min(state["i"], len(replies) - 1)
                state["i"] += 1
            return replies[i]

        self.route(path, handler)

    def handle(self, req: Recorded) -> Reply:
        with self.lock:
            self.requests.append(req)
        handler = self.routes.get(req.path)
        if handler is None:
            return 404, {"Content-Type": "application/json"}, b'{"error": "not found"}'
        return handler(req)


def json_reply(data: Any, status: int = 200) -> Reply:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode("utf-8")


def _make_handler(routes: StubRoutes):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            req = Recorded(self.command, parsed.path, urllib.parse.parse_qs(parsed.query, keep_blank_values=True),
                           {k.lower(): v for k, v in self.headers.items()}, body)
            status, headers, payload = routes.handle(req)
            self.close_connection = True
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        do_GET = _serve
        do_POST = _serve

        def address_string(self) -> str:
            return "stub"

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


class TCPStub:
    """A stub HTTP server on 127.0.0.1:<free port> in a background thread."""

    def __init__(self) -> None:
        self.routes = StubRoutes()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self.routes))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class UnixStub:
    """A stub HTTP server on a Unix socket in a short temporary directory."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="sa-", dir="/tmp")
        self.path = os.path.join(self.dir, "proxy.sock")
        self.routes = StubRoutes()
        self.server = _UnixHTTPServer(self.path, _make_handler(self.routes))
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def tcp_stub():
    stub = TCPStub()
    try:
        yield stub
    finally:
        stub.close()


@pytest.fixture
def unix_stub():
    stub = UnixStub()
    try:
        yield stub
    finally:
        stub.close()


class HarnessRun:
    def __init__(self, proc: subprocess.CompletedProcess, result: Optional[Dict[str, Any]]):
        self.proc = proc
        self.result = result


@pytest.fixture
def run_harness(tmp_path):
    """Run the harness in a subprocess on agent source text and a problem dict; returns HarnessRun."""

    def _run(agent_source: str, problem: Dict[str, Any], *, proxy_socket: Optional[str] = None,
             env: Optional[Dict[str, str]] = None, isolated: bool = False, timeout: float = 60.0,
             agent_path: Optional[Path] = None, relative_paths: bool = False) -> HarnessRun:
        if agent_path is None:
            agent_path = tmp_path / "agent.py"
            agent_path.write_text(agent_source, encoding="utf-8")
        problem_path = tmp_path / "problem.json"
        problem_path.write_text(json.dumps(problem), encoding="utf-8")
        output_path = tmp_path / "result.json"
        if output_path.exists():
            output_path.unlink()
        child_env = {k: v for k, v in os.environ.items() if not k.startswith(("SANDBOX_", "SHOPARENA_"))}
        child_env.update({"PYTHONPATH": str(PYTHON_DIR), "PYTHONDONTWRITEBYTECODE": "1"})
        child_env.update(env or {})
        paths = [agent_path, problem_path, output_path]
        if relative_paths:  # relative to the child's working directory, tmp_path
            paths = [os.path.relpath(p, tmp_path) for p in paths]
        args = ["--agent", str(paths[0]), "--problem", str(paths[1]), "--output", str(paths[2])]
        if proxy_socket:
            args += ["--proxy-socket", proxy_socket]
        if isolated:
            cmd = [sys.executable, "-I", "-B", str(PYTHON_DIR / "run_harness.py")] + args
        else:
            cmd = [sys.executable, "-B", "-m", "shoparena_runtime.harness"] + args
        proc = subprocess.run(cmd, env=child_env, cwd=str(tmp_path), capture_output=True, timeout=timeout)
        result = json.loads(output_path.read_text(encoding="utf-8")) if output_path.exists() else None
        return HarnessRun(proc, result)

    return _run


def shared_data(name: str) -> Path:
    """A file of the shared data directory (``../shared/data`` beside the clone, or ``/work/shared/data``).

    Fails, never skips, when it is missing: the test needs it.
    """
    candidates = [REPO_ROOT.parent / "shared" / "data" / name, Path("/work/shared/data") / name]
    for path in candidates:
        if path.is_file():
            return path
    pytest.fail(f"shared data file {name!r} not found (looked in {', '.join(str(c) for c in candidates)})")
