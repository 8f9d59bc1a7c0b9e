"""Markdown loader, built on markdown-it-py's block parser.

Headings keep their levels and nesting. YAML front matter and a Pandoc title
block (``% Title`` lines) give the title and metadata and are kept out of the
body; so is an HTML ``<h1>`` that opens a README. Code blocks, tables, lists,
quotes, raw HTML, HTML comments and link-reference definitions are blocks of
their own kind. Offsets come from the tokens' line maps, so every span points
into the original source.

Meaning, not only structure (see :class:`MarkdownBlock`):

* each list item (nested ones too) and each paragraph of a quote is a *part* of
  its block: a search passage never crosses it, and its prose gives sentences;
* what is displayed is inline-rendered (:mod:`.mdinline`): link text without its
  target, code without backticks, entities decoded; sentences are split on that
  text and mapped back to exact source offsets;
* link-reference definitions (``refs``) and HTML comments (``comment``) are
  kept as blocks, so nothing is lost, but are never passages or sentences;
* word counts count displayed words (no link targets, no markup).

Hostile input stays bounded (see :mod:`.mdblock`): nesting past
``mdblock.MAX_NESTING`` is read flat (nothing after it is lost); tables are
parsed for their extent only; link-label scans have a budget; markdown-it reads
at most :data:`PREFIX_CHARS` characters, :data:`PREFIX_LINES` lines or
``mdblock.TOKEN_BUDGET`` tokens, and a line scanner (``mdblock.scan``) reads the
rest with the same block kinds; paragraphs of megabytes are rendered in chunks.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..inline import Shown
from ..model import Document, Paragraph, Section, Sentence
from . import mdinline
from .mdblock import INDENTS, ITEM_MARK, LAZY, SETEXT_UNDERLINE, TRIM, Rec, line_starts, markdown_it_blocks, parser, scan

#: markdown-it reads at most this many characters; the rest is scanned by lines.
PREFIX_CHARS = 1_500_000
#: ... and at most this many lines ...
PREFIX_LINES = 100_000
#: A hostile paragraph longer than mdinline.FAST_CHARS is rendered in chunks of this size.
_CHUNK = 50_000
#: Non-prose search units (code lines, table rows) are grouped up to this size.
UNIT_CHARS = 2_000

_FRONT_OPEN = re.compile(r"\A(?:\ufeff)?---[ \t]*(?:\r\n|\r|\n)")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.M)
_PANDOC = re.compile(r"\A(?:\ufeff)?((?:%[^\r\n]*(?:\r\n|\r|\n|\Z)(?:[ \t]+\S[^\r\n]*(?:\r\n|\r|\n|\Z))*){1,3})")
_KV = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_EOL = re.compile(r"\r\n|\r|\n")


def _scan_leaves(info: MarkdownInfo, rec: Rec) -> list[Rec]:
    """The items of a scanned list (one part per marker line, nested ones too)
    or the paragraph of a scanned quote."""
    src = info.source
    s = info.line_span(rec.l0)[0]
    e = info.line_span(rec.l1 - 1)[1]
    starts = info._starts
    base = info.base_line

    def line_of(off: int) -> int:
        return bisect_right(starts, off) - 1 - base

    if rec.kind == "quote":
        lines = [info.line_span(k) for k in range(rec.l0, rec.l1)]
        content = "\n".join(re.sub(r"^(?:[ \t]{0,3}>[ \t]?)+", "", src[a:b]).lstrip(" \t") for a, b, _ in lines).strip(TRIM)
        return [Rec("text", rec.l0, rec.l1, content=content, quotes=1)] if content else []
    marks = [m for m in ITEM_MARK.finditer(src, s, e)]
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else e
        body = src[m.end() : end]
        lines = _EOL.split(body.rstrip())
        content = "\n".join(x.lstrip(" \t") for x in lines).strip(TRIM)
        if content:
            l0 = line_of(m.start())
            out.append(Rec("text", l0, l0 + len(lines), content=content))
    return out


# ---------------------------------------------------------------- document context
class MarkdownInfo:
    """What a Markdown document keeps for meaning: source lines, the link
    references of the whole document and the parser, shared by its blocks.

    Attributes:
        source: the document text.
        references: ``label -> {"href", "title"}`` for every link-reference
            definition in the document (reference links in any section resolve
            with them).
    """

    def __init__(self, source: str, starts: list[int], base_line: int, env: dict) -> None:
        self.source = source
        self._starts = starts
        self.base_line = base_line
        self.env = env

    @property
    def references(self) -> dict:
        """The document's link references (normalised label -> href/title)."""
        return self.env.get("references", {})

    def line_span(self, ln: int) -> tuple[int, int, int]:
        """``(start, end, eol_len)`` of parsed line ``ln`` (relative to the body)."""
        k = self.base_line + ln
        starts = self._starts
        n = len(self.source)
        s = starts[k] if k < len(starts) else n
        nxt = starts[k + 1] if k + 1 < len(starts) else n
        e = nxt
        if e > s and self.source[e - 1] == "\n":
            e -= 1
        if e > s and self.source[e - 1] == "\r":
            e -= 1
        return s, e, nxt - e

    def lines_span(self, l0: int, l1: int) -> tuple[int, int]:
        """Trimmed ``[start, end)`` of parsed lines ``l0..l1-1``."""
        src = self.source
        starts = self._starts
        n = len(src)
        k0 = self.base_line + l0
        k1 = self.base_line + max(l1, l0 + 1)
        s = starts[k0] if k0 < len(starts) else n
        e = starts[k1] if k1 < len(starts) else n
        while s < e and src[s].isspace():
            s += 1
        while e > s and src[e - 1].isspace():
            e -= 1
        return s, e

    def content(self, rec: Rec) -> str | None:
        """The inline content of a prose record (read from its lines for the line scanner's)."""
        if rec.content is LAZY:
            s = self.line_span(rec.l0)[0]
            e = self.line_span(rec.l1 - 1)[1]
            raw = self.source[s:e].replace("\r\n", "\n").replace("\r", "\n")
            rec.content = INDENTS.sub("\n", raw.strip(TRIM))
        return rec.content

    def content_lines(self, content: str, l0: int, l1: int) -> list[tuple[int, int, int]]:
        """The source lines (``line_span``) that inline ``content`` of lines
        ``l0..l1-1`` comes from: leading lines that trimming emptied (a form
        feed alone on a line) are skipped."""
        want = content.count("\n") + 1
        k = l0
        src = self.source
        while l1 - k > want:
            a, b, _ = self.line_span(k)
            if src[a:b].strip(TRIM + ">"):
                break
            k += 1
        return [self.line_span(k + i) for i in range(want)]

    def render(self, content: str, l0: int, atx: bool = False, l1: int | None = None):
        """``(Shown, code ranges, only images)`` of inline ``content`` read from lines ``l0..l1-1``.

        Content longer than :data:`mdinline.FAST_CHARS` (a hostile paragraph of
        megabytes) is rendered in chunks of lines by the linear regex renderer,
        so that memory stays proportional to the text.
        """
        at = None if atx else self._verbatim(content, l0)
        if not atx and len(content) > mdinline.FAST_CHARS:
            return self._render_huge(content, l0, l0 if l1 is None else l1, at)
        if at is not None:  # the content is the source itself (a top-level paragraph)
            pieces = mdinline.render(parser(), content, self.env, verbatim=True)
            return mdinline.view(pieces, mdinline.ContentMap.shifted(at, len(content)))
        lines = self.content_lines(content, l0, l0 if l1 is None else l1)
        if atx:
            s, e, _ = lines[0]
            line = self.source[s:e]
            m = re.match(r"[ \t]*(?:[-+*>]|\d{1,9}[.)]|[ \t])*[ \t]*#{1,6}[ \t]*", line)
            j = line.find(content, m.end() if m else 0)
            if j < 0:
                j = m.end() if m else 0
            cmap = mdinline.ContentMap.shifted(s + j, len(content))
        else:
            cmap = mdinline.ContentMap.for_lines(content, self.source, lines, TRIM)
        pieces = mdinline.render(parser(), content, self.env)
        return mdinline.view(pieces, cmap)

    def _verbatim(self, content: str, l0: int) -> int | None:
        """Where ``content`` stands as it is in the source (from the first
        non-blank of line ``l0``), or None (container markers, indentation or
        ``\r\n`` in between)."""
        s, e, _ = self.line_span(l0)
        src = self.source
        while s < e and src[s] in " \t":
            s += 1
        return s if src.startswith(content, s) else None

    def _render_huge(self, content: str, l0: int, l1: int, at: int | None = None):
        want = content.count("\n") + 1
        k = l0
        src = self.source
        while l1 - k > want:  # as content_lines: skip lines that trimming emptied
            a, b, _ = self.line_span(k)
            if src[a:b].strip(TRIM + ">"):
                break
            k += 1
        parts: list[Shown] = []
        code: list[tuple[int, int]] = []
        only_images = True
        pos = voff = 0
        n = len(content)
        while pos < n:
            end = content.find("\n", pos + _CHUNK)
            end = n if end < 0 else end
            chunk = content[pos:end]
            nl = chunk.count("\n") + 1
            if at is not None:
                cmap = mdinline.ContentMap.shifted(at + pos, len(chunk))
            else:
                lines = [self.line_span(k + i) for i in range(nl)]
                cmap = mdinline.ContentMap.for_lines(chunk, src, lines, TRIM if end == n else "")
            pieces = mdinline.render(parser(), chunk, self.env, fast=True, verbatim=at is not None)
            shown, c, only = mdinline.view(pieces, cmap)
            only_images = only_images and only
            if shown.text:
                if parts:
                    voff += 1  # the space that joins two chunks
                code.extend((a + voff, b + voff) for a, b in c)
                voff += len(shown.text)
                parts.append(shown)
            k += nl
            pos = end + 1
        return Shown.join(parts, " "), code, only_images

    def heading_view(self, s: int, e: int) -> Shown:
        """The displayed text of the heading at ``source[s:e]`` (ATX or setext)."""
        src = self.source
        lines = []
        pos = s
        for m in _EOL.finditer(src, s, e):
            lines.append((pos, m.start(), m.end() - m.start()))
            pos = m.end()
        if pos < e:
            lines.append((pos, e, 0))
        if len(lines) >= 2 and SETEXT_UNDERLINE.match(src[lines[-1][0] : lines[-1][1]]):
            lines = lines[:-1]
            content = "\n".join(src[a:b].lstrip(" \t") for a, b, _ in lines).strip(TRIM)
            cmap = mdinline.ContentMap.for_lines(content, src, lines, TRIM)
        else:
            a, b, _ = lines[0] if lines else (s, e, 0)
            line = src[a:b]
            m = re.match(r"[ \t]*#{0,6}[ \t]*", line)
            c0 = m.end() if m else 0
            c1 = len(re.sub(r"(?:[ \t]+#+|^#+)?[ \t]*$", "", line[c0:])) + c0
            content = line[c0:c1]
            cmap = mdinline.ContentMap.shifted(a + c0, len(content))
        pieces = mdinline.render(parser(), content, self.env)
        return mdinline.view(pieces, cmap)[0]


