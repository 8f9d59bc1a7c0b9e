"""HTML documents (manuals, API references, READMEs saved as HTML) -> Markdown, nothing lost.

trafilatura is made for web articles: it keeps the story and drops what looks
like site furniture. On a manual that is the wrong bet: it drops link-dense
parameter lists, nested lists and the headings of GNU-style manuals. This
module converts the page itself, element by element, with a few rules that
generalise across documentation generators:

* everything in the page's main region is kept (``<main>`` or ``role=main``
  when the page marks one, else the whole body): paragraphs, headings, nested
  lists, tables, code blocks, quotes, and definition lists (each term on the
  line above the first paragraph of its description, so an option and what
  it does are one passage);
* navigation is left out: ``<nav>``, ``role=navigation``, footers, elements
  whose class or id names navigation (``nav``, ``menu``, ``toc``, ``sidebar``,
  ``breadcrumb``...), "Next: ... Previous: ... Up: ..." lines, lists made
  only of links to places in pages (tables of contents), and cells of links
  beside the text in layout tables (old-style menus). A page that is nothing
  but navigation keeps it;
* permalink anchors ("#", "¶", "§" linking to the heading itself) are dropped;
* nesting deeper than :data:`MAX_NEST` lists or quotes is flattened to that
  level: every item is kept, in order, at the deepest level shown.

The walk over the lxml tree is iterative and linear. A page nested deeper than
libxml2 reads (it stops at 256 levels and drops the rest) is first unwrapped
past :data:`MAX_DEPTH` levels by :func:`flatten_depth`, keeping the text. Past
:data:`MAX_LINES` lines of Markdown or :data:`MAX_HEADINGS` headings, the rest
of the page is kept as plain paragraphs, so that no shape of page makes the
Markdown that follows (and everything built on it) unbounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Lists and quotes nested deeper than this are flattened to this level.
MAX_NEST = 6
#: Tables nested deeper than this are read as plain blocks.
MAX_TABLE_NEST = 2
#: Lines and blocks (paragraphs, list items, headings...) of Markdown made; past
#: either, the rest of the page is kept as plain text paragraphs, so that a page
#: of a million tiny elements reads in bounded time. A large manual (Node's
#: all.html, 8 MB of HTML) makes about 82,000 lines in 25,000 blocks.
MAX_LINES = 150_000
MAX_BLOCKS = 50_000
#: Headings made sections; past this, headings are kept as plain text lines.
#: (Node's all.html, the largest manual on a Debian machine, has 4,285.)
MAX_HEADINGS = 10_000
#: Characters of a plain text paragraph past :data:`MAX_LINES`.
PLAIN_PARAGRAPH = 4000
#: How far down the open-tag stack an end tag is looked for (when unwrapping).
_END_TAG_WINDOW = 256

_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen command basefont bgsound frame isindex".split()
)
# Elements whose whole subtree is not reading text.
_SKIP = frozenset(
    "script style template noscript svg iframe object embed canvas audio video select button input textarea datalist "
    "dialog map applet frameset frame".split()
)
# Elements left out as navigation (unless the page is nothing else).
_NAV_TAGS = frozenset(("nav", "footer"))
_SKIP_ROLES = frozenset(("navigation", "search", "contentinfo", "menu", "menubar", "tablist", "toolbar"))
# class/id words naming navigation (matched against the words of class and id values)
_NAV_WORDS_ATTR = frozenset(
    "nav navbar navigation navheader navfooter navlinks navpath menu menubar toc breadcrumb breadcrumbs sidebar "
    "sphinxsidebar pagination pager skiplink skip-link skipnav".split()
)
# Containers whose class or id may name them navigation ("toc-..." ids on links do not count).
_NAV_CONTAINERS = frozenset("div section aside ul ol dl table tr header menu details".split())
_BLOCK = frozenset(
    "p div section article main header aside address figure figcaption center details summary fieldset legend "
    "hgroup body html form caption blockquote hr ul ol dl li dt dd table tr td th thead tbody tfoot pre menu dir "
    "h1 h2 h3 h4 h5 h6 noframes nav footer".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CODE = frozenset(("code", "kbd", "samp", "tt"))
_STRONG = frozenset(("strong", "b"))
_EM = frozenset(("em", "i", "cite", "dfn", "var"))
_LISTS = frozenset(("ul", "ol", "menu", "dir"))

# "Next: Introduction, Previous: (dir), Up: (dir) [Contents]" -- words a navigation line is made of
_NAV_LINE_WORDS = frozenset(
    "next previous prev up home top contents index back forward table of toc skip to content main go".split()
)

# sentinels inside a paragraph being built (input text never carries them: see _clean_text)
_BR = "\x01"
_SO, _SC, _EO, _EC = "\x02", "\x03", "\x04", "\x05"
_SENTINELS = re.compile("[\x00-\x05]")
_FENCE_LINE = re.compile(r"^(?:`{3,}|~{3,})[\w+#.-]*$")
_ESC_ANY = re.compile(r"[\\`*\[\]_<&~]")
_KEEP = 300  # characters of text kept to judge navigation lines
_WS = re.compile(r"[ \t\n\r\f\v]+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _clean_text(s: str) -> str:
    if "\xa0" in s:
        s = s.replace("\xa0", " ")
    return _SENTINELS.sub("\ufffd", s) if _SENTINELS.search(s) else s


_ESC_RE = re.compile(r"[\\`*\[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)|~(?=~)|(?<=~)~")


def _esc(m) -> str:
    return "\\" + m.group(0)


def escape_inline(s: str) -> str:
    """Escape the characters that would turn text into Markdown syntax.

    Example:
        >>> escape_inline("a *b* [c] <string> snake_case _x_")
        'a \\\\*b\\\\* \\\\[c\\\\] \\\\<string> snake_case \\\\_x\\\\_'
    """
    return _ESC_RE.sub(_esc, s)


_LINE_START_CHARS = frozenset("#>+-=|0123456789")
_LINE_START = re.compile(
    r"^(?:(#{1,6})(?=[ \t]|$)|([>+])|(-)(?=[ \t]|$|[-\s]*$)|(=)(?=[=\s]*$)|(\d{1,9})([.)])(?=[ \t]|$)|(\|)(?=[\s|:-]*$))"
)


def _escape_line_start(line: str) -> str:
    if line[0] not in _LINE_START_CHARS:
        return line
    m = _LINE_START.match(line)
    if not m:
        return line
    if m.group(5):  # "1." -> "1\."
        return m.group(5) + "\\" + line[m.end(5) :]
    return "\\" + line


def _is_punct(c: str) -> bool:
    if not c:
        return False
    if c in _PUNCT:
        return True
    import unicodedata

    return unicodedata.category(c).startswith("P")


def _resolve_emphasis(s: str) -> str:
    """Turn emphasis sentinels into ``**``/``*`` where CommonMark reads them as emphasis.

    A pair is kept only when its opener is left-flanking and its closer right-flanking;
    otherwise both marks are dropped (the text stays, without raw asterisks).
    """
    if _SO not in s and _EO not in s:
        return s
    chars = list(s)
    n = len(chars)
    marks = (_SO, _SC, _EO, _EC)

    def around(i: int) -> tuple[str, str]:
        j = i - 1
        while j >= 0 and chars[j] in marks:
            j -= 1
        k = i + 1
        while k < n and chars[k] in marks:
            k += 1
        return (chars[j] if j >= 0 else " "), (chars[k] if k < n else " ")

    opened: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, c in enumerate(chars):
        if c in (_SO, _EO):
            opened.append(i)
        elif c in (_SC, _EC):
            want = _SO if c == _SC else _EO
            for k in range(len(opened) - 1, -1, -1):
                if chars[opened[k]] == want:
                    pairs.append((opened.pop(k), i))
                    break
    out = {}
    for o, c in pairs:
        prev, nxt = around(o)
        ok = not nxt.isspace() and (not _is_punct(nxt) or prev.isspace() or _is_punct(prev))
        prev2, nxt2 = around(c)
        ok = ok and not prev2.isspace() and (not _is_punct(prev2) or nxt2.isspace() or _is_punct(nxt2))
        mark = "**" if chars[o] == _SO else "*"
        out[o] = out[c] = mark if ok else ""
    return "".join(out.get(i, "") if ch in marks else ch for i, ch in enumerate(chars))


# ---------------------------------------------------------------- output model
class _Item:
    """An open list item: its marker waits for the item's first line."""

    __slots__ = ("marker", "cont", "pending", "nblocks")

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.cont = " " * len(marker)
        self.pending = True
        self.nblocks = 0


