"""Plain-text loader: title, byline, subtitle, headings and paragraphs.

The text is cut into *blocks* (runs of non-blank lines). Hard-wrapped lines of
one block form one paragraph. A block is a heading when it is a single short line
that looks like a title (no sentence punctuation at its end, not a list item, not
code, not an epigraph) and the section it opens holds body text. Other headings,
with levels from their kind:

* Gutenberg-style ``BOOK ONE: 1805`` / ``CHAPTER IV`` lines (a book with three
  or more of them gets no other kind: its short lines are dialogue);
* underlined lines (``===`` / ``---``, however short the underline), also a
  block of up to three short lines over one underline (``What's New in IDLE
  3.11.0`` / ``(since 3.10.0)`` / ``Released on 2022-10-24``);
* numbered clauses: ``0. Definitions.``, ``2.1. Grants``, ``I. Introduction``,
  ``B. Configuration``, nested by their numbering;
* ALL-CAPS and centred lines;
* *outdented* lines: when the body of a document is indented (man pages at
  column 7, FAQs at column 3), a short line left of it, right above indented
  text, is a heading; its column gives its level (a man page's ``NAME`` at 0,
  ``   Pattern Syntax`` at 3).

A man page as ``man`` prints it (``GREP(1)  User Commands  GREP(1)``) has its
header line as title and its footer line as back matter. Project Gutenberg's
licence header and footer become the lead and back matter.

Paragraph kinds: ``list`` (bullets, ``1.``, ``a.``), ``code`` (indented code
and examples, and the lines a man page sets as they are), ``text`` otherwise.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from itertools import chain

from ..model import Document, Paragraph, Section
from ..segment import LIST_ITEM as _LIST_ITEM
from ..segment import code_line, looks_like_code

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BYLINE = re.compile(
    r"^by\s+(?P<author>[^\d|,\u00b7\u2022]{1,60}?)\s*(?:[|,\u00b7\u2022\u2014-]\s*)?"
    r"(?:(?P<date>[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d\d-\d\d)\s*(?:[|,\u00b7\u2022\u2014-]\s*)?)?"
    r"(?:(?P<views>\d[\d,.]*)\s*views?)?\s*$",
    re.IGNORECASE,
)
_UNDERLINE = re.compile(r"^\s*(=+|-+|~+|\*+|\^+)\s*$")
# A rule: a line of one drawing character (or of "- " / "* " pairs).
_RULE = re.compile(r"^([-=*_~#+.])\1{2,}$|^(?:[-*] ){2,}[-*]$")
#: Rank of an underline by its character (lower = higher level).
_UNDERLINE_RANK = {"=": 10.0, "-": 11.0, "~": 11.3, "^": 11.5, "*": 11.7}
_ROMAN = r"[IVXLCDM]+"
_NUMWORD = (
    r"ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE|THIRTEEN|"
    r"FOURTEEN|FIFTEEN|SIXTEEN|SEVENTEEN|EIGHTEEN|NINETEEN|TWENTY|FIRST|SECOND|"
    r"THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|LAST|FINAL"
)
# Structural headings of books, with their rank (lower = higher level) and
# whether they are front or back matter (PREFACE, APPENDIX...: these take the
# rank of the book's own top divisions, and are no book structure by themselves);
# compiled on first use, since most articles have none (see _struct_rank).
_STRUCT_SOURCES = [
    (0, False, rf"^(?:VOLUME|VOL\.)\s+(?:{_ROMAN}|\d+|{_NUMWORD})\b.*$"),
    (1, False, rf"^(?:BOOK|PART)\s+(?:{_ROMAN}|\d+|{_NUMWORD})\b.*$"),
    (1, False, rf"^(?:(?:{_NUMWORD})\s+)?EPILOGUE\b.*$"),
    (1, True, r"^(?:PROLOGUE|PREFACE|INTRODUCTION|APPENDIX|AFTERWORD)\b.{0,40}$"),
    (2, False, rf"^CHAPTER\s+(?:{_ROMAN}|\d+|{_NUMWORD})\b.*$"),
]
_STRUCT: list[tuple[int, bool, re.Pattern]] = []
_GUTENBERG_START = re.compile(r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.I)
_GUTENBERG_END = re.compile(r"^(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|End of (?:the )?Project Gutenberg)", re.I)
_CODEY = re.compile(r"[{}<>=;$`|\\]|->|::|\(\)|\w\[|^\S+\.(?:py|go|rs|js|sh|md|txt|json)\b|^[a-z_]+\(|/\S")
# A caption or credit line: the word, then a colon, number, dash or "by"
# ("Source: Reuters", "Figure 2", "Photo by..."; "Source Code" is a title).
_CAPTIONISH = re.compile(
    r"^(?:photo|image|figure|fig\.|source|credit|caption|picture|video|graphic|chart|table)s?\b"
    r"(?:\s*(?:[:|\d(\u2013\u2014-]|by\b|courtesy\b)|\s*$)",
    re.I,
)
# Web page furniture that survives copy-and-paste: never a heading.
_FURNITURE = re.compile(
    r"^(?:advertisement|sponsored(?: content)?|share(?: this(?: article| story)?)?|related(?: articles| stories)?|"
    r"read more|click here|sign up|subscribe|follow us|comments?|print|email|"
    r"story continues below(?: advertisement)?|skip to (?:main )?content)\W*$",
    re.I,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:\([A-Za-z. ]+\))?\s*[-\u2014\u2013]{1,2}\s")
# Characters of code, not of a numbered title ("Modifying/Customizing libpng" is one).
_CODE_CHARS = re.compile(r"[{}<>=;$`|\\]|->|::|\(\)|\w\[")
# A copyright notice is no heading, whatever its shape.
_COPYRIGHT = re.compile(r"^(?:copyright\s*(?:\(c\)|\u00a9|\[|\d)|\(c\)\s|\u00a9)", re.I)
# Columns set apart by runs of spaces: a table row, not a title.
_COLUMNS = re.compile(r"\S {3,}\S")
# A section number: 1. / 2.1 / 2.1. / IV. / B. followed by the title.
_SECNUM = re.compile(
    r"^(?:(?P<arabic>\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.)|(?P<roman>[IVXLC]{1,7})\.|(?P<letter>[A-Z])\.)[ \t]+(?=\S)"
)
_VALID_ROMAN = re.compile(r"^(?=[IVXLC])(?:C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
# Words a title does not end with (a lead-in: "The value is a bitwise or of").
_TAIL_WORDS = frozenset(
    "a an and are as at be by for from in into is of on or than that the to was were which whose with".split()
)
# man(1) output: the header line names the page and its section at both ends.
_MAN_HEADER = re.compile(
    r"^(?P<page>[^\s()]+(?: [^\s()]+)*)\((?P<sec>[0-9n][0-9A-Za-z]*)\)(?:\s+(?P<mid>.*?))?\s+(?P=page)\((?P=sec)\)$"
)
_MAN_HEADER_END = re.compile(r"(?P<page>[^\s()]+)\((?P<sec>[0-9n][0-9A-Za-z]*)\)$")
_DATE = re.compile(
    r"\b(?:\d{4}-\d\d(?:-\d\d)?|(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+(?:\d{1,2},?\s+)?\d{4})\b"
)
# One sentence ending and another starting (not after an initial: "U.S. GOVERNMENT").
_TWO_SENTENCES = re.compile(r"[a-z]{2}[.!?]\s+[A-Z]")
# How a sentence (or a clause of one) ends a line.
_SENTENCE_END = re.compile(r"[.!?:,;][\"')\]\u201d\u2019]*$")
_INNER_END = re.compile(r"([.!?])\s+\S")
_NUMBER_ALONE = re.compile(r"^\d[\d,.:/ ]*$")
_MAX_HEADING_CHARS = 120
_MAX_HEADING_WORDS = 16


class _Block:
    """Consecutive non-blank lines: ``lines`` holds (start, end) spans without
    EOL or surrounding spaces, ``ind`` the column each line starts at; ``head``
    is the column of an outdented heading (a block cut off by
    :func:`_split_outdented`), or None."""

    __slots__ = ("lines", "ind", "head")

    def __init__(self, lines: list[tuple[int, int]], ind: list[int], head: int | None = None) -> None:
        self.lines = lines
        self.ind = ind
        self.head = head

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][1]

    def part(self, i: int, j: int, head: int | None = None) -> _Block:
        """Lines ``i:j`` as a block of their own."""
        return _Block(self.lines[i:j], self.ind[i:j], head)


# A line: its indentation, its text (group 1, maybe empty) and trailing spaces, its end.
_LINE_TEXT = re.compile(r"[^\S\r\n]*((?:\S(?:[^\r\n]*\S)?)?)[^\S\r\n]*(?:\r\n|\r|\n|$)")


def _blocks(text: str, start: int, end: int) -> list[_Block]:
    """Split ``text[start:end]`` into blocks of non-blank lines (trimmed spans)."""
    blocks: list[_Block] = []
    cur: list[tuple[int, int]] = []
    ind: list[int] = []
    for m in _LINE_TEXT.finditer(text, start, end):
        ls, le = m.span(1)
        if ls == le:
            if m.start() == m.end():
                break
            if cur:
                blocks.append(_Block(cur, ind))
                cur = []
                ind = []
        else:
            cur.append((ls, le))
            ind.append(ls - m.start())
    if cur:
        blocks.append(_Block(cur, ind))
    if text.find("\t", start, end) >= 0:  # columns of lines indented with tabs
        for b in blocks:
            bi = b.ind
            for k, (ls, _le) in enumerate(b.lines):
                if bi[k] and text.find("\t", ls - bi[k], ls) >= 0:
                    bi[k] = len(text[ls - bi[k] : ls].expandtabs(8))
    return blocks


_STRUCT_ANY = re.compile(
    rf"^(?:VOLUME|VOL\.|BOOK|PART|CHAPTER|PROLOGUE|PREFACE|INTRODUCTION|APPENDIX|AFTERWORD|EPILOGUE|(?:{_NUMWORD})\s+EPILOGUE)\b",
    re.I,
)


def _struct_rank(line: str) -> tuple[int, bool] | None:
    """(rank, front or back matter) of a book's structural heading, or None."""
    if not _STRUCT_ANY.match(line):  # one regex instead of five for ordinary lines
        return None
    if not _STRUCT:
        _STRUCT.extend((rank, matter, re.compile(src, re.I)) for rank, matter, src in _STRUCT_SOURCES)
    for rank, matter, rx in _STRUCT:
        if rx.match(line):
            return rank, matter
    return None


