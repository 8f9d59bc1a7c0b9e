"""Web articles: saved HTML pages and http(s) URLs (issue 5).

Nothing here touches the internet: URLs are served by a local HTTP server on
127.0.0.1 that the ``server`` fixture starts and stops. ``story.html`` is a page
made for these tests; ``real-*.html`` are two pages of the ScrapingHub article
extraction benchmark (MIT, see LICENSE.article-extraction-benchmark.txt), used
only to check that real pages load, never for expected text.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from osce_brief import fetch as fetch_mod
from osce_brief import load
from osce_brief.errors import ExitCode, InputError
from osce_brief.loaders import detect_format, parse
from osce_brief.loaders import looks_like_html
from osce_brief.loaders.html import clean_markdown, is_clutter_heading

from .conftest import loopback

from .conftest import ROOT, jsonl

FIXTURES = Path(__file__).parent / "fixtures" / "html"
STORY = FIXTURES / "story.html"
REAL = [FIXTURES / "real-de-blog.html", FIXTURES / "real-news.html"]
ARTICLE_HEADINGS = ["A family trade", "Electric light arrives", "The last keeper"]


# ---------------------------------------------------------------- local server
class _Handler(http.server.BaseHTTPRequestHandler):
    stop = threading.Event()
    seen_agents: list[str] = []

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        p = self.path
        if p == "/story.html":
            self._send(200, STORY.read_bytes())
        elif p == "/real.html":
            self._send(200, REAL[0].read_bytes())
        elif p == "/no-type":  # HTML without a Content-Type header: sniffed
            body = STORY.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif p == "/notes.txt":
            self._send(200, b"Field notes\n\nThe tide was low at noon. We counted forty seals.\n", "text/plain; charset=utf-8")
        elif p == "/moved":
            self._send(301, b"", headers={"Location": "/story.html"})
        elif p == "/to-file":
            self._send(302, b"", headers={"Location": "file:///etc/passwd"})
        elif p == "/doc.pdf":
            self._send(200, b"%PDF-1.4 binary", "application/pdf")
        elif p == "/missing":
            self._send(404, b"<html><body>Not here</body></html>")
        elif p == "/broken":
            self._send(500, b"oops", "text/plain")
        elif p == "/big":
            self._send(200, b"<html><body>" + b"x" * 200_000 + b"</body></html>")
        elif p == "/slow":
            self.stop.wait(5)  # longer than the test timeout; released at teardown
            try:
                self._send(200, STORY.read_bytes())
            except OSError:
                pass
        elif p == "/trickle":  # headers at once, then a byte now and then
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(50):
                    if self.stop.wait(0.1):
                        break
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:
                pass
        else:
            self._send(404, b"")


@pytest.fixture(scope="module")
def server():
    """A local HTTP server on 127.0.0.1 serving the fixture pages; yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    with loopback(httpd, _Handler.stop) as url:
        yield url


pytestmark = pytest.mark.usefixtures("no_proxy")


def one_line_error(r, *needles: str) -> str:
    assert r.exit_code == ExitCode.USAGE, (r.stdout, r.stderr)
    err = r.stderr
    assert err.count("\n") == 1 and err.startswith("brief: error: "), err
    for n in needles:
        assert n in err, err
    assert r.stdout == ""
    return err


# ---------------------------------------------------------------- detection
def test_html_detected_by_extension_and_content():
    assert detect_format("anything", "page.HTML") == "html"
    assert detect_format("anything", "page.htm") == "html"
    assert detect_format("\ufeff  \n<!DOCTYPE html>\n<html><body></body></html>") == "html"
    assert detect_format("<!-- saved -->\n<html lang='en'><head></head></html>") == "html"
    assert detect_format("# Title\n\n## Part\n\ntext\n") == "markdown"
    assert looks_like_html(b"\xef\xbb\xbf\n  <html>")
    assert not looks_like_html("Some text mentioning <html> later")


def test_non_html_input_does_not_import_trafilatura():
    code = "import sys; from osce_brief import load; load(); print('trafilatura' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- cleaning (pure strings)
