"""The pattern cache is never trusted: tampered, planted, symlinked or shared cache
files give the same counts as no cache, never a traceback, a crash or a deleted
file outside the cache (issue 13.3). Every cache here is made by the test in a
temporary directory."""

from __future__ import annotations

import importlib

import json
import os
import shutil
import signal
import stat
from types import SimpleNamespace

import pytest

S = importlib.import_module("osce_brief.search")  # the module: `osce_brief.search` is the API function
from osce_brief.search import accel
from osce_brief.search import bytescan as SB
from osce_brief.search import stream as SS

hs = accel.hyperscan_module()
pytestmark = [
    pytest.mark.skipif(hs is None, reason="hyperscan is not installed"),
    pytest.mark.skipif(not accel._fs_ok(), reason="no O_NOFOLLOW / dir_fd support: the cache is off"),
]

#: Accented, ligatured and plain forms, so the database's FOLDS and RUN literals are used.
TEXT = ("The treaty was signed. Tr\u00e9aty and TREATY talks went on.\n\n"
        "Napol\u00e9on read the tre\u0301aty; Napoleon did not.\n\n"
        "No match in this one.\n\n"
        "A \ufb01ne treaty, a treat\u00ffy, napoleon's treaties.\n") * 40
OTHER_UID = 4242


