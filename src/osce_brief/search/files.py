"""Many files: paths, reading, the byte pre-screen, and the search driver.

:func:`search` expands directories, reads each file with one open and one fstat,
rules a file out on its bytes when no term can occur in it (:class:`_Prescreen`),
streams big files for ``--count``/``-l`` (:mod:`.stream`), and shares thousands
of files out to a second process (:mod:`osce_brief.parallel`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence

from ..errors import InputError, SectionError, UsageError
from ..record import replace
from ..textnorm import fold
from .bytescan import _ASCII_BYTES, _SOFT_BREAK_B, _ascii_hits, _find_hits_generic, _stream_terms, _StreamTerm, _token_has
from .passages import VOCAB_CHARS, SearchResult, _Acc, _check_options
from .query import Query, compile_query, find_hits


#: File name endings searched inside directories.
SEARCH_EXTENSIONS = (".txt", ".md", ".markdown")
#: Files at least this big are counted (``--count`` / ``-l``) by streaming
#: through them in blocks, without building a Document.
STREAM_THRESHOLD = 24 * 1024 * 1024


# ---------------------------------------------------------------- many files
def split_terms_paths(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``TERM... [PATH...]``: trailing arguments that name files, directories,
    URLs or ``-`` are paths; the first argument is always a term.

    Example:
        >>> split_terms_paths(["arms control", "nato", "/"])
        (['arms control', 'nato'], ['/'])
    """
    args = list(args)
    k = len(args)
    while k > 1:
        a = args[k - 1]
        if a == "-" or os.path.exists(a) or re.match(r"(?i)https?://", a) or a.lower().endswith(
            SEARCH_EXTENSIONS + (".html", ".htm")
        ):
            k -= 1
        else:
            break
    return args[:k], args[k:]


def iter_paths(paths: Sequence[str], on_error: Callable[[str, str], None]) -> Iterator[str]:
    """Expand directories (recursively, ``.txt`` and ``.md`` files, sorted, hidden
    entries skipped); other paths are yielded as given.

    Inside a directory only regular files (or symlinks to them) are taken: FIFOs,
    sockets, devices and dangling links are skipped, as ``grep -r`` and ripgrep
    do, and symlinked directories are not entered. A FIFO named on the command
    line is read as given (up to the size cap)."""
    for p, _walked in _iter_files(paths, on_error):
        yield p


def _iter_files(paths: Sequence[str], on_error: Callable[[str, str], None]) -> Iterator[tuple[str, bool]]:
    """:func:`iter_paths`, each path with True when it was met in a directory
    (then it is read only if it is still a regular file when opened)."""
    for p in paths:
        if p != "-" and os.path.isdir(p):
            yield from ((f, True) for f in _walk(p, on_error))
        else:
            yield p, False


def _walk(top: str, on_error: Callable[[str, str], None]) -> Iterator[str]:
    """The searchable regular files under ``top``: each folder's files (sorted),
    then its sub-folders in order. Types come from the directory listing (no
    file is opened); only symlinks cost a ``stat``."""
    stack = [top]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as it:
                entries = list(it)
        except OSError as e:
            on_error(getattr(e, "filename", None) or root, (e.strerror or str(e)).lower())
            continue
        files, dirs = [], []
        for e in entries:
            name = e.name
            if name.startswith("."):
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    dirs.append(name)
                elif name.lower().endswith(SEARCH_EXTENSIONS) and e.is_file():  # (is_file follows a symlink)
                    files.append(name)
            except OSError as err:  # a symlink whose target cannot be looked at
                on_error(e.path, (err.strerror or str(err)).lower())
        for f in sorted(files):
            yield os.path.join(root, f)
        stack.extend(os.path.join(root, d) for d in sorted(dirs, reverse=True))


