"""Plain-text loader: title, byline, subtitle, headings and paragraphs.

The text is cut into *blocks* (runs of non-blank lines). Hard-wrapped lines of
one block form one paragraph. A block is a heading when it is a single short line
that looks like a title (no sentence punctuation at its end, not a list item, not
code, not an epigraph) and the section it opens holds body text. Gutenberg-style
``BOOK ONE: 1805`` / ``CHAPTER IV`` lines, ALL-CAPS lines and underlined lines
(``===`` / ``---``) are headings too, with levels from their kind. Project
Gutenberg's licence header and footer become the lead and back matter.
"""

from __future__ import annotations

import re
from ..record import record

from ..model import Document, Paragraph, Section
from ..segment import LIST_ITEM as _LIST_ITEM

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BYLINE = re.compile(
    r"^by\s+(?P<author>[^\d|,\u00b7\u2022]{1,60}?)\s*(?:[|,\u00b7\u2022\u2014-]\s*)?"
    r"(?:(?P<date>[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d\d-\d\d)\s*(?:[|,\u00b7\u2022\u2014-]\s*)?)?"
    r"(?:(?P<views>\d[\d,.]*)\s*views?)?\s*$",
    re.IGNORECASE,
)
_UNDERLINE = re.compile(r"^\s*(=+|-+|~+|\*+)\s*$")
_ROMAN = r"[IVXLCDM]+"
_NUMWORD = (
    r"ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE|THIRTEEN|"
    r"FOURTEEN|FIFTEEN|SIXTEEN|SEVENTEEN|EIGHTEEN|NINETEEN|TWENTY|FIRST|SECOND|"
    r"THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|LAST|FINAL"
)
# Structural headings of books, with their rank (lower = higher level); compiled
# on first use, since most articles have none (see _struct_rank).
_STRUCT_SOURCES = [
    (0, rf"^(?:VOLUME|VOL\.)\s+(?:{_ROMAN}|\d+|{_NUMWORD})\b.*$"),
    (1, rf"^(?:BOOK|PART)\s+(?:{_ROMAN}|\d+|{_NUMWORD})\b.*$"),
    (1, rf"^(?:(?:{_NUMWORD})\s+)?EPILOGUE\b.*$"),
    (1, r"^(?:PROLOGUE|PREFACE|INTRODUCTION|APPENDIX|AFTERWORD)\b.{0,40}$"),
    (2, rf"^CHAPTER\s+(?:{_ROMAN}|\d+|{_NUMWORD})\b.*$"),
]
_STRUCT: list[tuple[int, re.Pattern]] = []
_GUTENBERG_START = re.compile(r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.I)
_GUTENBERG_END = re.compile(r"^(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|End of (?:the )?Project Gutenberg)", re.I)
_CODEY = re.compile(r"[{}<>=;$`|\\]|->|::|\(\)|^\S+\.(?:py|go|rs|js|sh|md|txt|json)\b|^[a-z_]+\(|/\S")
_CAPTIONISH = re.compile(
    r"^(?:photo|image|figure|fig\.|source|credit|caption|picture|video|graphic|chart|table)\b",
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
_MAX_HEADING_CHARS = 120
_MAX_HEADING_WORDS = 16


@record(slots=True)
class _Block:
    """Consecutive non-blank lines: ``lines`` holds (start, end) spans without EOL."""

    lines: list[tuple[int, int]]

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][1]


def _blocks(text: str, start: int, end: int) -> list[_Block]:
    """Split ``text[start:end]`` into blocks of non-blank lines (trimmed spans)."""
    blocks: list[_Block] = []
    cur: list[tuple[int, int]] = []
    for m in _LINE.finditer(text, start, end):
        s, e = m.span()
        if s == e:
            break
        # strip EOL
        le = e
        while le > s and text[le - 1] in "\r\n":
            le -= 1
        ls = s
        while ls < le and text[ls].isspace():
            ls += 1
        while le > ls and text[le - 1].isspace():
            le -= 1
        if ls == le:
            if cur:
                blocks.append(_Block(cur))
                cur = []
        else:
            cur.append((ls, le))
    if cur:
        blocks.append(_Block(cur))
    return blocks


