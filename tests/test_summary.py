"""Tests for ``brief summary``: offsets, order, sections, filler, baselines, CLI."""

from __future__ import annotations

import pytest
from rich.console import Console

from osce_brief import load, parse
from osce_brief.errors import ExitCode, UsageError
from osce_brief.render.summary import render_by_section, render_summary
from osce_brief.summarize import METHODS, by_section, dateline_end, is_filler, junk_reason, summarize

from .conftest import ROOT, build_doc, jsonl

FILLER_WORDS = ("guys", "let's", "what do you", "dive deeper", "conversation going")


@pytest.fixture(scope="module")
def doc():
    return load()


def _check(doc, summary, n):
    assert len(summary.sentences) == n
    positions = [s.position for s in summary.sentences]
    assert positions == sorted(positions), "sentences must come out in document order"
    for s in summary.sentences:
        assert doc.source[s.start : s.end] == s.text
        sec = doc.section_at(s.start)
        assert sec is not None and sec.index == s.section_index and sec.title == s.section_title


@pytest.mark.parametrize("method", METHODS)
def test_bundled_three_sentences(doc, method):
    s = summarize(doc, method=method)
    _check(doc, s, 3)
    assert s.method == method
    assert all(1 <= x.section_index <= 6 for x in s.sentences)


def test_default_has_no_filler(doc):
    for n in (1, 3, 5, 8):
        for s in summarize(doc, n=n).sentences:
            low = s.text.lower()
            assert not any(w in low for w in FILLER_WORDS), s.text
            assert not s.text.rstrip().endswith("?")


def test_by_section_six_gists(doc):
    res = by_section(doc)
    assert [g.index for g in res.sections] == [1, 2, 3, 4, 5, 6]
    for g in res.sections:
        assert len(g.sentences) == 1
        s = g.sentences[0]
        assert s.section_index == g.index
        assert doc.source[s.start : s.end] == s.text
        assert not any(w in s.text.lower() for w in FILLER_WORDS)


def test_section_scope(doc):
    sec = doc.section(4)
    s = summarize(doc, n=2, section=[sec])
    _check(doc, s, 2)
    assert {x.section_index for x in s.sentences} == {4}


def test_lengths(doc):
    assert len(summarize(doc, ratio=0.1).sentences) == round(0.1 * summarize(doc).candidates)
    w = summarize(doc, words=60)
    assert 1 <= len(w.sentences) and (w.words <= 60 or len(w.sentences) == 1)
    with pytest.raises(UsageError):
        summarize(doc, n=0)
    with pytest.raises(UsageError):
        summarize(doc, ratio=1.5)
    with pytest.raises(UsageError):
        summarize(doc, method="bert")


def test_lead_is_first_sentences(doc):
    s = summarize(doc, method="lead", n=2)
    first = [x for _, x in doc.sentences()][:2]
    assert [x.start for x in s.sentences] == [x.start for x in first]


def test_flat_lowercase_article_segments_and_summarizes():
    body = (
        "the city council voted on tuesday to close the old bridge over the river . "
        "engineers said the bridge had cracks in two of its main supports . "
        "the council will pay for a new bridge with money from a state grant . "
        "drivers will have to use a detour through the town centre for two years . "
        "local shops on the detour said they welcomed the extra traffic . "
        "what do you think about the new bridge ? "
        "click here to read more about the council ."
    )
    d = parse(body, None, "text")
    s = summarize(d, n=3)
    _check(d, s, 3)
    assert all("click here" not in x.text and "?" not in x.text for x in s.sentences)
    one = summarize(d, n=1)
    assert len(one.sentences) == 1


