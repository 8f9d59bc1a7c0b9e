"""Lines of the reader's text pane, section by section, with offsets back into the source.

The reader shows the whole document as one scroll but never lays it all out:
each section is turned into terminal lines (Rich segments) only when it comes
near the view, and cached. Before that its height is an estimate from its
character count; :class:`DocLines` corrects the running totals when a section
is laid out for real.

Every line remembers the source offset it starts at, so a search hit, a
sentence or a saved position (all offsets into ``doc.source``) maps to a line,
and the line at the top of the view maps back to an offset.

Plain-text documents are laid out here as ``brief show`` does it (heading set
apart, paragraphs flowed), from :class:`rich.text.Text` objects built of cleaned
article text, so highlights (search hits, hedges) can be applied by offset.
Markdown documents are rendered by :func:`osce_brief.render.show.render_section`
as in ``brief show``; there a line's offset is interpolated within its section.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ..model import Document, Section
from ..sanitize import clean

_WS = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")  # as ``render.flow`` joins hard-wrapped lines

#: Mark kinds and their styles: search hits, the current hit, hedged sentences,
#: hedge cue words, a sentence jumped to (from the summary).
MARK_STYLES = {
    "hit": Style(bgcolor="yellow", color="black"),
    "current": Style(bgcolor="dark_orange", color="black", bold=True),
    "hedged": Style(italic=True, color="magenta"),
    "cue": Style(underline=True, bold=True, color="magenta"),
    "focus": Style(bgcolor="blue", color="white"),
}
MONO_STYLES = {
    "hit": Style(reverse=True),
    "current": Style(reverse=True, bold=True, underline=True),
    "hedged": Style(italic=True),
    "cue": Style(underline=True, bold=True),
    "focus": Style(reverse=True),
}
_ORDER = {"hedged": 0, "cue": 1, "focus": 2, "hit": 3, "current": 4}


@dataclass
class Laid:
    """One section laid out: its lines and the source offset each line starts at."""

    lines: list[list[Segment]]
    offsets: list[int]


@dataclass
class _Flowed:
    """A paragraph's display text and the map from source offsets into it."""

    text: str
    starts: list[int] = field(default_factory=list)  # source offset of each piece
    shown: list[int] = field(default_factory=list)  # display offset of each piece
    exact: list[bool] = field(default_factory=list)  # piece kept its length (no controls cleaned)

    def to_shown(self, off: int) -> int:
        k = bisect_right(self.starts, off) - 1
        if k < 0:
            return 0
        return self.shown[k] + (off - self.starts[k] if self.exact[k] else 0)

    def to_source(self, pos: int) -> int:
        k = bisect_right(self.shown, pos) - 1
        if k < 0:
            return self.starts[0] if self.starts else 0
        return self.starts[k] + (pos - self.shown[k] if self.exact[k] else 0)


def _flowed(src: str, start: int, end: int, join: bool) -> _Flowed:
    out = _Flowed("")
    parts: list[str] = []
    n = 0

    def add(piece: str, at: int) -> None:
        nonlocal n
        shown = clean(piece)
        out.starts.append(at)
        out.shown.append(n)
        out.exact.append(len(shown) == len(piece))
        parts.append(shown)
        n += len(shown)

    pos = start
    if join:
        for m in _WS.finditer(src, start, end):
            if m.start() > pos:
                add(src[pos : m.start()], pos)
            add(" ", m.start())
            pos = m.end()
    if end > pos:
        add(src[pos:end], pos)
    out.text = "".join(parts)
    return out


_WORD = re.compile(r"[^ \n]+ *| +")


def _cells(s: str) -> int:
    if s.isascii():
        return len(s)
    from rich.cells import cell_len

    return cell_len(s)