# ---------------------------------------------------------------- per-block meaning
_LINK_TARGET = re.compile(r"\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_LABEL = re.compile(r"\]\[[^\[\]\n]{0,999}\]")
_TAGS = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.S)
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_MARKUP = re.compile(r"[\]<&]|^[ \t>]*\d{1,9}[.)]", re.M)
_WORD_TOKEN = re.compile(r"(?<!\S)[^\w\s]*\w")
_ORDERED = re.compile(r"^[ \t>]*\d{1,9}[.)](?=\s)", re.M)
_FENCE_LINE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,}).*$", re.M)


def visible_words(text: str, kind: str = "text") -> int:
    """Words a reader sees in Markdown ``text``: link targets, reference labels,
    HTML tags, entities, list numbers and fence lines are not counted.

    Example:
        >>> visible_words("See [the docs](https://example.org/a/b) and <b>this</b>.")
        5
    """
    if kind in ("refs", "comment", "rule"):
        return 0
    if kind == "meta":
        return len(text.split())
    if kind == "code":
        return len(_WORD_TOKEN.findall(_FENCE_LINE.sub(" ", text)))
    if not _MARKUP.search(text):
        # prose without links, tags or entities: words as the text loader counts them
        return len(text.split()) if kind == "text" else len(_WORD_TOKEN.findall(text))
    t = _LINK_TARGET.sub("]", text)
    t = _REF_LABEL.sub("]", t)
    t = _TAGS.sub(" ", t)
    t = _ENTITY.sub("&", t)
    t = _ORDERED.sub(" ", t)
    return len(_WORD_TOKEN.findall(t))


