"""The native scanner (the ``fast`` extra): candidates, the character table, the cache."""

from __future__ import annotations

import importlib
import os
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osce_brief.search import accel

S = importlib.import_module("osce_brief.search")  # the module: `osce_brief.search` is the API function
from osce_brief.search import bytescan as SB, stream as SS

hs = accel.hyperscan_module()
needs_hs = pytest.mark.skipif(hs is None, reason="hyperscan is not installed")


def test_folding_chars_hold_every_character_that_can_fold_into_ascii(tmp_path, monkeypatch):
    """Outside the table (Hangul syllables, planes 2-13 and 15-16 are not even looked
    at), no character folds to nothing or to text with ASCII, lowercased or not."""
    from osce_brief import textnorm

    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    accel.folding_chars.cache_clear()
    table = set(accel.folding_chars())
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        if c in table:
            continue
        f = textnorm.fold_char(c)
        textnorm._cache.pop(c, None)
        assert f and not any(x < "\x80" for x in f + f.lower() + c.lower()), hex(cp)
    # the table is kept in the cache directory and read back the same, with its folds
    accel.folding_chars.cache_clear()
    assert set(accel.folding_chars()) == table
    assert any(x.name.startswith("folds-") for x in (tmp_path / "hyperscan").iterdir())
    accel.folding_chars.cache_clear()


def test_no_accel_when_turned_off(monkeypatch):
    monkeypatch.setenv("BRIEF_NO_ACCEL", "1")
    assert accel.hyperscan_module() is None
    assert SS._scanner_for(SB._stream_terms(S.compile_query(["napoleon"]))) is None


def _python_candidates(pl, raw: bytes) -> set[int]:
    hay = raw.lower() if pl.insensitive else raw
    nonascii = raw.translate(None, SB._ASCII_BYTES)
    if not nonascii:
        return set()
    return {m.start() for pat in pl.fuzzy(nonascii) for m in pat.finditer(hay) if SB._token_has(raw, m.start(), pl)}


_CHARS = st.sampled_from(
    list("napoleNAPOLE rs.\n") + ["\u00e9", "\u00c9", "\u00f1", "\u00e0", "\u0301", "\u0302", "\u00ad", "\u200b",
                                  "\u00c3", "\u00ba", "\ufb01", "\u1e49", "\uff4e", "\u2019", "\u4e2d", "\u00e6"]
)


@needs_hs
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHARS, max_size=60).map("".join),
       st.sampled_from([("napoleon", "smart"), ("leon", "smart"), ("Napoleon", "smart"), ("ae", "insensitive"),
                        ("pole", "sensitive")]))
def test_native_candidates_hold_the_python_ones(body, case):
    """Every token in which the pure-Python scan keeps a fuzzy candidate (after the
    token check), the native scan gives a candidate too (maybe on another character)."""
    term, rule = case
    plans = SB._stream_terms(S.compile_query([term], case=rule, exact=True))
    raw = body.encode()
    sc = accel.ChunkScanner(hs, plans, SB._fold_into)
    tokens = [m.span() for m in re.finditer(rb"\S+", raw)]

    def token(p: int) -> tuple[int, int]:
        return next(t for t in tokens if t[0] <= p < t[1])

    native = {token(p) for p in sc.scan(raw, len(raw))[0][1] if SB._token_has(raw, p, plans[0])}
    assert {token(p) for p in _python_candidates(plans[0], raw)} <= native


@needs_hs
def test_anchor_starts_match_find(tmp_path):
    plans = SB._stream_terms(S.compile_query(["Aa"], case="insensitive", exact=True))
    raw = b"aaa AAa xaA\n\naAaa"
    sc = accel.ChunkScanner(hs, plans, SB._fold_into)
    assert sc.scan(raw, len(raw))[0][0] == SB._anchor_starts(raw.lower(), b"aa", len(raw))
    assert sc.scan(raw, 10)[0][0] == SB._anchor_starts(raw.lower(), b"aa", 10)  # ending by the limit


def _entries(d) -> list[str]:
    """The compiled databases in a cache directory."""
    return sorted(x for x in os.listdir(d) if x.startswith("hs-"))


@needs_hs
def test_cache_round_trip_and_damage(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    plans = SB._stream_terms(S.compile_query(["treaty"]))
    first = accel.ChunkScanner(hs, plans, SB._fold_into)
    files = _entries(tmp_path / "hyperscan")
    assert len(files) == 1
    raw = "The treaty. Tr\u00e9aty and treaties.".encode()
    again = accel.ChunkScanner(hs, plans, SB._fold_into)  # loaded from the cache
    assert again.scan(raw, len(raw)) == first.scan(raw, len(raw))
    (tmp_path / "hyperscan" / files[0]).write_bytes(b"damaged")
    third = accel.ChunkScanner(hs, plans, SB._fold_into)  # compiled again
    assert third.scan(raw, len(raw)) == first.scan(raw, len(raw))


@needs_hs
def test_cache_is_pruned_and_optional(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(accel, "CACHE_FILES", 2)
    for term in ("alpha", "beta", "gamma"):
        accel.ChunkScanner(hs, SB._stream_terms(S.compile_query([term])), SB._fold_into)
    assert len(_entries(tmp_path / "hyperscan")) == 2
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(blocker))  # the cache cannot be written: no error
    sc = accel.ChunkScanner(hs, SB._stream_terms(S.compile_query(["delta"])), SB._fold_into)
    assert sc.scan(b"delta", 5)[0][0] == [0]


def test_cache_falls_back_to_a_private_temporary_folder(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".cache").write_text("a file where the cache folder would go")  # cannot be created
    monkeypatch.delenv("BRIEF_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    accel._cache_dir_for.cache_clear()
    d = accel._cache_dir()
    assert d.startswith(str(tmp_path / "tmp")) and d.endswith("hyperscan")
    accel._cache_dir_for.cache_clear()