class Blocked(BaseException):
    """Raised by the alarm: not an OSError or Exception, so no handler swallows it."""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A private cache directory for this test; the loads of databases are counted."""
    d = tmp_path / "cache"
    d.mkdir(mode=0o700)
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(d))
    monkeypatch.delenv("BRIEF_NO_ACCEL", raising=False)
    loads = []
    real = hs.loadb

    def spy(blob, mode):
        loads.append(len(blob))
        return real(blob, mode)

    monkeypatch.setattr(hs, "loadb", spy)
    return SimpleNamespace(dir=d, loads=loads)


@pytest.fixture
def doc(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(TEXT, encoding="utf-8")
    return str(p)


def _count(path: str, term: str) -> tuple[int, int]:
    got = SS.count_file(path, S.compile_query([term]), workers=1)
    assert got is not None
    return got


@pytest.fixture
def expected(doc, monkeypatch):
    """Counts without the native scanner (the reference)."""
    monkeypatch.setenv("BRIEF_NO_ACCEL", "1")
    want = {t: _count(doc, t) for t in ("treaty", "napoleon")}
    monkeypatch.delenv("BRIEF_NO_ACCEL")
    assert want["treaty"][1] > 0 and want["napoleon"][1] > 0
    return want


def _key_of(term: str) -> tuple[str, str]:
    return accel._cache_key(hs, SB._stream_terms(S.compile_query([term])))


def _split(path) -> tuple[dict, bytes]:
    data = path.read_bytes()
    payload = data[40:]
    n = int.from_bytes(payload[:4], "big")
    return json.loads(payload[4 : 4 + n]), payload[4 + n :]


def _write_signed(path, what: str, head: dict, blob: bytes, key: bytes | None = None) -> None:
    """Write a cache file as the cache would, signed with ``key`` (default: the
    directory's own key, as if the attacker could read it: the header checks must
    then refuse it on their own)."""
    key = key if key is not None else (path.parent / accel._KEY_NAME).read_bytes()
    h = json.dumps(head).encode()
    payload = len(h).to_bytes(4, "big") + h + blob
    path.write_bytes(accel._MAGIC + accel._mac(key, what, payload) + payload)


def _warm(cache, doc, expected, term="treaty"):
    assert _count(doc, term) == expected[term]  # compiled, then stored
    name, what = _key_of(term)
    path = cache.dir / "hyperscan" / name
    assert path.is_file()
    del cache.loads[:]
    assert _count(doc, term) == expected[term]
    assert cache.loads, "a warm cache is used"
    del cache.loads[:]
    return path, what


def test_a_warm_cache_is_used_and_gives_the_same_counts(cache, doc, expected):
    _warm(cache, doc, expected)
    key = cache.dir / "hyperscan" / accel._KEY_NAME
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    assert not stat.S_IMODE((cache.dir / "hyperscan").stat().st_mode) & 0o077


@pytest.mark.parametrize("tamper", [
    "index out of range", "negative index", "bool index", "unknown kind", "bad back offset", "huge back offset",
    "positions 10**9", "positions unsorted", "positions empty", "anchor missing", "wrong size", "wrong what",
    "wrong format", "meta not a list",
])
def test_tampered_header_fields_are_refused_before_deserializing(cache, doc, expected, tamper):
    path, what = _warm(cache, doc, expected)
    head, blob = _split(path)
    meta = head["meta"]
    run = next(i for i, m in enumerate(meta) if m[1] == accel.RUN)
    if tamper == "index out of range":
        meta[-1][0] = 5
    elif tamper == "negative index":
        meta[1][0] = -1
    elif tamper == "bool index":
        meta[0][0] = False
    elif tamper == "unknown kind":
        meta[3][1] = 7
    elif tamper == "bad back offset":
        meta[0][2] = 100
    elif tamper == "huge back offset":
        meta[run][2] = -(10**12)
    elif tamper == "positions 10**9":
        meta[run][3] = [10**9]
    elif tamper == "positions unsorted":
        meta[run][3] = [3, 1]
    elif tamper == "positions empty":
        meta[run][3] = []
    elif tamper == "anchor missing":
        del meta[0]
    elif tamper == "wrong size":
        head["size"] += 8
    elif tamper == "wrong what":
        head["what"] = _key_of("napoleon")[1]
    elif tamper == "wrong format":
        head["format"] -= 1
    elif tamper == "meta not a list":
        head["meta"] = {"0": meta[0]}
    _write_signed(path, what, head, blob)
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []  # never deserialized
    assert _count(doc, "treaty") == expected["treaty"]  # (compiled again, stored again: now used)
    assert cache.loads


def test_changed_database_bytes_are_never_deserialized(cache, doc, expected):
    path, what = _warm(cache, doc, expected)
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 8] = bytes(b ^ 0xA5 for b in data[mid : mid + 8])
    path.write_bytes(bytes(data))
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []
    # the same change, signed with another key (a planted key's own HMAC): still refused
    head, blob = _split(path)
    _write_signed(path, what, head, blob, key=b"k" * 32)
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []


def test_another_terms_database_under_this_name_is_refused(cache, doc, expected):
    path, _what = _warm(cache, doc, expected)
    _count(doc, "napoleon")
    other = cache.dir / "hyperscan" / _key_of("napoleon")[0]
    shutil.copyfile(other, path)  # napoleon's (validly signed) database as treaty's
    del cache.loads[:]
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []


def test_cut_and_empty_files_are_misses(cache, doc, expected):
    path, _what = _warm(cache, doc, expected)
    for data in (b"", accel._MAGIC, path.read_bytes()[:-1], path.read_bytes() + b"x"):
        path.write_bytes(data)
        assert _count(doc, "treaty") == expected["treaty"]
        assert cache.loads == []
        path.write_bytes(data)


def test_a_world_writable_cache_directory_is_not_used(cache, doc, expected):
    path, what = _warm(cache, doc, expected)
    d = cache.dir / "hyperscan"
    os.chmod(d, 0o777)
    # a planted, validly signed file (another term's database and a key of its own)
    head, blob = _split(cache.dir / "hyperscan" / path.name)
    (d / accel._KEY_NAME).write_bytes(b"p" * 32)
    os.chmod(d / accel._KEY_NAME, 0o600)
    _count(doc, "napoleon")  # (not stored: the directory is refused)
    assert not (d / _key_of("napoleon")[0]).exists()
    if os.geteuid() == 0:
        for p in (d, d / accel._KEY_NAME, path):
            os.chown(p, OTHER_UID, OTHER_UID)
    _write_signed(path, what, head, blob, key=b"p" * 32)
    before = {x: (d / x).read_bytes() for x in os.listdir(d)}
    assert _count(doc, "treaty") == expected["treaty"]
    assert _count(doc, "napoleon") == expected["napoleon"]
    assert cache.loads == []
    assert {x: (d / x).read_bytes() for x in os.listdir(d)} == before  # nothing written, nothing pruned


def test_a_group_writable_or_shared_parent_is_not_used(cache, doc, expected):
    os.chmod(cache.dir, 0o777)
    assert _count(doc, "treaty") == expected["treaty"]
    assert not (cache.dir / "hyperscan").exists() or _entries_in(cache.dir / "hyperscan") == []
    os.chmod(cache.dir, 0o1777)  # sticky, as /tmp: others cannot rename what is ours
    _warm(cache, doc, expected)
    os.chmod(cache.dir / "hyperscan", 0o770)
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_a_file_owned_by_another_user_is_not_used(cache, doc, expected):
    path, _what = _warm(cache, doc, expected)
    os.chown(path, OTHER_UID, OTHER_UID)
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []
    os.chown(cache.dir / "hyperscan" / accel._KEY_NAME, OTHER_UID, OTHER_UID)
    os.chown(path, 0, 0)
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []


def _entries_in(d) -> list[str]:
    return sorted(x for x in os.listdir(d) if x.startswith("hs-"))


def _victims(tmp_path, n: int = 100):
    v = tmp_path / "victim"
    v.mkdir()
    names = [f"hs-9-{i:03d}" if i % 3 == 0 else f"{i}-{i}" if i % 3 == 1 else f"file{i}.txt" for i in range(n)]
    for x in names:
        (v / x).write_text(f"keep {x}")
        os.utime(v / x, (1, 1))  # older than anything in the cache
    return v, names


def test_a_symlinked_cache_directory_is_neither_used_nor_pruned(cache, doc, expected, tmp_path, monkeypatch):
    victim, names = _victims(tmp_path)
    os.symlink(victim, cache.dir / "hyperscan")
    monkeypatch.setattr(accel, "CACHE_FILES", 2)
    for term in ("treaty", "napoleon", "alpha", "beta", "gamma"):
        got = _count(doc, term)
        if term in expected:
            assert got == expected[term]
    assert sorted(os.listdir(victim)) == sorted(names)  # none deleted, none added
    assert all((victim / x).read_text() == f"keep {x}" for x in names)
    assert cache.loads == []


def test_symlinks_inside_the_cache_are_never_followed(cache, doc, expected, tmp_path, monkeypatch):
    path, what = _warm(cache, doc, expected)
    d = cache.dir / "hyperscan"
    victim, names = _victims(tmp_path)
    # an entry that is a symlink to a validly signed copy of itself
    shutil.copyfile(path, victim / "copy")
    path.unlink()
    os.symlink(victim / "copy", path)
    # old-looking entries pointing at files outside
    for x in names[:30]:
        os.symlink(victim / x, d / (x if x[0].isdigit() or x.startswith("hs-") else "hs-9-" + x))
    monkeypatch.setattr(accel, "CACHE_FILES", 1)
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []
    assert _count(doc, "napoleon") == expected["napoleon"]  # stored, then pruned
    assert sorted(os.listdir(victim)) == sorted(names + ["copy"])
    assert all((victim / x).read_text() == f"keep {x}" for x in names)
    # the key as a symlink: replaced by a key of the cache's own, the target untouched
    key = d / accel._KEY_NAME
    key.unlink()
    os.symlink(victim / names[0], key)
    assert _count(doc, "alpha") is not None
    assert not key.is_symlink() and (victim / names[0]).read_text() == f"keep {names[0]}"


def test_a_fifo_in_the_cache_does_not_block(cache, doc, expected):
    path, _what = _warm(cache, doc, expected)
    path.unlink()
    os.mkfifo(path)
    key = cache.dir / "hyperscan" / accel._KEY_NAME
    key.unlink()
    os.mkfifo(key)

    def late(*_a):
        raise Blocked("blocked on a FIFO")

    old = signal.signal(signal.SIGALRM, late)
    signal.alarm(20)
    try:
        assert _count(doc, "treaty") == expected["treaty"]
        assert _count(doc, "treaty") == expected["treaty"]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert cache.loads  # the FIFOs were replaced by files of the cache's own


def test_only_the_caches_own_names_are_pruned(cache, doc, expected, monkeypatch):
    d = cache.dir / "hyperscan"
    _warm(cache, doc, expected)
    keep = ["notes.txt", "hs-", "hs-x", ".tmp-short", "HS-9-1", "folds-other"]
    for x in keep:
        (d / x).write_text("mine")
        os.utime(d / x, (1, 1))
    stale_tmp = d / (".tmp-" + "0" * 16)
    stale_tmp.write_text("left by a crash")
    os.utime(stale_tmp, (1, 1))
    monkeypatch.setattr(accel, "CACHE_FILES", 1)
    for term in ("alpha", "beta"):
        _count(doc, term)
    assert [x for x in os.listdir(d) if accel._ENTRY_NAME.fullmatch(x)] == [_key_of("beta")[0]]
    assert all((d / x).read_text() == "mine" for x in keep)
    assert not stale_tmp.exists()


def test_a_tampered_folds_table_is_not_used(cache, monkeypatch):
    from osce_brief import textnorm

    accel.folding_chars.cache_clear()
    try:
        table = accel.folding_chars()
        name = accel._table_name()
        path = cache.dir / "hyperscan" / name
        data = path.read_bytes()
        assert b'"e"' in data
        path.write_bytes(data.replace(b'"e"', b'"x"', 1))  # not re-signed
        textnorm._cache.clear()
        accel.folding_chars.cache_clear()
        assert accel.folding_chars() == table
        assert textnorm.fold_char("\u00e9") == "e"
        # signed with the key but not a table (not a sorted string of non-ASCII characters)
        key = (cache.dir / "hyperscan" / accel._KEY_NAME).read_bytes()
        for bad in ({"chars": "ba", "folds": ["", ""]}, {"chars": "\u00e9", "folds": [7]}, [1, 2]):
            payload = json.dumps(bad).encode()
            path.write_bytes(accel._MAGIC + accel._mac(key, name, payload) + payload)
            accel.folding_chars.cache_clear()
            assert accel.folding_chars() == table
    finally:
        textnorm._cache.clear()
        accel.folding_chars.cache_clear()


def test_a_key_others_can_read_is_not_trusted_and_is_replaced(cache, doc, expected):
    path, _what = _warm(cache, doc, expected)
    key = cache.dir / "hyperscan" / accel._KEY_NAME
    old = key.read_bytes()
    os.chmod(key, 0o644)  # anyone could have signed files with it
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads == []
    assert key.read_bytes() != old and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert _count(doc, "treaty") == expected["treaty"]
    assert cache.loads  # signed again with the new key


def test_without_hard_links_the_key_is_still_made(cache, doc, expected, monkeypatch):
    def no_link(*_a, **_k):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(os, "supports_dir_fd", os.supports_dir_fd | {no_link})
    _warm(cache, doc, expected)