def _is_allcaps(line: str) -> bool:
    if not line.isupper():  # (most lines: decided at once)
        return False
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or over per the to up via vs with".split()
)
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+(?=[A-Z])")


def _title_ratio(line: str) -> float:
    """Share of significant words that start with a capital letter or a digit."""
    words = [w.strip("\"'()[]\u201c\u201d\u2018\u2019:,") for w in line.split()]
    sig = [w for w in words if w and w.lower() not in _SMALL_WORDS]
    if not sig:
        return 0.0
    return sum(1 for w in sig if w[0].isupper() or w[0].isdigit()) / len(sig)


def _last_word(line: str) -> str:
    words = line.rstrip(":").split()
    return words[-1].lower() if words else ""


def _looks_like_heading(line: str, numbered_ok: bool = False) -> bool:
    """Shape test for a generic heading line (length, punctuation, not list/code)."""
    if len(line) > _MAX_HEADING_CHARS or len(line.split()) > _MAX_HEADING_WORDS:
        return False
    if numbered_ok and _NUMBERED.match(line):
        line = _NUMBERED.sub("", line)
    first = line[0]
    if not (first.isupper() or first.isdigit() or first in "\u00bf\u00a1"):
        return False
    last = line[-1]
    if last in ".,;" or line.endswith(("--", "\u2014")):
        return False
    if last in "!\u2026" and len(line.split()) > 4:
        return False  # "Thank you!" is a heading, an exclamation is not
    if last == ":" and (len(line.split()) > 8 or _title_ratio(line) < 0.5):
        return False  # "Here is how to install it:" introduces what follows
    if _LIST_ITEM.match(line) or _CAPTIONISH.match(line) or _DATELINE.match(line) or _FURNITURE.match(line):
        return False
    if _CODEY.search(line) or _COPYRIGHT.match(line) or _COLUMNS.search(line):
        return False
    if _last_word(line) in _TAIL_WORDS:
        return False  # a lead-in cut short: "The value of "location" is a bitwise "or" of"
    inner = _INNER_END.findall(line)
    if inner and not (last == "?" and all(c == "?" for c in inner)):
        return False  # two sentences on one line: an epigraph or caption
    if _NUMBER_ALONE.match(line):
        return False  # a number or a date alone
    return True


def _is_body(text: str, block: _Block) -> bool:
    """A block that reads as body prose (what a heading must be followed by)."""
    if len(block.lines) > 1:
        first = text[block.lines[0][0] : block.lines[0][1]]
        return not _LIST_ITEM.match(first)
    s, e = block.lines[0]
    line = text[s:e]
    if _LIST_ITEM.match(line):
        return False
    words = len(line.split())
    return words >= 8 or (words >= 3 and line[-1] in ".!?:\"'\u201d\u2019)")


def _is_toc(text: str, block: _Block) -> bool:
    """A block of section numbers and titles (a table of contents), which is no
    body text: most of its lines start with ``2.1.`` or ``IV.``."""
    n = len(block.lines)
    if n < 2:
        return False
    if not any(_SECNUM.match(text[s:e]) for s, e in block.lines[:2]):
        return False  # (most blocks are decided on their first lines)
    hits = 0
    for s, e in block.lines:
        m = _SECNUM.match(text[s:e])
        if m and (m.group("roman") is None or _VALID_ROMAN.match(m.group("roman"))):
            hits += 1
    return 5 * hits >= 3 * n


def _is_content(text: str, block: _Block) -> bool:
    """Does a block give a section some content (so that its heading is kept)?
    Prose, code and lists do; a table of contents does not."""
    if len(block.lines) > 1:
        return not _is_toc(text, block)
    if _is_body(text, block):
        return True
    s, e = block.lines[0]
    return _LIST_ITEM.match(text[s:e]) is not None and len(text[s:e].split()) >= 8


def _section_number(line: str, prev_letter: str | None) -> tuple[float, str, str, int] | None:
    """A numbered heading's (rank, family, title, number) from its line, or None.

    Ranks: roman numerals 13, capital letters 13.5, arabic numbers 13 + depth
    (``1.`` 14, ``2.1`` 15...). A lone I, V, X, L or C is a letter after the
    letter before it (``B.`` then ``C.``), a roman numeral otherwise.
    """
    m = _SECNUM.match(line)
    if m is None:
        return None
    title = line[m.end() :]
    if m.group("arabic"):
        parts = [p for p in m.group("arabic").split(".") if p]
        depth = len(parts)
        return 13.0 + depth, f"a{depth}", title, int(parts[-1])
    roman, letter = m.group("roman"), m.group("letter")
    if roman is not None and len(roman) == 1 and prev_letter == chr(ord(roman) - 1):
        roman, letter = None, roman
    if roman is not None:
        if not _VALID_ROMAN.match(roman):
            return None
        return 13.0, "r", title, _roman_value(roman)
    return 13.5, "l", title, ord(letter) - 64


