"""UnixSocketBridge: TCP on 127.0.0.1 forwarded to Unix-socket servers in temporary directories."""

from __future__ import annotations

import json
import os
import shutil
import socket
import socketserver
import tempfile
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import json_reply

from shoparena_runtime.bridge import UnixSocketBridge


class _EchoHandler(socketserver.BaseRequestHandler):
    """Echo bytes back reversed per chunk until the client half-closes, then say how many bytes came."""

    def handle(self) -> None:
        total = 0
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            total += len(data)
            self.request.sendall(data)
        self.request.sendall(f"|{total}".encode())


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def echo_socket():
    directory = tempfile.mkdtemp(prefix="sa-echo-", dir="/tmp")
    path = os.path.join(directory, "echo.sock")
    server = _UnixServer(path, _EchoHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(directory, ignore_errors=True)


def _roundtrip(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            data = conn.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


def test_http_request_through_the_bridge(unix_stub):
    unix_stub.routes.route("/search/find_product", lambda req: json_reply([{"product_id": req.query["q"][0]}]))
    with UnixSocketBridge(unix_stub.path) as bridge:
        assert bridge.url.startswith("http://127.0.0.1:")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(bridge.url + "/search/find_product?q=umbrella", timeout=10) as resp:
            assert resp.status == 200
            assert resp.read() == b'[{"product_id": "umbrella"}]'
    assert unix_stub.routes.requests[0].path == "/search/find_product"


def test_large_payload_and_half_close_are_forwarded(echo_socket):
    payload = os.urandom(3 * 1024 * 1024)
    with UnixSocketBridge(echo_socket) as bridge:
        reply = _roundtrip(bridge.port, payload)
    assert reply == payload + f"|{len(payload)}".encode()


def test_concurrent_connections_are_independent(echo_socket):
    with UnixSocketBridge(echo_socket, max_connections=4) as bridge:
        payloads = [f"connection {i} ".encode() * (i + 1) * 100 for i in range(12)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            replies = list(pool.map(lambda p: _roundtrip(bridge.port, p), payloads))
    for payload, reply in zip(payloads, replies):
        assert reply == payload + f"|{len(payload)}".encode()


def test_missing_unix_socket_answers_503_with_a_reason():
    directory = tempfile.mkdtemp(prefix="sa-none-", dir="/tmp")
    try:
        with UnixSocketBridge(os.path.join(directory, "absent.sock"), connect_wait=0.2) as bridge:
            for _ in range(2):  # the bridge keeps serving after a failed upstream connect
                with socket.create_connection(("127.0.0.1", bridge.port), timeout=5) as conn:
                    conn.settimeout(5)
                    conn.sendall(b"GET /search/find_product?q=x HTTP/1.1\r\nHost: proxy\r\n\r\n")
                    data = b""
                    while True:
                        chunk = conn.recv(1024)
                        if not chunk:
                            break
                        data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                assert head.startswith(b"HTTP/1.1 503 ")
                detail = json.loads(body)
                assert detail["error_code"] == "PROXY_UNAVAILABLE"
                assert "did not start within 0.2 s" in detail["detail"]
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_socket_that_appears_after_the_connection_is_waited_for():
    # The host starts the proxy concurrently with the sandbox: the first agent connection may come first.
    directory = tempfile.mkdtemp(prefix="sa-late-", dir="/tmp")
    path = os.path.join(directory, "late.sock")
    servers = []

    def serve_later() -> None:
        import time

        time.sleep(0.3)
        server = _UnixServer(path, _EchoHandler)
        servers.append(server)
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve_later, daemon=True)
    try:
        with UnixSocketBridge(path, connect_wait=10) as bridge:
            thread.start()
            assert not os.path.exists(path)
            assert _roundtrip(bridge.port, b"early bird") == b"early bird|10"
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(directory, ignore_errors=True)


def test_close_stops_accepting(echo_socket):
    bridge = UnixSocketBridge(echo_socket).start()
    port = bridge.port
    assert _roundtrip(port, b"x") == b"x|1"
    bridge.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_startup_imports_stay_light():
    # The harness runs this before every agent: none of the heavy modules may be needed.
    import subprocess
    import sys

    code = (
        "import sys; import shoparena_runtime.harness; "
        "print(','.join(m for m in ('json', 're', 'enum', 'socket', 'threading', 'selectors', 'typing') "
        "if m in sys.modules))"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.insert(0, {root!r}); {code}"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == ""


def test_url_before_start_is_an_error():
    with pytest.raises(RuntimeError):
        UnixSocketBridge("/nonexistent").url
