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
cache is only an optimisation and is never trusted: it is used only when the
directory and its files are this user's alone, symlinks in it are never
followed, and a file is deserialized only once an HMAC with the directory's own
key proves that this program wrote it for this very term (see the section on
the cache below). Anything else, and any failure to read or write it, is a
miss: the patterns are compiled again.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache

#: Bump when the patterns built here or the cache files' layout change: cached
#: databases are keyed by it.
FORMAT = 9
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

    name = _table_name()
    got = _load_table(name)
    if got is not None:
        textnorm._cache.update(zip(*got))
        return got[0]
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
    chars = tuple(c for c, _ in keep)
    _store_table(name, chars, tuple(f for _, f in keep))
    return chars


def _load_table(name: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The characters and their folds kept in the cache (authenticated, then checked:
    distinct non-ASCII characters in order, short folds), or None."""
    import json

    try:
        payload = _load_entry(name, name)
        if payload is None:
            return None
        got = json.loads(bytes(payload))
        chars, folds = got["chars"], got["folds"]
        if type(chars) is not str or type(folds) is not list or len(chars) != len(folds) \
                or not all(type(f) is str and len(f) <= 32 for f in folds) \
                or not all(map(str.__lt__, "\x7f" + chars, chars)):
            return None
        return tuple(chars), tuple(folds)
    except Exception:  # noqa: BLE001 - damaged: compute it
        return None


def _store_table(name: str, chars: tuple[str, ...], folds: tuple[str, ...]) -> None:
    import json

    payload = json.dumps({"chars": "".join(chars), "folds": list(folds)}, ensure_ascii=True).encode()
    _store_entry(name, name, payload)


def _table_name() -> str:
    import unicodedata
    import zlib

    from .. import __version__
    from ..textnorm import _SPECIAL

    special = zlib.crc32(repr(sorted(_SPECIAL.items())).encode())
    return f"folds-{FORMAT}-{__version__}-{unicodedata.unidata_version}-{special:08x}"


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
        got = _cache_load(hs, key, plans)
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
# A cache file is only ever a hint, and trusted as ssh and pip trust theirs:
#
# - the cache directory is used only when it is a real directory (not a symlink)
#   owned by this user and not group- or world-writable, in a parent owned by this
#   user (or root) that others cannot rename it in; every file in it is opened
#   relative to that directory's descriptor with O_NOFOLLOW and O_NONBLOCK and
#   used only when it is a regular file owned by this user (a symlink, a FIFO or
#   a planted file is a miss);
# - each file is authenticated before anything in it is looked at: an HMAC-SHA256
#   with a random key kept 0600 in the directory, over the file and the name of
#   what it holds (the term and options spelled out), so a file written for
#   another term, cut, or changed in one byte is a miss; only then are the header
#   fields checked (types, indexes, bounds) and the database deserialized;
# - pruning removes only regular files with the cache's own names, never through
#   a symlink (``unlink`` relative to the directory's descriptor).
#
# Any doubt is a miss: the patterns are compiled again, and the result never
# depends on the cache.

#: The first bytes of every cache file (then the 32-byte HMAC, then the payload).
_MAGIC = b"brief\x00c\x01"
#: The key's file name in the cache directory.
_KEY_NAME = "hmac-key"
#: The names of compiled databases (this format's and older ones): the only files pruned.
_ENTRY_NAME = re.compile(r"hs-[0-9]+-[A-Za-z0-9+._-]+|[0-9]+-[A-Za-z0-9+._-]+")
#: Temporary files being written (removed by pruning when a day old: a crash left them).
_TMP_NAME = re.compile(r"\.tmp-[0-9a-f]{16}")
#: The largest cache file read (a database for several terms is about 0.6 MB a term).
MAX_ENTRY = 64 << 20
_MAX_HEADER = 16 << 20
_MAX_LITERALS = 1 << 20
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@lru_cache(maxsize=4)
def _cache_dir_for(given: str | None, xdg: str | None, home: str) -> str:
    if given:
        return os.path.join(given, "hyperscan")
    d = os.path.join(xdg or os.path.join(home, ".cache"), "osce_brief", "hyperscan")
    try:
        os.makedirs(d, mode=0o700, exist_ok=True)
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


def _cache_key(hs, plans) -> tuple[str, str]:
    """The cache file name for the database of ``plans``, and what it depends on,
    spelled out in full (the file's HMAC covers it: a file under this name holds
    this and nothing else)."""
    import sys
    import unicodedata

    from .. import __version__

    machine = os.uname().machine if hasattr(os, "uname") else sys.platform
    terms = "+".join(pl.anchor.hex() + ("i" if pl.insensitive else "s") for pl in plans)
    what = f"{FORMAT}-{__version__}-{getattr(hs, '__version__', 'x')}-{unicodedata.unidata_version}-{sys.platform}-{machine}-{terms}"
    name = "hs-" + "".join(ch if ch.isascii() and (ch.isalnum() or ch in "+-._") else "_" for ch in what)
    if len(name) > 120:
        import hashlib

        name = name[:80] + "-" + hashlib.sha256(what.encode()).hexdigest()[:32]
    return name, what


def _fs_ok() -> bool:
    """Can files be opened relative to a directory descriptor without following symlinks?"""
    return (hasattr(os, "geteuid") and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")
            and {os.open, os.stat, os.mkdir, os.unlink, os.rename, os.link} <= os.supports_dir_fd
            and os.listdir in os.supports_fd)


def _open_cache(create: bool) -> int | None:
    """A descriptor of the cache directory when it can be trusted, else None.

    The parent (which the user chose, symlinks and all) must be owned by this user
    or root and not writable by others unless sticky; the directory itself must be
    a real directory owned by this user, not group- or world-writable."""
    if not _fs_ok():
        return None
    parent, name = os.path.split(_cache_dir())
    uid = os.geteuid()
    try:
        if create:
            os.makedirs(parent, mode=0o700, exist_ok=True)
        pfd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(pfd)
        if st.st_uid not in (uid, 0) or (st.st_mode & 0o022 and not st.st_mode & 0o1000):
            return None
        if create:
            try:
                os.mkdir(name, 0o700, dir_fd=pfd)
            except FileExistsError:
                pass
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC, dir_fd=pfd)
    except OSError:
        return None
    finally:
        os.close(pfd)
    try:
        st = os.fstat(fd)
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode) and st.st_uid == uid and not st.st_mode & 0o022:
        return fd
    os.close(fd)
    return None


def _read_file(dfd: int, name: str, limit: int, forbid: int) -> bytes | None:
    """The bytes of ``name`` in the cache directory: None unless it is a regular file
    owned by this user, without the ``forbid`` mode bits, of at most ``limit`` bytes
    (never through a symlink; a FIFO does not block)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=dfd)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & forbid \
                or st.st_size > limit:
            return None
        parts, n = [], 0
        while n <= st.st_size:  # (one byte more: a file that grew meanwhile is a miss)
            got = os.read(fd, st.st_size + 1 - n)
            if not got:
                break
            parts.append(got)
            n += len(got)
        return b"".join(parts) if n == st.st_size else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_tmp(dfd: int, data: bytes) -> str | None:
    """A new temporary file (0600, created exclusively) holding ``data``: its name."""
    import secrets

    name = ".tmp-" + secrets.token_hex(8)
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC, 0o600, dir_fd=dfd)
    except OSError:
        return None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError:
        os.close(fd)
        _unlink(dfd, name)
        return None
    os.close(fd)
    return name


