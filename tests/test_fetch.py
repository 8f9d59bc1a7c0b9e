"""Fetching URLs against hostile servers (issue 13.4): one deadline for the whole fetch,
and no redirect from a public address to a private one.

Every server here is a raw socket server on 127.0.0.1 made by the tests; the deadlines
are short (about a second) so that the tests stay fast.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time

import pytest

from osce_brief import fetch as fetch_mod
from osce_brief.errors import ExitCode, InputError

from .conftest import loopback

DEADLINE = 0.6
SLACK = 1.5  # seconds a timed-out fetch may take past its deadline (a loaded CI machine)

PAGE = b"<!doctype html><html><head><title>Tides</title></head><body><article><h1>Tides</h1><p>The moon pulls the water. The shore feels it twice a day, and the harbour keeps the calendar.</p></article></body></html>"


class _Raw(socketserver.BaseRequestHandler):
    """Speaks just enough HTTP to misbehave in the ways the issue lists."""

    stop = threading.Event()
    seen: list[str] = []

    def _pause(self, seconds: float) -> bool:
        return self.stop.wait(seconds)

    def handle(self) -> None:
        sock = self.request
        data = b""
        while b"\r\n\r\n" not in data:
            got = sock.recv(4096)
            if not got:
                return
            data += got
        path = data.split(b" ", 2)[1].decode()
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.seen.append(data.decode("latin-1"))
        try:
            if path == "/ok" or path == "http://proxied.invalid/page":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(PAGE), PAGE))
            elif path == "/header-trickle":  # one header line every 0.2 s, forever
                sock.sendall(b"HTTP/1.1 200 OK\r\n")
                for i in range(100):
                    if self._pause(0.2):
                        break
                    sock.sendall(b"X-Slow-%d: yes\r\n" % i)
            elif path == "/status-trickle":  # the status line at one byte per 0.2 s
                for byte in b"HTTP/1.1 200 OK\r\n\r\n" * 5:
                    if self._pause(0.2):
                        break
                    sock.sendall(bytes([byte]))
            elif path == "/continue":  # endless 100 Continue, as fast as the socket takes them
                while not self.stop.is_set():
                    sock.sendall(b"HTTP/1.1 100 Continue\r\nX-Again: 1\r\n\r\n" * 50)
            elif path.startswith("/slow-redirect/"):  # 8 redirects, each after 0.2 s
                n = int(path.rsplit("/", 1)[1])
                if self._pause(0.2):
                    return
                loc = f"/slow-redirect/{n + 1}" if n < 8 else "/ok"
                sock.sendall(f"HTTP/1.1 302 Found\r\nLocation: {loc}\r\nContent-Length: 0\r\n\r\n".encode())
            elif path == "/to-private":
                sock.sendall(b"HTTP/1.1 302 Found\r\nLocation: http://10.255.255.1:9/secret\r\nContent-Length: 0\r\n\r\n")
            elif path == "/to-self":
                sock.sendall(f"HTTP/1.1 301 Moved\r\nLocation: {base}/ok\r\nContent-Length: 0\r\n\r\n".encode())
            elif path == "/to-loopback-name":
                port = self.server.server_address[1]
                sock.sendall(f"HTTP/1.1 307 Moved\r\nLocation: http://localhost:{port}/ok\r\nContent-Length: 0\r\n\r\n".encode())
            elif path == "/garbage":  # a status line of terminal escapes
                sock.sendall(b"\x1b[31mHELLO\x07 " + b"x" * 5000 + b"\r\n\r\n")
            elif path == "/body-trickle":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>")
                for _ in range(100):
                    if self._pause(0.2):
                        break
                    sock.sendall(b" ")
            else:
                sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(scope="module")
def raw_server():
    """A misbehaving HTTP server on 127.0.0.1; yields its base URL."""
    with loopback(_Server(("127.0.0.1", 0), _Raw), _Raw.stop) as url:
        yield url


pytestmark = pytest.mark.usefixtures("no_proxy")


def _timed_out(url: str, **kw) -> float:
    t0 = time.monotonic()
    with pytest.raises(InputError, match="timed out after 0.6 s") as e:
        fetch_mod.fetch(url, timeout=DEADLINE, **kw)
    took = time.monotonic() - t0
    assert DEADLINE - 0.05 <= took < DEADLINE + SLACK, took
    assert "\n" not in str(e.value)
    return took


def test_fetch_ok(raw_server):
    page = fetch_mod.fetch(f"{raw_server}/ok", timeout=DEADLINE)
    assert page.data == PAGE and page.status == 200 and page.content_type == "text/html"


@pytest.mark.parametrize("path", ["/header-trickle", "/status-trickle", "/continue", "/slow-redirect/1", "/body-trickle"])
def test_one_deadline_covers_everything(raw_server, path):
    _timed_out(raw_server + path)


def test_slow_redirects_within_the_deadline_are_followed(raw_server):
    page = fetch_mod.fetch(f"{raw_server}/slow-redirect/7", timeout=5)  # two hops of 0.2 s
    assert page.final_url.endswith("/ok") and page.data == PAGE


def test_cli_timeout_is_one_error_line(raw_server, invoke, monkeypatch):
    monkeypatch.setattr(fetch_mod, "DEFAULT_TIMEOUT", DEADLINE)
    for path in ("/header-trickle", "/continue"):
        t0 = time.monotonic()
        r = invoke("outline", raw_server + path)
        assert time.monotonic() - t0 < DEADLINE + SLACK
        assert r.exit_code == ExitCode.USAGE and r.stdout == ""
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("brief: error: ") and "timed out after 0.6 s" in r.stderr


# ---------------------------------------------------------------- redirect rule
def _public_loopback(ip: str) -> bool:
    """Pretend that 127.0.0.1 (where the test server is) is a public address."""
    return ip == "127.0.0.1" or fetch_mod.is_public_address(ip)


def test_public_to_private_redirect_refused(raw_server, invoke, monkeypatch):
    with pytest.raises(InputError, match="redirect from a public address to a private one refused") as e:
        fetch_mod.fetch(f"{raw_server}/to-private", timeout=DEADLINE, is_public=_public_loopback)
    assert "10.255.255.1" in str(e.value) and "\n" not in str(e.value)
    # the CLI: one line, exit 2
    real = fetch_mod.fetch

    def patched(url, **kw):
        return real(url, is_public=_public_loopback, **kw)

    monkeypatch.setattr(fetch_mod, "fetch", patched)
    r = invoke("outline", f"{raw_server}/to-private")
    assert r.exit_code == ExitCode.USAGE and r.stderr.count("\n") == 1 and "refused" in r.stderr


def test_public_to_public_and_private_to_private_redirects_followed(raw_server):
    assert fetch_mod.fetch(f"{raw_server}/to-self", timeout=DEADLINE, is_public=_public_loopback).data == PAGE
    assert fetch_mod.fetch(f"{raw_server}/to-self", timeout=DEADLINE).data == PAGE  # loopback -> loopback
    # a private address may redirect to a public one (and a URL given directly may be any address)
    assert fetch_mod.fetch(f"{raw_server}/to-loopback-name", timeout=DEADLINE).data == PAGE


def test_private_address_given_directly_is_fetched(raw_server):
    assert fetch_mod.fetch(f"{raw_server}/ok", timeout=DEADLINE, is_public=lambda ip: False).status == 200


@pytest.mark.parametrize(
    "ip, public",
    [
        ("8.8.8.8", True), ("2606:4700:4700::1111", True), ("127.0.0.1", False), ("10.0.0.1", False),
        ("172.16.5.4", False), ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
        ("0.0.0.0", False), ("::1", False), ("fe80::1%eth0", False), ("fc00::1", False), ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True), ("224.0.0.1", False), ("not an ip", False),
    ],
)
def test_address_classes(ip, public):
    assert fetch_mod.is_public_address(ip) is public


def test_garbage_status_line_is_one_clean_line(raw_server):
    with pytest.raises(InputError, match="cannot fetch") as e:
        fetch_mod.fetch(f"{raw_server}/garbage", timeout=DEADLINE)
    msg = str(e.value)
    assert "\x1b" not in msg and "\x07" not in msg and "\n" not in msg and len(msg) < 400


def test_env_proxy_is_used_with_its_credentials(raw_server, monkeypatch):
    port = raw_server.rsplit(":", 1)[1]
    monkeypatch.setenv("http_proxy", f"http://user:p%40ss@127.0.0.1:{port}")
    monkeypatch.setenv("no_proxy", "")
    page = fetch_mod.fetch("http://proxied.invalid/page", timeout=DEADLINE)  # a name only the proxy knows
    assert page.data == PAGE
    head = _Raw.seen[-1]
    assert head.startswith("GET http://proxied.invalid/page HTTP/1.1")
    assert "Proxy-Authorization: Basic dXNlcjpwQHNz" in head  # user:p@ss


def test_connect_to_unresolvable_host_is_one_line():
    with pytest.raises(InputError, match="cannot fetch") as e:
        fetch_mod.fetch("http://no-such-host.invalid/page", timeout=DEADLINE)
    assert "\n" not in str(e.value)


def test_closed_port_and_dns_deadline(monkeypatch):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(InputError, match="cannot fetch"):
        fetch_mod.fetch(f"http://127.0.0.1:{port}/", timeout=DEADLINE)

    # a name lookup that hangs is cut at the deadline too
    def slow_lookup(*a, **k):
        time.sleep(DEADLINE + 3)
        raise OSError("late")

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
    _timed_out("http://slow-dns.example/")