def _opens(line: str, nxt: str) -> bool:
    """Does the numbered line ``nxt`` open a subdivision of ``line`` (``2.2.`` /
    ``2.2.1.``, or ``6.7.3.`` / ``A.``)?"""
    a, b = _SECNUM.match(line), _SECNUM.match(nxt)
    if a is None or b is None:
        return False
    first = b.group("letter") == "A" or b.group("roman") == "I" or b.group("arabic") in ("1.", "1.1", "1.1.")
    if first and (a.group("arabic") is None) != (b.group("arabic") is None):
        return True  # a numbering of another kind starts: "6.7.3. Special syntax" / "A. HHsed v1.5"
    if not a.group("arabic") or not b.group("arabic"):
        return False
    pa = [p for p in a.group("arabic").split(".") if p]
    pb = [p for p in b.group("arabic").split(".") if p]
    return len(pb) == len(pa) + 1 and pb[: len(pa)] == pa


def _roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals[a]
        total += -v if b != " " and vals[b] > v else v
    return total


def _numbered_title_ok(title: str, family: str) -> bool:
    """Shape test for the title after a section number (``Definitions.`` is one,
    ``The bash malloc returns memory that is aligned...`` is a list item)."""
    words = title.split()
    if not words or len(title) > 100 or len(words) > 14:
        return False
    first, last = title[0], title[-1]
    deep = family[0] == "a" and family != "a1"
    if not (first.isupper() or first.isdigit() or first in "\"'(\u201c\u2018" or (deep and first in "-.")):
        return False
    if last in ",;" or _COPYRIGHT.match(title) or _CODE_CHARS.search(title):
        return False
    if _last_word(title) in _TAIL_WORDS:
        return False
    ratio = _title_ratio(title)
    if _TWO_SENTENCES.search(title):
        return False  # two sentences: a clause, not its title
    if last == ".":
        return len(words) <= (14 if deep else 10) and ratio >= 0.5
    return last != ":" or ratio >= 0.5


def _outdented_ok(title: str, man: bool) -> bool:
    """Shape test for an outdented heading (relaxed: its place says much)."""
    words = title.split()
    letters = sum(1 for c in title if c.isalpha())
    if letters < 2 or len(title) > 160 or len(words) > 25:
        return False
    if _COPYRIGHT.match(title) or title[-1] in ",;" or title.endswith("--"):
        return False
    if man:
        # a short "Exit status:" is a heading; "Feature Test Macro Requirements for glibc (see
        # feature_test_macros(7)):" introduces a list
        return title[-1] != ":" or (len(words) <= 5 and "(" not in title)
    num = _SECNUM.match(title)
    rest = title[num.end() :] if num else title
    first = rest[0]
    if not num and not (first.isupper() or first.isdigit() or first in "\"'(\u201c\u2018"):
        return False
    if _LIST_ITEM.match(title) and not num:
        return False
    if title[-1] == "." and not num and len(words) > 12:
        return False
    if _COLUMNS.search(title):
        return False  # a table row
    if _last_word(title) in _TAIL_WORDS:
        return False  # "You may obtain a copy of the License at"
    return not looks_like_code(title)


def _underlined_title_ok(line: str) -> bool:
    """Shape test for a line over an underline (which says much: ``API/ABI
    Policy`` is a title there)."""
    words = line.split()
    if len(line) > _MAX_HEADING_CHARS or len(words) > _MAX_HEADING_WORDS:
        return False
    first = line[0]
    if not (first.isupper() or first.isdigit() or first in "\"'(\u201c\u2018\u00bf\u00a1"):
        return False
    if line[-1] in ",;" or _COPYRIGHT.match(line) or (_LIST_ITEM.match(line) and not _SECNUM.match(line)):
        return False
    return not _COLUMNS.search(line) and not looks_like_code(line)  # a table's head row is no title


def _split_underlined(text: str, blocks: list[_Block]) -> list[_Block]:
    """Cut an underlined heading off the text that follows it in its block
    (``What's New in IDLE 3.5.0?`` / ``====`` / ``*Release date: 2015-09-13*``),
    and a rule off the paragraph under it."""
    out: list[_Block] = []
    for b in blocks:
        n = len(b.lines)
        cut = None
        s0, e0 = b.lines[0]
        if n > 1 and e0 - s0 >= 10 and text[s0] in "-=*_~#+." and _RULE.match(text[s0:e0]):
            out.append(b.part(0, 1))  # a rule over a paragraph: "-----" / "This is a terse description..."
            b = b.part(1, n)
            n -= 1
        for k in range(1, min(n - 1, 4)):
            s, e = b.lines[k]
            if text[s] in "=-~^*" and _UNDERLINE.match(text[s:e]):
                s1, e1 = b.lines[0]
                if 2 * (e - s) >= e1 - s1 and _underline(text, b.part(0, k + 1)) is not None:
                    cut = k + 1
                break  # the first underline-like line decides
        if cut is None:
            out.append(b)
        else:
            out.append(b.part(0, cut))
            out.append(b.part(cut, n))
    return out


def _underline(text: str, b: _Block) -> float | None:
    """The rank of an underlined heading block (1-3 short title lines over a line
    of ``=``, ``-``, ``~``...), or None. The underline may be short (``===``
    under ``Introduction``)."""
    n = len(b.lines)
    if n < 2 or n > 4:
        return None
    s2, e2 = b.lines[-1]
    um = _UNDERLINE.match(text[s2:e2])
    if um is None:
        return None
    ch = um.group(1)[0]
    ulen = e2 - s2
    if ulen < (2 if ch == "=" else 3):
        return None
    s1, e1 = b.lines[0]
    if not _underlined_title_ok(text[s1:e1]):
        return None
    if n > 2:
        # a heading block: short lines, no sentences, an underline as long as one of them
        longest = 0
        for s, e in b.lines[:-1]:
            line = text[s:e]
            if len(line) > 80 or line[-1] in ".,;" or _LIST_ITEM.match(line):
                return None
            longest = max(longest, e - s)
        if ulen < min(longest, e1 - s1) // 2:
            return None
    return _UNDERLINE_RANK.get(ch, 11.7)


def _layout(blocks: list[_Block], man: bool = False) -> int:
    """The body indent of a document: 0 for most texts, 7 for a man page, 3 for
    a FAQ with indented answers.

    It is the column most continuation lines (lines after a block's first) start
    at, when at most 30% of all lines lie left of it; else the smallest column
    at which at least a fifth of the lines start, with at most 15% of the lines
    left of it (column 0 needs a third of the lines). A man page's is the first
    column from 2 on where a tenth of its indented lines start.
    """
    cols = Counter(chain.from_iterable(b.ind for b in blocks))
    total = sum(cols.values())
    if not total:
        return 0
    if man:
        inner = total - cols[0] - cols[1]
        return min((c for c in cols if c >= 2 and cols[c] * 10 >= inner), default=0)
    # the column most continuation lines start at (a paragraph's body), when
    # few lines lie left of it (headings, and the first lines of hanging items)
    cont = Counter(chain.from_iterable(b.ind[1:] for b in blocks))
    if cont:
        col = max(cont, key=lambda c: (cont[c], -c))
        if col >= 2 and sum(n for c, n in cols.items() if c < col) * 10 <= 3 * total:
            return col
    left = 0
    for col in sorted(cols):
        if cols[col] * (3 if col == 0 else 5) >= total:
            return col
        left += cols[col]
        if left * 100 > 15 * total:
            break
    return 0


