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

Hostile input stays bounded: nesting past :data:`MAX_NESTING` is read flat
(nothing after it is lost); tables are parsed for their extent only (no token
per cell); paragraphs skip block-start checks on lines that cannot start a
block; link-label scans have a budget; and markdown-it reads at most
:data:`PREFIX_CHARS` characters or :data:`TOKEN_BUDGET` tokens, the rest being
read by a line scanner (:func:`_scan`) with the same block kinds.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..inline import Shown
from ..model import Document, Paragraph, Section, Sentence
from . import mdinline

#: Container nesting (lists count two levels each) read as Markdown; deeper
#: content is kept as flat text of the enclosing item.
MAX_NESTING = 60
#: markdown-it reads at most this many characters; the rest is scanned by lines.
PREFIX_CHARS = 1_500_000
#: ... and at most this many lines ...
PREFIX_LINES = 100_000
#: ... and at most this many block tokens.
TOKEN_BUDGET = 150_000
#: Non-prose search units (code lines, table rows) are grouped up to this size.
UNIT_CHARS = 2_000

_FRONT_OPEN = re.compile(r"\A(?:\ufeff)?---[ \t]*(?:\r\n|\r|\n)")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.M)
_PANDOC = re.compile(r"\A(?:\ufeff)?((?:%[^\r\n]*(?:\r\n|\r|\n|\Z)(?:[ \t]+\S[^\r\n]*(?:\r\n|\r|\n|\Z))*){1,3})")
_KV = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_EOL = re.compile(r"\r\n|\r|\n")
_md = None


class _OverBudget(Exception):
    """markdown-it has made enough tokens: the line scanner reads the rest."""


def _parser():
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").enable("strikethrough")
        global _orig_table
        rules = {r.name: r for r in md.block.ruler.__rules__}
        _orig_table = rules["table"].fn
        md.block.ruler.at("table", _table, {"alt": list(rules["table"].alt)})
        md.block.ruler.at("lheading", _lheading, {"alt": list(rules["lheading"].alt)})
        md.block.ruler.at("paragraph", _paragraph, {"alt": list(rules["paragraph"].alt)})
        md.block.tokenize = _tokenize
        mdinline.configure(md)
        _md = md
    return _md


# ---------------------------------------------------------------- block rules
# First characters of a line that may start a block interrupting a paragraph
# (fence, quote, rule, list, HTML, heading); any other line continues it.
_STARTS = frozenset("`~>*-_+#<0123456789")
_TABLE_DELIM = frozenset("|-:")
try:
    from markdown_it.common.utils import MD_TRIM_CHARS as _TRIM
except ImportError:  # pragma: no cover - older markdown-it-py
    _TRIM = " \t\n\r\x0b\x0c"
_orig_table = None


def _first(state, line: int) -> str:
    p = state.bMarks[line] + state.tShift[line]
    return state.src[p] if p < state.eMarks[line] else ""


def _interrupts(state, line: int, end: int, terms, table: bool = True) -> bool:
    """Whether a block starting at ``line`` ends the paragraph (or table) above."""
    if _first(state, line) not in _STARTS:
        if not table or line + 1 >= state.lineMax or _first(state, line + 1) not in _TABLE_DELIM:
            return False
    for rule in terms:
        if rule(state, line, end, True):
            return True
    return False


def _push_paragraph(state, start: int, nxt: int) -> None:
    content = state.getLines(start, nxt, state.blkIndent, False).strip(_TRIM)
    state.line = nxt
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, nxt]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start, nxt]
    token.children = []
    state.push("paragraph_close", "p", -1)


