"""Fetch a web page over http(s) for reading: ``brief outline https://...``.

Only the standard library is used (:mod:`http.client`). The fetch

* sends a user agent naming the tool (``osce_brief/VERSION``);
* follows up to :data:`MAX_REDIRECTS` redirects, but refuses any scheme other
  than ``http`` and ``https``, on the first request and on every redirect (no
  ``file://``, ``ftp://``, ``data:``);
* refuses a redirect from a public address to a loopback, private, link-local
  or otherwise non-public one (a page on the internet may not point brief at
  the user's own network). The address the user gives may be any address, and
  a private address may redirect anywhere;
* has one monotonic deadline, ``timeout`` seconds (default 20) for the whole
  fetch: name lookup, connect, TLS handshake, status line, headers, every
  redirect and the body. A server that trickles bytes, sends endless
  ``100 Continue`` responses or redirects slowly is stopped at the deadline;
* refuses pages larger than ``max_bytes``.

Every failure raises :class:`~osce_brief.errors.InputError` with one line that
says what went wrong and how to go on; the library never prints.
"""

from __future__ import annotations

import io
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from .errors import InputError

#: Seconds allowed for the whole fetch (lookup, connect, redirects, headers and body).
DEFAULT_TIMEOUT = 20.0
#: Cap on the bytes of a fetched page: 16 MiB.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
#: Most redirects followed before giving up.
MAX_REDIRECTS = 10
ALLOWED_SCHEMES = ("http", "https")
_REDIRECT_CODES = (301, 302, 303, 307, 308)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: str | None) -> bool:
    """True when ``path`` looks like a URL (``scheme://...``), whatever the scheme.

    Example:
        >>> is_url("https://example.org/story"), is_url("story.html")
        (True, False)
    """
    return bool(path) and bool(_URL.match(path))


def user_agent() -> str:
    """The User-Agent header: ``osce_brief/VERSION (+brief command-line reader)``."""
    from . import __version__

    return f"osce_brief/{__version__} (+brief command-line reader)"


def is_public_address(ip: str) -> bool:
    """True for a globally routable address; False for loopback, private, link-local,
    shared (CGNAT), reserved, multicast and unspecified ones.

    IPv4 addresses mapped into IPv6 (``::ffff:10.0.0.1``) are judged as IPv4.

    Example:
        >>> [is_public_address(a) for a in ("93.184.216.34", "127.0.0.1", "10.1.2.3", "::1", "::ffff:192.168.0.1")]
        [True, False, False, False, False]
    """
    import ipaddress

    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


@dataclass(frozen=True)
class Fetched:
    """A fetched page.

    Attributes:
        url: the address asked for.
        final_url: the address after redirects.
        status: the HTTP status of the final response.
        content_type: the media type (``text/html``), without parameters.
        charset: the charset parameter of Content-Type, or None.
        data: the body bytes.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    data: bytes

    @property
    def is_html(self) -> bool:
        """True for HTML/XHTML media types (or an unlabelled body)."""
        ct = self.content_type
        return ct in ("", "text/html", "application/xhtml+xml") or ct.endswith("+html")

    def to_dict(self) -> dict:
        """JSON form, without the body."""
        return {
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "content_type": self.content_type,
            "charset": self.charset,
            "bytes": len(self.data),
        }


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."


def _check_scheme(url: str, what: str) -> None:
    from urllib.parse import urlsplit

    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise InputError(
            f"{what} {scheme or 'relative'}:// URL refused: {_short(url)}",
            "brief fetches only http:// and https:// pages; save the page and give the file instead",
        )


class _Timeout(Exception):
    """The fetch deadline has passed (turned into one InputError by :func:`fetch`)."""


class _Deadline:
    """One monotonic deadline for the whole fetch."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; raises :class:`_Timeout` when none are."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise _Timeout
        return left

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at


class _DeadlineIO(io.RawIOBase):
    """A socket reader that gives every ``recv`` only the time left before the deadline.

    ``http.client`` reads the status line and headers line by line, and each
    socket timeout would restart for every byte a slow server sends; this reader
    makes the status line, the headers (also of ``100 Continue`` responses) and
    the body share one deadline.
    """

    def __init__(self, sock: socket.socket, deadline: _Deadline, keep) -> None:
        super().__init__()
        self._sock = sock
        self._deadline = deadline
        self._keep = keep  # the socket's own reader: holds the socket open until we close

    def close(self) -> None:  # noqa: D102
        if not self.closed:
            self._keep.close()
        super().close()

    def readable(self) -> bool:  # noqa: D102
        return True

    def readinto(self, b) -> int:  # noqa: D102
        self._sock.settimeout(self._deadline.left())
        try:
            n = self._sock.recv_into(b)
        except (TimeoutError, socket.timeout):
            raise _Timeout from None
        except OSError:
            if self._deadline.passed:  # the watchdog shut the socket
                raise _Timeout from None
            raise
        if n == 0 and self._deadline.passed:  # the watchdog shut the socket: not a real end
            raise _Timeout
        return n


