"""Streamed counts: ``--count`` and ``-l`` on big files, without a Document.

:func:`count_file` reads a plain-text file in chunks cut at blank lines and gives
the same passage and hit counts as the full path (load, find hits, build
passages), with memory bounded by a few chunks. Candidates come from the byte
plans of :mod:`.bytescan` (or one Hyperscan pass, :mod:`.accel`); only
paragraphs that bytes cannot decide are decoded.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable

from ..errors import InputError
from ..segment import LIST_ITEM, looks_like_code, merge_spans
from .bytescan import (
    _ASCII_BYTES, _SOFT_BREAK_B, _ascii_hits, _find_hits_generic, _fold_into, _stream_terms, _StreamTerm,
    _token_has,
)
from .passages import _overlapping, _unit_ranges
from .query import Query, find_hits



# ---------------------------------------------------------------- streaming counts
# ``--count`` and ``-l`` on big files: the file is read in chunks of about 8 MB cut
# at blank lines (passages never cross a blank line). Candidates come from
# byte-level scans of the ASCII-lowercased chunk: the term's ASCII anchor, and
# the non-ASCII characters that could fold into it. A candidate with ASCII (or
# known) neighbours is decided in bytes (literal and word-form checks, cached per
# word); the paragraphs of a one-term query are cut into passages by looking only
# at the sentence punctuation between their hits. Anything else (an accent inside
# a hit, phrases, several terms...) decodes its paragraph and counts it the exact,
# slow way. Memory stays at a few chunks, whatever the file size.
_CHUNK = 8 << 20
#: UTF-8 of the characters other than CR and LF for which ``str.isspace()`` holds.
_WS = rb"(?:[\t\x0b\x0c\x1c-\x1f ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"
#: A blank line as the text loader sees one (lines end at CRLF, CR or LF; a line
#: is blank when only whitespace is left): from its start to the start of its end.
_BLANK_B = re.compile(rb"(?:\r\n|\r(?!\n)|\n)" + _WS + rb"*[\r\n]")
#: The same when the text holds no CR (a literal prefix makes the scan fast).
_BLANK_LF = re.compile(rb"\n" + _WS + rb"*\n")
#: Blank lines (and the end of a CRLF) at a line start.
_BLANK_RUN = re.compile(rb"\n?(?:" + _WS + rb"*(?:\r\n|\r|\n))*")
#: Bytes that may start a sentence boundary (segment._BOUNDARY: . ! ? and U+2026).
_PUNCT_B = re.compile(rb"[.!?]|\xe2\x80\xa6")


def _block_end(buf, p: int, blank: re.Pattern = _BLANK_B) -> int:
    """End of the block (blank-line delimited) that holds byte ``p``: the start
    of the terminator of its last line, or ``len(buf)``. (``blank`` may be
    :data:`_BLANK_LF` when ``buf`` holds no CR.)"""
    m = blank.search(buf, p)
    return m.start() if m else len(buf)


def _block_start(buf, p: int) -> int:
    """Start of the line that opens the block holding byte ``p`` (``buf`` starts at a line start)."""
    k = buf.rfind(b"\n\n", max(0, p - 65536), p)  # the nearest plain blank line, usually
    if k >= 0:
        last = None
        for last in _BLANK_B.finditer(buf, k + 1, p):  # any blank line after it?
            pass
        return _BLANK_RUN.match(buf, last.end() if last is not None else k + 1).end()
    w = 2048
    while True:
        a = max(0, p - w)
        last = None
        for last in _BLANK_B.finditer(buf, a, p):
            pass
        if last is not None:
            return _BLANK_RUN.match(buf, last.end()).end()
        if a == 0:
            return _BLANK_RUN.match(buf, 0).end()
        w *= 8


def _is_prose(text: str) -> bool:
    """As the text loader decides: a block of list items, or of indented code
    (:func:`~osce_brief.segment.looks_like_code`), is not split into sentences.
    (``text`` starts at its first line's start, indentation included.)"""
    lines = text.splitlines()
    if not lines:
        return True
    if not LIST_ITEM.match(lines[0].strip()):
        return not looks_like_code(text)
    return not all(LIST_ITEM.match(ln.strip()) or ln[:1] in " \t" for ln in lines[1:])


def block_count(text: str, query: Query, unit: str = "sentence", context: int = 0, prose: bool = True) -> tuple[int, int]:
    """(passages, hits) that one block of text (a paragraph) yields."""
    return _count_units(text, find_hits(query, text), query, unit, context, prose)


def _count_units(text: str, hits: list[list[tuple[int, int]]], query: Query, unit: str, context: int,
                 prose: bool) -> tuple[int, int]:
    from ..segment import sentence_spans

    if not any(hits):
        return 0, 0
    units = sentence_spans(text) if unit == "sentence" and prose else []
    if not units:
        s, e = 0, len(text)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        units = [(s, e)] if e > s else []
    term_starts = [[h[0] for h in spans] for spans in hits]
    ranges, _ = _unit_ranges(units, hits, term_starts, query.any_term, unit, context, [0] * len(hits))
    all_hits = merge_spans(sorted(h for spans in hits for h in spans))
    starts = [h[0] for h in all_hits]
    nh = sum(sum(1 for _ in _overlapping(all_hits, starts, units[lo][0], units[hi][1])) for lo, hi in ranges)
    return len(ranges), nh


_GUT_START = re.compile(rb"(?m)^[ \t\f\v]*\*{3}\s*start of (?:the|this) project gutenberg")


def _gutenberg_end(low: bytes, start: int) -> int | None:
    """Byte offset of the first end-of-Gutenberg line at or after ``start`` in lowered bytes."""
    pos = start
    while True:
        k = low.find(b"project gutenberg", pos)
        if k < 0:
            return None
        ls = low.rfind(b"\n", 0, k) + 1
        line = low[ls:k].strip()
        if re.fullmatch(rb"\*{3}\s*end of (?:the|this)|end of(?: the)?", line):
            return ls
        pos = k + 1


#: Flags for opening a file that must not block or take a terminal (as in :mod:`.files`).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def open_regular(path: str, same_as: os.stat_result | None = None):
    """Open a regular file for reading, in binary, without ever blocking (a path
    that became a FIFO or a device meanwhile is refused, not waited on).

    Args:
        same_as: the file must still be this one (its device and inode).

    Raises:
        InputError: missing, unreadable, not a regular file or not the same file.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise InputError(f"{path}: {(e.strerror or str(e)).lower()}", "check the path and its permissions") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{path}: not a regular file", "give a file")
        if same_as is not None and (st.st_dev, st.st_ino) != (same_as.st_dev, same_as.st_ino):
            raise InputError(f"{path}: the file was replaced while it was read", "search it again")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def count_file(path: str, query: Query, *, unit: str = "sentence", context: int = 0,
               first_only: bool = False, workers: int | None = None, raw_text: bool = False) -> tuple[int, int] | None:
    """Count matching passages and hits in a big plain-text file without loading it.

    Gives the same figures as building the Document and its passages (the file
    is read in chunks cut at blank lines; only paragraphs around candidates that
    bytes cannot decide are decoded). Returns None when the file must be read
    the ordinary way (UTF-16, NUL bytes, Markdown, gzip, or mojibake in its first
    64 KB, which the loader repairs unless ``raw_text``).

    Args:
        first_only: stop at the first matching passage (``-l``).
        workers: processes to use (default: 2 on a POSIX machine with 2+ CPUs);
            the second half of the file is counted in a forked child.
    """
    from ..loaders import detect_format

    fh = open_regular(path)  # (never blocks: a FIFO is refused)
    first = os.fstat(fh.fileno())
    with fh:
        head = fh.read(65536)
        if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x1f\x8b")):
            return None
        if not raw_text:
            from ..mojibake import bytes_have_candidates, find_repairs

            if bytes_have_candidates(head) and find_repairs(head.decode("utf-8", "ignore")):
                return None  # the loader repairs this text: count it the ordinary way
        try:  # a file in another encoding shows in its first 64 KB (further on, bad bytes count as U+FFFD)
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.end < len(head) or len(head) < 65536:  # (not a character cut by the 64 KB read)
                raise InputError(f"{path}: not valid UTF-8 at byte {e.start}",
                                 "give the encoding, e.g. --encoding latin-1 or --encoding cp1252") from None
        if detect_format(head.decode("utf-8", "replace"), path) != "text":
            return None
        if _SOFT_BREAK_B.search(head):
            return None  # groff's line-end hyphenations: words are joined by the text path
        plans = _stream_terms(query)
        nterms = len(query.terms)
        size = os.fstat(fh.fileno()).st_size
        fh.seek(0)
        st = _StreamState(query, plans, nterms, unit, context, first_only)
        st.gut = b"project gutenberg" in head[:20000].lower()
        st.scanner = _scanner_for(plans)
        from ..parallel import MAX_SHARED, second_cpu, share

        if workers is None:
            workers = 2 if not first_only and second_cpu() else 1
        if workers >= 2 and size >= 2 * _CHUNK and st.gut:
            # Gutenberg bounds first: the second process must know them
            low = fh.read(_CHUNK).lower()
            m = _GUT_START.search(low)
            if m:
                nl = low.find(b"\n", m.end())
                start = len(low) if nl < 0 else nl + 1
                end = _gutenberg_end(low, start)
                if end is None:
                    workers = 1  # the end line is further on: one process finds it
                st.gut_start, st.gut_end = start, end
            del low
        starts = [0]
        if workers >= 2 and size >= 2 * _CHUNK:
            # pieces cut at blank lines, taken from one queue by two processes
            # (some parts of a file cost more than others)
            step = max(_CHUNK // 2, -(-size // MAX_SHARED))
            for k in range(1, -(-size // step)):
                b = _boundary(fh, k * step)
                if b is not None and starts[-1] < b < size:
                    starts.append(b)
        if len(starts) == 1:
            fh.seek(0)
            st.scan(fh, 0, None, first=True)
            return st.passages, st.hits
        pieces = list(zip(starts, starts[1:] + [None]))
        files: dict[int, object] = {}

        def piece(i: int) -> tuple[int, int]:
            one = _StreamState(query, plans, nterms, unit, context, False)
            one.gut, one.gut_start, one.gut_end = st.gut, st.gut_start, st.gut_end
            one.scanner = st.scanner
            pid = os.getpid()
            if pid not in files:
                files[pid] = open_regular(path, first)  # one per process, closed below
            one.scan(files[pid], pieces[i][0], pieces[i][1], first=i == 0)
            return one.passages, one.hits

        try:
            got = share(len(pieces), piece)
        finally:
            for f in files.values():
                f.close()  # type: ignore[attr-defined]
        return sum(g[0] for g in got), sum(g[1] for g in got)  # type: ignore[index]


def _scanner_for(plans: list[_StreamTerm] | None):
    """A native scanner for the plans (:mod:`osce_brief.accel`), or None: no
    Hyperscan, or terms that need the text path anyway."""
    if not plans:
        return None
    from .accel import ChunkScanner, hyperscan_module

    hs = hyperscan_module()
    if hs is None:
        return None
    try:
        return ChunkScanner(hs, plans, _fold_into)
    except Exception:  # noqa: BLE001 - a pattern Hyperscan refuses: scan in Python
        return None


def _boundary(fh, pos: int) -> int | None:
    """The first block boundary (just after a newline that ends a blank line's predecessor) at or after ``pos``."""
    fh.seek(pos)
    buf = fh.read(1 << 20)
    k = buf.find(b"\n\n")
    k2 = buf.find(b"\n\r\n")
    cands = [x for x in (k, k2) if x >= 0]
    if not cands:
        return None
    return pos + min(cands) + 1


class _StreamState:
    """Counts and Gutenberg bounds while streaming through a file."""

    def __init__(self, query, plans, nterms, unit, context, first_only) -> None:
        self.query, self.plans, self.nterms = query, plans, nterms
        self.unit, self.context, self.first_only = unit, context, first_only
        self.gut = False
        self.gut_start: int | None = None
        self.gut_end: int | None = None
        self.passages = self.hits = 0
        self.base = 0
        self.eof = False
        self.scanner = None  # an accel.ChunkScanner for plans, when Hyperscan is there
        self.all_fast = bool(plans) and all(pl.fast for pl in plans)

    def scan(self, fh, start: int, stop: int | None, first: bool = False, limit_chunks: int | None = None) -> None:
        """Count the chunks of ``[start, stop)`` (``stop`` None: to the end); both are block boundaries.

        A chunk is what one read gives, counted up to its last blank line; the
        next read starts there (no copies of chunks are made)."""
        self.base = start
        done = 0
        want = _CHUNK
        while True:
            fh.seek(self.base)
            remaining = None if stop is None else stop - self.base
            n = want if remaining is None else min(want, remaining)
            data = fh.read(n) if n > 0 else b""
            if not data:
                self.eof = stop is None
                return
            last = len(data) < n or (remaining is not None and len(data) >= remaining)
            if last:
                limit = len(data)
            else:
                cut = data.rfind(b"\n\n")
                cut = max(cut, data.rfind(b"\n\r\n", max(cut, 0)), data.rfind(b"\r\r", max(cut, 0)))
                if cut < 0:
                    want *= 2  # a paragraph longer than a chunk: read more at once
                    continue
                limit = cut + 1
            if first and data.startswith(b"\xef\xbb\xbf"):
                data = b"   " + data[3:]
            # the lowered chunk: for case-insensitive scans in Python (the native
            # scanner, and the checks after it for one-word terms, do without)
            low = data.lower() if self.scanner is None or not self.all_fast else None
            if low is None and ((self.gut and first) or (self.gut_start is not None and self.gut_end is None)):
                low = data.lower()
            if self.gut and first:
                m = _GUT_START.search(low)
                if m:
                    nl = low.find(b"\n", m.end())
                    self.gut_start = len(low) if nl < 0 else nl + 1
            if self.gut_start is not None and self.gut_end is None:
                k = _gutenberg_end(low, max(0, self.gut_start - self.base))
                if k is not None:
                    self.gut_end = self.base + k
            first = False
            p, h = _count_chunk(data, low, limit, self.base, self.query, self.plans, self.nterms, self.unit,
                                self.context, self.gut_start, self.gut_end, self.first_only, self.scanner)
            self.passages += p
            self.hits += h
            self.base += limit
            done += 1
            want = _CHUNK
            if last:
                self.eof = stop is None
                return
            if self.first_only and self.passages:
                return
            if limit_chunks is not None and done >= limit_chunks:
                return


def _count_chunk(chunk: bytes, low: bytes | None, limit: int, base: int, query: Query, plans: list[_StreamTerm] | None,
                 nterms: int, unit: str, context: int, gut_start: int | None, gut_end: int | None,
                 first_only: bool, scanner=None) -> tuple[int, int]:
    """(passages, hits) of ``chunk[:limit]`` (``limit`` is a block boundary; ``low`` is the lowered chunk,
    or None when ``scanner`` is given and every term is :attr:`_StreamTerm.fast`;
    ``scanner``: an :class:`osce_brief.accel.ChunkScanner` for ``plans``, or None)."""
    def prose(s: int, text: str) -> bool:
        a = base + s
        if gut_start is not None and (a < gut_start or (gut_end is not None and a >= gut_end)):
            return False
        return _is_prose(text)

    if plans is None:  # a term bytes cannot anchor (a regex...): decode the chunk
        text = chunk[:limit].decode("utf-8", "replace")
        cands = sorted({a for spans in find_hits(query, text) for a, _ in spans})
        passages = hits = 0
        i = 0
        cpos = bpos = 0  # a char offset and its byte offset, moving on
        while i < len(cands):
            s = text.rfind("\n\n", 0, cands[i]) + 1
            m = re.compile(r"\n[^\S\n]*\n").search(text, cands[i])
            e = m.start() if m else len(text)
            while i < len(cands) and cands[i] < e:
                i += 1
            block = text[s:e]
            if s >= cpos:
                bpos += len(text[cpos:s].encode("utf-8", "replace"))
            else:
                bpos = len(text[:s].encode("utf-8", "replace"))
            cpos = s
            got = block_count(block, query, unit, context, prose(bpos, block))
            passages += got[0]
            hits += got[1]
            if first_only and passages:
                break
        return passages, hits
    # candidates: (pos, term, spans) with spans the byte hits it makes, or None
    # when its paragraph must be decoded (fuzzy candidates, undecidable ones)
    cands: list[tuple[int, int, list | None]] = []
    found = scanner.scan(chunk, limit) if scanner is not None else None
    nonascii = None if found is not None or chunk.isascii() else chunk.translate(None, _ASCII_BYTES)
    fuzzy = False
    for ti, pl in enumerate(plans):
        hay = low if pl.insensitive and low is not None else chunk
        starts, maybe = found[ti] if found is not None else (None, None)
        if pl.fast:
            _ascii_hits(pl, hay, chunk, ti, cands, limit, starts, fold_case=pl.insensitive and low is None)
        else:
            _find_hits_generic(pl, hay, chunk, ti, cands, query, limit, starts)
        if nonascii:  # (the tail past limit: harmless)
            maybe = [m.start() for pat in pl.fuzzy(nonascii) for m in pat.finditer(hay, 0, limit)]
        for p in maybe or ():
            if _token_has(chunk, p, pl):
                cands.append((p, ti, None))
                fuzzy = True
    if not cands:
        return 0, 0
    if fuzzy or len(plans) > 1:
        cands.sort(key=lambda c: (c[0], c[1]))
    blank = _BLANK_B if b"\r" in chunk else _BLANK_LF
    others = plans[0].others if nterms == 1 else None
    hay0 = low if plans[0].insensitive else chunk
    one = nterms == 1 or query.any_term  # a unit matches when it holds any hit
    fast = one and all(pl.fast for pl in plans)
    full = (1 << nterms) - 1
    cap = 2 * context + 2  # sentence boundaries between two hits that part their passages
    passages = hits = 0
    i = 0
    n = len(cands)
    while i < n:
        p0 = cands[i][0]
        e = _block_end(chunk, p0, blank)
        j = i + 1
        while j < n and cands[j][0] < e:
            j += 1
        group = cands[i:j]
        i = j
        if not one:
            mask = 0
            for c in group:
                mask |= 1 << c[1]
            if mask != full:
                continue  # a term has no candidate in this paragraph
        if others and not _phrase_may_match(plans[0], hay0, chunk, p0, e):
            continue  # a phrase whose later words are missing from the rest of the paragraph
        if any(c[2] is None for c in group):
            s = _block_start(chunk, p0)
            text = chunk[s:e].decode("utf-8", "replace")
            got = block_count(text, query, unit, context, prose(s, text))
        elif fast:
            if len(group) == 1 and len(group[0][2]) <= 1:
                got = (1, 1) if group[0][2] else (0, 0)
            else:
                got = _fast_block(chunk, p0, e, group, unit, cap, prose)
        else:
            got = _count_from_spans(chunk, _block_start(chunk, p0), e, group, query, unit, context, prose)
        passages += got[0]
        hits += got[1]
        if first_only and passages:
            break
    return passages, hits


def _phrase_may_match(pl: _StreamTerm, hay, raw, s: int, e: int) -> bool:
    """Can the later words of a phrase occur in ``[s, e)``? Each needs its ASCII
    text there, or a non-ASCII character that could fold into it."""
    chars = None
    for o in pl.others:
        if hay.find(o, s, e) >= 0:
            continue
        if chars is None:
            chars = set(raw[s:e].translate(None, _ASCII_BYTES).decode("utf-8", "replace"))
        if not any(_may_fold_into(pl, c, o) for c in chars):
            return False
    return True


def _may_fold_into(pl: _StreamTerm, c: str, o: bytes) -> bool:
    return _fold_into(c, o.decode(), pl.insensitive) is not None


def _fast_block(buf, p0: int, e: int, group, unit: str, cap: int, prose: Callable[[int, str], bool]) -> tuple[int, int]:
    """(passages, hits) of a paragraph whose hits are known in bytes, for a query
    where any hit makes its unit match: consecutive hits share a passage unless
    ``cap`` sentence boundaries (or more) lie between them."""
    spans = sorted(sp for c in group for sp in c[2])
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1][1] = b
        else:
            merged.append([a, b])
    nh = len(merged)
    if nh <= 1 or unit != "sentence":
        return (1, nh) if nh else (0, 0)
    from ..segment import _BOUNDARY, _is_boundary

    n_pass = 1
    text = None
    s = 0
    block = b""
    for k in range(nh - 1):
        a, b = merged[k][1], merged[k + 1][0]
        if _PUNCT_B.search(buf, a, b) is None:
            continue
        if text is None:
            s = _block_start(buf, p0)
            block = buf[s:e]
            text = block.decode("utf-8", "replace")
            if not prose(s, text):
                return 1, nh
            ascii_block = block.isascii()
        if ascii_block:
            ca, cb = a - s, b - s
        else:
            ca = len(block[: a - s].decode("utf-8", "replace"))
            cb = ca + len(block[a - s : b - s].decode("utf-8", "replace"))
        cnt = 0
        limit = len(text)
        for m in _BOUNDARY.finditer(text, ca, cb):
            if _is_boundary(text, m.start(1), m.group(1), m.end(), limit):
                cnt += 1
                if cnt >= cap:
                    n_pass += 1
                    break
    return n_pass, nh


def _count_from_spans(raw: bytes, s: int, e: int, cands, query: Query, unit: str, context: int,
                      prose: Callable[[int, str], bool]) -> tuple[int, int]:
    """(passages, hits) of the block ``raw[s:e]`` from hits already known in bytes."""
    block = raw[s:e]
    ascii_block = block.isascii()
    text = block.decode("ascii") if ascii_block else block.decode("utf-8", "replace")

    def char(off: int) -> int:
        return off if ascii_block else len(block[:off].decode("utf-8", "replace"))

    hits: list[list[tuple[int, int]]] = [[] for _ in query.terms]
    for _p, ti, spans in cands:
        for a, b in spans:
            hits[ti].append((char(a - s), char(b - s)))
    hits = [merge_spans(sorted(h)) for h in hits]
    return _count_units(text, hits, query, unit, context, prose(s, text))
