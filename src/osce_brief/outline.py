"""``brief outline``: the structure of a document as data.

Pure function :func:`outline` -> :class:`Outline`, a flat list of entries in
document order with levels, word counts and reading times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Document

#: Reading speed used for reading-time estimates (words per minute).
WORDS_PER_MINUTE = 238
#: Without --depth, at most this many rows are listed (a flat list of 50,000
#: headings is no outline); --depth or --json lists them all.
MAX_AUTO_ROWS = 200


def reading_minutes(words: int) -> float:
    """Minutes needed to read ``words`` words at :data:`WORDS_PER_MINUTE`."""
    return words / WORDS_PER_MINUTE


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """One heading of the outline."""

    index: int
    level: int
    title: str
    start: int
    end: int
    words: int
    parent: int | None
    children: int = 0

    def to_dict(self) -> dict:
        """JSON form: ``{index, level, title, start, end, words, parent}``."""
        return {
            "index": self.index,
            "level": self.level,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "words": self.words,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class Outline:
    """The outline of one document.

    Its JSON form (:meth:`to_dict`, what ``brief outline --json`` prints) is made
    of its fields, with :attr:`words` and :attr:`sections` as read-only names for
    :attr:`total_words` and the :meth:`visible` entries.

    Attributes:
        entries: every heading, in document order.
        depth: entries deeper than this are not shown (None: all).
        limit: at most this many rows are shown (None: all).
        hedged: ``{section index: share of hedged sentences, or None for a
            section without sentences}`` when asked for (``--hedges``), else None.
    """

    path: str
    title: str | None
    author: str | None
    subtitle: str | None
    meta: dict
    entries: list[OutlineEntry]
    lead_words: int
    total_words: int
    depth: int | None = None
    limit: int | None = None
    extra: dict = field(default_factory=dict)
    hedged: dict[int, float | None] | None = None

    @property
    def words(self) -> int:
        """Words of the whole document (the ``words`` of the JSON form)."""
        return self.total_words

    @property
    def sections(self) -> list[OutlineEntry]:
        """The entries shown (the ``sections`` of the JSON form): :meth:`visible`."""
        return self.visible()

    @property
    def max_level(self) -> int:
        """Deepest heading level present (0 when there are no headings)."""
        return max((e.level for e in self.entries), default=0)

    def visible(self) -> list[OutlineEntry]:
        """Entries down to :attr:`depth` (all when depth is None), at most :attr:`limit`."""
        rows = self.entries if self.depth is None else [e for e in self.entries if e.level <= self.depth]
        return rows[: self.limit] if self.limit is not None else rows

    def hidden_rows(self) -> int:
        """How many rows down to :attr:`depth` the :attr:`limit` cut off."""
        if self.limit is None:
            return 0
        rows = self.entries if self.depth is None else [e for e in self.entries if e.level <= self.depth]
        return max(0, len(rows) - self.limit)

    def to_dict(self) -> dict:
        """JSON form: ``{path, title, author, subtitle, meta, words, lead_words, sections: [...]}``;
        each section also has ``hedged`` (a share, or null) when :attr:`hedged` is set."""
        sections = [e.to_dict() for e in self.visible()]
        if self.hedged is not None:
            for d in sections:
                share = self.hedged.get(d["index"])
                d["hedged"] = round(share, 4) if share is not None else None
        return {
            "path": self.path,
            "title": self.title,
            "author": self.author,
            "subtitle": self.subtitle,
            "meta": self.meta,
            "words": self.total_words,
            "lead_words": self.lead_words,
            "sections": sections,
        }


def auto_depth(entries: list[OutlineEntry], max_rows: int = 60) -> int | None:
    """The deepest level whose entries fit in ``max_rows`` rows (None = all fit)."""
    if len(entries) <= max_rows:
        return None
    levels = sorted({e.level for e in entries})
    best = levels[0]
    for lv in levels:
        if sum(1 for e in entries if e.level <= lv) <= max_rows:
            best = lv
    return best


def outline(doc: Document, depth: int | None = None, auto: bool = False) -> Outline:
    """Build the outline of ``doc``.

    Args:
        doc: the document.
        depth: show headings down to this level (None = all).
        auto: when ``depth`` is None, collapse levels so that a book's outline
            stays about one screen long (see :func:`auto_depth`).

    Example:
        >>> from osce_brief import load
        >>> [e.title for e in outline(load()).entries][:1]
        ["High-Stakes Diplomacy: Lavrov and Blinken's Malta Meeting"]
    """
    # words of a section including its subsections, computed bottom-up
    own = [s.words for s in doc.sections]
    total = own[:]
    children = [0] * len(doc.sections)
    for s in reversed(doc.sections):
        if s.parent is not None:
            total[s.parent - 1] += total[s.index - 1]
            children[s.parent - 1] += 1
    entries = [
        OutlineEntry(s.index, s.level, s.title, s.start, s.end, total[s.index - 1], s.parent, children[s.index - 1])
        for s in doc.sections
    ]
    lead_words = sum(p.words for p in doc.lead.paragraphs if p.kind != "meta") if doc.lead else 0
    limit = None
    if depth is None and auto:
        depth = auto_depth(entries)
        shown = sum(1 for e in entries if depth is None or e.level <= depth)
        limit = MAX_AUTO_ROWS if shown > MAX_AUTO_ROWS else None
    meta = dict(doc.meta)
    return Outline(
        path=doc.display_path,
        title=doc.title,
        author=doc.author,
        subtitle=doc.subtitle,
        meta=meta,
        entries=entries,
        lead_words=lead_words,
        total_words=lead_words + sum(own),
        depth=depth,
        limit=limit,
    )
