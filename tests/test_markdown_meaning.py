"""Markdown read as a reader sees it: displayed text, list items as units, link
definitions and comments kept out of prose, titles, visible word counts, deep
nesting and hostile sizes (excerpts of real docs in tests/fixtures/markdown)."""

from __future__ import annotations

import doctest
import os
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osce_brief import inline
from osce_brief.hedges import analyze
from osce_brief.keywords import keywords
from osce_brief.loaders import markdown as md_loader
from osce_brief.loaders import parse
from osce_brief.outline import outline
from osce_brief.search import compile_query, search_document
from osce_brief.summarize import summarize

from .conftest import jsonl

FIX = Path(__file__).parent / "fixtures" / "markdown"
# What a reader never sees: backticks, link syntax, escapes, tags, entity references, emphasis markers.
RAW = re.compile(r"`|\]\(|\]\[|\\[_*`\[\]]|</?(?:a|code|td|tr|b|i|em)\b|&(?:amp|lt|gt|quot|#\d+);|\*\*|(?<!\w)_\w+_(?!\w)")


def load_fixture(name: str):
    path = FIX / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def shown_of(p) -> str:
    return p.shown if p.shown is not None else p.text


# ---------------------------------------------------------------- 1. displayed text
def test_search_shows_rendered_text_with_exact_json_offsets(invoke):
    path = FIX / "fs-excerpt.md"
    src = path.read_text(encoding="utf-8")
    r = invoke("search", "writeFile", str(path), "--json")
    assert r.exit_code == 0
    objs = [o for o in jsonl(r.stdout) if o["type"] == "passage"]
    assert objs
    for o in objs:
        assert src[o["start"] : o["end"]] == o["text"]
        shown = o.get("shown", o["text"])
        assert not RAW.search(shown), shown
        for s, e in o["hits"]:
            assert src[s:e].lower() == "writefile"
    alias = [o for o in objs if o["text"].startswith("Alias of")]
    assert alias and alias[0]["shown"] == "Alias of filehandle.writeFile()."


def test_search_highlight_lands_on_displayed_word():
    doc = load_fixture("fs-excerpt.md")
    res = search_document(doc, compile_query(["writeFile"]))
    assert res.passages
    for p in res.passages:
        text = shown_of(p)
        hits = p.shown_hits if p.shown is not None else [(s - p.start, e - p.start) for s, e in p.hits]
        assert hits
        for a, b in hits:
            assert text[a:b].lower() == "writefile", (text, a, b)


def test_plain_search_output_is_rendered(invoke):
    r = invoke("search", "rbenv", str(FIX / "pyenv-readme-excerpt.md"))
    assert r.exit_code == 0
    assert "This project was forked from rbenv and ruby-build, and modified for Python." in r.stdout
    assert "](" not in r.stdout and "https://github.com/rbenv" not in r.stdout


def test_hits_inside_link_targets_and_tags_do_not_count(invoke):
    text = "# T\n\nSee [the guide](https://example.org/secretword) and <a href=\"x\">docs</a>.\n"
    doc = parse(text, "x.md")
    assert not search_document(doc, compile_query(["secretword"])).passages
    assert not search_document(doc, compile_query(["href"])).passages
    assert search_document(doc, compile_query(["guide"])).passages


def test_entities_escapes_emphasis_and_html_are_rendered():
    text = "# T\n\nAT&amp;T says \\_not\\_ *very* **bold** ~~old~~ <b>tags</b> &copy; here.\n"
    doc = parse(text, "x.md")
    (sent,) = [s for _, s in doc.sentences()]
    assert sent.text == text[text.index("AT") : text.rindex(".") + 1]
    assert sent.shown == "AT&T says _not_ very bold old tags \u00a9 here."


def test_reference_links_resolve_with_the_whole_document():
    doc = load_fixture("fs-excerpt.md")
    shown = [s.shown for _, s in doc.sentences()]
    assert "Therefore, this is equivalent to filehandle.writeFile()." in shown
    assert any(s.startswith("Changes the permissions of the file. See chcp") or s == "See chcp and the inode docs." for s in shown)
    assert "INODE" in doc.markup.references  # labels are normalised as markdown-it does