class _Quote:
    __slots__ = ()


class _List:
    __slots__ = ("ordered", "n", "flat", "dl", "item")

    def __init__(self, ordered: bool, start: int, flat: bool, dl: bool) -> None:
        self.ordered = ordered
        self.n = start
        self.flat = flat  # deeper than MAX_NEST: its items continue the enclosing item's list
        self.dl = dl
        self.item: _Item | None = None  # a definition list's open item

    def marker(self) -> str:
        if self.ordered:
            m = f"{self.n}. "
            self.n = self.n + 1 if self.n < 999_999_999 else self.n
            return m
        return "- "


class _Stats:
    """What a paragraph, a held-back list or a table cell is made of."""

    __slots__ = ("words", "lwords", "links", "frag_links", "blocks", "other_blocks", "plain", "linked")

    def __init__(self) -> None:
        self.words = 0  # words outside links
        self.lwords = 0  # words inside links
        self.links = 0
        self.frag_links = 0  # links to a place in a page ("#part")
        self.blocks = 0
        self.other_blocks = 0  # code blocks, tables
        self.plain = ""  # the start of the text outside links
        self.linked = ""  # the start of the text inside links

    def add(self, o: _Stats) -> None:
        self.words += o.words
        self.lwords += o.lwords
        self.links += o.links
        self.frag_links += o.frag_links
        self.blocks += o.blocks
        self.other_blocks += o.other_blocks
        if o.plain and len(self.plain) < _KEEP:
            self.plain += " " + o.plain
        if o.linked and len(self.linked) < _KEEP:
            self.linked += " " + o.linked


def _is_nav(st: _Stats) -> bool:
    """A navigation line: links, and no words but navigation words ("Next: x, Up: y [Contents]")."""
    if st.links == 0 or st.words > 12 or st.other_blocks or len(st.plain) >= _KEEP:
        return False
    plain = {w.lower() for w in _WORD.findall(st.plain)}
    if not plain <= _NAV_LINE_WORDS:
        return False
    if plain:
        return True
    linked = {w.lower() for w in _WORD.findall(st.linked[:_KEEP])}
    return bool(linked) and linked <= _NAV_LINE_WORDS


def _is_link_cell(st: _Stats) -> bool:
    """Mostly links: at least three, and three times as many words inside links as outside."""
    return st.links >= 3 and st.lwords >= 3 * max(st.words, 1)


def _is_toc(st: _Stats) -> bool:
    """A list made only of links, nearly all to places in pages (a table of contents)."""
    return st.blocks >= 2 and st.words == 0 and not st.other_blocks and st.links >= st.blocks and st.frag_links >= 0.8 * st.links


class _Budget:
    """How many more Markdown lines, blocks and headings the document may have (see :data:`MAX_LINES`)."""

    __slots__ = ("left", "blocks", "headings")

    def __init__(self) -> None:
        self.left = MAX_LINES
        self.blocks = MAX_BLOCKS
        self.headings = MAX_HEADINGS