def search(
    terms: Sequence[str],
    paths: Sequence[str] | None = None,
    *,
    regex: bool = False,
    case: str = "smart",
    word: bool = False,
    exact: bool = False,
    any_term: bool = False,
    unit: str = "sentence",
    context: int = 0,
    section: str | None = None,
    rank: bool = False,
    max_passages: int | None = None,
    mode: str = "passages",
    encoding: str | None = None,
    max_bytes: int | None = None,
    fmt: str | None = None,
    raw_text: bool = False,
) -> SearchResult:
    """Search the bundled article (no ``paths``) or files and directories.

    Args:
        terms: search terms (see :func:`compile_query`).
        paths: files, directories (searched recursively for .txt/.md), URLs or ``-``.
        mode: ``passages`` (build every passage), ``count`` (per-file counts only)
            or ``files`` (which files match); the last two may stream big files.
        max_bytes: refuse files larger than this (None: the loader's default, but
            big files are streamed without a cap in ``count``/``files`` mode);
            a gzip file's decompressed size is capped too (never streamed).
        raw_text: search the text as decoded, without mojibake repair.
        other: as in :func:`compile_query` and :func:`search_document`.

    Returns:
        The result; unreadable inputs are listed in ``errors`` and skipped.

    Raises:
        UsageError: bad terms or options (checked before any file is read).
        InputError / SectionError: for a single input that cannot be searched.
    """
    from ..loaders import DEFAULT_MAX_BYTES

    query = compile_query(terms, regex=regex, case=case, word=word, exact=exact, any_term=any_term)
    _check_options(unit, context, max_passages)
    if mode not in ("passages", "count", "files"):
        raise UsageError(f"unknown mode {mode!r}", "use passages, count or files")
    acc = _Acc(query, unit, context, section, rank)
    paths = list(paths or [])
    single = len(paths) <= 1 and not (paths and os.path.isdir(paths[0]))
    cap = max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES

    def on_error(path: str, msg: str) -> None:
        acc.errors.append((path, _strip_path(path, msg)))

    if not paths:
        from ..loaders import load

        acc.add_doc(load(None, encoding=encoding, fmt=fmt, raw_text=raw_text))
        return replace(acc.result(rank, max_passages), mode=mode)
    files = list(_iter_files(paths, on_error))
    if not files and not acc.errors:
        where = ", ".join(paths)
        raise InputError(f"no .txt or .md files in {where}", "give files, or a directory that holds some")

    pre = _Prescreen(query)

    def run(acc: _Acc, part: list[tuple[str, bool]]) -> None:
        for p, walked in part:
            try:
                _search_path(acc, p, query, mode, cap, max_bytes is None, encoding, fmt, pre, walked, raw_text)
            except _NotRegular:
                continue  # met in a folder and not a regular file (now): skipped, as grep -r does
            except (InputError, SectionError) as e:
                if single:
                    raise
                acc.errors.append((p, _strip_path(p, e.message) + (f"; {e.hint}" if e.hint else "")))

    from ..parallel import MAX_SHARED, second_cpu, share

    if len(files) >= PARALLEL_FILES and second_cpu():
        # Two processes take blocks of files from one queue (matches cluster in
        # some folders, so fixed halves would leave one process idle); the
        # blocks' results are merged in file order.
        size = max(SHARED_BLOCK, -(-len(files) // MAX_SHARED))
        blocks = [files[i : i + size] for i in range(0, len(files), size)]

        def block(i: int) -> dict:
            sub = _Acc(query, unit, context, section, rank)
            run(sub, blocks[i])
            return sub.state()

        for got in share(len(blocks), block, _trim_vocab):
            acc.merge(got)  # type: ignore[arg-type]
    else:
        run(acc, files)
    if mode != "passages":  # counted, not shown
        acc.extra_passages += len(acc.passages)
        acc.passages = []
    return replace(acc.result(rank, max_passages), mode=mode)


def _trim_vocab(states: dict) -> None:
    """Before a second process sends its blocks' states back: the texts kept for
    "did you mean" are needed only when nothing matched, and then up to the cap."""
    found = any(st["passages"] or st["extra_passages"] for st in states.values())
    room = 0 if found else VOCAB_CHARS
    for _i, st in sorted(states.items()):
        keep = []
        for t in st["vocab_texts"]:
            if room <= 0:
                break
            keep.append(t)
            room -= len(t)
        st["vocab_texts"] = keep


#: Searching at least this many files uses a second process (POSIX, 2+ CPUs)...
PARALLEL_FILES = 400
#: ...which takes them from a queue in blocks of this many files.
SHARED_BLOCK = 16


def _strip_path(path: str, message: str) -> str:
    """Error messages from the loader start with the path: drop it (it is shown anyway)."""
    return message[len(path) + 2 :] if message.startswith(path + ": ") else message


def _could_match(data: bytes, query: Query, pre: _Prescreen | None = None) -> bool:
    """False when the bytes rule every match out (see :class:`_Prescreen`)."""
    return (pre or _Prescreen(query)).could_match(data)


class _Prescreen:
    """The byte pre-screen of one query, built once per search.

    A file is ruled out when a term's ASCII anchor (which every hit holds once
    folded) is absent, or present only in words that are no hit (a word-form
    term's anchor is a short prefix: "bla" for blair), and no token around a
    non-ASCII character that could fold into it (an accent, a ligature, a
    zero-width character) holds the anchor once folded."""

    __slots__ = ("query", "anchors", "_plans", "_planned")

    def __init__(self, query: Query) -> None:
        self.query = query
        self.anchors = tuple(None if t.anchor is None else (t.anchor.encode(), t.case_sensitive) for t in query.terms)
        self._plans: list[_StreamTerm] | None = None
        self._planned = False

    @property
    def plans(self) -> list[_StreamTerm] | None:
        """The query's byte-level plans (their caches of words and tokens grow as files are read)."""
        if not self._planned:
            self._plans, self._planned = _stream_terms(self.query), True
        return self._plans

    def could_match(self, data: bytes) -> bool:
        anchors, query = self.anchors, self.query
        if b"\xe2\x80\x90" in data and _SOFT_BREAK_B.search(data):
            return True  # a word hyphenated at a line end (man pages) may hide an anchor
        if len(anchors) == 1 and anchors[0] is not None and data.isascii():  # the usual case, quickly
            a, sensitive = anchors[0]
            if a not in (data if sensitive else data.lower()):
                return False
        low = None
        nonascii: bytes | None = None
        found = []
        for ti, anchor in enumerate(anchors):
            if anchor is None:
                found.append(True)  # a regex or non-ASCII term: no cheap test
                continue
            a, sensitive = anchor
            if sensitive:
                hay = data
            else:
                if low is None:
                    low = data.lower()
                hay = low
            has = a in hay
            plans = self.plans if has or not data.isascii() else None
            if has:
                # decide the anchor's occurrences as the streaming count does (in bytes,
                # with cached stems; one next to a non-ASCII character stays a maybe)
                pl = plans[ti] if plans is not None else None
                if pl is not None and not (pl.simple and not pl.word and pl.lit in hay):  # the literal: a hit
                    out: list = []
                    if pl.fast:
                        _ascii_hits(pl, hay, data, ti, out, len(hay))
                    else:
                        _find_hits_generic(pl, hay, data, ti, out, query, len(hay))
                    has = any(c[2] is None or c[2] for c in out)
            if not has and not data.isascii():
                if nonascii is None:
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError:
                        return True  # not UTF-8: the loader gives the error (or --encoding decodes it)
                    nonascii = data.translate(None, _ASCII_BYTES)
                has = plans is None or _fuzzy_hit(plans[ti], hay, data, nonascii)
            found.append(has)
        return any(found) if query.any_term else all(found)


def _fuzzy_hit(pl: _StreamTerm, hay: bytes, raw: bytes, nonascii: bytes) -> bool:
    """Does some token around a non-ASCII character of ``raw`` hold the plan's
    anchor once folded? (``hay`` is ``raw`` lowered when the term is case-insensitive.)"""
    for pat in pl.fuzzy(nonascii):
        for m in pat.finditer(hay):
            if _token_has(raw, m.start(), pl):
                return True
    return False


#: Flags for opening an input that must not block or take a terminal (a FIFO
#: without a writer, a device): the type is then checked with ``fstat``.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class _NotRegular(Exception):
    """A file met in a folder that is not a regular file (now): it is skipped."""


def _read_regular(path: str, cap: int, stream_from: int | None,
                  walked: bool = False) -> tuple[bytes | None, int | None]:
    """Read a regular file of at most ``cap`` bytes with one open and one fstat.

    The open never blocks (``O_NONBLOCK``, then ``fstat``): a FIFO or a device is
    not read here.

    Returns ``(data, size)``; ``(None, size)`` when the file has at least
    ``stream_from`` bytes (to be streamed); ``(None, None)`` for anything else
    (missing, a FIFO, too big, unreadable), which :func:`read_bytes` then reports.

    Args:
        walked: the path was met in a folder: no second, blocking open may
            follow, so a file that is not regular raises :class:`_NotRegular`
            and any other failure raises :class:`InputError` here.
    """
    if not walked:
        # A path named by the user may be a FIFO: it is read by :func:`read_bytes`,
        # with the one open its writer waits for (opening it here too, even without
        # blocking, would let a writer write into a pipe that is then closed).
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return None, None
        except OSError:
            return None, None
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        if walked:
            _walked_open_error(path, e)
        return None, None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            if walked:
                raise _NotRegular(path)
            return None, None
        if stream_from is not None and st.st_size >= stream_from:
            return None, st.st_size
        if st.st_size <= cap:
            data = os.read(fd, st.st_size + 1)
            if len(data) > st.st_size:  # the file grew: read on, up to the cap
                parts = [data]
                while parts[-1] and sum(map(len, parts)) <= cap:
                    parts.append(os.read(fd, 1 << 20))
                data = b"".join(parts)
            if len(data) <= cap:
                return data, st.st_size
        if walked:
            raise InputError(f"{path}: input is larger than --max-bytes ({cap:,} bytes)",
                             "raise it with --max-bytes N, or give a smaller file")
        return None, None
    except OSError as e:
        if walked:
            raise InputError(f"{path}: cannot read ({e.strerror})", "check the path") from None
        return None, None
    finally:
        os.close(fd)


def _walked_open_error(path: str, e: OSError) -> None:
    """Why a file met in a folder cannot be opened, as :func:`read_bytes` says it
    (a socket or a file that became one is skipped: ``stat`` does not block)."""
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise _NotRegular(path)
    if isinstance(e, FileNotFoundError):
        raise InputError(f"{path}: no such file", "check the path, or use - to read stdin") from None
    if isinstance(e, PermissionError):
        raise InputError(f"{path}: permission denied", "check the file's permissions (chmod +r)") from None
    raise InputError(f"{path}: {(e.strerror or str(e)).lower()}", "check the path and its permissions") from None


def _search_path(acc: _Acc, p: str, query: Query, mode: str, cap: int, uncapped_stream: bool,
                 encoding: str | None, fmt: str | None, pre: _Prescreen | None = None, walked: bool = False,
                 raw_text: bool = False) -> None:
    """Search one input. ``walked``: met in a folder (a file that is not regular is
    skipped, and it is never opened in a way that could block). ``raw_text``: no
    mojibake repair (offsets and hits otherwise refer to the repaired text, as the
    loader's do)."""
    from ..loaders import is_gzip, load

    lp = p.lower()
    if p == "-" or lp.startswith(("http://", "https://")) or lp.endswith((".html", ".htm", ".gz")) or fmt == "html":
        if walked and not lp.endswith(".gz"):
            from ..loaders import decode
            from ..loaders.html import parse_html

            data = _read_regular(p, cap, None, walked=True)[0]  # (as load() reads a local HTML file)
            acc.add_doc(parse_html(decode(data, p, encoding) if encoding else data, p, repair=not raw_text))
            return
        acc.add_doc(load(p, encoding=encoding, fmt=fmt, max_bytes=cap, raw_text=raw_text))  # gzip: capped, never streamed
        return
    streamable = mode != "passages" and acc.section is None and encoding is None and fmt != "markdown" \
        and not lp.endswith((".md", ".markdown"))
    data, size = _read_regular(p, cap, STREAM_THRESHOLD if streamable else None, walked)
    if data is None and size is not None and (uncapped_stream or size <= cap):
        from .stream import count_file

        counted = count_file(p, query, unit=acc.unit, context=acc.context, first_only=mode == "files",
                             raw_text=raw_text)
        if counted is not None:
            acc.add_count(p, counted[0], counted[1])
            return
    if data is None and walked:
        data = _read_regular(p, cap, None, walked=True)[0]  # (raises the one-line errors itself)
    elif data is None:
        from ..loaders import read_bytes

        data = read_bytes(p, cap)  # also the one-line errors: missing, a directory, too big...
    if is_gzip(data):  # gzip without a .gz name
        acc.add_doc(load(p, encoding=encoding, fmt=fmt, max_bytes=cap, raw_text=raw_text))
        return
    from ..mojibake import bytes_have_candidates

    if encoding is None and b"\x00" not in data and not (not raw_text and bytes_have_candidates(data)) \
            and not _could_match(data, query, pre):
        acc.searched += 1  # no term can occur: the file is ruled out on its bytes
        acc.note_text(data)
        return
    from ..loaders import decode, parse

    text = decode(data, p, encoding)
    del data
    if not raw_text:  # offsets and hits refer to the repaired text, as the loader's do
        from ..mojibake import repair

        text = repair(text)[0]
    if not text or text.isspace():
        acc.searched += 1
        return
    folded = fold(text)
    hits = find_hits(query, folded)
    have = [bool(h) for h in hits]
    if not (any(have) if query.any_term else all(have)):
        acc.searched += 1
        acc.note_text(text)
        return
    if mode == "files" and acc.section is None and (query.any_term or len(query.terms) == 1):
        # a file matches when a hit touches some text (units tile all non-space text)
        n = sum(1 for spans in hits for s, e in spans if text[s:e].strip())
        if n:
            acc.add_count(p, 1, n)
            return
    acc.add_doc(parse(text, p, fmt, repair=False), hits)