def test_clean_headline_dek_and_clutter():
    md = (
        "Opinion\n\n"
        "# Tides of the North\n\n"
        "## The sea keeps its own calendar, and the harbour follows it.\n\n"
        "Boats leave at dawn. They come back at dusk.\n\n"
        "## How tides work\n\n"
        "The moon pulls the water. The shore feels it twice a day.\n\n"
        "### Most read in science\n\n"
        "This paragraph is long enough to be real prose that the extractor placed after a widget heading by "
        "mistake, so it must stay in the article even though its heading goes away with the other clutter.\n\n"
        "## Related stories\n\n"
        "- https://example.org/a\n- https://example.org/b\n\n"
        "### Thanks for signing up!\n\n"
        "### Sorry!\n\n"
        "## How to listen\n\n"
        "**Listen:** http://example.org/ep1\n\n"
        "**Download:** http://example.org/ep1.mp3\n\n"
        "## Comments\n\n"
        "comments\n"
    )
    c = clean_markdown(md, "Tides of the North | Sea Weekly")
    assert c.title == "Tides of the North"
    assert c.subtitle == "The sea keeps its own calendar, and the harbour follows it."
    assert "Opinion" not in c.text  # the kicker before the headline
    heads = [line for line in c.text.splitlines() if line.startswith("#")]
    assert heads == ["# Tides of the North", "## How tides work"]
    assert "must stay in the article" in c.text
    assert "example.org" not in c.text and "comments" not in c.text
    assert set(c.dropped) >= {"Most read in science", "Related stories", "Thanks for signing up!", "Sorry!", "How to listen", "Comments"}


def test_clean_keeps_real_headings_and_lists():
    md = (
        "# Bread at home\n\nA simple loaf needs four things.\n\n"
        "# Ingredients\n\n- 500 g flour\n- 10 g salt\n- 7 g yeast\n- 350 ml water\n\n"
        "# Discussion\n\nWhy does the dough rise? Yeast makes gas.\n\n"
        "# Background\n\n# Method\n\nMix, wait, bake.\n"
    )
    c = clean_markdown(md, "Bread at home")
    heads = [line for line in c.text.splitlines() if line.startswith("#")]
    # the headline is the only level-1 line; the page's other '#' headings move down one level
    assert heads == ["# Bread at home", "## Ingredients", "## Discussion", "## Background", "## Method"]
    assert "- 350 ml water" in c.text and c.dropped == ()


def test_clutter_heading_patterns_are_general():
    clutter = [
        "Comments", "12 Comments", "Comments (3)", "Leave a Reply", "Related", "Related Articles", "Read more",
        "Popular on The Daily Example", "Most Read", "Tell us what YOU think...", "Share this:", "Share this article",
        "Newsletter", "Sign up for our newsletter", "You may also like", "More from Example Times", "Advertisement",
        "Story continues below gallery", "Weitere Artikel", "À lire aussi", "Noticias relacionadas",
    ]
    content = [
        "Discussion", "Related work on tides", "Popular science and its critics", "Results", "Keyboard",
        "Sharing economy", "Comment is free, facts are sacred: a history", "Register to vote", "The latest",
        "Why readers share news", "How is the plague spread?",
    ]
    assert [t for t in clutter if not is_clutter_heading(t)] == []
    assert [t for t in content if is_clutter_heading(t)] == []


# ---------------------------------------------------------------- saved pages
def test_saved_page_document():
    doc = load(str(STORY))
    assert doc.path == str(STORY)
    assert doc.title == "The Lighthouse Keepers of Varnholm"
    assert doc.author == "Ingrid Solberg"
    assert doc.meta["date"] == "2024-03-14" and doc.meta["sitename"] == "The Harbour Gazette"
    assert [s.title for s in doc.sections] == ARTICLE_HEADINGS
    assert [s.level for s in doc.sections] == [1, 1, 2]
    # offsets point into the extracted article text
    assert doc.source.startswith("# The Lighthouse Keepers of Varnholm\n")
    for _, sent in doc.sentences():
        assert doc.source[sent.start : sent.end] == sent.text
    for s in doc.sections:
        assert doc.source[s.heading_start : s.heading_end].lstrip("#").strip() == s.title
    # site furniture is gone, article text stays
    for junk in ("Popular on", "Tell us what", "Story continues", "Related stories", "cookies", "Great read", "Privacy"):
        assert junk not in doc.source
    assert "boat trip that the museum runs" in doc.source


@pytest.mark.parametrize("page", REAL, ids=lambda p: p.stem)
def test_real_pages_load(page):
    doc = load(str(page))
    assert doc.words > 200 and doc.title
    assert all(not is_clutter_heading(s.title) for s in doc.sections)
    for s, p in doc.paragraphs():
        assert doc.source[p.start : p.end] == p.text


def test_html_from_stdin_and_parse(invoke):
    doc = parse(STORY.read_text(encoding="utf-8"), "-")
    assert doc.title == "The Lighthouse Keepers of Varnholm"
    r = invoke("outline", "--json", "-", input=STORY.read_bytes())
    assert r.exit_code == 0, r.stderr
    assert jsonl(r.stdout)[0]["title"] == "The Lighthouse Keepers of Varnholm"