def test_sentences_split_on_displayed_text():
    text = (
        "# T\n\nUse a helper, e.g. `os.path.join()`, to build paths. Call `a. B` then go.\n\n"
        'Read [the guide](https://x.org/a "Guide. Version 2") first. **Bold ends.** Next one.\n'
    )
    doc = parse(text, "x.md")
    sents = [s for _, s in doc.sentences()]
    assert [s.shown for s in sents] == [
        "Use a helper, e.g. os.path.join(), to build paths.",
        "Call a. B then go.",
        "Read the guide first.",  # no break at the link title's "Guide. Version"
        "Bold ends.",
        "Next one.",
    ]
    assert sents[3].text == "**Bold ends.**"  # the markup around it belongs to it
    assert sents[2].text == 'Read [the guide](https://x.org/a "Guide. Version 2") first.'
    for s in sents:
        assert text[s.start : s.end] == s.text
    for a, b in zip(sents, sents[1:]):
        assert a.end <= b.start


def test_keywords_come_from_displayed_text():
    doc = load_fixture("releases-excerpt.md")
    phrases = [k.phrase.lower() for k in keywords(doc, n=10)]
    assert phrases
    for p in phrases:
        assert not re.search(r"https?|href|github\.com|www\.|/pull/|\]\(|`", p), p


def test_hedges_read_displayed_text():
    text = "# T\n\nThe [cache](https://x.org/might) is rebuilt. It `may` fail, and it might be slow.\n"
    doc = parse(text, "x.md")
    rep = analyze(doc)
    hedged = [s for s in rep.sentences if s.hedged]
    assert [s.shown or s.text for s in hedged] == ["It may fail, and it might be slow."]
    for s in rep.sentences:
        assert text[s.start : s.end] == s.text
        for a, b in s.cues:
            assert text[a:b] in ("may", "might")  # cues point at the source words, not into the URL
    assert not rep.sentences[0].hedged  # "might" in the URL is not a cue


# ---------------------------------------------------------------- 2. list items
def test_list_items_are_search_units():
    doc = load_fixture("releases-excerpt.md")
    res = search_document(doc, compile_query(["Promote"]), unit="paragraph")
    assert len(res.passages) == 7  # one per item, not one list blob
    for p in res.passages:
        assert "\n" not in p.text and shown_of(p).startswith("Promote ")
        assert "](" not in shown_of(p)


def test_list_only_document_gets_summary_and_keywords(invoke):
    doc = load_fixture("pyenv-changelog-excerpt.md")
    s = summarize(doc, n=3)
    assert len(s.sentences) == 3
    for x in s.sentences:
        assert doc.source[x.start : x.end] == x.text
    assert keywords(doc, n=5)
    r = invoke("summary", str(FIX / "pyenv-changelog-excerpt.md"))
    assert r.exit_code == 0 and "nothing to summarize" not in r.stdout


def test_nested_items_are_parts_of_their_own():
    text = "# T\n\n## Items\n\n- Top item one.\n  - Nested item two.\n  - Nested three.\n- Top four.\n"
    doc = parse(text, "x.md")
    (lst,) = doc.sections[0].paragraphs
    assert lst.kind == "list"
    assert [q.text for q in lst.parts] == ["Top item one.", "Nested item two.", "Nested three.", "Top four."]
    assert [s.text for s in lst.sentences] == ["Top item one.", "Nested item two.", "Nested three.", "Top four."]


def test_no_passage_longer_than_a_screenful():
    long_code = "```\n" + "".join(f"value_{i} = compute({i})  # step\n" for i in range(400)) + "```\n"
    rows = "| a | b |\n|---|---|\n" + "".join(f"| step {i} | value {i} |\n" for i in range(400))
    text = "# T\n\n" + long_code + "\n" + rows
    doc = parse(text, "x.md")
    for unit in ("sentence", "paragraph"):
        res = search_document(doc, compile_query(["step"]), unit=unit)
        assert res.passages
        assert max(p.end - p.start for p in res.passages) <= 2500
    row = search_document(doc, compile_query(["value 7"]), unit="sentence").passages[0]
    assert row.shown == "step 7 | value 7"