def _unlink(dfd: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=dfd)  # (removes a symlink itself, never its target)
    except OSError:
        pass


def _hmac_key(dfd: int, create: bool) -> bytes | None:
    """The directory's HMAC key (32 random bytes, 0600), made when missing or unfit."""
    got = _read_file(dfd, _KEY_NAME, 32, 0o077)
    if got is not None and len(got) == 32:
        return got
    if not create:
        return None
    import secrets

    key = secrets.token_bytes(32)
    tmp = _write_tmp(dfd, key)
    if tmp is None:
        return None
    try:
        try:
            os.link(tmp, _KEY_NAME, src_dir_fd=dfd, dst_dir_fd=dfd, follow_symlinks=False)
        except FileExistsError:  # another process made one meanwhile, or a bad one is there
            got = _read_file(dfd, _KEY_NAME, 32, 0o077)
            if got is not None and len(got) == 32:
                return got
            os.replace(tmp, _KEY_NAME, src_dir_fd=dfd, dst_dir_fd=dfd)
            tmp = None
        except OSError:  # no hard links here: (at worst another process's new key is replaced)
            os.replace(tmp, _KEY_NAME, src_dir_fd=dfd, dst_dir_fd=dfd)
            tmp = None
        return key
    except OSError:
        return None
    finally:
        if tmp is not None:
            _unlink(dfd, tmp)


def _mac(key: bytes, what: str, payload) -> bytes:
    import hashlib
    import hmac

    h = hmac.new(key, _MAGIC, hashlib.sha256)
    w = what.encode()
    h.update(len(w).to_bytes(4, "big") + w)
    h.update(payload)
    return h.digest()


def _load_entry(name: str, what: str) -> memoryview | None:
    """The payload of cache file ``name`` once authenticated as holding ``what``; else None."""
    import hmac

    dfd = _open_cache(create=False)
    if dfd is None:
        return None
    try:
        key = _hmac_key(dfd, create=False)
        if key is None:
            return None
        data = _read_file(dfd, name, MAX_ENTRY, 0o022)
        if data is None or len(data) < 40 or data[:8] != _MAGIC:
            return None
        payload = memoryview(data)[40:]
        if not hmac.compare_digest(data[8:40], _mac(key, what, payload)):
            return None
        if os.utime in os.supports_dir_fd and os.utime in os.supports_follow_symlinks:
            try:  # recently used: pruned last
                os.utime(name, dir_fd=dfd, follow_symlinks=False)
            except OSError:
                pass
        return payload
    finally:
        os.close(dfd)