def test_cli_outline_saved_page(invoke):
    r = invoke("outline", str(STORY))
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "The Lighthouse Keepers of Varnholm"
    assert "Ingrid Solberg" in lines[1] and "2024-03-14" in lines[1] and "The Harbour Gazette" in lines[1]
    for h in ARTICLE_HEADINGS:
        assert h in r.stdout
    assert "Popular" not in r.stdout and "Tell us" not in r.stdout


def test_cli_outline_json_keeps_path_and_meta(invoke):
    r = invoke("outline", "--json", str(STORY))
    assert r.exit_code == 0, r.stderr
    d = jsonl(r.stdout)[0]
    assert d["path"] == str(STORY)
    assert d["title"] == "The Lighthouse Keepers of Varnholm" and d["author"] == "Ingrid Solberg"
    assert d["meta"]["date"] == "2024-03-14" and d["meta"]["sitename"] == "The Harbour Gazette"
    assert [s["title"] for s in d["sections"]] == ARTICLE_HEADINGS


def test_cli_show_saved_page(invoke):
    r = invoke("show", "electric", str(STORY), "--no-pager")
    assert r.exit_code == 0, r.stderr
    assert "Electric light arrives" in r.stdout and "diesel generator" in r.stdout
    assert "The last keeper" in r.stdout  # subsections come along
    r = invoke("show", "all", str(STORY), "--json")
    d = jsonl(r.stdout)[0]
    assert d["path"] == str(STORY)
    doc = load(str(STORY))
    for s in d["sections"]:
        assert doc.source[s["start"] : s["end"]] == s["text"]
    assert any("whale oil" in s["text"] for s in d["sections"])


def test_cli_summary_saved_page(invoke):
    r = invoke("summary", "--json", "-n", "2", str(STORY))
    assert r.exit_code == 0, r.stderr
    d = jsonl(r.stdout)[0]
    assert d["path"] == str(STORY)
    doc = load(str(STORY))
    assert len(d["sentences"]) == 2
    for s in d["sentences"]:  # offsets into the extracted article text
        assert doc.source[s["start"] : s["end"]] == s["text"]
    r = invoke("summary", str(STORY))
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "The Lighthouse Keepers of Varnholm"
    for junk in ("Popular", "Tell us", "cookies"):
        assert junk not in r.stdout


def test_cli_search_saved_page(invoke):
    r = invoke("search", "--json", "diesel", str(STORY))
    assert r.exit_code == 0, r.stderr
    rows = jsonl(r.stdout)
    passages = [x for x in rows if x["type"] == "passage"]
    assert len(passages) == 1 and passages[0]["path"] == str(STORY)
    assert passages[0]["section"]["title"] == "Electric light arrives"
    doc = load(str(STORY))
    assert doc.source[passages[0]["start"] : passages[0]["end"]] == passages[0]["text"]
    r = invoke("search", "whale", str(STORY))
    assert r.exit_code == 0 and "whale" in r.stdout
    # clutter removed from the page is not searchable: exit 1, nothing found
    assert invoke("search", "cookies", str(STORY)).exit_code == ExitCode.NO_MATCH


def test_cli_search_url(server, invoke):
    r = invoke("search", "--json", "helicopter", f"{server}/story.html")
    assert r.exit_code == 0, r.stderr
    assert [x["path"] for x in jsonl(r.stdout) if x["type"] == "passage"] == [f"{server}/story.html"]


def test_cli_keywords_saved_page(invoke):
    r = invoke("keywords", "--json", str(STORY))
    assert r.exit_code == 0, r.stderr
    phrases = [k["phrase"].lower() for k in jsonl(r.stdout)[0]["keywords"]]
    assert "keeper" in " ".join(phrases)


