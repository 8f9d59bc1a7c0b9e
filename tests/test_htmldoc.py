"""HTML manuals and hostile nesting (issues 12.1, 12.6 and 13.2).

The pages in tests/fixtures/html (manual-texinfo, api-reference, docbook) were made
for these tests in the style of GNU Texinfo, an API reference (Node.js-like) and
DocBook XSL output; their text is invented. Deeply nested pages are built here.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osce_brief import load
from osce_brief.loaders import parse
from osce_brief.loaders import htmldoc
from osce_brief.loaders.html import document_kind, flatten_deep_lists, read_page
from osce_brief.loaders.htmldoc import convert, flatten_depth

from .conftest import jsonl

FIXTURES = Path(__file__).parent / "fixtures" / "html"
TEXINFO = FIXTURES / "manual-texinfo.html"
API = FIXTURES / "api-reference.html"
DOCBOOK = FIXTURES / "docbook.html"


def _exact(doc) -> None:
    for _, p in doc.paragraphs():
        assert doc.source[p.start : p.end] == p.text
    for _, s in doc.sentences():
        assert doc.source[s.start : s.end] == s.text


# ---------------------------------------------------------------- which reader
def test_manuals_are_documents_and_news_pages_articles():
    for page in (TEXINFO, API, DOCBOOK):
        assert document_kind(read_page(page.read_bytes())) == "document", page.name
    for page in ("story.html", "real-news.html", "real-de-blog.html"):
        assert document_kind(read_page((FIXTURES / page).read_bytes())) == "article", page


# ---------------------------------------------------------------- GNU-style manual
def test_texinfo_headings_found_and_navigation_dropped():
    doc = load(str(TEXINFO))
    assert doc.title == "tally Command Manual"
    assert [(s.level, s.title) for s in doc.sections] == [
        (1, "1 Introduction"), (2, "1.1 Description"), (2, "1.2 Options"), (1, "2 Counting"),
    ]
    # "Next: ... Previous: ... Up: ..." lines, menu tables and the table of contents are navigation
    for junk in ("Next:", "Previous:", "Up:", "Contents", "(dir)", "Table of Contents", "Top"):
        assert junk not in doc.source, junk
    # the option list (a definition list) is kept, term with its description
    assert "`-q, --quiet`" in doc.source and "Print the totals only." in doc.source
    assert "$ echo 'a b c' | tally" in doc.source  # the example, verbatim
    _exact(doc)


def test_no_date_from_code_or_prose_in_a_manual():
    assert "date" not in load(str(TEXINFO)).meta  # "2019-06-22" is in the prose only
    assert "date" not in load(str(API)).meta  # "2024-03-14T06:12" is in a code sample


def _article(body: str) -> str:
    return (
        '<!doctype html><html><head><title>Harbour news</title><meta property="og:type" content="article">'
        + "<script>var x = 1;</script>" * 8
        + "</head><body><article><h1>Harbour news</h1>" + body + "</article></body></html>"
    )


def test_article_date_never_from_a_code_sample(tmp_path):
    prose = "<p>The harbour master spoke to the crews at length about the new tide tables and the dredging plan.</p>" * 3
    page = tmp_path / "a.html"
    page.write_text(_article(prose + "<pre><code>last_run = '2019-06-22T03:37:33Z'</code></pre>" + prose), encoding="utf-8")
    assert document_kind(read_page(page.read_bytes())) == "article"
    assert "date" not in load(str(page)).meta
    page.write_text(_article("<p>Published on 14 March 2024.</p>" + prose + "<pre><code>2019-06-22</code></pre>"), encoding="utf-8")
    assert load(str(page)).meta.get("date") == "2024-03-14"


def test_article_headings_lose_their_permalinks(tmp_path):
    prose = "<p>The harbour master spoke to the crews at length about the new tide tables and the dredging plan.</p>" * 3
    page = tmp_path / "a.html"
    page.write_text(_article(prose + '<h2>The dredging plan<a class="anchor" href="#plan">#</a></h2>' + prose), encoding="utf-8")
    doc = load(str(page))
    assert [s.title for s in doc.sections] == ["The dredging plan"]


# ---------------------------------------------------------------- API reference (Node-like)
def test_api_reference_nested_lists_and_permalinks():
    doc = load(str(API))
    assert doc.title == "Tide tables"
    assert [s.title for s in doc.sections] == ["tides.read(port[, options])"]
    src = doc.source
    assert "#" not in "".join(s.title for s in doc.sections)
    # the nested parameter lists are all there, nested
    assert re.search(r"^- `options` \\<Object>$", src, re.M)
    assert re.search(r"^  - `encoding` \\<string> \*\*Default:\*\* `'utf8'`$", src, re.M)
    assert re.search(r"^    - `reason` is passed on to the promise\.$", src, re.M)
    # the history table and both code flavours are kept; the sidebar and the page TOC are not
    assert "| v2.0.0 | The `signal` option is supported. |" in src
    assert "import { read } from 'tides';\nconst { read } = require('tides');" in src
    for junk in ("Boats", "Weather", "Skip to content", "Table of contents", "Harbour v2.0 documentation"):
        assert junk not in src, junk
    assert src.rstrip().endswith("The moon pulls the water twice a day.")
    _exact(doc)


def test_api_reference_show_and_json(invoke):
    r = invoke("show", "tides.read", str(API), "--no-pager")
    assert r.exit_code == 0, r.stderr
    for text in ("encoding", "reason", "Default:", "v2.0.0"):
        assert text in r.stdout
    r = invoke("show", "all", str(API), "--json")
    doc = load(str(API))
    for s in jsonl(r.stdout)[0]["sections"]:
        assert doc.source[s["start"] : s["end"]] == s["text"]


def test_docbook_title_page_and_navigation():
    doc = load(str(DOCBOOK))
    assert doc.title == "3. Knots: a rope handling guide"
    assert [(s.level, s.title) for s in doc.sections] == [(1, "3.1. The bowline"), (2, "3.1.1. Untying"), (1, "3.2. The clove hitch")]
    assert "For sailors and climbers" in doc.source and "Ingrid Solberg" in doc.source  # kept as text, not sections
    for junk in ("Prev", "Splices", "Table of Contents", "Rope Guide"):
        assert junk not in doc.source, junk
    _exact(doc)


def test_navigation_only_page_keeps_its_links():
    page = "<html><head><title>Index</title></head><body><h1>Index</h1><ul>" + "".join(
        f'<li><a href="#s{i}">Part number {i}</a></li>' for i in range(30)
    ) + "</ul></body></html>"
    md = convert(page).markdown
    assert "Part number 0" in md and "Part number 29" in md  # nothing but navigation: it stays


# ---------------------------------------------------------------- conversion details
def test_markdown_syntax_in_text_is_escaped():
    md = convert("<p>*not bold* [x](y) 1. <b>bold</b> &lt;tag&gt; a_b _c_</p><p>1. starts like a list</p><p># like a heading</p>").markdown
    doc = parse(md, "x.md", fmt="markdown")
    assert [p.text for _, p in doc.paragraphs()] == [
        r"\*not bold\* \[x\](y) 1. **bold** \<tag> a_b \_c\_",
        r"1\. starts like a list",
        r"\# like a heading",
    ]


def test_emphasis_only_where_markdown_reads_it():
    md = convert("<p>a<b>(x)</b>b and <b> spaced </b> and <i></i>empty</p>").markdown
    assert "**" not in md.split("and")[0]  # "a**(x)**b" would not be bold: the marks are dropped
    assert "**spaced**" in md and "empty" in md


def test_code_spans_with_backticks_and_tables_with_pipes():
    md = convert("<p><code>a`b</code> <code>`x</code></p><table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td><code>c|d</code></td></tr></table>").markdown
    assert "``a`b``" in md and "`` `x ``" in md
    assert "| a\\|b | `c\\|d` |" in md


# ---------------------------------------------------------------- deep nesting (issue 13.2)
def _nested_list_page(levels: int, head: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>Deep</title>{head}</head><body><article><h1>Deep</h1>"
        "<p>First paragraph of the page, with enough words to count as real prose for the extractor here.</p>"
        + "<ul><li>level text " * levels + "deepest item" + "</li></ul>" * levels
        + "<p>Next paragraph right after the list, it must stay visible.</p>"
        "<h2>After</h2><p>The closing paragraph comes after the nested structure and must not be lost.</p>"
        "</article></body></html>"
    )


# a page with the marks of a web article: read by trafilatura, then flattened
_ARTICLE_HEAD = '<meta property="og:type" content="article">' + "<script>var a = 1;</script>" * 8


@pytest.mark.parametrize("levels", [12, 60])
@pytest.mark.parametrize("head", ["", _ARTICLE_HEAD], ids=["document", "article"])
def test_deep_lists_lose_nothing(tmp_path, invoke, levels, head):
    page = tmp_path / "deep.html"
    page.write_text(_nested_list_page(levels, head), encoding="utf-8")
    doc = load(str(page))
    assert document_kind(read_page(page.read_bytes())) == ("article" if head else "document")
    assert [s.title for s in doc.sections] == ["After"]
    assert doc.source.count("level text") == levels and "deepest item" in doc.source
    assert "Next paragraph right after the list" in doc.source and "must not be lost" in doc.source
    # nesting is capped, so every renderer shows it all
    depth = max(len(m.group(1)) for m in re.finditer(r"^( *)- ", doc.source, re.M))
    assert depth <= 2 * htmldoc.MAX_NEST
    _exact(doc)
    r = invoke("show", "all", str(page), "--no-pager")
    assert r.exit_code == 0, r.stderr
    assert "Next paragraph right after the list" in r.stdout and "must not be lost" in r.stdout
    assert r.stdout.count("level text") == levels


def test_flatten_deep_lists_keeps_items_and_fences():
    md = "".join("  " * i + f"- item {i}\n" for i in range(12)) + "```\n" + " " * 30 + "code\n```\n"
    out = flatten_deep_lists(md, max_nest=3)
    assert [line.strip() for line in out.splitlines()] == [line.strip() for line in md.splitlines()]
    assert max(len(x) - len(x.lstrip()) for x in out.splitlines() if x.startswith(" ") and "item" in x) == 4
    assert " " * 30 + "code" in out  # code keeps its indentation


def test_nested_divs_deeper_than_libxml2_reads():
    n = 20_000  # libxml2 stops at 256 (2048 with its "huge" option) and drops the rest
    page = "<html><body><p>Before the pile.</p>" + "<div>" * n + "deep text inside" + "</div>" * n + "<p>The text after the pile stays.</p></body></html>"
    t0 = time.monotonic()
    doc = parse(page, "deep.html")
    assert time.monotonic() - t0 < 20
    assert "Before the pile." in doc.source and "deep text inside" in doc.source and "The text after the pile stays." in doc.source
    assert doc.source.index("deep text inside") < doc.source.index("The text after the pile stays.")


def test_flatten_depth_unwraps_in_order():
    html = "<div>" * 5 + "a<p>b</p><ul><li>c</li><li>d</li></ul>" + "</div>" * 5 + "<p>e</p>"
    out = flatten_depth(html, limit=2)
    assert re.sub(r"<[^>]+>", " ", out).split() == ["a", "b", "c", "d", "e"]
    assert out.count("<div>") == 2 and "<br>" in out
    assert flatten_depth("<script>if (a<b) x='</div>'</script><p>t</p>", limit=1).startswith("<script>if (a<b) x='")


def test_huge_pages_stay_within_the_line_budget(monkeypatch):
    monkeypatch.setattr(htmldoc, "MAX_LINES", 50)
    monkeypatch.setattr(htmldoc, "MAX_BLOCKS", 40)
    page = "<html><body>" + "".join(f"<p>para {i} *</p><ul><li>item {i}</li></ul>" for i in range(200)) + "<pre>x = 1\n# not a heading</pre></body></html>"
    md = convert(page).markdown
    assert md.count("\n") < 80
    words = re.findall(r"\w+", md)
    assert all(f"{i}" in words for i in range(200)) and "heading" in words
    doc = parse(md, "x.md", fmt="markdown")
    assert not doc.sections  # the '# not a heading' line of code stays text
    _exact(doc)


def test_headings_past_the_cap_are_text(monkeypatch):
    monkeypatch.setattr(htmldoc, "MAX_HEADINGS", 3)
    page = "<html><body>" + "".join(f"<h2>Part {i}</h2><p>Body {i}.</p>" for i in range(8)) + "</body></html>"
    doc = parse(convert(page).markdown, "x.md", fmt="markdown")
    assert [s.title for s in doc.sections] == ["Part 0", "Part 1", "Part 2"]
    assert all(f"Part {i}" in doc.source and f"Body {i}." in doc.source for i in range(8))


# ---------------------------------------------------------------- properties: nothing lost
_WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "omega", "kappa", "sigma", "zeta", "rho", "tau"])
_INLINE = ["b", "i", "code", "span", "em", "strong", "a"]
_BLOCKS = ["div", "p", "blockquote", "section", "pre", "h2", "h4", "li", "dt", "dd"]
_CONTAINERS = ["ul", "ol", "dl", "table", "tr", "td"]


@st.composite
def _html(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind < 4 or depth > 7:
            parts.append(" ".join(draw(st.lists(_WORDS, min_size=1, max_size=4))))
        elif kind < 6:
            tag = draw(st.sampled_from(_INLINE))
            attrs = ' href="http://example.org/x"' if tag == "a" else ""
            parts.append(f"<{tag}{attrs}>" + draw(_html(depth + 1)) + f"</{tag}>")
        elif kind < 8:
            tag = draw(st.sampled_from(_BLOCKS))
            parts.append(f"<{tag}>" + draw(_html(depth + 1)) + f"</{tag}>")
        else:
            tag = draw(st.sampled_from(_CONTAINERS))
            close = draw(st.booleans())  # unclosed tags too
            parts.append(f"<{tag}>" + draw(_html(depth + 1)) + (f"</{tag}>" if close else ""))
        if draw(st.integers(0, 5)) == 0:
            parts.append("<br>")
    return " ".join(parts)


@settings(max_examples=100, deadline=None)
@given(_html())
def test_converted_page_loses_no_word(body):
    page = "<html><body>" + body + "</body></html>"
    want = re.findall(r"[a-z]+", re.sub(r"<[^>]*>", " ", body))
    md = convert(page, drop_nav=False).markdown
    doc = parse(md, "page.md", fmt="markdown")
    got = re.findall(r"[a-z]+", doc.source.replace("\\", ""))
    assert sorted(got) == sorted(want) or (not want and not got)
    if "<table" not in body and "<td" not in body and "<tr" not in body:
        assert got == want  # and in order (tables may put text written between cells first)
    _exact(doc)
