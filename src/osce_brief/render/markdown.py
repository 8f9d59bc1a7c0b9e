"""Markdown set for reading in a terminal: markdown-it-py tokens -> Rich renderables.

Used by ``brief show`` for Markdown documents (and HTML pages, which are read as
Markdown). Compared with :class:`rich.markdown.Markdown` it:

- resolves reference links (``[text][label]``, ``[label][]``) in every section with
  the link reference definitions of the *whole* document;
- shows raw HTML blocks (a ``<table>`` becomes a table, other HTML its text; comments,
  scripts and styles are left out, as a browser does);
- prints a link's URL once, after its text, when the output is piped; on a terminal an
  ``http``, ``https`` or ``mailto`` link is a clickable OSC 8 hyperlink instead (never
  any other scheme); autolinks and same-page anchors (``#foo``) print no URL;
- never cuts a long word or URL: it folds onto the next line;
- lays out at most :data:`MAX_DEPTH` levels of nested lists and quotes and flattens
  deeper ones, and shows a block nested deeper than the parser allows as its source
  text, so nothing is dropped however deep the nesting;
- stays linear and bounded on hostile input: code blocks are never highlighted, long
  ones are folded in bulk, and from the first block whose estimated cost would pass
  what is left of :data:`BUDGET_US` to the end, the Markdown is shown as its source
  text, under one visible note.

Article text never reaches Rich as markup, and every character printed goes through
:func:`osce_brief.sanitize.clean` (after markdown-it has decoded character references
such as ``&#x202E;``).
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.measure import Measurement
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..sanitize import clean, has_controls

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

    from ..model import Document, Section

#: Estimated CPU cost (microseconds of parsing and layout) one command may spend on
#: Markdown layout; past it, blocks are shown as source text. Every real document
#: tried stays below (the largest, Rust's 900 KB releases.md, needs 1.8 s of it);
#: 10 MB of hostile Markdown of any shape is laid out in a few seconds.
BUDGET_US = 4_000_000
#: A run of blocks longer than this is split (at a top-level block) before parsing.
CHUNK = 100_000
#: List and quote levels laid out with their own indent; deeper ones are flattened.
MAX_DEPTH = 6
#: markdown-it's nesting limit for blocks. A block nested deeper is shown as source text.
MAX_NESTING = 200
#: ... and for inline markup (emphasis in links in ...): past it, markup stays text.
#: Kept low: every ``[`` costs time in proportion to it.
INLINE_NESTING = 20
#: A table with more cells than this is shown as lines of cells, not a grid.
TABLE_CELLS = 3000
#: ``data:`` URLs longer than this are shortened, with their length shown.
DATA_URL_SHOW = 80

CODE = "cyan"
INLINE_CODE = "bold cyan"
LINK = "blue"
URL = "dim"
QUOTE = "magenta"
NOTE = "dim italic"
BULLETS = ("\u2022", "\u25e6", "\u25aa", "\u2023")  # • ◦ ▪ ‣
_WEB = re.compile(r"(?i)^(?:https?://|mailto:)[\x21-\x7e]+$")
_HEADING_STYLE = {1: "bold underline", 2: "bold underline", 3: "bold", 4: "bold italic", 5: "italic", 6: "dim italic"}

_md: MarkdownIt | None = None
_ref_md: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    """The parser for layout: CommonMark, tables, strikethrough, every link scheme.

    Links with ``javascript:``, ``file:`` or ``data:`` targets are parsed as links
    (markdown-it refuses them, which would print their raw syntax); what is done
    with a target is decided when it is shown (:func:`_link_kind`).
    """
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
        md.validateLink = lambda url: True  # type: ignore[method-assign]

        def block_nesting(state) -> None:
            state.md.options["maxNesting"] = MAX_NESTING

        def inline_nesting(state) -> None:
            state.md.options["maxNesting"] = INLINE_NESTING

        # one option serves both parsers; deep blocks need a high limit, inline a low one
        md.core.ruler.before("block", "brief_block_nesting", block_nesting)
        md.core.ruler.before("inline", "brief_inline_nesting", inline_nesting)
        _md = md
    return _md


def _ref_parser() -> MarkdownIt:
    """Block-level parsing only: enough to collect link reference definitions."""
    global _ref_md
    if _ref_md is None:
        from markdown_it import MarkdownIt

        _ref_md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table"])
        _ref_md.disable(["inline", "text_join"], ignoreInvalid=True)
        _ref_md.validateLink = lambda url: True  # type: ignore[method-assign]
    return _ref_md


# ----------------------------------------------------------------- cost estimate
_ITEM_LINE = re.compile(r"(?m)^[ \t]*(?:[-+*>]|\d{1,9}[.)])")
_DELIM_ROW = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-+:?[ \t]*\|")


def estimate_us(text: str, limit: float = float("inf")) -> float:
    """Rough CPU cost in microseconds of parsing and laying out ``text`` as Markdown.

    Calibrated in CPU time with markdown-it-py and Rich on hostile shapes (see
    bench/show_markdown.py): about 0.6 us a character of prose, 30 us a line, 15 us
    an inline marker, 25 us a table cell, 45 us an opening bracket, 40 us more a
    list or quote line and 14 us a level of indent, 300 us a table, 80 us a call.
    Stops counting once past ``limit``.
    """
    c = text.count
    markers = c("*") + c("_") + c("`") + c("<") + c("&") + c("~") + c("!")
    est = 80 + 0.6 * len(text) + 30 * c("\n") + 15 * markers + 25 * c("|") + 45 * c("[") + 14 * c("  ")
    if est > limit:
        return est
    est += 40 * sum(1 for _ in _ITEM_LINE.finditer(text))
    if est > limit or "|" not in text:
        return est
    return est + 300 * sum(1 for _ in _DELIM_ROW.finditer(text))


# ----------------------------------------------------------------- renderables
class Verbatim:
    """Lines shown as they are (code, or source text), folded at the width.

    Built for size: lines are folded in plain Python and given to Rich as a few
    large segments, so a block of a million lines costs about a second.

    Args:
        text: the text (already cleaned); tabs are expanded to 4 columns.
        style: one style for all of it.
        indent: spaces before every line.
        words: wrap at spaces (prose) instead of folding at the width (code).
    """

    def __init__(self, text: str, style: str | Style = "", indent: int = 0, words: bool = False) -> None:
        self.text = text
        self.style = style
        self.indent = indent
        self.words = words

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width - self.indent)
        pad = " " * self.indent
        style = console.get_style(self.style) if self.style else None
        buf: list[str] = []
        size = 0
        for line in self.text.split("\n"):
            if "\t" in line:
                line = line.expandtabs(4)
            if len(line) <= width and (line.isascii() or _cells(line) <= width):
                pieces = [line]
            else:
                pieces = _wrap_words(line, width) if self.words else _fold(line, width)
            for p in pieces:
                buf.append(pad + p if p else "")
                size += len(p) + self.indent + 1
            if size > 65536:
                yield Segment("\n".join(buf) + "\n", style)
                buf, size = [], 0
        if buf:
            yield Segment("\n".join(buf) + "\n", style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((_cells(line) for line in self.text.split("\n")), default=0) + self.indent
        return Measurement(min(longest, 1 + self.indent), min(longest, options.max_width))


class Prefixed:
    """Blocks laid out beside a prefix: ``first`` on the first line, ``rest`` below
    it (a list bullet and its hanging indent, a quote bar)."""

    def __init__(self, body: list[RenderableType], first: Text, rest: Text) -> None:
        self.body = body
        self.first = first
        self.rest = rest

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = max(self.first.cell_len, self.rest.cell_len)
        width = max(1, options.max_width - indent)
        first = list(text_segments(console, self.first))
        rest = list(text_segments(console, self.rest))
        new_line = Segment.line()
        if len(self.body) == 1 and type(self.body[0]) is Text:
            # the common case (a list item or quote of one paragraph), without the
            # generic line splitting
            for i, line in enumerate(self.body[0].wrap(console, width)):
                yield from first if i == 0 else rest
                yield from text_segments(console, line)
                yield new_line
            return
        lines = console.render_lines(Group(*self.body), options.update(width=width, height=None), pad=False) if self.body else []
        if not lines:
            yield from first
            yield new_line
            return
        for i, line in enumerate(lines):
            yield from first if i == 0 else rest
            yield from line
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = max(self.first.cell_len, self.rest.cell_len)
        inner = Measurement.get(console, options.update_width(max(1, options.max_width - indent)), Group(*self.body))
        return Measurement(inner.minimum + indent, inner.maximum + indent)


class Sanitized:
    """Every character of ``renderable`` goes through :func:`clean` on its way out.

    The layout already cleans the text it builds; this is the net under it, so no
    control or bidi character can reach the terminal whatever a renderable does.
    """

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for seg in console.render(self.renderable, options):
            if seg.control or not has_controls(seg.text):
                yield seg
            else:
                yield Segment(clean(seg.text), seg.style)


def text_segments(console: Console, text: Text) -> RenderResult:
    """The segments of one line of ``text``, its own style included (``Text.render``
    leaves the base style out when there are no spans)."""
    if not text.spans and text.style:
        yield Segment(text.plain, console.get_style(text.style))
    else:
        yield from text.render(console)


def _cells(s: str) -> int:
    from rich.cells import cell_len

    return cell_len(s)


def _fold(line: str, width: int) -> list[str]:
    """``line`` cut into pieces of at most ``width`` cells."""
    if line.isascii():
        return [line[i : i + width] for i in range(0, len(line), width)] or [""]
    from rich.cells import chop_cells

    return chop_cells(line, width) or [""]


_WORD = re.compile(r"\S+\s*")


_WRAP_RE: dict[int, re.Pattern[str]] = {}


def _wrap_words(line: str, width: int) -> list[str]:
    """Greedy word wrap of one line; words wider than ``width`` are folded.
    Leading spaces are kept, and continuation lines get the same indent."""
    lead = len(line) - len(line.lstrip(" "))
    if lead and lead < len(line):
        ind = min(lead, width // 2)
        return [" " * ind + x for x in _wrap_words(line[lead:], max(1, width - ind))]
    if line.isascii() and "\t" not in line:
        pat = _WRAP_RE.get(width)
        if pat is None:
            # the longest run of at most `width` characters that ends before a space
            # (or at the end), else `width` characters of a longer word
            pat = _WRAP_RE[width] = re.compile(r" *(?:(.{1,%d})(?: +|$)|(.{%d}))" % (width, width))
        out = [m.group(1) if m.group(1) is not None else m.group(2) for m in pat.finditer(line) if m.group(1) or m.group(2)]
        return [x.rstrip(" ") for x in out] or [""]
    out: list[str] = []
    cur = ""
    cur_len = 0
    ascii_ = line.isascii()
    for m in _WORD.finditer(line):
        word = m.group(0)
        bare = word.rstrip()
        n = len(bare) if ascii_ else _cells(bare)
        if cur_len + n <= width:
            cur += word
            cur_len += len(word) if ascii_ else _cells(word)
            continue
        if cur.strip():
            out.append(cur.rstrip())
        if n > width:
            pieces = _fold(bare, width)
            out.extend(pieces[:-1])
            cur = pieces[-1] + word[len(bare) :]
        else:
            cur = word
        cur_len = len(cur) if ascii_ else _cells(cur)
    if cur.strip() or not out:
        out.append(cur.rstrip())
    return out


# ----------------------------------------------------------------- links
def _link_kind(href: str) -> str:
    """``anchor`` (same page), ``web`` (http, https, mailto) or ``other``."""
    if href.startswith("#"):
        return "anchor"
    if _WEB.match(href):
        return "web"
    return "other"


def _show_url(href: str) -> str:
    """The URL as printed after a link's text (a long ``data:`` URL shortened)."""
    if href[:5].lower() == "data:" and len(href) > DATA_URL_SHOW:
        return f"{href[:DATA_URL_SHOW]}\u2026 ({len(href):,} characters)"
    return href


