"""Renderers: result objects -> Rich renderables. They never print.

Article text always enters Rich as :class:`rich.text.Text` built from
:func:`osce_brief.sanitize.clean` output, never as markup.
"""

from __future__ import annotations

import re

from ..sanitize import clean

TYPE_CHECKING = False  # (importing typing costs start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from rich.text import Text

_WS = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")
# groff's line-end hyphenation (U+2010 HYPHEN between letters): the word is joined
_SOFT = re.compile(r"(?<=[^\W\d_])\u2010[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[^\W\d_])")
# a compound broken after its hyphen ("system-" / "wide"): joined, the hyphen kept
_HARD = re.compile(r"(?<=[^\W\d_])-[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[^\W\d_])")
# the extra spaces of justified text
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
# all of them at once, for :func:`flow_spans`
_ANY = re.compile(
    r"(?P<soft>(?<=[^\W\d_])\u2010[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[^\W\d_]))"
    r"|(?P<hard>(?<=[^\W\d_])-[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[^\W\d_]))"
    r"|(?P<nl>[ \t]*(?:\r\n|\r|\n)[ \t]*)"
    r"|(?P<sp>(?<=\S)[ \t]{2,}(?=\S))"
)
_REPL = {"soft": "", "hard": "-", "nl": " ", "sp": " "}


def safe(text: str, style: str = "") -> Text:
    """A Text of article ``text``, cleaned of control sequences, with ``style``."""
    from rich.text import Text

    return Text(clean(text), style=style)


def flow(text: str) -> str:
    r"""Join hard-wrapped lines of a paragraph for display.

    Line breaks become spaces; a word hyphenated at a line end by groff
    (``incorpo`` + U+2010 / ``rates``) is joined again, a compound broken after its
    hyphen (``system-`` / ``wide``) is joined with its hyphen, and the double
    spaces of justified text are single again. Only the display changes: offsets
    always refer to the source.

    Example:
        >>> flow("It incorpo\u2010\n    rates  a  system-\n  wide list")
        'It incorporates a system-wide list'
    """
    if "\n" in text or "\r" in text:
        if "\u2010" in text:
            text = _SOFT.sub("", text)
        if "-" in text:
            text = _HARD.sub("-", text)
        text = _WS.sub(" ", text)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text


def flow_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    r""":func:`flow` of ``text`` and ``spans`` (offsets into ``text``) moved onto it.

    A span edge inside a joined line break moves to the break's start (a start)
    or end (an end), so a highlighted word stays highlighted whole.

    Example:
        >>> flow_spans("incorpo\u2010\n  rates it", [(0, 16)])
        ('incorporates it', [(0, 12)])
    """
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []  # (src start, src end, out start, out end)
    pos = n = 0
    for m in _ANY.finditer(text):
        a, b = m.span()
        out.append(text[pos:a])
        n += a - pos
        r = _REPL[m.lastgroup]  # type: ignore[index]
        out.append(r)
        edits.append((a, b, n, n + len(r)))
        n += len(r)
        pos = b
    out.append(text[pos:])
    if not edits:
        return text, list(spans)
    from bisect import bisect_right

    starts = [e[0] for e in edits]

    def move(x: int, is_end: bool) -> int:
        k = bisect_right(starts, x) - 1
        if k < 0:
            return x
        a, b, oa, ob = edits[k]
        if x >= b:
            return ob + (x - b)
        if x == a:
            return oa
        return ob if is_end else oa  # inside the replaced text

    return "".join(out), [(move(s, False), move(e, True)) for s, e in spans]


def minutes(words: int) -> str:
    """A reading time such as ``4 min`` or ``<1 min``."""
    from ..outline import reading_minutes

    m = reading_minutes(words)
    if m < 1:
        return "<1 min"
    if m < 90:
        return f"{round(m)} min"
    return f"{m / 60:.1f} h"
