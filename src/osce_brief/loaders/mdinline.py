"""Markdown inline text as a reader sees it, with exact source offsets.

:func:`render` runs markdown-it's inline parser with a tokenizer loop that
records where each token comes from, so the displayed text of a paragraph
(link text without its target, code without backticks, emphasis without its
markers, entity and backslash escapes decoded) maps back to source offsets
through an :class:`~osce_brief.inline.Shown`. Reference links resolve with the
whole document's definitions (the ``env`` of the block parse).

Inline content longer than :data:`FAST_CHARS` (a hostile flood of ``[`` or one
22 MB paragraph) is rendered by :func:`fast_render`, a linear regex pass that
handles the common constructs, because markdown-it's inline rules cost several
microseconds per markup character.

:func:`sentences` splits the displayed text into sentences (code spans masked so
that ``e.g. `a. b``` never ends one) and maps each back to a source span that
also takes in the markup around it (``**Bold.**`` keeps both ``**``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from types import SimpleNamespace

from ..inline import Shown
from ..model import Sentence

#: Inline content longer than this is rendered by :func:`fast_render`.
FAST_CHARS = 100_000
#: Link-label scanning steps allowed per inline state, beyond this many per character.
LABEL_STEPS_PER_CHAR = 8
LABEL_STEPS_MIN = 20_000

# Piece flags
CODE, IMAGE = 1, 2


# ---------------------------------------------------------------- tokenizer with offsets
def tokenize(state) -> None:
    """markdown-it's inline tokenizer loop, recording ``token.meta['span']``.

    Spans are ``(start, end)`` in ``state.src``. A token flushed from pending text
    starts where that text started; tokens of one rule share the rule's span,
    except emphasis-like delimiter runs, which get one span per token.
    """
    md = state.md
    rules = md.inline.ruler.getRules("")
    end = state.posMax
    max_nesting = md.options["maxNesting"]
    toks = state.tokens
    src = state.src
    pstart = -1
    while state.pos < end:
        pos = state.pos
        n0 = len(toks)
        ok = False
        if state.level < max_nesting:
            for rule in rules:
                if rule(state, False):
                    ok = True
                    break
        if not ok:
            state.pending += src[pos]
            state.pos += 1
            if pstart < 0:
                pstart = pos
            continue
        if len(toks) == n0:
            if pstart < 0:  # the rule added to the pending text
                pstart = pos
        else:
            _tag(toks, n0, pos, state.pos, pstart)
            pstart = -1
        if state.pos >= end:
            break
    if state.pending:
        state.pushPending()
        t = toks[-1]
        t.meta["span"] = (pstart, pstart + len(t.content))


def _tag(toks, n0: int, pos: int, newpos: int, pstart: int) -> None:
    k = n0
    first = toks[k]
    if pstart >= 0 and first.type == "text" and "span" not in first.meta:
        first.meta["span"] = (pstart, pstart + len(first.content))
        k += 1
    fresh = [t for t in toks[k:] if "span" not in t.meta]
    if fresh and all(t.type == "text" for t in fresh):  # delimiter runs (* _ ~)
        cur = pos
        for t in fresh:
            t.meta["span"] = (cur, cur + len(t.content))
            cur += len(t.content)
    else:
        for t in fresh:
            t.meta["span"] = (pos, newpos)


def _link_label(state, start: int, disable_nested: bool = False) -> int:
    """markdown-it's link-label scan, with a step budget per inline state.

    Fails at once when no ``]`` follows; once the budget is spent (a flood of
    ``[``), no further label is recognised in that state, so hostile input stays
    linear.
    """
    src = state.src
    lasts = state.__dict__.setdefault("_brief_last_close", {})
    last = lasts.get(state.posMax)
    if last is None:
        last = lasts[state.posMax] = src.rfind("]", 0, state.posMax)
    if last <= start:
        return -1
    budget = state.__dict__.get("_brief_budget")
    if budget is None:
        budget = LABEL_STEPS_MIN + LABEL_STEPS_PER_CHAR * len(src)
    if budget <= 0:
        return -1
    old = state.pos
    state.pos = start + 1
    level = 1
    found = False
    skip = state.md.inline.skipToken
    while state.pos < state.posMax:
        budget -= 1
        if budget <= 0:
            break
        marker = src[state.pos]
        if marker == "]":
            level -= 1
            if level == 0:
                found = True
                break
        prev = state.pos
        skip(state)
        if marker == "[":
            if prev == state.pos - 1:
                level += 1
            elif disable_nested:
                state.pos = old
                state._brief_budget = budget
                return -1
    end = state.pos if found else -1
    state.pos = old
    state._brief_budget = budget
    return end


def configure(md) -> None:
    """Install the offset-recording tokenizer and the bounded label scan on ``md``."""
    from markdown_it import helpers

    md.inline.tokenize = tokenize
    md.inline.ruler2.disable("fragments_join")
    md.helpers = SimpleNamespace(
        parseLinkLabel=_link_label,
        parseLinkDestination=helpers.parseLinkDestination,
        parseLinkTitle=helpers.parseLinkTitle,
    )


# ---------------------------------------------------------------- rendering
def render(md, content: str, env: dict, fast: bool = False, verbatim: bool = False) -> list[tuple[str, int, int, int]]:
    """Displayed pieces ``(text, start, end, flags)`` of inline ``content``.

    Offsets are into ``content``; a piece whose text is as long as its span maps
    one to one. Flags: :data:`CODE` (a code span), :data:`IMAGE` (alt text).
    ``fast`` (or content over :data:`FAST_CHARS`) uses :func:`fast_render`.
    ``verbatim`` (the content is one stretch of the source): a bare line break
    may stay inside a piece, shown as a space (fewer pieces for huge text).
    """
    if not _MARKUP_CHARS.search(content):
        return plain_render(content, verbatim)
    if "{{" in content or "{%" in content:
        content = mask_templates(content)
    if fast or len(content) > FAST_CHARS:
        return fast_render(content, verbatim)
    from markdown_it.rules_inline import StateInline

    tokens: list = []
    state = StateInline(content, md, env, tokens)
    tokenize(state)
    for rule in md.inline.ruler2.getRules(""):
        rule(state)
    out: list[tuple[str, int, int, int]] = []
    _pieces(tokens, content, 0, 0, out)
    return out


def _pieces(tokens, src: str, base: int, flags: int, out: list) -> None:
    skip_to_close = False
    for t in tokens:
        span = t.meta.get("span")
        typ = t.type
        if skip_to_close:
            if typ == "link_close":
                skip_to_close = False
            continue
        if span is None:
            continue
        s, e = span
        if typ == "text" or typ == "text_special":
            if t.content:
                out.append((t.content, base + s, base + e, flags))
        elif typ == "code_inline":
            _code_piece(t, src, s, e, base, flags, out)
        elif typ in ("softbreak", "hardbreak"):
            out.append((" ", base + s, base + e, flags))
        elif typ == "image":
            # children are offsets into the label, which starts after "!["
            _pieces(t.children or [], src[s + 2 :], base + s + 2, flags | IMAGE, out)
        elif typ == "link_open" and t.markup == "autolink":
            out.append((src[s + 1 : e - 1], base + s + 1, base + e - 1, flags))
            skip_to_close = True
        elif typ == "html_inline" and _BR.match(t.content):
            out.append((" ", base + s, base + e, flags))


_BR = re.compile(r"<br\s*/?>", re.I)


def _code_piece(t, src: str, s: int, e: int, base: int, flags: int, out: list) -> None:
    n = len(t.markup)
    inner_s, inner_e = s + n, e - n
    raw = src[inner_s:inner_e]
    if t.content != raw.replace("\n", " "):  # one space stripped on each side
        inner_s += 1
        inner_e -= 1
    if inner_e > inner_s:
        out.append((t.content, base + inner_s, base + inner_e, flags | CODE))


# Characters that may start an inline construct (escape, code, emphasis,
# strikethrough, link, image, autolink or tag, entity): content without any is
# plain text with line breaks.
_MARKUP_CHARS = re.compile(r"[\\`*_~\[<&]|\{[{%]")
# Site-generator templates in Markdown sources (Hugo, Jekyll): a link whose target
# is a template, and Hugo shortcodes, which the published page does not show as text.
_TEMPLATE_TARGET = re.compile(r"\]\([ \t]*(\{\{.*?\}\}|\{%.*?%\})")
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")


def mask_templates(content: str) -> str:
    """``content`` with site-generator templates masked, same length (offsets
    hold): a template link target becomes ``xxx`` (so ``[text]({{< ref "a" >}})``
    is a link showing "text") and a Hugo shortcode an HTML comment (not shown).

    Example:
        >>> mask_templates('[docs]({{< ref "a b" >}}) and {{< figure src="x" >}} here')
        '[docs](xxxxxxxxxxxxxxxxx) and <!--xxxxxxxxxxxxxxx--> here'
    """
    content = _TEMPLATE_TARGET.sub(lambda m: m.group(0)[: m.start(1) - m.start()] + "x" * len(m.group(1)), content)
    return _SHORTCODE.sub(lambda m: "<!--" + "x" * (len(m.group(0)) - 7) + "-->" if len(m.group(0)) >= 7 else m.group(0), content)
_BREAK = re.compile(r" *\n[ \t]*")
_WIDE_BREAK = re.compile(r" +\n[ \t]*|\n[ \t]+")  # a line break with blanks around it


def has_markup(content: str) -> bool:
    """True when ``content`` may hold an inline construct (else it is plain text)."""
    return _MARKUP_CHARS.search(content) is not None


def plain_render(content: str, verbatim: bool = False) -> list[tuple[str, int, int, int]]:
    """Pieces of content without markup: its lines, a space for each line break."""
    out: list[tuple[str, int, int, int]] = []
    pos = 0
    if verbatim:
        for m in _WIDE_BREAK.finditer(content):
            if m.start() > pos:
                out.append((content[pos : m.start()].replace("\n", " "), pos, m.start(), 0))
            out.append((" ", m.start(), m.end(), 0))
            pos = m.end()
        if pos < len(content):
            out.append((content[pos:].replace("\n", " "), pos, len(content), 0))
        return out
    for m in _BREAK.finditer(content):
        if m.start() > pos:
            out.append((content[pos : m.start()], pos, m.start(), 0))
        out.append((" ", m.start(), m.end(), 0))
        pos = m.end()
    if pos < len(content):
        out.append((content[pos:], pos, len(content), 0))
    return out


# A linear approximation for huge inline content.
_FAST_PARTS = (
    r"(?P<run>\[+(?=\[)|!+(?=!))"  # all but the last of a run of [ (a flood) is plain text
    r"|(?P<code>(?P<ticks>`+)(?P<ctext>.+?)(?P=ticks))"
    r"|!?\[(?P<ltext>[^\[\]\n]{0,1000})\](?:\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)|\[[^\[\]\n]{0,1000}\])?"
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->)"
    r"|(?P<ent>&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|\\(?P<esc>[!-/:-@\[-`{-~])"
)
# A cheap test first: only these characters start a construct. Emphasis markers are
# left as they are (a flood of them would make millions of pieces).
_FAST = re.compile(r"(?=[`!\[<&\\\n])(?:" + _FAST_PARTS + r"|(?P<nl>\n[ \t]*))", re.S)
# The same for text that is one stretch of the source: a bare line break stays in the text.
_FAST_VERBATIM = re.compile(r"(?=[`!\[<&\\\n])(?:" + _FAST_PARTS + r"|(?P<nl>\n[ \t]+))", re.S)


def fast_render(content: str, verbatim: bool = False) -> list[tuple[str, int, int, int]]:
    """A regex rendering of ``content`` in linear time, for huge paragraphs: code
    spans, links, images, autolinks, tags, entities, escapes and line breaks
    (emphasis markers are left in the text)."""
    import html

    out: list[tuple[str, int, int, int]] = []
    pos = 0
    for m in (_FAST_VERBATIM if verbatim else _FAST).finditer(content):
        g = m.lastgroup
        if g == "run":
            continue  # plain text: it goes out with the text before the next construct
        if m.start() > pos:
            text = content[pos : m.start()]
            out.append((text.replace("\n", " ") if verbatim else text, pos, m.start(), 0))
        if m.group("code") is not None:
            a, b = m.span("ctext")
            out.append((content[a:b].replace("\n", " "), a, b, CODE))
        elif m.group("ltext") is not None:
            a, b = m.span("ltext")
            if b > a:
                out.append((content[a:b], a, b, IMAGE if content[m.start()] == "!" else 0))
        elif g == "auto":
            a, b = m.span("auto")
            out.append((content[a:b], a, b, 0))
        elif g == "ent":
            out.append((html.unescape(m.group(0)), m.start(), m.end(), 0))
        elif g == "esc":
            out.append((m.group("esc"), m.start(), m.end(), 0))
        elif g == "nl":
            out.append((" ", m.start(), m.end(), 0))
        pos = m.end()
    if pos < len(content):
        text = content[pos:]
        out.append((text.replace("\n", " ") if verbatim else text, pos, len(content), 0))
    return out


# ---------------------------------------------------------------- content -> source
class ContentMap:
    """Maps offsets in markdown-it's inline ``content`` (container markers and
    indentation removed, lines joined with ``\\n``) to offsets in the source.

    Each content line ``k`` is a suffix of source line ``k`` (the last one
    without its trailing blanks); its leading blanks may be tab expansions.
    """

    __slots__ = ("cstart", "lead", "sstart", "size", "eol", "eol_len")

    def __init__(self) -> None:
        self.cstart: list[int] = []
        self.lead: list[int] = []
        self.sstart: list[int] = []
        self.size: list[int] = []
        self.eol: list[int] = []
        self.eol_len: list[int] = []

    @classmethod
    def for_lines(cls, content: str, source: str, lines: list[tuple[int, int, int]], trim: str) -> ContentMap:
        """``lines``: ``(start, end, eol_len)`` of each source line (end before the EOL)."""
        cm = cls()
        c = 0
        parts = content.split("\n")
        last = len(parts) - 1
        for k, cl in enumerate(parts):
            if k < len(lines):
                ls, le, el = lines[k]
            else:  # should not happen: keep offsets monotonic
                ls = le = lines[-1][1] if lines else 0
                el = 0
            stripped = cl.lstrip(" \t")
            lead = len(cl) - len(stripped)
            if k == last:
                e = ls + len(source[ls:le].rstrip(trim))
            else:
                e = le
            j = max(ls, e - len(stripped))
            cm.cstart.append(c)
            cm.lead.append(lead)
            cm.sstart.append(j)
            cm.size.append(len(stripped))
            cm.eol.append(le)
            cm.eol_len.append(el)
            c += len(cl) + 1
        return cm

    @classmethod
    def shifted(cls, start: int, length: int) -> ContentMap:
        """Content that is ``source[start:start+length]`` itself (one line)."""
        cm = cls()
        cm.cstart.append(0)
        cm.lead.append(0)
        cm.sstart.append(start)
        cm.size.append(length)
        cm.eol.append(start + length)
        cm.eol_len.append(0)
        return cm

    def start(self, c: int) -> int:
        """Source offset where content character ``c`` starts."""
        k = max(0, bisect_right(self.cstart, c) - 1)
        off = c - self.cstart[k] - self.lead[k]
        if off < 0:
            return self.sstart[k]
        if off < self.size[k]:
            return self.sstart[k] + off
        return self.eol[k]

    def end(self, c: int) -> int:
        """Source offset where the content before offset ``c`` ends."""
        if c <= 0:
            return self.start(0)
        k = max(0, bisect_right(self.cstart, c - 1) - 1)
        off = c - 1 - self.cstart[k] - self.lead[k]
        if off < 0:
            return self.sstart[k]
        if off < self.size[k]:
            return self.sstart[k] + off + 1
        return self.eol[k] + self.eol_len[k]

    def one_to_one(self, c0: int, c1: int) -> bool:
        """True when content ``[c0, c1)`` lies inside one line's mapped text."""
        k = max(0, bisect_right(self.cstart, c0) - 1)
        lo = self.cstart[k] + self.lead[k]
        return lo <= c0 and c1 <= lo + self.size[k]