def _resolve(host: str, port: int, deadline: _Deadline) -> list[tuple]:
    """``getaddrinfo`` bounded by the deadline (it has no timeout of its own)."""
    import threading

    result: dict = {}

    def run() -> None:
        try:
            result["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as e:
            result["error"] = e

    t = threading.Thread(target=run, name="brief-resolve", daemon=True)
    t.start()
    t.join(deadline.left())
    if t.is_alive():
        raise _Timeout
    if "error" in result:
        raise result["error"]
    return result["infos"]


class _Hop:
    """One request of the fetch: where it goes and what it may reach."""

    def __init__(self, url: str, deadline: _Deadline, is_public: Callable[[str], bool], from_public: bool) -> None:
        from urllib.parse import urlsplit

        self.url = url
        parts = urlsplit(url)
        self.scheme = parts.scheme.lower()
        self.host = parts.hostname or ""
        if not self.host:
            raise InputError(f"no host in URL: {_short(url)}", "give a full address such as https://example.org/page")
        try:
            self.port = parts.port or (443 if self.scheme == "https" else 80)
        except ValueError:
            raise InputError(f"bad port in URL: {_short(url)}", "check the address") from None
        self.target = parts.path or "/"
        if parts.query:
            self.target += "?" + parts.query
        self.deadline = deadline
        self.is_public = is_public
        self.from_public = from_public
        self.public = False  # set once the address is known
        self.addrs: list[tuple] = []
        self.proxy = _proxy_for(self.scheme, self.host)

    def check_addresses(self) -> None:
        """Resolve the host; refuse non-public addresses after a public hop.

        Through a proxy the host is resolved here only to judge it; a name only
        the proxy can resolve counts as not public.
        """
        try:
            self.addrs = _resolve(self.host, self.port, self.deadline)
        except OSError:
            if not self.proxy:
                raise
        ips = [info[4][0] for info in self.addrs]
        private = [ip for ip in ips if not self.is_public(ip)]
        self.public = bool(ips) and not private
        if self.from_public and (private or not ips):
            shown = private[0] if private else "not resolvable here"
            raise InputError(
                f"redirect from a public address to a private one refused: {_short(self.url)} ({shown})",
                "a page on the internet may not send brief to a local or private address; give that URL directly if you mean it",
            )


def _connect(addrs: list[tuple], deadline: _Deadline) -> socket.socket:
    """Connect to the first address that answers, within the deadline."""
    err: OSError | None = None
    for family, kind, proto, _, sockaddr in addrs:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.left())
            sock.connect(sockaddr)
            return sock
        except (TimeoutError, socket.timeout):
            sock.close()
            raise _Timeout from None
        except OSError as e:
            sock.close()
            err = e
    raise err or OSError("no address to connect to")


def _proxy_for(scheme: str, host: str) -> str | None:
    """The proxy URL from the environment (``http_proxy``...), unless ``no_proxy`` bypasses ``host``."""
    import urllib.request

    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(scheme)
    if not proxy or urllib.request.proxy_bypass_environment(host, proxies):
        return None
    return proxy if "://" in proxy else "http://" + proxy


