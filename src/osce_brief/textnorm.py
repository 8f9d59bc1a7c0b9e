"""Text folding for search: accents, curly quotes and ligatures, with offsets kept.

:func:`fold` turns a text into a *folded* copy in which accents are dropped
(``café`` -> ``cafe``, ``São`` -> ``Sao``), compatibility forms are decomposed
(``ﬁ`` -> ``fi``, no-break space -> space), curly quotes and apostrophes become
straight ones and soft hyphens / zero-width characters disappear. A word that
groff hyphenated at a line end (``incorpo\u2010`` newline, indentation, ``rates``:
the U+2010 HYPHEN man pages use for it) is joined again, so ``incorporates``
matches it. Case is kept: matching decides about case itself.

Folding changes lengths (a decomposed ``e`` + combining accent becomes one
``e``, ``ß`` becomes ``ss``), so the result carries a map back to the source:
:meth:`Folded.to_source` turns a ``[start, end)`` span of the folded text into
the span of the original text that produced it. Pure-ASCII text (the common
case) is returned as is, with an identity map and no copy.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

#: Characters folded by hand (NFKD leaves them alone or gets them wrong for search).
_SPECIAL = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00df": "ss", "\u1e9e": "SS", "\u00e6": "ae", "\u00c6": "AE", "\u0153": "oe", "\u0152": "OE",
    "\u00f8": "o", "\u00d8": "O", "\u0111": "d", "\u0110": "D", "\u0142": "l", "\u0141": "L",
    "\u0131": "i", "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}
_NON_ASCII_SPLIT = re.compile(r"([^\x00-\x7f]+)")
#: A word hyphenated at a line end by groff: the hyphen, the line break and the
#: next line's indentation fold to nothing (between two letters).
SOFT_BREAK = re.compile(r"(?<=[^\W\d_])\u2010[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[^\W\d_])")
_cache: dict[str, str] = {}
_run_cache: dict[str, tuple[str, tuple[int, ...] | None]] = {}


def fold_char(c: str) -> str:
    """The folded form of one character (``""`` for combining marks and zero-width ones)."""
    f = _cache.get(c)
    if f is None:
        if c < "\x80":
            f = c
        elif c in _SPECIAL:
            f = _SPECIAL[c]
        else:
            d = unicodedata.normalize("NFKD", c)
            f = "".join(x for x in d if not unicodedata.combining(x))
            if f != c:
                # NFKD output may itself hold characters we fold by hand (e.g. ’).
                f = "".join(_SPECIAL.get(x, x) for x in f)
        _cache[c] = f
    return f


def fold_str(s: str) -> str:
    """Fold a short string (a search term) the same way :func:`fold` folds text."""
    if s.isascii():
        return s
    return "".join(fold_char(c) for c in s)


class Folded:
    """A folded text and its map back to the source.

    Attributes:
        text: the folded text.
        source: the original text.
    """

    __slots__ = ("text", "source", "_fb", "_sb", "_atomic")

    def __init__(self, text: str, source: str, fb: list[int] | None = None, sb: list[int] | None = None,
                 atomic: list[bool] | None = None) -> None:
        self.text = text
        self.source = source
        # Segments of the folded text: segment k starts at folded offset fb[k] and
        # source offset sb[k]; it is linear (1:1) or atomic (one source character
        # that folded to zero or several characters).
        self._fb = fb
        self._sb = sb
        self._atomic = atomic

    @property
    def identity(self) -> bool:
        """True when folded offsets are source offsets."""
        return self._fb is None

    def to_source(self, fs: int, fe: int) -> tuple[int, int]:
        """Map the folded span ``[fs, fe)`` (``fe > fs``) to a source span.

        The span grows to whole source characters: a match on the ``e`` of a
        decomposed ``é`` covers its combining accent too.
        """
        src = self.source
        if self._fb is None:
            s, e = fs, fe
        else:
            fb, sb, atomic = self._fb, self._sb, self._atomic
            k = bisect_right(fb, fs) - 1
            s = sb[k] if atomic[k] else sb[k] + (fs - fb[k])
            k = bisect_right(fb, fe - 1) - 1
            e = sb[k] + 1 if atomic[k] else sb[k] + (fe - 1 - fb[k]) + 1
        n = len(src)
        while e < n and src[e] >= "\u0300" and unicodedata.combining(src[e]):
            e += 1
        return s, e


def fold(source: str) -> Folded:
    """Fold ``source`` for matching; see the module docstring.

    Example:
        >>> f = fold("Café ‘ok’")
        >>> f.text
        "Cafe 'ok'"
        >>> f.to_source(0, 4)
        (0, 4)
    """
    if source.isascii():
        return Folded(source, source)
    if "\u2010" in source:
        breaks = [m.span() for m in SOFT_BREAK.finditer(source)]
        if breaks:
            return _fold_with_breaks(source, breaks)
    cache = _run_cache
    pieces = _NON_ASCII_SPLIT.split(source)  # ASCII, a non-ASCII run, ASCII, ..., ASCII
    runs = set(pieces[1::2])
    simple = True
    for run in runs:
        if run not in cache:
            parts = [fold_char(c) for c in run]
            frun = "".join(parts)
            lens = None if all(len(x) == 1 for x in parts) else tuple(len(x) for x in parts)
            cache[run] = (frun, lens)
        if cache[run][1] is not None:
            simple = False
    if all(cache[r][0] == r for r in runs):
        return Folded(source, source)
    pieces[1::2] = [cache[r][0] for r in pieces[1::2]]
    text = "".join(pieces)
    if simple:  # every character folds to one character: offsets do not move
        return Folded(text, source)
    # Characters that fold to zero or several characters: record where they are.
    odd = sorted({c for r in runs if cache[r][1] is not None for c in r if len(fold_char(c)) != 1})
    pat = re.compile("[" + "".join(re.escape(c) for c in odd) + "]")
    fb: list[int] = [0]
    sb: list[int] = [0]
    atomic: list[bool] = [False]
    delta = 0  # folded offset - source offset
    for m in pat.finditer(source):
        i = m.start()
        n = len(fold_char(source[i]))
        fpos = i + delta
        fb.append(fpos)
        sb.append(i)
        atomic.append(True)
        delta += n - 1
        fb.append(fpos + n)
        sb.append(i + 1)
        atomic.append(False)
    return Folded(text, source, fb, sb, atomic)


def _fold_with_breaks(source: str, breaks: list[tuple[int, int]]) -> Folded:
    """:func:`fold` of a text holding groff line-end hyphenations (``breaks``: the
    source spans that fold to nothing); every other character folds as usual."""
    edits: list[tuple[int, int, str]] = []  # source span -> its fold, where lengths change
    out: list[str] = []
    pos = 0
    bi = 0
    nb = len(breaks)
    for m in _NON_ASCII_SPLIT.finditer(source):
        s, e = m.span()
        for k in range(s, e):
            while bi < nb and breaks[bi][1] <= k:
                bi += 1
            if bi < nb and breaks[bi][0] <= k:
                continue  # inside a break (recorded below)
            f = fold_char(source[k])
            if len(f) != 1:
                edits.append((k, k + 1, f))
            elif f != source[k]:
                edits.append((k, k + 1, f))
    edits += [(a, b, "") for a, b in breaks]
    edits.sort()
    fb: list[int] = [0]
    sb: list[int] = [0]
    atomic: list[bool] = [False]
    delta = 0
    for a, b, f in edits:
        out.append(source[pos:a])
        out.append(f)
        pos = b
        if len(f) == 1 and b - a == 1:
            continue  # a 1:1 fold: offsets do not move
        fpos = a + delta
        fb.append(fpos)
        sb.append(a)
        atomic.append(True)
        delta += len(f) - (b - a)
        fb.append(fpos + len(f))
        sb.append(b)
        atomic.append(False)
    out.append(source[pos:])
    return Folded("".join(out), source, fb, sb, atomic)
