"""A raw HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose: the far end of tests/faults/test_sources.py.

Each request is answered by the behaviour registered for its path (`server.on(path, behaviour)`). Every
behaviour is bounded (a number of bytes, a number of drips) and stops when the client hangs up or the
server is closed, so a test that goes wrong still ends. The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Behaviour = Callable[[socket.socket, "HostileServer"], None]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class HostileServer:
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)  # path -> body bytes written before the client left

    def __post_init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def on(self, path: str, behaviour: Behaviour) -> "HostileServer":
        self.behaviours[path] = behaviour
        return self

    def __enter__(self) -> "HostileServer":
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._sock.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        with conn:
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                head += data
            lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1]
            path = target.split("?")[0]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            self.requests.append(Seen(target, headers))
            behaviour = self.behaviours.get(path, not_found)
            try:
                behaviour(conn, self)
            except OSError:  # the client hung up: that is what most of these tests want to see
                pass

    def count(self, path: str) -> int:
        return sum(r.path.split("?")[0] == path for r in self.requests)


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()] + ["Connection: close", "", ""]
    return "\r\n".join(lines).encode()


def not_found(conn: socket.socket, server: HostileServer) -> None:
    conn.sendall(_head("404 Not Found", {"Content-Length": "0"}))


def answer(body: bytes, status: str = "200 OK", content_type: str = "application/json") -> Behaviour:
    def behave(conn: socket.socket, server: HostileServer) -> None:
        conn.sendall(_head(status, {"Content-Type": content_type, "Content-Length": str(len(body))}) + body)

    return behave


def redirect(location: str, status: str = "302 Found") -> Behaviour:
    def behave(conn: socket.socket, server: HostileServer) -> None:
        conn.sendall(_head(status, {"Location": location, "Content-Length": "0"}))

    return behave


def drip_body(interval: float, drips: int, path: str = "") -> Behaviour:
    """Headers at once, then one byte of a promised 1000 every `interval` seconds, at most `drips` of them.
    If the client is still there after the last drip, the connection closes with the body short."""

    def behave(conn: socket.socket, server: HostileServer) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": "1000"}))
        for _ in range(drips):
            if server.stopping.wait(interval):
                return
            conn.sendall(b" ")
            server.sent[path] = server.sent.get(path, 0) + 1

    return behave


def drip_headers(interval: float, drips: int) -> Behaviour:
    """The status line and headers one byte every `interval` seconds, at most `drips` bytes."""

    def behave(conn: socket.socket, server: HostileServer) -> None:
        head = _head("200 OK", {"Content-Type": "application/json", "X-Padding": "p" * 2000, "Content-Length": "2"})
        for byte in head[:drips]:
            if server.stopping.wait(interval):
                return
            conn.sendall(bytes([byte]))

    return behave


def huge_declared(size: int, send: int = 2**20, path: str = "") -> Behaviour:
    """Content-Length says `size`; at most `send` bytes follow before the connection closes."""

    def behave(conn: socket.socket, server: HostileServer) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Length": str(size)}))
        chunk = b"[" * 65536
        for _ in range(send // len(chunk)):
            conn.sendall(chunk)
            server.sent[path] = server.sent.get(path, 0) + len(chunk)

    return behave


def endless_chunked(limit: int, path: str = "") -> Behaviour:
    """A chunked body with no length, 64 KiB at a time, stopping at `limit` bytes or when the client leaves."""

    def behave(conn: socket.socket, server: HostileServer) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
        chunk = b" " * 65536
        sent = 0
        while sent < limit and not server.stopping.is_set():
            conn.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            sent += len(chunk)
            server.sent[path] = sent
        conn.sendall(b"0\r\n\r\n")
        time.sleep(0.05)

    return behave


def gzip_bomb(decoded: int) -> Behaviour:
    """A small gzip body that expands to `decoded` bytes of spaces."""
    body = gzip.compress(b" " * decoded, compresslevel=9)

    def behave(conn: socket.socket, server: HostileServer) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Content-Encoding": "gzip",
                                      "Content-Length": str(len(body))}) + body)

    return behave
