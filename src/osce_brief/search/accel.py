"""Optional native scanning for streamed counts (the ``fast`` extra: Hyperscan).

``brief search --count`` and ``-l`` on a big file (:func:`osce_brief.search.stream.count_file`)
spend most of their time in byte scans of each chunk: where a term's ASCII
anchor occurs, and where a non-ASCII character that could fold into it stands.
With the ``hyperscan`` package installed, one pass finds both:

- the anchor itself (caseless when the term is), every occurrence;
- every character whose fold could be part of the anchor (an accent, a
  ligature, a zero-width character) where a run of such characters could be
  part of an occurrence: alone when it may open the anchor, else after the
  anchor character that would stand before it (see :func:`_literals`); the
  run, folded, and the ASCII around it are then checked against the anchor.

The candidates then go through the same checks as without it, so the counts are
the same either way (the tests run both). ``BRIEF_NO_ACCEL=1`` turns it off.

Building and compiling the patterns for a new term takes about 0.15 s, so compiled
databases are kept in ``$XDG_CACHE_HOME/osce_brief`` (``~/.cache/osce_brief``;
``BRIEF_CACHE_DIR`` overrides it), at most :data:`CACHE_FILES` of them. The
cache is only an optimisation: any failure to read or write it is ignored.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

#: Bump when the patterns built here change: cached databases are keyed by it.
FORMAT = 8
#: Compiled databases kept in the cache directory (the oldest go first).
CACHE_FILES = 64


def hyperscan_module():
    """The ``hyperscan`` module, or None (not installed, or ``BRIEF_NO_ACCEL`` set)."""
    if os.environ.get("BRIEF_NO_ACCEL"):
        return None
    try:
        import hyperscan
    except Exception:  # noqa: BLE001 - missing, or a broken native library: scan in Python
        return None
    return hyperscan


@lru_cache(maxsize=1)
def folding_chars() -> tuple[str, ...]:
    """Every non-ASCII character (planes 0, 1 and 14) whose fold is empty or holds
    ASCII: the only ones that can stand for part of an ASCII anchor, lowercased
    or not. :func:`osce_brief.search.bytescan._fold_into` then decides each one exactly.

    Found in bulk (one NFKD pass over all characters, C-level comparisons), about
    50 ms; kept in the cache directory with the folds, which then seed
    :func:`osce_brief.textnorm.fold_char`'s cache.
    """
    from .. import textnorm

    path = os.path.join(_cache_dir(), _table_name())
    try:
        import json

        with open(path, encoding="utf-8") as fh:
            got = json.load(fh)
        chars, folds = got["chars"], got["folds"]
        if len(chars) == len(folds):
            textnorm._cache.update(zip(chars, folds))
            return tuple(chars)
    except Exception:  # noqa: BLE001 - missing or damaged: compute it
        pass
    import itertools
    import operator
    import unicodedata

    cps = itertools.chain(range(0x80, 0xAC00), range(0xD7A4, 0xD800), range(0xE000, 0x20000),
                          range(0xE0000, 0xE1000))  # (Hangul syllables decompose to Hangul only)
    chars = list(map(chr, cps))
    nfkd = unicodedata.normalize("NFKD", "\x00".join(chars)).split("\x00")  # NUL parts them: no reordering across
    found = set(itertools.compress(chars, map(operator.ne, chars, nfkd)))
    found.update(itertools.compress(chars, map(unicodedata.combining, chars)))
    # (the only characters whose lowercase holds ASCII, K and İ, decompose as well: a test checks)
    found.update(textnorm._SPECIAL)
    keep = []
    for c in sorted(found):
        f = textnorm.fold_char(c)
        if f == "" or any(x < "\x80" for x in f):
            keep.append((c, f))
    _store_json(path, {"chars": "".join(c for c, _ in keep), "folds": [f for _, f in keep]})
    return tuple(c for c, _ in keep)


def _table_name() -> str:
    import unicodedata
    import zlib

    from .. import __version__
    from ..textnorm import _SPECIAL

    special = zlib.crc32(repr(sorted(_SPECIAL.items())).encode())
    return f"folds-{FORMAT}-{__version__}-{unicodedata.unidata_version}-{special:08x}.json"


_RUN = re.compile(rb"[\x80-\xff]*")
_ASCII = re.compile(rb"[\x00-\x7f]*")

#: What a literal stands for (the second item of its meta): the anchor; a character
#: that is always a candidate; one that opens a run of non-ASCII characters (the run,
#: folded, and the ASCII around it checked against the anchor).
ANCHOR, FOLDS, RUN = 0, 1, 2


def _literals(plans, fold_into) -> tuple[list[bytes], list[tuple]]:
    """The literals to look for, and for each its meta: ``(term, kind, bytes from
    the candidate to the match end, the anchor positions the candidate may stand
    at for a RUN)``.

    Take an occurrence of the anchor (once folded) that holds non-ASCII
    characters, and a run of them in it. Either the run opens the occurrence,
    and its first character folds to something that holds the anchor's first
    character, or an ASCII character of the anchor stands right before it. So a
    character that may open the anchor (and a ligature and the like) is looked
    for alone, and any other that folds into the anchor (or to nothing) with the
    anchor characters that may stand before it. Then the run it opens, folded,
    and the ASCII after it must read as the rest of the anchor, and the ASCII
    before it as the anchor's start: checked here for each candidate, once per
    distinct stretch of bytes. Each occurrence gives a candidate in its token,
    and few others do: a letter common in the text (W&P's "Ã") matches only
    after the anchor character that would stand before it."""
    lits: list[bytes] = []
    meta: list[tuple] = []
    chars = folding_chars()
    for ti, pl in enumerate(plans):
        anchor = pl.anchor.decode()
        n = len(anchor)
        lits.append(pl.anchor)
        meta.append((ti, ANCHOR, len(pl.anchor), None))
        for c in chars:
            f = fold_into(c, anchor, pl.insensitive)
            if f is None:
                continue
            e = c.encode()
            if len(f) > 1 or (f and anchor[0] == f):  # a ligature, or it may open the anchor: alone
                pos = tuple(i for i, ch in enumerate(anchor) if ch == f) if len(f) == 1 else None
                lits.append(e)
                meta.append((ti, RUN, len(e), pos) if pos else (ti, FOLDS, len(e), None))
                continue
            # after the anchor character before it: its position(s), by that character
            after: dict[str, list[int]] = {}
            for i in range(1, n):
                if f == "" or anchor[i] == f:
                    after.setdefault(anchor[i - 1], []).append(i)
            for prev, pos in sorted(after.items()):
                lits.append(prev.encode() + e)
                meta.append((ti, RUN, len(e), tuple(pos)))
    return lits, meta


class ChunkScanner:
    """A compiled Hyperscan database for the terms of one query.

    Args:
        hs: the hyperscan module.
        plans: the query's byte-level plans (:class:`osce_brief.search.bytescan._StreamTerm`).
        fold_into: :func:`osce_brief.search.bytescan._fold_into`.
    """

    def __init__(self, hs, plans, fold_into) -> None:
        self.plans = plans
        self.n_terms = len(plans)
        key = _cache_key(hs, plans)
        got = _cache_load(hs, key)
        if got is None:
            lits, meta = _literals(plans, fold_into)
            flags = [hs.HS_FLAG_CASELESS if plans[m[0]].insensitive else 0 for m in meta]
            db = hs.Database(mode=hs.HS_MODE_BLOCK)
            db.compile(expressions=lits, ids=list(range(len(lits))), elements=len(lits), flags=flags, literal=True)
            _cache_store(hs, key, db, meta)
            got = (db, meta)
        self.db, self.meta = got
        self.scratch = hs.Scratch(self.db)
        self.anchors = [pl.anchor.decode() for pl in plans]
        self.folded_runs: dict[bytes, str] = {}  # runs of non-ASCII bytes -> their fold
        self.runs_ok: dict[tuple, bool] = {}  # see _run_ok

    def scan(self, buf: bytes, limit: int) -> list[tuple[list[int], list[int]]]:
        """For each term: the anchor's start offsets (ascending, each occurrence
        ending by ``limit``), and the start offsets before ``limit`` of the
        characters that may fold into it (ascending, no repeats)."""
        ends: list[list[int]] = [[] for _ in self.meta]

        def on_match(id_: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            ends[id_].append(to)

        self.db.scan(buf, match_event_handler=on_match, scratch=self.scratch)
        out: list[tuple[list[int], list[int]]] = [([], []) for _ in range(self.n_terms)]
        fuzzy: list[set[int]] = [set() for _ in range(self.n_terms)]
        for (ti, kind, back, positions), got in zip(self.meta, ends):
            if not got:
                continue
            if kind == ANCHOR:
                out[ti][0].extend(t - back for t in got if t <= limit)
            elif kind == FOLDS:
                fuzzy[ti].update(p for p in (t - back for t in got) if p < limit)
            else:  # RUN
                run_ok = self._run_ok
                fuzzy[ti].update(p for p in (t - back for t in got) if p < limit and run_ok(buf, p, ti, positions))
        for ti, s in enumerate(fuzzy):
            if s:
                out[ti][1].extend(sorted(s))
        return out

    def _run_ok(self, buf: bytes, p: int, ti: int, positions: tuple[int, ...]) -> bool:
        """Can the anchor stand at ``p`` as its character at one of ``positions``?
        The characters before it must read as the anchor's start (kept when one
        of them is non-ASCII), and the run of non-ASCII characters at ``p``,
        folded, then the ASCII after it, as the rest of the anchor (or as its
        start, when the text runs out or another non-ASCII character comes first).
        Decided once per distinct stretch of bytes (names recur)."""
        n = len(self.anchors[ti])
        k = _RUN.match(buf, p, p + 64).end()
        a = max(0, p - positions[-1])
        key = (ti, positions, p - a, buf[a : k + n])
        got = self.runs_ok.get(key)
        if got is None:
            got = self._run_ok_now(buf, p, k, ti, positions)
            if len(self.runs_ok) < 65536:
                self.runs_ok[key] = got
        return got

    def _run_ok_now(self, buf: bytes, p: int, k: int, ti: int, positions: tuple[int, ...]) -> bool:
        pl = self.plans[ti]
        head_b = pl.anchor  # (lowercase when the term is case-insensitive)
        text = None
        for j in positions:
            if p < j:
                continue
            seg = buf[p - j : p]
            if seg.isascii() and (seg.lower() if pl.insensitive else seg) != head_b[:j]:
                continue
            if text is None:
                text = self._run_text(buf, p, k, ti)
                if text is None:
                    return True
            need = self.anchors[ti][j:]
            if text.startswith(need) or (len(text) < len(need) and need.startswith(text)):
                return True
        return False

    def _run_text(self, buf: bytes, p: int, k: int, ti: int) -> str | None:
        """The run of non-ASCII characters ``buf[p:k]``, folded, then the ASCII after
        it (as long as the anchor); None when that cannot be read (keep the candidate)."""
        if k == p + 64:
            return None  # a very long run
        raw = buf[p:k]
        run = self.folded_runs.get(raw)
        if run is None:
            from ..textnorm import fold_str

            try:
                run = fold_str(raw.decode("utf-8"))
            except UnicodeDecodeError:
                return None  # not UTF-8 here
            if len(self.folded_runs) < 65536:
                self.folded_runs[raw] = run
        tail = _ASCII.match(buf, k, k + len(self.anchors[ti])).group()
        text = run + tail.decode("ascii")
        return text.lower() if self.plans[ti].insensitive else text


# ---------------------------------------------------------------- the cache of compiled databases
@lru_cache(maxsize=4)
def _cache_dir_for(given: str | None, xdg: str | None, home: str) -> str:
    if given:
        return os.path.join(given, "hyperscan")
    d = os.path.join(xdg or os.path.join(home, ".cache"), "osce_brief", "hyperscan")
    try:
        os.makedirs(d, exist_ok=True)
        if os.access(d, os.W_OK):
            return d
    except OSError:
        pass
    # a read-only home (a sandbox, CI): a private folder in the temporary directory
    import tempfile

    uid = os.getuid() if hasattr(os, "getuid") else 0
    t = os.path.join(tempfile.gettempdir(), f"osce_brief-{uid}")
    try:
        os.makedirs(t, mode=0o700, exist_ok=True)
        st = os.stat(t)
        if hasattr(os, "getuid") and (st.st_uid != uid or st.st_mode & 0o077):
            return d  # not ours alone: no cache there
    except OSError:
        return d
    return os.path.join(t, "hyperscan")


def _cache_dir() -> str:
    """``$BRIEF_CACHE_DIR/hyperscan``, else ``$XDG_CACHE_HOME/osce_brief/hyperscan``
    (``~/.cache/...``), else, when that cannot be written, a private folder in the
    temporary directory."""
    return _cache_dir_for(os.environ.get("BRIEF_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"),
                          os.path.expanduser("~"))


def _cache_key(hs, plans) -> str:
    """A file name for the database of ``plans``: what it depends on, spelled out."""
    import sys
    import unicodedata

    from .. import __version__

    machine = os.uname().machine if hasattr(os, "uname") else sys.platform
    terms = "+".join(pl.anchor.hex() + ("i" if pl.insensitive else "s") for pl in plans)
    key = f"{FORMAT}-{__version__}-{getattr(hs, '__version__', 'x')}-{unicodedata.unidata_version}-{sys.platform}-{machine}-{terms}"
    key = "".join(ch if ch.isalnum() or ch in "+-._" else "_" for ch in key)
    if len(key) > 120:
        import hashlib

        key = key[:80] + "-" + hashlib.sha256(key.encode()).hexdigest()[:32]
    return key


def _cache_load(hs, key: str):
    """The database and its ids' meaning from the cache, or None. (A JSON line, then
    Hyperscan's serialized database: nothing in the file is executed.)"""
    import json

    path = os.path.join(_cache_dir(), key)
    try:
        with open(path, "rb") as fh:
            head = json.loads(fh.readline())
            blob = fh.read()
        meta = [(int(ti), int(kind), int(back), None if pos is None else tuple(int(j) for j in pos))
                for ti, kind, back, pos in head["meta"]]
        if head.get("format") != FORMAT or len(blob) != head.get("size"):
            return None
        db = hs.loadb(blob, hs.HS_MODE_BLOCK)
        os.utime(path)  # recently used: pruned last
        return db, meta
    except Exception:  # noqa: BLE001 - missing, stale or damaged: compile again
        return None


def _store_json(path: str, obj) -> None:
    """Write a JSON file into the cache directory atomically; failures are ignored."""
    import json
    import tempfile

    d = os.path.dirname(path)
    try:
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(obj, fh, ensure_ascii=True)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001 - a read-only home, a full disk...: no cache
        return


def _cache_store(hs, key: str, db, meta) -> None:
    import json
    import tempfile

    d = _cache_dir()
    try:
        blob = hs.dumpb(db)
        head = {"format": FORMAT, "size": len(blob),
                "meta": [[ti, kind, back, None if pos is None else list(pos)] for ti, kind, back, pos in meta]}
        os.makedirs(d, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(json.dumps(head, ensure_ascii=True).encode() + b"\n")
                fh.write(blob)
            os.replace(tmp, os.path.join(d, key))
        except BaseException:
            os.unlink(tmp)
            raise
        names = [os.path.join(d, x) for x in os.listdir(d) if not x.startswith((".", "folds-"))]
        if len(names) > CACHE_FILES:
            names.sort(key=lambda x: os.stat(x).st_mtime)
            for x in names[: len(names) - CACHE_FILES]:
                os.unlink(x)
    except Exception:  # noqa: BLE001 - a read-only home, a full disk...: no cache
        return