def _paragraph(state, startLine: int, endLine: int, silent: bool) -> bool:
    """markdown-it's paragraph rule, checking block starts only where one may be."""
    nxt = startLine + 1
    terms = state.md.block.ruler.getRules("paragraph")
    end = state.lineMax
    old = state.parentType
    state.parentType = "paragraph"
    b, e, t, s = state.bMarks, state.eMarks, state.tShift, state.sCount
    while nxt < end:
        if b[nxt] + t[nxt] >= e[nxt]:
            break
        if s[nxt] - state.blkIndent > 3 or s[nxt] < 0:
            nxt += 1
            continue
        if _interrupts(state, nxt, end, terms):
            break
        nxt += 1
    _push_paragraph(state, startLine, nxt)
    state.parentType = old
    return True


def _lheading(state, startLine: int, endLine: int, silent: bool) -> bool:
    """markdown-it's setext-heading rule; when there is no underline, the lines
    scanned are the paragraph, which is pushed at once (one scan, not two)."""
    if state.is_code_block(startLine):
        return False
    nxt = startLine + 1
    terms = state.md.block.ruler.getRules("paragraph")
    old = state.parentType
    state.parentType = "paragraph"
    b, e, t, s = state.bMarks, state.eMarks, state.tShift, state.sCount
    src = state.src
    level = 0
    marker = ""
    while nxt < endLine and b[nxt] + t[nxt] < e[nxt]:
        if s[nxt] - state.blkIndent > 3:
            nxt += 1
            continue
        if s[nxt] >= state.blkIndent:
            pos = b[nxt] + t[nxt]
            ch = src[pos]
            if ch == "-" or ch == "=":
                rest = src[pos : e[nxt]].rstrip(" \t")
                if rest.count(ch) == len(rest):
                    level = 1 if ch == "=" else 2
                    marker = ch
                    break
        if s[nxt] < 0:
            nxt += 1
            continue
        if _interrupts(state, nxt, endLine, terms):
            break
        nxt += 1
    if not level:
        state.parentType = old
        if endLine == state.lineMax:
            _push_paragraph(state, startLine, nxt)
            return True
        return False
    content = state.getLines(startLine, nxt, state.blkIndent, False).strip(_TRIM)
    state.line = nxt + 1
    token = state.push("heading_open", "h" + str(level), 1)
    token.markup = marker
    token.map = [startLine, state.line]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [startLine, state.line - 1]
    token.children = []
    token = state.push("heading_close", "h" + str(level), -1)
    token.markup = marker
    state.parentType = old
    return True


def _table(state, startLine: int, endLine: int, silent: bool) -> bool:
    """A GFM table, for its extent only: one ``table_open`` and ``table_close``
    token instead of several per cell (a 10 MB table made millions of them)."""
    if not _orig_table(state, startLine, endLine, True):
        return False
    if silent:
        return True
    terms = state.md.block.ruler.getRules("blockquote")
    nxt = startLine + 2
    b, e, t, s = state.bMarks, state.eMarks, state.tShift, state.sCount
    while nxt < endLine:
        if s[nxt] < state.blkIndent:
            break
        if _interrupts(state, nxt, endLine, terms, table=False):
            break
        if b[nxt] + t[nxt] >= e[nxt] or not state.src[b[nxt] + t[nxt] : e[nxt]].strip(_TRIM):
            break
        if state.is_code_block(nxt):
            break
        nxt += 1
    token = state.push("table_open", "table", 1)
    token.map = [startLine, nxt]
    state.push("table_close", "table", -1)
    state.line = nxt
    return True


