"""Queries: terms, word forms and the hits they make in a text.

:func:`compile_query` turns the terms as given into a :class:`Query` of compiled
patterns (smart case, phrases across line breaks, Snowball word forms, whole
words, regular expressions); :func:`find_hits` runs it over a source text,
folded for accents and curly quotes (:mod:`osce_brief.textnorm`), and gives
every hit as ``[start, end)`` offsets into the *original* text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from ..errors import UsageError
from ..record import record
from ..segment import merge_spans
from ..textnorm import Folded, fold, fold_str

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
