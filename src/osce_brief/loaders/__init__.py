"""Loaders: source bytes -> decoded text -> :class:`~osce_brief.model.Document`.

``load(path)`` reads a file, ``-`` (stdin) or the bundled article (``None``),
decodes it and dispatches on the format through a plain dict registry.
``parse(text)`` does the same for a string already in memory.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Callable

from ..errors import InputError
from ..model import Document
from .gz import GZIP_MAGIC, gunzip, is_gzip  # noqa: F401 - re-exported

#: Default cap on the bytes read from one input (files and stdin): 64 MiB.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
BUNDLED_NAME = "lavrov-blinken-osce-malta.txt"

_MD_EXT = (".md", ".markdown", ".mdown", ".mkd")
_MD_HINT = re.compile(r"^(?:---\s*$|#{1,6}\s+\S|```|\s*[-*]\s+\[[ x]\])", re.M)


def _parse_markdown(text: str, path: str | None) -> Document:
    from .markdown import parse_markdown  # markdown-it-py is imported only here

    return parse_markdown(text, path)


def _parse_text(text: str, path: str | None) -> Document:
    from .text import parse_text

    return parse_text(text, path)


def _parse_html(text: str, path: str | None) -> Document:
    from .html import parse_html  # trafilatura (the web extra) is imported only here

    return parse_html(text, path)


#: format name -> parser(text, path) -> Document
PARSERS: dict[str, Callable[[str, str | None], Document]] = {
    "text": _parse_text,
    "markdown": _parse_markdown,
    "html": _parse_html,
}


_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)
_HTML_START_STR = re.compile(r"^\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)
_HTML_EXT = (".html", ".htm", ".xhtml", ".shtml")


def inner_name(path: str | None) -> str | None:
    """The file name that tells the format: ``fs.md.gz`` -> ``fs.md`` (a gzip
    file's name without ``.gz``); other names as they are."""
    if path and path.lower().endswith(".gz"):
        return path[:-3]
    return path


def is_html_path(path: str | None) -> bool:
    """True when the file name ends in .html, .htm, .xhtml or .shtml (``.gz`` after it too)."""
    path = inner_name(path)
    return bool(path) and path.lower().endswith(_HTML_EXT)


def looks_like_html(data: bytes | str) -> bool:
    """True when the content opens like an HTML page.

    After an optional BOM, whitespace and comments, the text must start with
    ``<!doctype html``, ``<html`` or ``<head`` (case-insensitive).

    Example:
        >>> looks_like_html("  <!DOCTYPE html><html><body>Hi</body></html>")
        True
        >>> looks_like_html("# A Markdown title")
        False
    """
    if isinstance(data, str):
        return bool(_HTML_START_STR.match(data[:4096]))
    return bool(_HTML_START.match(data[:4096]))


def detect_format(text: str, path: str | None = None) -> str:
    """Guess the format from the file name, then from the content.

    Markdown is detected by its extension, or when the text opens with YAML front
    matter or uses ATX headings (``## Title``) or fenced code at line starts.
    """
    path = inner_name(path)
    if is_html_path(path) or looks_like_html(text):
        return "html"
    if path and path.lower().endswith(_MD_EXT):
        return "markdown"
    if path and path.lower().endswith((".txt", ".text")):
        return "text"
    head = text[:65536]
    if head.startswith("---\n") or head.startswith("---\r\n"):
        return "markdown"
    hits = len(re.findall(r"^#{1,6}\s+\S", head, re.M)) + len(re.findall(r"^```", head, re.M))
    return "markdown" if hits >= 2 else "text"


def parse(text: str, path: str | None = None, fmt: str | None = None, *, repair: bool = True) -> Document:
    """Build a Document from decoded text.

    Args:
        text: the source text.
        path: the name to show (not read).
        fmt: a key of :data:`PARSERS`; detected when None.
        repair: repair mojibake first (UTF-8 that was read as Latin-1 or
            Windows-1252, see :mod:`osce_brief.mojibake`); the Document's source
            is then the repaired text and ``meta["repaired"]`` says how many
            sequences were repaired. False keeps the text as decoded (``--raw-text``).

    Example:
        >>> parse("Title\\n\\nSome body text here. It has two sentences.").title
        'Title'
    """
    fixes = 0
    if repair:
        from ..mojibake import repair as repair_mojibake

        text, fixes = repair_mojibake(text)
    fmt = fmt or detect_format(text, path)
    try:
        parser = PARSERS[fmt]
    except KeyError:
        raise InputError(f"unknown format {fmt!r}", f"use one of: {', '.join(PARSERS)}") from None
    doc = parser(text, path)
    if fixes:
        doc.meta["repaired"] = {"mojibake": fixes}
    return doc


def bundled_bytes() -> bytes:
    """The bundled article's bytes, read through importlib.resources."""
    from importlib.resources import files

    res = files("osce_brief").joinpath("data", BUNDLED_NAME)
    if res.is_file():  # an installed wheel carries it inside the package
        return res.read_bytes()
    # A source checkout (editable install, tests): the project's data/ folder.
    from pathlib import Path

    return (Path(__file__).resolve().parents[3] / "data" / BUNDLED_NAME).read_bytes()


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most ``max_bytes`` from ``path`` (``-`` = stdin).

    Raises:
        InputError: missing, a directory, unreadable, or larger than the cap.
    """
    if path == "-":
        stream = sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        where = "stdin"
    else:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file", "check the path, or use - to read stdin") from None
        except OSError as e:
            raise InputError(f"{path}: {e.strerror.lower()}", "check the path and its permissions") from None
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{path}: is a directory", "give a file inside it")
        try:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except PermissionError:
            raise InputError(f"{path}: permission denied", "check the file's permissions (chmod +r)") from None
        except OSError as e:
            raise InputError(f"{path}: cannot read ({e.strerror})", "check the path") from None
        where = path
    if len(data) > max_bytes:
        raise InputError(
            f"{where}: input is larger than --max-bytes ({max_bytes:,} bytes)",
            "raise it with --max-bytes N, or give a smaller file",
        )
    return data


def decode(data: bytes, where: str = "input", encoding: str | None = None) -> str:
    """Decode bytes: BOMs first, then UTF-8 (or the ``encoding`` the user gave).

    UTF-16 without a BOM is recognised by its NUL-byte pattern. Binary data (NUL
    bytes that are not UTF-16) and invalid UTF-8 raise :class:`InputError` naming
    the byte offset and the ``--encoding`` option.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", "try --encoding latin-1, cp1252 or utf-16") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise InputError(
                f"{where}: not valid {encoding} at byte {e.start}", "try another --encoding"
            ) from None
        return text[1:] if text.startswith("\ufeff") else text
    if data.startswith(codecs.BOM_UTF8):
        enc, data = "utf-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        enc = "utf-32"
    else:
        enc = _sniff_utf16(data) or "utf-8"
        if enc == "utf-8" and b"\x00" in data:
            off = data.index(b"\x00")
            raise InputError(
                f"{where}: binary file (NUL byte at offset {off})",
                "brief reads text; if this is text in another encoding, give --encoding",
            )
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        raise InputError(
            f"{where}: not valid {enc.upper()} at byte {e.start}",
            "give the encoding, e.g. --encoding latin-1 or --encoding cp1252",
        ) from None


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: most odd (LE) or even (BE) bytes are NUL."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def load(
    path: str | None = None,
    *,
    encoding: str | None = None,
    fmt: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    save: str | None = None,
    raw_text: bool = False,
) -> Document:
    """Load a document.

    Args:
        path: a file path, ``-`` for stdin, or None for the bundled article.
        encoding: force a text encoding (default: BOM, then UTF-8).
        fmt: force a format (``text``, ``markdown``); detected when None.
        max_bytes: refuse inputs larger than this, compressed or decompressed.
        save: write the raw input bytes (e.g. a fetched page) to this file too.
        raw_text: keep the text as decoded: no mojibake repair (see :func:`parse`).

    gzip-compressed input (a ``.gz`` file, or any input starting with the gzip
    magic bytes) is decompressed first, up to ``max_bytes`` of output; its format
    is then told by the name without ``.gz`` (``fs.md.gz`` is Markdown) or by
    the content.

    ``path`` may also be an ``http(s)://`` URL (fetched with :func:`osce_brief.fetch.fetch`);
    HTML pages (``.html``/``.htm`` or content opening like HTML) are read through
    :mod:`osce_brief.loaders.html`, which needs the ``web`` extra.

    Raises:
        InputError: the input cannot be read, fetched or decoded, or is empty.
    """
    from ..fetch import is_url

    page_url = None
    if path is None:
        data, where = bundled_bytes(), "<bundled>"
    elif is_url(path):
        from ..fetch import fetch

        page = fetch(path, max_bytes=max_bytes)
        data, where, page_url = page.data, path, page.final_url
        if fmt is None and page.is_html and page.content_type:
            fmt = "html"
        elif fmt is None and not page.is_html and not page.content_type.startswith("text/"):
            raise InputError(
                f"{path}: not a web page or text ({page.content_type})", "brief reads HTML pages, Markdown and plain text"
            )
    else:
        data, where = read_bytes(path, max_bytes), ("stdin" if path == "-" else path)
    if save:
        _save(save, data)
    if is_gzip(data):
        data = gunzip(data, max_bytes, where)
    if fmt == "html" or (fmt is None and (is_html_path(path) or looks_like_html(data))):
        from .html import parse_html

        return parse_html(decode(data, where, encoding) if encoding else data, path, url=page_url, repair=not raw_text)
    text = decode(data, where, encoding)
    if not text.strip():
        raise InputError(f"{where}: empty input", "give a file with some text in it")
    return parse(text, path if path != "-" else "-", fmt, repair=not raw_text)


def _save(dest: str, data: bytes) -> None:
    """Write the input bytes to ``dest`` (``--save FILE``)."""
    try:
        with open(dest, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise InputError(f"cannot save to {dest}: {(e.strerror or str(e)).lower()}", "check the path and its permissions") from None