def _tokenize(state, startLine: int, endLine: int) -> None:
    """markdown-it's block loop for nested content (list items, quotes).

    Past :data:`MAX_NESTING` the container's remaining lines become one flat
    paragraph instead of being skipped to the end of the document (which lost
    every section after a deep list). Raises :class:`_OverBudget` when the
    document has made :data:`TOKEN_BUDGET` tokens.
    """
    rules = state.md.block.ruler.getRules("")
    line = startLine
    has_empty = False
    spent = state.__dict__.get("_brief_spent", 0)
    while line < endLine:
        state.line = line = state.skipEmptyLines(line)
        if line >= endLine:
            break
        if state.sCount[line] < state.blkIndent:
            break
        if spent + len(state.tokens) > TOKEN_BUDGET:
            raise _OverBudget
        if state.level >= MAX_NESTING:
            last = line
            k = line
            while k < endLine:
                if state.bMarks[k] + state.tShift[k] < state.eMarks[k]:
                    if state.sCount[k] < state.blkIndent:
                        break
                    last = k
                k += 1
            token_start = len(state.tokens)
            _push_paragraph(state, line, last + 1)
            state.tokens[token_start].meta["flat"] = True
            line = state.line
            continue
        for rule in rules:
            if rule(state, line, endLine, False):
                if state.line <= line:
                    raise RuntimeError("block rule didn't increment state.line")
                break
        else:  # pragma: no cover - the paragraph rule always matches
            raise RuntimeError("none of the block rules matched")
        state.tight = not has_empty
        line = state.line
        if line - 1 < endLine and state.isEmpty(line - 1):
            has_empty = True
        if line < endLine and state.isEmpty(line):
            has_empty = True
            line += 1
            state.line = line


# ---------------------------------------------------------------- records
#: A scanned paragraph's inline content, read from its lines when first needed.
LAZY = "\x00lazy"


class _Rec:
    """One block as the loader keeps it (lines relative to the parsed text).

    ``kind``: heading, text, code, table, list, quote, html, comment, rule, refs.
    ``leaves``: for list and quote, the blocks inside, in order (nested lists
    flattened). ``quotes``: enclosing quote depth. ``fence``: the fence marker.
    """

    __slots__ = ("kind", "l0", "l1", "level", "content", "leaves", "quotes", "fence", "atx")

    def __init__(self, kind, l0, l1, level=0, content=None, leaves=None, quotes=0, fence="", atx=False):
        self.kind, self.l0, self.l1, self.level, self.content = kind, l0, l1, level, content
        self.leaves, self.quotes, self.fence, self.atx = leaves, quotes, fence, atx


_COMMENT = re.compile(r"\A\s*<!--.*-->\s*\Z", re.S)


def _html_kind(content: str) -> str:
    return "comment" if _COMMENT.match(content) and content.count("<!--") == 1 else "html"


def _leaf(tokens, i: int, quotes: int) -> tuple[_Rec | None, int]:
    """The leaf block opened by ``tokens[i]`` and the index after it."""
    t = tokens[i]
    typ = t.type
    m = t.map or [0, 0]
    if typ == "paragraph_open":
        return _Rec("text", m[0], m[1], content=tokens[i + 1].content, quotes=quotes), i + 3
    if typ == "heading_open":
        return _Rec("text", m[0], m[1], content=tokens[i + 1].content, quotes=quotes, atx=t.markup.startswith("#")), i + 3
    if typ == "fence":
        return _Rec("code", m[0], m[1], quotes=quotes, fence=t.markup), i + 1
    if typ == "code_block":
        return _Rec("code", m[0], m[1], quotes=quotes), i + 1
    if typ == "table_open":
        return _Rec("table", m[0], m[1], quotes=quotes), i + 2
    if typ == "html_block":
        return _Rec(_html_kind(t.content), m[0], m[1], content=t.content, quotes=quotes), i + 1
    if typ == "hr":
        return _Rec("rule", m[0], m[1], quotes=quotes), i + 1
    return None, i + 1


def _convert(tokens, recs: list[_Rec], line: int, nxt: int) -> None:
    """Turn the tokens of one top-level block into a record."""
    if not tokens:  # link-reference definitions make no token
        recs.append(_Rec("refs", line, nxt))
        return
    t = tokens[0]
    typ = t.type
    if typ == "heading_open":
        recs.append(_Rec("heading", t.map[0], t.map[1], int(t.tag[1]), tokens[1].content, atx=t.markup.startswith("#")))
        return
    if typ in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
        leaves: list[_Rec] = []
        quotes = 0
        i = 0
        while i < len(tokens):
            k = tokens[i].type
            if k == "blockquote_open":
                quotes += 1
                i += 1
            elif k == "blockquote_close":
                quotes -= 1
                i += 1
            else:
                leaf, i = _leaf(tokens, i, quotes)
                if leaf is not None:
                    leaves.append(leaf)
        kind = "quote" if typ == "blockquote_open" else "list"
        recs.append(_Rec(kind, t.map[0], t.map[1], leaves=leaves))
        return
    leaf, _ = _leaf(tokens, 0, 0)
    if leaf is not None:
        recs.append(leaf)