def view(pieces, cmap: ContentMap) -> tuple[Shown, list[tuple[int, int]], bool]:
    """The :class:`Shown` of rendered ``pieces``, the displayed ranges of code
    spans, and whether everything displayed is image alt text (a badge line)."""
    out: list[tuple[str, int, int]] = []
    code: list[tuple[int, int]] = []
    pos = 0
    only_images = True
    for text, c0, c1, flags in pieces:
        if not text:
            continue
        if len(text) == c1 - c0 and cmap.one_to_one(c0, c1):
            out.append((text, cmap.start(c0), c1 - c0))
        elif len(text) == c1 - c0 and "\n" not in text:
            # one to one, but crossing lines (a code span over a line break): per char
            for i, ch in enumerate(text):
                s = cmap.start(c0 + i)
                out.append((ch, s, max(1, cmap.end(c0 + i + 1) - s)))
        else:
            s = cmap.start(c0)
            out.append((text, s, max(0, cmap.end(c1) - s)))
        if flags & CODE:
            code.append((pos, pos + len(text)))
        if not flags & IMAGE and not text.isspace():
            only_images = False
        pos += len(text)
    if any(b[1] < a[1] for a, b in zip(out, out[1:])):
        out.sort(key=lambda x: x[1])
    return Shown.build(out), code, only_images


