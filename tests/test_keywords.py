"""Tests for ``brief keywords``: names on top, no fragments or near-duplicates, CLI."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from osce_brief import load, parse
from osce_brief.errors import ExitCode, UsageError
from osce_brief.keywords import keywords
from osce_brief.render.keywords import render_keywords

from .conftest import ROOT, jsonl

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


# ------------------------------------------------------------------ documentation (issue 12.4)
FRAGMENT = re.compile(r"^(?:https?|www|href|src|com|org|html?|mailto|nbsp|amp|\d+m|var|usr|tmp)$|://|@|/", re.I)


def _phrases(text: str, fmt: str = "text", n: int = 10) -> list[str]:
    return [k.phrase for k in keywords(parse(text, None, fmt), n=n)]


def _no_fragments(phrases):
    for p in phrases:
        for w in p.split():
            assert not FRAGMENT.search(w), (w, phrases)


def test_no_url_mail_or_path_fragments():
    text = (
        "Mirror servers\n\n"
        "The mirror servers at https://mirror.example.org/pub/debian/ and http://www.example.com/debian "
        "carry every release. Mirror servers sync every hour from ftp://ftp.example.net/pub. "
        "Write to mirror-admin@example.org when a mirror server falls behind. "
        "The mirror configuration lives in /etc/mirror/servers.conf and ~/.config/mirror/local.conf, "
        "and the mirror logs go to /var/log/mirror/sync.log on every mirror server. "
        "See doc/mirror.1 for the mirror options."
    )
    phrases = _phrases(text)
    assert any("mirror" in p.lower() for p in phrases)
    _no_fragments(phrases)


def test_no_markup_or_escape_fragments():
    text = (
        "Colour output\n\n"
        "\x1b[1;31mError\x1b[0m: the build failed. The \x1b[32mbuild\x1b[0m log shows the compiler error. "
        'Read the <a href="https://example.org/build">build guide</a> and the <img src="log.png" alt="log"> '
        "screenshot of the build log. The compiler error&nbsp;log names the build step; "
        "literal colour codes like ^[[0m or [1;32m in a copied build log are noise."
    )
    phrases = _phrases(text)
    assert any("build" in p.lower() for p in phrases)
    _no_fragments(phrases)
    for p in phrases:
        assert not re.search(r"\d+m\b|href|src|alt\b", p), phrases


def test_no_markdown_link_targets():
    md = (
        "# Versions\n\n"
        "Install a version with [`pyenv install`](COMMANDS.md#pyenv-install) and pick one with "
        "[pyenv global](https://github.com/pyenv/pyenv#global). A version file "
        "([docs](docs/version-file.md)) pins the version for a directory. "
        "Every version lives in its own directory under the pyenv root, and the version file wins.\n"
    )
    phrases = _phrases(md, "markdown")
    assert any("version" in p.lower() for p in phrases)
    _no_fragments(phrases)
    assert not any("COMMANDS" in p or ".md" in p for p in phrases)


def test_changelog_signoffs_leave_no_names_or_dates():
    phrases = [k.phrase for k in keywords(load(str(ROOT / "tests" / "fixtures" / "docs" / "changelog.Debian")), n=10)]
    _no_fragments(phrases)
    assert not any(w in p for p in phrases for w in ("Packager", "Thu", "Sun", "example", "urgency"))


def test_overlapping_name_pieces_merge():
    name = "Johannes Schauer Marin Rodrigues"
    text = "Release notes\n\n" + " ".join(
        f"{name} fixed the {x} in the archive tool." for x in ("parser", "manual", "tests", "build", "installer", "cache")
    )
    phrases = [p.split() for p in _phrases(text)]
    pieces = [p for p in phrases if set(p) <= set(name.split())]
    assert pieces, phrases
    for i, a in enumerate(pieces):
        for b in pieces[i + 1 :]:
            assert not (a[1:] == b[:-1] or b[1:] == a[:-1]), (a, b)


def test_a_word_in_at_most_three_phrases():
    text = "The adduser tool\n\n" + " ".join(
        f"The adduser {x} {y} adduser {z}."
        for x, y, z in (
            ("package", "creates", "users"),
            ("team", "keeps", "groups"),
            ("system", "manages", "accounts"),
            ("maintainers", "review", "patches"),
            ("configuration", "sets", "defaults"),
            ("project", "tracks", "bugs"),
        )
    )
    phrases = [p.lower().split() for p in _phrases(text)]
    assert sum(1 for p in phrases if "adduser" in p) <= 3, phrases


# ------------------------------------------------------------------ the fast tokenizer
def _reference_tokens(units):
    """The plain reading: split each unit at breaks, then find words (after URLs,
    paths and the like are cut out of each whitespace-delimited token)."""
    from osce_brief.keywords import _BREAK, _WORD, _bare, _unmark

    words, chunk, head, start = [], [], [], []
    c = 0
    for text, h in units:
        text = re.sub(r"\S+", lambda m: _bare(m.group(0)) or "|", _unmark(text))
        for part in _BREAK.split(text):
            for m in _WORD.finditer(part):
                words.append(m.group(0))
                chunk.append(c)
                head.append(h)
                start.append(m.start() == 0)
            c += 1
        c += 1
    return words, chunk, head, start


_ALPHABET = list("ab AB.,;-'\"()\u201c\u201d\u2018\u2019\u2014\u2013|`\n\t 1\u00e9_") + [
    "--", " -- ", "''", "``", " - ", " ' ", "U.S.", "  ", "word", "Name", "/", ".md", "@b.org", "://", "#1", "](x)", "[0m", "&amp;", "<b>", ": #2",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_ALPHABET), max_size=14).map("".join), st.booleans()), min_size=1, max_size=4))
def test_fast_tokens_equal_the_plain_reading(units):
    from osce_brief.keywords import _Tokens

    words, chunk, head, start = _reference_tokens(units)
    tok = _Tokens(units)
    assert [tok.vocab[i] for i in tok.ids.tolist()] == words
    same = [a == b for a, b in zip(chunk, chunk[1:])]
    got = tok.chunk.tolist()
    assert [a == b for a, b in zip(got, got[1:])] == same
    assert tok.heading.tolist() == head
    assert tok.at_start.tolist() == start


def test_book_scale_is_linear_and_bounded():
    """Keywords of a long text cost a few microseconds a word (War and Peace: about a second)."""
    import time

    sentences = [
        f"Prince {n} rode to the {p} with the {s} of the regiment on the {d} day." for n, p, s, d in zip(
            ["Andrew", "Vasili", "Nicholas", "Hippolyte"] * 500,
            ["village", "bridge", "river", "camp", "town"] * 400,
            ["colonel", "captain", "adjutant"] * 667,
            ["first", "second", "third", "last", "cold", "long", "grey"] * 286,
        )
    ]
    text = "A Long Book\n\n" + "\n\n".join(" ".join(sentences[i : i + 20]) for i in range(0, len(sentences), 20))
    d = parse(text * 10, None, "text")
    list(d.sentences())
    t = time.perf_counter()
    res = keywords(d, n=10)
    assert res and time.perf_counter() - t < 10  # about 0.3 s here; 40 s before the arrays


def test_markup_words_are_never_phrases_but_protocol_names_are():
    text = (
        "Requests\n\n"
        "The href property holds the whole link, and the http module sends the HTTP request. "
        "Every HTTP request has headers; the href property and the src attribute are strings. "
        "An HTTP request may carry a body, and the http module parses the HTTP response."
    )
    phrases = _phrases(text)
    assert any("HTTP" in p for p in phrases)
    for p in phrases:
        assert not re.search(r"\b(?:href|src|http|https|html|www)\b", p), phrases