def test_page_without_article_text(invoke, tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<!doctype html><html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    one_line_error(invoke("outline", str(page)), "no article text")


# ---------------------------------------------------------------- the missing extra
def test_missing_extra_message(monkeypatch, invoke):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import trafilatura -> ImportError
    with pytest.raises(InputError) as e:
        load(str(STORY))
    assert "pip install 'osce_brief[web]'" in str(e.value)
    r = invoke("outline", str(STORY))
    one_line_error(r, "trafilatura", "pip install 'osce_brief[web]'")
    # text input still works without the extra
    assert invoke("outline").exit_code == 0


# ---------------------------------------------------------------- URLs
def test_url_on_loopback(server, invoke):
    url = f"{server}/story.html"
    r = invoke("outline", "--json", url)
    assert r.exit_code == 0, r.stderr
    d = jsonl(r.stdout)[0]
    assert d["path"] == url
    assert d["meta"]["url"] == url
    assert [s["title"] for s in d["sections"]] == ARTICLE_HEADINGS
    assert _Handler.seen_agents[-1].startswith("osce_brief/")
    r = invoke("show", "2", url, "--no-pager")
    assert r.exit_code == 0 and "diesel generator" in r.stdout


def test_url_redirect_followed_and_sniffed(server):
    doc = load(f"{server}/moved")
    assert doc.meta["url"] == f"{server}/story.html"
    assert doc.path == f"{server}/moved"
    assert load(f"{server}/no-type").title == "The Lighthouse Keepers of Varnholm"
    assert load(f"{server}/real.html").sections


def test_url_plain_text(server):
    doc = load(f"{server}/notes.txt")
    assert doc.format == "text" and "forty seals" in doc.source


def test_url_not_a_page(server, invoke):
    one_line_error(invoke("outline", f"{server}/doc.pdf"), "application/pdf")


def test_save_fetched_page(server, invoke, tmp_path):
    dest = tmp_path / "saved.html"
    r = invoke("outline", f"{server}/story.html", "--save", str(dest))
    assert r.exit_code == 0, r.stderr
    assert dest.read_bytes() == STORY.read_bytes()
    # the saved copy reads offline the same way
    assert [s.title for s in load(str(dest)).sections] == ARTICLE_HEADINGS
    r = invoke("outline", f"{server}/story.html", "--save", str(tmp_path / "no" / "dir" / "x.html"))
    one_line_error(r, "cannot save")


def test_refused_file_redirect(server, invoke):
    r = invoke("outline", f"{server}/to-file")
    err = one_line_error(r, "file://", "refused")
    assert "root:" not in err


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/page.html", "FILE:///etc/hosts"])
def test_refused_schemes(invoke, url):
    one_line_error(invoke("outline", url), "refused", "http")


def test_http_404(server, invoke):
    one_line_error(invoke("outline", f"{server}/missing"), "HTTP 404")
    one_line_error(invoke("show", "1", f"{server}/broken"), "HTTP 500")


def test_timeout(server, invoke, monkeypatch):
    monkeypatch.setattr(fetch_mod, "DEFAULT_TIMEOUT", 0.5)
    t0 = time.monotonic()
    one_line_error(invoke("outline", f"{server}/slow"), "timed out")
    assert time.monotonic() - t0 < 3
    t0 = time.monotonic()
    with pytest.raises(InputError, match="timed out"):
        fetch_mod.fetch(f"{server}/trickle", timeout=0.5)
    assert time.monotonic() - t0 < 3


def test_network_failure_and_size_cap(server, invoke):
    # a closed port on loopback: connection refused
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    one_line_error(invoke("outline", f"http://127.0.0.1:{port}/x.html"), "cannot fetch")
    one_line_error(invoke("outline", f"{server}/big", "--max-bytes", "1000"), "larger than")


def test_fetch_result_to_dict(server):
    page = fetch_mod.fetch(f"{server}/story.html")
    d = page.to_dict()
    assert d["status"] == 200 and d["content_type"] == "text/html" and d["bytes"] == len(STORY.read_bytes())
    assert json.dumps(d)


# ---------------------------------------------------------------- properties
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LINES = st.sampled_from(
    [
        "# Headline here", "## Comments", "### Related stories", "## A real part", "#### Sorry!", "Review",
        "Some prose sentence that goes on for a while. Another one follows it.", "- https://example.org/x",
        "- item one", "**Listen:** http://example.org/a", "```", "code line", "", "", "> quoted words",
        "## The dek reads like a whole sentence and ends with a period.", "# Join our newsletter", "comments",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=25), st.none() | st.just("Headline here"))
def test_cleaned_markdown_parses_with_exact_offsets(lines, meta_title):
    c = clean_markdown("\n".join(lines), meta_title)
    doc = parse(c.text, "page.html", fmt="markdown")
    if c.title is not None and "```" not in c.text:  # the headline is then the only level-1 heading
        assert [line for line in c.text.splitlines() if line.startswith("# ")] == ["# " + c.title]
        assert doc.title == c.title
    for s in doc.sections:
        assert not is_clutter_heading(s.title)
    for _, p in doc.paragraphs():
        assert doc.source[p.start : p.end] == p.text
    for _, sent in doc.sentences():
        assert doc.source[sent.start : sent.end] == sent.text