# ---------------------------------------------------------------- sentences
def sentences(shown: Shown, code: list[tuple[int, int]], source: str, start: int, end: int) -> tuple[Sentence, ...]:
    """Sentences of displayed text, with source spans that take in their markup.

    ``start``/``end`` bound the block in the source. Code spans are masked so
    their punctuation never ends a sentence.
    """
    from ..segment import sentence_spans

    text = shown.text
    if code:
        chunks, pos = [], 0
        for a, b in code:
            chunks.append(text[pos:a])
            chunks.append("x" * (b - a))
            pos = b
        chunks.append(text[pos:])
        masked = "".join(chunks)
    else:
        masked = text
    spans = sentence_spans(masked)
    if not spans:
        return ()
    bounds = [shown.source_span(a, b) for a, b in spans]
    out = []
    prev_end = start
    for i, ((a, b), (s, e)) in enumerate(zip(spans, bounds)):
        # take in the markup before the first shown character ...
        gap = source[prev_end:s]
        lo = s - len(gap) + (len(gap) - len(gap.lstrip())) if i == 0 else s - len(gap) + _after_last_space(gap)
        # ... and after the last one, up to the next space
        nxt = bounds[i + 1][0] if i + 1 < len(bounds) else end
        gap2 = source[e:nxt]
        hi = e + (_first_space(gap2) if i + 1 < len(bounds) else len(gap2.rstrip()))
        lo = max(start, min(lo, s))
        hi = min(end, max(hi, e))
        if hi <= lo:
            continue
        v = shown.slice(a, b)
        if v.is_identity() and v.source_start == lo and v.source_end == hi:
            v = None  # displayed as in the source (no markup): no map to keep
        out.append(Sentence(lo, hi, source[lo:hi], v))
        prev_end = hi
    return tuple(out)


def _first_space(s: str) -> int:
    for i, ch in enumerate(s):
        if ch.isspace():
            return i
    return len(s)


def _after_last_space(s: str) -> int:
    for i in range(len(s) - 1, -1, -1):
        if s[i].isspace():
            return i + 1
    return 0
