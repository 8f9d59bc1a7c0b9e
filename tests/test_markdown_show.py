"""`brief show` on Markdown: nothing lost, links resolved and safe, controls cleaned,
deep nesting and huge blocks handled (render/markdown.py)."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from osce_brief.loaders import parse
from osce_brief.render import markdown as mdr
from osce_brief.render.show import render_sections
from osce_brief.select import select_with_children

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
OSC8 = re.compile(r"\x1b\]8;[^;\x1b]*;([^\x1b]*)\x1b\\")
BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def show(text: str, selector: str = "all", *, width: int = 80, terminal: bool = False, budget: float | None = None) -> str:
    """What `brief show` prints for ``text`` (as Markdown) on a console of ``width``."""
    doc = parse(text, "t.md", "markdown")
    chosen = select_with_children(doc, selector)
    console = Console(file=io.StringIO(), width=width, force_terminal=terminal, color_system="truecolor" if terminal else None, highlight=False, markup=False, emoji=False)
    old = mdr.BUDGET_US
    if budget is not None:
        mdr.BUDGET_US = budget
    try:
        with console.capture() as cap:
            console.print(render_sections(doc, chosen), crop=False)
    finally:
        mdr.BUDGET_US = old
    return cap.get()


def plain(out: str) -> str:
    """Output without SGR and OSC 8 sequences."""
    out = OSC8.sub("", out)
    return re.sub(r"\x1b\[[0-9;]*m", "", out)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ------------------------------------------------------------------ 1. nothing lost
def test_html_table_block_is_a_table():
    out = show((FIXTURES / "fs-render-excerpt.md").read_text(), "File open constants")
    assert "Constant" in out and "Description" in out
    assert re.search(r"O_RDONLY +Flag indicating to open a file for read-only access\.", out)
    assert "O_CREAT flag is set" in squash(out).replace("O_CREATflag", "O_CREAT flag") or "O_CREAT" in out
    assert "<td>" not in out and "<code>" not in out
    assert "On Windows, only O_APPEND" in out


def test_html_blocks_text_kept_comments_dropped():
    src = "# T\n\n## S\n\n<div align=\"center\">\n<p>Hello <b>bold</b> &amp; <a href=\"https://x.org/\">link</a></p>\n<ul><li>one</li><li>two</li></ul>\n<pre>  keep\n    spaces</pre>\n</div>\n\n<!-- secret note -->\n\n<script>alert(1)</script>\n\nAfter.\n"
    out = show(src)
    assert "Hello bold & link (https://x.org/)" in out
    assert re.search(r"• one\n• two", out)
    assert "      keep\n        spaces" in out
    assert "secret note" not in out and "alert(1)" not in out
    assert "After." in out


def test_wrapped_link_urls_lose_nothing():
    url = "https://gitter.im/yyuu/pyenv?utm_source=badge&utm_medium=badge&utm_campaign=pr-badge&utm_content=badge"
    src = f"# Simple\n\n[![Join the chat at https://gitter.im/yyuu/pyenv](https://badges.gitter.im/Join%20Chat.svg)]({url})\n\npyenv lets you switch.\n"
    for width in (40, 80, 100, 120):
        out = show(src, "lead", width=width)
        assert url in squash(out), width
        assert max(len(line) for line in out.splitlines()) <= width


def test_long_words_fold_in_every_block():
    words = [c * 250 for c in "pqvzw"]
    p, q, r, s, t = words
    src = f"# T\n\n## S\n\n{p}\n\n- item {q}\n\n> {r}\n\n    {s}\n\n| a | b |\n|---|---|\n| {t} | y |\n"
    out = show(src, width=60)
    for w in words:
        assert out.count(w[0]) == 250, w[0]  # folded, never cut
    assert max(len(line) for line in out.splitlines()) <= 60


# ------------------------------------------------------------------ 2. links
def test_reference_links_resolve_in_every_section():
    src = (FIXTURES / "fs-render-excerpt.md").read_text()
    doc = parse(src, "fs.md", "markdown")
    for s in doc.sections:
        out = show(src, str(s.index))
        assert "][" not in out, s.title
    out = show(src, "appendFile", width=200)
    assert "Alias of filehandle.writeFile()." in out
    assert re.search(r"Common System Errors\s+\(errors\.md#common-system-errors\)", out)
    assert "the constants" in out and "#fs-constants" not in out  # same-page anchor: no URL


def test_reference_links_cli(invoke):
    r = invoke("show", "all", str(FIXTURES / "fs-render-excerpt.md"))
    assert r.exit_code == 0
    assert "][" not in r.stdout and "[`" not in r.stdout
    assert "Alias of filehandle.writeFile()." in r.stdout


LINKS = """# L