def _request(hop: _Hop, headers: dict[str, str], watch: list) -> tuple:
    """Send one GET and read the response head. Returns ``(connection, response)``."""
    import http.client
    import ssl
    import threading
    from urllib.parse import urlsplit

    deadline = hop.deadline
    proxy = hop.proxy
    if proxy:
        p = urlsplit(proxy)
        phost, pport = p.hostname or "", p.port or 8080
        conn_addrs = _resolve(phost, pport, deadline)
    else:
        conn_addrs = hop.addrs

    def create_connection(*_args, **_kw) -> socket.socket:
        sock = _connect(conn_addrs, deadline)
        # A watchdog: whatever blocks on this socket (the TLS handshake too)
        # is cut at the deadline.
        timer = threading.Timer(max(deadline.at - time.monotonic(), 0.0), _shut, (sock,))
        timer.daemon = True
        timer.start()
        watch.append(timer)
        return sock

    def response_class(sock, *args, **kwargs):
        resp = http.client.HTTPResponse(sock, *args, **kwargs)
        resp.fp = io.BufferedReader(_DeadlineIO(sock, deadline, resp.fp), 65536)
        return resp

    timeout = deadline.left()
    proxy_auth = {}
    if proxy and p.username:  # http://user:password@proxy:port
        import base64
        from urllib.parse import unquote

        cred = f"{unquote(p.username)}:{unquote(p.password or '')}".encode()
        proxy_auth = {"Proxy-Authorization": "Basic " + base64.b64encode(cred).decode("ascii")}
    if hop.scheme == "https":
        ctx = ssl.create_default_context()
        if proxy:
            conn = http.client.HTTPSConnection(phost, pport, timeout=timeout, context=ctx)
            conn.set_tunnel(hop.host, hop.port, headers=proxy_auth or None)
        else:
            conn = http.client.HTTPSConnection(hop.host, hop.port, timeout=timeout, context=ctx)
        target = hop.target
    else:
        conn = http.client.HTTPConnection(phost if proxy else hop.host, pport if proxy else hop.port, timeout=timeout)
        target = hop.url.split("#", 1)[0] if proxy else hop.target
    conn._create_connection = create_connection  # resolved and checked addresses only
    conn.response_class = response_class
    try:
        conn.putrequest("GET", target, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        if hop.scheme == "http":
            for k, v in proxy_auth.items():
                conn.putheader(k, v)
        conn.endheaders()
        return conn, conn.getresponse()
    except BaseException:
        conn.close()
        raise


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    is_public: Callable[[str], bool] | None = None,
) -> Fetched:
    """GET ``url`` and return its body.

    Args:
        url: an ``http://`` or ``https://`` address.
        timeout: seconds allowed for the whole fetch, redirects included
            (default :data:`DEFAULT_TIMEOUT`).
        max_bytes: refuse bodies larger than this.
        is_public: tells whether an IP address is public (default
            :func:`is_public_address`); a redirect from a public address to a
            non-public one is refused.

    Raises:
        InputError: a refused scheme or redirect, a network failure, an HTTP
            error status, the deadline passed, or a page over the size cap.
    """
    import http.client
    from urllib.parse import urljoin

    _check_scheme(url, "a")
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    is_public = is_public or is_public_address
    deadline = _Deadline(timeout)
    headers = {
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    where = _short(url)
    watch: list = []  # the watchdog timers
    current = url
    from_public = False
    conn = resp = None
    try:
        for hops in range(MAX_REDIRECTS + 1):
            hop = _Hop(current, deadline, is_public, from_public)
            hop.check_addresses()
            conn, resp = _request(hop, headers, watch)
            if resp.status in _REDIRECT_CODES and resp.getheader("Location"):
                loc = urljoin(current, resp.getheader("Location", "").strip())
                _check_scheme(loc, "redirect to")
                resp.close()
                conn.close()
                conn = resp = None
                from_public = hop.public
                current = loc.split("#", 1)[0] if "#" in loc else loc
                continue
            break
        else:
            raise InputError(f"{where}: more than {MAX_REDIRECTS} redirects", "check the address, or save the page from a browser")
        assert resp is not None
        if resp.status >= 400:
            reason = (resp.reason or "").strip()
            hint = "check the address" if resp.status in (404, 410) else "try again later, or save the page from a browser and give the file"
            raise InputError(f"{where}: HTTP {resp.status} {reason}".rstrip(), hint)
        if 300 <= resp.status < 400:
            raise InputError(f"{where}: HTTP {resp.status} without a Location to follow", "save the page from a browser and give the file")
        length = resp.getheader("Content-Length")
        if length and length.strip().isdigit() and int(length) > max_bytes:
            raise InputError(
                f"{where}: page is larger than the {max_bytes:,}-byte cap ({int(length):,} bytes)",
                "raise it with --max-bytes N",
            )
        chunks: list[bytes] = []
        size = 0
        while True:
            deadline.left()
            chunk = resp.read1(min(65536, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise InputError(f"{where}: page is larger than the {max_bytes:,}-byte cap", "raise it with --max-bytes N")
        ctype = resp.msg.get_content_type() if resp.getheader("Content-Type") else ""
        return Fetched(url, current, resp.status, ctype, resp.msg.get_content_charset(), b"".join(chunks))
    except InputError:
        raise
    except (_Timeout, TimeoutError, socket.timeout):
        raise InputError(f"{where}: timed out after {timeout:g} s", "check the network, or try again later") from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        if deadline.passed:
            raise InputError(f"{where}: timed out after {timeout:g} s", "check the network, or try again later") from None
        msg = getattr(e, "strerror", None) or str(e) or type(e).__name__
        if isinstance(e, http.client.HTTPException):  # its text may be the server's bytes
            msg = f"{type(e).__name__}: {msg}"
        msg = re.sub(r"[^\x20-\x7e]", "?", msg)
        msg = msg if len(msg) <= 100 else msg[:97] + "..."
        if isinstance(e, socket.gaierror):
            msg = f"cannot resolve the host: {msg}"
        raise InputError(f"{where}: cannot fetch ({msg})", "check the address and the network") from None
    finally:
        for t in watch:
            t.cancel()
        if resp is not None:
            resp.close()
        if conn is not None:
            conn.close()
