"""Sentence spans: pure functions over the source text, no copies of it.

A rule-based splitter (terminal punctuation, closing quotes, abbreviations and
initialisms) that works on cased and lowercased text alike and runs at several
MB/s, fast enough for books. pysbd is ~10 KB/s; this is the best trade-off for a
terminal tool that must stay dependency-light.

This module knows no document model: it deals in offsets only, and the model
(:class:`~osce_brief.model.Paragraph`) builds its sentences from them.
"""

from __future__ import annotations

import re

# Abbreviations after which a period does not end a sentence (lowercase, no dot).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft rev gen col lt sgt capt cmdr adm gov sen rep
    pres supt hon messrs mme mlle vs etc al fig figs eq eqs no nos vol vols pp ch
    sec art approx dept est inc ltd co corp bros jan feb mar apr jun jul aug sep
    sept oct nov dec e.g i.e cf viz ca op cit ibid
    """.split()
)

# Words that commonly open a sentence: after an initialism such as "U.S." a
# capitalised word from this list starts a new sentence, any other one does not.
_STARTERS = frozenset(
    """
    the a an this that these those it its he she they we i you his her their our
    there here but and or so yet if when while as in on at for from after before
    however meanwhile still then thus also some many most all no not one two
    what who why how where which
    """.split()
)

#: A list item's first line (a bullet, "**" too, "1.", "a)", "aa." or "iv."): a block of them is
#: not prose, and is not split into sentences (the text loader and streamed counts
#: agree on it). A copyright sign "(C) 2007" opens no item.
LIST_ITEM = re.compile(
    r"^\s*(?:\*{1,3}|[-+\u2022\u2013\u25aa>]|\(?\d{1,3}[.)]|(?!\([cC]\)\s+(?:\d|[Cc]opyright))"
    r"\(?(?:([a-zA-Z])\1{0,2}|[ivx]{2,4})[.)])\s+"
)

# A line of code: a comment or prompt at its start, a statement end or brace at
# its end, an assignment, call, operator or URL; and not a sentence.
_CODE_START = ("#", "//", "/*", "*/", "$ ", ">>> ", "{", "}")
_CODE_END = (";", "{", "}", "\\")
_CODE_OPS = re.compile(r" ==? |->|::|&&|\|\||://| \| |\S {3,}# |^[a-z][\w.-]* +--?[a-zA-Z]")
_CODE_CALL = re.compile(r"\w\([^()\s]*[,)]")
_CODE_INDEX = re.compile(r"\w\[[^\]]*\]")
# What every line of code holds one of (a cheap test first).
_CODE_HINT = re.compile(r"[#{};\\=\[$|&>:/*(-]")
_SENTENCE_LINE = re.compile(
    r"[a-z]{2,}[.!?][\"')\u201d\u2019]*\s+[A-Z]|^\s*[A-Z][a-z]*(?:\s+\S+){2,}?\s+\S*[a-z]{2}\S*[.!?][\"')\u201d\u2019]*\s*$"
)


def looks_like_code(block: str) -> bool:
    r"""True for a block of code or of an example typed as is (kept verbatim,
    never split into sentences): an indented block (every line indented) with
    code in half of its lines. ``block`` starts at the start of its first line
    (indentation included). A flush block is never code: plain text indents its
    examples, and prose is far more common there.

    The text loader and the streamed counts of :mod:`osce_brief.search` agree on
    it, since it looks at the block alone.

    Example:
        >>> looks_like_code("    x = f(a, b);\n    return x;")
        True
        >>> looks_like_code("    An indented paragraph of prose. It says so.")
        False
    """
    if block[:1] not in " \t":
        return False
    code = n = 0
    for ln in block.splitlines():
        if not ln.strip():
            continue
        if ln[:1] not in " \t":
            return False
        n += 1
        if code_line(ln):
            code += 1
    return n > 0 and 2 * code >= n


def code_line(ln: str) -> bool:
    """Does one line read as code (see :func:`looks_like_code`)?"""
    if _CODE_HINT.search(ln) is None:
        return False
    s = ln.strip()
    if not (
        s.startswith(_CODE_START)
        or s.endswith(_CODE_END)
        or ("(" in s and _CODE_CALL.search(s) is not None)
        or ("[" in s and _CODE_INDEX.search(s) is not None)
        or _CODE_OPS.search(s) is not None
    ):
        return False
    return _SENTENCE_LINE.search(s) is None


# A candidate boundary: terminal punctuation, optional closing quotes/brackets,
# then whitespace.  Group 1 is the punctuation run.
_BOUNDARY = re.compile(r"([.!?\u2026]+)[\"'\u201d\u2019)\]\u00bb]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.\-']+)$")
_NEXT_WORD = re.compile(r"\s+([\"'\u201c\u2018(\[\u00ab]*)(\S+)")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")


_OPEN_QUOTES = "`\u2018\u201c"
_UPPER = re.compile(r"[A-Z]")
_ATTACHED_COMMA = re.compile(r"\w,\s")
_SPACED_COMMA = re.compile(r"\s,\s")


def _quoted(text: str, i: int) -> bool:
    """Is the punctuation at ``i`` a character quoted as itself: `` `.' ``, ``'.'``, ``"?"``?"""
    if i == 0:
        return False
    c = text[i - 1]
    if c in _OPEN_QUOTES:
        return True
    return c in "'\"" and (i == 1 or text[i - 2] in " \t\r\n([")


def _tokenized(text: str, i: int, limit: int) -> bool:
    """Does the text around ``i`` space its punctuation off (``said so . then``),
    as tokenized corpora do? Then a lone period ends a sentence; in ordinary
    prose it is a period spoken of (``the period . matches``)."""
    a, b = max(0, i - 300), min(limit, i + 300)
    if not _UPPER.search(text, a, b):
        return True  # lowercased text: the tokenized corpora
    return len(_SPACED_COMMA.findall(text, a, b)) > len(_ATTACHED_COMMA.findall(text, a, b))


def _is_boundary(text: str, punct_start: int, punct: str, after: int, limit: int) -> bool:
    """Decide whether the punctuation at ``punct_start`` ends a sentence."""
    m = _NEXT_WORD.match(text, after, limit)
    if m is None:
        return False  # only whitespace follows: the span end handles it
    if punct_start > 0:
        before = text[punct_start - 1]
        if before == "$" or _quoted(text, punct_start):
            return False  # $? and $! of the shell; `.' and '?' spoken of
        if punct == "." and before.isspace() and after == punct_start + 1 and not _tokenized(text, punct_start, limit):
            return False  # "the period . matches": a lone period in prose
    nxt = m.group(2)
    first = nxt[0]
    if punct[0] in "!?\u2026" or len(punct) > 1:
        # "Really?" he asked.  -> keep together when a lowercase word follows
        # a quote-closed question; otherwise split.
        if first.islower() and text[punct_start + len(punct) : after].strip():
            return False
        return True
    # A single period: look at the word it ends.
    wm = _WORD_BEFORE.search(text, max(0, punct_start - 40), punct_start)
    word = wm.group(1) if wm else ""
    bare = word.lstrip("\"'(\u201c\u2018").lower()
    if bare in ABBREVIATIONS:
        return False
    if _INITIALISM.match(word + "."):
        # "U.S. Secretary" (no split) vs "the U.S. The next" (split).
        if first.isupper() and nxt.lower().strip(",;:") in _STARTERS:
            return True
        return False
    if len(bare) == 1 and bare.isalpha() and word.isupper():
        return False  # a middle initial: "John F. Kennedy"
    if first.isdigit() and bare.isdigit():
        return False  # "No. 5" / list numbering inside prose
    return True


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans (absolute offsets, trimmed).

    Args:
        text: the whole source text.
        start: where the block starts.
        end: where the block ends (defaults to ``len(text)``).

    Returns:
        ``[(s, e), ...]`` in order, non-empty, with no leading/trailing
        whitespace, covering every non-space character of the block.

    Example:
        >>> sentence_spans("One. Two!")
        [(0, 4), (5, 9)]
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _BOUNDARY.finditer(text, start, end):
        after = m.end()
        if _is_boundary(text, m.start(1), m.group(1), after, end):
            _push(text, cur, after, spans)
            cur = after
    _push(text, cur, end, spans)
    return spans


def _push(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        out.append((s, e))


_WORD = re.compile(r"\w+(?:['\u2019.-]\w+)*")


def word_count(text: str) -> int:
    """Number of words (runs of letters/digits) in ``text``."""
    return sum(1 for _ in _WORD.finditer(text))


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge those that overlap or touch.

    Example:
        >>> merge_spans([(5, 7), (0, 2), (2, 3)])
        [(0, 3), (5, 7)]
    """
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