_STRUCT_ANY = re.compile(
    rf"^(?:VOLUME|VOL\.|BOOK|PART|CHAPTER|PROLOGUE|PREFACE|INTRODUCTION|APPENDIX|AFTERWORD|EPILOGUE|(?:{_NUMWORD})\s+EPILOGUE)\b",
    re.I,
)


def _struct_rank(line: str) -> int | None:
    if not _STRUCT_ANY.match(line):  # one regex instead of five for ordinary lines
        return None
    if not _STRUCT:
        _STRUCT.extend((rank, re.compile(src, re.I)) for rank, src in _STRUCT_SOURCES)
    for rank, rx in _STRUCT:
        if rx.match(line):
            return rank
    return None


def _is_allcaps(line: str) -> bool:
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
    if _CODEY.search(line):
        return False
    inner = re.findall(r"([.!?])\s+\S", line)
    if inner and not (last == "?" and all(c == "?" for c in inner)):
        return False  # two sentences on one line: an epigraph or caption
    if re.match(r"^\d[\d,.:/ ]*$", line):
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


def _classify(text: str, blocks: list[_Block]) -> list[tuple[int, int] | None]:
    """For each block: (rank, kind) when it is a heading candidate, else None.

    kind 0 = structural (BOOK/CHAPTER), 1 = underlined/ALL-CAPS, 2 = generic.
    A book with structural headings gets no generic or ALL-CAPS ones (its short
    lines are dialogue, letters and signatures).
    """
    out: list[tuple[int, int] | None] = []
    n = len(blocks)
    lines = [text[b.lines[0][0] : b.lines[0][1]] if len(b.lines) == 1 else None for b in blocks]
    n_struct = sum(1 for ln in lines if ln is not None and len(ln) <= _MAX_HEADING_CHARS and _struct_rank(ln) is not None)
    book = n_struct >= 3
    for i, b in enumerate(blocks):
        cand: tuple[int, int] | None = None
        line = lines[i]
        if len(b.lines) == 2:
            s2, e2 = b.lines[1]
            um = _UNDERLINE.match(text[s2:e2])
            s1, e1 = b.lines[0]
            if um and abs((e2 - s2) - (e1 - s1)) <= 3 + (e1 - s1) // 3 and _looks_like_heading(text[s1:e1]):
                cand = (10 if um.group(1)[0] == "=" else 11, 1)
        elif line is not None:
            rank = _struct_rank(line) if len(line) <= _MAX_HEADING_CHARS else None
            if rank is not None:
                cand = (rank, 0)
            elif not book and _looks_like_heading(line, numbered_ok=True):
                nxt = blocks[i + 1] if i + 1 < n else None
                prev_list = i > 0 and lines[i - 1] is not None and _LIST_ITEM.match(lines[i - 1] or "")
                if _is_allcaps(line) and (nxt is None or _is_body(text, nxt)):
                    cand = (12, 1)
                elif _NUMBERED.match(line) and prev_list:
                    cand = None
                elif nxt is not None and _is_body(text, nxt):
                    cand = (20, 2)
                elif (
                    nxt is not None
                    and _is_list(text, nxt)
                    and len(line.split()) <= 6
                    and line[-1] != ":"
                    and not _NUMBERED.match(line)
                ):
                    cand = (20, 2)
        out.append(cand)
    # A generic line right above a generic heading is the heading one level up.
    for i in range(n - 2, -1, -1):
        if out[i] is None and out[i + 1] is not None and out[i + 1][1] == 2 and lines[i] is not None:
            ln = lines[i]
            if not book and _looks_like_heading(ln) and not _is_allcaps(ln):
                out[i] = (19, 2)
    return out


