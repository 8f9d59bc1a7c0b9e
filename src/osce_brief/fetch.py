"""Fetch a web page over http(s) for reading: ``brief outline https://...``.

Only the standard library is used (:mod:`urllib.request`). The fetch

* sends a user agent naming the tool (``osce_brief/VERSION``);
* follows redirects, but refuses any scheme other than ``http`` and ``https``,
  on the first request and on every redirect (no ``file://``, ``ftp://``, ``data:``);
* gives up after ``timeout`` seconds in total, even on a server that trickles bytes;
* refuses pages larger than ``max_bytes``.

Every failure raises :class:`~osce_brief.errors.InputError` with one line that
says what went wrong and how to go on; the library never prints.
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass

from .errors import InputError

#: Seconds allowed for the whole fetch (connect, redirects and body).
DEFAULT_TIMEOUT = 20.0
#: Cap on the bytes of a fetched page: 16 MiB.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
#: Most redirects followed before giving up.
MAX_REDIRECTS = 10
ALLOWED_SCHEMES = ("http", "https")

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


def _check_scheme(url: str, what: str) -> None:
    from urllib.parse import urlsplit

    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = url if len(url) <= 120 else url[:117] + "..."
        raise InputError(
            f"{what} {scheme or 'relative'}:// URL refused: {shown}",
            "brief fetches only http:// and https:// pages; save the page and give the file instead",
        )


def _opener():
    import urllib.request

    class _Redirects(urllib.request.HTTPRedirectHandler):
        """Follow redirects, but only to http(s) addresses."""

        max_redirections = MAX_REDIRECTS

        def http_error_302(self, req, fp, code, msg, headers):  # noqa: D102
            from urllib.parse import urljoin

            loc = headers.get("Location") or headers.get("URI")
            if loc:
                _check_scheme(urljoin(req.full_url, loc.strip()), "redirect to")
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

        def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
            _check_scheme(newurl, "redirect to")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    # Only the handlers needed: no FileHandler, FTPHandler or DataHandler.
    handlers = [
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _Redirects(),
    ]
    opener = urllib.request.OpenerDirector()
    for h in handlers:
        opener.add_handler(h)
    return opener


def fetch(url: str, *, timeout: float | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
    """GET ``url`` and return its body.

    Args:
        url: an ``http://`` or ``https://`` address.
        timeout: seconds allowed for the whole fetch (default :data:`DEFAULT_TIMEOUT`).
        max_bytes: refuse bodies larger than this.

    Raises:
        InputError: a refused scheme (also on redirect), a network failure, an
            HTTP error status, a timeout or a page over the size cap.
    """
    import http.client
    import urllib.error
    import urllib.request

    _check_scheme(url, "a")
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    req = urllib.request.Request(
        url,
        headers={
            "User-Agent": user_agent(),
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    where = _short(url)
    try:
        resp = _opener().open(req, timeout=timeout)
        try:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(
                    f"{where}: page is larger than the {max_bytes:,}-byte cap ({int(length):,} bytes)",
                    "raise it with --max-bytes N",
                )
            chunks: list[bytes] = []
            size = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                _set_timeout(resp, left)
                chunk = resp.read1(min(65536, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(
                        f"{where}: page is larger than the {max_bytes:,}-byte cap",
                        "raise it with --max-bytes N",
                    )
            ctype = resp.headers.get_content_type() if resp.headers.get("Content-Type") else ""
            return Fetched(url, resp.geturl(), resp.status, ctype, resp.headers.get_content_charset(), b"".join(chunks))
        finally:
            resp.close()
    except InputError:
        raise
    except urllib.error.HTTPError as e:
        e.close()
        reason = (e.reason or "").strip() if isinstance(e.reason, str) else ""
        hint = "check the address" if e.code in (404, 410) else "try again later, or save the page from a browser and give the file"
        raise InputError(f"{where}: HTTP {e.code} {reason}".rstrip(), hint) from None
    except (TimeoutError, socket.timeout):
        raise InputError(f"{where}: timed out after {timeout:g} s", "check the network, or try again later") from None
    except urllib.error.URLError as e:
        r = e.reason
        if isinstance(r, (TimeoutError, socket.timeout)):
            raise InputError(f"{where}: timed out after {timeout:g} s", "check the network, or try again later") from None
        if isinstance(r, InputError):
            raise r from None
        msg = getattr(r, "strerror", None) or str(r)
        raise InputError(f"{where}: cannot fetch ({msg})", "check the address and the network") from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        msg = getattr(e, "strerror", None) or str(e) or type(e).__name__
        raise InputError(f"{where}: cannot fetch ({msg})", "check the address and the network") from None


def _set_timeout(resp, seconds: float) -> None:
    """Shorten the socket timeout so the whole body read respects the deadline."""
    try:
        resp.fp.raw._sock.settimeout(max(seconds, 0.01))
    except AttributeError:
        pass


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."