def _markdown_it_blocks(norm: str, env: dict, whole: bool) -> tuple[list[_Rec], int | None]:
    """Top-level blocks of ``norm`` by markdown-it; ``(records, line)`` where
    ``line`` is where the line scanner must take over (None: all read)."""
    from markdown_it.rules_block import StateBlock

    md = _parser()
    tokens: list = []
    state = StateBlock(norm, md, env, tokens)
    state._brief_spent = 0
    rules = md.block.ruler.getRules("")
    line, end = 0, state.lineMax
    recs: list[_Rec] = []
    while line < end:
        line = state.skipEmptyLines(line)
        if line >= end:
            break
        state.line = line
        try:
            for rule in rules:
                if rule(state, line, end, False):
                    break
        except (_OverBudget, RecursionError):
            del tokens[:]
            return recs, line
        _convert(tokens, recs, line, state.line)
        state._brief_spent += len(tokens)
        del tokens[:]
        line = state.line
        if state._brief_spent > TOKEN_BUDGET and line < end:
            return recs, line
    if not whole:  # the last block may go on past the cut
        return (recs[:-1], recs[-1].l0) if recs else (recs, 0)
    return recs, None


# ---------------------------------------------------------------- line scanner
_S_FENCE = re.compile(r" {0,3}(`{3,}(?![^\n]*`)|~{3,})")
_S_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)", re.M)
_S_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_S_HR = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)
_S_LIST = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)", re.M)
_S_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)", re.M)
_S_REF = re.compile(r" {0,3}\[((?:[^\[\]\\\n]|\\.){1,999})\]:[ \t]*(<[^>\n]*>|\S+)(?:[ \t]+(\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$", re.M)
_S_DELIM = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$", re.M)
_S_BLANKS = re.compile(r"(?:[ \t]*\n)*")
_S_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")
_BLOCK_START = r" {0,3}(?:`{3,}|~{3,}|#{1,6}(?:[ \t]|\n|$)|>|<[A-Za-z/!?])"
_S_PARA_END = re.compile(
    r"\n(?=[ \t]*(?:\n|$)|" + _BLOCK_START[:-1] + r"|[-*_][ \t]*[-*_][ \t]*[-*_][-*_ \t]*(?:\n|$)|=+[ \t]*(?:\n|$)))"
)
_S_LIST_END = re.compile(
    r"\n(?:[ \t]*\n)+(?=[^ \t\n])(?!(?:[-+*]|\d{1,9}[.)])(?:[ \t]|\n|$))|\n(?=" + _BLOCK_START + ")"
)
_INDENTS = re.compile(r"\n[ \t]+")
_S_CODE_END = re.compile(r"\n(?! {4}|\t|[ \t]*(?:\n|$))")


