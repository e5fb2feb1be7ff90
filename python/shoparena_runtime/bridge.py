"""A TCP-to-Unix-socket forwarder: the sandbox's way to reach the proxy.

Inside the sandbox there is no network, only loopback. The proxy of this problem is reachable through a Unix
socket bind-mounted into the sandbox. ``UnixSocketBridge`` listens on ``127.0.0.1:<free port>`` and pipes
every accepted connection, byte for byte in both directions, to a fresh connection on that Unix socket, so
agents that speak plain HTTP (``urllib``, ``requests``) to ``SANDBOX_PROXY_URL`` work unchanged.

The proxy may still be starting when the sandbox starts (the host starts both at once): a connection whose
socket does not exist yet, or does not accept yet, is retried for up to ``connect_wait`` seconds (60 by
default: a loaded host may be slow to start the proxy, and one that cannot start it fails the problem and
stops the sandbox itself). A client whose proxy never came gets an HTTP 503 with a JSON ``detail`` saying so,
not a reset connection.

Built on the C modules ``_socket`` and ``_thread`` only: ``socket``, ``selectors`` and ``threading`` import
``enum``, ``collections`` and friends, milliseconds on every problem's startup before ``agent_main`` runs.
Daemon threads (one accept loop; two per connection, one per direction); at most ``max_connections``
connections are piped at once, later ones wait in the listen backlog.
"""

from __future__ import annotations

import _socket
import _thread
import time

# typing is not imported: with postponed annotations nothing needs it at run time, and it costs
# milliseconds on every problem's startup (the names stay for type checkers).
if False:  # pragma: no cover
    from typing import Optional  # noqa: F401

__all__ = ["UnixSocketBridge"]

_CHUNK = 65536
_RETRY_INTERVAL = 0.01


class _Slots:
    """A bounded counter: ``acquire`` blocks while ``limit`` slots are taken (``threading.BoundedSemaphore``
    without importing ``threading``). ``_full`` is held exactly while every slot is taken."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._taken = 0
        self._mutex = _thread.allocate_lock()
        self._full = _thread.allocate_lock()

    def acquire(self) -> None:
        self._full.acquire()
        with self._mutex:
            self._taken += 1
            if self._taken < self._limit:
                self._full.release()

    def release(self) -> None:
        with self._mutex:
            self._taken -= 1
            if self._taken == self._limit - 1:
                self._full.release()


def _close(sock) -> None:
    try:
        sock.close()
    except OSError:
        pass


def _shutdown(sock, how: int) -> None:
    try:
        sock.shutdown(how)
    except OSError:
        pass


class UnixSocketBridge:
    """Forward ``127.0.0.1:port`` to the Unix socket at ``socket_path``. Use ``start()`` / ``close()``."""

    def __init__(
        self,
        socket_path: str,
        host: str = "127.0.0.1",
        port: int = 0,
        max_connections: int = 32,
        connect_wait: float = 60.0,
    ) -> None:
        self.socket_path = socket_path
        self.host = host
        self.connect_wait = float(connect_wait)
        self._requested_port = port
        self._slots = _Slots(max(1, max_connections))
        self._stopped = False
        self._listener = None
        self._running: Optional[_thread.LockType] = None
        self.port: Optional[int] = None

    @property
    def url(self) -> str:
        """``http://host:port`` of the listening side (valid after ``start``)."""
        if self.port is None:
            raise RuntimeError("bridge not started")
        return f"http://{self.host}:{self.port}"

    def start(self) -> "UnixSocketBridge":
        """Bind, listen and start the accept thread. Returns ``self``."""
        listener = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        try:
            listener.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
            listener.bind((self.host, self._requested_port))
            listener.listen(64)
        except BaseException:
            listener.close()
            raise
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._running = _thread.allocate_lock()
        self._running.acquire()
        _thread.start_new_thread(self._accept_loop, ())
        return self

    def close(self) -> None:
        """Stop accepting; connections already piped finish on their own (daemon threads)."""
        self._stopped = True
        if self._listener is not None:
            # Wakes the blocked accept() (EINVAL) so the loop sees the stop flag.
            _shutdown(self._listener, _socket.SHUT_RDWR)
        if self._running is not None:
            if self._running.acquire(timeout=2.0):
                self._running.release()
        if self._listener is not None:
            _close(self._listener)

    def __enter__(self) -> "UnixSocketBridge":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        listener = self._listener
        try:
            while not self._stopped:
                try:
                    fd, _ = listener._accept()
                except OSError:
                    if self._stopped:
                        break
                    time.sleep(_RETRY_INTERVAL)  # e.g. EMFILE: don't spin
                    continue
                client = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM, 0, fd)
                if self._stopped:
                    _close(client)
                    break
                self._slots.acquire()
                _thread.start_new_thread(self._serve, (client,))
        finally:
            self._running.release()

    def _connect_upstream(self):
        """A connection to the proxy's socket, waiting up to ``connect_wait`` s for it to appear; None if
        it never does."""
        deadline = time.monotonic() + self.connect_wait
        while True:
            upstream = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            try:
                upstream.connect(self.socket_path)
                return upstream
            except (FileNotFoundError, ConnectionRefusedError):
                _close(upstream)
                if time.monotonic() >= deadline or self._stopped:
                    return None
                time.sleep(_RETRY_INTERVAL)
            except OSError:
                _close(upstream)
                return None

    def _refuse(self, client) -> None:
        """Answer 503 (the proxy never came), then drain what the client sent before closing: closing with
        unread request bytes would reset the connection and lose the answer."""
        body = (
            '{"detail": "the search/inference proxy of this problem did not start within %g s", '
            '"error_code": "PROXY_UNAVAILABLE"}' % self.connect_wait
        ).encode()
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        ).encode()
        try:
            client.settimeout(1.0)
            client.sendall(head + body)
            _shutdown(client, _socket.SHUT_WR)
            while client.recv(_CHUNK):
                pass
        except OSError:
            pass
        _close(client)

    def _serve(self, client) -> None:
        upstream = self._connect_upstream()
        if upstream is None:
            self._refuse(client)
            self._slots.release()
            return
        remaining = [2]
        lock = _thread.allocate_lock()

        def finished() -> None:
            with lock:
                remaining[0] -= 1
                last = remaining[0] == 0
            if last:
                _close(client)
                _close(upstream)
                self._slots.release()

        def pump(src, dst) -> None:
            try:
                while True:
                    data = src.recv(_CHUNK)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                # One side broke: tear the other direction down too.
                _shutdown(src, _socket.SHUT_RDWR)
                _shutdown(dst, _socket.SHUT_RDWR)
            else:
                _shutdown(dst, _socket.SHUT_WR)
            finally:
                finished()

        _thread.start_new_thread(pump, (upstream, client))
        pump(client, upstream)
