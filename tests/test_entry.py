"""The fast entry point (``brief search -c/-l`` without Typer) and the byte pre-screen."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osce_brief import entry
from osce_brief.search import files as SF

from .conftest import BUNDLED, ROOT

S = importlib.import_module("osce_brief.search")  # the module: `osce_brief.search` is the API function

EXAMPLES = int(os.environ.get("BRIEF_PROP_EXAMPLES", "150"))


# ---------------------------------------------------------------- argument parsing
@pytest.mark.parametrize(
    "argv, expected",
    [
        (["-c", "blair", "x/"], ({"count": True}, ["blair", "x/"])),
        (["blair", "--files-with-matches", "x/"], ({"files": True}, ["blair", "x/"])),
        (["-ci", "a b", "x"], ({"count": True, "ignore_case": True}, ["a b", "x"])),
        (["--count", "--json", "--word", "--any", "a", "b"],
         ({"count": True, "json_out": True, "word": True, "any_term": True}, ["a", "b"])),
        (["-le", "n.p", "f"], ({"files": True, "regex": True}, ["n.p", "f"])),
        (["blair", "x"], ({}, ["blair", "x"])),
        (["-C", "2", "--max=3", "-m4", "-u", "paragraph", "--rank", "a"],
         ({"context": 2, "max_passages": 4, "unit": "paragraph", "rank": True}, ["a"])),
        (["-S", "2-3", "--section=talks", "a"], ({"section": "talks"}, ["a"])),
        (["-C0", "a"], ({"context": 0}, ["a"])),
    ],
)
def test_fast_parse_accepts_flags(argv, expected):
    assert entry.parse_fast_search(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["-c", "-l", "blair"],  # both: Typer reports the conflict
        ["-c", "-s", "-i", "blair"],
        ["-c"],  # no term
        ["--width", "60", "blair"],  # Rich layout
        ["-E", "latin-1", "blair"],
        ["--max", "0", "blair"],  # out of range: Typer's message
        ["-C", "-1", "blair"],
        ["--max", "x", "blair"],
        ["--max"],
        ["--count=1", "blair"],
        ["-cC2", "blair"],
        ["-c", "--help"],
        ["-c", "--", "-blair"],
        ["-c", "blair", "-"],  # stdin
        ["-cx", "blair"],  # unknown short flag
    ],
)
def test_fast_parse_leaves_the_rest_to_typer(argv):
    assert entry.parse_fast_search(argv) is None


# ---------------------------------------------------------------- same output as the Typer command
@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Treaty talks.\n\nThe treaties were signed. No treaty yet.\n")
    (tmp_path / "sub" / "b.md").write_text("# Notes\n\nA caf\u00e9 and a Tr\u00e9aty.\n")
    (tmp_path / "sub" / "c.txt").write_text("Nothing here about it.\n")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 treaty\n")  # latin-1: not UTF-8
    long = tmp_path / ("d" * 120)
    long.mkdir()
    (long / "e.txt").write_text("treaty\n")
    return tmp_path


def _fast(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["brief", *args])
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    with pytest.raises(SystemExit) as ex:
        entry.main()
    out, err = capsys.readouterr()
    return ex.value.code, out, err


CASES = [
    ["search", "-c", "treaty"],
    ["search", "-l", "treaty"],
    ["search", "--count", "--json", "treaty"],
    ["search", "-l", "--json", "treaty"],
    ["search", "-c", "cafe"],
    ["search", "-c", "Treaty"],
    ["search", "-c", "-i", "Treaty"],
    ["search", "-c", "--exact", "treaty"],
    ["search", "-c", "--word", "treat"],
    ["search", "-c", "--any", "cafe", "signed"],
    ["search", "-c", "cafe", "signed"],
    ["search", "-l", "--regex", "treat(y|ies)"],
    ["search", "-c", "--regex", "("],
    ["search", "-c", "blinkin"],
    ["search", "-l", "zzzz"],
    ["search", "treaty"],
    ["search", "treaty", "-C", "1", "--unit", "paragraph"],
    ["search", "--json", "treaty", "--max", "2"],
    ["search", "treaty", "--rank", "-m", "2"],
    ["search", "cafe", "--section", "notes"],
    ["search", "--unit", "chapter", "treaty"],
    ["search", "--json", "zzzz"],
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: " ".join(c[1:]))
def test_fast_path_matches_typer(case, corpus, invoke, monkeypatch, capsys):
    args = case + [str(corpus)]
    if "blinkin" in case:
        args = case + [str(BUNDLED)]
    if "--section" in case:
        args = case + [str(corpus / "sub" / "b.md")]
    assert entry.parse_fast_search(args[1:]) is not None
    called = []
    real = entry._fast_search
    monkeypatch.setattr(entry, "_fast_search", lambda *a: called.append(1) or real(*a))
    code, out, err = _fast(args, monkeypatch, capsys)
    assert called, "the fast path was not taken"
    ref = invoke(*args)
    assert (code, out, err) == (ref.exit_code, ref.stdout, ref.stderr)
    assert len(err.splitlines()) <= 2  # a warning for bad.txt and/or one error line


def test_fast_path_reports_unreadable_and_goes_on(corpus, monkeypatch, capsys):
    code, out, err = _fast(["search", "-c", "treaty", str(corpus)], monkeypatch, capsys)
    assert code == 0
    assert "bad.txt" in err and "--encoding" in err
    assert f"{corpus / 'a.txt'}:2\n" in out  # adjacent matching sentences merge into one passage
    long_line = next(line for line in out.splitlines() if "ddd" in line)
    assert long_line.endswith("e.txt:1")  # long paths are not wrapped


@pytest.mark.parametrize("args", [["search", "ukraine"], ["search", "--json", "negotiate"], ["search", "-c", "ukraine"],
                                  ["search", "arms control", "-C", "1"], ["search", "blinkin"]])
def test_fast_path_on_the_bundled_article(args, invoke, monkeypatch, capsys):
    code, out, err = _fast(args, monkeypatch, capsys)
    ref = invoke(*args)
    assert (code, out, err) == (ref.exit_code, ref.stdout, ref.stderr)


def test_console_script_module_runs_fast_path(corpus):
    """``python -m osce_brief`` goes through the same entry point, without Typer."""
    code = (
        "import sys, runpy; sys.argv = ['brief', 'search', '-l', 'treaty', sys.argv[1]];"
        "\ntry:\n    runpy.run_module('osce_brief', run_name='__main__')\nexcept SystemExit as e:\n"
        "    print('typer' in sys.modules, 'rich' in sys.modules, e.code)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("FORCE_COLOR", None)
    r = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True, env=env)
    assert r.stdout.splitlines()[-1] == "False False 0"
    assert str(corpus / "a.txt") in r.stdout


# ---------------------------------------------------------------- the byte pre-screen never drops a match
_ALPHABET = st.sampled_from(
    list("abcdefilnorstyABEIKLNT '.\n-")
    + ["\u00e9", "\u00c9", "\u0301", "\u00ad", "\u200b", "\ufb01", "\u212a", "\u017f", "\u0130", "\u0131",
       "\u2019", "\u00df", "\u00e6", "\u0142", "\u00ff", "\u4e2d", "\U0001d41a"]
)


_PIECES = st.sampled_from(
    ["negotiat", "NEGOTI", "ne\u0301gotiat", "ion", "ions", "ed", "e", "es", "ate", "ating", "s", "bl", "Bla",
     "bla", "air", "ir", "ire", "\u00e1", "\u00ad", "\u200b", "caf", "cafe", "\u00e9", "treat", "y", "ies", "ing",
     "fi", "\ufb01", "ne", "\u2019", "-", "_", "1", " ", " ", ".", "\n"]
)


@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    # single characters, and pieces of the terms' word forms (so that matches and near misses are common)
    text=st.one_of(st.lists(_ALPHABET, max_size=60).map("".join), st.lists(_PIECES, max_size=30).map("".join)),
    term=st.sampled_from(["cafe", "Cafe", "fine", "lit", "basis", "treaty", "kit", "negotiate", "sl", "ae",
                          "negotiations", "blair", "Blair", "air"]),
    case=st.sampled_from(["smart", "insensitive", "sensitive"]),
    exact=st.booleans(),
    word=st.booleans(),
)
def test_prescreen_never_rules_out_a_match(text, term, case, exact, word):
    q = S.compile_query([term], case=case, exact=exact, word=word)
    if any(S.find_hits(q, text)):
        assert SF._could_match(text.encode(), q)


def test_prescreen_rules_out_plain_misses():
    q = S.compile_query(["blair"])
    assert not SF._could_match("Prime minister \u2019s caf\u00e9 \u00a3 news".encode(), q)
    assert SF._could_match("Bl\u00e1ir".encode(), q)  # the accent may hide the anchor
    assert SF._could_match("bla\u0301ir".encode(), q)  # a combining accent too
    # an accent that could fold into the anchor, but in a token that does not hold it
    assert not SF._could_match("Blaise \u00e0 Paris, l\u2019a\u0301ir".encode(), q)
    assert SF._could_match(b"BLAIR", q)
    assert not SF._could_match(b"Black blame on the blast", q)  # the anchor "bla", but no word form of blair
    assert SF._could_match(b"Blair's", q) and SF._could_match(b"Blairs", q)
    assert not SF._could_match(b"BLAIR", S.compile_query(["blair"], case="sensitive"))
    assert SF._could_match(b"caf\xe9", q)  # not UTF-8: left to the loader's error