def test_code_fence_markers_are_not_passages():
    text = "# T\n\n```python\nprint('x')\n```\n"
    doc = parse(text, "x.md")
    assert not search_document(doc, compile_query(["python"])).passages
    (p,) = search_document(doc, compile_query(["print"])).passages
    assert p.text == "print('x')"


# ---------------------------------------------------------------- 3. link definitions and comments
def test_link_definitions_and_comments_are_kept_but_never_prose(invoke):
    doc = load_fixture("fs-excerpt.md")
    kinds = [p.kind for _, p in doc.paragraphs()]
    assert "refs" in kinds and "comment" in kinds
    for word in ("tc39", "introduced_in", "source_link", "filehandlewritefiledata"):
        assert not search_document(doc, compile_query([word])).passages, word
    for _, s in doc.sentences():
        assert "<!--" not in s.text and "]: " not in s.text
    phrases = " ".join(k.phrase.lower() for k in keywords(doc, n=20))
    assert "tc39" not in phrases and "yaml" not in phrases
    r = invoke("search", "ss64", str(FIX / "fs-excerpt.md"))
    assert r.exit_code == 1
    # nothing lost: `show --json` still holds them
    r = invoke("show", "all", "--json", str(FIX / "fs-excerpt.md"))
    assert "[chcp]: https://ss64.com/nt/chcp.html" in "".join(s["text"] for s in json.loads(r.stdout)["sections"])


# ---------------------------------------------------------------- 4. titles
def test_pandoc_title_block():
    doc = load_fixture("releases-excerpt.md")
    assert doc.title == "Rust Release Notes"
    assert doc.sections[0].title == "Version 1.95 (2026-04-16)"
    doc = parse("% A Manual\n% Ann Author\n% 2024-05-01\n\n# Start\n\nText here.\n", "m.md")
    assert (doc.title, doc.author, doc.meta.get("date")) == ("A Manual", "Ann Author", "2024-05-01")
    assert [s.title for s in doc.sections] == ["Start"]


def test_html_h1_is_title_and_badges_are_not():
    text = (
        '<h1 align="center">\n  <img src="logo.svg" alt="Logo" width="80"><br>\n  Widgetizer\n</h1>\n\n'
        '<p align="center"><a href="https://ci.example/x"><img src="https://ci.example/badge.svg" alt="CI status"></a></p>\n\n'
        "Widgetizer makes widgets.\n\n## Install\n\nRun the installer.\n"
    )
    doc = parse(text, "README.md")
    assert doc.title == "Widgetizer"
    assert [s.title for s in doc.sections] == ["Install"]
    badge_h1 = "# [![Build Status](https://ci.example/badge.svg)](https://ci.example)\n\nText.\n\n## Usage\n\nMore.\n"
    assert parse(badge_h1, "README.md").title is None


def test_badges_before_the_heading_do_not_hide_the_title():
    doc = load_fixture("pyenv-readme-excerpt.md")
    assert doc.title == "Simple Python Version Management: pyenv"
    # the badge line is not prose
    for _, s in doc.sentences():
        assert "Join the chat" not in s.shown
    text = "[![CI](https://ci/b.svg)](https://ci) [![Docs](https://d/b.svg)](https://d)\n\n# Toolname\n\nIt works.\n"
    assert parse(text, "README.md").title == "Toolname"


# ---------------------------------------------------------------- 5. visible word counts
def test_outline_counts_visible_words():
    text = (
        "# T\n\n## Links\n\nSee [the guide](https://example.org/a/very/long/path?with=query&and=more) "
        "and [more](https://example.org/x \"A title with words\") <span class=\"x y z\">here</span>.\n\n"
        "[unused]: https://example.org/never/shown\n\n<!-- a comment with many words in it -->\n"
    )
    o = outline(parse(text, "x.md"))
    (links,) = [e for e in o.entries if e.title == "Links"]
    assert links.words == 6  # See the guide and more here.