def _scan(text: str, first: int, env: dict, starts: list[int] | None = None) -> list[_Rec]:
    """Top-level blocks of ``text`` (line-normalised) from line ``first`` on, by
    regular expressions over the text: linear and fast, for what markdown-it
    has no budget left for.

    Fences, ATX and setext headings, rules, tables, lists, quotes, HTML,
    comments, link-reference definitions (added to ``env``), indented code and
    paragraphs. The items of a list and the lines of a quote are found when
    asked for (:func:`_scan_leaves`).
    """
    if starts is None:
        starts = _line_starts(text)
    n = len(text)
    recs: list[_Rec] = []
    refs = env.setdefault("references", {})

    def line_of(off: int) -> int:
        return bisect_right(starts, off) - 1

    def add(kind: str, s: int, e: int, **kw) -> int:
        l0, l1 = line_of(s), line_of(e - 1 if e > s else s) + 1
        recs.append(_Rec(kind, l0, l1, **kw))
        return e

    pos = starts[first] if first < len(starts) else n
    while pos < n:
        pos = _S_BLANKS.match(text, pos).end()
        if pos >= n:
            break
        eol = text.find("\n", pos)
        eol = n if eol < 0 else eol
        line = text[pos:eol]
        if eol == n and not line.strip():
            break
        head = line.lstrip(" ")
        c = head[:1]
        if c in "`~" and _S_FENCE.match(line):
            mark = _S_FENCE.match(line).group(1)
            closer = re.compile(r"^ {0,3}" + re.escape(mark[0]) + "{" + str(len(mark)) + r",}[ \t]*$", re.M)
            m = closer.search(text, min(n, eol + 1))
            end = m.end() if m else n
            pos = add("code", pos, end, fence=mark[0] * 3) + 1
            continue
        if c == "#" and _S_ATX.match(line):
            m = _S_ATX.match(line)
            title = re.sub(r"(?:[ \t]+#+)?[ \t]*$", "", line[m.end() :]).strip()
            pos = add("heading", pos, eol, level=len(m.group(1)), content=title, atx=True) + 1
            continue
        if c in "-*_" and _S_HR.match(line):
            pos = add("rule", pos, eol) + 1
            continue
        if head.startswith("<!--"):
            k = text.find("-->", pos)
            k = n if k < 0 else k + 3
            end = text.find("\n", k)
            end = n if end < 0 else end
            pos = add("comment", pos, end, content=text[pos:end]) + 1
            continue
        if c == "<" and len(head) > 1 and (head[1].isalpha() or head[1] in "/!?"):
            m = _S_BLANK_LINE.search(text, pos)
            end = m.start() if m else n
            pos = add("html", pos, end, content=text[pos:end]) + 1
            continue
        if line.startswith(("    ", "\t")) or (line[:1] == " " and line.lstrip(" ")[:1] == "\t"):
            m = _S_CODE_END.search(text, pos)
            end = m.start() if m else n
            end = _rtrim(text, pos, end)
            pos = add("code", pos, end) + 1
            continue
        if c == "[" and _S_REF.match(line):
            end = pos
            while True:
                m = _S_REF.match(text, end)
                if not m:
                    break
                _add_ref(refs, m)
                end = m.end()
                if end < n and text[end] == "\n" and _S_REF.match(text, end + 1):
                    end += 1
                else:
                    break
            pos = add("refs", pos, end) + 1
            continue
        if c == ">":
            m = _S_BLANK_LINE.search(text, pos)
            end = m.start() if m else n
            pos = add("quote", pos, end) + 1
            continue
        if _S_LIST.match(line):
            m = _S_LIST_END.search(text, pos)
            end = m.start() if m else n
            end = _rtrim(text, pos, end)
            pos = add("list", pos, end) + 1
            continue
        # a paragraph, a setext heading or a table
        m = _S_PARA_END.search(text, pos)
        end = m.start() if m else n
        if end < n:
            nxt_eol = text.find("\n", end + 1)
            nxt_eol = n if nxt_eol < 0 else nxt_eol
            under = text[end + 1 : nxt_eol]
            if _S_SETEXT.match(under):
                content = "\n".join(x.strip() for x in text[pos:end].split("\n"))
                pos = add("heading", pos, nxt_eol, level=1 if under.strip()[0] == "=" else 2, content=content) + 1
                continue
        if end > eol and "|" in line and _S_DELIM.match(text, eol + 1):
            pos = add("table", pos, end) + 1
            continue
        pos = add("text", pos, end, content=LAZY) + 1  # content read when needed
    return recs


