"""Passages: the units a hit falls in, merged, and ranked with BM25.

A hit belongs to the *units* it overlaps: sentences of prose paragraphs (or whole
paragraphs with ``unit="paragraph"``), non-prose blocks (lists, code, title...)
and heading lines. Matching units grow by ``context`` sentences inside their
paragraph, and units that overlap or touch are merged into one passage.
:class:`_Acc` gathers passages, per-file figures and BM25 statistics over many
documents (and what a second process found) into a :class:`SearchResult`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator

from ..errors import UsageError
from ..model import Document, Section
from ..record import field, record
from ..segment import merge_spans
from .query import Query, find_hits
from .suggest import suggest



# ---------------------------------------------------------------- results
@record(frozen=True)
class Passage:
    """A passage that matches: ``source[start:end] == text``.

    Attributes:
        path: the document's display path (``<bundled>`` for the bundled article).
        section_index: 1-based section number; 0 for the lead, -1 for back matter.
        section_title: the section heading ("" for lead and back matter).
        start: offset of the passage in the source.
        end: offset after the passage.
        text: the passage text.
        hits: ``[start, end)`` source offsets of the matches inside the passage.
        score: BM25 relevance when ranked, else None.
    """

    path: str
    section_index: int
    section_title: str
    start: int
    end: int
    text: str
    hits: tuple[tuple[int, int], ...]
    score: float | None = None
    tf: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict:
        """The JSON object of ``brief search --json``."""
        d = {
            "type": "passage",
            "path": self.path,
            "section": {"index": self.section_index, "title": self.section_title},
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "hits": [[s, e] for s, e in self.hits],
        }
        if self.score is not None:
            d["score"] = round(self.score, 4)
        return d


@record(frozen=True)
class FileMatch:
    """Per-file figures: matching passages and hits."""

    path: str
    passages: int
    hits: int

    def to_dict(self) -> dict:
        """JSON object for ``--count`` / ``--files-with-matches``."""
        return {"type": "file", "path": self.path, "passages": self.passages, "hits": self.hits}


@record(frozen=True)
class SearchResult:
    """What a search found.

    Attributes:
        terms: the terms as given.
        passages: the passages, in document order or by score (``rank``), capped by ``max``.
        files: the files with at least one matching passage, in search order.
        total_passages: matching passages before the ``max`` cap.
        total_hits: hits inside matching passages, all files.
        searched: number of documents searched.
        errors: ``(path, message)`` for inputs that could not be read.
        suggestions: close words from the documents when nothing matched.
        mode: ``passages``, ``count`` (``--count``: no passages kept) or
            ``files`` (``-l``: each file read up to its first match).
    """

    terms: tuple[str, ...]
    passages: tuple[Passage, ...] = ()
    files: tuple[FileMatch, ...] = ()
    total_passages: int = 0
    total_hits: int = 0
    searched: int = 0
    errors: tuple[tuple[str, str], ...] = ()
    suggestions: tuple[str, ...] = ()
    mode: str = "passages"

    @property
    def found(self) -> bool:
        """True when at least one passage matched."""
        return self.total_passages > 0

    def records(self) -> list[dict]:
        """Every object ``--json`` prints, in order: one per passage (one per file
        with ``--count``/``-l``), then the summary (:meth:`to_dict`)."""
        if self.mode == "passages":
            out = [p.to_dict() for p in self.passages]
        elif self.mode == "count":
            out = [f.to_dict() for f in self.files]
        else:
            out = [{"type": "file", "path": f.path} for f in self.files]
        out.append(self.to_dict())
        return out

    def to_dict(self, counted: bool | None = None) -> dict:
        """The final summary object of ``--json``; ``counted`` False (``-l``, which
        stops at each file's first match: the default in ``files`` mode) gives
        null passages and hits."""
        if counted is None:
            counted = self.mode != "files"
        return {
            "type": "summary",
            "terms": list(self.terms),
            "passages": self.total_passages if counted else None,
            "shown": len(self.passages),
            "hits": self.total_hits if counted else None,
            "files_searched": self.searched,
            "files_matched": len(self.files),
            "errors": [{"path": p, "message": m} for p, m in self.errors],
            "suggestions": list(self.suggestions),
        }

    def no_match_message(self) -> tuple[str, str | None]:
        """The one-line message (and hint) for a search that found nothing."""
        terms = " ".join(f'"{t}"' for t in self.terms)
        where = f"{self.searched} files" if self.searched != 1 else "the document"
        msg = f"no match for {terms} in {where}"
        if self.suggestions:
            return msg, "did you mean: " + ", ".join(self.suggestions) + "?"
        return msg, None


# ---------------------------------------------------------------- units & passages
@record(slots=True)
class _Block:
    start: int
    end: int
    section: Section
    para: object  # the Paragraph, or None for a heading line


def _doc_blocks(doc: Document, sections: Iterable[Section] | None) -> list[_Block]:
    """Heading lines and paragraphs, in source order: passages never cross them."""
    blocks: list[_Block] = []
    secs = list(sections) if sections is not None else list(doc.all_sections())
    src = doc.source
    for sec in secs:
        if sec.kind == "section" and sec.heading_end > sec.heading_start:
            hs, he = sec.heading_start, sec.heading_end
            while hs < he and src[hs].isspace():
                hs += 1
            while he > hs and src[he - 1].isspace():
                he -= 1
            if he > hs:
                blocks.append(_Block(hs, he, sec, None))
        for p in sec.paragraphs:
            blocks.append(_Block(p.start, p.end, sec, p))
    blocks.sort(key=lambda b: b.start)
    return blocks


def _block_units(b: _Block, unit: str) -> list[tuple[int, int]]:
    p = b.para
    if p is not None and unit == "sentence":
        sents = p.sentences  # type: ignore[attr-defined]
        if sents:
            return [(s.start, s.end) for s in sents]
    return [(b.start, b.end)]


@record
class _DocPassages:
    passages: list[Passage]
    hits: int
    n_units: int
    unit_chars: int
    df: list[int]


def _overlapping(spans: list[tuple[int, int]], starts: list[int], s: int, e: int) -> Iterator[tuple[int, int]]:
    """Spans (sorted, disjoint) overlapping ``[s, e)``."""
    j = bisect_left(starts, s)
    if j > 0 and spans[j - 1][1] > s:
        j -= 1
    while j < len(spans) and spans[j][0] < e:
        yield spans[j]
        j += 1


def _unit_ranges(
    units: list[tuple[int, int]],
    hits_by_term: list[list[tuple[int, int]]],
    term_starts: list[list[int]],
    any_term: bool,
    unit: str,
    context: int,
    df: list[int],
) -> tuple[list[list[int]], list[list[int]]]:
    """Matching units of one block, grown by ``context`` and merged when they
    overlap or touch: ``([[lo, hi], ...], term frequencies per unit)``. ``df`` is
    updated with the units that hold each term."""
    nterms = len(hits_by_term)
    full = (1 << nterms) - 1
    tfs: list[list[int]] = []
    ranges: list[list[int]] = []
    for ui, (us, ue) in enumerate(units):
        tf = [sum(1 for _ in _overlapping(hits_by_term[t], term_starts[t], us, ue)) for t in range(nterms)]
        tfs.append(tf)
        mask = 0
        for t in range(nterms):
            if tf[t]:
                mask |= 1 << t
                df[t] += 1
        if not mask or not (any_term or mask == full):
            continue
        lo, hi = ui, ui
        if unit == "sentence" and context:
            lo, hi = max(0, ui - context), min(len(units) - 1, ui + context)
        if ranges and lo <= ranges[-1][1] + 1:
            ranges[-1][1] = max(ranges[-1][1], hi)
        else:
            ranges.append([lo, hi])
    return ranges, tfs


def _passages(
    doc: Document,
    query: Query,
    hits_by_term: list[list[tuple[int, int]]],
    *,
    unit: str,
    context: int,
    sections: Iterable[Section] | None,
    stats: bool = False,
) -> _DocPassages:
    blocks = _doc_blocks(doc, sections)
    bstarts = [b.start for b in blocks]
    nterms = len(query.terms)
    term_starts = [[h[0] for h in spans] for spans in hits_by_term]
    # blocks touched by at least one hit
    touched: set[int] = set()
    for spans in hits_by_term:
        for s, e in spans:
            i = bisect_right(bstarts, s) - 1
            if i < 0 or blocks[i].end <= s:
                i += 1
            while i < len(blocks) and blocks[i].start < e:
                touched.add(i)
                i += 1
    all_hits = merge_spans(sorted(h for spans in hits_by_term for h in spans))
    hit_starts = [h[0] for h in all_hits]
    df = [0] * nterms
    out: list[Passage] = []
    total_hits = 0
    src = doc.source
    path = doc.display_path
    for bi in sorted(touched):
        b = blocks[bi]
        units = _block_units(b, unit)
        ranges, tfs = _unit_ranges(units, hits_by_term, term_starts, query.any_term, unit, context, df)
        for lo, hi in ranges:
            s, e = units[lo][0], units[hi][1]
            hs = tuple((max(a, s), min(c, e)) for a, c in _overlapping(all_hits, hit_starts, s, e))
            tf = [sum(tfs[k][t] for k in range(lo, hi + 1)) for t in range(nterms)]
            sec = b.section
            total_hits += len(hs)
            out.append(Passage(path, sec.index, sec.title, s, e, src[s:e], hs, None, tuple(tf)))
    n_units = unit_chars = 0
    if stats:
        for b in blocks:
            for us, ue in _block_units(b, unit):
                n_units += 1
                unit_chars += ue - us
    return _DocPassages(out, total_hits, n_units, unit_chars, df)


def _bm25(passages: list[Passage], n_units: int, unit_chars: int, df: list[int], k1: float = 1.2, b: float = 0.75) -> list[Passage]:
    """Score passages with BM25 (terms = query terms, documents = units) and sort them."""
    if not passages:
        return passages
    avg = unit_chars / max(1, n_units)
    idf = [math.log((n_units - d + 0.5) / (d + 0.5) + 1.0) for d in df]
    scored = []
    for p in passages:
        length = p.end - p.start
        norm = k1 * (1 - b + b * length / max(avg, 1.0))
        score = sum(idf[t] * tf * (k1 + 1) / (tf + norm) for t, tf in enumerate(p.tf) if tf)
        scored.append(Passage(p.path, p.section_index, p.section_title, p.start, p.end, p.text, p.hits, score, p.tf))
    order = sorted(range(len(scored)), key=lambda i: -scored[i].score)  # stable: ties keep document order
    return [scored[i] for i in order]


def search_document(
    doc: Document,
    query: Query,
    *,
    unit: str = "sentence",
    context: int = 0,
    section: str | None = None,
    rank: bool = False,
    max_passages: int | None = None,
) -> SearchResult:
    """Search one loaded document.

    Args:
        doc: the document.
        query: from :func:`compile_query`.
        unit: ``sentence`` or ``paragraph``.
        context: sentences of context on each side of a matching sentence.
        section: limit to these sections (a selector as in ``brief show``).
        rank: order by BM25 relevance instead of document order.
        max_passages: keep at most this many passages.

    Example:
        >>> from osce_brief import parse
        >>> doc = parse("Title\\n\\nWe negotiated. They talked. Negotiations ended.\\n")
        >>> [p.text for p in search_document(doc, compile_query(["negotiate"])).passages]
        ['We negotiated.', 'Negotiations ended.']
    """
    return _search_docs([(doc, None)], query, unit=unit, context=context, section=section, rank=rank,
                        max_passages=max_passages)


def search_documents(
    docs: Iterable[Document],
    query: Query,
    *,
    unit: str = "sentence",
    context: int = 0,
    section: str | None = None,
    rank: bool = False,
    max_passages: int | None = None,
) -> SearchResult:
    """Search loaded documents together (one ranking, one total), as :func:`search`
    does files. Options as in :func:`search_document`."""
    return _search_docs([(doc, None) for doc in docs], query, unit=unit, context=context, section=section,
                        rank=rank, max_passages=max_passages)


def _check_options(unit: str, context: int, max_passages: int | None) -> None:
    if unit not in ("sentence", "paragraph"):
        raise UsageError(f"unknown unit {unit!r}", "use --unit sentence or --unit paragraph")
    if context < 0:
        raise UsageError("context must be 0 or more", "give -C 1 for one sentence each side")
    if max_passages is not None and max_passages < 1:
        raise UsageError("--max must be 1 or more", "give --max 10, or leave it out")


def _sections_for(doc: Document, spec: str | None) -> list[Section] | None:
    if spec is None:
        return None
    from ..select import select_with_children

    return select_with_children(doc, spec)


def _search_docs(docs, query, *, unit, context, section, rank, max_passages) -> SearchResult:
    _check_options(unit, context, max_passages)
    acc = _Acc(query, unit, context, section, rank)
    for doc, hits in docs:
        acc.add_doc(doc, hits)
    return acc.result(rank, max_passages)


#: Text kept for "did you mean" suggestions when nothing matches (characters or bytes).
VOCAB_CHARS = 4_000_000


class _Acc:
    """Accumulates passages and BM25 statistics over documents."""

    def __init__(self, query: Query, unit: str, context: int, section: str | None, rank: bool = False) -> None:
        self.query, self.unit, self.context, self.section = query, unit, context, section
        self.rank = rank
        self.passages: list[Passage] = []
        self.files: list[FileMatch] = []
        self.n_units = 0
        self.unit_chars = 0
        self.df = [0] * len(query.terms)
        self.hits = 0
        self.searched = 0
        self.errors: list[tuple[str, str]] = []
        self.vocab_texts: list[str | bytes] = []
        self.vocab_chars = 0
        self.extra_passages = 0  # counted without building passages (streamed files)

    def note_text(self, text: str | bytes) -> None:
        """Keep some text (or UTF-8 bytes, decoded when needed) for "did you mean" suggestions."""
        if self.vocab_chars < VOCAB_CHARS:
            self.vocab_texts.append(text)
            self.vocab_chars += len(text)

    def add_doc(self, doc: Document, hits: list[list[tuple[int, int]]] | None = None) -> None:
        self.searched += 1
        if hits is None:
            hits = find_hits(self.query, doc.source)
        secs = _sections_for(doc, self.section)
        dp = _passages(doc, self.query, hits, unit=self.unit, context=self.context, sections=secs, stats=self.rank)
        self.n_units += dp.n_units
        self.unit_chars += dp.unit_chars
        self.df = [a + b for a, b in zip(self.df, dp.df)]
        if dp.passages:
            self.passages.extend(dp.passages)
            self.hits += dp.hits
            self.files.append(FileMatch(doc.display_path, len(dp.passages), dp.hits))
        else:
            self.note_text(doc.source)

    def state(self) -> dict:
        """What a second process sends back (see :mod:`osce_brief.parallel`)."""
        found = bool(self.passages) or self.extra_passages > 0
        return {
            "passages": self.passages, "files": self.files, "n_units": self.n_units, "unit_chars": self.unit_chars,
            "df": self.df, "hits": self.hits, "searched": self.searched, "errors": self.errors,
            "extra_passages": self.extra_passages,
            "vocab_texts": [] if found else self.vocab_texts,  # needed only when nothing matched anywhere
        }

    def merge(self, got: dict) -> None:
        """Add what a second process found (its :meth:`state`), after this process's own files."""
        self.passages.extend(got["passages"])
        self.files.extend(got["files"])
        self.n_units += got["n_units"]
        self.unit_chars += got["unit_chars"]
        self.df = [a + b for a, b in zip(self.df, got["df"])]
        self.hits += got["hits"]
        self.searched += got["searched"]
        self.errors.extend(got["errors"])
        self.extra_passages += got["extra_passages"]
        for t in got["vocab_texts"]:
            self.note_text(t)

    def add_count(self, path: str, passages: int, hits: int, n_units: int = 0) -> None:
        self.searched += 1
        self.n_units += n_units
        if passages:
            self.extra_passages += passages
            self.hits += hits
            self.files.append(FileMatch(path, passages, hits))

    def result(self, rank: bool, max_passages: int | None) -> SearchResult:
        ps = self.passages
        if rank:
            ps = _bm25(ps, self.n_units, self.unit_chars, self.df)
        total = len(ps) + self.extra_passages
        if max_passages is not None:
            ps = ps[:max_passages]
        suggestions: tuple[str, ...] = ()
        if total == 0 and self.vocab_texts:
            texts = (t.decode("utf-8", "replace") if isinstance(t, bytes) else t for t in self.vocab_texts)
            suggestions = tuple(suggest(self.query, texts))
        return SearchResult(
            tuple(self.query.labels), tuple(ps), tuple(self.files), total, self.hits, self.searched,
            tuple(self.errors), suggestions,
        )
