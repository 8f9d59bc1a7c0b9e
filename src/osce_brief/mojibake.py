"""Mojibake repair: UTF-8 text that was once decoded as Latin-1 or Windows-1252.

"NatÃ¡sha" is what "Natásha" becomes when its UTF-8 bytes are read as Latin-1
(or Windows-1252) and the result is saved as UTF-8 again. :func:`repair` finds
such sequences and decodes them back with ftfy (https://ftfy.readthedocs.io),
the library made for exactly this. It is built to be cheap and cautious:

* ASCII text, and text without the pair that this mojibake always holds (a
  letter U+00C2-U+00F4, which is a UTF-8 lead byte read as Latin-1, followed
  by a character that is a UTF-8 continuation byte read as Latin-1 or
  Windows-1252), is returned at once, without importing ftfy;
* only the short runs of non-ASCII characters around such pairs go to ftfy
  (its UTF-8 detector, its badness test, then :func:`ftfy.fix_encoding`), never
  the whole text: War and Peace (3.3 MB, 10,600 sequences) takes about 0.1 s;
* the text is repaired only when the repaired sequences outnumber the other
  non-ASCII letters in it. A French, Portuguese or German text that is right
  (``"SÃO PAULO"``, ``"à la"``) is left alone, and so is one in which a few
  sequences sit among correctly decoded letters (a page that explains mojibake,
  or quotes it): only a text whose accented letters are mostly mojibake is
  rewritten.

Nothing else is touched: no quote uncurling, no Unicode normalization, no
ligature or control-character changes (ftfy's other fixers stay off).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Characters that a UTF-8 continuation byte (0x80-0xBF) becomes when read as
#: Latin-1 (U+0080-U+00BF) or as Windows-1252 (the letters and punctuation it
#: puts at 0x80-0x9F).
_CONT = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
#: A UTF-8 lead byte read as Latin-1 (0xC2-0xF4), then a continuation character;
#: or "Ã " ("à" whose second byte, U+00A0, became a space).
_PAIR = re.compile("[\u00c2-\u00f4][" + _CONT + "]|\u00c3 ")


@lru_cache(maxsize=1)
def _byte_pair() -> re.Pattern[bytes]:
    """:data:`_PAIR` for UTF-8 bytes (the mojibake text saved as UTF-8), built on first use."""
    lead = b"\xc3[\x82-\xb4]"
    conts = sorted({chr(c).encode() for c in range(0x80, 0xC0)} | {
        ch.encode() for ch in "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a"
        "\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"})
    return re.compile(lead + b"(?:" + b"|".join(re.escape(c) for c in conts) + b")|\xc3\x83 ")


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: How far a window reaches around a pair (runs of non-ASCII characters and spaces).
_REACH = 256


def has_candidates(text: str) -> bool:
    """True when ``text`` holds a sequence that may be mojibake (cheap; no ftfy).

    Example:
        >>> has_candidates("Anna PÃ¡vlovna"), has_candidates("Anna Pávlovna")
        (True, False)
    """
    return not text.isascii() and _PAIR.search(text) is not None


def bytes_have_candidates(data: bytes) -> bool:
    """:func:`has_candidates` for UTF-8 bytes (used before decoding, e.g. by search's pre-screen)."""
    return not data.isascii() and _byte_pair().search(data) is not None


def _in_run(c: str) -> bool:
    return c >= "\x80" or c == " "


def find_repairs(text: str) -> list[tuple[int, int, str]]:
    """The mojibake sequences of ``text`` and their repairs, in order.

    Returns ``[(start, end, fixed), ...]`` with ``text[start:end]`` the mojibake
    and ``fixed`` what ftfy decodes it to; empty when the text has none, or when
    :mod:`ftfy` is missing, or when the text does not pass the caution test
    described in the module docstring.
    """
    if not has_candidates(text):
        return []
    try:
        from ftfy import fix_encoding
        from ftfy.badness import is_bad
        from ftfy.chardata import UTF8_DETECTOR_RE
    except ImportError:  # pragma: no cover - ftfy is a required dependency
        return []
    n = len(text)
    found: list[tuple[int, int, str]] = []
    inside = 0  # non-ASCII letters in the repaired sequences
    # A window is the run of non-ASCII characters (and spaces: ftfy reads a space
    # as a lost U+00A0) around a pair: it holds every detector match that touches
    # the pair, and what ftfy makes of it depends on its text alone (the character
    # before it is ASCII), so each distinct window is examined once.
    memo: dict[str, tuple[list[tuple[int, int, str]], int]] = {}
    done = 0
    for m in _PAIR.finditer(text):
        a, b = m.span()
        if a < done:
            continue
        lo, hi = max(done, a - _REACH), min(n, b + _REACH)
        while a > lo and _in_run(text[a - 1]):
            a -= 1
        while b < hi and _in_run(text[b]):
            b += 1
        done = b
        window = text[a:b]
        clean = a == 0 or text[a - 1] < "\x80"
        got = memo.get(window) if clean else None
        if got is None:
            fixes = []
            letters = 0
            for d in UTF8_DETECTOR_RE.finditer(text, a, b):
                s = d.group(0)
                if is_bad(s):
                    fixed = fix_encoding(s)
                    if fixed != s:
                        fixes.append((d.start() - a, d.end() - a, fixed))
                        letters += sum(1 for c in s if c >= "\x80" and c.isalpha())
            got = (fixes, letters)
            if clean:
                memo[window] = got
        if got[0]:
            inside += got[1]
            for s, e, f in got[0]:
                found.append((a + s, a + e, f))
    if not found:
        return []
    # caution: the repaired sequences must outnumber the other non-ASCII letters
    if len(found) <= _letters(text) - inside:
        return []
    return found


def _letters(text: str) -> int:
    """About how many non-ASCII letters ``text`` holds, counted on its UTF-8 bytes
    (fast): every character from U+00C0 on, except U+2000-U+2FFF (punctuation,
    symbols, arrows, box drawing)."""
    data = text.encode("utf-8", "surrogatepass")
    leads = len(data) - len(data.translate(None, _FROM_C3))  # U+00C0 and above
    return leads - data.count(b"\xe2")


_FROM_C3 = bytes(range(0xC3, 0x100))


def repair(text: str) -> tuple[str, int]:
    """Repair UTF-8-read-as-Latin-1 mojibake in ``text``.

    Returns:
        ``(text, count)``: the repaired text and the number of sequences repaired
        (``(text, 0)``, the same object, when nothing was repaired).

    Example:
        >>> repair("Anna PÃ¡vlovna SchÃ©rer")
        ('Anna Pávlovna Schérer', 2)
        >>> repair("SÃO PAULO, à la carte")
        ('SÃO PAULO, à la carte', 0)
    """
    found = find_repairs(text)
    if not found:
        return text, 0
    out: list[str] = []
    pos = 0
    for s, e, fixed in found:
        out.append(text[pos:s])
        out.append(fixed)
        pos = e
    out.append(text[pos:])
    return "".join(out), len(found)
