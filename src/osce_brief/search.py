"""Search: passages (sentences or paragraphs) that match terms, in one article or many.

Pipeline: terms -> :func:`compile_query` (a :class:`Query` of compiled matchers)
-> hits in each document's source -> passages -> :class:`SearchResult`.

Matching rules:

* Case: smart by default (a capital letter in a term makes that term
  case-sensitive); ``case="sensitive"`` / ``"insensitive"`` override it.
* Accents, compatibility forms and curly quotes are folded on both sides
  (:mod:`osce_brief.textnorm`), so ``cafe`` finds ``café`` and ``don't`` finds
  ``don’t``. Hits are always offsets into the *original* source.
* A term is a literal phrase (its words may be split by any whitespace, line
  breaks included) or, with ``regex=True``, a Python regular expression.
* Word forms: unless ``exact=True``, a word of a term also finds every word with
  the same Snowball (English) stem: ``negotiate`` finds ``negotiations``.
* ``word=True`` keeps only whole-word matches.
* With several terms a passage must hold all of them (``any_term=True``: one).

A hit belongs to the *units* it overlaps: sentences of prose paragraphs (or whole
paragraphs with ``unit="paragraph"``), non-prose blocks (lists, code, title...)
and heading lines. Matching units grow by ``context`` sentences inside their
paragraph, and units that overlap or touch are merged into one passage.

Scale: many files are pre-screened on their bytes and only parsed when they
match; ``--count``/``-l`` on files over :data:`STREAM_THRESHOLD` stream through
the file (:func:`count_file`) and give the same figures as the full path;
counting thousands of files uses a second process on POSIX machines.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from bisect import bisect_left, bisect_right
from .record import field, record
from functools import lru_cache
from collections.abc import Callable, Iterable, Iterator, Sequence

from .segment import LIST_ITEM, merge_spans
from .errors import InputError, SectionError, UsageError
from .model import Document, Section
from .textnorm import Folded, fold, fold_str

#: File name endings searched inside directories.
SEARCH_EXTENSIONS = (".txt", ".md", ".markdown")
#: Files at least this big are counted (``--count`` / ``-l``) by streaming
#: through them in blocks, without building a Document.
STREAM_THRESHOLD = 24 * 1024 * 1024
_WORDISH = re.compile(r"[^\W\d_]+")
#: Between the words of a phrase: any whitespace with at most one line break
#: (a phrase never runs across a blank line, i.e. across paragraphs).
_GAP = r"(?:[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


# ---------------------------------------------------------------- stemming
_stemmer = None
_stem_cache: dict[str, str] = {}


def _load_stemmer():
    """Snowball's English stemmer, loaded without the package's 30 other languages."""
    global _stemmer
    if _stemmer is None:
        import importlib.util
        import types

        spec = importlib.util.find_spec("snowballstemmer")
        if spec is None or not spec.submodule_search_locations:  # pragma: no cover - dependency missing
            raise UsageError("word forms need the snowballstemmer package", "pip install snowballstemmer, or use --exact")
        name = "_osce_brief_snowball"
        pkg = sys.modules.get(name)
        if pkg is None:
            pkg = types.ModuleType(name)
            pkg.__path__ = list(spec.submodule_search_locations)  # type: ignore[attr-defined]
            sys.modules[name] = pkg
        import importlib

        mod = importlib.import_module(f"{name}.english_stemmer")
        _stemmer = mod.EnglishStemmer()
    return _stemmer


def stem(word: str) -> str:
    """The Snowball English stem of ``word`` (lowercased first), cached.

    Example:
        >>> stem("Negotiations") == stem("negotiated") == "negoti"
        True
    """
    w = word.lower()
    s = _stem_cache.get(w)
    if s is None:
        s = _load_stemmer().stemWord(w)
        _stem_cache[w] = s
    return s


def is_identifier(word: str) -> bool:
    """A mixed-case name such as PyPy, PyPI, iPhone or JavaScript: a capital after
    the first letter and a small letter somewhere. Such words are never stemmed
    (Snowball would make PyPy and PyPI one word)."""
    return not word.islower() and not word.isupper() and any(c.isupper() for c in word[1:])


def word_key(word: str) -> str:
    """What word forms compare by: the stem, or for an identifier (see
    :func:`is_identifier`) the word itself, marked so that it equals no stem."""
    return "\x00" + word.lower() if is_identifier(word) else stem(word)


def _stem_prefix(word_l: str, st: str) -> str:
    """A prefix that every word with stem ``st`` starts with (a little shorter than
    the common part of the word and its stem, since Snowball rewrites endings)."""
    n = 0
    while n < len(word_l) and n < len(st) and word_l[n] == st[n]:
        n += 1
    slack = 2 if n > 4 else 1 if n > 2 else 0
    return word_l[: max(1, n - slack)]


# ---------------------------------------------------------------- queries
@record(frozen=True)
class Term:
    """One compiled term.

    Attributes:
        text: the term as given.
        case_sensitive: the case rule that applies to it.
        literal: the pattern run on the folded text (substring, phrase or regex).
        stemmed: the word-form pattern, or None (``exact``, ``regex`` or no word).
        stems: for each group of ``stemmed``, the stem it must have (None = literal).
    """

    text: str
    case_sensitive: bool
    literal: re.Pattern
    stemmed: re.Pattern | None = None
    stems: tuple[str | None, ...] = ()
    regex: bool = False
    word: bool = False
    literal_lc: re.Pattern | None = None  # case-insensitive terms: the same patterns
    stemmed_lc: re.Pattern | None = None  # for lowercased ASCII text (fast literal scans)
    anchor: str | None = None  # ASCII text every hit holds once folded (lowercase if case-insensitive)

    def spans(self, folded: str, start: int = 0, end: int | None = None, lower: str | None = None,
              merge: bool = True) -> list[tuple[int, int]]:
        """Non-empty match spans in ``folded[start:end]``, sorted and merged
        (``merge`` False: each match as found, for a regex whose matches are
        checked one by one).

        ``lower`` may give ``folded.lower()``; case-insensitive ASCII terms then
        scan it with case-sensitive patterns, which is much faster.
        """
        end = len(folded) if end is None else end
        literal, stemmed = self.literal, self.stemmed
        cased = folded  # the words' own case (an identifier is never stemmed)
        if lower is not None and self.literal_lc is not None:
            folded, literal, stemmed = lower, self.literal_lc, self.stemmed_lc
        out = [(m.start(), m.end()) for m in literal.finditer(folded, start, end) if m.end() > m.start()]
        if not merge:
            return out
        if stemmed is not None:
            extra = []
            pat, stems, pos = stemmed, self.stems, start
            while True:
                m = pat.search(folded, pos, end)
                if m is None:
                    break
                s0 = m.start()
                if s0 > 0 and (folded[s0 - 1].isalnum() or folded[s0 - 1] == "_"):
                    pos = s0 + 1  # not at a word start (checked here so the pattern keeps a literal prefix)
                    continue
                pos = m.end()
                for g, st in enumerate(stems, 1):
                    if st is not None and word_key(cased[m.start(g) : m.end(g)]) != st:
                        break
                else:
                    extra.append((s0, m.end()))
            if extra:
                return merge_spans(sorted(out + extra))
        return merge_spans(out)


@record(frozen=True)
class Query:
    """Compiled search terms and the options that shape the passages."""

    terms: tuple[Term, ...]
    any_term: bool = False

    @property
    def labels(self) -> list[str]:
        """The terms as given."""
        return [t.text for t in self.terms]


def _has_upper(term: str, regex: bool) -> bool:
    if regex:
        term = re.sub(r"\\.", "", term)
    return any(c.isupper() for c in term)


def _literal_pattern(t: str, regex: bool, word: bool) -> str:
    pat = t if regex else _GAP.join(re.escape(w) for w in t.split())
    return rf"(?<!\w)(?:{pat})(?!\w)" if word else pat


def _stem_pattern(t: str, lower: bool) -> tuple[str, tuple[str | None, ...]] | None:
    """The word-form pattern of a (folded) term: each word becomes ``prefix\\w*``
    (a group whose stem is checked afterwards); None when the term has no word."""
    parts, st_list, any_word = [], [], False
    for w in t.split():
        if _WORDISH.fullmatch(w) and not is_identifier(w):
            wl = w.lower()
            st = stem(wl)
            prefix = (wl if lower else w)[: len(_stem_prefix(wl, st))]
            parts.append(f"({re.escape(prefix)}\\w*)")
            st_list.append(st)
            any_word = True
        else:
            parts.append(f"({re.escape(w.lower() if lower else w)})")
            st_list.append(None)
    if not any_word:
        return None
    return _GAP.join(parts) + r"(?!\w)", tuple(st_list)


def compile_query(
    terms: Sequence[str],
    *,
    regex: bool = False,
    case: str = "smart",
    word: bool = False,
    exact: bool = False,
    any_term: bool = False,
) -> Query:
    """Compile search terms.

    Args:
        terms: the terms; a term with spaces is a phrase.
        regex: terms are Python regular expressions.
        case: ``smart`` (a capital makes a term case-sensitive), ``sensitive`` or ``insensitive``.
        word: whole words only.
        exact: no word forms (stemming off).
        any_term: a passage needs one term, not all of them.

    Raises:
        UsageError: no term, an empty term or an invalid regular expression.

    Example:
        >>> q = compile_query(["negotiate"])
        >>> q.terms[0].case_sensitive
        False
    """
    if not terms:
        raise UsageError("no search term given", "try `brief search ukraine`")
    if case not in ("smart", "sensitive", "insensitive"):
        raise UsageError(f"unknown case rule {case!r}", "use smart, sensitive or insensitive")
    out = []
    for raw in terms:
        if not raw.strip():
            raise UsageError("empty search term", "give a word, a phrase in quotes, or a --regex")
        t = fold_str(raw)
        sensitive = case == "sensitive" or (case == "smart" and _has_upper(t, regex))
        flags = 0 if sensitive else re.IGNORECASE
        try:
            literal = re.compile(_literal_pattern(t, regex, word), flags)
        except re.error as e:
            where = f" at position {e.pos}" if e.pos is not None else ""
            raise UsageError(
                f"invalid regular expression {raw!r}: {e.msg}{where}",
                "fix the pattern, escape special characters with \\, or drop --regex",
            ) from None
        except (OverflowError, RecursionError):
            raise UsageError(f"regular expression too large: {raw[:40]!r}", "simplify the pattern") from None
        stemmed = stemmed_lc = literal_lc = None
        stems: tuple[str | None, ...] = ()
        if not regex and not exact:
            sp = _stem_pattern(t, lower=False)
            if sp is not None:
                stemmed = re.compile(sp[0], flags)
                stems = sp[1]
        if not sensitive and not regex and t.isascii():
            # the same patterns, lowercased, for scanning lowercased ASCII text
            literal_lc = re.compile(_literal_pattern(t.lower(), False, word))
            if stemmed is not None:
                stemmed_lc = re.compile(_stem_pattern(t, lower=True)[0])  # type: ignore[index]
        anchor = None
        words = t.split()
        if not regex and words and t.isascii():
            w0 = words[0]
            if stemmed is not None and _WORDISH.fullmatch(w0) and not is_identifier(w0):
                w0 = w0[: len(_stem_prefix(w0.lower(), stem(w0.lower())))]
            anchor = w0 if sensitive else w0.lower()
        out.append(Term(raw, sensitive, literal, stemmed, stems, regex, word, literal_lc, stemmed_lc, anchor))
    return Query(tuple(out), any_term)


def find_hits(query: Query, source: str | Folded) -> list[list[tuple[int, int]]]:
    """For each term, its hits as ``[start, end)`` offsets into the source text.

    Example:
        >>> find_hits(compile_query(["cafe"]), "Un café, un CAFE.")
        [[(3, 7), (12, 16)]]
    """
    f = source if isinstance(source, Folded) else fold(source)
    lower = None
    if any(t.literal_lc is not None for t in query.terms):
        # Folding removed the characters whose case rules differ from lower()
        # (K, ſ, İ...), so lowercasing then matching case-sensitively finds what
        # IGNORECASE would, much faster (literal prefixes).
        lower = f.text.lower()
        if len(lower) != len(f.text):
            lower = None
    out = []
    src = f.source
    for t in query.terms:
        if t.regex:  # a hit never runs across a blank line (passages never do): each match checked
            spans = [f.to_source(s, e) for s, e in t.spans(f.text, lower=lower, merge=False)]
            spans = merge_spans(sorted((s, e) for s, e in spans
                                       if "\n" not in src[s:e] or not _BLANK_LINE.search(src, s, e)))
        else:
            spans = t.spans(f.text, lower=lower)
            if not f.identity:
                spans = merge_spans([f.to_source(s, e) for s, e in spans])
        out.append(spans)
    return out


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
    """

    terms: tuple[str, ...]
    passages: tuple[Passage, ...] = ()
    files: tuple[FileMatch, ...] = ()
    total_passages: int = 0
    total_hits: int = 0
    searched: int = 0
    errors: tuple[tuple[str, str], ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        """True when at least one passage matched."""
        return self.total_passages > 0

    def to_dict(self, counted: bool = True) -> dict:
        """The final summary object of ``--json``; ``counted`` False (``-l``, which
        stops at each file's first match) gives null passages and hits."""
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
    from .select import select_with_children

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


# ---------------------------------------------------------------- suggestions
def suggest(query: Query, texts: Iterable[str], n: int = 3) -> list[str]:
    """Words of ``texts`` close to the query's words that do not occur there.

    Example:
        >>> suggest(compile_query(["blinkin"]), ["Antony Blinken met Lavrov."])
        ['Blinken']
    """
    import difflib
    from collections import Counter

    forms: dict[str, Counter] = {}
    for text in texts:
        for w in _WORDISH.findall(text):
            if len(w) >= 3:
                key = fold_str(w).lower()
                c = forms.get(key)
                if c is None:
                    forms[key] = c = Counter()
                c[w] += 1
    out: list[str] = []
    for t in query.terms:
        for w in fold_str(t.text).split():
            wl = w.lower()
            if not _WORDISH.fullmatch(wl) or wl in forms:
                continue
            for cand in difflib.get_close_matches(wl, forms.keys(), n=n, cutoff=0.75):
                best = forms[cand].most_common(1)[0][0]
                if best not in out:
                    out.append(best)
    return out[:n]


# ---------------------------------------------------------------- many files
def split_terms_paths(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``TERM... [PATH...]``: trailing arguments that name files, directories,
    URLs or ``-`` are paths; the first argument is always a term.

    Example:
        >>> split_terms_paths(["arms control", "nato", "/"])
        (['arms control', 'nato'], ['/'])
    """
    args = list(args)
    k = len(args)
    while k > 1:
        a = args[k - 1]
        if a == "-" or os.path.exists(a) or re.match(r"(?i)https?://", a) or a.lower().endswith(
            SEARCH_EXTENSIONS + (".html", ".htm")
        ):
            k -= 1
        else:
            break
    return args[:k], args[k:]


def iter_paths(paths: Sequence[str], on_error: Callable[[str, str], None]) -> Iterator[str]:
    """Expand directories (recursively, ``.txt`` and ``.md`` files, sorted, hidden
    entries skipped); other paths are yielded as given."""
    for p in paths:
        if p != "-" and os.path.isdir(p):
            def onerror(e: OSError, _p=p) -> None:
                on_error(getattr(e, "filename", None) or _p, (e.strerror or str(e)).lower())

            for root, dirs, files in os.walk(p, onerror=onerror):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and f.lower().endswith(SEARCH_EXTENSIONS):
                        yield os.path.join(root, f)
        else:
            yield p


def search(
    terms: Sequence[str],
    paths: Sequence[str] | None = None,
    *,
    regex: bool = False,
    case: str = "smart",
    word: bool = False,
    exact: bool = False,
    any_term: bool = False,
    unit: str = "sentence",
    context: int = 0,
    section: str | None = None,
    rank: bool = False,
    max_passages: int | None = None,
    mode: str = "passages",
    encoding: str | None = None,
    max_bytes: int | None = None,
    fmt: str | None = None,
) -> SearchResult:
    """Search the bundled article (no ``paths``) or files and directories.

    Args:
        terms: search terms (see :func:`compile_query`).
        paths: files, directories (searched recursively for .txt/.md), URLs or ``-``.
        mode: ``passages`` (build every passage), ``count`` (per-file counts only)
            or ``files`` (which files match); the last two may stream big files.
        max_bytes: refuse files larger than this (None: the loader's default, but
            big files are streamed without a cap in ``count``/``files`` mode).
        other: as in :func:`compile_query` and :func:`search_document`.

    Returns:
        The result; unreadable inputs are listed in ``errors`` and skipped.

    Raises:
        UsageError: bad terms or options (checked before any file is read).
        InputError / SectionError: for a single input that cannot be searched.
    """
    from .loaders import DEFAULT_MAX_BYTES

    query = compile_query(terms, regex=regex, case=case, word=word, exact=exact, any_term=any_term)
    _check_options(unit, context, max_passages)
    if mode not in ("passages", "count", "files"):
        raise UsageError(f"unknown mode {mode!r}", "use passages, count or files")
    acc = _Acc(query, unit, context, section, rank)
    paths = list(paths or [])
    single = len(paths) <= 1 and not (paths and os.path.isdir(paths[0]))
    cap = max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES

    def on_error(path: str, msg: str) -> None:
        acc.errors.append((path, _strip_path(path, msg)))

    if not paths:
        from .loaders import load

        acc.add_doc(load(None, encoding=encoding, fmt=fmt))
        return acc.result(rank, max_passages)
    files = list(iter_paths(paths, on_error))
    if not files and not acc.errors:
        where = ", ".join(paths)
        raise InputError(f"no .txt or .md files in {where}", "give files, or a directory that holds some")

    pre = _Prescreen(query)

    def run(acc: _Acc, part: list[str]) -> None:
        for p in part:
            try:
                _search_path(acc, p, query, mode, cap, max_bytes is None, encoding, fmt, pre)
            except (InputError, SectionError) as e:
                if single:
                    raise
                acc.errors.append((p, _strip_path(p, e.message) + (f"; {e.hint}" if e.hint else "")))

    from .parallel import MAX_SHARED, second_cpu, share

    if len(files) >= PARALLEL_FILES and second_cpu():
        # Two processes take blocks of files from one queue (matches cluster in
        # some folders, so fixed halves would leave one process idle); the
        # blocks' results are merged in file order.
        size = max(SHARED_BLOCK, -(-len(files) // MAX_SHARED))
        blocks = [files[i : i + size] for i in range(0, len(files), size)]

        def block(i: int) -> dict:
            sub = _Acc(query, unit, context, section, rank)
            run(sub, blocks[i])
            return sub.state()

        for got in share(len(blocks), block, _trim_vocab):
            acc.merge(got)  # type: ignore[arg-type]
    else:
        run(acc, files)
    if mode != "passages":  # counted, not shown
        acc.extra_passages += len(acc.passages)
        acc.passages = []
    return acc.result(rank, max_passages)


def _trim_vocab(states: dict) -> None:
    """Before a second process sends its blocks' states back: the texts kept for
    "did you mean" are needed only when nothing matched, and then up to the cap."""
    found = any(st["passages"] or st["extra_passages"] for st in states.values())
    room = 0 if found else VOCAB_CHARS
    for _i, st in sorted(states.items()):
        keep = []
        for t in st["vocab_texts"]:
            if room <= 0:
                break
            keep.append(t)
            room -= len(t)
        st["vocab_texts"] = keep


#: Searching at least this many files uses a second process (POSIX, 2+ CPUs)...
PARALLEL_FILES = 400
#: ...which takes them from a queue in blocks of this many files.
SHARED_BLOCK = 16


def _strip_path(path: str, message: str) -> str:
    """Error messages from the loader start with the path: drop it (it is shown anyway)."""
    return message[len(path) + 2 :] if message.startswith(path + ": ") else message


@lru_cache(maxsize=65536)
def _fold_into(c: str, anchor: str, insensitive: bool) -> str | None:
    """The fold of the non-ASCII character ``c`` (lowercased for an insensitive
    term) when it can be part of an occurrence of ``anchor`` once folded, else None.

    A character that folds to nothing (an accent, a zero-width one) can sit inside
    any anchor of two or more characters. ``re.IGNORECASE`` also matches K, ſ, İ
    and ı with ASCII letters their fold does not give.
    """
    from .textnorm import fold_char

    f = fold_char(c)
    if insensitive:
        f = f.lower()
        if c in "\u212a\u017f\u0130\u0131" and not any(ch in anchor for ch in f):
            f = c.lower()
    if (f == "" and len(anchor) > 1) or any(ch in anchor for ch in f):
        return f
    return None


def _could_match(data: bytes, query: Query, pre: _Prescreen | None = None) -> bool:
    """False when the bytes rule every match out (see :class:`_Prescreen`)."""
    return (pre or _Prescreen(query)).could_match(data)


class _Prescreen:
    """The byte pre-screen of one query, built once per search.

    A file is ruled out when a term's ASCII anchor (which every hit holds once
    folded) is absent, or present only in words that are no hit (a word-form
    term's anchor is a short prefix: "bla" for blair), and no token around a
    non-ASCII character that could fold into it (an accent, a ligature, a
    zero-width character) holds the anchor once folded."""

    __slots__ = ("query", "anchors", "_plans", "_planned")

    def __init__(self, query: Query) -> None:
        self.query = query
        self.anchors = tuple(None if t.anchor is None else (t.anchor.encode(), t.case_sensitive) for t in query.terms)
        self._plans: list[_StreamTerm] | None = None
        self._planned = False

    @property
    def plans(self) -> list[_StreamTerm] | None:
        """The query's byte-level plans (their caches of words and tokens grow as files are read)."""
        if not self._planned:
            self._plans, self._planned = _stream_terms(self.query), True
        return self._plans

    def could_match(self, data: bytes) -> bool:
        anchors, query = self.anchors, self.query
        if b"\xe2\x80\x90" in data and _SOFT_BREAK_B.search(data):
            return True  # a word hyphenated at a line end (man pages) may hide an anchor
        if len(anchors) == 1 and anchors[0] is not None and data.isascii():  # the usual case, quickly
            a, sensitive = anchors[0]
            if a not in (data if sensitive else data.lower()):
                return False
        low = None
        nonascii: bytes | None = None
        found = []
        for ti, anchor in enumerate(anchors):
            if anchor is None:
                found.append(True)  # a regex or non-ASCII term: no cheap test
                continue
            a, sensitive = anchor
            if sensitive:
                hay = data
            else:
                if low is None:
                    low = data.lower()
                hay = low
            has = a in hay
            plans = self.plans if has or not data.isascii() else None
            if has:
                # decide the anchor's occurrences as the streaming count does (in bytes,
                # with cached stems; one next to a non-ASCII character stays a maybe)
                pl = plans[ti] if plans is not None else None
                if pl is not None and not (pl.simple and not pl.word and pl.lit in hay):  # the literal: a hit
                    out: list = []
                    if pl.fast:
                        _ascii_hits(pl, hay, data, ti, out, len(hay))
                    else:
                        _find_hits_generic(pl, hay, data, ti, out, query, len(hay))
                    has = any(c[2] is None or c[2] for c in out)
            if not has and not data.isascii():
                if nonascii is None:
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError:
                        return True  # not UTF-8: the loader gives the error (or --encoding decodes it)
                    nonascii = data.translate(None, _ASCII_BYTES)
                has = plans is None or _fuzzy_hit(plans[ti], hay, data, nonascii)
            found.append(has)
        return any(found) if query.any_term else all(found)


def _fuzzy_hit(pl: _StreamTerm, hay: bytes, raw: bytes, nonascii: bytes) -> bool:
    """Does some token around a non-ASCII character of ``raw`` hold the plan's
    anchor once folded? (``hay`` is ``raw`` lowered when the term is case-insensitive.)"""
    for pat in pl.fuzzy(nonascii):
        for m in pat.finditer(hay):
            if _token_has(raw, m.start(), pl):
                return True
    return False


def _read_regular(path: str, cap: int, stream_from: int | None) -> tuple[bytes | None, int | None]:
    """Read a regular file of at most ``cap`` bytes with one open and one fstat.

    Returns ``(data, size)``; ``(None, size)`` when the file has at least
    ``stream_from`` bytes (to be streamed); ``(None, None)`` for anything else
    (missing, a FIFO, too big, unreadable), which :func:`read_bytes` then reports.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None, None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, None
        if stream_from is not None and st.st_size >= stream_from:
            return None, st.st_size
        if st.st_size > cap:
            return None, None
        data = os.read(fd, st.st_size + 1)
        if len(data) > st.st_size:  # the file grew: read on, up to the cap
            parts = [data]
            while parts[-1] and sum(map(len, parts)) <= cap:
                parts.append(os.read(fd, 1 << 20))
            data = b"".join(parts)
        return (None, None) if len(data) > cap else (data, st.st_size)
    except OSError:
        return None, None
    finally:
        os.close(fd)


def _search_path(acc: _Acc, p: str, query: Query, mode: str, cap: int, uncapped_stream: bool,
                 encoding: str | None, fmt: str | None, pre: _Prescreen | None = None) -> None:
    lp = p.lower()
    if p == "-" or lp.startswith(("http://", "https://")) or lp.endswith((".html", ".htm")) or fmt == "html":
        from .loaders import load

        acc.add_doc(load(p, encoding=encoding, fmt=fmt, max_bytes=cap))
        return
    streamable = mode != "passages" and acc.section is None and encoding is None and fmt != "markdown" \
        and not lp.endswith((".md", ".markdown"))
    data, size = _read_regular(p, cap, STREAM_THRESHOLD if streamable else None)
    if data is None and size is not None and (uncapped_stream or size <= cap):
        counted = count_file(p, query, unit=acc.unit, context=acc.context, first_only=mode == "files")
        if counted is not None:
            acc.add_count(p, counted[0], counted[1])
            return
    if data is None:
        from .loaders import read_bytes

        data = read_bytes(p, cap)  # also the one-line errors: missing, a directory, too big...
    if encoding is None and b"\x00" not in data and not _could_match(data, query, pre):
        acc.searched += 1  # no term can occur: the file is ruled out on its bytes
        acc.note_text(data)
        return
    from .loaders import decode, parse

    text = decode(data, p, encoding)
    del data
    if not text or text.isspace():
        acc.searched += 1
        return
    folded = fold(text)
    hits = find_hits(query, folded)
    have = [bool(h) for h in hits]
    if not (any(have) if query.any_term else all(have)):
        acc.searched += 1
        acc.note_text(text)
        return
    if mode == "files" and acc.section is None and (query.any_term or len(query.terms) == 1):
        # a file matches when a hit touches some text (units tile all non-space text)
        n = sum(1 for spans in hits for s, e in spans if text[s:e].strip())
        if n:
            acc.add_count(p, 1, n)
            return
    acc.add_doc(parse(text, p, fmt), hits)


# ---------------------------------------------------------------- streaming counts
# ``--count`` and ``-l`` on big files: the file is read in chunks of about 8 MB cut
# at blank lines (passages never cross a blank line). Candidates come from
# byte-level scans of the ASCII-lowercased chunk: the term's ASCII anchor, and
# the non-ASCII characters that could fold into it. A candidate with ASCII (or
# known) neighbours is decided in bytes (literal and word-form checks, cached per
# word); the paragraphs of a one-term query are cut into passages by looking only
# at the sentence punctuation between their hits. Anything else (an accent inside
# a hit, phrases, several terms...) decodes its paragraph and counts it the exact,
# slow way. Memory stays at a few chunks, whatever the file size.
_CHUNK = 8 << 20
_ASCII_BYTES = bytes(range(128))
_SOFT_BREAK_B = re.compile(rb"\xe2\x80\x90[ \t]*[\r\n]")  # see textnorm.SOFT_BREAK
#: UTF-8 of the characters other than CR and LF for which ``str.isspace()`` holds.
_WS = rb"(?:[\t\x0b\x0c\x1c-\x1f ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"
#: A blank line as the text loader sees one (lines end at CRLF, CR or LF; a line
#: is blank when only whitespace is left): from its start to the start of its end.
_BLANK_B = re.compile(rb"(?:\r\n|\r(?!\n)|\n)" + _WS + rb"*[\r\n]")
#: The same when the text holds no CR (a literal prefix makes the scan fast).
_BLANK_LF = re.compile(rb"\n" + _WS + rb"*\n")
#: Blank lines (and the end of a CRLF) at a line start.
_BLANK_RUN = re.compile(rb"\n?(?:" + _WS + rb"*(?:\r\n|\r|\n))*")
#: Bytes that may start a sentence boundary (segment._BOUNDARY: . ! ? and U+2026).
_PUNCT_B = re.compile(rb"[.!?]|\xe2\x80\xa6")
#: ASCII bytes that are word characters (``\w``); every non-ASCII byte is 0.
_WORDB = bytes(1 if (chr(b).isalnum() or b == 0x5F) else 0 for b in range(128)) + bytes(128)


def _trie_regex(words: Iterable[bytes]) -> bytes:
    """A regex (bytes) matching exactly the given byte strings, as a trie."""
    trie: dict = {}
    for w in words:
        node = trie
        for byte in w:
            node = node.setdefault(byte, {})
        node[None] = True

    def build(node: dict) -> bytes:
        end = None in node
        kids = [(k, v) for k, v in node.items() if k is not None]
        if not kids:
            return b""
        leaves = [k for k, v in kids if list(v) == [None]]
        alts = [re.escape(bytes([k])) + build(v) for k, v in kids if list(v) != [None]]
        if leaves:
            alts.append(_byte_class(leaves))
        body = alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"
        return b"(?:" + body + b")?" if end else body

    return build(trie)


def _byte_class(values: Iterable[int]) -> bytes:
    vs = sorted(set(values))
    if len(vs) == 1:
        return re.escape(bytes(vs))
    return b"[" + b"".join(re.escape(bytes([v])) for v in vs) + b"]"


def _cont_trie(items: dict[bytes, set[bytes]]) -> bytes:
    """A regex for continuation-byte sequences, each followed by one of its checks
    (lookarounds); a sequence ends where no continuation byte follows."""
    trie: dict = {}
    for conts, checks in items.items():
        node = trie
        for byte in conts:
            node = node.setdefault(byte, {})
        node.setdefault(None, set()).update(checks)

    def check(checks: set[bytes]) -> bytes:
        if b"" in checks:
            return b""
        cs = sorted(checks)
        return cs[0] if len(cs) == 1 else b"(?:" + b"|".join(cs) + b")"

    def build(node: dict) -> bytes:
        alts = []
        # children that end right away with the same check share a class
        leaves: dict[bytes, list[int]] = {}
        for k in sorted(k for k in node if k is not None):
            child = node[k]
            if list(child) == [None]:
                leaves.setdefault(check(child[None]), []).append(k)
            else:
                alts.append(re.escape(bytes([k])) + build(child))
        for chk, ks in sorted(leaves.items()):
            alts.append(_byte_class(ks) + rb"(?![\x80-\xbf])" + chk)
        if None in node:
            alts.append(rb"(?![\x80-\xbf])" + check(node[None]))
        return alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"

    return build(trie)


@record
class _StreamTerm:
    anchor: bytes  # ASCII anchor every hit contains (folded; lowercase when insensitive)
    insensitive: bool
    rel: dict  # UTF-8 of each non-ASCII character seen that may fold into the anchor -> its fold
    simple: bool  # a one-word literal/stem term that bytes alone can decide
    lit: bytes = b""  # the folded word (lowercase when insensitive)
    stem: str | None = None  # its stem when word forms are on
    word: bool = False  # whole words only
    fast: bool = False  # hits start and end with word characters (sentence punctuation never touches them)
    tokens: dict = field(default_factory=dict)  # token bytes -> holds the anchor once folded
    words: dict = field(default_factory=dict)  # word bytes -> has the term's stem
    seen: dict = field(default_factory=dict)  # non-ASCII character -> may fold into the anchor
    others: list = field(default_factory=list)  # a phrase: ASCII text each later word's matches hold
    pats: dict = field(default_factory=dict)  # present relevant characters -> scan patterns

    def fuzzy(self, nonascii: bytes) -> list[re.Pattern]:
        """Scan patterns for the relevant characters present in ``nonascii`` (the
        chunk's non-ASCII bytes): one per lead byte, so each has a literal prefix.

        Context checks keep most characters from being candidates. Take the last
        non-ASCII character of an occurrence of the anchor in the folded text:
        the anchor goes on after it in ASCII (or it holds the anchor's end), and
        before it stands the previous anchor character, in ASCII or as a present
        character whose fold ends with it (or one that folds to nothing). So a
        character standing for anchor[i] needs such a predecessor when i > 0
        always, and anchor[i+1] in ASCII after it when i < len - 1 always; one
        that folds to nothing needs that between two anchor characters."""
        seen = self.seen
        present = []
        for c in set(nonascii.decode("utf-8", "replace")):
            r = seen.get(c)
            if r is None:
                r = seen[c] = self._relevant(c)
            if r:
                present.append(c.encode())
        present = frozenset(present)
        pats = self.pats.get(present)
        if pats is None:
            pats = self._patterns(present)
            if len(self.pats) < 256:
                self.pats[present] = pats
        return pats

    def _relevant(self, c: str) -> bool:
        """Can ``c`` be part of an occurrence of the anchor? Records its fold in ``rel``."""
        ff = _fold_into(c, self.anchor.decode(), self.insensitive)
        if ff is None:
            return False
        self.rel[c.encode()] = ff
        return True

    def _patterns(self, present: frozenset) -> list[re.Pattern]:
        al = self.anchor.decode()  # lowercase when insensitive, as the folds in rel
        rel = self.rel
        n = len(al)

        def before(xs: Iterable[str], width: int) -> bytes:
            """Lookbehind: one of ``xs`` (ASCII, or a present character whose fold
            ends with it, or folds to nothing), then ``width`` bytes."""
            xs = set(xs)
            tail = rb"[\x80-\xff]" * width
            alts = [b"(?<=[" + _cls(xs) + b"]" + tail + b")"]
            by_len: dict[int, list[bytes]] = {}
            for e in sorted(present):
                f = rel[e]
                if f == "" or f[-1] in xs:
                    by_len.setdefault(len(e), []).append(e)
            for _k, es in sorted(by_len.items()):
                alts.append(b"(?<=" + _trie_regex(es) + tail + b")")
            return alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"

        by_lead: dict[int, dict[bytes, set[bytes]]] = {}
        for e in present:
            ff = rel[e]
            chk = b""
            if ff == "":
                pairs: dict[str, set[str]] = {}
                for i in range(1, n):
                    pairs.setdefault(al[i - 1], set()).add(al[i])
                chk = b"(?:" + b"|".join(before(x, len(e)) + b"(?=[" + _cls(ys) + b"])"
                                         for x, ys in sorted(pairs.items())) + b")"
            elif len(ff) == 1:
                pos = [i for i, ch in enumerate(al) if ch == ff]
                if pos and all(i > 0 for i in pos):
                    chk += before((al[i - 1] for i in pos), len(e))
                if pos and all(i < n - 1 for i in pos):
                    chk += b"(?=[" + _cls(al[i + 1] for i in pos) + b"])"
            by_lead.setdefault(e[0], {}).setdefault(e[1:], set()).add(chk)
        return [re.compile(re.escape(bytes([lead])) + _cont_trie(v)) for lead, v in sorted(by_lead.items())]


def _cls(chars: Iterable[str]) -> bytes:
    return b"".join(re.escape(ch.encode()) for ch in sorted(set(chars)))


def _stream_terms(query: Query) -> list[_StreamTerm] | None:
    """Byte-level plans for each term, or None when a term needs a full scan."""
    out = []
    for t in query.terms:
        if t.regex:
            return None
        words = fold_str(t.text).split()
        if not words or any(not w.isascii() for w in words):
            return None
        insens = not t.case_sensitive
        w0 = words[0]
        if t.stemmed is not None and _WORDISH.fullmatch(w0) and not is_identifier(w0):
            st = stem(w0.lower())
            anchor = w0[: len(_stem_prefix(w0.lower(), st))]
        else:
            anchor = w0
        if insens:
            anchor = anchor.lower()
        a = anchor.encode()
        pl = _StreamTerm(a, insens, {}, False)
        pl.simple = simple = len(words) == 1
        for w in words[1:]:
            if t.stemmed is not None and _WORDISH.fullmatch(w) and not is_identifier(w):
                w = w[: len(_stem_prefix(w.lower(), stem(w.lower())))]
            pl.others.append((w.lower() if insens else w).encode())
        if simple:
            w = words[0].lower() if insens else words[0]
            pl.lit = w.encode()
            pl.word = t.word
            if t.stemmed is not None and _WORDISH.fullmatch(words[0]):
                pl.stem = t.stems[0]
            pl.fast = all(_WORDB[b] for b in pl.lit)  # the anchor, a prefix of the word, too
        out.append(pl)
    return out


_kinds: dict[bytes, int] = {}


def _kind(enc: bytes) -> int:
    """For the UTF-8 of one character: bit 1 = its fold starts with a word
    character, bit 2 = ends with one; -1 when it folds to nothing or is not UTF-8."""
    r = _kinds.get(enc)
    if r is None:
        from .textnorm import fold_char

        try:
            c = enc.decode("utf-8")
        except UnicodeDecodeError:
            c = ""
        f = fold_char(c) if len(c) == 1 else ""
        if not f:
            r = -1
        else:
            r = (1 if (f[0].isalnum() or f[0] == "_") else 0) | (2 if (f[-1].isalnum() or f[-1] == "_") else 0)
        if len(_kinds) < 65536:
            _kinds[enc] = r
    return r


def _kind_at(buf, i: int) -> int:
    """:func:`_kind` of the character whose UTF-8 starts at ``buf[i]`` (non-ASCII)."""
    b = buf[i]
    n = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
    return _kind(bytes(buf[i : i + n])) if b >= 0xC0 else -1


def _kind_before(buf, i: int) -> int:
    """:func:`_kind` of the character whose UTF-8 ends just before ``buf[i]`` (non-ASCII)."""
    k = i - 1
    while k > 0 and k > i - 4 and 0x80 <= buf[k] < 0xC0:
        k -= 1
    return _kind(bytes(buf[k:i]))


_WORD_LC = re.compile(rb"[a-z0-9_]*")
_WORD_ANY = re.compile(rb"[A-Za-z0-9_]*")


def _anchor_starts(hay, anchor: bytes, limit: int) -> list[int]:
    """Start offsets of every occurrence of ``anchor`` in ``hay[:limit]`` (overlapping ones too)."""
    out = []
    find = hay.find
    p = find(anchor, 0, limit)
    while p >= 0:
        out.append(p)
        p = find(anchor, p + 1, limit)
    return out


def _ascii_hits(pl: _StreamTerm, hay, raw, ti: int, out: list, limit: int, starts: list[int] | None = None,
                fold_case: bool = False) -> None:
    """Append ``(pos, ti, spans)`` for each anchor occurrence before ``limit`` in
    ``hay`` (the lowered chunk when insensitive): ``spans`` are the hits (byte
    spans, maybe none) it makes, or None when the bytes cannot tell (a non-ASCII
    character next to it whose fold matters). ``starts`` may give the
    occurrences (:func:`_anchor_starts`, or the native scanner's); with
    ``fold_case``, ``hay`` is the raw chunk and the words are lowered here."""
    n = len(hay)
    lit, ln, st, anchor = pl.lit, len(pl.lit), pl.stem, pl.anchor
    wordb, words, word_mode = _WORDB, pl.words, pl.word
    wmatch = (_WORD_LC if pl.insensitive and not fold_case else _WORD_ANY).match
    la = len(anchor)
    last_lit = -1  # literal matches do not overlap (re.finditer)
    q = -1  # end of the current ASCII word
    for p in _anchor_starts(hay, anchor, limit) if starts is None else starts:
        if p >= q:
            q = wmatch(hay, p + la).end()
        # Is p a word start? (True / False / None: unknown)
        if p == 0:
            start = True
        else:
            b = hay[p - 1]
            if b < 128:
                start = not wordb[b]
            else:
                k = _kind_before(raw, p)
                start = None if k < 0 else not (k & 2)
        # Does the word end at q? (True / False / None)
        if q < n and hay[q] >= 128:
            k = _kind_at(raw, q)
            endw = None if k < 0 else not (k & 1)
            if p + ln > q:  # the literal could run on through the folded character
                out.append((p, ti, None))
                continue
        else:
            endw = True
        end = -1
        if p >= last_lit and (hay[p : p + ln].lower() == lit if fold_case else hay.startswith(lit, p)):
            if word_mode:
                if start is None or (p + ln == q and endw is None):
                    out.append((p, ti, None))
                    continue
                if start and p + ln == q and endw:
                    end = p + ln
            else:
                end = p + ln
            if end >= 0:
                last_lit = end
        if st is not None and start is not False:
            if start is None or not endw:
                out.append((p, ti, None))
                continue
            w = raw[p:q]  # its own case: an identifier is never stemmed
            ok = words.get(w)
            if ok is None:
                ok = word_key(w.decode("ascii")) == st
                if len(words) < 65536:
                    words[w] = ok
            if ok and q > end:
                end = q
        out.append((p, ti, [(p, end)] if end >= 0 else []))


def _find_hits_generic(pl: _StreamTerm, hay, raw, ti: int, out: list, query: Query, limit: int,
                       starts: list[int] | None = None) -> None:
    """Anchor occurrences of any simple term (the old way): one candidate each."""
    for k in _anchor_starts(hay, pl.anchor, limit) if starts is None else starts:
        sp = _hit_span(hay, raw, (k, ti, 0), query, pl) if pl.simple and not pl.word else False
        out.append((k, ti, None if sp is False else ([sp] if sp else [])))


_ASCII_WORD = re.compile(rb"[A-Za-z0-9_]*")
_TOKEN = re.compile(rb"\S+")
_LAST_WS = re.compile(rb"[\t\r\f\v](?!.*[\t\r\f\v])", re.S)


def _token_has(hay: bytes, p: int, pl: _StreamTerm) -> bool:
    """Does the whitespace-delimited token around byte ``p`` hold the anchor once
    folded? (An anchor has no whitespace, so it never crosses ASCII whitespace.)"""
    a = max(0, p - 256)
    s = max(hay.rfind(b" ", a, p), hay.rfind(b"\n", a, p)) + 1
    m = _LAST_WS.search(hay, s, p)  # rarer whitespace inside
    if m:
        s = m.end()
    e = _TOKEN.match(hay, p, p + 256)
    end = e.end() if e else p
    if (s == 0 and a > 0) or end >= p + 256:
        return True  # a very long token: keep the candidate
    tok = hay[s:end]
    r = pl.tokens.get(tok)
    if r is None:
        f = fold_str(tok.decode("utf-8", "replace"))
        r = pl.anchor.decode() in (f.lower() if pl.insensitive else f)
        if len(pl.tokens) < 65536:
            pl.tokens[tok] = r
    return r


def _hit_span(hay, raw, cand: tuple[int, int, int], query: Query, pl: _StreamTerm):
    """The hit (byte span) an ASCII candidate of a one-word term makes, None if it
    makes none, or False when the bytes alone cannot tell (non-ASCII neighbours)."""
    p, _ti, _k = cand
    q = _ASCII_WORD.match(hay, p).end()
    if q < len(hay) and hay[q] >= 0x80:
        return False
    before = hay[p - 1] if p > 0 else 0x20
    if before >= 0x80:
        return False
    lit = pl.lit
    end = p + len(lit) if hay.startswith(lit, p) else None
    if pl.stem is not None and not (chr(before).isalnum() or before == 0x5F):
        w = raw[p:q].decode("ascii")
        if w and word_key(w) == pl.stem:
            end = q if end is None else max(end, q)
    return None if end is None else (p, end)


def _block_end(buf, p: int, blank: re.Pattern = _BLANK_B) -> int:
    """End of the block (blank-line delimited) that holds byte ``p``: the start
    of the terminator of its last line, or ``len(buf)``. (``blank`` may be
    :data:`_BLANK_LF` when ``buf`` holds no CR.)"""
    m = blank.search(buf, p)
    return m.start() if m else len(buf)


def _block_start(buf, p: int) -> int:
    """Start of the line that opens the block holding byte ``p`` (``buf`` starts at a line start)."""
    k = buf.rfind(b"\n\n", max(0, p - 65536), p)  # the nearest plain blank line, usually
    if k >= 0:
        last = None
        for last in _BLANK_B.finditer(buf, k + 1, p):  # any blank line after it?
            pass
        return _BLANK_RUN.match(buf, last.end() if last is not None else k + 1).end()
    w = 2048
    while True:
        a = max(0, p - w)
        last = None
        for last in _BLANK_B.finditer(buf, a, p):
            pass
        if last is not None:
            return _BLANK_RUN.match(buf, last.end()).end()
        if a == 0:
            return _BLANK_RUN.match(buf, 0).end()
        w *= 8


def _is_prose(text: str) -> bool:
    """As the text loader decides: a block of list items is not split into sentences."""
    lines = text.splitlines()
    if not lines or not LIST_ITEM.match(lines[0].strip()):
        return True
    return not all(LIST_ITEM.match(ln.strip()) or ln[:1] in " \t" for ln in lines[1:])


def block_count(text: str, query: Query, unit: str = "sentence", context: int = 0, prose: bool = True) -> tuple[int, int]:
    """(passages, hits) that one block of text (a paragraph) yields."""
    return _count_units(text, find_hits(query, text), query, unit, context, prose)


def _count_units(text: str, hits: list[list[tuple[int, int]]], query: Query, unit: str, context: int,
                 prose: bool) -> tuple[int, int]:
    from .segment import sentence_spans

    if not any(hits):
        return 0, 0
    units = sentence_spans(text) if unit == "sentence" and prose else []
    if not units:
        s, e = 0, len(text)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        units = [(s, e)] if e > s else []
    term_starts = [[h[0] for h in spans] for spans in hits]
    ranges, _ = _unit_ranges(units, hits, term_starts, query.any_term, unit, context, [0] * len(hits))
    all_hits = merge_spans(sorted(h for spans in hits for h in spans))
    starts = [h[0] for h in all_hits]
    nh = sum(sum(1 for _ in _overlapping(all_hits, starts, units[lo][0], units[hi][1])) for lo, hi in ranges)
    return len(ranges), nh


_GUT_START = re.compile(rb"(?m)^[ \t\f\v]*\*{3}\s*start of (?:the|this) project gutenberg")


def _gutenberg_end(low: bytes, start: int) -> int | None:
    """Byte offset of the first end-of-Gutenberg line at or after ``start`` in lowered bytes."""
    pos = start
    while True:
        k = low.find(b"project gutenberg", pos)
        if k < 0:
            return None
        ls = low.rfind(b"\n", 0, k) + 1
        line = low[ls:k].strip()
        if re.fullmatch(rb"\*{3}\s*end of (?:the|this)|end of(?: the)?", line):
            return ls
        pos = k + 1


def count_file(path: str, query: Query, *, unit: str = "sentence", context: int = 0,
               first_only: bool = False, workers: int | None = None) -> tuple[int, int] | None:
    """Count matching passages and hits in a big plain-text file without loading it.

    Gives the same figures as building the Document and its passages (the file
    is read in chunks cut at blank lines; only paragraphs around candidates that
    bytes cannot decide are decoded). Returns None when the file must be read
    the ordinary way (UTF-16, NUL bytes, Markdown).

    Args:
        first_only: stop at the first matching passage (``-l``).
        workers: processes to use (default: 2 on a POSIX machine with 2+ CPUs);
            the second half of the file is counted in a forked child.
    """
    from .loaders import detect_format

    try:
        fh = open(path, "rb")
    except OSError as e:
        raise InputError(f"{path}: {(e.strerror or str(e)).lower()}", "check the path and its permissions") from None
    with fh:
        head = fh.read(65536)
        if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None
        try:  # a file in another encoding shows in its first 64 KB (further on, bad bytes count as U+FFFD)
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.end < len(head) or len(head) < 65536:  # (not a character cut by the 64 KB read)
                raise InputError(f"{path}: not valid UTF-8 at byte {e.start}",
                                 "give the encoding, e.g. --encoding latin-1 or --encoding cp1252") from None
        if detect_format(head.decode("utf-8", "replace"), path) != "text":
            return None
        if _SOFT_BREAK_B.search(head):
            return None  # groff's line-end hyphenations: words are joined by the text path
        plans = _stream_terms(query)
        nterms = len(query.terms)
        size = os.fstat(fh.fileno()).st_size
        fh.seek(0)
        st = _StreamState(query, plans, nterms, unit, context, first_only)
        st.gut = b"project gutenberg" in head[:20000].lower()
        st.scanner = _scanner_for(plans)
        from .parallel import MAX_SHARED, second_cpu, share

        if workers is None:
            workers = 2 if not first_only and second_cpu() else 1
        if workers >= 2 and size >= 2 * _CHUNK and st.gut:
            # Gutenberg bounds first: the second process must know them
            low = fh.read(_CHUNK).lower()
            m = _GUT_START.search(low)
            if m:
                nl = low.find(b"\n", m.end())
                start = len(low) if nl < 0 else nl + 1
                end = _gutenberg_end(low, start)
                if end is None:
                    workers = 1  # the end line is further on: one process finds it
                st.gut_start, st.gut_end = start, end
            del low
        starts = [0]
        if workers >= 2 and size >= 2 * _CHUNK:
            # pieces cut at blank lines, taken from one queue by two processes
            # (some parts of a file cost more than others)
            step = max(_CHUNK // 2, -(-size // MAX_SHARED))
            for k in range(1, -(-size // step)):
                b = _boundary(fh, k * step)
                if b is not None and starts[-1] < b < size:
                    starts.append(b)
        if len(starts) == 1:
            fh.seek(0)
            st.scan(fh, 0, None, first=True)
            return st.passages, st.hits
        pieces = list(zip(starts, starts[1:] + [None]))
        files: dict[int, object] = {}

        def piece(i: int) -> tuple[int, int]:
            one = _StreamState(query, plans, nterms, unit, context, False)
            one.gut, one.gut_start, one.gut_end = st.gut, st.gut_start, st.gut_end
            one.scanner = st.scanner
            pid = os.getpid()
            if pid not in files:
                files[pid] = open(path, "rb")  # noqa: SIM115 - one per process, closed below
            one.scan(files[pid], pieces[i][0], pieces[i][1], first=i == 0)
            return one.passages, one.hits

        try:
            got = share(len(pieces), piece)
        finally:
            for f in files.values():
                f.close()  # type: ignore[attr-defined]
        return sum(g[0] for g in got), sum(g[1] for g in got)  # type: ignore[index]


def _scanner_for(plans: list[_StreamTerm] | None):
    """A native scanner for the plans (:mod:`osce_brief.accel`), or None: no
    Hyperscan, or terms that need the text path anyway."""
    if not plans:
        return None
    from .accel import ChunkScanner, hyperscan_module

    hs = hyperscan_module()
    if hs is None:
        return None
    try:
        return ChunkScanner(hs, plans, _fold_into)
    except Exception:  # noqa: BLE001 - a pattern Hyperscan refuses: scan in Python
        return None


def _boundary(fh, pos: int) -> int | None:
    """The first block boundary (just after a newline that ends a blank line's predecessor) at or after ``pos``."""
    fh.seek(pos)
    buf = fh.read(1 << 20)
    k = buf.find(b"\n\n")
    k2 = buf.find(b"\n\r\n")
    cands = [x for x in (k, k2) if x >= 0]
    if not cands:
        return None
    return pos + min(cands) + 1


class _StreamState:
    """Counts and Gutenberg bounds while streaming through a file."""

    def __init__(self, query, plans, nterms, unit, context, first_only) -> None:
        self.query, self.plans, self.nterms = query, plans, nterms
        self.unit, self.context, self.first_only = unit, context, first_only
        self.gut = False
        self.gut_start: int | None = None
        self.gut_end: int | None = None
        self.passages = self.hits = 0
        self.base = 0
        self.eof = False
        self.scanner = None  # an accel.ChunkScanner for plans, when Hyperscan is there
        self.all_fast = bool(plans) and all(pl.fast for pl in plans)

    def scan(self, fh, start: int, stop: int | None, first: bool = False, limit_chunks: int | None = None) -> None:
        """Count the chunks of ``[start, stop)`` (``stop`` None: to the end); both are block boundaries.

        A chunk is what one read gives, counted up to its last blank line; the
        next read starts there (no copies of chunks are made)."""
        self.base = start
        done = 0
        want = _CHUNK
        while True:
            fh.seek(self.base)
            remaining = None if stop is None else stop - self.base
            n = want if remaining is None else min(want, remaining)
            data = fh.read(n) if n > 0 else b""
            if not data:
                self.eof = stop is None
                return
            last = len(data) < n or (remaining is not None and len(data) >= remaining)
            if last:
                limit = len(data)
            else:
                cut = data.rfind(b"\n\n")
                cut = max(cut, data.rfind(b"\n\r\n", max(cut, 0)), data.rfind(b"\r\r", max(cut, 0)))
                if cut < 0:
                    want *= 2  # a paragraph longer than a chunk: read more at once
                    continue
                limit = cut + 1
            if first and data.startswith(b"\xef\xbb\xbf"):
                data = b"   " + data[3:]
            # the lowered chunk: for case-insensitive scans in Python (the native
            # scanner, and the checks after it for one-word terms, do without)
            low = data.lower() if self.scanner is None or not self.all_fast else None
            if low is None and ((self.gut and first) or (self.gut_start is not None and self.gut_end is None)):
                low = data.lower()
            if self.gut and first:
                m = _GUT_START.search(low)
                if m:
                    nl = low.find(b"\n", m.end())
                    self.gut_start = len(low) if nl < 0 else nl + 1
            if self.gut_start is not None and self.gut_end is None:
                k = _gutenberg_end(low, max(0, self.gut_start - self.base))
                if k is not None:
                    self.gut_end = self.base + k
            first = False
            p, h = _count_chunk(data, low, limit, self.base, self.query, self.plans, self.nterms, self.unit,
                                self.context, self.gut_start, self.gut_end, self.first_only, self.scanner)
            self.passages += p
            self.hits += h
            self.base += limit
            done += 1
            want = _CHUNK
            if last:
                self.eof = stop is None
                return
            if self.first_only and self.passages:
                return
            if limit_chunks is not None and done >= limit_chunks:
                return


def _count_chunk(chunk: bytes, low: bytes | None, limit: int, base: int, query: Query, plans: list[_StreamTerm] | None,
                 nterms: int, unit: str, context: int, gut_start: int | None, gut_end: int | None,
                 first_only: bool, scanner=None) -> tuple[int, int]:
    """(passages, hits) of ``chunk[:limit]`` (``limit`` is a block boundary; ``low`` is the lowered chunk,
    or None when ``scanner`` is given and every term is :attr:`_StreamTerm.fast`;
    ``scanner``: an :class:`osce_brief.accel.ChunkScanner` for ``plans``, or None)."""
    def prose(s: int, text: str) -> bool:
        a = base + s
        if gut_start is not None and (a < gut_start or (gut_end is not None and a >= gut_end)):
            return False
        return _is_prose(text)

    if plans is None:  # a term bytes cannot anchor (a regex...): decode the chunk
        text = chunk[:limit].decode("utf-8", "replace")
        cands = sorted({a for spans in find_hits(query, text) for a, _ in spans})
        passages = hits = 0
        i = 0
        cpos = bpos = 0  # a char offset and its byte offset, moving on
        while i < len(cands):
            s = text.rfind("\n\n", 0, cands[i]) + 1
            m = re.compile(r"\n[^\S\n]*\n").search(text, cands[i])
            e = m.start() if m else len(text)
            while i < len(cands) and cands[i] < e:
                i += 1
            block = text[s:e]
            if s >= cpos:
                bpos += len(text[cpos:s].encode("utf-8", "replace"))
            else:
                bpos = len(text[:s].encode("utf-8", "replace"))
            cpos = s
            got = block_count(block, query, unit, context, prose(bpos, block))
            passages += got[0]
            hits += got[1]
            if first_only and passages:
                break
        return passages, hits
    # candidates: (pos, term, spans) with spans the byte hits it makes, or None
    # when its paragraph must be decoded (fuzzy candidates, undecidable ones)
    cands: list[tuple[int, int, list | None]] = []
    found = scanner.scan(chunk, limit) if scanner is not None else None
    nonascii = None if found is not None or chunk.isascii() else chunk.translate(None, _ASCII_BYTES)
    fuzzy = False
    for ti, pl in enumerate(plans):
        hay = low if pl.insensitive and low is not None else chunk
        starts, maybe = found[ti] if found is not None else (None, None)
        if pl.fast:
            _ascii_hits(pl, hay, chunk, ti, cands, limit, starts, fold_case=pl.insensitive and low is None)
        else:
            _find_hits_generic(pl, hay, chunk, ti, cands, query, limit, starts)
        if nonascii:  # (the tail past limit: harmless)
            maybe = [m.start() for pat in pl.fuzzy(nonascii) for m in pat.finditer(hay, 0, limit)]
        for p in maybe or ():
            if _token_has(chunk, p, pl):
                cands.append((p, ti, None))
                fuzzy = True
    if not cands:
        return 0, 0
    if fuzzy or len(plans) > 1:
        cands.sort(key=lambda c: (c[0], c[1]))
    blank = _BLANK_B if b"\r" in chunk else _BLANK_LF
    others = plans[0].others if nterms == 1 else None
    hay0 = low if plans[0].insensitive else chunk
    one = nterms == 1 or query.any_term  # a unit matches when it holds any hit
    fast = one and all(pl.fast for pl in plans)
    full = (1 << nterms) - 1
    cap = 2 * context + 2  # sentence boundaries between two hits that part their passages
    passages = hits = 0
    i = 0
    n = len(cands)
    while i < n:
        p0 = cands[i][0]
        e = _block_end(chunk, p0, blank)
        j = i + 1
        while j < n and cands[j][0] < e:
            j += 1
        group = cands[i:j]
        i = j
        if not one:
            mask = 0
            for c in group:
                mask |= 1 << c[1]
            if mask != full:
                continue  # a term has no candidate in this paragraph
        if others and not _phrase_may_match(plans[0], hay0, chunk, p0, e):
            continue  # a phrase whose later words are missing from the rest of the paragraph
        if any(c[2] is None for c in group):
            s = _block_start(chunk, p0)
            text = chunk[s:e].decode("utf-8", "replace")
            got = block_count(text, query, unit, context, prose(s, text))
        elif fast:
            if len(group) == 1 and len(group[0][2]) <= 1:
                got = (1, 1) if group[0][2] else (0, 0)
            else:
                got = _fast_block(chunk, p0, e, group, unit, cap, prose)
        else:
            got = _count_from_spans(chunk, _block_start(chunk, p0), e, group, query, unit, context, prose)
        passages += got[0]
        hits += got[1]
        if first_only and passages:
            break
    return passages, hits


def _phrase_may_match(pl: _StreamTerm, hay, raw, s: int, e: int) -> bool:
    """Can the later words of a phrase occur in ``[s, e)``? Each needs its ASCII
    text there, or a non-ASCII character that could fold into it."""
    chars = None
    for o in pl.others:
        if hay.find(o, s, e) >= 0:
            continue
        if chars is None:
            chars = set(raw[s:e].translate(None, _ASCII_BYTES).decode("utf-8", "replace"))
        if not any(_may_fold_into(pl, c, o) for c in chars):
            return False
    return True


def _may_fold_into(pl: _StreamTerm, c: str, o: bytes) -> bool:
    return _fold_into(c, o.decode(), pl.insensitive) is not None


def _fast_block(buf, p0: int, e: int, group, unit: str, cap: int, prose: Callable[[int, str], bool]) -> tuple[int, int]:
    """(passages, hits) of a paragraph whose hits are known in bytes, for a query
    where any hit makes its unit match: consecutive hits share a passage unless
    ``cap`` sentence boundaries (or more) lie between them."""
    spans = sorted(sp for c in group for sp in c[2])
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1][1] = b
        else:
            merged.append([a, b])
    nh = len(merged)
    if nh <= 1 or unit != "sentence":
        return (1, nh) if nh else (0, 0)
    from .segment import _BOUNDARY, _is_boundary

    n_pass = 1
    text = None
    s = 0
    block = b""
    for k in range(nh - 1):
        a, b = merged[k][1], merged[k + 1][0]
        if _PUNCT_B.search(buf, a, b) is None:
            continue
        if text is None:
            s = _block_start(buf, p0)
            block = buf[s:e]
            text = block.decode("utf-8", "replace")
            if not prose(s, text):
                return 1, nh
            ascii_block = block.isascii()
        if ascii_block:
            ca, cb = a - s, b - s
        else:
            ca = len(block[: a - s].decode("utf-8", "replace"))
            cb = ca + len(block[a - s : b - s].decode("utf-8", "replace"))
        cnt = 0
        limit = len(text)
        for m in _BOUNDARY.finditer(text, ca, cb):
            if _is_boundary(text, m.start(1), m.group(1), m.end(), limit):
                cnt += 1
                if cnt >= cap:
                    n_pass += 1
                    break
    return n_pass, nh


def _count_from_spans(raw: bytes, s: int, e: int, cands, query: Query, unit: str, context: int,
                      prose: Callable[[int, str], bool]) -> tuple[int, int]:
    """(passages, hits) of the block ``raw[s:e]`` from hits already known in bytes."""
    block = raw[s:e]
    ascii_block = block.isascii()
    text = block.decode("ascii") if ascii_block else block.decode("utf-8", "replace")

    def char(off: int) -> int:
        return off if ascii_block else len(block[:off].decode("utf-8", "replace"))

    hits: list[list[tuple[int, int]]] = [[] for _ in query.terms]
    for _p, ti, spans in cands:
        for a, b in spans:
            hits[ti].append((char(a - s), char(b - s)))
    hits = [merge_spans(sorted(h)) for h in hits]
    return _count_units(text, hits, query, unit, context, prose(s, text))