def wrap_ranges(plain: str, width: int) -> list[tuple[int, int]]:
    """``[start, end)`` of each line when ``plain`` is wrapped at ``width`` cells:
    greedily by words (trailing spaces hang past the edge), hard line breaks kept,
    words longer than a line cut.

    Example:
        >>> wrap_ranges("aaa bbb ccc", 7)
        [(0, 8), (8, 11)]
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for hard in plain.split("\n"):
        end = pos + len(hard)
        start, col = pos, 0
        for m in _WORD.finditer(hard):
            word = m.group()
            body = word.rstrip(" ")
            wl = _cells(body)
            ws = pos + m.start()
            if col and col + wl > width:
                out.append((start, ws))
                start, col = ws, 0
            while wl > width:  # a word wider than the line: cut it
                cut = ws + width if body.isascii() else ws + max(1, width // 2)
                out.append((start, cut))
                body = plain[cut : ws + len(body)]
                ws = start = cut
                wl = _cells(body)
            col += wl + (len(word) - len(word.rstrip(" ")))
        out.append((start, end))
        pos = end + 1
    return out


class DocLines:
    """The reader's lines for ``doc`` at a given measure (columns), laid out lazily.

    Args:
        doc: the document.
        measure: width of the text column.
        color: styled (False: monochrome marks, no colours).
    """

    def __init__(self, doc: Document, measure: int, color: bool = True) -> None:
        self.doc = doc
        self.sections: list[Section] = list(doc.all_sections()) or [
            Section(0, 0, "", 0, len(doc.source), 0, 0, kind="lead")  # an empty document: one empty lead
        ]
        self.starts = [s.start for s in self.sections]
        self.color = color
        self.marks: list[tuple[int, int, str]] = []  # (start, end, kind), sorted by start
        self._mark_starts: list[int] = []
        self.console = Console(width=max(20, measure), color_system="truecolor" if color else None,
                               force_terminal=True, legacy_windows=False, no_color=not color, highlight=False)
        self.set_measure(measure)

    # ------------------------------------------------------------ geometry
    def set_measure(self, measure: int) -> None:
        """Lay out for a new width: every section goes back to an estimate."""
        self.measure = max(20, measure)
        self.console.width = self.measure
        self.cache: dict[int, Laid] = {}
        self.heights = [self._estimate(i) for i in range(len(self.sections))]
        self._retotal()

    def _retotal(self) -> None:
        tops, y = [], 0
        for h in self.heights:
            tops.append(y)
            y += h
        self.tops = tops
        self.total = y

    def _estimate(self, i: int) -> int:
        s = self.sections[i]
        w = max(10, int(self.measure * 0.92))
        lines = (2 if i else 0) + 2  # rule + blank, heading + blank
        if s.kind == "lead" and self.doc.title:
            lines += 3
        for p in s.paragraphs:
            if p.kind != "meta":
                lines += -(-len(p.text) // w) + 1 if p.kind == "text" else p.text.count("\n") + 2
        return max(1, lines)

    def index_at_line(self, y: int) -> int:
        """The position (in :attr:`sections`) of the section holding line ``y``."""
        return max(0, bisect_right(self.tops, y) - 1)

    def index_of_offset(self, off: int) -> int:
        """The position of the section holding source offset ``off``."""
        return max(0, bisect_right(self.starts, off) - 1)

    def laid(self, i: int) -> tuple[Laid, int]:
        """Section ``i`` laid out, and how much its height changed (0 if it was cached)."""
        got = self.cache.get(i)
        if got is not None:
            return got, 0
        got = self._layout(i)
        self.cache[i] = got
        delta = len(got.lines) - self.heights[i]
        if delta:
            self.heights[i] = len(got.lines)
            self._retotal()
        return got, delta

    def line(self, y: int) -> list[Segment] | None:
        """Line ``y`` if its section is laid out (None if not; empty past the end)."""
        if y < 0 or y >= self.total:
            return []
        i = self.index_at_line(y)
        got = self.cache.get(i)
        if got is None:
            return None
        k = y - self.tops[i]
        return got.lines[k] if k < len(got.lines) else []

    def offset_at_line(self, y: int) -> int:
        """The source offset shown at line ``y`` (estimated in a section not laid out)."""
        i = self.index_at_line(max(0, y))
        s, k = self.sections[i], max(0, y - self.tops[i])
        got = self.cache.get(i)
        if got is None or not got.offsets:
            return s.start + (s.end - s.start) * min(k, self.heights[i]) // max(1, self.heights[i])
        return got.offsets[min(k, len(got.offsets) - 1)]

    def line_of_offset(self, off: int) -> int:
        """The line showing source offset ``off`` (lays its section out)."""
        i = self.index_of_offset(off)
        got, _ = self.laid(i)
        k = max(0, bisect_right(got.offsets, off) - 1)
        # lines before the first body line carry the section start: prefer the last of them
        return self.tops[i] + k

    def top_of(self, i: int) -> int:
        """First line of section ``i``, on its heading (after the rule)."""
        return self.tops[i] + (2 if i else 0)

    # ------------------------------------------------------------ marks
    def set_marks(self, marks: list[tuple[int, int, str]]) -> None:
        """Replace the highlights (source offsets); sections laid out again on demand."""
        old = set(self.marks)
        self.marks = sorted(marks)
        self._mark_starts = [a for a, _, _ in self.marks]
        changed = old.symmetric_difference(self.marks)
        for i in {self.index_of_offset(a) for a, _, _ in changed} | {self.index_of_offset(b) for _, b, _ in changed}:
            self.cache.pop(i, None)

    def _marks_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        k = bisect_right(self._mark_starts, start)
        # a mark starting before ``start`` may reach into the range: step back over a few
        j = k
        while j > 0 and self.marks[j - 1][1] > start and k - j < 64:
            j -= 1
        out = []
        for a, b, kind in self.marks[j:]:
            if a >= end:
                break
            if b > start:
                out.append((a, b, kind))
        return sorted(out, key=lambda m: _ORDER.get(m[2], 0))

    # ------------------------------------------------------------ layout
    def _wrap(self, text: Text, lines: list, offsets: list, flowed: _Flowed | None, at: int) -> None:
        """Rich's own wrapping (for headings and other short lines)."""
        wrapped = text.wrap(self.console, self.measure)
        pos = 0
        plain = text.plain
        for line in wrapped:
            found = plain.find(line.plain, pos) if line.plain else -1
            if found >= 0:
                pos = found
            offsets.append(flowed.to_source(pos) if flowed is not None else at)
            lines.append(list(line.render(self.console, end="")))
            if found >= 0:
                pos = found + len(line.plain)

    def _fast_wrap(self, text: Text, lines: list, offsets: list, flowed: _Flowed) -> None:
        """Greedy word wrap of a paragraph at the measure, as ``brief show`` sets it
        (Rich's wrapping is several times slower on a book chapter)."""
        plain = text.plain
        ranges = wrap_ranges(plain, self.measure)
        if not text.spans and not text.style:
            for a, b in ranges:
                offsets.append(flowed.to_source(a))
                chunk = plain[a:b].rstrip()
                lines.append([Segment(chunk)] if chunk else [])
            return
        cuts = [a for a, _ in ranges[1:]]
        for (a, _), line in zip(ranges, text.divide(cuts)):
            line.rstrip()
            offsets.append(flowed.to_source(a))
            lines.append(list(line.render(self.console, end="")))

    def _blank(self, lines: list, offsets: list, at: int) -> None:
        lines.append([])
        offsets.append(at)

    def _layout(self, i: int) -> Laid:
        doc, s = self.doc, self.sections[i]
        lines: list[list[Segment]] = []
        offsets: list[int] = []
        if i:
            lines.append([Segment("\u2500" * self.measure, Style(dim=True))])
            offsets.append(s.start)
            self._blank(lines, offsets, s.start)
        if doc.format == "markdown":
            from ..render.show import render_section

            body = self.console.render_lines(render_section(doc, s), self.console.options.update_width(self.measure),
                                             pad=False)
            n = len(body)
            for k, segs in enumerate(body):
                lines.append(list(segs))
                offsets.append(s.start + (s.end - s.start) * k // max(1, n))
            self._blank(lines, offsets, s.end)
            return Laid(lines, offsets)
        for head in self._heading(s):
            self._wrap(head, lines, offsets, None, s.start)
        self._blank(lines, offsets, s.start)
        for p in s.paragraphs:
            if p.kind == "meta":
                continue
            fl = _flowed(doc.source, p.start, p.end, p.kind == "text")
            text = Text(fl.text)
            for a, b, kind in self._marks_in(p.start, p.end):
                style = (MARK_STYLES if self.color else MONO_STYLES).get(kind)
                fa, fb = fl.to_shown(max(a, p.start)), fl.to_shown(min(b, p.end))
                if style is not None and fb > fa:
                    text.stylize(style, fa, fb)
            self._fast_wrap(text, lines, offsets, fl)
            self._blank(lines, offsets, p.end)
        return Laid(lines, offsets)

    def _heading(self, s: Section) -> list[Text]:
        if s.kind == "lead":
            if not self.doc.title:
                return []
            from ..render.outline import render_header

            return [h if isinstance(h, Text) else Text(str(h)) for h in render_header(
                self.doc.title, self.doc.author, self.doc.subtitle, self.doc.meta)]
        label = Text("" if s.kind == "back" else f"{s.index}  ", "cyan" if self.color else "")
        label.append(clean(s.title), "bold underline" if s.level == 1 else "bold")
        return [label]