def _is_list(text: str, block: _Block) -> bool:
    s, e = block.lines[0]
    return bool(_LIST_ITEM.match(text[s:e]))


def _confirm(text: str, blocks: list[_Block], cands: list[tuple[int, int] | None], first: int) -> list[bool]:
    """Keep a candidate only if its section holds body text before the next
    candidate of the same or a higher level (drops tables of contents)."""
    keep = [False] * len(blocks)
    pending: list[int] = []  # candidate indexes still waiting for body text
    for i in range(first, len(blocks)):
        c = cands[i]
        if c is None:
            if pending and (len(blocks[i].lines) > 1 or _is_body(text, blocks[i])):
                for j in pending:
                    keep[j] = True
                pending.clear()
            continue
        rank = c[0]
        pending = [j for j in pending if cands[j][0] < rank]  # type: ignore[index]
        pending.append(i)
    return keep


def _levels(ranks: list[int]) -> dict[int, int]:
    """Map the ranks in use to levels 1..n."""
    return {r: k + 1 for k, r in enumerate(sorted(set(ranks)))}


def _make_paragraph(text: str, block: _Block, kind: str | None = None) -> Paragraph:
    s, e = block.start, block.end
    if kind is None:
        first = text[block.lines[0][0] : block.lines[0][1]]
        kind = "list" if _LIST_ITEM.match(first) and all(
            _LIST_ITEM.match(text[a:b]) or text[a - 1 : a] in " \t" for a, b in block.lines
        ) else "text"
    return Paragraph(s, e, text[s:e], kind)


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
    if len(b0.lines) > 2 or len(title) > 150 or title[-1] in ".,;" or cands[0] and cands[0][1] == 0:
        return fields, meta, 0
    if len(blocks) == 1:
        return fields, meta, 0
    fields["title"] = title
    meta.append((_Block([b0.lines[0]]), "title"))
    rest = b0.lines[1:]
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
            meta.append((_Block([pool[0]]), "byline"))
            pool = pool[1:]
        if pool and len(pool) == 1:
            s2, e2 = pool[0]
            fields["subtitle"] = text[s2:e2]
            meta.append((_Block(pool), "subtitle"))
            pool = []
        if pool:  # more lines: they are body text of the lead
            meta.append((_Block(pool), "text"))
    return fields, meta, i


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
    cands = _classify(text, blocks)
    fields: dict = {}
    meta: list[tuple[_Block, str]] = []
    first = 0
    if gut_start is None:
        fields, meta, first = _header(text, blocks, cands)
    keep = _confirm(text, blocks, cands, first)
    heads = [i for i in range(first, len(blocks)) if keep[i]]
    levels = _levels([cands[i][0] for i in heads])  # type: ignore[index]

    lead_paras = [Paragraph(b.start, b.end, text[b.start : b.end], "meta") for b in front_blocks]
    lead_paras += [Paragraph(b.start, b.end, text[b.start : b.end], "meta") for b, k in meta if k != "text"]
    lead_paras += [_make_paragraph(text, b, "text") for b, k in meta if k == "text"]
    first_head = heads[0] if heads else len(blocks)
    lead_paras += [_make_paragraph(text, b) for b in blocks[first:first_head]]
    lead_paras.sort(key=lambda p: p.start)

    sections: list[Section] = []
    stack: list[tuple[int, int]] = []  # (level, index)
    for k, bi in enumerate(heads):
        b = blocks[bi]
        level = levels[cands[bi][0]]  # type: ignore[index]
        nxt = heads[k + 1] if k + 1 < len(heads) else len(blocks)
        paras = tuple(_make_paragraph(text, blocks[j]) for j in range(bi + 1, nxt))
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        idx = k + 1
        stack.append((level, idx))
        hs, he = b.lines[0]
        sections.append(
            Section(idx, level, text[hs:he].strip(), b.start, 0, b.start, b.end, parent, paras)
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
