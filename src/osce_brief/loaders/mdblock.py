"""Markdown block structure: markdown-it-py's block parser made bounded, and a
line scanner for what is past its budget.

:func:`markdown_it_blocks` runs markdown-it's block rules (no inline pass) with
changes that keep hostile input linear and lossless:

* a paragraph checks whether a line starts a block only when its first
  character can start one (a 22 MB paragraph is one pass);
* a setext-heading scan that finds no underline pushes the paragraph it
  scanned, instead of the paragraph rule scanning it again;
* a table is parsed for its extent only (no token per cell);
* past :data:`MAX_NESTING`, a container's remaining lines are one flat
  paragraph: nothing after a deep list is lost (markdown-it skipped to the end);
* after :data:`TOKEN_BUDGET` tokens the rest goes to :func:`scan`.

Each top-level block becomes a small :class:`Rec` (kind, line range, inline
content; the leaves of a list or quote), and its tokens are dropped at once.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from . import mdinline

#: Container nesting (lists count two levels each) read as Markdown; deeper
#: content is kept as flat text of the enclosing item.
MAX_NESTING = 60
#: ... and at most this many block tokens.
TOKEN_BUDGET = 150_000
_EOL = re.compile(r"\r\n|\r|\n")
_md = None


class _OverBudget(Exception):
    """markdown-it has made enough tokens: the line scanner reads the rest."""


def parser():
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
    from markdown_it.common.utils import MD_TRIM_CHARS as TRIM
except ImportError:  # pragma: no cover - older markdown-it-py
    TRIM = " \t\n\r\x0b\x0c"
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
    content = state.getLines(start, nxt, state.blkIndent, False).strip(TRIM)
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
    content = state.getLines(startLine, nxt, state.blkIndent, False).strip(TRIM)
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
        if b[nxt] + t[nxt] >= e[nxt] or not state.src[b[nxt] + t[nxt] : e[nxt]].strip(TRIM):
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


class Rec:
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


def _leaf(tokens, i: int, quotes: int) -> tuple[Rec | None, int]:
    """The leaf block opened by ``tokens[i]`` and the index after it."""
    t = tokens[i]
    typ = t.type
    m = t.map or [0, 0]
    if typ == "paragraph_open":
        return Rec("text", m[0], m[1], content=tokens[i + 1].content, quotes=quotes), i + 3
    if typ == "heading_open":
        return Rec("text", m[0], m[1], content=tokens[i + 1].content, quotes=quotes, atx=t.markup.startswith("#")), i + 3
    if typ == "fence":
        return Rec("code", m[0], m[1], quotes=quotes, fence=t.markup), i + 1
    if typ == "code_block":
        return Rec("code", m[0], m[1], quotes=quotes), i + 1
    if typ == "table_open":
        return Rec("table", m[0], m[1], quotes=quotes), i + 2
    if typ == "html_block":
        return Rec(_html_kind(t.content), m[0], m[1], content=t.content, quotes=quotes), i + 1
    if typ == "hr":
        return Rec("rule", m[0], m[1], quotes=quotes), i + 1
    return None, i + 1


def _convert(tokens, recs: list[Rec], line: int, nxt: int) -> None:
    """Turn the tokens of one top-level block into a record."""
    if not tokens:  # link-reference definitions make no token
        recs.append(Rec("refs", line, nxt))
        return
    t = tokens[0]
    typ = t.type
    if typ == "heading_open":
        recs.append(Rec("heading", t.map[0], t.map[1], int(t.tag[1]), tokens[1].content, atx=t.markup.startswith("#")))
        return
    if typ in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
        leaves: list[Rec] = []
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
        recs.append(Rec(kind, t.map[0], t.map[1], leaves=leaves))
        return
    leaf, _ = _leaf(tokens, 0, 0)
    if leaf is not None:
        recs.append(leaf)


def markdown_it_blocks(norm: str, env: dict, whole: bool) -> tuple[list[Rec], int | None]:
    """Top-level blocks of ``norm`` by markdown-it; ``(records, line)`` where
    ``line`` is where the line scanner must take over (None: all read)."""
    from markdown_it.rules_block import StateBlock

    md = parser()
    tokens: list = []
    state = StateBlock(norm, md, env, tokens)
    state._brief_spent = 0
    rules = md.block.ruler.getRules("")
    line, end = 0, state.lineMax
    recs: list[Rec] = []
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
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_S_HR = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)
_S_LIST = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)", re.M)
ITEM_MARK = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)", re.M)
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
INDENTS = re.compile(r"\n[ \t]+")
_S_CODE_END = re.compile(r"\n(?! {4}|\t|[ \t]*(?:\n|$))")


def scan(text: str, first: int, env: dict, starts: list[int] | None = None) -> list[Rec]:
    """Top-level blocks of ``text`` (line-normalised) from line ``first`` on, by
    regular expressions over the text: linear and fast, for what markdown-it
    has no budget left for.

    Fences, ATX and setext headings, rules, tables, lists, quotes, HTML,
    comments, link-reference definitions (added to ``env``), indented code and
    paragraphs. The items of a list and the lines of a quote are found when
    asked for (:func:`_scan_leaves`).
    """
    if starts is None:
        starts = line_starts(text)
    n = len(text)
    recs: list[Rec] = []
    refs = env.setdefault("references", {})

    def line_of(off: int) -> int:
        return bisect_right(starts, off) - 1

    def add(kind: str, s: int, e: int, **kw) -> int:
        l0, l1 = line_of(s), line_of(e - 1 if e > s else s) + 1
        recs.append(Rec(kind, l0, l1, **kw))
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
            if SETEXT_UNDERLINE.match(under):
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


def _add_ref(refs: dict, m: re.Match) -> None:
    from markdown_it.common.utils import normalizeReference

    label = normalizeReference(m.group(1))
    if label and label not in refs:
        href = m.group(2)
        if href.startswith("<") and href.endswith(">"):
            href = href[1:-1]
        title = m.group(3)[1:-1] if m.group(3) else ""
        refs[label] = {"title": title, "href": href}


def line_starts(text: str) -> list[int]:
    """Offsets where lines start (after ``\n``, ``\r\n`` or ``\r``)."""
    if "\r" not in text:  # the common case, at C speed
        from itertools import accumulate

        starts = list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))
        starts.pop()
        return starts
    starts = [0]
    starts.extend(m.end() for m in _EOL.finditer(text))
    return starts


