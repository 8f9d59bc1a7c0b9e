"""Section selectors: ``3``, ``2-4``, ``1,3``, ``all``, ``lead`` (or ``0``) or heading words.

``0`` and ``lead`` name the lead: the text before the first heading, the row
that ``brief outline`` prints as "(lead)". Heading words match a heading when
each word starts one of its words; an exact heading wins, and so does a heading
that the selector begins exactly up to a word or punctuation boundary
(``fs.open`` picks ``fs.open(path[, flags[, mode]], callback)``, not
``fs.openAsBlob(path)`` or ``fs.opendir(path)``) when exactly one does.

Pure functions over a :class:`~osce_brief.model.Document`; errors are typed and say
how to fix the selector.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from .errors import SectionError
from .model import Document, Section
from .record import record

_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-|\.\.)\s*(-?\d+)\s*$")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.casefold().replace("\u2019", "'")


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", _fold(s))


def _range_hint(doc: Document) -> str:
    n = len(doc.sections)
    if n == 0:
        return "this article has no headings; use `brief show all`"
    return f"this article has sections 1-{n} (try `brief outline`)"


def _number(doc: Document, value: int) -> Section:
    if value == 0:
        return lead_section(doc)
    if not doc.sections:
        raise SectionError(f"no section {value}", _range_hint(doc))
    if value < 1 or value > len(doc.sections):
        raise SectionError(f"no section {value}", _range_hint(doc))
    return doc.sections[value - 1]


def has_lead(doc: Document) -> bool:
    """True when the document has lead text: what the outline lists as "(lead)"
    (text before the first heading, beyond the title and byline)."""
    return doc.lead is not None and any(p.kind != "meta" and p.text.split() for p in doc.lead.paragraphs)


def lead_section(doc: Document) -> Section:
    """The lead (``show 0`` / ``show lead``), when the outline lists one.

    Raises:
        SectionError: the document has no text before its first heading (or
            only its title and byline).
    """
    if has_lead(doc):
        return doc.lead  # type: ignore[return-value]
    what = "no text before its first heading" if doc.sections else "no headings"
    hint = "sections start at 1 (try `brief outline`)" if doc.sections else "use `brief show all`"
    if doc.lead is not None and doc.lead.paragraphs:
        what = "only a title and byline before its first heading"
    raise SectionError(f"no lead: this document has {what}", hint)


_BOUNDARY_OK = re.compile(r"\W")


def _squash(s: str) -> str:
    """A folded heading or selector for prefix matching: no leading markup
    (backticks, quotes, bullets), single spaces."""
    return re.sub(r"\s+", " ", _fold(s)).lstrip("`*_\"'“‘([{<#>-+ ").rstrip()


def _prefix_hits(doc: Document, query: str) -> list[Section]:
    """Headings that ``query`` begins exactly, up to a word or punctuation boundary."""
    q = _squash(query)
    if not q:
        return []
    out = []
    for s in doc.sections:
        t = _squash(s.title)
        if t.startswith(q) and (len(t) == len(q) or _BOUNDARY_OK.match(t, len(q)) or _BOUNDARY_OK.match(q, len(q) - 1)):
            out.append(s)
    return out


def match_words(doc: Document, query: str) -> Section:
    """The one section whose heading matches ``query`` (case-, accent-insensitive).

    Each query word must start a word of the heading (``expert`` matches "Expert
    Opinions and Analysis"); an exact heading wins over partial matches.

    Raises:
        SectionError: nothing matches (with close headings suggested) or several do.
    """
    q = _words(query)
    if not q:
        raise SectionError(f"empty section selector {query!r}", "give a number, a range like 2-4, or heading words")
    exact = [s for s in doc.sections if _words(s.title) == q]
    if len(exact) == 1:
        return exact[0]
    prefix = _prefix_hits(doc, query)
    if len(prefix) == 1:
        return prefix[0]
    hits = []
    for s in doc.sections:
        tw = _words(s.title)
        if all(any(w.startswith(x) for w in tw) for x in q):
            hits.append(s)
    if not hits:  # forgiving: substring of the folded title
        fq = " ".join(q)
        hits = [s for s in doc.sections if fq in " ".join(_words(s.title))]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        shown = "; ".join(f"{s.index} {s.title}" for s in hits[:8])
        more = f" and {len(hits) - 8} more" if len(hits) > 8 else ""
        raise SectionError(
            f"{query!r} matches {len(hits)} sections: {shown}{more}",
            "give more words or the section number",
        )
    titles = {" ".join(_words(s.title)): s for s in doc.sections}
    close = difflib.get_close_matches(" ".join(q), list(titles), n=3, cutoff=0.5)
    if not close:  # try word by word
        vocab = {w for s in doc.sections for w in _words(s.title)}
        close_words = [m for x in q for m in difflib.get_close_matches(x, vocab, n=1, cutoff=0.75)]
        close = [t for t in titles if close_words and all(w in t.split() for w in close_words)]
    if close:
        sugg = ", ".join(f"{titles[c].index} {titles[c].title!r}" for c in close[:3])
        raise SectionError(f"no section matches {query!r}", f"did you mean {sugg}?")
    raise SectionError(f"no section matches {query!r}", _range_hint(doc))


def select_sections(doc: Document, spec: str) -> list[Section]:
    """Resolve a selector to sections, in the order asked, without repeats.

    Args:
        doc: the document.
        spec: ``all``, ``lead`` (or ``0``), ``N``, ``A-B``, a comma list of those,
            or heading words.

    Returns:
        The selected sections. ``all`` is the lead (title, byline and any text
        before the first heading), every numbered section and nothing of the
        back matter (a licence footer). ``0`` or ``lead`` is the lead alone, as
        the outline's "(lead)" row; a range from 0 (``0-2``) starts with it.

    Raises:
        SectionError: out of range, empty range, no match or an ambiguous match.
    """
    spec = spec.strip()
    low = spec.lower()
    if low in ("all", "*"):
        return ([doc.lead] if doc.lead is not None else []) + list(doc.sections)
    if low == "lead" and not any(_words(s.title) == ["lead"] for s in doc.sections):
        return [lead_section(doc)]
    if low == "intro" and has_lead(doc) and not _heading_starts(doc, "intro"):
        return [doc.lead]  # type: ignore[list-item]
    parts = [p for p in spec.split(",")] if re.fullmatch(r"[\d\s,.-]+", spec) else [spec]
    out: list[Section] = []
    seen: set[int] = set()
    for part in parts:
        part = part.strip()
        if not part:
            raise SectionError(f"empty item in section list {spec!r}", "write numbers like 1,3 or 2-4")
        m = _RANGE.match(part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b:
                raise SectionError(f"empty range {part}", f"write the lower number first, e.g. {b}-{a}")
            first = _number(doc, a)
            _number(doc, b)
            chosen = ([first] if a == 0 else []) + list(doc.sections[max(a, 1) - 1 : b])
        elif re.fullmatch(r"[+-]?\d+", part):
            chosen = [_number(doc, int(part))]
        else:
            chosen = [match_words(doc, part)]
        for s in chosen:
            if s.index not in seen:
                seen.add(s.index)
                out.append(s)
    return out


def with_children(doc: Document, section: Section) -> list[Section]:
    """``section`` followed by its nested subsections (deeper levels right after it)."""
    if section.index < 1:
        return [section]
    out = [section]
    secs = doc.sections
    for i in range(section.index, len(secs)):  # no slice: a slice per section is quadratic
        if secs[i].level <= section.level:
            break
        out.append(secs[i])
    return out


def _heading_starts(doc: Document, word: str) -> bool:
    """True when some heading has a word starting with ``word``."""
    return any(w.startswith(word) for s in doc.sections for w in _words(s.title))


def select_with_children(doc: Document, spec: str) -> list[Section]:
    """:func:`select_sections`, each section followed by its subsections, no repeats.

    This is what ``show``, ``summary --section`` and ``search --section`` read.
    """
    out: list[Section] = []
    seen: set[int] = set()
    for s in select_sections(doc, spec):
        for c in with_children(doc, s):
            if c.index not in seen:
                seen.add(c.index)
                out.append(c)
    return out


@record(frozen=True)
class SectionText:
    """One selected section as ``brief show --json`` prints it: ``text`` is
    ``source[start:end]``, heading included."""

    index: int
    level: int
    title: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        """``{index, level, title, start, end, text}``."""
        return {"index": self.index, "level": self.level, "title": self.title, "start": self.start,
                "end": self.end, "text": self.text}


@record(frozen=True)
class Selection:
    """What a SECTION selector chose, in the order asked: ``brief show --json``.

    Attributes:
        path: the document's display path.
        sections: the sections with their text (index 0 is the lead).
    """

    path: str
    sections: tuple[SectionText, ...]

    def to_dict(self) -> dict:
        """``{path, sections: [{index, level, title, start, end, text}, ...]}``."""
        return {"path": self.path, "sections": [s.to_dict() for s in self.sections]}

    def in_document(self, doc: Document) -> list[Section]:
        """The model's :class:`~osce_brief.model.Section` objects of this selection
        in ``doc`` (the document it was made from), e.g. to render them."""
        by_index = {s.index: s for s in doc.all_sections()}
        return [by_index[s.index] for s in self.sections]


def selection(doc: Document, spec: str, children: bool = True) -> Selection:
    """Resolve ``spec`` (see :func:`select_sections`) to a :class:`Selection`.

    Args:
        children: each section followed by its subsections (what ``show`` reads).

    Example:
        >>> from osce_brief import load
        >>> [s.index for s in selection(load(), "2-3").sections]
        [2, 3]
    """
    chosen = select_with_children(doc, spec) if children else select_sections(doc, spec)
    src = doc.source
    return Selection(doc.display_path, tuple(
        SectionText(s.index, s.level, s.title, s.start, s.end, src[s.start : s.end]) for s in chosen
    ))