def test_dateline_trimmed():
    d = parse("(CNN) -- A strong earthquake struck the coast of the island early on Monday morning. "
              "Rescue teams searched the damaged buildings in the port town for survivors. "
              "Officials said the quake damaged roads and cut power to thousands of homes.", None, "text")
    s = summarize(d, n=3)
    assert s.sentences[0].text.startswith("A strong earthquake")
    assert d.source[s.sentences[0].start : s.sentences[0].end] == s.sentences[0].text
    assert dateline_end("London (CNN)The talks ended.") == len("London (CNN)")
    assert dateline_end("The talks ended.") == 0


@pytest.mark.parametrize(
    "text",
    [
        "What do you guys think?",
        "Let's keep the conversation going!",
        "So, guys, let's dive deeper into what this means for the world stage and beyond.",
        "Click here to read the full match report from the stadium.",
        "Scroll down for video of the rescue at the harbour.",
        "By . Daily Mail Reporter .",
        "Short one here.",
        "Stability: 0 - Deprecated: Use Object.assign() instead.",
        "Have you ever wondered why the sky is blue at noon?",
    ],
)
def test_filler_rules(text):
    assert is_filler(text)


@pytest.mark.parametrize(
    "text",
    [
        "The council voted on Tuesday to close the old bridge over the river.",
        '"You can\'t do that," the judge told the lawyers at the end of the hearing.',
    ],
)
def test_not_filler(text):
    assert not is_filler(text)


def test_reported_hook(doc):
    def hedged(t):
        return any(w in t for w in (" likely ", " probably ", " might ", " could ", " may "))

    s = summarize(doc, n=3, reported=lambda t: not hedged(t))
    assert len(s.sentences) == 3 and not any(hedged(x.text) for x in s.sentences)
    assert not any(hedged(x.text) for x in summarize(doc, n=3, reported=True).sentences if "probably" in x.text)
    g = by_section(doc, reported=lambda t: not hedged(t))
    assert all(not hedged(x.text) for gist in g.sections for x in gist.sentences)


def test_hierarchical_long_document():
    sections = []
    for i in range(30):
        body = " ".join(
            f"Chapter {i} tells how the farmer number {j} planted {['wheat', 'barley', 'corn'][j % 3]} in field {i + j}."
            for j in range(25)
        )
        sections.append((f"CHAPTER {i + 1}", body))
    d = build_doc(*sections)
    assert sum(1 for _ in d.sentences()) > 400
    s = summarize(d, n=3)
    _check(d, s, 3)


def test_empty_and_tiny_documents():
    d = parse("Just a title", None, "text")
    assert len(summarize(d).sentences) <= 1
    d = parse("Title\n\nOne short sentence about the weather in the valley today.", None, "text")
    assert len(summarize(d, n=3).sentences) == 1


def test_render(doc):
    con = Console(record=True, width=80)
    con.print(render_summary(summarize(doc), doc.title))
    out = con.export_text()
    assert "§1" in out and "3 of" in out
    con = Console(record=True, width=80)
    con.print(render_by_section(by_section(doc), doc.title))
    assert "Expert Opinions and Analysis" in con.export_text()


# ------------------------------------------------------------------ CLI
def test_cli_summary_json(invoke):
    r = invoke("summary", "--json")
    assert r.exit_code == ExitCode.OK
    (obj,) = jsonl(r.stdout)
    assert obj["path"] == "<bundled>" and obj["method"] == "default"
    assert len(obj["sentences"]) == 3
    src = load().source
    for s in obj["sentences"]:
        assert set(s) == {"text", "start", "end", "section"}
        assert set(s["section"]) == {"index", "title"}
        assert src[s["start"] : s["end"]] == s["text"]