_LINE_TEXT = re.compile(r"[ \t]*(\S(?:[^\n]*\S)?)")
_QUOTE_PREFIX = re.compile(r"[ \t]{0,3}>[ \t]?")
_CONTAINER_PREFIX = re.compile(r"^[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])(?:[ \t]+|$))*")
_HTML_PIECE = re.compile(r"<!--.*?(?:-->|$)|<[A-Za-z/!?][^<>]*>?|&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});", re.S)


class MarkdownBlock:
    """The meaning of one Markdown block (a :class:`Paragraph`'s ``markup``).

    Gives the block's parts (list items, quote paragraphs, or the block
    itself), its sentences, its displayed text and search units.
    """

    __slots__ = ("info", "rec", "_parts", "_view", "_lines_of")

    def __init__(self, info: MarkdownInfo, rec: Rec) -> None:
        self.info = info
        self.rec = rec
        self._parts = None
        self._view = None
        self._lines_of = None

    # -- parts
    def parts(self, p: Paragraph) -> tuple[Paragraph, ...]:
        """The leaf blocks of ``p``: itself, or each paragraph, code block,
        table... inside a list (every item, nested ones too) or quote."""
        if self._parts is None:
            rec = self.rec
            if rec.leaves is None and rec.kind in ("list", "quote"):
                rec.leaves = _scan_leaves(self.info, rec)  # a block of the line scanner
            if rec.leaves is None:
                self._parts = (p,)
            else:
                out = []
                for lf in rec.leaves:
                    q = _leaf_paragraph(self.info, lf)
                    if q is not None:
                        out.append(q)
                self._parts = tuple(out)
        return self._parts

    # -- displayed text
    def rendered(self, keep: bool = True):
        """``(Shown, code ranges, only images)`` of a prose block (cached when ``keep``)."""
        if self._view is not None:
            return self._view
        rec = self.rec
        got = self.info.render(self.info.content(rec) or "", rec.l0, rec.atx, rec.l1)
        if keep:
            self._view = got
        return got

    def view(self, p: Paragraph) -> Shown | None:
        """The displayed text of a prose part (or of a title heading); None for other kinds."""
        if self.rec.kind == "heading":
            if self._view is None:
                self._view = (self.info.heading_view(p.start, p.end), [], False)
            return self._view[0]
        if p.kind == "text" and self.rec.content is not None:
            if self._view is None and p.text == self.info.content(self.rec) and not mdinline.has_markup(p.text):
                return None  # plain prose: displayed as it stands in the source
            return self.rendered()[0]
        return None

    def sentences(self, p: Paragraph) -> tuple[Sentence, ...]:
        """Sentences of the prose in ``p`` (its items' prose for lists)."""
        if self.rec.kind in ("list", "quote"):
            return tuple(s for q in self.parts(p) for s in q.sentences)
        content = self.info.content(self.rec) if p.kind == "text" else None
        if not content or _ONLY_TEMPLATES.match(content):
            return ()  # nothing, or only site-generator template calls ({{image "a.svg"}})
        if p.text == content and not mdinline.has_markup(content):
            # plain prose as it stands in the source: split it as plain text is split
            from ..segment import sentence_spans

            src = self.info.source
            return tuple(Sentence(a, b, src[a:b]) for a, b in sentence_spans(src, p.start, p.end))
        shown, code, only_images = self.rendered(keep=False)  # sentences keep their own maps
        if only_images or not shown.text.strip():
            return ()  # a line of badges is not prose
        if not code and shown.is_identity() and shown.source_start == p.start and shown.source_end == p.end:
            # displayed as in the source: split it as plain text is split
            from ..segment import sentence_spans

            src = self.info.source
            return tuple(Sentence(a, b, src[a:b]) for a, b in sentence_spans(src, p.start, p.end))
        return mdinline.sentences(shown, code, self.info.source, p.start, p.end)

    def has_markup(self, p: Paragraph) -> bool:
        """Whether ``p`` may hold inline markup (else all of its text is displayed)."""
        return mdinline.has_markup(p.text)

    def words(self, p: Paragraph) -> int:
        """Displayed words of ``p`` (see :func:`visible_words`)."""
        return visible_words(p.text, p.kind)

    # -- search units
    def units(self, p: Paragraph, unit: str) -> list[tuple[int, int]]:
        """Search units of a part: sentences (or the whole) for prose, lines or
        rows (grouped up to :data:`UNIT_CHARS` for ``paragraph``) otherwise;
        none for comments, link definitions and rules."""
        kind = p.kind
        if kind in ("refs", "comment", "rule"):
            return []
        if kind == "text":
            if unit == "sentence":
                sents = p.sentences
                if sents:
                    return [(s.start, s.end) for s in sents]
            return [(p.start, p.end)]
        if kind in ("code", "table", "html") or (kind == "meta" and self.rec.kind == "html"):
            lines = self._lines(p)
            if kind != "code" and self.rec.kind == "html":
                lines = _html_units(self.info.source, lines)
            if unit == "paragraph":
                return _group(lines, UNIT_CHARS)
            return lines
        return [(p.start, p.end)]

    def _lines(self, p: Paragraph) -> list[tuple[int, int]]:
        """The non-blank lines of a code block, table (not its ``|---|`` row) or
        HTML block, without container prefixes; cached."""
        if self._lines_of is None:
            self._lines_of = self._find_lines(p)
        return self._lines_of

    def _find_lines(self, p: Paragraph) -> list[tuple[int, int]]:
        rec, info, src = self.rec, self.info, self.info.source
        out = []
        l0, l1 = rec.l0, rec.l1
        if rec.kind == "code" and rec.fence:
            l0 += 1
            last = info.line_span(l1 - 1)
            if l1 - 1 >= l0 and src[last[0] : last[1]].lstrip(" \t>").startswith(rec.fence[:3]):
                l1 -= 1
        if l1 <= l0:
            return out
        if not rec.quotes:  # no prefixes to strip: one regex pass over the lines
            a = max(info.line_span(l0)[0], p.start)
            b = min(info.line_span(l1 - 1)[1], p.end)
            out = [m.span(1) for m in _LINE_TEXT.finditer(src, a, b)]
            if rec.kind == "table" and len(out) > 1:
                del out[1]  # the |---| row
            return out
        for k in range(l0, l1):
            if rec.kind == "table" and k == rec.l0 + 1:
                continue  # the |---| row
            s, e, _ = info.line_span(k)
            s = max(s, p.start)
            e = min(e, p.end)
            line = src[s:e]
            cut = 0
            for _ in range(rec.quotes):
                m = _QUOTE_PREFIX.match(line, cut)
                if not m:
                    break
                cut = m.end()
            while s + cut < e and src[s + cut].isspace():
                cut += 1
            while e > s + cut and src[e - 1].isspace():
                e -= 1
            if e > s + cut:
                out.append((s + cut, e))
        return out

    def view_span(self, p: Paragraph, s: int, e: int) -> Shown | None:
        """The displayed text of ``source[s:e]`` inside part ``p`` (None: as in the source)."""
        kind = p.kind if p.kind != "meta" else self.rec.kind
        if kind in ("text", "heading"):
            v = self.view(p)
            if v is None:
                return None
            a, b = v.shown_span(s, e)
            return v.slice(a, b) if b > a else Shown.empty()
        if kind in ("table", "html"):
            lines = self._lines(p)
            k = max(0, bisect_right(lines, (s, s)) - 1)
            if kind == "table":  # rows joined by " · ", in one build
                pieces: list = []
                prev = None
                while k < len(lines) and lines[k][0] < e:
                    a, b = lines[k]
                    if b > s:
                        if prev is not None:
                            pieces.append((" \u00b7 ", prev, a - prev))
                        n = len(pieces)
                        self._row_pieces(a, b, pieces)
                        prev = b if len(pieces) > n else prev
                    k += 1
                return Shown.build(pieces)
            views = []
            while k < len(lines) and lines[k][0] < e:
                a, b = lines[k]
                if b > s:
                    views.append(_html_view(self.info.source, a, b))
                k += 1
            return Shown.join(views)
        return None

    def _row_view(self, s: int, e: int) -> Shown:
        """A table row as displayed: its cells, rendered, joined by `` | ``."""
        out: list[tuple[str, int, int]] = []
        self._row_pieces(s, e, out)
        return Shown.build(out)

    def _row_pieces(self, s: int, e: int, out: list) -> None:
        src = self.info.source
        plain = not mdinline.has_markup(src[s:e])
        bounds = [s - 1] + [m.start() for m in _CELL_SEP.finditer(src, s, e)] + [e]
        prev = None
        for x, y in zip(bounds, bounds[1:]):
            a, b = x + 1, y
            while a < b and src[a] in " \t":
                a += 1
            while b > a and src[b - 1] in " \t":
                b -= 1
            if b <= a:
                continue
            if prev is not None:
                out.append((" | ", prev, a - prev))
            if plain:
                out.append((src[a:b], a, b - a))
            else:
                shown = mdinline.view(mdinline.render(parser(), src[a:b], self.info.env), mdinline.ContentMap.shifted(a, b - a))[0]
                out.extend(shown._pieces())
            prev = b