# ---------------------------------------------------------------- 6. deep nesting (#13.2)
@pytest.mark.parametrize("depth", [12, 60, 400])
def test_deep_list_loses_nothing(invoke, tmp_path, depth):
    text = "# First\n\n" + "".join("  " * i + f"- level {i}\n" for i in range(depth)) + "\n# Second\n\nThe text after the list stays.\n"
    path = tmp_path / "deep.md"
    path.write_text(text)
    doc = parse(text, str(path))
    assert [s.title for s in doc.sections] == ["First", "Second"]
    shown = " ".join(s.shown for _, s in doc.sentences())
    assert f"level {depth - 1}" in shown and "The text after the list stays." in shown
    r = invoke("outline", "--json", str(path))
    assert [s["title"] for s in json.loads(r.stdout)["sections"]] == ["First", "Second"]
    r = invoke("show", "all", "--json", str(path))
    assert "".join(s["text"] for s in json.loads(r.stdout)["sections"]).count("level") == depth
    r = invoke("summary", "--json", str(path), "-n", "50")
    assert "The text after the list stays." in r.stdout


def test_deep_quotes_lose_nothing():
    text = "# A\n\n" + ">" * 3000 + " deep quote\n\n# B\n\nAfter.\n"
    doc = parse(text, "q.md")
    assert [s.title for s in doc.sections] == ["A", "B"]
    assert "deep quote" in " ".join(s.shown for _, s in doc.sentences())


# ---------------------------------------------------------------- 7. hostile sizes (#13.6, loader side)
def test_bracket_flood_outline_is_fast(invoke, tmp_path):
    path = tmp_path / "b.md"
    path.write_text("# T\n\n" + "[" * 1_000_000 + "\n\n# U\n\nEnd.\n")
    t = time.perf_counter()
    r = invoke("outline", str(path))
    assert r.exit_code == 0 and time.perf_counter() - t < 5
    t = time.perf_counter()
    doc = parse("[" * 300_000 + "]" + " text. " * 10, "b.md")
    assert sum(1 for _ in doc.sentences()) >= 1
    assert time.perf_counter() - t < 5


def test_unclosed_front_matter_is_fast_and_is_text():
    text = "---\n" + "key: value\n" * 200_000
    t = time.perf_counter()
    doc = parse(text, "f.md")
    assert time.perf_counter() - t < 5
    assert doc.title is None and doc.words > 0


def test_huge_documents_read_past_the_budget_by_the_scanner(monkeypatch):
    monkeypatch.setattr(md_loader, "PREFIX_CHARS", 2_000)
    parts = []
    for i in range(40):
        parts.append(f"## Part {i}\n\nSome prose for part {i}. It has [a link](https://x.org/{i}).\n\n"
                     f"- item one of {i}\n- item two of {i}\n\n```\ncode {i}\n# not a heading {i}\n```\n\n"
                     f"| a | b |\n|---|---|\n| {i} | x |\n\n[ref{i}]: https://x.org/r{i}\n\n<!-- note {i} -->\n")
    text = "# Big\n\n" + "".join(parts)
    doc = parse(text, "big.md")
    assert [s.title for s in doc.sections] == [f"Part {i}" for i in range(40)]
    last = doc.sections[-1]
    assert [p.kind for p in last.paragraphs] == ["text", "list", "code", "table", "refs", "comment"]
    assert [q.text for q in last.paragraphs[1].parts] == ["item one of 39", "item two of 39"]
    sents = [s.shown for s in last.sentences]
    assert "It has a link." in sents and "item two of 39" in sents
    assert "REF39" in doc.markup.references


def test_big_table_is_one_block_without_cell_tokens():
    rows = 20_000
    text = "| a | b |\n|---|---|\n" + "| 1 | two |\n" * rows + "\nAfter the table.\n"
    t = time.perf_counter()
    doc = parse(text, "t.md")
    assert time.perf_counter() - t < 5
    kinds = [p.kind for _, p in doc.paragraphs()]
    assert kinds == ["table", "text"]


# ---------------------------------------------------------------- the map from displayed text to the source
def test_shown_doctests():
    from osce_brief.loaders import mdinline

    assert doctest.testmod(inline).failed == 0
    assert doctest.testmod(md_loader).failed == 0
    assert doctest.testmod(mdinline).failed == 0