def _same_as_text(label: str, href: str) -> bool:
    """True when the link's text already says its URL (autolink style)."""
    label = label.strip()
    if not label:
        return False
    if label == href or label == _decoded(href):
        return True
    low = href.lower()
    if low.startswith("mailto:") and label == href[7:]:
        return True
    for scheme in ("https://", "http://"):
        if low.startswith(scheme) and label.rstrip("/") == href[len(scheme) :].rstrip("/"):
            return True
    return False


def _decoded(href: str) -> str:
    try:
        from markdown_it.common.normalize_url import normalizeLinkText

        return normalizeLinkText(href)
    except Exception:  # noqa: BLE001 - display helper only
        return href


# ----------------------------------------------------------------- inline
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*?)(/?)\s*>", re.S)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TAG_STYLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "cite": "italic",
    "var": "italic",
    "dfn": "italic",
    "code": INLINE_CODE,
    "kbd": INLINE_CODE,
    "samp": INLINE_CODE,
    "tt": INLINE_CODE,
    "s": "strike",
    "del": "strike",
    "strike": "strike",
    "u": "underline",
    "ins": "underline",
    "mark": "reverse",
}


def _attrs(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        val = m.group(2) or ""
        if val[:1] in "\"'" and len(val) >= 2:
            val = val[1:-1]
        out.setdefault(m.group(1).lower(), unescape(val))
    return out


class _Inline:
    """Builds one :class:`Text` from inline pieces: styles, links, images."""

    def __init__(self, links: bool, style: str = "") -> None:
        self.links = links
        self.text = Text(style=style, overflow="fold")
        self.styles: list[str] = []
        self.open_links: list[tuple[str | None, int, bool]] = []  # (href or None, start, autolink)
        self.tail = ""  # the last character added

    @property
    def style(self) -> str:
        return " ".join(self.styles)

    def add(self, s: str, extra: str = "") -> None:
        if s:
            style = self.style
            if extra:
                style = f"{style} {extra}" if style else extra
            self.text.append(clean(s), style or None)
            self.tail = s[-1]

    def line_break(self) -> None:
        self.text.append("\n")
        self.tail = "\n"

    def at_line_start(self) -> bool:
        """True when nothing, a space or a line break was added last."""
        return self.tail in ("", " ", "\n")

    def push(self, style: str) -> None:
        self.styles.append(style)

    def pop(self, style: str) -> None:
        for i in range(len(self.styles) - 1, -1, -1):
            if self.styles[i] == style:
                del self.styles[i]
                return

    def open_link(self, href: str | None, autolink: bool = False) -> None:
        self.open_links.append((href, len(self.text), autolink))

    def close_link(self) -> None:
        if not self.open_links:
            return
        href, start, autolink = self.open_links.pop()
        if href is None:
            return
        self._finish_link(href, start, autolink, in_link=bool(self.open_links))

    def _finish_link(self, href: str, start: int, autolink: bool, in_link: bool = False) -> None:
        end = len(self.text)
        kind = _link_kind(href)
        label = self.text.plain[start:end]
        if kind == "anchor":
            self.text.stylize(LINK, start, end)
            return
        if kind == "web" and self.links:
            self.text.stylize(Style(color=LINK, link=href), start, end)
            return
        self.text.stylize(LINK, start, end)
        if autolink or _same_as_text(label, href) or in_link:
            return
        self.text.append(" (", URL)
        self.text.append(clean(_show_url(href)), URL)
        self.text.append(")", URL)

    def image(self, alt: str, src: str) -> None:
        start = len(self.text)
        self.add(f"[image: {alt}]" if alt.strip() else "[image]", "italic")
        if src and not self.open_links:
            self._finish_link(src, start, False)

    def html(self, raw: str) -> None:
        """An inline HTML tag: links, images, line breaks and text styles are kept,
        other tags dropped (their content stays, as text)."""
        if raw.startswith("<!--") or raw.startswith("<?") or raw.startswith("<!"):
            return
        m = _TAG.match(raw)
        if not m:
            self.add(raw)
            return
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name == "br":
            self.line_break()
        elif name == "img":
            a = _attrs(m.group(3))
            self.image(a.get("alt", ""), a.get("src", ""))
        elif name == "a":
            if closing:
                self.close_link()
            elif not m.group(4):
                self.open_link(_attrs(m.group(3)).get("href") or None)
        elif name in _TAG_STYLE:
            style = _TAG_STYLE[name]
            if closing:
                self.pop(style)
            elif not m.group(4):
                self.push(style)

    def finish(self) -> Text:
        while self.open_links:
            self.close_link()
        return self.text


def inline_text(children, links: bool, style: str = "") -> Text:
    """A Text from the children of an ``inline`` token."""
    b = _Inline(links, style)
    for c in children or ():
        t = c.type
        if t == "text":
            b.add(c.content)
        elif t == "softbreak":
            b.add(" ")
        elif t == "hardbreak":
            b.line_break()
        elif t == "code_inline":
            b.add(c.content, INLINE_CODE)
        elif t == "em_open":
            b.push("italic")
        elif t == "em_close":
            b.pop("italic")
        elif t == "strong_open":
            b.push("bold")
        elif t == "strong_close":
            b.pop("bold")
        elif t == "s_open":
            b.push("strike")
        elif t == "s_close":
            b.pop("strike")
        elif t == "link_open":
            b.open_link(c.attrGet("href") or "", c.markup == "autolink")
        elif t == "link_close":
            b.close_link()
        elif t == "image":
            b.image(c.content or "", str(c.attrGet("src") or ""))
        elif t == "html_inline":
            b.html(c.content)
        elif c.content:
            b.add(c.content)
    return b.finish()


# ----------------------------------------------------------------- HTML blocks
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section summary table tbody td tfoot th "
    "thead tr ul caption".split()
)
_SKIP_TAGS = frozenset({"script", "style", "template", "head", "title", "noscript"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source", "embed", "param", "track"})


class _HtmlReader(HTMLParser):
    """Raw HTML -> blocks: paragraphs, headings, list items, preformatted text and
    tables (a ``<table>`` becomes a grid). Text is kept, tags are dropped."""

    def __init__(self, links: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.links = links
        self.blocks: list[RenderableType] = []
        self.cur = _Inline(links)
        self.skip = 0
        self.pre: list[str] | None = None
        self.lists: list[list] = []  # [ordered, next number]
        self.marker: str | None = None
        self.tables: list[dict] = []
        self.heading: str | None = None
        self.tight: set[int] = set()  # indexes of list-item blocks (no blank line between them)

    # -- text
    def _target(self) -> _Inline:
        t = self.tables[-1] if self.tables else None
        if t is not None and t["cell"] is not None:
            return t["cell"]
        return self.cur

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre is not None:
            self.pre.append(data)
            return
        tgt = self._target()
        data = re.sub(r"\s+", " ", data)
        if tgt.at_line_start():
            data = data.lstrip(" ")
        tgt.add(data)

    # -- structure
    def flush(self) -> None:
        text = self.cur.finish()
        text.rstrip()
        if text.plain.strip():
            if self.heading:
                text.stylize(self.heading)
            if self.lists:
                depth = min(len(self.lists), MAX_DEPTH) - 1
                first = self.marker if self.marker is not None else ""
                self.marker = None
                ind = "  " * depth
                self.blocks.append(Prefixed([text], Text(ind + first.ljust(2)), Text(ind + "  ")))
                self.tight.add(len(self.blocks) - 1)
            else:
                self.blocks.append(text)
        self.cur = _Inline(self.links)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        a = {k: (v or "") for k, v in attrs}
        if self.pre is not None:
            return
        if tag == "table":
            if self.tables and self.tables[-1]["cell"] is not None:
                self.tables.append({"rows": [], "row": None, "cell": None, "nested": True})
            else:
                self.flush()
                self.tables.append({"rows": [], "row": None, "cell": None, "nested": False})
            return
        if self.tables:
            t = self.tables[-1]
            if tag == "tr":
                self._end_row(t)
                t["row"] = []
                return
            if tag in ("td", "th"):
                self._end_cell(t)
                if t["row"] is None:
                    t["row"] = []
                t["cell"] = _Inline(self.links)
                t["cell_th"] = tag == "th"
                return
            if t["cell"] is not None:
                self._inline_tag(t["cell"], tag, a, closing=False)
                return
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag in ("ul", "ol"):
                self.lists.append([tag == "ol", int(a.get("start") or 1) if (a.get("start") or "").isdigit() else 1])
            elif tag == "li":
                if self.lists and self.lists[-1][0]:
                    self.marker = f"{self.lists[-1][1]}."
                    self.lists[-1][1] += 1
                else:
                    self.marker = BULLETS[(len(self.lists) - 1) % len(BULLETS)] if self.lists else "\u2022"
            elif tag == "pre":
                self.pre = []
            elif tag == "hr":
                self.blocks.append(Rule(style="dim"))
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.heading = _HEADING_STYLE[int(tag[1])]
            return
        self._inline_tag(self.cur, tag, a, closing=False)

    def _inline_tag(self, tgt: _Inline, tag: str, a: dict, closing: bool) -> None:
        if tag == "br":
            if not closing:
                tgt.line_break()
        elif tag == "img":
            if not closing:
                tgt.image(a.get("alt", ""), a.get("src", ""))
        elif tag == "a":
            if closing:
                tgt.close_link()
            else:
                tgt.open_link(a.get("href") or None)
        elif tag in _TAG_STYLE:
            (tgt.pop if closing else tgt.push)(_TAG_STYLE[tag])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag in ("a",):
            self.handle_starttag(tag, attrs)
            if tag == "a":
                self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if self.pre is not None:
            if tag == "pre":
                body = "".join(self.pre).strip("\n")
                self.pre = None
                if body.strip():
                    self.blocks.append(Verbatim(clean(body), CODE, indent=4))
            return
        if self.tables:
            t = self.tables[-1]
            if tag == "table":
                self._end_row(t)
                self.tables.pop()
                if t["nested"] and self.tables and self.tables[-1]["cell"] is not None:
                    cell = self.tables[-1]["cell"]
                    for row in t["rows"]:
                        cell.line_break()
                        cell.text.append_text(Text(" \u2502 ").join(c for _, c in row))
                        cell.tail = "x"
                else:
                    self._emit_table(t["rows"])
                return
            if tag == "tr":
                self._end_row(t)
                return
            if tag in ("td", "th"):
                self._end_cell(t)
                return
            if t["cell"] is not None:
                if tag in _BLOCK_TAGS:
                    t["cell"].line_break()
                else:
                    self._inline_tag(t["cell"], tag, {}, closing=True)
                return
        if tag in _BLOCK_TAGS:
            self.flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.heading = None
            return
        self._inline_tag(self.cur, tag, {}, closing=True)

    def _end_cell(self, t: dict) -> None:
        if t["cell"] is not None:
            cell = t["cell"].finish()
            cell.rstrip()
            if t["row"] is None:
                t["row"] = []
            t["row"].append((t.get("cell_th", False), cell))
            t["cell"] = None

    def _end_row(self, t: dict) -> None:
        self._end_cell(t)
        if t["row"]:
            t["rows"].append(t["row"])
        t["row"] = None

    def _emit_table(self, rows: list[list[tuple[bool, Text]]]) -> None:
        if not rows:
            return
        header = None
        if all(th for th, _ in rows[0]):
            header = [c for _, c in rows[0]]
            rows = rows[1:]
        self.blocks.append(table(header, [[c for _, c in r] for r in rows], None))

    def close(self) -> None:
        super().close()
        if self.pre is not None:
            body = "".join(self.pre).strip("\n")
            self.pre = None
            if body.strip():
                self.blocks.append(Verbatim(clean(body), CODE, indent=4))
        while self.tables:
            t = self.tables[-1]
            self.handle_endtag("table")
            if self.tables and self.tables[-1] is t:  # pragma: no cover - defensive
                self.tables.pop()
        self.flush()


def html_blocks(html: str, links: bool) -> list[RenderableType]:
    """The blocks of a raw HTML block, as renderables (comments and scripts left out)."""
    r = _HtmlReader(links)
    try:
        r.feed(html)
        r.close()
    except Exception:  # noqa: BLE001 - malformed HTML: show its text
        return [Verbatim(clean(html), words=True)]
    if len(r.blocks) < 2:
        return r.blocks
    out: list[RenderableType] = []
    for k, b in enumerate(r.blocks):
        if k and not (k in r.tight and k - 1 in r.tight):
            out.append(Text(""))
        out.append(b)
    return [Group(*out)]


# ----------------------------------------------------------------- tables
def table(header: list[Text] | None, rows: list[list[Text]], aligns: list[str | None] | None) -> RenderableType:
    """A grid for the cells, or (too many cells) one line of cells per row."""
    ncols = max([len(header or [])] + [len(r) for r in rows] + [0])
    cells = ncols * (len(rows) + 1)
    if ncols == 0:
        return Text("")
    if cells > TABLE_CELLS:
        return _row_lines(header, rows)
    return _Grid(header, rows, aligns, ncols)


def _row_lines(header: list[Text] | None, rows: list[list[Text]]) -> RenderableType:
    sep = Text(" \u2502 ", "dim")
    out: list[RenderableType] = []
    if header:
        h = sep.join(header)
        h.stylize("bold")
        out.append(h)
    for r in rows:
        t = sep.join(r)
        t.overflow = "fold"
        out.append(t)
    return Group(*out)


class _Grid:
    """A Rich table, or lines of cells when the width cannot hold the columns."""

    def __init__(self, header, rows, aligns, ncols) -> None:
        self.header, self.rows, self.aligns, self.ncols = header, rows, aligns or [], ncols

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.ncols * 6 > options.max_width:
            yield _row_lines(self.header, self.rows)
            return
        t = Table(box=box.SIMPLE_HEAD, show_header=self.header is not None, show_edge=False, pad_edge=False, header_style="bold")
        for i in range(self.ncols):
            align = self.aligns[i] if i < len(self.aligns) else None
            h = self.header[i] if self.header and i < len(self.header) else Text("")
            t.add_column(h, justify=align or "left", overflow="fold")
        for r in self.rows:
            cells = list(r) + [Text("")] * (self.ncols - len(r))
            t.add_row(*cells[: self.ncols])
        yield t


# ----------------------------------------------------------------- blocks
class _Box:
    """A container being built: the root, a list, a list item or a quote."""

    __slots__ = ("kind", "items", "tight", "ordered", "start", "flat", "depth", "marker", "started", "count")

    def __init__(self, kind: str, depth: int, flat: bool = False) -> None:
        self.kind = kind
        self.items: list = []
        self.tight = False
        self.ordered = False
        self.start = 1
        self.flat = flat
        self.depth = depth
        self.marker = ""
        self.started = False
        self.count = 0


def _item_prefix(marker: str, width: int) -> tuple[Text, Text]:
    return Text(marker.rjust(width) + " ", "bold"), Text(" " * (width + 1))


#: MyST / Sphinx admonitions (```` ```{note} ````): their body is Markdown, shown in a box.
ADMONITIONS = frozenset(
    "admonition attention caution danger error hint important note seealso tip todo warning "
    "versionadded versionchanged deprecated".split()
)
_DIRECTIVE = re.compile(r"^\{([A-Za-z][\w-]*)\}[ \t]*(.*)$")
_DIRECTIVE_OPTION = re.compile(r"\A(?:[ \t]*:[\w-]+:.*\n)+")


def blocks_from_tokens(tokens, links: bool, parse=None, depth: int = 0) -> list[RenderableType]:
    """Renderables for a token stream (one per top-level block).

    Iterative, so no depth of nesting can exhaust the Python stack; lists and
    quotes deeper than :data:`MAX_DEPTH` are laid out flat at that depth.
    ``parse`` (text -> tokens or None) lays out the Markdown body of admonition
    fences, up to 3 levels deep; without it they are code.
    """
    root = _Box("root", 0)
    stack: list[_Box] = [root]

    def target() -> _Box:
        for b in reversed(stack):
            if not b.flat:
                return b
        return root  # pragma: no cover

    def add(r: RenderableType) -> None:
        top = stack[-1]
        if top.flat:
            # flattened container: prefix each block here, file it with the nearest laid-out box
            prefix_first, prefix_rest = _flat_prefix(stack)
            target().items.append(Prefixed([r], prefix_first, prefix_rest))
        else:
            top.items.append(r)

    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        typ = t.type
        if typ == "paragraph_open":
            inline = tokens[i + 1] if i + 1 < n else None
            if inline is not None and inline.type == "inline":
                add(inline_text(inline.children, links))
                i += 3
                continue
        elif typ == "heading_open":
            inline = tokens[i + 1] if i + 1 < n else None
            if inline is not None and inline.type == "inline":
                add(inline_text(inline.children, links, _HEADING_STYLE.get(int(t.tag[1:] or 6), "bold")))
                i += 3
                continue
        elif typ in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            depth = sum(1 for b in stack if b.kind in ("list", "quote") and not b.flat)
            kind = "quote" if typ == "blockquote_open" else "list"
            box_ = _Box(kind, depth, flat=depth >= MAX_DEPTH)
            if kind == "list":
                lists = sum(1 for b in stack if b.kind == "list" and not b.flat)
                box_.marker = BULLETS[lists % len(BULLETS)]  # bullet shape by list depth
                box_.ordered = typ == "ordered_list_open"
                start = t.attrGet("start")
                box_.start = int(start) if isinstance(start, (int, str)) and str(start).isdigit() else 1
                box_.tight = _is_tight(tokens, i)
            stack.append(box_)
        elif typ == "list_item_open":
            lst = stack[-1]
            item = _Box("item", lst.depth, flat=lst.flat)
            item.marker = f"{lst.start + lst.count}." if lst.ordered else lst.marker
            lst.count += 1
            item.tight = lst.tight
            stack.append(item)
        elif typ == "list_item_close":
            if stack[-1].flat and not stack[-1].started:
                add(Text(""))  # an empty flattened item still shows its bullet
            item = stack.pop()
            if not item.flat:
                stack[-1].items.append(item)
        elif typ in ("bullet_list_close", "ordered_list_close"):
            lst = stack.pop()
            if not lst.flat:
                add(_list_renderable(lst))
        elif typ == "blockquote_close":
            q = stack.pop()
            if not q.flat:
                bar = Text("\u258c ", QUOTE)
                add(Prefixed(_spaced(q.items, False), bar, bar))
        elif typ in ("fence", "code_block"):
            m = _DIRECTIVE.match(t.info.strip()) if typ == "fence" and parse is not None and depth < 3 else None
            inner = None
            if m and m.group(1).lower() in ADMONITIONS:
                inner = parse(_DIRECTIVE_OPTION.sub("", t.content))
            if inner is not None:
                title = Text(clean(m.group(2) or m.group(1).capitalize()), "bold")
                body = blocks_from_tokens(inner, links, parse, depth + 1)
                bar = Text("\u2502 ", QUOTE)
                add(Prefixed(_spaced([title, *body], False), bar, bar))
            else:
                add(Verbatim(clean(t.content.rstrip("\n")), CODE, indent=4))
        elif typ == "hr":
            add(Rule(style="dim"))
        elif typ == "html_block":
            for r in html_blocks(t.content, links):
                add(r)
        elif typ == "table_open":
            j, r = _table_from_tokens(tokens, i, links)
            add(r)
            i = j
        elif typ == "inline":  # stray inline (should not happen): keep its text
            add(inline_text(t.children, links))
        i += 1
    return root.items


def _flat_prefix(stack: list[_Box]) -> tuple[Text, Text]:
    """Prefix for a block inside flattened containers: the bullet of a flattened item
    on its first block, the quote bar inside a flattened quote."""
    top = stack[-1]
    if top.kind == "item":
        if not top.started:
            top.started = True
            return Text(top.marker + " ", "bold"), Text("  ")
        return Text("  "), Text("  ")
    if top.kind == "quote":
        bar = Text("\u258c ", QUOTE)
        return bar, bar
    return Text(""), Text("")


def _is_tight(tokens, i: int) -> bool:
    """A list is tight when its paragraphs are hidden (markdown-it marks them)."""
    level = tokens[i].level
    for j in range(i + 1, len(tokens)):
        t = tokens[j]
        if t.level <= level and t.type.endswith("_list_close"):
            return True
        if t.type == "paragraph_open" and t.level == level + 2:
            return bool(t.hidden)
    return True


def _spaced(items: list[RenderableType], tight: bool) -> list[RenderableType]:
    if tight or len(items) < 2:
        return list(items)
    out: list[RenderableType] = []
    for k, r in enumerate(items):
        if k:
            out.append(Text(""))
        out.append(r)
    return out


def _list_renderable(lst: _Box) -> RenderableType:
    items = [x for x in lst.items if isinstance(x, _Box) and x.kind == "item"]
    width = max((len(x.marker) for x in items), default=1)
    out: list[RenderableType] = []
    for k, item in enumerate(items):
        if k and not lst.tight:
            out.append(Text(""))
        first, rest = _item_prefix(item.marker, width)
        out.append(Prefixed(_spaced(item.items, lst.tight), first, rest))
    return Group(*out)


def _table_from_tokens(tokens, i: int, links: bool) -> tuple[int, RenderableType]:
    """Read a GFM table from ``table_open`` at ``i``; return (index of table_close, grid)."""
    header: list[Text] = []
    rows: list[list[Text]] = []
    aligns: list[str | None] = []
    row: list[Text] | None = None
    in_head = False
    n = len(tokens)
    j = i + 1
    while j < n:
        t = tokens[j]
        typ = t.type
        if typ == "table_close":
            break
        if typ == "thead_open":
            in_head = True
        elif typ == "thead_close":
            in_head = False
        elif typ == "tr_open":
            row = []
        elif typ == "tr_close":
            if row is not None:
                (header.extend(row) if in_head and not header else rows.append(row))
            row = None
        elif typ in ("th_open", "td_open"):
            if in_head:
                st = str(t.attrGet("style") or "")
                m = re.search(r"text-align:(left|center|right)", st)
                aligns.append(m.group(1) if m else None)
        elif typ == "inline" and row is not None:
            row.append(inline_text(t.children, links))
        j += 1
    return j, table(header or None, rows, aligns)


# ----------------------------------------------------------------- references
_REF_LINE = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*\[[^\]\n]{1,999}\]:", re.M)
_BLANK = re.compile(r"\n[ \t]*(?:\n|\Z)")
#: At most this much text is read for link reference definitions (Rust's
#: releases.md, with 3,000 of them, has 220 KB; each costs about 50 us).
REF_TEXT_MAX = 500_000


def collect_references(doc: Document) -> dict:
    """The link reference definitions of the whole document (normalized label ->
    href, title), as markdown-it stores them; definitions inside code blocks don't count."""
    src = doc.source
    code: list[tuple[int, int]] = []
    for s in doc.all_sections():
        for p in s.paragraphs:
            if p.kind == "code":
                code.append((p.start, p.end))
    code.sort()
    env: dict = {"references": {}}
    md = _ref_parser()
    pos = 0
    read = 0
    ci = 0
    for m in _REF_LINE.finditer(src):
        s = m.start()
        if s < pos:
            continue
        while ci < len(code) and code[ci][1] <= s:
            ci += 1
        if ci < len(code) and code[ci][0] <= s < code[ci][1]:
            pos = code[ci][1]
            continue
        b = _BLANK.search(src, s)
        e = b.start() + 1 if b else len(src)
        if e - s > 20_000:
            e = src.find("\n", s + 20_000)
            e = len(src) if e < 0 else e
        group = src[s:e]
        read += len(group)
        if read > REF_TEXT_MAX:
            break
        try:
            md.parse(_dedent(group), env)
        except RecursionError:  # pragma: no cover - bounded by MAX_NESTING
            pass
        pos = e
    return env["references"]


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indent = len(lines[0]) - len(lines[0].lstrip(" \t"))
    if not indent:
        return text
    return "\n".join(ln[min(indent, len(ln) - len(ln.lstrip(" \t"))) :] for ln in lines)


# ----------------------------------------------------------------- the view
_REFS: dict[int, tuple[object, dict]] = {}


class MarkdownView:
    """Lays out the sections of one Markdown document.

    Holds what the sections share: the document's link reference definitions and
    the cost budget (sections are laid out in the order they are printed).
    """

    def __init__(self, doc: Document, budget_us: float | None = None) -> None:
        self.doc = doc
        self.budget = BUDGET_US if budget_us is None else budget_us
        self._refs: dict | None = None
        self.fallbacks = 0  # blocks shown as source text
        self.exhausted = False  # the budget ran out

    @property
    def references(self) -> dict:
        """The document's link reference definitions (collected on first use, and
        kept for the last few documents: the reader lays out one section at a time)."""
        if self._refs is None:
            hit = _REFS.get(id(self.doc))
            if hit is not None and hit[0] is self.doc:
                self._refs = hit[1]
            else:
                self._refs = collect_references(self.doc)
                if len(_REFS) >= 4:
                    _REFS.pop(next(iter(_REFS)))
                _REFS[id(self.doc)] = (self.doc, self._refs)
            self.budget -= 50 * len(self._refs)
        return self._refs

    def body(self, section: Section) -> RenderableType:
        """A renderable for the body of ``section`` (laid out when printed)."""
        return _Body(self, section)

    def chunks(self, section: Section) -> list[tuple[int, int, list]]:
        """Spans of the section's body to parse, at top-level block boundaries:
        (start, end, paragraphs). Meta paragraphs (front matter, title, link
        definitions) separate them and are not shown."""
        src = self.doc.source
        runs: list[list] = []
        cur: list = []
        for p in section.paragraphs:
            if p.kind == "meta":
                if cur:
                    runs.append(cur)
                cur = []
            else:
                cur.append(p)
        if cur:
            runs.append(cur)
        out: list[tuple[int, int, list]] = []
        for run in runs:
            part: list = []
            size = 0
            for p in run:
                if part and size > CHUNK and _at_column0(src, p.start):
                    out.append(self._span(part))
                    part, size = [], 0
                part.append(p)
                size += p.end - p.start
            if part:
                out.append(self._span(part))
        return out

    def _span(self, paras: list) -> tuple[int, int, list]:
        return _line_start(self.doc.source, paras[0].start), paras[-1].end, paras

    def blocks(self, section: Section, links: bool) -> list[RenderableType]:
        """The section's body as renderables (one per top-level block)."""
        src = self.doc.source
        out: list[RenderableType] = []
        run: Verbatim | None = None
        for s, e, paras in self.chunks(section):
            simple = _simple(src, paras)
            if simple is not None:
                # paragraphs without markup: wrapped in bulk (300,000 of them take a
                # second, not ten); consecutive runs make one block
                if run is not None and out and out[-1] is run:
                    run.text += "\n\n" + clean("\n\n".join(simple))
                else:
                    run = Verbatim(clean("\n\n".join(simple)), words=True)
                    out.append(run)
                continue
            text = src[s:e]
            cost = estimate_us(text, self.budget)
            if cost > self.budget:
                # out of budget: this block and everything after it as source text
                note = None
                if not self.exhausted:
                    self.exhausted = True
                    note = "[brief: from here on, the Markdown is shown as its source text: too large to lay out in time]"
                self.budget = 0
                out.extend(self._as_source(paras, note))
                continue
            self.budget -= cost
            tokens = self._parse(text)
            if tokens is None:
                note = f"[brief: {e - s:,} characters of Markdown nested too deeply to lay out, shown as source text]"
                out.extend(self._as_source(paras, note))
                continue
            out.extend(blocks_from_tokens(tokens, links, self._parse))
        return out

    def _parse(self, text: str):
        env = {"references": self.references}
        try:
            tokens = _parser().parse(text, env)
        except RecursionError:
            return None
        if any(t.level >= MAX_NESTING - 1 for t in tokens):
            return None  # markdown-it stopped at its nesting limit: it dropped text
        return tokens

    def _as_source(self, paras: list, note: str | None) -> list[RenderableType]:
        self.fallbacks += 1
        src = self.doc.source
        out: list[RenderableType] = [Text(note, NOTE)] if note else []
        for p in paras:
            body = clean(src[_line_start(src, p.start) : p.end])
            if p.kind == "code":
                out.append(Verbatim(body, CODE))
            elif p.kind in ("table",):
                out.append(Verbatim(body))
            else:
                out.append(Verbatim(_compact_indent(body), words=True))
        return out


def _compact_indent(text: str) -> str:
    """Indentation capped at 2 columns a level up to :data:`MAX_DEPTH` levels
    (a 60-level list stays readable as source text)."""
    if "\n " not in text and not text.startswith(" "):
        return text
    cap = 2 * MAX_DEPTH

    def fix(m: re.Match[str]) -> str:
        return " " * min(len(m.group(0).expandtabs(4)), cap)

    return re.sub(r"(?m)^[ \t]+", fix, text)


_SIMPLE_LINE = re.compile(r"[^\W\d_][^\\`*_\[\]<>&!|~#\n\r\t]*")


def _simple(src: str, paras: list) -> list[str] | None:
    """The texts of prose paragraphs that hold no Markdown at all (each starts a
    line, each line starts with a letter and has no markup character), which need
    no parsing; else None."""
    out: list[str] = []
    for p in paras:
        if p.kind != "text" or not _at_column0(src, p.start):
            return None
        lines = p.text.split("\n")
        for k, line in enumerate(lines):
            line = line.strip(" ")
            if not _SIMPLE_LINE.fullmatch(line) or (k < len(lines) - 1 and lines[k].endswith("  ")):
                return None
        out.append(" ".join(line.strip(" ") for line in lines))
    return out


def _line_start(src: str, pos: int) -> int:
    """Offset of the start of the line holding ``pos`` (searching back only to the
    nearest line break, so calling it for every block stays linear)."""
    nl = src.rfind("\n", 0, pos)
    cr = src.rfind("\r", nl + 1, pos)
    return max(nl, cr) + 1


def _at_column0(src: str, pos: int) -> bool:
    return pos == 0 or src[pos - 1] in "\n\r"


def hyperlinks(console: Console) -> bool:
    """Links become OSC 8 hyperlinks only on a terminal (FORCE_COLOR counts as one)."""
    return console.is_terminal and not console.legacy_windows


def render_fast(console: Console, options: ConsoleOptions, r: RenderableType) -> RenderResult:
    """Segments of ``r``; a one-line Text that fits skips Rich's wrapping (tens of
    thousands of short headings and paragraphs print in a second, not in half a minute)."""
    if type(r) is Text:
        plain = r.plain
        if "\n" not in plain and "\t" not in plain and len(plain) <= options.max_width and (plain.isascii() or _cells(plain) <= options.max_width):
            yield from text_segments(console, r)
            yield Segment.line()
            return
    yield from console.render(r, options)


class _Body:
    """The body of one section; links are OSC 8 hyperlinks only on a terminal."""

    def __init__(self, view: MarkdownView, section: Section) -> None:
        self.view = view
        self.section = section

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        blocks = self.view.blocks(self.section, hyperlinks(console))
        blank = Segment.line()
        for k, b in enumerate(blocks):
            if k:
                yield blank
            yield from render_fast(console, options, b)
