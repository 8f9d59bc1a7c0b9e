"""Hypothesis property tests: loading never raises and spans never lose text."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from osce_brief.loaders import parse
from osce_brief.outline import outline
from osce_brief.render.outline import render_outline
from osce_brief.render.show import render_sections
from osce_brief.segment import sentence_spans

LINES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "", "", "Title Line", "CHAPTER IV", "BOOK ONE: 1805", "Why Now?", "Key Points:", "# Heading",
            "## Sub heading", "---", "===", "- item", "1. item", "```", "> quote", "| a | b |", "|---|---|",
            "by Admin 49 views", "A sentence. Another one! And a third?", "u.s. officials said so . then left .",
            "*** START OF THIS PROJECT GUTENBERG EBOOK X ***", "*** END OF THIS PROJECT GUTENBERG EBOOK X ***",
            "[ref]: http://example.com", "<!-- comment -->", "    indented code", "Setext", "+++",
            "\t  \r", "[bold]x[/bold] [/]", "\x1b[31mred\x1b[0m", "caf\u00e9 S\u00e3o Paulo \u202eevil",
            "GREP(1)     User Commands     GREP(1)", "NAME", "       grep - print lines", "   Pattern Syntax",
            "1.1. Grants", "  0. Definitions.", "II. Structures", "2. Grant of License. Subject to it.",
            "* Noteworthy changes", "** Bug fixes", "       incor\u2010", "       porates text", "END OF TERMS",
            "           Centred Title", "-------------------", "    x = f(a, b);",
        ]
    ),
)
DOCS = st.lists(LINES, max_size=30).map("\n".join) | st.text(max_size=400)
SETTINGS = settings(max_examples=int(os.environ.get("BRIEF_PROP_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, fmt: str) -> None:
    doc = parse(text, "p", fmt)
    if "repaired" not in doc.meta:  # mojibake repair is the one change a loader makes to the text
        assert doc.source == text
    text = doc.source
    parts = list(doc.all_sections())
    # sections tile the document in order, without overlap
    if text:
        assert parts and parts[0].start == 0 and parts[-1].end == len(text)
    for a, b in zip(parts, parts[1:]):
        assert a.end == b.start and a.start <= a.end
    # every non-whitespace character lies in exactly one paragraph or heading
    owner = [0] * len(text)
    for s in parts:
        if s.kind == "section":
            for i in range(s.heading_start, s.heading_end):
                owner[i] += 1
            assert s.start <= s.heading_start <= s.heading_end <= s.end
        for p in s.paragraphs:
            assert text[p.start : p.end] == p.text
            assert s.start <= p.start <= p.end <= s.end
            for i in range(p.start, p.end):
                owner[i] += 1
            for sent in p.sentences:
                assert text[sent.start : sent.end] == sent.text
                assert p.start <= sent.start < sent.end <= p.end
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert owner[i] == 1, (i, ch, owner[i])
    # rendering never raises
    console = Console(record=True, width=60, file=open("/dev/null", "w"))
    console.print(render_outline(outline(doc)))
    console.print(render_sections(doc, list(doc.all_sections())))


@SETTINGS
@given(DOCS)
def test_plain_text_invariants(text):
    _check(text, "text")


@SETTINGS
@given(DOCS)
def test_markdown_invariants(text):
    _check(text, "markdown")


@SETTINGS
@given(st.text(max_size=300))
def test_sentences_cover_all_non_space(text):
    spans = sentence_spans(text)
    covered = [False] * len(text)
    last = 0
    for s, e in spans:
        assert last <= s < e
        assert not text[s].isspace() and not text[e - 1].isspace()
        for i in range(s, e):
            covered[i] = True
        last = e
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))