_CELL_SEP = re.compile(r"(?<!\\)\|")


def _html_view(src: str, s: int, e: int) -> Shown:
    """Text of an HTML line: tags and comments dropped, entities decoded."""
    import html

    pieces = []
    pos = s
    for m in _HTML_PIECE.finditer(src, s, e):
        if m.start() > pos:
            pieces.append((src[pos : m.start()], pos, m.start() - pos))
        g = m.group(0)
        if g.startswith("&"):
            pieces.append((html.unescape(g), m.start(), len(g)))
        elif re.match(r"<br\b", g, re.I):
            pieces.append((" ", m.start(), len(g)))
        pos = m.end()
    if pos < e:
        pieces.append((src[pos:e], pos, e - pos))
    shown = Shown.build(pieces)
    # trim blanks at the ends
    t = shown.text
    a, b = len(t) - len(t.lstrip()), len(t.rstrip())
    return shown.slice(a, b) if b > a else Shown.empty()


_BLOCK_CLOSE = re.compile(
    r"</(?:tr|p|li|div|h[1-6]|dt|dd|blockquote|pre|table|thead|tbody|ul|ol|dl|details|summary|section|article|figure|figcaption)>\s*$"
    r"|<(?:br|hr)\s*/?>\s*$", re.I
)


def _html_units(src: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines of an HTML block grouped into elements (a table row, a list item,
    a paragraph): a group ends after a line that closes a block element."""
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for s, e in lines:
        cur = (s, e) if cur is None else (cur[0], e)
        if _BLOCK_CLOSE.search(src, s, e) or cur[1] - cur[0] >= UNIT_CHARS:
            out.append(cur)
            cur = None
    if cur is not None:
        out.append(cur)
    return out


def _group(units: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in units:
        if out and e - out[-1][0] <= limit:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


_ONLY_TEMPLATES = re.compile(r"\s*(?:(?:\{\{.*?\}\}|\{%.*?%\})\s*)+\Z", re.S)


def _plain(text: str) -> bool:
    """Prose with no inline markup, no indented or CRLF continuation lines and no
    list markers: it is displayed as it stands and needs no Markdown meaning."""
    return not (mdinline.has_markup(text) or "\n " in text or "\n\t" in text or "\r" in text or "\n\f" in text)


def _leaf_paragraph(info: MarkdownInfo, lf: Rec) -> Paragraph | None:
    """A part (leaf) of a list or quote as a :class:`Paragraph`."""
    src = info.source
    blk = MarkdownBlock(info, lf)
    if lf.kind == "text":
        if not lf.content:
            return None
        if "\n" not in lf.content and not lf.atx:  # one line: the content ends the line
            a, b, _ = info.line_span(lf.l0)
            e = a + len(src[a:b].rstrip(TRIM))
            s = e - len(lf.content)
            if s >= a and src.startswith(lf.content, s):
                if not mdinline.has_markup(lf.content):
                    return Paragraph(s, e, lf.content, lf.kind)  # plain prose reads as plain text does
                return Paragraph(s, e, lf.content, lf.kind, None, blk)
        lines = info.content_lines(lf.content, lf.l0, lf.l1)
        if lf.atx:
            shown = blk.rendered()[0]
            s0 = shown.source_start
            s, e = (s0, shown.source_end) if s0 is not None else info.lines_span(lf.l0, lf.l1)
        else:
            cmap = mdinline.ContentMap.for_lines(lf.content, src, lines, TRIM)
            s, e = cmap.start(0), cmap.end(len(lf.content))
    else:
        s, e = info.lines_span(lf.l0, lf.l1)
        line = src[s : info.line_span(lf.l0)[1]]
        if lf.kind == "code" and lf.fence:
            j = line.find(lf.fence[:3])
            s += max(j, 0)
        elif lf.kind in ("html", "comment"):
            j = line.find("<")
            s += max(j, 0)
        else:
            m = _CONTAINER_PREFIX.match(line)
            if m and m.end() < len(line):
                s += m.end()
    if e <= s:
        return None
    return Paragraph(s, e, src[s:e], lf.kind, markup=blk)


# ---------------------------------------------------------------- front matter and titles
def _front_matter(text: str) -> tuple[dict, int]:
    """Parse simple ``key: value`` YAML front matter; return (fields, body offset).

    Front matter must be closed by a ``---`` or ``...`` line; without one the
    text is not front matter (and a 22 MB unclosed block costs one regex scan).
    """
    m = _FRONT_OPEN.match(text)
    if not m:
        return {}, 0
    close = _FRONT_CLOSE.search(text, m.end())
    if not close:
        return {}, 0
    fields: dict = {}
    for line in _EOL.split(text[m.end() : close.start()]):
        kv = _KV.match(line)
        if kv and kv.group(2):
            val = kv.group(2)
            if len(val) >= 2 and val[0] == val[-1] and val[0] in "\"'":
                val = val[1:-1]
            fields[kv.group(1).lower()] = val
    return fields, close.end()


def _pandoc_title(text: str) -> tuple[dict, int]:
    """A Pandoc title block: ``% Title``, ``% Author``, ``% Date`` lines at the top."""
    m = _PANDOC.match(text)
    if not m:
        return {}, 0
    lines: list[str] = []
    for raw in _EOL.split(m.group(1)):
        if raw.startswith("%"):
            lines.append(raw[1:].strip())
        elif raw.strip() and lines:
            lines[-1] += " " + raw.strip()
    fields: dict = {}
    for key, val in zip(("title", "author", "date"), lines):
        if val:
            fields[key] = val
    if "title" not in fields:
        return {}, 0
    return fields, m.end()


_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_PLAIN_HEADING = re.compile(r"[\\`*_\[\]<>&!~{]")


def _title_text(info: MarkdownInfo, rec: Rec, images: bool = True) -> str:
    """Displayed text of a heading; without image alt text when ``images`` is False."""
    content = rec.content or ""
    if not _PLAIN_HEADING.search(content):
        return " ".join(content.split())
    pieces = mdinline.render(parser(), content, info.env)
    text = "".join(t for t, _, _, flags in pieces if images or not flags & mdinline.IMAGE)
    return re.sub(r"\s+", " ", _SHORTCODE.sub("", text)).strip()


def _before_title(info: MarkdownInfo, b) -> bool:
    """Blocks that may come before a title heading: comments, link definitions,
    and lines of badges or logos (images, or HTML, with no text of their own)."""
    kind, rec = b[0], b[3]
    if kind in ("comment", "refs"):
        return True
    if kind == "text" and rec is not None and info.content(rec):
        shown, _, only_images = info.render(info.content(rec), rec.l0, l1=rec.l1)
        return only_images or not shown.text.strip()
    if kind == "html" and rec is not None:
        import html

        return not html.unescape(_TAGS.sub(" ", rec.content or "")).strip()
    return False


def _html_title(content: str) -> str | None:
    """The text of an ``<h1>`` in an HTML block (tags dropped, no image alt text)."""
    import html

    m = _H1.search(content)
    if not m:
        return None
    text = html.unescape(_TAGS.sub(" ", m.group(1)))
    text = " ".join(text.split())
    return text or None


# ---------------------------------------------------------------- the loader
def parse_markdown(text: str, path: str | None = None) -> Document:
    """Build a :class:`Document` from Markdown source.

    Args:
        text: the Markdown text.
        path: the name to show.
    """
    fields, body = _front_matter(text)
    if not body:
        fields, body = _pandoc_title(text)
    starts = line_starts(text)
    base_line = bisect_right(starts, body) - 1 if body else 0
    n = len(text)
    env: dict = {}
    info = MarkdownInfo(text, starts, base_line, env)

    # markdown-it reads the head of the text (all of it, unless huge); a line
    # scanner reads the rest
    body_text = text[body:]
    cut = len(body_text)
    if cut > PREFIX_CHARS or len(starts) - base_line > PREFIX_LINES:
        k = base_line + PREFIX_LINES
        by_lines = starts[k] - body if k < len(starts) else cut
        cut = min(cut, by_lines)
        if cut > PREFIX_CHARS:
            cut = body_text.find("\n", PREFIX_CHARS)
            cut = len(body_text) if cut < 0 else cut + 1
    head = body_text[:cut].replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    recs, resume = markdown_it_blocks(head, env, cut == len(body_text))
    if resume is not None:
        if "\r" in body_text:
            recs.extend(scan(body_text.replace("\r\n", "\n").replace("\r", "\n"), resume, env))
        else:  # the same lines: reuse their offsets
            recs.extend(scan(body_text, resume, env, [s - body for s in starts[base_line:]]))

    blocks: list[tuple[str, int, int, Rec]] = []
    for r in recs:
        s, e = info.lines_span(r.l0, r.l1)
        if s < e:
            blocks.append((r.kind, s, e, r))
    blocks = _fill_gaps(text, body, blocks)

    title = fields.get("title")
    meta = {k: v for k, v in fields.items() if k not in ("title", "author", "subtitle", "description")}
    author = fields.get("author")
    subtitle = fields.get("subtitle") or fields.get("description")
    title_block = None
    heads = [b for b in blocks if b[0] == "heading"]
    if title is None:
        # An HTML <h1> opening a README (before any heading or prose) is its title.
        for b in blocks:
            if b[0] in ("heading", "text", "list", "quote", "table", "code"):
                break
            if b[0] == "html":
                t = _html_title(b[3].content or "")
                if t:
                    title = t
                    if _H1.fullmatch(text[b[1] : b[2]].strip()):
                        title_block = b
                    break
    if title is None and heads and heads[0][3].level == 1 and sum(1 for h in heads if h[3].level == 1) == 1:
        # A lone top-level H1 opening the document is its title, not a section
        # (badges and logos are not: the title needs text of its own).
        if all(_before_title(info, b) for b in blocks if b[1] < heads[0][1]):
            t = _title_text(info, heads[0][3], images=False)
            if t:
                title = t
                title_block = heads[0]
    if title_block is not None:
        blocks = [b for b in blocks if b is not title_block]

    def para(kind: str, s: int, e: int, rec: Rec | None) -> Paragraph:
        t = text[s:e]
        if rec is None or (kind == "text" and _plain(t)):
            return Paragraph(s, e, t, kind)  # plain prose reads as plain text does
        return Paragraph(s, e, t, kind, None, MarkdownBlock(info, rec))

    lead_paras: list[Paragraph] = []
    if body:
        fs, fe = 0, body
        while fe > fs and text[fe - 1].isspace():
            fe -= 1
        lead_paras.append(Paragraph(fs, fe, text[fs:fe], "meta"))
    if title_block is not None:
        s, e = title_block[1], title_block[2]
        lead_paras.append(Paragraph(s, e, text[s:e], "meta", markup=MarkdownBlock(info, title_block[3])))

    sections: list[dict] = []
    for kind, s, e, rec in blocks:
        if kind == "heading":
            sections.append({"level": rec.level, "hs": s, "he": e, "paras": [], "rec": rec})
        elif sections:
            sections[-1]["paras"].append(para(kind, s, e, rec))
        else:
            lead_paras.append(para(kind, s, e, rec))

    # Levels: keep markdown levels but normalise so the shallowest is 1.
    min_level = min((d["level"] for d in sections), default=1)
    out: list[Section] = []
    stack: list[tuple[int, int]] = []
    for k, d in enumerate(sections):
        level = d["level"] - min_level + 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        stack.append((level, k + 1))
        start = _line_start(text, d["hs"])
        name = _title_text(info, d["rec"], images=False) or _title_text(info, d["rec"]) or _heading_text(text[d["hs"] : d["he"]])
        out.append(Section(k + 1, level, name, start, 0, d["hs"], d["he"], parent, tuple(d["paras"])))
    ends = [s.start for s in out[1:]] + [n]
    out = [
        Section(s.index, s.level, s.title, s.start, e, s.heading_start, s.heading_end, s.parent, s.paragraphs)
        for s, e in zip(out, ends)
    ]
    lead_end = out[0].start if out else n
    lead_paras.sort(key=lambda p: p.start)
    lead = Section(0, 0, "", 0, lead_end, 0, 0, None, tuple(lead_paras), "lead") if lead_end > 0 else None
    return Document(text, path, "markdown", title, author, subtitle, meta, tuple(out), lead, None, markup=info)


def _heading_text(raw: str) -> str:
    """Heading text without ATX markers or setext underline (a fallback)."""
    lines = raw.strip().splitlines()
    first = lines[0] if lines else ""
    if len(lines) >= 2 and re.match(r"^\s*(=+|-+)\s*$", lines[-1]):
        first = " ".join(x.strip() for x in lines[:-1])
    first = re.sub(r"^\s{0,3}#{1,6}\s*", "", first)
    first = re.sub(r"\s+#+\s*$", "", first)
    return first.strip()


def _start(b) -> int:
    return b[1]


def _fill_gaps(text: str, body: int, blocks: list) -> list:
    """Keep text that produced no block (it should not happen) as ``meta``
    blocks, so nothing of the source is ever dropped; overlaps are trimmed."""
    out: list = []
    pos = body
    for b in sorted(blocks, key=_start):
        if b[1] < pos:  # overlapping maps: keep the part that is new
            if b[2] <= pos or b[0] == "heading":
                continue
            b = (b[0], pos, b[2], b[3])
            while b[1] < b[2] and text[b[1]].isspace():
                b = (b[0], b[1] + 1, b[2], b[3])
            if b[1] >= b[2]:
                continue
        if b[1] - pos > 2 or (b[1] > pos and not text[pos : b[1]].isspace()):
            for s, e in _nonblank_runs(text, pos, b[1]):
                out.append(("meta", s, e, None))
        out.append(b)
        pos = b[2]
    for s, e in _nonblank_runs(text, pos, len(text)):
        out.append(("meta", s, e, None))
    return out


def _nonblank_runs(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Trimmed spans of the non-blank stretches of ``text[s:e]`` split at blank lines."""
    if not text[s:e].strip():
        return []
    runs = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\n[ \t]*\r?\n|\Z))", text[s:e], re.S):
        runs.append((s + m.start(), s + m.end()))
    return runs


def _line_start(text: str, pos: int) -> int:
    """Offset of the start of the line holding ``pos``."""
    i = pos
    while i > 0 and text[i - 1] not in "\r\n":
        i -= 1
    return i
