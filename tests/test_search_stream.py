"""Streaming counts (``count_file``): the same figures as the full path on tricky text.

Each case writes a small file, counts it by streaming (with tiny chunks, so chunk
cuts land everywhere) and compares with building the Document and its passages.
"""

from __future__ import annotations

import importlib
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osce_brief.search import files as SF, stream as SS
from osce_brief.search.accel import hyperscan_module

S = importlib.import_module("osce_brief.search")  # the module: `osce_brief.search` is the API function


@pytest.fixture(autouse=True, params=["python", "hyperscan"])
def scanner(request, monkeypatch):
    """Every test runs twice: with the pure-Python byte scans, and with the native
    scanner (the ``fast`` extra) when Hyperscan is installed."""
    if request.param == "python":
        monkeypatch.setenv("BRIEF_NO_ACCEL", "1")
    else:
        monkeypatch.delenv("BRIEF_NO_ACCEL", raising=False)
        if hyperscan_module() is None:
            pytest.skip("hyperscan is not installed")
    return request.param


def _both(tmp_path, text: str, terms, chunk: int = 64, workers: int = 1, encoding: str = "utf-8", **kw):
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    qkw = {k: v for k, v in kw.items() if k in ("regex", "case", "word", "exact", "any_term")}
    okw = {k: v for k, v in kw.items() if k in ("unit", "context")}
    old = SS._CHUNK
    SS._CHUNK = chunk
    try:
        got = SS.count_file(str(path), S.compile_query(terms, **qkw), workers=workers, raw_text=True, **okw)
    finally:
        SS._CHUNK = old
    ref = S.search(terms, [str(path)], raw_text=True, **kw)  # the stream reads the text as decoded
    return got, (ref.total_passages, ref.total_hits)


BODY = (
    "Title line\n\n"
    "Napoleon rode on. The army waited. Napoleon spoke! Then Napoleon left.\n"
    "He said: \u201cNapoleon?\u201d Dr. Napoleon met Mr. Napoleon. U.S. Napoleon. No. 5 napoleon.\n\n"
    "- napoleon item\n- another napoleon item\n  continued napoleon\n\n"
    "Napol\u00e9on, na\u0301poleon and Napo\u00adleon; NAPOLEON\u2019s napoleonic napoleons.\n"
    "\uff4e\uff41\uff50\uff4f\uff4c\uff45\uff4f\uff4e in full width. \u00f1apoleon. Napolé\u0301on.\n\n"
    "A paragraph \u2026 Napoleon\u2026 and napoleon. Short. Napoleon. x napoleonnapoleon y.\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("terms,kw", [
    (["napoleon"], {}),
    (["Napoleon"], {}),
    (["napoleon"], {"exact": True}),
    (["napoleon"], {"word": True}),
    (["napoleon"], {"context": 1}),
    (["napoleon"], {"context": 2}),
    (["napoleon"], {"unit": "paragraph"}),
    (["napoleon", "army"], {}),
    (["napoleon", "army"], {"any_term": True}),
    (["napole"], {"exact": True}),
    (["leon"], {"exact": True}),
])
def test_tricky_text_all_options(tmp_path, newline, terms, kw):
    text = BODY.replace("\n", newline)
    got, ref = _both(tmp_path, text, terms, **kw)
    assert got == ref


@pytest.mark.parametrize("blank", ["\n\n", "\n \t\n", "\n\u3000\n", "\n\u00a0\u2028\n", "\r\n\r\n", "\n\r\n", "\r\r"])
def test_every_kind_of_blank_line_parts_paragraphs(tmp_path, blank):
    text = "Head\n\nNapoleon one. Napoleon two." + blank + "Napoleon three.\nNapoleon four. Napoleon five.\n"
    for kw in ({}, {"unit": "paragraph"}, {"context": 1}):
        assert _both(tmp_path, text, ["napoleon"], **kw)[0] == _both(tmp_path, text, ["napoleon"], **kw)[1]


@pytest.mark.parametrize("text", [
    "T\n\n\u00c9lise met \u00e9lise and Elise.\n",  # an accented first letter
    "T\n\nnapol\u00e9 napole\u0301 na\u0301\u0302pole \u00f1\u00e1pole.\n",  # accents, chains of marks
    "T\n\nxnapole napolex _napole napole_ 9napole.\n",  # word starts and ends
    "T\n\n\u00e0napole napole\u00e0 \u201cnapole\u201d \u2019napole\u2019.\n",  # non-ASCII neighbours
    "T\n\n\ufb01napole \u2167 napo\u200ble nap\u2060ole.\n",  # ligature, roman numeral, zero-width
])
@pytest.mark.parametrize("terms,kw", [(["napole"], {"exact": True}), (["elise"], {}), (["napole"], {"word": True})])
def test_accents_and_neighbours(tmp_path, text, terms, kw):
    got, ref = _both(tmp_path, text, terms, **kw)
    assert got == ref


def test_two_workers_match_one(tmp_path):
    rng = random.Random(7)
    paras = []
    for _ in range(400):
        words = [rng.choice(["Napoleon", "army", "napol\u00e9on", "said.", "The", "\u201cNo!\u201d", "went", "on."])
                 for _ in range(rng.randint(3, 30))]
        paras.append(" ".join(words))
    text = "Title\n\n" + "\n\n".join(paras) + "\n"
    one = _both(tmp_path, text, ["napoleon"], chunk=512, workers=1)
    two = _both(tmp_path, text, ["napoleon"], chunk=512, workers=2)
    assert one[0] == two[0] == one[1]