def test_cli_summary_options(invoke, tmp_path):
    r = invoke("summary", "-n", "2", "--method", "lexrank", "--json")
    assert r.exit_code == 0 and len(jsonl(r.stdout)[0]["sentences"]) == 2
    r = invoke("summary", "--section", "expert", "--json")
    assert {s["section"]["index"] for s in jsonl(r.stdout)[0]["sentences"]} == {4}
    r = invoke("summary", "--by-section", "--json")
    obj = jsonl(r.stdout)[0]
    assert r.exit_code == 0 and len(obj["sections"]) == 6
    r = invoke("summary", "--by-section")
    assert r.exit_code == 0 and "Final Thoughts" in r.stdout
    r = invoke("summary", "--words", "50")
    assert r.exit_code == 0 and "§" in r.stdout
    p1 = tmp_path / "a.txt"
    p1.write_text("Title\n\nThe river rose fast after three days of heavy rain in the hills. "
                  "Farmers moved their animals to higher ground before the flood arrived.\n")
    r = invoke("summary", str(p1), "-", "--json", input="Storm\n\nThe storm closed the airport for a day and a night.\n")
    assert r.exit_code == 0
    assert [o["path"] for o in jsonl(r.stdout)] == [str(p1), "-"]


def test_cli_summary_errors(invoke):
    r = invoke("summary", "--method", "bert")
    assert r.exit_code == ExitCode.USAGE and "unknown method" in r.stderr
    r = invoke("summary", "--section", "99")
    assert r.exit_code == ExitCode.USAGE and "no section 99" in r.stderr
    r = invoke("summary", "-n", "0")
    assert r.exit_code == ExitCode.USAGE
    r = invoke("summary", "/no/such/file.txt")
    assert r.exit_code == ExitCode.USAGE


def test_help_has_examples(invoke):
    for cmd in ("summary", "keywords"):
        r = invoke(cmd, "--help")
        assert r.exit_code == 0 and "Examples" in r.stdout and f"brief {cmd}" in r.stdout


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from("the council river bridge voted closed Malta talks (CNN) -- you ? ! . , said new old".split())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=15), min_size=1, max_size=12), st.integers(1, 4),
       st.sampled_from(METHODS))
def test_offsets_property(sentences, n, method):
    text = " ".join(" ".join(ws).capitalize() + "." for ws in sentences)
    d = parse(text, None, "text")
    s = summarize(d, n=n, method=method)
    assert len(s.sentences) <= n
    starts = [x.start for x in s.sentences]
    assert starts == sorted(starts)
    for x in s.sentences:
        assert d.source[x.start : x.end] == x.text and x.text


# ------------------------------------------------------------------ documentation (issue 12.4)
DOCS = ROOT / "tests" / "fixtures" / "docs"


def _whole(doc, s):
    """``s`` is a whole sentence of ``doc`` (never a cut one)."""
    starts = {x.start for _, x in doc.sentences()}
    return doc.source[s.start : s.end] == s.text and s.start in starts


@pytest.mark.parametrize(
    "text",
    [
        "Copyright (C) 2007 Free Software Foundation, Inc. Everyone is permitted to copy this document.",
        "The Technical Steering Committee (TSC) is the body that decides the project's technical direction.",
        "Node.js (the runtime) is built on the V8 engine that also powers the browser.",
    ],
)
def test_no_false_dateline(text):
    assert dateline_end(text) == 0
    d = parse("A Title\n\n" + text + " It was written by many people over several years in many places.", None, "text")
    for s in summarize(d, n=2).sentences:
        assert _whole(d, s), s.text


def test_dateline_only_opens_a_paragraph():
    assert dateline_end("London (CNN) -- The talks ended on Friday.", opens=False) == 0
    assert dateline_end("(The Hollywood Reporter) The show returns in May.") > 0
    assert dateline_end("(cnn) the talks ended on friday .") > 0


