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

Modules, in the order a search runs through them:

* :mod:`.query`: terms, word forms, :func:`compile_query`, :func:`find_hits`;
* :mod:`.passages`: units, merging, BM25, :func:`search_document`, the results;
* :mod:`.suggest`: "did you mean";
* :mod:`.files`: paths, reading, the byte pre-screen, :func:`search` over many files;
* :mod:`.bytescan`: a query's byte-level plans (pre-screen and streamed counts);
* :mod:`.stream`: streamed counts of big files (:func:`count_file`);
* :mod:`.accel`: the optional Hyperscan scanner and its cache.
"""

from __future__ import annotations

from .files import SEARCH_EXTENSIONS, STREAM_THRESHOLD, iter_paths, search, split_terms_paths
from .passages import FileMatch, Passage, SearchResult, search_document, search_documents
from .query import Query, Term, compile_query, find_hits, stem
from .suggest import suggest

__all__ = [
    "SEARCH_EXTENSIONS", "STREAM_THRESHOLD", "FileMatch", "Passage", "Query", "SearchResult", "Term",
    "block_count", "compile_query", "count_file", "find_hits", "iter_paths", "search", "search_document", "search_documents",
    "split_terms_paths", "stem", "suggest",
]


def __getattr__(name: str):
    # streamed counts load only when a big file is counted
    if name in ("count_file", "block_count"):
        from . import stream

        return getattr(stream, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
