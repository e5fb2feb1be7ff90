"""UnixSocketBridge: TCP on 127.0.0.1 forwarded to Unix-socket servers in temporary directories."""

from __future__ import annotations

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


def test_missing_unix_socket_closes_the_client_connection():
    directory = tempfile.mkdtemp(prefix="sa-none-", dir="/tmp")
    try:
        with UnixSocketBridge(os.path.join(directory, "absent.sock")) as bridge:
            with socket.create_connection(("127.0.0.1", bridge.port), timeout=5) as conn:
                conn.settimeout(5)
                try:
                    data = conn.recv(1024)
                except ConnectionResetError:
                    data = b""
                assert data == b""
            # The bridge keeps serving after a failed upstream connect.
            with socket.create_connection(("127.0.0.1", bridge.port), timeout=5) as conn:
                conn.settimeout(5)
                try:
                    assert conn.recv(1024) == b""
                except ConnectionResetError:
                    pass
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_url_before_start_is_an_error():
    with pytest.raises(RuntimeError):
        UnixSocketBridge("/nonexistent").url