@pytest.mark.parametrize(
    "text, reason",
    [
        (" -- Jane Maintainer <jane@example.org>  Thu, 25 May 2023 17:54:35 +0200", "signoff"),
        ("Signed-off-by: Jane Maintainer <jane@example.org>", "signoff"),
        ("2023-05-01  Jane Maintainer  <jane@example.org>", "signoff"),
        ("frobnicate (2.3-2) unstable; urgency=low", "signoff"),
        ("----------------------------------------", "separator"),
        ("========", "separator"),
        ("* * * * *", "separator"),
        ("Next: Installation, Previous: Overview, Up: Top", "navigation"),
        ("See the manual page for the full list of options.", "navigation"),
        ("For detailed information, see the documentation of the asynchronous version of this API.", "navigation"),
        ("Apache License Version 2.0, January 2004 http://www.apache.org/licenses/", "link"),
        ("For bug reports, write to frob-bugs@example.org with the version you run.", "link"),
        ("## Installing the tool on a new machine", "markup"),
        ("| Option | Default | Meaning of the option |", "markup"),
        ('<a href="https://example.org">the home page</a> has the news.', "markup"),
        ("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "heading"),
        ("To build and install it, run the following commands:", "lead-in"),
        ("$ ./configure --prefix=/usr/local\n$ make && make install", "code"),
        ("--color[=WHEN], --colour[=WHEN]\n    Surround the matched strings with escape sequences.", "code"),
        ("--jobs N, -j N\n    Unpack with N worker threads.", "code"),
        ("const fs = require('node:fs');", "code"),
        ('Similarly for "install -D file /tmp/a/b/file".', "code"),
        ("if (err) throw err; console.log(data.toString());", "code"),
        ("UNIX-style usage\n    tar -A [OPTIONS] ARCHIVE ARCHIVE", "code"),
        ("-empty File is empty and is either a regular file or a directory.", "code"),
        ("-anewer reference\n    Time of the last access of the current file is more recent.", "code"),
        ("git-blame(1)\n    Show what revision and author last modified each line of a file.", "code"),
        ("TAR_ARCHIVE\n    The name of the archive tar is processing.", "code"),
        ("Redistribution is permitted provided that the following conditions\nare met:\n1.", "lead-in"),
        ("[Noteworthy changes in version 2.1.0 (2014-10-03)]", "markup"),
        ("Version 1.2.8 (2006-12-07)\nVersion 1.2.7 (2004-12-27)\nVersion 1.2.6 (2004-08-25)", "markup"),
        ("43.beta\n - symbolic: folder icons\n - symbolic: package icons\n - fullcolor: drag fixes", "markup"),
        ("Please read the file INSTALL for installation instructions.", "navigation"),
        ("uid=\n    Make all files in the filesystem belong to the given user.", "code"),
        ("-4      Forces ssh to use IPv4 addresses only.", "code"),
        (": label\n    Label for b and t commands.", "markup"),
        ("=      Print the current line number.", "markup"),
        ("#635612", "markup"),
        ("offset {integer} Number of bytes to skip before starting to read.", "code"),
        ("Returns: {Promise} Fulfills with undefined upon success.", "code"),
        ("modulusLength: {number} Key size in bits (RSA, DSA).", "code"),
        ("%s: String will be used to convert all values except BigInt and Object.", "markup"),
    ],
)
def test_junk_reason(text, reason):
    assert junk_reason(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "The council voted on Tuesday to close the old bridge over the river.",
        "the council voted on tuesday to close the old bridge , engineers said .",
        "London (CNN) -- The talks ended without a deal, officials said.",
        "The F-35 and the A380 were shown at the air show, which drew 150,000 visitors.",
        "Prices rose 5% to $5.2 billion (about 4.8 billion euros) in the third quarter.",
        "Returns `true` if the {fs.Dirent} object describes a file system directory.",
        "To install more versions, use [`pyenv install`](COMMANDS.md#pyenv-install) from the shell.",
        "The new `globskipdots' shell option forces pathname expansion never to return dot files.",
        "- Fixed a bug in the parser that lost the last line of a file.",
        "Use -v to print the name of every file, and -q to print nothing at all.",
        "adduser --system takes special care to need a single call in the maintainer scripts.",
        "He said: no.",
        "$5 million was raised by the town for the new bridge over the river.",
        "The temperature fell to -5 degrees overnight, the coldest night of the year.",
        "The FHS standard specifies /var/mail as the mail spool, but it also says\n/var/mail may be a\n"
        "symbolic link to another directory, and there is no requirement to move the spool.",
    ],
)
def test_not_junk(text):
    assert junk_reason(text) is None
    if "](" not in text:  # (Markdown is checked as displayed, where links are rendered)
        assert junk_reason(text, markdown=True) is None