def _store_entry(name: str, what: str, payload: bytes, prune: bool = False) -> None:
    """Write cache file ``name`` (authenticated as holding ``what``) atomically;
    failures are ignored. ``prune``: then keep at most :data:`CACHE_FILES` databases."""
    dfd = _open_cache(create=True)
    if dfd is None:
        return
    try:
        key = _hmac_key(dfd, create=True)
        if key is None:
            return
        tmp = _write_tmp(dfd, _MAGIC + _mac(key, what, payload) + payload)
        if tmp is None:
            return
        try:
            os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        except OSError:
            _unlink(dfd, tmp)
            return
        if prune:
            _prune(dfd)
    finally:
        os.close(dfd)


def _prune(dfd: int) -> None:
    """Keep the :data:`CACHE_FILES` most recently used databases; remove temporary
    files a day old. Only regular files of this user with the cache's own names
    are looked at (``lstat``), and removed relative to the directory."""
    import time

    uid = os.geteuid()
    now = time.time()
    entries = []
    try:
        names = os.listdir(dfd)
    except OSError:
        return
    for x in names:
        entry = _ENTRY_NAME.fullmatch(x)
        if not entry and not _TMP_NAME.fullmatch(x):
            continue
        try:
            st = os.stat(x, dir_fd=dfd, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != uid:
            continue
        if entry:
            entries.append((st.st_mtime, x))
        elif now - st.st_mtime > 86400:
            _unlink(dfd, x)
    if len(entries) > CACHE_FILES:
        entries.sort()
        for _, x in entries[: len(entries) - CACHE_FILES]:
            _unlink(dfd, x)


def _check_meta(meta, plans) -> list[tuple] | None:
    """The ids' meaning read from a cache file, checked against what
    :func:`_literals` can give for ``plans`` (every type, index and bound), or None."""
    if type(meta) is not list or not 0 < len(meta) <= _MAX_LITERALS:
        return None
    sizes = [len(pl.anchor) for pl in plans]
    lengths = [len(pl.anchor.decode("ascii", "replace")) for pl in plans]
    out = []
    ti0 = -1
    for item in meta:
        if type(item) is not list or len(item) != 4:
            return None
        ti, kind, back, pos = item
        if type(ti) is not int or type(kind) is not int or type(back) is not int:
            return None
        if kind == ANCHOR:  # each term's literals start with its anchor, terms in order
            if ti != ti0 + 1 or ti >= len(plans) or back != sizes[ti] or pos is not None:
                return None
            ti0 = ti
        elif ti != ti0 or ti < 0 or not 2 <= back <= 4:  # (a non-ASCII character: 2-4 bytes)
            return None
        elif kind == FOLDS:
            if pos is not None:
                return None
        elif kind == RUN:
            n = lengths[ti]
            if type(pos) is not list or not 0 < len(pos) <= n:
                return None
            last = -1
            for j in pos:
                if type(j) is not int or not last < j < n:
                    return None
                last = j
            pos = tuple(pos)
        else:
            return None
        out.append((ti, kind, back, pos))
    return out if ti0 == len(plans) - 1 else None


def _cache_load(hs, key: tuple[str, str], plans):
    """The database and its ids' meaning from the cache, or None (missing, untrusted,
    not authenticated, stale or damaged). Nothing in the file is executed, and the
    database is deserialized only once the file is authenticated and checked."""
    import json

    name, what = key
    try:
        payload = _load_entry(name, what)
        if payload is None or len(payload) < 4:
            return None
        n = int.from_bytes(payload[:4], "big")
        if n > min(_MAX_HEADER, len(payload) - 4):
            return None
        head = json.loads(bytes(payload[4 : 4 + n]))
        blob = bytes(payload[4 + n :])
        if type(head) is not dict or head.get("format") != FORMAT or head.get("what") != what \
                or head.get("size") != len(blob):
            return None
        meta = _check_meta(head.get("meta"), plans)
        if meta is None:
            return None
        return hs.loadb(blob, hs.HS_MODE_BLOCK), meta
    except Exception:  # noqa: BLE001 - stale or damaged: compile again
        return None


def _cache_store(hs, key: tuple[str, str], db, meta) -> None:
    import json

    name, what = key
    try:
        blob = hs.dumpb(db)
        head = json.dumps({"format": FORMAT, "what": what, "size": len(blob),
                           "meta": [[ti, kind, back, None if pos is None else list(pos)]
                                    for ti, kind, back, pos in meta]}, ensure_ascii=True).encode()
        _store_entry(name, what, len(head).to_bytes(4, "big") + head + blob, prune=True)
    except Exception:  # noqa: BLE001 - a read-only home, a full disk...: no cache
        return
