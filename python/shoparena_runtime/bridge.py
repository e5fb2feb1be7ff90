"""A TCP-to-Unix-socket forwarder: the sandbox's way to reach the proxy.

Inside the sandbox there is no network, only loopback. The proxy of this problem is reachable through a Unix
socket bind-mounted into the sandbox. ``UnixSocketBridge`` listens on ``127.0.0.1:<free port>`` and pipes
every accepted connection, byte for byte in both directions, to a fresh connection on that Unix socket, so
agents that speak plain HTTP (``urllib``, ``requests``) to ``SANDBOX_PROXY_URL`` work unchanged.

Standard library only; daemon threads (two per connection, one per direction); at most ``max_connections``
connections are piped at once, later ones wait in the listen backlog.
"""

from __future__ import annotations

import selectors
import socket
import threading
# typing is not imported: with postponed annotations nothing needs it at run time, and it costs
# milliseconds on every problem's startup (the names stay for type checkers).
if False:  # pragma: no cover
    from typing import Optional  # noqa: F401

__all__ = ["UnixSocketBridge"]

_CHUNK = 65536


class UnixSocketBridge:
    """Forward ``127.0.0.1:port`` to the Unix socket at ``socket_path``. Use ``start()`` / ``close()``."""

    def __init__(self, socket_path: str, host: str = "127.0.0.1", port: int = 0, max_connections: int = 32) -> None:
        self.socket_path = socket_path
        self.host = host
        self._requested_port = port
        self._slots = threading.BoundedSemaphore(max(1, max_connections))
        self._stop = threading.Event()
        self._listener: Optional[socket.socket] = None
        self._thread: Optional[threading.Thread] = None
        self.port: Optional[int] = None

    @property
    def url(self) -> str:
        """``http://host:port`` of the listening side (valid after ``start``)."""
        if self.port is None:
            raise RuntimeError("bridge not started")
        return f"http://{self.host}:{self.port}"

    def start(self) -> "UnixSocketBridge":
        """Bind, listen and start the accept thread. Returns ``self``."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self._requested_port))
        listener.listen(64)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="shoparena-bridge", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting; connections already piped finish on their own (daemon threads)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        if self._listener is not None:
            try:
                self._listener.close()
            except OSError:
                pass

    def __enter__(self) -> "UnixSocketBridge":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._listener is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self._listener, selectors.EVENT_READ)
            while not self._stop.is_set():
                if not sel.select(timeout=0.2):
                    continue
                try:
                    client, _ = self._listener.accept()
                except OSError:
                    continue
                self._slots.acquire()
                threading.Thread(target=self._serve, args=(client,), name="shoparena-bridge-conn", daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(self.socket_path)
        except OSError:
            upstream.close()
            client.close()
            self._slots.release()
            return
        remaining = [2]
        lock = threading.Lock()

        def finished() -> None:
            with lock:
                remaining[0] -= 1
                last = remaining[0] == 0
            if last:
                for s in (client, upstream):
                    try:
                        s.close()
                    except OSError:
                        pass
                self._slots.release()

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while True:
                    data = src.recv(_CHUNK)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                # One side broke: tear the other direction down too.
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
            else:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            finally:
                finished()

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)
