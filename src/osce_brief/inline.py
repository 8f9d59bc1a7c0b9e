"""Displayed text and its map back to the source: :class:`Shown`.

A Markdown sentence such as ``Use `fs.open()` ([docs](https://x.org/fs)).`` is
displayed as ``Use fs.open() (docs).``: markup and link targets are not shown,
entity references are decoded. Every result still points into the source
(``source[start:end] == text``); :class:`Shown` carries the displayed text with a
map from each displayed character back to source offsets, so a search hit found
in the source lands on the right displayed characters, and a sentence found in
the displayed text has exact source offsets.

The map is a list of segments ``(v, s, vl, sl)``: displayed ``text[v:v+vl]``
comes from ``source[s:s+sl]``. When ``vl == sl`` the characters map one to one;
otherwise the segment is atomic (an entity reference ``&amp;`` shown as ``&``, a
line break and indentation shown as one space). Source text between segments is
not displayed (markup). Segments are in source order and do not overlap.

This module is pure and format-agnostic (the Markdown loader builds the
segments); it imports nothing beyond the standard library.
"""

from __future__ import annotations

from bisect import bisect_right


class Shown:
    """Displayed text with a map to source offsets.

    Attributes:
        text: the displayed text.

    Example:
        >>> src = "Use `x` now"
        >>> s = Shown.build([("Use ", 0, 4), ("x", 5, 1), (" now", 7, 4)])
        >>> s.text, s.source_span(4, 5), s.shown_span(4, 7)
        ('Use x now', (5, 6), (4, 5))
    """

    __slots__ = ("text", "_v", "_s", "_vl", "_sl")

    def __init__(self, text: str, v: list[int], s: list[int], vl: list[int], sl: list[int]) -> None:
        self.text = text
        self._v, self._s, self._vl, self._sl = v, s, vl, sl

    # ------------------------------------------------------------ building
    @classmethod
    def build(cls, pieces) -> Shown:
        """From ``(text, source_start, source_length)`` pieces in source order.

        A piece whose text is as long as its source maps one to one; any other
        piece is atomic. Adjacent one-to-one pieces are merged.
        """
        parts: list[str] = []
        v: list[int] = []
        s: list[int] = []
        vl: list[int] = []
        sl: list[int] = []
        pos = 0
        for text, start, length in pieces:
            n = len(text)
            if not n:
                continue
            if v and vl[-1] == sl[-1] and n == length and s[-1] + sl[-1] == start:
                vl[-1] += n
                sl[-1] += n
            else:
                v.append(pos)
                s.append(start)
                vl.append(n)
                sl.append(length)
            parts.append(text)
            pos += n
        return cls("".join(parts), v, s, vl, sl)

    @classmethod
    def identity(cls, text: str, start: int) -> Shown:
        """``text`` shown as it is in the source, starting at ``start``."""
        if not text:
            return cls("", [], [], [], [])
        return cls(text, [0], [start], [len(text)], [len(text)])

    @classmethod
    def join(cls, parts: list[Shown], sep: str = " ") -> Shown:
        """Concatenate displayed texts in source order, ``sep`` between them.

        The separator maps onto the source between the two parts (none is added
        when they touch).
        """
        pieces: list[tuple[str, int, int]] = []
        prev_end = None
        for p in parts:
            if not p.text:
                continue
            if prev_end is not None and sep and p._s[0] > prev_end:
                pieces.append((sep, prev_end, p._s[0] - prev_end))
            pieces.extend(p._pieces())
            prev_end = p._s[-1] + p._sl[-1]
        return cls.build(pieces)

    def _pieces(self):
        t = self.text
        for v, s, vl, sl in zip(self._v, self._s, self._vl, self._sl):
            yield (t[v : v + vl], s, sl)

    # ------------------------------------------------------------ queries
    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return f"Shown({self.text!r})"

    @property
    def source_start(self) -> int | None:
        """Source offset of the first displayed character (None when empty)."""
        return self._s[0] if self._s else None

    @property
    def source_end(self) -> int | None:
        """Source offset after the last displayed character (None when empty)."""
        return self._s[-1] + self._sl[-1] if self._s else None

    def is_identity(self) -> bool:
        """True when the text is one unchanged stretch of the source."""
        return len(self._v) <= 1 and (not self._v or self._vl[0] == self._sl[0])

    def _seg(self, i: int) -> int:
        """Index of the segment holding displayed character ``i``."""
        return bisect_right(self._v, i) - 1

    def source_start_of(self, i: int) -> int:
        """Source offset where displayed character ``i`` starts."""
        k = self._seg(i)
        v, s, vl, sl = self._v[k], self._s[k], self._vl[k], self._sl[k]
        return s + (i - v) if vl == sl else s

    def source_end_of(self, i: int) -> int:
        """Source offset where displayed character ``i`` ends."""
        k = self._seg(i)
        v, s, vl, sl = self._v[k], self._s[k], self._vl[k], self._sl[k]
        return s + (i - v) + 1 if vl == sl else s + sl

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Source ``[start, end)`` of displayed ``text[a:b]`` (``a < b``)."""
        return self.source_start_of(a), self.source_end_of(b - 1)

    def shown_span(self, s: int, e: int) -> tuple[int, int]:
        """Displayed ``[a, b)`` of source ``[s, e)``; ``a == b`` when none of it is shown."""
        starts = self._s
        if not starts:
            return 0, 0
        # first segment ending after s
        k = bisect_right(starts, s) - 1
        if k >= 0 and s >= starts[k] + self._sl[k]:
            k += 1
        if k < 0:
            k = 0
        if k >= len(starts):
            n = len(self.text)
            return n, n
        v0, s0, vl, sl = self._v[k], starts[k], self._vl[k], self._sl[k]
        a = v0 + (s - s0) if (vl == sl and s > s0) else v0
        # last segment starting before e
        j = bisect_right(starts, e - 1) - 1
        if j < 0:
            return a, a
        v1, s1, vl1, sl1 = self._v[j], starts[j], self._vl[j], self._sl[j]
        b = v1 + min(e - s1, vl1) if vl1 == sl1 else v1 + vl1
        return (a, b) if b > a else (a, a)

    def slice(self, a: int, b: int) -> Shown:
        """The displayed ``text[a:b]`` with its map (atomic segments kept whole)."""
        if a <= 0 and b >= len(self.text):
            return self
        if a >= b:
            return Shown("", [], [], [], [])
        k0, k1 = self._seg(a), self._seg(b - 1)
        v, s, vl, sl = [], [], [], []
        for k in range(k0, k1 + 1):
            sv, ss, svl, ssl = self._v[k], self._s[k], self._vl[k], self._sl[k]
            if svl == ssl:
                lo, hi = max(a, sv), min(b, sv + svl)
                v.append(lo - a)
                s.append(ss + lo - sv)
                vl.append(hi - lo)
                sl.append(hi - lo)
            else:
                v.append(max(sv, a) - a)
                s.append(ss)
                vl.append(min(b, sv + svl) - max(sv, a))
                sl.append(ssl)
        return Shown(self.text[a:b], v, s, vl, sl)