class _Sink:
    """Where blocks go: the document, a list held back until it is judged, or a table cell."""

    __slots__ = ("entries", "stack", "depth0", "prev_single", "stats", "kind", "main", "flat", "budget", "plain")

    def __init__(self, kind: str, depth0: int, budget: _Budget) -> None:
        self.budget = budget
        self.plain = 0  # lines in the open plain-text paragraph (past the block budget)
        self.kind = kind  # "doc", "held" or "cell"
        self.entries: list = []  # str chunks; the document also ("h", level, text) and ("nav",)
        self.main: list[bool] = []  # the document: whether each entry is in the main region
        self.stack: list = []  # open _List, _Item and _Quote containers
        self.flat: list[bool] = []  # lists open past MAX_NEST (True: a definition list), not on the stack
        self.depth0 = depth0
        self.prev_single = False
        self.stats = _Stats()

    def nest(self) -> int:
        return self.depth0 + sum(1 for c in self.stack if c.__class__ is not _List)

    def has_list(self) -> bool:
        return bool(self.flat) or any(c.__class__ is _List for c in self.stack)

    def block(self, lines: list[str], in_main: bool, single: bool = False, raw: bool = False) -> None:
        """Add a block (its lines without container prefixes) under the open containers.

        ``raw`` lines are code (not escaped for Markdown). Past the line budget,
        blocks are plain text.
        """
        budget = self.budget
        if budget.left < len(lines) or budget.blocks <= 0:
            budget.left = 0
            self._plain(lines, in_main, raw)
            return
        budget.left -= len(lines)
        budget.blocks -= 1
        self.plain = 0
        if not self.stack:  # the common case: no list or quote open
            text = "\n".join(lines)
            self.entries.append(("\n" + text) if self.entries else text)
            self.prev_single = False
            if self.kind == "doc":
                self.main.append(in_main)
            return
        first: list[str] = []
        cont: list[str] = []
        starts_item = False
        innermost: _Item | None = None
        for c in self.stack:
            if c.__class__ is _Item:
                innermost = c
                if c.pending:
                    first.append(c.marker)
                    starts_item = True
                    c.pending = False
                else:
                    first.append(c.cont)
                cont.append(c.cont)
            elif c.__class__ is _Quote:
                first.append("> ")
                cont.append("> ")
        fp, cp = "".join(first), "".join(cont)
        out: list[str] = []
        if self.entries and not (starts_item and self.prev_single):
            out.append(cp.rstrip())
        out.append((fp + lines[0]) if lines[0] else fp.rstrip())
        for line in lines[1:]:
            out.append((cp + line) if line else cp.rstrip())
        if innermost is not None:
            innermost.nblocks += 1
            self.prev_single = single and innermost.nblocks == 1
        else:
            self.prev_single = False
        self.entries.append("\n".join(out))
        if self.kind == "doc":
            self.main.append(in_main)

    def _plain(self, lines: list[str], in_main: bool, raw: bool) -> None:
        """Past the budget: the text joins plain one-line paragraphs of about PLAIN_PARAGRAPH characters."""
        for line in lines:
            line = line.strip()
            if not line or (raw and _FENCE_LINE.match(line)):
                continue
            if raw:
                line = escape_inline(line)
            if self.plain and self.plain < PLAIN_PARAGRAPH and self.entries and self.entries[-1].__class__ is str:
                self.entries[-1] += " " + line
                self.plain += len(line) + 1
            else:
                line = _escape_line_start(line)
                self.entries.append(("\n" + line) if self.entries else line)
                if self.kind == "doc":
                    self.main.append(in_main)
                self.plain = len(line)

    def heading(self, level: int, text: str, in_main: bool) -> None:
        if self.budget.left <= 0 or self.budget.blocks <= 0 or self.budget.headings <= 0:
            self.block([_escape_line_start(text)], in_main)
            return
        self.budget.headings -= 1
        if self.kind != "held" and not self.stack:
            self.budget.left -= 1
            self.budget.blocks -= 1
            self.plain = 0
            self.entries.append(("h", level, text))
            if self.kind == "doc":
                self.main.append(in_main)
            self.prev_single = False
        else:
            self.block(["#" * level + " " + text], in_main)

    def inline_only(self) -> bool:
        """At most one one-line paragraph (a table cell that fits a pipe table)."""
        e = self.entries
        return not self.stats.other_blocks and (not e or (len(e) == 1 and e[0].__class__ is str and "\n" not in e[0].strip("\n")))

    def lines(self) -> list[str]:
        out: list[str] = []
        for e in self.entries:
            if e.__class__ is tuple:
                if e[0] == "h":
                    out.extend(("", "#" * e[1] + " " + e[2]))
                continue
            out.extend(e.split("\n"))
        while out and not out[0].strip():
            out.pop(0)
        while out and not out[-1].strip():
            out.pop()
        return out


class _Cell:
    """A table cell: its inline text, or (once a block opens in it) a sink of blocks."""

    __slots__ = ("sink", "text", "stats")

    def __init__(self) -> None:
        self.sink: _Sink | None = None
        self.text = ""
        self.stats: _Stats | None = None

    def st(self) -> _Stats:
        return self.sink.stats if self.sink is not None else (self.stats or _EMPTY_STATS)

    def inline_only(self) -> bool:
        return self.sink is None or self.sink.inline_only()

    def flat_text(self) -> str:
        if self.sink is None:
            return self.text
        return " ".join(x.strip() for x in self.sink.lines() if x.strip())

    def entries(self) -> list:
        if self.sink is None:
            return [self.text] if self.text else []
        return self.sink.entries


class _Table:
    __slots__ = ("rows", "captions", "sinks_at")

    def __init__(self, sinks_at: int) -> None:
        self.rows: list[list[_Cell]] = []
        self.captions: list[str] = []
        self.sinks_at = sinks_at  # len(writer.sinks) when the table started


@dataclass
class Converted:
    """The result of :func:`convert`.

    Attributes:
        markdown: the page's reading text as Markdown.
        title: the text of ``<title>``, or None.
        meta: ``<meta>`` values by lower-cased name or property (the first of each).
        headings: (level, text) of the headings in the Markdown, in order.
        words: words of text kept.
        nav_dropped: blocks left out as navigation.
        main_region: True when the page marked its main region and only that was read.
    """

    markdown: str
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    headings: list[tuple[int, str]] = field(default_factory=list)
    words: int = 0
    nav_dropped: int = 0
    main_region: bool = False


