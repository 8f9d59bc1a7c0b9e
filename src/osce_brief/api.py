"""The public library API: the functions behind every ``brief`` command.

Each function takes a :class:`~osce_brief.model.Document` (or a path to load,
or None for the bundled article) and returns a typed, frozen result whose
``to_dict()`` is exactly the object ``brief COMMAND --json`` prints; the CLI
is these calls plus option parsing and rendering. They are re-exported by the
package, so ``from osce_brief import load, summarize`` is the way in::

    from osce_brief import load, outline, select, search, summarize, keywords, hedges

    doc = load("story.md")                  # or load() for the bundled article
    for entry in outline(doc).sections:
        print(entry.index, entry.title, entry.words)
    for s in summarize(doc, n=3).sentences:
        assert doc.source[s.start : s.end] == s.text

Every offset (``start``, ``end``, hits, cues) points into ``doc.source``.
Errors are typed (:mod:`osce_brief.errors`): a bad selector raises
:class:`~osce_brief.errors.SectionError`, a bad option
:class:`~osce_brief.errors.UsageError`, an unreadable input
:class:`~osce_brief.errors.InputError`. Nothing here prints or exits.

The modules behind the functions are imported on first call, so importing this
one costs nothing at start-up.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # (not typing.TYPE_CHECKING: importing typing costs start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable, Iterable, Sequence

    from .hedges import HedgeReport
    from .keywords import Keywords
    from .model import Document, Section
    from .outline import Outline
    from .search import SearchResult
    from .select import Selection
    from .summarize import SectionSummary, Summary

    DocLike = Document | str | os.PathLike | None

__all__ = ["hedges", "keywords", "load", "outline", "parse", "search", "select", "summarize"]


def load(
    source: str | os.PathLike | None = None,
    *,
    encoding: str | None = None,
    max_bytes: int | None = None,
    fmt: str | None = None,
    save: str | None = None,
    raw_text: bool = False,
) -> Document:
    """Read and parse a document.

    Args:
        source: a file path, an ``http(s)://`` URL, ``-`` for stdin, or None for
            the bundled article.
        encoding: the input's text encoding (default: BOM, then UTF-8).
        max_bytes: refuse inputs larger than this (default 64 MiB).
        fmt: ``text``, ``markdown`` or ``html`` (default: detected).
        save: also write the input as read (e.g. a fetched page) to this file.
        raw_text: keep the text as decoded: no mojibake repair (UTF-8 that was
            read as Latin-1 is otherwise repaired, and offsets refer to the
            repaired text; ``meta["repaired"]`` says so).

    Raises:
        InputError: missing, unreadable, binary or undecodable input.

    Example:
        >>> doc = load()
        >>> doc.title
        'Lavrov And Blinken Meet In Malta: Key Diplomacy?'
    """
    from .loaders import DEFAULT_MAX_BYTES
    from .loaders import load as _load

    path = os.fspath(source) if source is not None else None
    return _load(path, encoding=encoding, max_bytes=max_bytes or DEFAULT_MAX_BYTES, fmt=fmt, save=save,
                 raw_text=raw_text)


def parse(text: str, path: str | None = None, fmt: str | None = None) -> Document:
    """Parse text already in memory (``path`` is only shown, never read).

    Example:
        >>> parse("Title\\n\\nIt rained. It stopped.").sections
        ()
    """
    from .loaders import parse as _parse

    return _parse(text, path, fmt)


def _document(doc: DocLike) -> Document:
    """``doc`` itself, or the document a path (None: the bundled article) names."""
    from .model import Document

    return doc if isinstance(doc, Document) else load(doc)


def outline(doc: DocLike = None, depth: int | None = None, *, auto: bool = False, hedges: bool = False) -> Outline:
    """The title, byline and numbered headings with word counts: ``brief outline``.

    Args:
        doc: the document (or a path to load; None: the bundled article).
        depth: list headings down to this level (None: all).
        auto: without ``depth``, collapse a book to the levels that fit a screen
            (as ``brief outline`` does on a terminal; ``--json`` lists all).
        hedges: also give each section's share of hedged sentences
            (``Outline.hedged``; ``--hedges``).

    Example:
        >>> o = outline(load())
        >>> [e.index for e in o.sections], o.sections[0].title
        ([1, 2, 3, 4, 5, 6], "High-Stakes Diplomacy: Lavrov and Blinken's Malta Meeting")
    """
    from dataclasses import replace  # (Outline is a dataclass; outline.py imports dataclasses anyway)

    from .outline import outline as _outline

    doc = _document(doc)
    result = _outline(doc, depth=depth, auto=auto)
    if hedges:
        from .hedges import analyze, rollup

        shares = rollup(analyze(doc), doc)
        result = replace(result, hedged={i: (sh.ratio if sh.sentences else None) for i, sh in shares.items()})
    return result


def select(doc: DocLike, spec: str, *, children: bool = True) -> Selection:
    """The sections a SECTION selector names, with their text: ``brief show``.

    Args:
        doc: the document (or a path to load; None: the bundled article).
        spec: a number as the outline prints it (``3``), a range (``2-4``), a
            list (``1,3``), words from a heading (``expert``), ``lead`` or ``all``.
        children: each section followed by its subsections (as ``show`` reads).

    Raises:
        SectionError: out of range, no match (close headings are suggested) or
            an ambiguous match (the candidates are listed).

    Example:
        >>> [(s.index, s.title) for s in select(load(), "expert").sections]
        [(4, 'Expert Opinions and Analysis')]
    """
    from .select import selection

    return selection(_document(doc), spec, children=children)


def search(
    source: DocLike | Iterable[Document] | Iterable[str],
    terms: str | Sequence[str],
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
    raw_text: bool = False,
) -> SearchResult:
    """The passages that mention the terms: ``brief search``.

    Args:
        source: a document, several documents (searched together: one ranking,
            one total), a path (file, directory searched recursively for .txt and
            .md, URL or ``-``), several paths, or None for the bundled article.
        terms: one term (a phrase is one term) or several; a passage must hold
            all of them (``any_term``: one).
        regex: terms are Python regular expressions.
        case: ``smart`` (case-sensitive when a term has a capital),
            ``sensitive`` or ``insensitive``.
        word: whole words only.
        exact: no other word forms (stemming off).
        unit: ``sentence`` or ``paragraph``.
        context: sentences of context on each side.
        section: only these sections (a selector as in :func:`select`).
        rank: order by BM25 relevance instead of document order.
        max_passages: keep at most this many passages (``total_passages`` counts all).
        mode: ``passages``, ``count`` (per-file counts, no passages) or ``files``
            (which files match); the last two stream big files.
        encoding, max_bytes, fmt, raw_text: how paths are read, as in :func:`load`.

    Returns:
        A :class:`~osce_brief.search.SearchResult`: ``passages`` (each with its
        section, offsets and hit offsets), ``files``, totals and, when nothing
        matched, ``suggestions``. ``records()`` are the JSON Lines of ``--json``.

    Raises:
        UsageError: bad terms or options. InputError / SectionError: a single
        input that cannot be searched (with several, they are listed in ``errors``).

    Example:
        >>> doc = load()
        >>> r = search(doc, "arms control")
        >>> [p.section_index for p in r.passages], r.total_hits
        ([2, 4], 2)
        >>> all(doc.source[a:b].lower() == "arms control" for p in r.passages for a, b in p.hits)
        True
    """
    from .model import Document

    terms = [terms] if isinstance(terms, str) else list(terms)
    docs: list[Document] | None = None
    if source is None:
        paths: list[str] = []
    elif isinstance(source, Document):
        docs = [source]
    elif isinstance(source, (str, os.PathLike)):
        paths = [os.fspath(source)]
    else:
        items = list(source)
        if items and all(isinstance(x, Document) for x in items):
            docs = items
        elif all(isinstance(x, (str, os.PathLike)) for x in items):
            paths = [os.fspath(x) for x in items]
        else:
            raise TypeError("search() takes documents or paths, not a mix of them")
    if docs is None:
        from .search import search as _search

        return _search(terms, paths, regex=regex, case=case, word=word, exact=exact, any_term=any_term, unit=unit,
                       context=context, section=section, rank=rank, max_passages=max_passages, mode=mode,
                       encoding=encoding, max_bytes=max_bytes, fmt=fmt, raw_text=raw_text)
    from .errors import UsageError
    from .record import replace
    from .search import compile_query, search_documents

    if mode not in ("passages", "count", "files"):
        raise UsageError(f"unknown mode {mode!r}", "use passages, count or files")
    query = compile_query(terms, regex=regex, case=case, word=word, exact=exact, any_term=any_term)
    result = search_documents(docs, query, unit=unit, context=context, section=section, rank=rank,
                              max_passages=max_passages)
    return replace(result, mode=mode, passages=result.passages if mode == "passages" else ())


def summarize(
    doc: DocLike = None,
    n: int | None = None,
    *,
    ratio: float | None = None,
    words: int | None = None,
    method: str = "default",
    section: str | Selection | Sequence[Section] | None = None,
    by_section: bool = False,
    reported: bool | Callable[[str], bool] = False,
) -> Summary | SectionSummary:
    """An extractive summary in the document's own sentences: ``brief summary``.

    Args:
        doc: the document (or a path to load; None: the bundled article).
        n: number of sentences: 3 by default, 1 per section with ``by_section``.
        ratio: instead of ``n``, this fraction of the sentences (0 < ratio <= 1).
        words: instead of ``n``, as many top sentences as fit in this many words.
        method: ``default``, or a baseline: ``lead``, ``textrank``, ``lexrank``.
        section: only these sections: a selector as in :func:`select`, a
            :class:`~osce_brief.select.Selection` or model sections.
        by_section: one gist per section instead (a
            :class:`~osce_brief.summarize.SectionSummary`).
        reported: prefer sentences stated as fact over hedged ones (or a
            predicate ``text -> bool`` naming the sentences to prefer).

    Returns:
        A :class:`~osce_brief.summarize.Summary` whose ``sentences`` (each with
        its section and offsets) are in document order, or with ``by_section``
        a :class:`~osce_brief.summarize.SectionSummary`.

    Raises:
        UsageError: unknown method or bad length. SectionError: bad selector.

    Example:
        >>> doc = load()
        >>> s = summarize(doc, n=3)
        >>> len(s.sentences), all(doc.source[x.start : x.end] == x.text for x in s.sentences)
        (3, True)
    """
    from .select import Selection, select_with_children
    from .summarize import by_section as _gists
    from .summarize import summarize as _summarize

    doc = _document(doc)
    chosen = None
    if isinstance(section, str):
        chosen = select_with_children(doc, section)
    elif isinstance(section, Selection):
        chosen = section.in_document(doc)
    elif section is not None:
        chosen = list(section)
    if by_section:
        return _gists(doc, n=n or 1, method=method, sections=chosen, reported=reported)
    return _summarize(doc, n=3 if n is None else n, ratio=ratio, words=words, method=method, section=chosen,
                      reported=reported)


def keywords(doc: DocLike = None, n: int = 10) -> Keywords:
    """The ``n`` key phrases (1-3 words), best first, with scores and counts: ``brief keywords``.

    Example:
        >>> k = keywords(load(), n=3)
        >>> len(k.keywords), k.keywords[0].score
        (3, 1.0)
    """
    from .keywords import Keywords
    from .keywords import keywords as _keywords

    doc = _document(doc)
    return Keywords(doc.display_path, tuple(_keywords(doc, n=n)))


def hedges(doc: DocLike = None) -> HedgeReport:
    """Every prose sentence as hedged or reported, with its cue words, and the
    share per section: ``brief hedges``.

    Example:
        >>> r = hedges(parse("Title\\n\\nIt may rain. It rained."))
        >>> [(s.hedged, s.text) for s in r.sentences]
        [(True, 'It may rain.'), (False, 'It rained.')]
    """
    from .hedges import analyze

    return analyze(_document(doc))