def _rtrim(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _scan_leaves(info: MarkdownInfo, rec: _Rec) -> list[_Rec]:
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
        content = "\n".join(re.sub(r"^(?:[ \t]{0,3}>[ \t]?)+", "", src[a:b]).lstrip(" \t") for a, b, _ in lines).strip(_TRIM)
        return [_Rec("text", rec.l0, rec.l1, content=content, quotes=1)] if content else []
    marks = [m for m in _S_ITEM.finditer(src, s, e)]
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else e
        body = src[m.end() : end]
        lines = _EOL.split(body.rstrip())
        content = "\n".join(x.lstrip(" \t") for x in lines).strip(_TRIM)
        if content:
            l0 = line_of(m.start())
            out.append(_Rec("text", l0, l0 + len(lines), content=content))
    return out


def _add_ref(refs: dict, m: re.Match) -> None:
    from markdown_it.common.utils import normalizeReference

    label = normalizeReference(m.group(1))
    if label and label not in refs:
        href = m.group(2)
        if href.startswith("<") and href.endswith(">"):
            href = href[1:-1]
        title = m.group(3)[1:-1] if m.group(3) else ""
        refs[label] = {"title": title, "href": href}


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

    def content(self, rec: _Rec) -> str | None:
        """The inline content of a prose record (read from its lines for the line scanner's)."""
        if rec.content is LAZY:
            s = self.line_span(rec.l0)[0]
            e = self.line_span(rec.l1 - 1)[1]
            raw = self.source[s:e].replace("\r\n", "\n").replace("\r", "\n")
            rec.content = _INDENTS.sub("\n", raw.strip(_TRIM))
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
            if src[a:b].strip(_TRIM + ">"):
                break
            k += 1
        return [self.line_span(k + i) for i in range(want)]

    def render(self, content: str, l0: int, atx: bool = False, l1: int | None = None):
        """``(Shown, code ranges, only images)`` of inline ``content`` read from lines ``l0..l1-1``."""
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
            cmap = mdinline.ContentMap.for_lines(content, self.source, lines, _TRIM)
        pieces = mdinline.render(_parser(), content, self.env)
        return mdinline.view(pieces, cmap)

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
        if len(lines) >= 2 and _S_SETEXT.match(src[lines[-1][0] : lines[-1][1]]):
            lines = lines[:-1]
            content = "\n".join(src[a:b].lstrip(" \t") for a, b, _ in lines).strip(_TRIM)
            cmap = mdinline.ContentMap.for_lines(content, src, lines, _TRIM)
        else:
            a, b, _ = lines[0] if lines else (s, e, 0)
            line = src[a:b]
            m = re.match(r"[ \t]*#{0,6}[ \t]*", line)
            c0 = m.end() if m else 0
            c1 = len(re.sub(r"(?:[ \t]+#+|^#+)?[ \t]*$", "", line[c0:])) + c0
            content = line[c0:c1]
            cmap = mdinline.ContentMap.shifted(a + c0, len(content))
        pieces = mdinline.render(_parser(), content, self.env)
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

    def __init__(self, info: MarkdownInfo, rec: _Rec) -> None:
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
    def rendered(self):
        """``(Shown, code ranges, only images)`` of a prose block, cached."""
        if self._view is None:
            rec = self.rec
            self._view = self.info.render(self.info.content(rec) or "", rec.l0, rec.atx, rec.l1)
        return self._view

    def view(self, p: Paragraph) -> Shown | None:
        """The displayed text of a prose part (or of a title heading); None for other kinds."""
        if self.rec.kind == "heading":
            if self._view is None:
                self._view = (self.info.heading_view(p.start, p.end), [], False)
            return self._view[0]
        if p.kind == "text" and self.rec.content is not None:
            return self.rendered()[0]
        return None

    def sentences(self, p: Paragraph) -> tuple[Sentence, ...]:
        """Sentences of the prose in ``p`` (its items' prose for lists)."""
        if self.rec.kind in ("list", "quote"):
            return tuple(s for q in self.parts(p) for s in q.sentences)
        if p.kind != "text" or not self.info.content(self.rec):
            return ()
        shown, code, only_images = self.rendered()
        if only_images or not shown.text.strip():
            return ()  # a line of badges is not prose
        return mdinline.sentences(shown, code, self.info.source, p.start, p.end)

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
            return v.slice(a, b) if b > a else Shown("", [], [], [], [])
        if kind in ("table", "html"):
            lines = self._lines(p)
            k = max(0, bisect_right(lines, (s, s)) - 1)
            views = []
            while k < len(lines) and lines[k][0] < e:
                a, b = lines[k]
                if b > s:
                    views.append(self._row_view(a, b) if kind == "table" else _html_view(self.info.source, a, b))
                k += 1
            return Shown.join(views)
        return None

    def _row_view(self, s: int, e: int) -> Shown:
        src = self.info.source
        cells = []
        pos = s
        if pos < e and src[pos] == "|":
            pos += 1
        k = pos
        while k <= e:
            if k == e or (src[k] == "|" and src[k - 1] != "\\"):
                a, b = pos, k
                while a < b and src[a] in " \t":
                    a += 1
                while b > a and src[b - 1] in " \t":
                    b -= 1
                if b > a:
                    content = src[a:b]
                    cmap = mdinline.ContentMap.shifted(a, b - a)
                    cells.append(mdinline.view(mdinline.render(_parser(), content, self.info.env), cmap)[0])
                pos = k + 1
            k += 1
        return Shown.join(cells, " | ")


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
    return shown.slice(a, b) if b > a else Shown("", [], [], [], [])


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


def _leaf_paragraph(info: MarkdownInfo, lf: _Rec) -> Paragraph | None:
    """A part (leaf) of a list or quote as a :class:`Paragraph`."""
    src = info.source
    blk = MarkdownBlock(info, lf)
    if lf.kind == "text":
        if not lf.content:
            return None
        shown = blk.rendered()[0]
        lines = info.content_lines(lf.content, lf.l0, lf.l1)
        if lf.atx:
            s0 = shown.source_start
            s, e = (s0, shown.source_end) if s0 is not None else info.lines_span(lf.l0, lf.l1)
        else:
            cmap = mdinline.ContentMap.for_lines(lf.content, src, lines, _TRIM)
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


def _title_text(info: MarkdownInfo, rec: _Rec, images: bool = True) -> str:
    """Displayed text of a heading; without image alt text when ``images`` is False."""
    content = rec.content or ""
    if not _PLAIN_HEADING.search(content):
        return " ".join(content.split())
    pieces = mdinline.render(_parser(), content, info.env)
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
def _line_starts(text: str) -> list[int]:
    """Offsets where lines start (after ``\n``, ``\r\n`` or ``\r``)."""
    if "\r" not in text:  # the common case, at C speed
        from itertools import accumulate

        starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
        starts.pop()
        return starts
    starts = [0]
    starts.extend(m.end() for m in _EOL.finditer(text))
    return starts


def parse_markdown(text: str, path: str | None = None) -> Document:
    """Build a :class:`Document` from Markdown source.

    Args:
        text: the Markdown text.
        path: the name to show.
    """
    fields, body = _front_matter(text)
    if not body:
        fields, body = _pandoc_title(text)
    starts = _line_starts(text)
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
    recs, resume = _markdown_it_blocks(head, env, cut == len(body_text))
    if resume is not None:
        if "\r" in body_text:
            recs.extend(_scan(body_text.replace("\r\n", "\n").replace("\r", "\n"), resume, env))
        else:  # the same lines: reuse their offsets
            recs.extend(_scan(body_text, resume, env, [s - body for s in starts[base_line:]]))

    blocks: list[tuple[str, int, int, _Rec]] = []
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

    def para(kind: str, s: int, e: int, rec: _Rec | None) -> Paragraph:
        return Paragraph(s, e, text[s:e], kind, None, MarkdownBlock(info, rec) if rec is not None else None)

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
