"""Passages: the units a hit falls in, merged, and ranked with BM25.

A hit belongs to the *units* it overlaps: sentences of prose paragraphs (or whole
paragraphs with ``unit="paragraph"``), non-prose blocks (lists, code, title...)
and heading lines. Matching units grow by ``context`` sentences inside their
paragraph, and units that overlap or touch are merged into one passage.

Markdown is searched as a reader sees it: each list item (and quote paragraph)
is a block of its own, code blocks and tables are searched by lines and rows,
link definitions and HTML comments are never passages, and a hit that lies
wholly in markup (a link's URL, an HTML tag) does not count. Passages carry the
displayed text (``shown``) with the hits mapped onto it.
:class:`_Acc` gathers passages, per-file figures and BM25 statistics over many
documents (and what a second process found) into a :class:`SearchResult`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator

from ..errors import UsageError
from ..model import HIDDEN_KINDS, Document, Section
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
        shown: the passage as displayed (Markdown markup rendered), or None
            when it is displayed as in the source.
        shown_hits: the hits as ``[start, end)`` offsets into ``shown``.
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
    shown: str | None = field(default=None, compare=False, repr=False)
    shown_hits: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict:
        """The JSON object of ``brief search --json`` (``shown`` only when the
        displayed text differs from ``text``)."""
        d = {
            "type": "passage",
            "path": self.path,
            "section": {"index": self.section_index, "title": self.section_title},
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "hits": [[s, e] for s, e in self.hits],
        }
        if self.shown is not None and self.shown != self.text:
            d["shown"] = self.shown
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
    """Heading lines and paragraphs (Markdown: their parts), in source order:
    passages never cross them."""
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
            if p.markup is None:
                blocks.append(_Block(p.start, p.end, sec, p))
                continue
            for q in p.parts:
                if q.kind not in HIDDEN_KINDS and q.kind != "rule":
                    blocks.append(_Block(q.start, q.end, sec, q))
    blocks.sort(key=lambda b: b.start)
    return blocks


def _block_units(b: _Block, unit: str) -> list[tuple[int, int]]:
    p = b.para
    if p is not None and p.markup is not None:  # type: ignore[attr-defined]
        return p.units(unit)  # type: ignore[attr-defined]
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
) -> tuple[list[list[int]], list[dict[int, int]]]:
    """Matching units of one block, grown by ``context`` and merged when they
    overlap or touch: ``([[lo, hi], ...], per term {unit index: hits})`` (units
    without hits left out). ``df`` is updated with the units that hold each term.
    A merge that would make a passage longer than :data:`MAX_PASSAGE_CHARS`
    starts a new passage instead (lines of a long code block that all match).

    Only the units that hits fall in are visited, so a block of a million lines
    (a code block searched line by line) with a few hits costs a few bisections.
    """
    nterms = len(hits_by_term)
    full = (1 << nterms) - 1
    if not units:
        return [], [{} for _ in range(nterms)]
    ustarts = [u[0] for u in units]
    nunits = len(units)
    lo_off, hi_off = units[0][0], units[-1][1]
    tfs: list[dict[int, int]] = []
    for t in range(nterms):
        spans, starts = hits_by_term[t], term_starts[t]
        tf: dict[int, int] = {}
        k = bisect_left(starts, lo_off)
        if k > 0 and spans[k - 1][1] > lo_off:
            k -= 1
        stop = bisect_left(starts, hi_off, k)
        j = 0
        for s, e in spans[k:stop]:
            if j < nunits and units[j][1] <= s:
                j = bisect_right(ustarts, s, j) - 1
                if j < 0 or units[j][1] <= s:
                    j += 1
            m = j
            while m < nunits and units[m][0] < e:
                tf[m] = tf.get(m, 0) + 1
                m += 1
        df[t] += len(tf)
        tfs.append(tf)
    matched = sorted(set().union(*tfs)) if nterms > 1 else sorted(tfs[0])
    ranges: list[list[int]] = []
    for ui in matched:
        if not any_term and nterms > 1:
            mask = 0
            for t in range(nterms):
                if ui in tfs[t]:
                    mask |= 1 << t
            if mask != full:
                continue
        lo, hi = ui, ui
        if unit == "sentence" and context:
            lo, hi = max(0, ui - context), min(nunits - 1, ui + context)
        if ranges and lo <= ranges[-1][1] + 1:
            if units[hi][1] - units[ranges[-1][0]][0] <= MAX_PASSAGE_CHARS or ranges[-1][1] >= hi:
                ranges[-1][1] = max(ranges[-1][1], hi)
                continue
            lo = ranges[-1][1] + 1
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
    if doc.markup is not None:
        hits_by_term = _shown_hits_only(doc, blocks, bstarts, hits_by_term)
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
            tf = [sum(tfs[t].get(k, 0) for k in range(lo, hi + 1)) for t in range(nterms)]
            sec = b.section
            total_hits += len(hs)
            shown, shown_hits = None, ()
            if doc.markup is not None:
                shown, shown_hits = _shown(doc, b, s, e, hs)
            out.append(Passage(path, sec.index, sec.title, s, e, src[s:e], hs, None, tuple(tf), shown, shown_hits))
    n_units = unit_chars = 0
    if stats:
        for b in blocks:
            for us, ue in _block_units(b, unit):
                n_units += 1
                unit_chars += ue - us
    return _DocPassages(out, total_hits, n_units, unit_chars, df)


def _block_view(doc: Document, b: _Block, s: int, e: int):
    """The displayed text of ``source[s:e]`` in block ``b`` (None: as in the source)."""
    if b.para is None:
        return doc.markup.heading_view(b.start, b.end)  # type: ignore[attr-defined]
    return b.para.view_span(s, e)  # type: ignore[attr-defined]


def _shown_hits_only(doc: Document, blocks: list[_Block], bstarts: list[int],
                     hits_by_term: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Markdown: the hits a reader can see (not inside a link target, a tag, a
    link definition, a comment or fence markers). Hits are taken block by block;
    in a code block every hit between its fence lines is seen."""
    checks: dict[int, object] = {}

    def check(i: int):
        b = blocks[i]
        p = b.para
        v = doc.markup.heading_view(b.start, b.end) if p is None else p.shown  # type: ignore[attr-defined]
        if v is not None:  # prose: seen when it maps onto displayed characters
            return lambda s, e: (lambda a, c: c > a)(*v.shown_span(s, e))
        if p.kind == "text":  # plain prose: all of it is seen
            return (b.start, b.end)
        units = _block_units(b, "sentence")  # code lines (fences left out), table rows, HTML elements
        ustarts = [u[0] for u in units]
        plain_table = p.kind == "table" and not p.markup.has_markup(p)  # type: ignore[union-attr]
        if plain_table or (p.kind not in ("table", "html") and not (p.kind == "meta" and p.markup is not None)):  # type: ignore[union-attr]
            return (units[0][0], units[-1][1]) if units else (0, 0)
        views: dict[tuple[int, int], object] = {}

        def seen(s: int, e: int) -> bool:
            for u in _overlapping(units, ustarts, s, e):
                uv = views.get(u)
                if u not in views:
                    uv = views[u] = p.view_span(*u)  # type: ignore[union-attr]
                if uv is None:
                    return True
                a, c = uv.shown_span(s, e)  # type: ignore[attr-defined]
                if c > a:
                    return True
            return False

        return seen

    out = []
    for spans in hits_by_term:
        starts = [h[0] for h in spans]
        kept: list[tuple[int, int]] = []
        k, n = 0, len(spans)
        while k < n:
            s = starts[k]
            i = bisect_right(bstarts, s) - 1
            if i < 0 or blocks[i].end <= s:
                nxt = bstarts[i + 1] if i + 1 < len(blocks) else None
                k = n if nxt is None else max(k + 1, bisect_left(starts, nxt, k))
                continue
            k2 = bisect_left(starts, blocks[i].end, k)
            f = checks.get(i)
            if f is None:
                f = checks[i] = check(i)
            if isinstance(f, tuple):
                lo, hi = f
                a = bisect_left(starts, hi, k, k2)
                j = k
                while j < a and spans[j][1] <= lo:
                    j += 1
                kept.extend(spans[j:a])
            else:
                kept.extend(h for h in spans[k:k2] if f(*h))
            k = k2
        out.append(kept)
    return out


def _shown(doc: Document, b: _Block, s: int, e: int, hits) -> tuple[str | None, tuple[tuple[int, int], ...]]:
    """The displayed text of passage ``[s, e)`` and its hits mapped onto it."""
    v = _block_view(doc, b, s, e)
    if v is None:
        return None, ()
    mapped = []
    for hs, he in hits:
        a, c = v.shown_span(hs, he)
        if c > a:
            mapped.append((a, c))
    return v.text, tuple(mapped)


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
        scored.append(Passage(p.path, p.section_index, p.section_title, p.start, p.end, p.text, p.hits, score, p.tf,
                              p.shown, p.shown_hits))
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


#: Matching units next to each other are merged into one passage up to this size.
MAX_PASSAGE_CHARS = 2_500

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