def test_another_encoding_is_refused_as_in_the_full_path(tmp_path, invoke, monkeypatch):
    path = tmp_path / "latin.txt"
    path.write_bytes("T\n\nUn caf\u00e9 \u00e0 Napol\u00e9on.\n".encode("latin-1") * 50)
    monkeypatch.setattr(SF, "STREAM_THRESHOLD", 100)
    with pytest.raises(SS.InputError, match="not valid UTF-8 at byte 9"):
        SS.count_file(str(path), S.compile_query(["napoleon"]), workers=1)
    full = invoke("search", "napoleon", str(path))
    streamed = invoke("search", "--count", "napoleon", str(path))
    assert full.exit_code == streamed.exit_code == 2
    assert "not valid UTF-8 at byte 9" in full.stderr and "not valid UTF-8 at byte 9" in streamed.stderr
    assert invoke("search", "--count", "--encoding", "latin-1", "napoleon", str(path)).stdout.strip() == "50"


def test_first_only_stops_at_a_match(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("T\n\n" + "nothing here.\n\n" * 50 + "Napoleon.\n", encoding="utf-8")
    S_CHUNK = SS._CHUNK
    SS._CHUNK = 64
    try:
        got = SS.count_file(str(path), S.compile_query(["napoleon"]), first_only=True, workers=1)
    finally:
        SS._CHUNK = S_CHUNK
    assert got is not None and got[0] >= 1


def test_isspace_table_is_complete():
    # the bytes regex of whitespace must know every character str.strip() removes
    import re

    ws = re.compile(SS._WS)
    for cp in range(0x110000):
        c = chr(cp)
        if 0xD800 <= cp < 0xE000 or c in "\r\n":
            continue
        assert bool(ws.fullmatch(c.encode())) == c.isspace(), hex(cp)


words = st.sampled_from(
    ["napoleon", "Napoleon", "NAPOLEON", "napol\u00e9on", "na\u0301poleon", "napo\u00adleon", "\u00f1apoleon",
     "napoleonic", "xnapoleon", "army", "Dr.", "U.S.", "No.", "5", "!", "\u2026", "\u201cNo?\u201d", "\u2019s",
     "- item", "\u00c3\u00a9", "\u00c3\u00adli", "\t", "\u3000"]
)
sep = st.sampled_from([" ", " ", " ", "\n", ". ", "? ", "\r\n"])
para = st.lists(st.tuples(words, sep), min_size=1, max_size=12).map(lambda ws: "".join(w + s for w, s in ws))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    st.lists(para, min_size=1, max_size=6),
    st.sampled_from(["\n\n", "\n \n", "\r\n\r\n", "\n\u00a0\n"]),
    st.sampled_from([(["napoleon"], {}), (["Napoleon"], {}), (["napoleon"], {"context": 1}),
                     (["napoleon"], {"unit": "paragraph"}), (["napoleon"], {"word": True}),
                     (["napoleon", "army"], {"any_term": True})]),
)
def test_random_text(tmp_path_factory, paras, blank, case):
    terms, kw = case
    text = "Some title" + blank + blank.join(paras) + "\n"
    got, ref = _both(tmp_path_factory.mktemp("r"), text, terms, chunk=48, **kw)
    assert got == ref


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(para, min_size=2, max_size=12), st.sampled_from(["\n\n", "\r\n\r\n", "\n \n"]))
def test_random_text_in_two_processes(tmp_path_factory, paras, blank):
    """Two processes sharing small pieces (cut at blank lines) count what the full path does."""
    text = "Some title" + blank + blank.join(paras) + "\n"
    got, ref = _both(tmp_path_factory.mktemp("w"), text, ["napoleon"], chunk=48, workers=2)
    assert got == ref


@pytest.mark.parametrize("terms,kw", [(["arms control"], {}), (["arms control"], {"exact": True}),
                                      (["Arms Control"], {}), (["arms control"], {"word": True})])
def test_phrases_with_accents_in_later_words(tmp_path, terms, kw):
    text = ("T\n\nThe arms contr\u00f3l talks. Arms\ncontrol again. arms co\u0301ntrol. arms \ufb00oo.\n\n"
            "Harms controlled. arms and control. \u201carms\u201d control.\n\nArms CONTROL. arms cont\u00adrol.\n")
    got, ref = _both(tmp_path, text, terms, **kw)
    assert got == ref


chars = st.sampled_from(
    list("napoleNAPOLE ..\n") + ["\u00e9", "\u00c9", "\u00f1", "\u00e0", "\u0301", "\u00ad", "\u200b", "\u00c3",
                                  "\u00ba", "\u00aa", "\ufb01", "\u1e49", "\uff4e", "\u2019", "\u4e2d", "\U0001d427", "\n\n"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    st.lists(chars, max_size=80).map("".join),
    st.sampled_from([(["napoleon"], {}), (["leon"], {"exact": True}), (["pole"], {"exact": True}),
                     (["Napoleon"], {}), (["nap"], {"word": True}), (["ae"], {"exact": True})]),
)
def test_random_characters(tmp_path_factory, body, case):
    """Character soup around the anchor's letters: accents, marks, ligatures, wide forms."""
    terms, kw = case
    got, ref = _both(tmp_path_factory.mktemp("c"), "T\n\n" + body + "\n", terms, chunk=32, **kw)
    assert got == ref