def _width(blocks: list[_Block]) -> int:
    """The text width of a document: the column nine lines in ten end before."""
    ends: Counter = Counter()
    total = 0
    for b in blocks:
        for (s, e), i in zip(b.lines, b.ind):
            ends[min(i + e - s, 200) // 4] += 1
            total += 1
    acc = 0
    for q in sorted(ends):
        acc += ends[q]
        if acc * 10 >= total * 9:
            return q * 4 + 3
    return 80


def _hanging(text: str, b: _Block, k: int) -> bool:
    """Does line ``k`` of a numbered line's block continue its title (a hanging
    indent under the title's first letter, as in ``4.21. How do I delete...`` /
    ``      a certain regular expression?``)?"""
    s, e = b.lines[0]
    m = _SECNUM.match(text[s:e])
    if m is None:
        return False
    col = b.ind[0] + m.end()
    return 0 <= b.ind[k] - col <= 1 and text[b.lines[k - 1][1] - 1] not in ".:!"


def _split_outdented(text: str, blocks: list[_Block], base: int, man: bool) -> list[_Block]:
    """Cut outdented headings off the blocks of a document whose body is indented.

    A run of up to three lines left of the body indent (one line and its
    continuation, at one column, or a numbered line and its hanging indent)
    becomes a block of its own (``head`` = its column) when indented text follows
    it in the block; at a block's end it is marked too and :func:`_classify`
    checks the next block. ``NAME`` / ``       grep, egrep...`` becomes a heading
    and a paragraph.
    """
    out: list[_Block] = []
    for b in blocks:
        n = len(b.lines)
        ind = b.ind
        if min(ind) >= base:
            out.append(b)
            continue
        seg = 0
        i = 0
        while i < n:
            if ind[i] >= base:
                i += 1
                continue
            j = i + 1
            numbered = _SECNUM.match(text[b.lines[i][0] : b.lines[i][1]]) is not None
            while j < n and j - i < 3:
                if ind[j] == ind[i] and ind[j] < base and not _SECNUM.match(text[b.lines[j][0] : b.lines[j][1]]) \
                        and text[b.lines[j - 1][1] - 1] not in ".:!?" and not man:
                    j += 1  # the title goes on at the same column
                elif numbered and j == i + 1 and ind[j] != base and _hanging(text, b.part(i, n), 1):
                    j += 1
                else:
                    break
            if j < n and ind[j] <= ind[i]:
                i = j  # more lines at its column: a table of contents, a paragraph
                continue
            if not man and (any(ind[k] <= ind[i] for k in range(j, n)) or any(ind[k] == ind[i] for k in range(seg, i))):
                i = j  # lines at its column before or after it: a table of contents
                continue
            if not man and j < n and text[b.lines[j][0]].islower() and text[b.lines[j - 1][1] - 1] not in ".?!:":
                i = j  # its sentence goes on: "7. Disclaimer of Warranty. Unless required by ... agreed" / "to in writing"
                continue
            title = " ".join(text[s:e] for s, e in b.lines[i:j])
            if not _outdented_ok(title, man):
                i = j
                continue
            if seg < i:
                out.append(b.part(seg, i))
            out.append(b.part(i, j, ind[i]))
            seg = i = j
        if seg < n:
            out.append(b.part(seg, n) if seg else b)
    return out


def _split_indents(blocks: list[_Block]) -> list[_Block]:
    """Cut a man page's blocks where their indentation changes (``M-Control-u:
    universal-argument`` set in, ``or`` back at the text's column...), except
    under a hanging tag (``-f FILE`` over its indented description)."""
    out: list[_Block] = []
    for b in blocks:
        ind = b.ind
        n = len(ind)
        cuts = [k for k in range(1, n) if ind[k] != ind[k - 1] and not (k == 1 and ind[1] > ind[0])]
        if not cuts:
            out.append(b)
            continue
        prev = 0
        for k in cuts + [n]:
            out.append(b.part(prev, k))
            prev = k
    return out


def _split_glued(text: str, blocks: list[_Block]) -> list[_Block]:
    """Cut a numbered title line off the paragraph it opens (``2.1. The Initial
    Developer Grant.`` / ``The Initial Developer hereby grants...``): the line is
    short next to the paragraph's lines and reads as a title."""
    out: list[_Block] = []
    for b in blocks:
        n = len(b.lines)
        if n >= 3 and b.head is None:
            s, e = b.lines[0]
            m = _SECNUM.match(text[s:e])
            if m is not None and b.ind[1] >= b.ind[0]:
                widest = max(b.ind[k] + le - ls for k, (ls, le) in enumerate(b.lines))
                title = text[s + m.end() : e]
                s2 = b.lines[1][0]
                if (
                    b.ind[0] + e - s <= 0.7 * widest
                    and len(title.split()) <= 8
                    and text[s2].isupper()
                    and _numbered_title_ok(title, "a2")
                    and _title_ratio(title) >= 0.6
                ):
                    out.append(b.part(0, 1))
                    out.append(b.part(1, n))
                    continue
        out.append(b)
    return out


_RUNIN = re.compile(r"((?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,7}\.|[A-Z]\.)[ \t]+([A-Z][^.!?:;]{1,70}?)\.)[ \t]+[A-Z(\"\u201c]")


def _split_runin(text: str, blocks: list[_Block], base: int) -> list[_Block]:
    """Cut run-in clause headings off their paragraphs (``2. Grant of Copyright
    License. Subject to the terms...``): a number, a short title-case title and
    its period open the paragraph. Two clauses of a document at least must read
    so (one could be a sentence that happens to start that way)."""
    found: list[tuple[int, int]] = []  # (block index, end of the heading)
    for k, b in enumerate(blocks):
        if len(b.lines) < 2 or b.head is not None:
            continue
        s, e = b.lines[0]
        if not ("0" <= text[s] <= "9" or "A" <= text[s] <= "Z"):
            continue
        m = _RUNIN.match(text, s, e)
        if m is None or text[m.end(1) : e].strip() == "":
            continue
        title = m.group(2)
        if len(title.split()) > 8 or _title_ratio(title) < 0.75 or _last_word(title) in _TAIL_WORDS:
            continue
        found.append((k, m.end(1)))
    if len(found) < 2:
        return blocks
    out = list(blocks)
    for k, cut in reversed(found):
        b = blocks[k]
        s, e = b.lines[0]
        rest = cut
        while text[rest] in " \t":
            rest += 1
        head = b.ind[0] if 2 <= base and b.ind[0] < base else None
        out[k : k + 1] = [
            _Block([(s, cut)], [b.ind[0]], head),
            _Block([(rest, e)] + b.lines[1:], [b.ind[0] + rest - s] + b.ind[1:]),
        ]
    return out


def _centred(line: str, col: int, base: int, width: Callable[[], int]) -> bool:
    """A short line set in the middle of the text's width (``width()`` gives it)."""
    if col < max(8, base + 8):
        return False
    w = width()
    return abs(col + len(line) / 2 - w / 2) <= max(6, w / 10)


def _classify(text: str, blocks: list[_Block], base: int, man: bool, stars: bool = False
              ) -> list[tuple[float, int, int] | None]:
    """For each block: (rank, kind, major) when it is a heading candidate, else None.

    kind 0 = structural (BOOK/CHAPTER), 1 = underlined/ALL-CAPS/numbered/
    outdented/centred, 2 = generic, 3 = an outline's ``*``/``**`` line (when
    ``stars``: Emacs outline mode, as GNU NEWS files are written). ``major``: true for a kind that opens a
    document's main divisions (BOOK, ``===``, ``1.``, ``I.``), :data:`_PLAIN`
    for an ALL-CAPS or centred line (see :func:`_nest`). A book with structural
    headings gets no generic or ALL-CAPS ones (its short lines are dialogue,
    letters and signatures). A man page gets only its outdented ones.
    """
    out: list[tuple[float, int, int] | None] = []
    n = len(blocks)
    lines = [text[b.lines[0][0] : b.lines[0][1]] if len(b.lines) == 1 else None for b in blocks]
    known: list[int] = []

    def width() -> int:  # measured only when a line may be centred
        if not known:
            known.append(_width(blocks))
        return known[0]

    structs = [
        _struct_rank(ln) if ln is not None and len(ln) <= _MAX_HEADING_CHARS else None for ln in lines
    ]
    ranks = [r[0] for r in structs if r is not None and not r[1]]
    book = len(ranks) >= 3
    top = min(ranks) if book else None
    indented = base >= 2
    prev_letter: str | None = None
    family_prev: dict[tuple, tuple[int, int]] = {}  # family -> (number, block index) of its last item
    nums: list[tuple | None] = [None] * n
    for i, b in enumerate(blocks):
        cand: tuple[float, int] | None = None
        line = lines[i]
        nxt = blocks[i + 1] if i + 1 < n else None
        if b.head is not None:
            title = " ".join(text[s:e] for s, e in b.lines)
            num = None if man else _section_number(title, prev_letter)
            if nxt is not None and (nxt.ind[0] > b.head or (num is not None and nxt.head == b.head and _opens(
                title, text[nxt.lines[0][0] : nxt.lines[0][1]]
            ))):
                if num is not None:
                    nums[i] = (num[1], num[3])
                    if num[1] == "l":
                        prev_letter = chr(num[3] + 64)
                # at its column, a clause's depth counts: 1. at 12, 1.1. at 13; A. is a kind of its own
                depth = int(num[1][1:]) if num is not None and num[1][0] == "a" else 1
                major = num is not None and depth == 1 and num[1] in ("a1", "r")
                letter = 0.5 if num is not None and num[1] == "l" else 0.0
                cand = (12.0 + b.head / 100 + depth - 1 + letter, 1, major)
            out.append(cand)
            continue
        if man:
            out.append(None)
            continue
        if line is None:
            nl = len(b.lines)
            if nl > 4:
                out.append(None)
                continue
            ul = _underline(text, b)
            if ul is not None:
                out.append((ul, 1, ul == 10.0))
                continue
            if nl <= 3 and not book and _SECNUM.match(text[b.lines[0][0] : b.lines[0][1]]) \
                    and all(_hanging(text, b, k) for k in range(1, nl)):
                line = " ".join(text[s:e] for s, e in b.lines)  # a numbered title on two or three lines
            else:
                out.append(None)
                continue
        if stars and not book and line[0] == "*":
            sm = _STAR_HEAD.match(line)
            if sm and _underlined_title_ok(sm.group(2)):
                out.append((5.0 + len(sm.group(1)), 3, len(sm.group(1)) == 1))
                continue
        if stars and not book and _RELEASE.match(line):
            out.append((5.0, 1, True))  # "version 1.34 - Sergey Poznyakoff, 2021-02-13" over its "* ..." items
            continue
        st = structs[i]
        if st is not None and (book or not st[1]):
            # (PREFACE, APPENDIX...: at the level of the book's own top divisions)
            out.append((st[0] if not st[1] or top is None else top, 0, True))
            continue
        if book:
            out.append(None)
            continue
        num = _section_number(line, prev_letter)
        if num is not None:
            rank, family, title, value = num
            if family == "l":
                prev_letter = title and chr(value + 64)
            key = (family, b.ind[0])
            prev = family_prev.get(key)
            family_prev[key] = (value, i)
            nums[i] = (family, value)
            in_list = prev is not None and prev[0] == value - 1 and prev[1] >= i - 3 and out[prev[1]] is None
            nxt_same = False
            if nxt is not None:
                nf = _section_number(text[nxt.lines[0][0] : nxt.lines[0][1]], prev_letter)
                nxt_same = nf is not None and nf[1] == family and nf[3] == value + 1 and nxt.ind[0] == b.ind[0] \
                    and not _numbered_title_ok(nf[2], family)
            if (
                nxt is not None
                and not in_list
                and not nxt_same
                and _numbered_title_ok(title, family)
                and not (indented and b.ind[0] >= base and family == "a1" and _LIST_ITEM.match(line))
            ):
                cand = (rank, 1, family in ("a1", "r"))
            out.append(cand)
            continue
        if indented and b.ind[0] >= base and not _centred(line, b.ind[0], base, width):
            out.append(None)
            continue
        if nxt is not None and len(nxt.lines) == 1 and _SECNUM.match(text[nxt.lines[0][0] : nxt.lines[0][1]]) \
                and (_is_allcaps(line) or _centred(line, b.ind[0], base, width)):
            out.append(None)  # the part a numbered clause opens (see below)
            continue
        prev_line = lines[i - 1] if i > 0 else None
        if prev_line is not None and prev_line[-1] == ":" and len(prev_line) <= 100 and not _is_allcaps(line):
            out.append(None)  # what a lead-in line ("...is provided as follows:") introduces
            continue
        if i > 0 and text[blocks[i - 1].end - 1] == ":" and b.ind[0] > blocks[i - 1].ind[0]:
            out.append(None)  # set in under a lead-in ("...configuration file:" / "    PermitTunnel yes")
            continue
        if line.startswith("END OF ") and _END_OF.match(line):
            out.append(None)  # it closes a part (see _nest); it opens none
            continue
        if nxt is not None and b.ind[0] >= nxt.ind[0] + 2 and i > 0 and blocks[i - 1].ind[0] >= b.ind[0] \
                and not _centred(line, b.ind[0], base, width):
            out.append(None)  # the end of a run set in from the text: a signature, an example line
            continue
        if _looks_like_heading(line, numbered_ok=True):
            prev_list = i > 0 and lines[i - 1] is not None and _LIST_ITEM.match(lines[i - 1] or "")
            centred = _centred(line, b.ind[0], base, width)
            body = nxt is not None and _is_body(text, nxt) and not (
                nxt.ind[0] > b.ind[0] + 1 and _title_ratio(line) < 0.5
            )
            if (centred or _is_allcaps(line)) and (nxt is None or body or (_is_list(text, nxt) and not _is_toc(text, nxt))):
                cand = (12.0, 1, _PLAIN)  # an ALL-CAPS or centred line never sits under a plain one
            elif _NUMBERED.match(line) and prev_list:
                cand = None
            elif body:
                cand = (20.0, 2, False)
            elif (
                nxt is not None
                and _is_list(text, nxt)
                and len(line.split()) <= 6
                and line[-1] != ":"
                and not _NUMBERED.match(line)
            ):
                cand = (20.0, 2, False)
        out.append(cand)
    # A generic line right above a generic heading is the heading one level up;
    # an ALL-CAPS or centred line right above a numbered clause opens its part.
    for i in range(n - 2, -1, -1):
        if out[i] is None and out[i + 1] is not None and lines[i] is not None and not man and not book:
            ln = lines[i]
            if indented and blocks[i].ind[0] >= base and not _centred(ln, blocks[i].ind[0], base, width):
                continue
            kind_next = out[i + 1][1]  # type: ignore[index]
            if kind_next == 2 and _looks_like_heading(ln) and not _is_allcaps(ln):
                out[i] = (19.0, 2, True)  # a level up from the generic headings
            elif nums[i + 1] is not None and kind_next == 1 and _looks_like_heading(ln) and (
                _is_allcaps(ln) or _centred(ln, blocks[i].ind[0], base, width)
            ) and out[i + 1][0] > 12.0:  # type: ignore[index]
                out[i] = (12.0, 1, _PLAIN)
    return out


def _is_list(text: str, block: _Block) -> bool:
    s, e = block.lines[0]
    return bool(_LIST_ITEM.match(text[s:e]))


def _confirm(text: str, blocks: list[_Block], cands: list[tuple[float, int, int] | None], first: int,
             man: bool = False) -> list[bool]:
    """Keep a candidate only if its section holds body text before the next
    candidate that is not a subdivision of it (drops tables of contents); what
    is a subdivision is decided as :func:`_nest` decides it. In a man page any
    text will do (``SEE ALSO`` / ``       VACUUM(7)``)."""
    keep = [False] * len(blocks)
    pending: set[int] = set()  # candidate indexes still waiting for body text
    stack: list[tuple[float, int, int]] = []  # (rank, block index, kind) of the open candidates
    for i in range(first, len(blocks)):
        c = cands[i]
        if c is None:
            if pending and (man or _is_content(text, blocks[i])):
                for j in pending:
                    keep[j] = True
                pending.clear()
            continue
        rank, kind, major = c
        at = _closes(stack, rank, major)
        if at is not None:
            item = False
            for _r, j, k in stack[at:]:
                if j in pending:
                    pending.discard(j)  # closed before any body text
                    item = item or k == 3
            if item:  # an outline's items ("** Fix ..." one after another) are its parent's text
                for _r, j, _k in stack[:at]:
                    if j in pending:
                        keep[j] = True
                        pending.discard(j)
            del stack[at:]
        if text[blocks[i].start] not in "CcTt" or not _CONTENTS.match(_title_of(text, blocks[i])):  # (see _nest)
            stack.append((rank, i, kind))
        pending.add(i)
    return keep


# Emacs outline mode: "* Noteworthy changes in release 3.8" / "** Changes in behavior".
_STAR_HEAD = re.compile(r"^(\*{1,6}) +(\S.{0,150})$")
_RELEASE = re.compile(r"^(?:[Vv]ersion|[Rr]elease)\s+v?\d[\w.-]*(?:\s.{0,80})?$")
_MODE_LINE = re.compile(r"\s*-\*-.*?-\*-.*$")
_OUTLINE_MARK = re.compile(r"-\*-\s*(?:mode:\s*)?outline\b", re.I)
_DOUBLE_STAR = re.compile(r"(?m)^\*\*\*? +[^*\r\n]*[^*\s]\s*$")  # (not a "*** START OF ... ***" banner)


def _is_outline(text: str, blocks: list[_Block]) -> bool:
    """Is the text in Emacs outline mode: ``-*- outline -*-`` on its first line,
    or lines of two stars or more (no bullet has two) opening blocks?"""
    if not blocks:
        return False
    s, e = blocks[0].lines[0]
    if _OUTLINE_MARK.search(text, s, e):
        return True
    n = 0
    for m in _DOUBLE_STAR.finditer(text):
        n += 1
        if n >= 2:
            return True
    return False


_CONTENTS = re.compile(r"^(?:table of )?contents:?$", re.I)
_END_OF = re.compile(r"^END OF (?:THE )?([A-Z][A-Z ,]{3,80})$")


def _closers(text: str, blocks: list[_Block]) -> list[tuple[int, str]]:
    """``END OF TERMS AND CONDITIONS`` lines: (block index, what they close)."""
    out = []
    starts = [b.start for b in blocks]
    k = text.find("END OF ")
    while k >= 0:
        j = bisect_left(starts, k)
        if j < len(blocks) and starts[j] == k and len(blocks[j].lines) == 1:
            m = _END_OF.match(text[k : blocks[j].end])
            if m:
                out.append((j, m.group(1).strip()))
        k = text.find("END OF ", k + 7)
    return out


def _is_book(text: str, blocks: list[_Block]) -> bool:
    """Three BOOK / PART / CHAPTER lines or more (see :func:`_classify`)."""
    n = 0
    for b in blocks:
        if len(b.lines) == 1:
            s, e = b.lines[0]
            if e - s <= _MAX_HEADING_CHARS and text[s] in "BPCVEOTFSNLbpcveotfsnl":
                r = _struct_rank(text[s:e])
                if r is not None and not r[1]:
                    n += 1
                    if n >= 3:
                        return True
    return False


#: The ``major`` value of a heading that closes the plain (generic) headings
#: open above it, and no others (an ALL-CAPS line: ``INTRODUCTION`` after
#: ``Preface`` is its sibling, ``PNG_FORMAT_*`` under ``V. Simplified API`` its child).
_PLAIN = 2


def _closes(stack: list[tuple[float, int, int]], rank: float, major) -> int | None:
    """Where a new heading cuts the stack of open ones (None: it opens under
    them all); see :func:`_nest`."""
    if stack and stack[-1][0] == rank:
        return len(stack) - 1  # (a sibling of the last one: the common case)
    at = next((k for k, entry in enumerate(stack) if entry[0] == rank), None)
    if at is not None or not major:
        return at
    at = len(stack)
    if major == _PLAIN:
        while at and stack[at - 1][2] == 2:
            at -= 1
    else:
        while at and stack[at - 1][0] > rank:
            at -= 1
    return at


def _nest(cands: list[tuple[float, int, int]], titles: list[str] | None = None,
          closes: list[tuple[int, str]] | None = None) -> list[tuple[int, int | None]]:
    """(level, parent position) of each heading, from its rank and kind.

    A heading of a kind already open (the same rank) closes it and what it holds:
    it is a sibling. A new kind is a subdivision of the heading before it
    (``A. Changing pnglibconf.h`` under ``Configuration``, ``Pattern Syntax``
    under ``OPTIONS``), unless it is a major one (a BOOK, a ``===`` underline, a
    ``1.`` or ``I.`` clause), which closes the open headings of a higher rank,
    or an ALL-CAPS line, which closes the plain ones. ``closes`` gives (position, name) of lines such as ``END OF TERMS AND
    CONDITIONS``: before the heading at that position, the open heading of that
    name is closed (an ``APPENDIX`` after it is its sibling).
    """
    out: list[tuple[int, int | None]] = []
    stack: list[tuple[float, int, int]] = []  # (rank, position, kind)
    pending = list(closes or [])
    for k, (rank, kind, major) in enumerate(cands):
        while pending and pending[0][0] <= k:
            name = pending.pop(0)[1].lower()
            at = next((j for j, (_r, p, _k) in enumerate(stack) if titles and titles[p].lower().startswith(name)), 0)
            del stack[at:]  # (no heading of that name open: what follows is at the top)
        at = _closes(stack, rank, major)
        if at is not None:
            del stack[at:]
        out.append((len(stack) + 1, stack[-1][1] if stack else None))
        if not (titles and _CONTENTS.match(titles[k])):  # a table of contents holds no sections
            stack.append((rank, k, kind))
    return out


def _kind(text: str, block: _Block, margin: int | None, context: int | None = None) -> str:
    """``list``, ``code`` or ``text`` (see the module docstring).

    ``context`` is the column the block's indentation is compared with (the
    body's; in a man page, the block before's): a block set in from it is an
    example when a line of it is code, or when it is one line and no sentence.
    (The streamed counts of :mod:`osce_brief.search` see only
    :func:`~osce_brief.segment.looks_like_code`.) ``margin`` is a man page's
    right margin: a block of its that does not fill its lines to it was set line
    by line (a synopsis, an example)."""
    s = block.lines[0][0] - block.ind[0]
    first = text[block.lines[0][0] : block.lines[0][1]]
    if len(block.lines) == 1 and _RULE.match(first):
        return "rule"
    if _LIST_ITEM.match(first) and all(
        _LIST_ITEM.match(text[a:b]) or text[a - 1 : a] in " \t" for a, b in block.lines
    ):
        return "list"
    if block.ind[0] and text[s : block.lines[0][0]].strip() == "":
        if looks_like_code(text[s : block.end]):
            return "code"
        if margin is None and context is not None and min(block.ind) >= context + 2:
            # set in from the body: an example when a line of it is code, or it is one line and no sentence
            if len(block.lines) == 1:
                if not _SENTENCE_END.search(first):
                    return "code"
            elif any(code_line(text[a:b]) for a, b in block.lines):
                return "code"
    if margin is not None and len(block.lines) == 1:
        if context is not None and block.ind[0] > context and first[-1] not in ".:!?,;":
            return "code"
    elif margin is not None:
        # a hanging tag ("-f FILE, --file=FILE" over its indented text) is not counted
        k0 = 1 if block.ind[1] > block.ind[0] else 0
        for k in range(k0, len(block.lines) - 1):
            ls, le = block.lines[k]
            if block.ind[k] + le - ls < margin - 1:
                return "code"
    return "text"


def _make_paragraph(text: str, block: _Block, kind: str | None = None, margin: int | None = None,
                    context: int | None = None) -> Paragraph:
    lines = block.lines
    s, e = lines[0][0], lines[-1][1]
    if kind is None:
        if margin is None and not block.ind[0] and text[s] not in "-=*_~#+." and not _LIST_ITEM.match(text[s : lines[0][1]]):
            kind = "text"  # (most blocks: flush, no list)
        else:
            kind = _kind(text, block, margin, context)
    return Paragraph(s, e, text[s:e], kind)


def _title_of(text: str, block: _Block) -> str:
    """A heading block's title: its lines joined, an underline left out, runs
    of spaces single (``1.  New Features`` reads ``1. New Features``)."""
    spans = block.lines
    if len(spans) == 1:
        t = text[spans[0][0] : spans[0][1]]
        return t if "  " not in t and "\t" not in t else " ".join(t.split())
    if len(spans) > 1 and _UNDERLINE.match(text[spans[-1][0] : spans[-1][1]]):
        spans = spans[:-1]
    return " ".join(" ".join(text[s:e].split()) for s, e in spans)


def _header(text: str, blocks: list[_Block], cands: list) -> tuple[dict, list[tuple[_Block, str]], int]:
    """Detect title, byline and subtitle at the top.

    Returns (fields, meta blocks with their kind, index of the first body block).
    """
    fields: dict = {}
    meta: list[tuple[_Block, str]] = []
    if not blocks:
        return fields, meta, 0
    b0 = blocks[0]
    s, e = b0.lines[0]
    title = text[s:e]
    centred = 2 < len(b0.lines) <= 4 and all(i >= 8 for i in b0.ind) and all(le - ls <= 60 for ls, le in b0.lines)
    if (len(b0.lines) > 2 and not centred) or len(title) > 150 or title[-1] in ".,;" or cands[0] and cands[0][1] == 0:
        return fields, meta, 0
    if len(blocks) == 1:
        return fields, meta, 0
    rest = b0.lines[1:]
    if rest:
        s2, e2 = rest[0]
        second = text[s2:e2]
        if _UNDERLINE.match(second):
            # an underlined title: a section heading when its underline comes back below
            if cands[0] is not None and any(c is not None and c[0] == cands[0][0] for c in cands[1:]):
                return fields, meta, 0
            fields["title"] = title
            meta.append((b0, "title"))
            return fields, meta, 1
        if second[:1].islower() or _TWO_SENTENCES.search(title):
            return fields, meta, 0  # a wrapped paragraph: its first line is half a sentence
    fields["title"] = _MODE_LINE.sub("", title) or title  # ("GNU grep NEWS    -*- outline -*-")
    meta.append((b0.part(0, 1), "title"))
    i = 1
    # Byline/subtitle may follow in the same block or in the next one(s).
    pool: list[tuple[int, int]] = list(rest)
    if not pool and i < len(blocks) and len(blocks[i].lines) <= 2:
        first_line = text[blocks[i].lines[0][0] : blocks[i].lines[0][1]]
        if _BYLINE.match(first_line):
            pool = list(blocks[i].lines)
            i += 1
    if pool:
        s1, e1 = pool[0]
        m = _BYLINE.match(text[s1:e1])
        if m:
            fields["author"] = m.group("author").strip()
            if m.group("date"):
                fields["date"] = m.group("date")
            if m.group("views"):
                fields["views"] = int(re.sub(r"[,.]", "", m.group("views")))
            meta.append((_Block([pool[0]], [0]), "byline"))
            pool = pool[1:]
        if pool and (len(pool) == 1 or centred):  # (a centred title block: its second line)
            s2, e2 = pool[0]
            fields["subtitle"] = text[s2:e2]
            meta.append((_Block(pool[:1], [0]), "subtitle"))
            pool = pool[1:]
        if pool:  # more lines: they are body text of the lead
            meta.append((_Block(pool, [0] * len(pool)), "text"))
    return fields, meta, i


def _man_frame(text: str, blocks: list[_Block]) -> tuple[dict, _Block, _Block | None] | None:
    """A man page's header line (``GREP(1)   User Commands   GREP(1)``) and
    footer line (``GNU grep 3.8   2019-12-29   GREP(1)``), or None for other texts.

    Returns (fields, header block, footer block or None); the blocks list is
    trimmed of both lines.
    """
    if not blocks:
        return None
    b0 = blocks[0]
    s, e = b0.lines[0]
    if e - s > 250 or text[e - 1] != ")":
        return None
    m = _MAN_HEADER.match(text[s:e])
    if m is None:
        # a name too long for the line: groff cuts the middle ("SYSTEMD-REMOUNT-FS.SERVICEsystemd-...(8)");
        # the page's end and a NAME-like heading right over indented text still tell
        m = _MAN_HEADER_END.search(text, s, e)
        if m is None or len(b0.lines) > 1 or len(blocks) < 2 or len(blocks[1].lines) < 2:
            return None
        b1 = blocks[1]
        if b1.ind[0] != 0 or b1.ind[1] < 3 or not _is_allcaps(text[b1.lines[0][0] : b1.lines[0][1]]):
            return None
        # the page's name as the footer gives it, whole ("systemd 252   SYSTEMD-REMOUNT-FS.SERVICE(8)")
        fs, fe = blocks[-1].lines[-1]
        foot_name = re.search(r"\s(\S+\(" + re.escape(m.group("sec")) + r"\))$", text[fs:fe])
        if foot_name and text[s:e].endswith(foot_name.group(1)):
            m = _MAN_HEADER_END.search(foot_name.group(1))
    fields: dict = {"title": f"{m.group('page')}({m.group('sec')})"}
    if m.groupdict().get("mid"):
        fields["subtitle"] = m.group("mid").strip()
    head = b0.part(0, 1)
    if len(b0.lines) > 1:
        blocks[0] = b0.part(1, len(b0.lines))
    else:
        del blocks[0]
    foot = None
    if blocks:
        bl = blocks[-1]
        fs, fe = bl.lines[-1]
        if text[fs:fe].endswith(f"{m.group('page')}({m.group('sec')})") and fs != s:
            foot = bl.part(len(bl.lines) - 1, len(bl.lines))
            if len(bl.lines) > 1:
                blocks[-1] = bl.part(0, len(bl.lines) - 1)
            else:
                del blocks[-1]
            d = _DATE.search(text, fs, fe)
            if d:
                fields["date"] = d.group(0)
    return fields, head, foot


def _man_margin(text: str, blocks: list[_Block]) -> int:
    """The right margin of a man page: the column most of its lines end at."""
    ends: Counter = Counter()
    for b in blocks:
        for (s, e), i in zip(b.lines[:-1], b.ind[:-1]):
            ends[i + e - s] += 1
    return ends.most_common(1)[0][0] if ends else 80


def _gutenberg_bounds(text: str) -> tuple[int | None, int | None]:
    """The end of the first START line of a Project Gutenberg text and the start
    of the first END line after it (None when missing).

    Only lines that hold "gutenberg" can be either, so those are found first
    (with ``str.upper``, when it keeps offsets) and checked line by line."""
    up = text.upper()
    if len(up) != len(text):  # a character whose capital is longer: every line
        cands = (m.start() for m in _LINE.finditer(text) if m.start() < m.end())
    else:
        def gen():
            k = up.find("GUTENBERG")
            while k >= 0:
                yield max(text.rfind("\n", 0, k), text.rfind("\r", 0, k)) + 1
                k = up.find("GUTENBERG", k + 1)
        cands = gen()
    gut_start = None
    last = -1
    for ls in cands:
        if ls <= last:
            continue  # the same line again
        last = ls
        m = _LINE.match(text, ls)
        line = m.group(0).strip()
        if gut_start is None:
            if _GUTENBERG_START.match(line):
                gut_start = m.end()
        elif _GUTENBERG_END.match(line):
            return gut_start, ls
    return gut_start, None


def parse_text(text: str, path: str | None = None) -> Document:
    """Build a :class:`Document` from plain text.

    Args:
        text: the decoded source.
        path: what the user gave, for display and JSON.

    Returns:
        The document; its lead, sections and back matter tile ``text``.
    """
    n = len(text)
    body_start, body_end = 0, n
    front_blocks: list[_Block] = []
    back_blocks: list[_Block] = []
    gut_start = gut_end = None
    if "PROJECT GUTENBERG" in text[:20000].upper():
        gut_start, gut_end = _gutenberg_bounds(text)
    if gut_start is not None:
        front_blocks = _blocks(text, 0, gut_start)
        body_start = gut_start
    if gut_end is not None:
        back_blocks = _blocks(text, gut_end, n)
        body_end = gut_end

    blocks = _blocks(text, body_start, body_end)
    fields: dict = {}
    meta: list[tuple[_Block, str]] = []
    man = _man_frame(text, blocks) if gut_start is None else None
    margin = None
    if man is not None:
        fields, head_block, foot = man
        meta.append((head_block, "title"))
        if foot is not None:
            back_blocks = [foot]
            body_end = gut_end = foot.start - (foot.ind[0] if foot.ind else 0)
        margin = _man_margin(text, blocks)
    base = _layout(blocks, man is not None)
    if base >= 2:
        blocks = _split_outdented(text, blocks, base, man is not None)
    if man is not None:
        blocks = _split_indents(blocks)
    if man is None and not (gut_start is not None and _is_book(text, blocks)):
        # (a book's headings are its BOOKs and CHAPTERs: no clauses to find)
        blocks = _split_runin(text, _split_glued(text, _split_underlined(text, blocks)), base)
    stars = man is None and gut_start is None and _is_outline(text, blocks)
    cands = _classify(text, blocks, base, man is not None, stars)
    first = 0
    if gut_start is None and man is None:
        fields, meta, first = _header(text, blocks, cands)
    keep = _confirm(text, blocks, cands, first, man is not None)
    heads = [i for i in range(first, len(blocks)) if keep[i]]
    closes = [(bisect_left(heads, c), name) for c, name in _closers(text, blocks)] if "END OF " in text else []
    titles = [_title_of(text, blocks[i]) for i in heads]
    if stars:
        titles = [t.lstrip("*").lstrip() if cands[i][1] == 3 else t for t, i in zip(titles, heads)]  # type: ignore[index]
    nesting = _nest([cands[i] for i in heads], titles, closes)  # type: ignore[misc]

    lead_paras = [Paragraph(b.start, b.end, text[b.start : b.end], "meta") for b in front_blocks]
    lead_paras += [Paragraph(b.start, b.end, text[b.start : b.end], "meta") for b, k in meta if k != "text"]
    lead_paras += [_make_paragraph(text, b, "text") for b, k in meta if k == "text"]
    first_head = heads[0] if heads else len(blocks)
    def context(j: int) -> int | None:  # what a block's indentation is compared with
        if man is None or j == 0 or keep[j - 1]:
            return base  # (the body's column; under a man page's heading too)
        return blocks[j - 1].ind[0]

    lead_paras += [_make_paragraph(text, blocks[j], margin=margin, context=context(j)) for j in range(first, first_head)]
    lead_paras.sort(key=lambda p: p.start)

    sections: list[Section] = []
    for k, bi in enumerate(heads):
        b = blocks[bi]
        level, up = nesting[k]
        nxt = heads[k + 1] if k + 1 < len(heads) else len(blocks)
        paras = tuple(_make_paragraph(text, blocks[j], margin=margin, context=context(j)) for j in range(bi + 1, nxt))
        parent = None if up is None else up + 1
        idx = k + 1
        sections.append(
            Section(idx, level, titles[k], b.start, 0, b.start, b.end, parent, paras)
        )
    # Fix up tiling: each section runs to the next one's start.
    ends = [s.start for s in sections[1:]] + [body_end]
    sections = [_with_end(s, e) for s, e in zip(sections, ends)]
    lead_end = sections[0].start if sections else body_end
    lead = Section(0, 0, "", 0, lead_end, 0, 0, None, tuple(lead_paras), "lead") if lead_end > 0 else None
    back = None
    if gut_end is not None:
        back = Section(
            -1, 0, "", gut_end, n, gut_end, gut_end, None,
            tuple(Paragraph(b.start, b.end, text[b.start : b.end], "meta") for b in back_blocks), "back",
        )
    if lead is None and back is None and not sections and n:
        lead = Section(0, 0, "", 0, n, 0, 0, None, (), "lead")
    doc_meta = {k: v for k, v in fields.items() if k not in ("title", "author", "subtitle")}
    if gut_start is not None:
        fm = _gutenberg_fields(text[:gut_start])
        fields.update({k: v for k, v in fm.items() if k in ("title", "author")})
        doc_meta.update({k: v for k, v in fm.items() if k not in ("title", "author")})
    return Document(
        source=text,
        path=path,
        format="text",
        title=fields.get("title"),
        author=fields.get("author"),
        subtitle=fields.get("subtitle"),
        meta=doc_meta,
        sections=tuple(sections),
        lead=lead,
        back=back,
    )


def _with_end(s: Section, end: int) -> Section:
    return Section(s.index, s.level, s.title, s.start, end, s.heading_start, s.heading_end, s.parent, s.paragraphs, s.kind)


def _gutenberg_fields(header: str) -> dict:
    out = {}
    for key in ("Title", "Author", "Language", "Release Date", "Posting Date", "Translators"):
        m = re.search(rf"^{key}:\s*(.+?)\s*$", header, re.M)
        if m:
            out[key.lower().replace(" ", "_")] = m.group(1)
    return out
