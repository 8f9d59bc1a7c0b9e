"""Plain-text technical documents read right (issue 12, items 3 and 5).

Excerpts of real documents (tests/fixtures/text, see its README): man pages,
licences, a manual, a FAQ, NEWS files and READMEs. The checks are about their
structure: headings and levels, what is no heading, paragraph kinds, and how
``show`` and ``search`` display them; plus sentence splitting and word forms.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from osce_brief.search.files import search as search_files
from osce_brief.search.query import is_identifier
from osce_brief.loaders import load, parse
from osce_brief.render import flow, flow_spans, pieces
from osce_brief.segment import LIST_ITEM, looks_like_code, sentence_spans
from osce_brief.textnorm import fold

from .conftest import jsonl

FIX = Path(__file__).parent / "fixtures" / "text"


def outline(name: str) -> list[tuple[int, str]]:
    return [(s.level, s.title) for s in load(str(FIX / name)).sections]


def section(doc, title: str):
    (s,) = [s for s in doc.sections if s.title == title]
    return s


def _check_tiling(doc) -> None:
    parts = list(doc.all_sections())
    assert parts[0].start == 0 and parts[-1].end == len(doc.source)
    for a, b in zip(parts, parts[1:]):
        assert a.end == b.start
    for s in parts:
        for p in s.paragraphs:
            assert doc.source[p.start : p.end] == p.text


@pytest.mark.parametrize("name", sorted(p.name for p in FIX.glob("*.txt")))
def test_fixtures_tile_their_source(name):
    _check_tiling(load(str(FIX / name)))


# ---------------------------------------------------------------- man pages
def test_man_page_headings_header_and_footer():
    doc = load(str(FIX / "man-grep.txt"))
    assert doc.title == "GREP(1)" and doc.subtitle == "User Commands"
    assert [(s.level, s.title) for s in doc.sections] == [
        (1, "NAME"), (1, "SYNOPSIS"), (1, "DESCRIPTION"), (1, "OPTIONS"),
        (2, "Generic Program Information"), (2, "Pattern Syntax"),
    ]
    assert doc.sections[4].parent == 4
    # NAME holds its line, not glued to the heading
    assert [p.text for p in doc.sections[0].paragraphs] == ["grep, egrep, fgrep, rgrep - print lines that match patterns"]
    # the footer is back matter, not body text; its date is the page's
    assert doc.back is not None and "GNU grep 3.8" in doc.back.paragraphs[0].text
    assert doc.meta.get("date") == "2019-12-29"
    assert all("GREP(1)" not in p.text for s in doc.sections for p in s.paragraphs)
    # the synopsis lines were set one by one: code, shown as lines
    (syn,) = doc.sections[1].paragraphs
    assert syn.kind == "code"


def test_man_page_show_separates_heading_and_body(invoke):
    r = invoke("show", "1-2", str(FIX / "man-grep.txt"))
    assert r.exit_code == 0
    assert "NAME grep" not in r.stdout
    lines = r.stdout.splitlines()
    assert "grep, egrep, fgrep, rgrep - print lines that match patterns" in lines
    assert "    grep [OPTION...] PATTERNS [FILE...]" in lines
    assert "    grep [OPTION...] -e PATTERNS ... [FILE...]" in lines


def test_man_page_tags_hang_over_their_text(invoke):
    r = invoke("show", "Pattern Syntax", str(FIX / "man-grep.txt"))
    assert r.exit_code == 0
    out = r.stdout
    assert "-E, --extended-regexp\n    Interpret PATTERNS as extended regular expressions" in out
    body = out.split("\n", 1)[1]
    assert "  " not in body.replace("\n    ", "\n")  # justified double spaces are gone


def test_man_page_examples_and_lead_ins_are_no_headings():
    doc = load(str(FIX / "man-bash.txt"))
    titles = [s.title for s in doc.sections]
    assert titles == ["NAME", "SYNOPSIS", "COPYRIGHT", "DESCRIPTION", "READLINE", "Readline Notation",
                      "Readline Initialization"]
    init = section(doc, "Readline Initialization")
    kinds = {p.text.strip(): p.kind for p in init.paragraphs}
    assert kinds["For example, placing"] == "text"
    assert kinds["M-Control-u: universal-argument"] == "code"
    tar = load(str(FIX / "man-tar.txt"))
    assert [s.title for s in tar.sections] == ["NAME", "OPTIONS", "Operation modifiers"]
    (ex,) = [p for p in tar.sections[2].paragraphs if p.text.startswith("OLDGRP NEWGRP")]
    assert ex.kind == "code"


def test_groff_hyphenation_is_joined_for_display_and_search(invoke):
    path = str(FIX / "man-bash.txt")
    doc = load(path)
    desc = section(doc, "DESCRIPTION").paragraphs[0]
    assert "incor\u2010\n       porates" in desc.text  # the source is untouched
    assert "Bash also incorporates useful features" in flow(desc.text)
    assert "  " not in flow(desc.text)
    r = invoke("search", "--json", "incorporates", path)
    assert r.exit_code == 0
    (hit,) = [p for p in jsonl(r.stdout) if p.get("type") == "passage"]
    s, e = hit["hits"][0]
    assert doc.source[s:e] == "incor\u2010\n       porates"
    assert doc.source[hit["start"] : hit["end"]] == hit["text"]
    r = invoke("search", "incorporates", path)
    assert "incorporates useful" in r.stdout


def test_fold_joins_a_hyphenated_word_and_maps_back():
    src = "Bash also incor\u2010\n       porates caf\u00e9s \u00df."
    f = fold(src)
    assert f.text == "Bash also incorporates cafes ss."
    i = f.text.index("incorporates")
    a, b = f.to_source(i, i + len("incorporates"))
    assert src[a:b] == "incor\u2010\n       porates"
    i = f.text.index("ss")
    assert src[slice(*f.to_source(i, i + 2))] == "\u00df"
    # a hyphen between a letter and a digit, or an ASCII one, stays
    assert fold("data\u2010\n  2").text == "data\u2010\n  2"


def test_flow_and_its_spans():
    assert flow("a system-\n   wide  list") == "a system-wide list"
    text = "Bash also incor\u2010\n       porates  useful"
    out, spans = flow_spans(text, [(10, 31)])
    assert out == "Bash also incorporates useful" and out[spans[0][0] : spans[0][1]] == "incorporates"


# ---------------------------------------------------------------- licences
def test_gpl_numbered_clauses_under_their_part():
    doc = load(str(FIX / "gpl-3.txt"))
    assert doc.title == "GNU GENERAL PUBLIC LICENSE" and doc.subtitle == "Version 3, 29 June 2007"
    assert [(s.level, s.title) for s in doc.sections] == [
        (1, "Preamble"), (1, "TERMS AND CONDITIONS"), (2, "0. Definitions."), (2, "1. Source Code."),
        (2, "2. Basic Permissions."), (1, "How to Apply These Terms to Your New Programs"),
    ]


def test_mpl_underlines_are_headings_never_subtitles():
    doc = load(str(FIX / "mpl-2.0.txt"))
    assert doc.title == "Mozilla Public License Version 2.0" and doc.subtitle is None
    assert [(s.level, s.title) for s in doc.sections] == [
        (1, "1. Definitions"), (1, "2. License Grants and Conditions"), (2, "2.1. Grants"),
        (1, "Exhibit A - Source Code Form License Notice"),
    ]


def test_apache_run_in_clauses_and_no_false_headings():
    doc = load(str(FIX / "apache-2.0.txt"))
    assert doc.title == "Apache License"
    got = [(s.level, s.title) for s in doc.sections]
    assert got == [
        (1, "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"), (2, "1. Definitions."),
        (2, "2. Grant of Copyright License."), (2, "3. Grant of Patent License."), (2, "4. Redistribution."),
        (1, "APPENDIX: How to apply the Apache License to your work."),
    ]
    grant = section(doc, "2. Grant of Copyright License.")
    assert grant.paragraphs[0].text.startswith("Subject to the terms")
    _check_tiling(doc)


# ---------------------------------------------------------------- manuals, FAQs, NEWS, READMEs
def test_roman_and_lettered_headings_nest():
    doc = load(str(FIX / "libpng-manual.txt"))
    got = [(s.level, s.title) for s in doc.sections]
    assert got == [
        (1, "TABLE OF CONTENTS"), (1, "I. Introduction"), (1, "II. Structures"), (2, "Types"),
        (2, "Configuration"), (3, "A. Changing pnglibconf.h"), (3, "B. Configuration using DFA_XTRA"),
        (3, "C. Configuration using PNG_USER_CONFIG"), (1, "III. Reading"), (2, "Setting up callback code"),
    ]
    cb = section(doc, "Setting up callback code")
    texts = [p.text for p in cb.paragraphs]
    assert "To inform libpng about your function, use" in texts  # a lead-in, no heading
    assert cb.paragraphs[-2].kind == "code"


def test_multi_level_numbers_and_multi_line_titles():
    doc = load(str(FIX / "sedfaq.txt"))
    got = [(s.level, s.title) for s in doc.sections]
    assert got[:7] == [
        (1, "1. GENERAL INFORMATION"), (2, "1.1. Introduction - How this FAQ is organized"),
        (2, "1.2. Latest version of the sed FAQ"), (2, "1.3. FAQ revision information"),
        (1, "2. BASIC SED"), (2, "2.1. What is sed?"),
        (2, "4.21. How do I delete or change a block of text if the block contains a certain regular expression?"),
    ]
    assert (3, "4.30.1. - on Unix platforms") in got
    assert (2, "5.10. Why can't I match or delete a newline using the \\n escape sequence? "
               "Why can't I match 2 or more lines using \\n?") in got
    latest = section(doc, "1.2. Latest version of the sed FAQ")
    assert [p.kind for p in latest.paragraphs] == ["text", "code", "text", "code"]


def test_heading_over_a_lettered_list(invoke):
    doc = load(str(FIX / "bash-news.txt"))
    assert [s.title for s in doc.sections] == ["1. New Features in Bash", "2. New Features in Readline",
                                               "1. New Features in Bash"]
    first = doc.sections[0]
    assert all(p.kind == "list" for p in first.paragraphs)
    assert any(p.text.startswith("aa. ") for p in first.paragraphs)
    r = invoke("show", "1", str(FIX / "bash-news.txt"))
    assert "\nc. Rewrote the command substitution parsing code to call the parser recursively and rebuild" in r.stdout
    # the rule over the next release's paragraph is a paragraph of its own
    readline = doc.sections[1]
    assert [p.kind for p in readline.paragraphs][-2:] == ["rule", "text"]


def test_multi_line_heading_blocks_and_short_underlines():
    assert outline("idle-news.txt") == [
        (1, "What's New in IDLE 3.11.z (since 3.11.0) Released after 2022-10-24"),
        (1, "What's New in IDLE 3.11.0 (since 3.10.0) Released on 2022-10-24"),
        (1, "What's New in IDLE 3.5.0?"),
    ]
    assert outline("dbus-readme.txt") == [
        (1, "Introduction"), (1, "Security"), (1, "API/ABI Policy"), (2, "NOTE ABOUT DEVELOPMENT SNAPSHOTS AND VERSIONING"),
    ]


def test_outline_mode_news():
    doc = load(str(FIX / "grep-news.txt"))
    assert doc.title == "GNU grep NEWS"  # (no Emacs mode line)
    assert [(s.level, s.title) for s in doc.sections] == [
        (1, "Noteworthy changes in release 3.8 (2022-09-02) [stable]"), (2, "Changes in behavior"), (2, "Bug fixes"),
        (1, "Noteworthy changes in release 3.7 (2021-08-14) [stable]"), (2, "Changes in behavior"), (2, "Bug fixes"),
    ]
    # one-line "**" items are the items of their release, not sections
    doc = load(str(FIX / "wget-news.txt"))
    assert [s.title for s in doc.sections] == ["Noteworthy changes in release 1.21.3 (2022-02-26)",
                                               "Noteworthy changes in release 1.21.2 (2021-09-07)"]
    assert all(p.kind == "list" for p in doc.sections[0].paragraphs)
    # without outline mode, "* " opens a list item, never a heading
    doc = parse("Notes\n\n* first point of the list\n\nSome body text that is long enough to be a paragraph.\n", "n.txt")
    assert [s.title for s in doc.sections] == []


def test_a_title_is_never_half_a_sentence():
    doc = load(str(FIX / "coreutils-readme.txt"))
    assert doc.title is None
    assert [s.title for s in doc.sections] == ["Pre-C99 build failure", "HPUX 11.x build failure"]
    hpux = section(doc, "HPUX 11.x build failure")
    assert hpux.paragraphs[-1].kind == "text"  # (a diff at column 0 is not taken for code)


def test_front_and_back_matter_words_nest_as_siblings():
    for words in (("Preface", "Introduction", "Installing", "Appendix A: Options"),
                  ("PREFACE", "INTRODUCTION", "INSTALLING", "APPENDIX A: OPTIONS")):
        text = "A Manual\n\n" + "".join(
            f"{w}\n\nWhat this part says, in a sentence of body text that is long enough.\n\n" for w in words)
        doc = parse(text, "m.txt")
        assert [(s.level, s.title) for s in doc.sections] == [(1, w) for w in words]
    book = (
        "PREFACE\n\nA preface to the book, written as a full sentence of prose.\n\n"
        + "".join(f"CHAPTER {n}\n\nThe text of chapter {n}, in a sentence of prose.\n\n" for n in ("I", "II", "III"))
        + "APPENDIX\n\nThe appendix of the book, written as prose too.\n"
    )
    doc = parse(book, "b.txt")
    assert [(s.level, s.title) for s in doc.sections] == [
        (1, "PREFACE"), (1, "CHAPTER I"), (1, "CHAPTER II"), (1, "CHAPTER III"), (1, "APPENDIX")]


def test_no_copyright_or_table_row_headings():
    text = (
        "Title Here\n\nSome body text that is long enough to count as a paragraph here.\n\n"
        "Copyright [yyyy] [name of copyright owner]\n\n"
        "Licensed under the License; you may not use this file except in compliance.\n\n"
        "Description      Description of image (possibly long)\n\n"
        "A paragraph after the table row, long enough to be body text of a section.\n"
    )
    doc = parse(text, "c.txt")
    assert [s.title for s in doc.sections] == []


# ---------------------------------------------------------------- list items and code
def test_list_items_show_one_per_line():
    text = "Things\n\n- first item that wraps\n  onto a second line\n- second item\n  - a nested one\n"
    doc = parse(text, "l.txt")
    (p,) = [p for _, p in doc.paragraphs() if p.kind == "list"]
    assert pieces(doc.source, p) == [
        (0, "- first item that wraps onto a second line", True), (0, "- second item", True),
        (2, "- a nested one", True)]


def test_indented_code_stays_verbatim():
    text = (
        "Usage\n\nCall the function as shown here, with its two arguments:\n\n"
        "    result = compute(a, b);\n      if (result) {\n        report(result);\n      }\n\n"
        "Then read the result in the next step, which is prose again.\n"
    )
    doc = parse(text, "c.txt")
    (code,) = [p for _, p in doc.paragraphs() if p.kind == "code"]
    assert pieces(doc.source, code) == [(4, "result = compute(a, b);\n  if (result) {\n    report(result);\n  }", False)]
    assert code.sentences == ()
    assert looks_like_code("    x = f(a, b);\n    return x;")
    assert not looks_like_code("    An indented paragraph of prose. It says so.")


# ---------------------------------------------------------------- sentences and word forms
@pytest.mark.parametrize(
    "text, n",
    [
        ("Use the `.' character to match one. Then go on.", 2),
        ("Quote it as '.' in the pattern. Then go on.", 2),
        ("The exit status is in $? after each command. Read it then.", 2),
        ("The period . matches any character. The star repeats it.", 2),
        ("Copyright (C) 2007 Free Software Foundation. Everyone may copy it.", 2),
        ("He said 'yes'. Then he left.", 2),
        ("u.s. officials said so . then left .", 2),  # lowercased, tokenized corpora keep their splits
    ],
)
def test_sentence_splitting(text, n):
    assert len(sentence_spans(text)) == n, [text[a:b] for a, b in sentence_spans(text)]


def test_list_markers():
    assert LIST_ITEM.match("aa. The new option")
    assert LIST_ITEM.match("iv) the fourth")
    assert not LIST_ITEM.match("(C) 2007 Free Software Foundation")
    assert not LIST_ITEM.match("(c) Copyright 2020 Someone")


def test_identifiers_are_not_stemmed(tmp_path):
    p = tmp_path / "py.txt"
    p.write_text("PyPy is a fast Python. Upload the wheel to PyPI today.\n\nNegotiations went on.\n")
    for term, want in (("PyPy", ["PyPy is a fast Python."]), ("PyPI", ["Upload the wheel to PyPI today."]),
                       ("pypy", ["PyPy is a fast Python."])):
        r = search_files([term], [str(p)])
        assert [x.text for x in r.passages] == want, term
    assert [x.text for x in search_files(["negotiate"], [str(p)]).passages] == ["Negotiations went on."]
    assert is_identifier("PyPI") and is_identifier("iPhone") and not is_identifier("NASA")
    assert not is_identifier("Negotiations")


# ---------------------------------------------------------------- properties
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.lists(
    st.sampled_from(["incor", "porates", "caf\u00e9", "\u00df", "word", "x", "2", " ", "  ", "\n", "\u2010\n    ",
                     "\u2010", "-\n  ", "\u2010 \n", "\ufb01", "."]),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(_PIECES)
def test_folded_spans_map_back_to_whole_source_characters(text):
    f = fold(text)
    for i in range(len(f.text)):
        for j in (i + 1, min(len(f.text), i + 4)):
            if j <= i:
                continue
            a, b = f.to_source(i, j)
            assert 0 <= a < b <= len(text)
            # what the source span folds to holds what was matched
            assert f.text[i:j] in fold(text[a:b]).text or "\u2010" in text[a:b]


@settings(max_examples=150, deadline=None)
@given(_PIECES, st.data())
def test_flow_spans_keep_order_and_bounds(text, data):
    n = len(text)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), min_size=2, max_size=6)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    out, moved = flow_spans(text, spans)
    assert out == flow(text)
    for (a, b), (c, d) in zip(spans, moved):
        assert 0 <= c <= d <= len(out)