class _Writer:
    """Builds the Markdown from balanced start/text/end events."""

    def __init__(self, drop_nav: bool = True) -> None:
        self.drop_nav = drop_nav
        self.budget = _Budget()
        self.doc = _Sink("doc", 0, self.budget)
        self.sink = self.doc
        self.sinks: list[_Sink] = []  # the sinks below the current one
        self.tables: list[_Table] = []
        self.xtables = 0  # tables nested past MAX_TABLE_NEST, read as blocks
        self.open_cell: _Cell | None = None  # a cell holding only inline text so far
        self.undo: list = []  # per open element: what its end must do
        self.skip = 0
        self.main = 0
        # the paragraph being built
        self.inl: list[str] = []
        self.st = _Stats()
        self.links: list[tuple[int, int]] = []  # open <a>: (position in inl, kind: see _start_link)
        self.code: list[int] = []
        self.emph: list[tuple[int, str]] = []
        self.heading = 0
        self.term: tuple[list[str], _Stats] | None = None  # a <dt> waiting for its <dd>
        self.pre: list[str] | None = None
        self.pre_lang = ""
        self.title_buf: list[str] | None = None
        self.title: str | None = None
        self.meta: dict[str, str] = {}
        self.nav_dropped = 0

    # ------------------------------------------------------------ events
    def start(self, tag: str, attrs) -> bool:
        """An element opens; returns True when its content is not read (skip it)."""
        undo = self.undo
        if self.skip:
            self.skip += 1
            undo.append(None)
            return True
        if attrs:
            get = attrs.get
            if tag in _SKIP or (tag in _NAV_TAGS and self.drop_nav) or self._hidden(tag, get):
                self._begin_skip(tag in _NAV_TAGS or (tag in _NAV_CONTAINERS and self._navlike(get)))
                undo.append(None)
                return True
            if tag == "meta":
                self._meta(get)
                undo.append(None)
                return False
            role = get("role")
            if tag == "main" or (role and role.lower() == "main"):
                self.main += 1
                main = True
            else:
                main = False
        else:
            if tag in _SKIP or (tag in _NAV_TAGS and self.drop_nav):
                self._begin_skip(tag in _NAV_TAGS)
                undo.append(None)
                return True
            get = _no_attr
            main = tag == "main"
            if main:
                self.main += 1
        if self.pre is not None:  # inside <pre>: text only
            if tag == "br":
                self.pre.append("\n")
            elif (tag in _BLOCK or tag == "code") and self.pre and not self.pre[-1].endswith("\n"):
                self.pre.append("\n")  # a second <code> or a block in the same <pre> starts a line
            if tag == "code" and not self.pre_lang and attrs:
                self.pre_lang = _lang(attrs.get("class"))
            undo.append(("main", None) if main else None)
            return False
        if tag == "title" and self.title is None and self.title_buf is None and not self.heading:
            self.title_buf = []
            undo.append(("title", main))
            return False
        if self.term is not None and tag in _BLOCK and tag not in _TERM_JOINS:
            self._emit_term()
        if self.open_cell is not None and tag in _PROMOTES:
            self._promote_cell()
        action = None
        if self.heading:  # inside a heading: inline only
            if tag == "br" or tag in _BLOCK:
                self.inl.append(" ")
            elif tag == "a":
                self._start_link(get)
                action = "a"
            elif tag in _CODE:
                self.code.append(len(self.inl))
                action = "code"
        elif tag in _HEADINGS:
            self._flush()
            cls = get("class")
            if cls and _BYLINE_CLASS.search(cls):
                action = "block"  # a title page's author or subtitle line: text, not a section
            else:
                self.heading = _HEADINGS[tag]
                action = "h"
        elif tag == "br":
            self.inl.append(" " if self.code else _BR)
        elif tag == "a":
            self._start_link(get)
            action = "a"
        elif tag in _CODE:
            self.code.append(len(self.inl))
            action = "code"
        elif tag in _STRONG or tag in _EM:
            if not self.code:
                self.emph.append((len(self.inl), _SO if tag in _STRONG else _EO))
                action = "emph"
        elif tag == "pre":
            self._flush()
            self.pre = []
            self.pre_lang = _lang(get("class"))
            action = "pre"
        elif tag in _LISTS:
            self._flush()
            action = ("list", self._start_list(tag == "ol", get("start") if tag == "ol" else None, False))
        elif tag == "li":
            self._flush()
            action = ("li", self._start_item())
        elif tag == "dt":
            self._flush()
            action = "dt"
        elif tag == "dd" or tag == "dl":
            self._flush()
            action = "block" if tag == "dd" else "dl"
        elif tag == "blockquote":
            self._flush()
            if self.sink.nest() < MAX_NEST:
                self.sink.stack.append(_Quote())
                action = "quote"
            else:
                action = "block"
        elif tag == "table":
            self._flush()
            if len(self.tables) < MAX_TABLE_NEST and not self.xtables:
                self.tables.append(_Table(len(self.sinks)))
                action = "table"
            else:
                self.xtables += 1
                action = "xtable"
        elif tag in ("tr", "td", "th", "caption") and self.tables and not self.xtables:
            self._end_cell()
            self._flush()
            t = self.tables[-1]
            if tag == "tr":
                t.rows.append([])
                action = "block"
            elif tag == "caption":
                action = "caption"
            else:
                if not t.rows:
                    t.rows.append([])
                cell = _Cell()  # inline text until a block opens in it
                t.rows[-1].append(cell)
                self.open_cell = cell
                action = "cell"
        elif tag in _BLOCK:
            self._flush()
            action = "block"
        if main:
            action = ("main", action)
        undo.append(action)
        return False

    def text(self, s: str) -> None:
        if self.skip:
            return
        if self.title_buf is not None:
            self.title_buf.append(s)
            return
        if self.pre is not None:
            self.pre.append(_clean_text(s))
            return
        if s.isspace():  # between blocks, or a space between words
            if self.inl:
                self.inl.append(" ")
            return
        if "\xa0" in s or _SENTINELS.search(s):
            s = _clean_text(s)
        if self.code or not _ESC_ANY.search(s):
            self.inl.append(s)
        else:
            self.inl.append(_ESC_RE.sub(_esc, s))
        st = self.st
        if self.links:
            st.lwords += s.count(" ") + 1
            if len(st.linked) < _KEEP:
                st.linked += s
        elif st.words or _WORD.search(s):
            st.words += len(s.split())
            if len(st.plain) < _KEEP:
                st.plain += s

    def end(self) -> None:
        action = self.undo.pop()
        if self.skip:
            self.skip -= 1
            return
        if action is None:
            return
        main = False
        if action.__class__ is tuple:
            if action[0] == "main":
                main, action = True, action[1]
            elif action[0] == "title":
                self._end_title()
                main, action = action[1], None
        if action is not None:
            if self.term is not None and (action.__class__ is tuple or action not in _KEEPS_TERM):
                self._emit_term()
            if action == "block":
                self._flush()
            elif action == "dt":
                self._end_term()
            elif action == "dl":
                self._flush()
            elif action == "a":
                self._end_link()
            elif action == "code":
                self._end_code()
            elif action == "emph":
                self._end_emph()
            elif action == "h":
                self._end_heading()
            elif action == "pre":
                self._end_pre()
            elif action.__class__ is tuple:
                self._flush()
                if action[0] == "li":
                    self._end_item(action[1])
                else:
                    self._end_list(action[1])
            elif action == "quote":
                self._flush()
                self._pop_to(_Quote)
            elif action == "table":
                self._flush()
                self._end_table()
            elif action == "xtable":
                self._flush()
                self.xtables -= 1
            elif action == "cell":
                self._end_cell()
            elif action == "caption":
                self._caption()
        if main:
            self.main -= 1

    def finish(self) -> None:
        """Close whatever is still open (the drivers balance, this is a safety net)."""
        while self.undo:
            self.end()
        self._flush()
        self._emit_term()
        while self.sink is not self.doc:
            self._close_sink()

    # ------------------------------------------------------------ attributes
    def _begin_skip(self, is_nav: bool) -> None:
        self._flush()
        self.skip = 1
        if is_nav:
            self._nav()

    def _hidden(self, tag: str, get) -> bool:
        if get("hidden") is not None:
            return True
        v = get("aria-hidden")
        if v and v.strip().lower() == "true":
            return True
        role = get("role")
        if role and role.strip().lower() in _SKIP_ROLES:
            return self.drop_nav
        style = get("style")
        if style and _HIDDEN_STYLE.search(style):
            return True
        return tag in _NAV_CONTAINERS and self._navlike(get)

    def _navlike(self, get) -> bool:
        if not self.drop_nav:
            return False
        for name in ("class", "id"):
            v = get(name)
            if v and not _NAV_WORDS_ATTR.isdisjoint(_ATTR_SPLIT.split(v.lower())):
                return True
        return False

    def _meta(self, get) -> None:
        key = (get("name") or get("property") or get("itemprop") or get("http-equiv") or "").strip().lower()
        val = get("content")
        if key and val and key not in self.meta:
            self.meta[key] = val.strip()

    def _end_title(self) -> None:
        text = _WS.sub(" ", "".join(self.title_buf or [])).strip()
        self.title_buf = None
        self.title = text or None

    # ------------------------------------------------------------ inline
    def _start_link(self, get) -> None:
        href = (get("href") or "").strip()
        # kind: 0 no href, 1 another page, 2 a place in a page ("x.html#y"), 3 a place in this page ("#y")
        kind = 0 if not href else 3 if href.startswith("#") else 2 if "#" in href else 1
        self.links.append((len(self.inl), kind))

    def _end_link(self) -> None:
        if not self.links:
            return
        pos, kind = self.links.pop()
        if not kind:
            return
        if kind == 3:
            plain = "".join(self.inl[pos:])
            plain = _SENTINELS.sub("", plain).replace("\\", "").strip()
            if len(plain) <= 2 and not any(ch.isalnum() for ch in plain):
                del self.inl[pos:]  # a permalink: "#", "¶", "§" or an empty anchor
                return
        if kind >= 2:
            self.st.frag_links += 1
        self.st.links += 1

    def _end_code(self) -> None:
        if not self.code:
            return
        pos = self.code.pop()
        if self.code:
            return
        content = _WS.sub(" ", "".join(self.inl[pos:]).replace(_BR, " "))
        del self.inl[pos:]
        if not content.strip():
            if content:
                self.inl.append(" ")
            return
        lead = " " if content[0] == " " else ""
        trail = " " if content[-1] == " " else ""
        content = content.strip()
        longest = max((len(r) for r in _BACKTICKS.findall(content)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if content[0] == "`" or content[-1] == "`" else ""
        self.inl.append(f"{lead}{fence}{pad}{content}{pad}{fence}{trail}")
        if not self.links and _WORD.search(content):
            self.st.words += len(content.split())
            if len(self.st.plain) < _KEEP:
                self.st.plain += " " + content

    def _end_emph(self) -> None:
        if not self.emph:
            return
        pos, mark = self.emph.pop()
        if pos > len(self.inl) or any(m == mark for _, m in self.emph):
            return  # nested emphasis of the same kind adds nothing
        inner = "".join(self.inl[pos:])
        if not inner.strip() or _BR in inner:
            return
        core = inner.strip()
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        self.inl[pos:] = [lead, mark, core, _SC if mark == _SO else _EC, trail]

    def _take_inline(self) -> tuple[str, _Stats]:
        s = "".join(self.inl)
        st = self.st
        self.inl = []
        self.st = _Stats()
        if self.code:
            self.code.clear()
        if self.emph:
            self.emph.clear()
        if self.links:  # a link left open around block content: what follows starts anew
            self.links = [(0, k) for _, k in self.links]
        return s, st

    def _flush(self) -> None:
        if self.heading or not self.inl:
            return
        if self.open_cell is not None:  # text then a block in a cell: the cell takes blocks
            self._promote_cell()
            return
        s, st = self._take_inline()
        s = _WS.sub(" ", s)
        if _BR in s:
            parts = [x.strip() for x in s.split(_BR)]
            text = "\n".join(x for x in parts if x)
        else:
            text = s.strip()
        if not text:
            return
        if _SO in text or _EO in text:
            text = _resolve_emphasis(text)
        if "\n" in text:
            lines = [_escape_line_start(x) for x in text.split("\n") if x.strip()]
        else:
            lines = [_escape_line_start(text)]
        if not lines:
            return
        if st.links and self.drop_nav and self.sink.kind != "cell" and _is_nav(st):
            self._nav()
            return
        if self.term is not None:  # a definition list's term: it heads its description
            term, tst = self.term
            self.term = None
            lines = [*term[:-1], term[-1] + "  ", *lines]  # a hard line break after the term
            st.add(tst)
        st.blocks = 1
        self.sink.stats.add(st)
        self.sink.block(lines, self.main > 0, single=len(lines) == 1)

    def _end_term(self) -> None:
        """A definition term is held until its description's first paragraph joins it."""
        self._emit_term()
        s, st = self._take_inline()
        text = _WS.sub(" ", s.replace(_BR, " ")).strip()
        if text:
            if _SO in text or _EO in text:
                text = _resolve_emphasis(text)
            self.term = ([_escape_line_start(text)], st)

    def _emit_term(self) -> None:
        if self.term is not None:
            (lines, st), self.term = self.term, None
            st.blocks = 1
            self.sink.stats.add(st)
            self.sink.block(lines, self.main > 0, single=True)

    def _nav(self) -> None:
        self.nav_dropped += 1
        if self.sink is self.doc:
            self.doc.entries.append(("nav",))
            self.doc.main.append(self.main > 0)

    def _caption(self) -> None:
        s, _ = self._take_inline()
        s = _WS.sub(" ", s.replace(_BR, " ")).strip()
        if s and self.tables:
            self.tables[-1].captions.append(_escape_line_start(_resolve_emphasis(s)))

    # ------------------------------------------------------------ headings and code
    def _end_heading(self) -> None:
        level = self.heading
        self.heading = 0
        s, _ = self._take_inline()
        self.links = []
        text = _resolve_emphasis(_WS.sub(" ", s.replace(_BR, " ")).strip())
        if text:
            self.sink.heading(level, text, self.main > 0)

    def _end_pre(self) -> None:
        content = "".join(self.pre or [])
        self.pre = None
        if content.startswith("\r\n"):
            content = content[2:]
        elif content.startswith("\n"):
            content = content[1:]
        content = content.replace("\r\n", "\n").replace("\r", "\n").rstrip()
        if not content.strip():
            return
        longest = max((len(r) for r in _BACKTICKS.findall(content)), default=0)
        fence = "`" * max(3, longest + 1)
        st = _Stats()
        st.blocks = st.other_blocks = 1
        st.words = len(content.split())
        self.sink.stats.add(st)
        self.sink.block([fence + self.pre_lang, *content.split("\n"), fence], self.main > 0, raw=True)

    # ------------------------------------------------------------ lists
    def _start_list(self, ordered: bool, start, dl: bool) -> str:
        """Open a list; returns how to close it: ``"list"`` or ``"flat"`` (past MAX_NEST)."""
        if not self.sink.has_list():
            # an outermost list is held back until its end, to tell a table of contents
            held = _Sink("held", self.sink.nest(), self.budget)
            self.sinks.append(self.sink)
            self.sink = held
        elif self.sink.nest() >= MAX_NEST:
            self.sink.flat.append(dl)
            return "flat"
        try:
            n = int(start) if start is not None else 1
        except ValueError:
            n = 1
        self.sink.stack.append(_List(ordered, max(0, min(n, 999_999_999)), False, dl))
        return "list"

    def _pop_to(self, cls) -> None:
        stack = self.sink.stack
        for i in range(len(stack) - 1, -1, -1):
            if stack[i].__class__ is cls:
                del stack[i:]
                return

    def _end_list(self, how: str = "list") -> None:
        if how == "flat":
            if self.sink.flat:
                self.sink.flat.pop()
            return
        self._pop_to(_List)
        if self.sink.kind == "held" and not self.sink.has_list():
            self._close_sink()

    def _close_sink(self) -> None:
        """Close the current held list or cell and hand a held list to its parent."""
        sink = self.sink
        self.sink = self.sinks.pop()
        if sink.kind != "held":
            return
        if self.drop_nav and _is_toc(sink.stats):
            self._nav()
            return
        lines = sink.lines()
        if lines:
            self.sink.stats.add(sink.stats)
            self.sink.block(lines, self.main > 0)

    def _current_list(self) -> _List | None:
        if self.sink.flat:
            return _FLAT
        for c in reversed(self.sink.stack):
            if c.__class__ is _List:
                return c
            if c.__class__ is _Quote:
                return None
        return None

    def _start_item(self) -> tuple[bool, str | None]:
        """Open an item; returns (pushed an item, how to close a list opened for a stray <li>)."""
        lst = self._current_list()
        implicit = None
        if lst is None:
            implicit = self._start_list(False, None, False)
            lst = self._current_list()
            assert lst is not None
        if lst.flat:
            return self._rearm(), implicit
        self.sink.stack.append(_Item(lst.marker()))
        return True, implicit

    def _rearm(self) -> bool:
        """An item past MAX_NEST: the deepest open item starts again as a sibling."""
        stack = self.sink.stack
        for i in range(len(stack) - 1, -1, -1):
            c = stack[i]
            if c.__class__ is _Item:
                outer = next((x for x in reversed(stack[:i]) if x.__class__ is _List), None)
                c.marker = outer.marker() if outer is not None else "- "
                c.cont = " " * len(c.marker)
                c.pending = True
                c.nblocks = 0
                return False
        self.sink.stack.append(_Item("- "))  # no item to continue (a cell deep in a list)
        return True

    def _end_item(self, how: tuple[bool, str | None]) -> None:
        pushed, implicit = how
        if pushed:
            self._pop_to(_Item)
        if implicit:
            self._end_list(implicit)

    # ------------------------------------------------------------ tables
    def _promote_cell(self) -> None:
        """A block opens in a table cell: from now on the cell collects blocks."""
        cell = self.open_cell
        self.open_cell = None
        cell.sink = _Sink("cell", self.sink.nest(), self.budget)
        self.sinks.append(self.sink)
        self.sink = cell.sink
        self._flush()

    def _end_cell(self) -> None:
        if not self.tables:
            return
        cell = self.open_cell
        if cell is not None:
            self.open_cell = None
            s, st = self._take_inline()
            s = _WS.sub(" ", s.replace(_BR, " ")).strip()
            if _SO in s or _EO in s:
                s = _resolve_emphasis(s)
            cell.text = _escape_line_start(s) if s else ""
            cell.stats = st
            return
        while len(self.sinks) > self.tables[-1].sinks_at:
            self._flush()
            self._close_sink()

    def _end_table(self) -> None:
        self._end_cell()
        t = self.tables.pop()
        sink = self.sink
        in_main = self.main > 0
        for cap in t.captions:
            sink.block([cap], in_main)
        rows: list[list[_Cell]] = []
        texts: list[list[str]] = []
        simple = True
        nav = self.drop_nav
        for row in t.rows:
            if not row:
                continue
            row_texts = [c.flat_text() for c in row]
            if not any(row_texts):
                continue
            if simple and not all(c.inline_only() for c in row):
                simple = False
            if nav and any(c.st().links for c in row):
                st = _Stats()
                for c in row:
                    st.add(c.st())
                if _is_nav(st):
                    self._nav()
                    continue
            rows.append(row)
            texts.append(row_texts)
        if not rows:
            return
        ncols = max(len(r) for r in texts)
        if simple and ncols >= 2:
            for row in rows:
                for c in row:
                    sink.stats.add(c.st())
            out = []
            for i, r in enumerate(texts):
                if len(r) < ncols:
                    r = r + [""] * (ncols - len(r))
                out.append("| " + " | ".join(x.replace("|", "\\|") if "|" in x else x for x in r) + " |")
                if i == 0:
                    out.append("|" + "---|" * ncols)
            sink.block(out, in_main)
            sink.stats.other_blocks += 1
            return
        # a layout table: its cells are read as blocks, row by row; a cell of links
        # beside the text (an old-style sidebar menu) is navigation
        for row, row_texts in zip(rows, texts):
            if nav and len(row) > 1:
                kept = [c for c in row if not _is_link_cell(c.st())]
                if len(kept) < len(row):
                    self.nav_dropped += len(row) - len(kept)
                    row_texts = [t for c, t in zip(row, row_texts) if c in kept]
                    row = kept
            for c in row:
                sink.stats.add(c.st())
            if all(c.inline_only() for c in row):
                joined = " ".join(x for x in row_texts if x)
                if joined:
                    sink.block([joined], in_main)
                continue
            for c in row:
                for e in c.entries():
                    if e.__class__ is tuple:
                        if e[0] == "h":
                            sink.heading(e[1], e[2], in_main)
                        continue
                    lines = e.strip("\n").split("\n")
                    if any(x.strip() for x in lines):
                        sink.block(lines, in_main)


# Blocks a definition's description may start with while its term waits, and
# the ends that leave it waiting.
_TERM_JOINS = frozenset(("dd", "p", "div"))
_KEEPS_TERM = frozenset(("block", "a", "code", "emph", "dt"))
_PROMOTES = (_BLOCK | set(_HEADINGS)) - {"tr", "td", "th", "caption", "thead", "tbody", "tfoot", "body", "html"}
_EMPTY_STATS = _Stats()
_FLAT = _List(False, 1, True, False)



def _no_attr(_name: str) -> None:
    return None


_BYLINE_CLASS = re.compile(r"(?:^|\s)(?:subtitle|author|authorgroup|editor|othercredit|corpauthor|byline|pubdate|releaseinfo)(?:\s|$)", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ATTR_SPLIT = re.compile(r"[\s_-]+")
_BACKTICKS = re.compile(r"`+")


def _lang(cls: str | None) -> str:
    if not cls:
        return ""
    m = re.search(r"(?:^|\s)(?:language|lang|highlight)-([A-Za-z0-9_+#.-]{1,20})", cls)
    return m.group(1) if m else ""


# ---------------------------------------------------------------- reading the page
def _walk_tree(root, w: _Writer) -> None:
    """Feed an lxml tree to the writer, without recursion; skipped subtrees are not walked."""
    from lxml import etree

    walker = etree.iterwalk(root, events=("start", "end"))
    start, end, text = w.start, w.end, w.text
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if tag.__class__ is str:
                if start(tag.lower(), el.attrib):
                    walker.skip_subtree()
                elif el.text:
                    text(el.text)
        else:
            if tag.__class__ is str:
                end()
            if el.tail:
                text(el.tail)


#: Elements nested deeper than this are unwrapped before libxml2 reads the page
#: (it stops reading at 256 levels, or 2048 with its "huge" option).
MAX_DEPTH = 200

_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[!?][^>]*>?"
    r"|<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_RAW_TEXT = frozenset("script style textarea title xmp plaintext iframe noembed noframes".split())
_UNWRAP_BREAKS = _BLOCK | _LISTS | {"li", "dt", "dd", "br", "tr"}


def flatten_depth(html: str, limit: int = MAX_DEPTH) -> str:
    """Unwrap the elements nested deeper than ``limit``, keeping all their text.

    The tags of the deeper elements are removed; where one of them was a block
    (a paragraph, a list item...) a line break takes its place, so the text stays
    in order and in lines. Linear in the length of the page.

    Example:
        >>> flatten_depth("<div><div><div>a</div><p>b</p></div></div>", limit=2)
        '<div><div>a<br>b</div></div>'
    """
    out: list[str] = []
    kept: list[str] = []  # open elements written out (at most ``limit``)
    dropped: list[str] = []  # open elements unwrapped, deeper than ``limit``
    names: dict[str, str] = {}
    pos = 0
    brk = False
    wrote_text = False  # text since the last tag written out
    search = _TAG.search
    n = len(html)
    while pos < n:
        m = search(html, pos)
        end = m.start() if m else n
        if end > pos:
            chunk = html[pos:end]
            if chunk.strip():
                if brk and wrote_text:
                    out.append("<br>")
                brk = False
                wrote_text = True
            out.append(chunk)
        if not m:
            break
        pos = m.end()
        raw = m.group(2)
        if raw is None:  # comment, doctype, processing instruction, CDATA
            out.append(m.group(0))
            continue
        name = raw.lower()
        name = names.setdefault(name, name)
        if m.group(1):  # an end tag
            for stack, write in ((dropped, False), (kept, True)):
                lo = max(0, len(stack) - _END_TAG_WINDOW)
                for k in range(len(stack) - 1, lo - 1, -1):
                    if stack[k] == name:
                        if write:
                            del stack[k:]
                            out.append(m.group(0))
                            wrote_text = brk = False
                        else:
                            del stack[k:]
                            brk = brk or name in _UNWRAP_BREAKS
                        break
                else:
                    if stack is dropped and dropped:
                        break  # unmatched among the unwrapped ones: drop the tag
                    continue
                break
            continue
        if name in _VOID:
            if kept and dropped and name != "br":
                continue
            out.append(m.group(0))
            continue
        if name in _RAW_TEXT:  # copied whole up to its end tag
            close = re.compile(r"</%s\s*>" % re.escape(name), re.I).search(html, pos)
            stop = close.end() if close else n
            if dropped:
                if name in ("textarea", "title", "xmp", "plaintext"):
                    out.append(_escape_text(html[pos : close.start() if close else n]))
            else:
                out.append(m.group(0))
                out.append(html[pos:stop])
            pos = stop
            continue
        if len(kept) < limit and not dropped:
            kept.append(name)
            out.append(m.group(0))
            wrote_text = brk = False
        else:
            dropped.append(name)
            brk = brk or name in _UNWRAP_BREAKS
    return "".join(out)


def _escape_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse_tree(text: str):
    """Parse a page with lxml, unwrapping whatever is nested deeper than libxml2 reads.

    Returns the root element (``<html>``).
    """
    return parse_tree_deep(text)[0]


def parse_tree_deep(text: str, html_classes: bool = False):
    """Like :func:`parse_tree`; returns ``(root, deep)``, deep when the page had to be unwrapped.

    ``html_classes`` makes lxml.html elements (as trafilatura wants them) rather
    than plain ones (which are faster to walk).
    """
    return _parse(text, html_classes)


def _parse(text: str, html_classes: bool):
    # Plain lxml elements walk fastest; lxml.html's element classes (which
    # trafilatura wants) cost a Python call per element.
    from lxml import etree

    if html_classes:
        import lxml.html

        make, parse = lxml.html.HTMLParser, lxml.html.fromstring
    else:
        make, parse = etree.HTMLParser, etree.fromstring
    opts = dict(huge_tree=True, remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)

    def once(t: str):
        parser = make(**opts)
        try:
            tree = parse(t, parser=parser)
        except ValueError:  # an XML declaration in a str
            parser = make(encoding="utf-8", **opts)
            tree = parse(t.encode("utf-8", "surrogatepass"), parser=parser)
        if tree is None:
            raise ValueError("no document")
        deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
        return tree, deep

    tree, deep = once(text)
    if not deep:
        return tree, False
    tree, deep = once(flatten_depth(text))
    if deep:  # not expected: read the text without its tags rather than lose it
        plain = _TAG.sub(" ", text)
        tree, _ = once("<html><body><pre>" + _escape_text(plain) + "</pre></body></html>")
    return tree, True


# ---------------------------------------------------------------- the whole document
def _similar(a: str, b: str) -> float:
    wa = {x.casefold() for x in re.findall(r"\w+", a)}
    wb = {x.casefold() for x in re.findall(r"\w+", b)}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _assemble(w: _Writer) -> Converted:
    doc = w.doc
    entries = list(doc.entries)
    main_region = any(doc.main)
    if main_region:
        entries = [e for e, m in zip(entries, doc.main) if m]
    # 1. A heading over nothing but navigation (a "Table of Contents" over a dropped list) goes.
    heads = [i for i, e in enumerate(entries) if e.__class__ is tuple and e[0] == "h"]
    drop: set[int] = set()
    for n, i in enumerate(heads):
        if n == 0 and not any(e.__class__ is str for e in entries[:i]):
            continue  # the first heading may be the title, whatever follows it
        j = heads[n + 1] if n + 1 < len(heads) else len(entries)
        body = entries[i + 1 : j]
        deeper_next = j < len(entries) and entries[j][1] > entries[i][1]
        if body and not deeper_next and all(e.__class__ is tuple for e in body):
            drop.add(i)
    entries = [e for i, e in enumerate(entries) if i not in drop]
    heads = [i for i, e in enumerate(entries) if e.__class__ is tuple and e[0] == "h"]

    def content_before(i: int) -> bool:
        return first_content < i

    first_content = next((k for k, e in enumerate(entries) if e.__class__ is str), len(entries))

    # 2. The title: in the run of headings that opens the text, the first one like the
    #    page's <title> (headings before it are banners over it, with no text of their
    #    own); else the first heading when it is the only H1 or alone at the top level.
    title = None
    run = [i for i in heads if not content_before(i)]
    pick = None
    if w.title:
        pick = next((i for i in run if _similar(entries[i][2], w.title) >= 0.6), None)
    if pick is None and run:
        h = entries[run[0]]
        top = min(entries[i][1] for i in heads)
        n_top = sum(1 for i in heads if entries[i][1] == top)
        if h[1] == top and (n_top == 1 or (h[1] == 1 and not w.title)):
            pick = run[0]
    if pick is not None:
        title = entries[pick][2]
        gone = {i for i in run if i <= pick}
        entries = [e for i, e in enumerate(entries) if i not in gone]
        heads = [i for i, e in enumerate(entries) if e.__class__ is tuple and e[0] == "h"]
        first_content = next((k for k, e in enumerate(entries) if e.__class__ is str), len(entries))
    # 3. A lone heading over all the others, opening the text after the title, is a
    #    wrapper (a manual's "Top" node): its text becomes the lead.
    if title is not None and len(heads) >= 3 and not content_before(heads[0]):
        h = entries[heads[0]]
        if all(entries[i][1] > h[1] for i in heads[1:]):
            del entries[heads[0]]
            heads = [i - 1 for i in heads[1:]]
    levels = [entries[i][1] for i in heads]
    shift = (2 - min(levels)) if (title is not None and levels) else 0
    out: list[str] = []
    headings: list[tuple[int, str]] = []
    if title is not None:
        out.append("# " + title)
    for e in entries:
        if e.__class__ is str:
            out.append(e.strip("\n"))
        elif e[0] == "h":
            level = max(1, min(6, e[1] + shift))
            headings.append((level, e[2]))
            out.append("#" * level + " " + e[2])
    md = "\n\n".join(x for x in out if x.strip())
    md = md + "\n" if md else ""
    return Converted(
        md,
        title=w.title,
        meta=dict(w.meta),
        headings=headings,
        words=doc.stats.words + doc.stats.lwords,
        nav_dropped=w.nav_dropped,
        main_region=main_region,
    )


def convert(page, drop_nav: bool = True) -> Converted:
    """Convert a page to Markdown.

    Args:
        page: an lxml tree (the root element, see :func:`parse_tree`) or the
            page's text.
        drop_nav: leave out navigation (see the module docstring). When that
            leaves almost nothing, the navigation is kept after all.

    Example:
        >>> print(convert("<h1>Tides</h1><p>The moon <b>pulls</b>.</p><ul><li>a<ul><li>b</li></ul></li></ul>").markdown, end="")
        # Tides
        <BLANKLINE>
        The moon **pulls**.
        <BLANKLINE>
        - a
          - b
    """
    if isinstance(page, str):
        page = parse_tree(page)
    w = _Writer(drop_nav)
    _walk_tree(page, w)
    w.finish()
    result = _assemble(w)
    if drop_nav and result.nav_dropped and result.words < 50:
        full = convert(page, drop_nav=False)
        if full.words > 2 * result.words:
            return full
    return result