def test_site_generator_templates_are_not_shown():
    text = (
        '# T\n\nWhen focusing on [customer experience]({{< ref "/topics/cx" >}}), we listen. '
        'See [a post]({{ "/2014/12/23/hub/" | url }}) first. {{< figure src="x.png" >}} Done.\n'
    )
    doc = parse(text, "post.md")
    shown = [s.shown for _, s in doc.sentences()]
    assert shown == ["When focusing on customer experience, we listen.", "See a post first.", "Done."]
    only = parse('# T\n\n{{image "fig1.svg" 700}}\n{{image "fig2.svg" 700}}\n\nProse here.\n', "p.md")
    assert [s.shown for _, s in only.sentences()] == ["Prose here."]
    for _, s in doc.sentences():
        assert text[s.start : s.end] == s.text


INLINE = st.lists(
    st.sampled_from([
        "word", " ", "\n", "`code`", "``a ` b``", "*em*", "**strong**", "_u_", "snake_case", "[link](https://x.org/p)",
        "[ref][r]", "[r]", "![alt](i.png)", "<https://auto.link/x>", "<b>", "</b>", "&amp;", "&#x202E;", "&bogus;",
        "\\_", "\\*", "~~s~~", ". ", "e.g. ", "? ", "[", "]", "(", ")", "<", "*", "  \n", "\\\n", "caf\u00e9",
    ]),
    max_size=25,
).map("".join)


@settings(max_examples=int(os.environ.get("BRIEF_PROP_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(INLINE, st.sampled_from(["", "- ", "> ", "1. ", "   "]))
def test_displayed_text_maps_back_to_exact_source_offsets(body, prefix):
    text = "# T\n\n" + prefix + body.replace("\n", "\n" + prefix) + "\n\n[r]: https://x.org/r\n"
    doc = parse(text, "p.md")
    for _, p in doc.paragraphs():
        assert text[p.start : p.end] == p.text
        for q in p.parts:
            assert text[q.start : q.end] == q.text
            v = q.shown
            if v is None:
                continue
            last = -1
            for i, ch in enumerate(v.text):
                s, e = v.source_span(i, i + 1)
                assert q.start <= s < e <= q.end
                assert s >= last  # in source order
                last = s
                if e - s == 1 and ch != " ":
                    assert text[s] == ch or ch == "\ufffd" or (text[s] == "\n")
            for sent in q.sentences:
                assert text[sent.start : sent.end] == sent.text
                assert q.start <= sent.start < sent.end <= q.end
                if sent.view is not None:
                    a, b = sent.view.source_start, sent.view.source_end
                    assert sent.start <= a < b <= sent.end
    # search hits land on displayed characters that come from the hit's source
    res = search_document(doc, compile_query(["word"]))
    for p in res.passages:
        assert text[p.start : p.end] == p.text
        if p.shown is not None:
            for a, b in p.shown_hits:
                assert "word" in p.shown[a:b].lower()  # a word form, or touching hits merged


def test_fast_entry_prints_displayed_text(monkeypatch, capsys):
    from osce_brief import entry

    monkeypatch.setattr("sys.argv", ["brief", "search", "rbenv", str(FIX / "pyenv-readme-excerpt.md")])
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    with pytest.raises(SystemExit) as ex:
        entry.main()
    out = capsys.readouterr().out
    assert ex.value.code == 0
    assert "  This project was forked from rbenv and ruby-build, and modified for Python.\n" in out


def test_summary_json_has_shown_only_when_it_differs(invoke, tmp_path):
    path = tmp_path / "s.md"
    text = "# T\n\n## A\n\nThe `fs` module reads [files](https://x.org/fs) quickly. Plain words stay plain here.\n"
    path.write_text(text)
    r = invoke("summary", "--json", "-n", "2", str(path))
    assert r.exit_code == 0
    sents = json.loads(r.stdout)["sentences"]
    assert [s.get("shown") for s in sents] == ["The fs module reads files quickly.", None]
    for s in sents:
        assert text[s["start"] : s["end"]] == s["text"]
