"""What ``brief digest`` reads: files, directories and JSON Lines files of articles.

Directories are walked as ``brief search`` walks them (recursively, ``.txt``
and ``.md`` files, sorted, hidden entries and special files skipped:
:func:`osce_brief.search.files.iter_paths`). A file ending in ``.jsonl`` or
``.ndjson`` holds one article per line: ``{"id", "title", "text"}``, the text
under another key with ``text_field`` (``../shared/corpus/bbc-news.jsonl``
keeps it in ``article``).

Items are made lazily, in input order (:func:`iter_items`), each with the
SHA-256 of its content: a file's bytes are read here to hash them (the worker
reads the path again: only the path travels), a JSON Lines article's text is
hashed with its title and travels itself. :func:`count` gives the total for a
progress bar without building the items.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence

JSONL_EXT = (".jsonl", ".ndjson")


def is_jsonl(path: str) -> bool:
    """Is ``path`` a JSON Lines file of articles (by its name)?"""
    return path.lower().endswith(JSONL_EXT)


def expand(paths: Sequence[str], on_error: Callable[[str, str], None]) -> list[str | None]:
    """The input files, directories expanded (as ``brief search`` does); no
    paths: ``[None]``, the bundled article.

    ``on_error(path, message)`` hears of folders that cannot be listed."""
    from ..search.files import iter_paths

    if not paths:
        return [None]
    return list(iter_paths(paths, on_error))


def _jsonl_lines(path: str) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSON Lines file, numbered from 1."""
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                yield n, line


def count(files: Sequence[str]) -> int:
    """How many documents ``files`` hold (a JSON Lines file: its non-blank lines)."""
    total = 0
    for f in files:
        if f is not None and is_jsonl(f):
            try:
                total += sum(1 for _ in _jsonl_lines(f))
            except OSError:
                total += 1  # (its error record)
        else:
            total += 1
    return total


def _sha(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
        h.update(b"\x00")
    return h.hexdigest()


def file_item(pos: int, path: str | None, max_bytes: int) -> tuple:
    """The work item of one file (None: the bundled article): its path and the
    hash of its bytes (an ``error`` item when it cannot be read or is bigger
    than ``max_bytes``)."""
    from ..errors import InputError
    from ..loaders import bundled_bytes, read_bytes

    if path is None:
        return (pos, "bundled", "<bundled>", None, None, _sha(bundled_bytes()))
    try:
        data = read_bytes(path, max_bytes)
    except InputError as e:
        return (pos, "error", path, str(e), None, None)
    return (pos, "path", path, path, None, _sha(data))


def iter_items(files: Sequence[str], *, text_field: str = "text", max_bytes: int,
               start: int = 0) -> Iterator[tuple]:
    """The work items of ``files`` in order, numbered from ``start``."""
    pos = start
    for f in files:
        if f is None or not is_jsonl(f):
            yield file_item(pos, f, max_bytes)
            pos += 1
            continue
        try:
            for n, line in _jsonl_lines(f):
                yield _article_item(pos, f, n, line, text_field)
                pos += 1
        except OSError as e:
            yield (pos, "error", f, f"{f}: cannot read ({(e.strerror or str(e)).lower()})", None, None)
            pos += 1


def _article_item(pos: int, path: str, n: int, line: bytes, text_field: str) -> tuple:
    """The item of one JSON Lines article (line ``n`` of ``path``)."""
    where = f"{path}:{n}"
    try:
        obj = json.loads(line)
    except (ValueError, UnicodeDecodeError) as e:
        return (pos, "text-error", where, f"{where}: not valid JSON ({e})", None, None)
    if not isinstance(obj, dict):
        return (pos, "text-error", where, f"{where}: not a JSON object", None, None)
    ident = obj.get("id")
    key = str(ident) if ident is not None and ident != "" else where
    text = obj.get(text_field)
    if not isinstance(text, str):
        fields = ", ".join(k for k, v in obj.items() if isinstance(v, str)) or "none"
        label = where if key == where else f"{where} (id {key})"
        return (pos, "text-error", key, f"{label}: no text field {text_field!r} (text fields: {fields}; "
                                   f"give the right one with --text-field NAME)", None, None)
    title = obj.get("title")
    title = title if isinstance(title, str) and title.strip() else None
    return (pos, "text", key, text, title, _sha(text.encode("utf-8", "surrogatepass"), (title or "").encode("utf-8", "surrogatepass")))