def test_displayed_markdown_that_reads_as_a_raw_link_is_markup():
    text = "Objects may also define their own [util.inspect.custom](depth, opts) function."
    assert junk_reason(text, markdown=True) == "markup"


def test_inline_html_is_markup_only_in_plain_text():
    text = 'The <a href="https://example.org">home page</a> lists every release of the tool.'
    assert junk_reason(text) == "markup"
    assert junk_reason(text, markdown=True) is None


def test_changelog_summary_has_no_signoffs():
    d = load(str(DOCS / "changelog.Debian"))
    s = summarize(d, n=5)
    assert s.sentences
    for x in s.sentences:
        assert _whole(d, x)
        assert junk_reason(x.text) is None
        assert "<" not in x.text and "urgency=" not in x.text and not x.text.lstrip().startswith("--")


@pytest.mark.parametrize("method", METHODS)
def test_readme_summary_is_prose(method):
    d = load(str(DOCS / "readme.txt"))
    s = summarize(d, n=6, method=method)
    assert s.sentences
    for x in s.sentences:
        assert _whole(d, x), x.text
        assert junk_reason(x.text) is None, x.text
        assert not x.text.rstrip().endswith(":")
        assert not any(m in x.text for m in ("$ ", "***", "http", "@", "Next:", "--jobs"))


def test_term_run_into_its_body_is_not_a_sentence():
    text = "upgrade\n    upgrade is used to install the newest versions of all packages."
    assert junk_reason(text, line_start=True) == "heading"
    assert junk_reason(text) is None  # mid-line: "... the end. It\nwas a cold day" is wrapped prose
    d = parse(
        "Title\n\nupgrade\n    upgrade is used to install the newest versions of all the packages.\n\n"
        "The tool ends here. It\nwas written for a cold day in the valley when the river froze over.",
        None,
        "text",
    )
    texts = [x.text for x in summarize(d, n=3).sentences]
    assert not any(t.startswith("upgrade") for t in texts) and any(t.startswith("It") for t in texts)


def test_near_duplicates_are_not_picked_together():
    body = " ".join(
        f"If --{opt} is provided several times, the last set value will be used." for opt in ("range", "retry", "proxy")
    )
    d = parse(
        "Options\n\n" + body + " The proxy string may name a protocol such as socks5 or https before the host. "
        "Every option can also be written in the configuration file, one option on each line.",
        None,
        "text",
    )
    texts = [x.text for x in summarize(d, n=2).sentences]
    assert sum("several times" in t for t in texts) <= 1, texts


def test_only_junk_gives_an_empty_summary():
    d = parse("Build\n\n$ make install\n$ make test\n\n-------------\n\nSee the manual.\n", None, "text")
    assert summarize(d, n=3).sentences == ()
    assert all(not g.sentences for g in by_section(d).sections)


@pytest.mark.parametrize(
    "text",
    [
        "<a " + "b='x' " * 3000,  # an unclosed tag: no exponential backtracking
        "<a " + "b" * 20000,
        "a" * 20000 + "@",
        "a:" * 10000,
        "-- " + "x " * 10000 + "<a@b",
        "x " + "[x] " * 5000,
        "A" * 20000,
        "a\n" * 10000,
    ],
)
def test_not_prose_checks_are_linear(text):
    import time

    from osce_brief.keywords import _bare, _unmark

    t = time.perf_counter()
    junk_reason(text)
    junk_reason(text, markdown=True, line_start=True)
    is_filler(text)
    _unmark(text)
    for tok in text.split()[:50]:
        _bare(tok)
    assert time.perf_counter() - t < 2.0
