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

_WS = re.compile(r"[ \t]*(?:(?:\r\n|\r|\n)[ \t]*)+")
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
    r"|(?P<nl>[ \t]*(?:(?:\r\n|\r|\n)[ \t]*)+)"
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


def pieces(source: str, p, fmt: str = "text") -> list[tuple[int, str, bool]]:
    """How a plain-text paragraph reads on screen: ``(indent, text, wrap)`` pieces.

    * prose is flowed (:func:`flow`); a hanging tag over indented text (a man
      page's ``-E, --extended-regexp`` / its description) keeps its own line and
      the text under it is indented;
    * a list gives one flowed piece per item (nested items indented);
    * code and other verbatim kinds keep their lines, less their common
      indentation (``wrap`` False).

    Other formats (Markdown, HTML) give their text as it is (flowed for prose).
    """
    text = p.text
    if fmt != "text":
        return [(0, flow(text) if p.kind == "text" else text, p.kind == "text")]
    if p.kind == "meta":
        return [(0, text, True)]
    ls = max(source.rfind("\n", 0, p.start), source.rfind("\r", 0, p.start)) + 1
    lead = source[ls : p.start]
    lines = (lead + text).splitlines() if not lead.strip() else [" " * len(lead) + text.splitlines()[0]] + text.splitlines()[1:]
    if len(lines) == 1 and p.kind not in ("code", "list"):
        return [(0, flow(text), True)]
    ind = [len(ln) - len(ln.lstrip()) for ln in lines]
    if p.kind in ("code", "table", "html", "rule"):
        cut = min(i for i, ln in zip(ind, lines) if ln.strip())
        return [(4 if p.kind == "code" else 0, "\n".join(ln[cut:].rstrip() for ln in lines), False)]
    if p.kind == "list":
        from ..segment import LIST_ITEM

        out: list[tuple[int, list[str]]] = []
        cols: list[int] = []
        for ln, i in zip(lines, ind):
            if LIST_ITEM.match(ln) or not out:
                while cols and cols[-1] > i:
                    cols.pop()
                if not cols or cols[-1] < i:
                    cols.append(i)
                out.append((2 * (len(cols) - 1), [ln.strip()]))
            else:
                out[-1][1].append(ln.strip())
        return [(d, flow("\n".join(parts)), True) for d, parts in out]
    rest = ind[1:]
    if rest and min(rest) >= ind[0] + 3 and len(lines[0].strip()) <= 48:
        # a tag hanging over its text
        return [(0, lines[0].strip(), False), (4, flow("\n".join(ln.strip() for ln in lines[1:])), True)]
    return [(0, flow(text), True)]


def minutes(words: int) -> str:
    """A reading time such as ``4 min`` or ``<1 min``."""
    from ..outline import reading_minutes

    m = reading_minutes(words)
    if m < 1:
        return "<1 min"
    if m < 90:
        return f"{round(m)} min"
    return f"{m / 60:.1f} h"