## Kinds

Web [site](https://example.com/a), mail [me](mailto:a@b.org), auto <https://auto.example/x>,
anchor [below](#kinds), relative [doc](other.md#sec), js [bad](javascript:alert(1)),
file [f](file:///etc/passwd), data [d](data:text/html;base64,PHNjcmlwdD4=),
vb [v](vbscript:x), ref [lbl] and [text][lbl], email <a@b.org>, same [https://same.example](https://same.example).
HTML <a href="javascript:void(0)">hx</a> and <a href="https://h.example/">hy</a>.

[lbl]: https://label.example/
"""


def test_piped_links_url_once_in_parentheses():
    out = show(LINKS, width=200)
    for url in ("https://example.com/a", "mailto:a@b.org", "other.md#sec", "javascript:alert(1)", "file:///etc/passwd", "https://label.example/", "https://h.example/"):
        assert out.count(url) == 1 + (url == "https://label.example/"), url
        assert f"({url})" in out
    assert out.count("https://auto.example/x") == 1 and "(https://auto.example/x)" not in out
    assert out.count("a@b.org") == 2  # "mailto:a@b.org" once after "me", the autolink once
    assert out.count("https://same.example") == 1
    assert "#kinds" not in out and "below," in out
    assert "\x1b" not in out


def test_terminal_links_osc8_only_for_web_schemes():
    out = show(LINKS, width=200, terminal=True)
    targets = {t for t in OSC8.findall(out) if t}
    assert targets == {"https://example.com/a", "mailto:a@b.org", "https://auto.example/x", "https://label.example/", "https://same.example", "https://h.example/"}
    text = plain(out)
    # other schemes are shown, not linked
    for url in ("javascript:alert(1)", "file:///etc/passwd", "vbscript:x", "other.md#sec", "javascript:void(0)"):
        assert f"({url})" in text, url
    assert "(https://example.com/a)" not in text  # clickable: no URL repeated


def test_data_url_shortened_visibly():
    data = "data:image/png;base64," + "A" * 5000
    out = show(f"# T\n\n## S\n\n![pic]({data})\n")
    assert "5,022 characters" in out and "A" * 100 not in out


def test_article_text_is_never_markup():
    out = show("# T\n\n## [bold]S[/bold]\n\n[bold]x[/bold] [link=file:///etc/passwd]y[/link] and [/] end\n")
    assert "[bold]x[/bold] [link=file:///etc/passwd]y[/link] and [/] end" in out


# ------------------------------------------------------------------ 3. terminal safety
BIDI = "# N\n\n## Pay\n\nSend to account &#x202E;9876-5432&#x202C; today. &#27;[31mred &#x7; &#x9b;2J\n\n- item &#x2066;x&#x2069;\n\n| a | b |\n|---|---|\n| &#x202E;c | d |\n\n<p>html &#x202E;e</p>\n\n```\ncode \u202e f\n```\n"


@pytest.mark.parametrize("terminal", [False, True])
def test_character_references_cannot_smuggle_controls(terminal):
    out = show(BIDI, terminal=terminal)
    visible = OSC8.sub("", out)
    visible = re.sub(r"\x1b\[[0-9;]*m", "", visible)
    assert not BAD.search(visible) and "\x1b" not in visible
    assert "<U+202E>9876-5432<U+202C>" in visible
    assert "<U+2066>x<U+2069>" in visible and "<U+202E>c" in visible and "<U+202E>e" in visible


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "", "NO_COLOR": ""}, {"FORCE_COLOR": "1", "NO_COLOR": ""}])
def test_bidi_cli(invoke, tmp_path, env):
    f = tmp_path / "bidi.md"
    f.write_text("# N\n\n## Pay\n\nSend to account &#x202E;9876-5432&#x202C; today.\n")
    r = invoke("show", "all", str(f), env=env)
    assert r.exit_code == 0
    assert "\u202e" not in r.stdout and "\u202c" not in r.stdout
    assert "<U+202E>9876-5432<U+202C>" in r.stdout


def test_literal_bidi_marks_and_separators_visible(invoke, tmp_path):
    f = tmp_path / "m.md"
    f.write_text("# N\n\n## S\n\nA\u200eB\u200fC\u061cD\u2028E\u2029F &#x200F; &#x2028;\n")
    r = invoke("show", "all", str(f))
    assert r.exit_code == 0
    for cp in ("200E", "200F", "061C", "2028", "2029"):
        assert f"<U+{cp}>" in r.stdout
    assert not BAD.search(r.stdout)


# ------------------------------------------------------------------ 4. deep nesting
def nested(levels: int, marker: str = "- ") -> str:
    body = "".join("  " * i + f"{marker}level {i}\n" for i in range(levels))
    return f"# T\n\n## S\n\n{body}\nText after the list.\n\n## Next\n\nMore.\n"


@pytest.mark.parametrize("levels", [12, 60, 150])
def test_deep_lists_lose_nothing(levels):
    out = show(nested(levels), "S", width=80)
    for i in range(levels):
        assert re.search(rf"level {i}\b", out), i
    assert "Text after the list." in out
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("levels", [12, 60])
def test_deep_lists_cli(invoke, tmp_path, levels):
    f = tmp_path / "deep.md"
    f.write_text(nested(levels))
    r = invoke("show", "all", str(f))
    assert r.exit_code == 0
    assert f"level {levels - 1}" in r.stdout and "Text after the list." in r.stdout and "More." in r.stdout


def test_deep_quotes_and_mixed_nesting():
    src = "# T\n\n## S\n\n" + ">" * 120 + " deep quote\n\nafter quote\n\n" + "".join("  " * i + "1. n\n" + "  " * i + "   > q\n" for i in range(15)) + "\nend text\n"
    out = show(src)
    assert "deep quote" in out and "after quote" in out and "end text" in out
    assert out.count("q") >= 15


# ------------------------------------------------------------------ 5. size
def test_huge_blocks_bounded_and_complete():
    fence = "# T\n\n## S\n\n```\n" + "x = 1\n" * 50_000
    t = time.perf_counter()
    out = show(fence)
    assert time.perf_counter() - t < 10
    assert out.count("x = 1") == 50_000
    table = "# T\n\n## S\n\n| a | b |\n|---|---|\n" + "| cell one | cell two |\n" * 5_000
    out = show(table)
    assert out.count("cell two") == 5_000


def test_budget_exhausted_shows_source_with_note():
    src = "# T\n\n## S\n\nSome *emphasis* here.\n\n- a\n- b\n"
    out = show(src, budget=0)
    assert out.count("shown as its source text") == 1
    assert "Some *emphasis* here." in out and "- a" in out


def test_many_sections_fast():
    src = "# T\n\n" + "".join(f"## Heading {i}\n\nBody {i} with *emphasis*.\n\n" for i in range(3000))
    t = time.perf_counter()
    out = show(src)
    assert time.perf_counter() - t < 10
    assert out.count("with emphasis.") == 3000


# ------------------------------------------------------------------ look
def test_blocks_look():
    src = "# T\n\n## S\n\nPara **bold** and `code`.\n\n1. one\n2. two\n   - nested\n\n> quoted\n\n```python\nprint(1)\n```\n\n---\n\n| h1 | h2 |\n|:--|--:|\n| a | b |\n"
    out = show(src)
    assert "Para bold and code." in out
    assert re.search(r"1\. one\n2\. two\n   ◦ nested", out)
    assert "▌ quoted" in out
    assert "    print(1)" in out
    assert re.search(r"h1 +h2", out) and re.search(r"a +b", out)


# ------------------------------------------------------------------ properties
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)


@st.composite
def documents(draw):
    """Markdown of many block kinds with known words; every word must be shown."""
    words: list[str] = []

    def w() -> str:
        x = draw(WORD)
        words.append(x)
        return x

    parts = ["# Title\n"]
    for k in range(draw(st.integers(1, 6))):
        parts.append(f"## Head{k}\n")
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["p", "list", "deep", "quote", "code", "table", "html", "link", "ref"]))
            if kind == "p":
                parts.append(f"{w()} *{w()}* `{w()}` {w()}\n")
            elif kind == "list":
                parts.append("".join(f"{'  ' * draw(st.integers(0, 1))}- {w()}\n" for _ in range(3)))
            elif kind == "deep":
                depth = draw(st.integers(1, 40))
                parts.append("".join("  " * i + f"* {w()}\n" for i in range(depth)))
            elif kind == "quote":
                parts.append(">" * draw(st.integers(1, 12)) + f" {w()} {w()}\n")
            elif kind == "code":
                parts.append(f"```\n{w()}\n  {w()}\n```\n")
            elif kind == "table":
                parts.append(f"| {w()} | {w()} |\n|---|---|\n| {w()} | {w()} |\n")
            elif kind == "html":
                parts.append(f"<table><tr><td>{w()}</td><td><b>{w()}</b></td></tr></table>\n")
            elif kind == "link":
                parts.append(f"[{w()}](https://e.org/{w()}) <https://{w()}.org>\n")
            else:
                label = f"r{len(words)}"
                parts.append(f"[{w()}][{label}]\n\n[{label}]: https://x.org/{w()}\n")
            parts.append("\n")
    return "\n".join(parts), words


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from([30, 80]), st.booleans())
def test_no_word_lost(doc_words, width, terminal):
    text, words = doc_words
    out = show(text, width=width, terminal=terminal)
    flat = squash(re.sub(r"\x1b\[[0-9;]*m", "", out))  # OSC 8 targets kept: a clickable URL is shown that way
    for x in words:
        assert x in flat, x
    assert not BAD.search(plain(out))


PIECES = st.sampled_from(
    ["\n", "\n\n", "- ", "1. ", "> ", "    ", "  ", "\t", "```", "~~~", "|", "---", "# ", "*", "_", "`", "[", "]", "(", ")",
     "<", ">", "<table>", "<td>", "</tr>", "<a href='javascript:x'>", "</a>", "<br>", "<!--", "-->", "<pre>", "![", "&#x202E;",
     "&#27;", "&amp;", "\\", "http://x.org/", "mailto:", "[x]: #y\n", "word", "\u202e", "\x1b[2J", "\u200f", "日本"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=80), st.sampled_from([20, 80]), st.booleans())
def test_hostile_fragments_never_crash_or_leak(pieces, width, terminal):
    text = "# T\n\n## S\n\n" + "".join(pieces)
    out = plain(show(text, width=width, terminal=terminal))
    assert not BAD.search(out) and "\x1b" not in out


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pty")
def test_bidi_on_a_pty(tmp_path):
    import os
    import subprocess
    import sys

    f = tmp_path / "bidi.md"
    f.write_text("# N\n\n## Pay\n\nSend to account &#x202E;9876-5432&#x202C; [today](https://e.org/).\n")
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env.update(COLUMNS="80", LINES="50", TERM="xterm-256color")
    proc = subprocess.Popen([sys.executable, "-m", "osce_brief", "show", "all", str(f), "--no-pager"], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "<U+202E>9876-5432<U+202C>" in out
    assert "\u202e" not in out and "\u202c" not in out
    assert "\x1b]8;" in out and "https://e.org/" in out  # a terminal: the link is clickable


def test_styles_on_a_terminal():
    out = show("# T\n\n## S\n\n> quote\n\n- item\n\nSome `code` and **bold**.\n\n    block\n", "S", terminal=True)
    assert "\x1b[35m▌ " in out  # quote bar
    assert "\x1b[1m• " in out  # bullet
    assert re.search(r"\x1b\[1;36mcode", out) and re.search(r"\x1b\[1mbold", out)
    assert re.search(r"\x1b\[36m {4}block", out)


def test_myst_admonition_body_is_markdown():
    src = "# T\n\n## S\n\n```{warning}\n:class: x\nUse [the protocol] with **care**.\n```\n\n```{code-block} python\nx = [the protocol]\n```\n\n[the protocol]: https://p.example/\n"
    out = show(src, width=100)
    assert "│ Warning" in out and "Use the protocol (https://p.example/) with care." in out
    assert ":class:" not in out
    assert "    x = [the protocol]" in out  # other directives stay code
