"""Render a :class:`~osce_brief.hedges.HedgeReport`: a speculation profile, then sentences.

The profile has one row per section with a small bar and the share of hedged
sentences, plus the total. Below it come the hedged sentences (or, with
``reported=True``, the sentences stated as fact), labelled by section, with their
cue words highlighted by :meth:`rich.text.Text.stylize` spans. Article text is
cleaned piece by piece (:func:`osce_brief.sanitize.clean` can change lengths), so
the highlights always sit on the cue words.
"""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.text import Text

from ..hedges import HedgedSentence, HedgeReport, SectionHedges
from ..sanitize import clean
from . import flow, safe

BAR_WIDTH = 12
CUE_STYLE = "bold yellow underline"


def bar(ratio: float, width: int = BAR_WIDTH) -> Text:
    """A bar such as ``█████·······`` for ``ratio`` in [0, 1]."""
    ratio = min(max(ratio, 0.0), 1.0)
    filled = round(ratio * width)
    if ratio > 0 and filled == 0:
        filled = 1
    t = Text("\u2588" * filled, "yellow")
    t.append("\u00b7" * (width - filled), "dim")
    return t


def share_cell(ratio: float, width: int = 8) -> Text:
    """A compact bar plus percentage, e.g. for ``brief outline --hedges``."""
    t = bar(ratio, width)
    t.append(f" {ratio * 100:3.0f}%")
    return t


def _label(index: int, title: str) -> Text:
    t = Text()
    if index > 0:
        t.append(f"\u00a7{index} ", "cyan")
    else:
        t.append("lead " if index == 0 else "end ", "dim cyan")
    t.append_text(safe(flow(title), "bold"))
    return t


def highlight(sentence: HedgedSentence, style: str = CUE_STYLE) -> Text:
    """The sentence as display text (lines joined, cleaned) with its cues styled.

    The sentence is cut at the cue boundaries and each piece is flowed and cleaned
    on its own, so the styled spans match the cues even when cleaning changes
    lengths.
    """
    base = sentence.start
    raw = sentence.text
    cues = sentence.cues
    if sentence.shown is not None:  # Markdown: the displayed text and its cues
        base, raw, cues = 0, sentence.shown, sentence.shown_cues
    text = Text()
    spans: list[tuple[int, int]] = []
    pos = 0
    for s, e in cues:
        s, e = max(s - base, pos), min(e - base, len(raw))
        if s >= e:
            continue
        text.append(clean(flow(raw[pos:s])))
        start = len(text)
        text.append(clean(flow(raw[s:e])))
        spans.append((start, len(text)))
        pos = e
    text.append(clean(flow(raw[pos:])))
    for s, e in spans:
        text.stylize(style, s, e)
    return text


def _profile(report: HedgeReport) -> list[Text]:
    rows: list[SectionHedges] = list(report.sections)
    wi = max([1] + [len(str(r.index)) if r.index > 0 else 4 for r in rows])
    lines: list[Text] = []
    head = Text(style="bold dim")
    head.append("#".rjust(wi) + "  " + "Hedged".ljust(BAR_WIDTH) + "  " + "Share" + "  " + "Sentences" + "  Section")
    lines.append(head)
    for r in rows:
        line = Text()
        if r.index > 0:
            line.append(str(r.index).rjust(wi), "cyan")
        else:
            line.append(("lead" if r.index == 0 else "end")[: max(wi, 1)].rjust(wi), "dim cyan")
        line.append("  ")
        if r.sentences:
            line.append_text(bar(r.ratio))
            line.append(f"  {r.ratio * 100:4.0f}%  ")
            line.append(f"{r.hedged:>4,}/{r.sentences:<4,}".ljust(9), "dim")
        else:  # a part heading with no prose of its own
            line.append(" " * BAR_WIDTH + "      \u2013  " + " " * 9, "dim")
        line.append("  ")
        if r.title:
            line.append_text(safe(flow(r.title)))
        else:
            line.append("(lead)" if r.index == 0 else "(end)", "dim italic")
        line.no_wrap = True
        line.overflow = "ellipsis"
        lines.append(line)
    total = Text(style="bold")
    total.append(" " * wi + "  ")
    total.append_text(bar(report.ratio))
    total.append(f"  {report.ratio * 100:4.0f}%  ")
    total.append(f"{report.hedged_count:>4,}/{report.total:<4,}".ljust(9))
    total.append("  total")
    lines.append(total)
    return lines


class _SentenceList:
    """Sentences grouped under section labels, as bullets with a hanging indent.

    Lays lines out itself (a greedy wrap on single-cell text, Rich's wrap
    otherwise) so that thousands of sentences from a book render in a fraction of
    a second.
    """

    BULLET = "  \u2022 "

    def __init__(self, sentences: list[HedgedSentence], highlight_cues: bool) -> None:
        self.sentences = sentences
        self.highlight_cues = highlight_cues

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        width = options.max_width
        indent = len(self.BULLET)
        avail = max(10, width - indent)
        bullet = Segment(self.BULLET, console.get_style("dim"))
        pad = Segment(" " * indent)
        newline = Segment.line()
        # Without colours (output piped), styles are dropped anyway: skip building them.
        plain_only = console.color_system is None
        current = None
        for s in self.sentences:
            if s.section_index != current:
                current = s.section_index
                yield newline
                label = _label(s.section_index, s.section_title)
                label.truncate(width, overflow="ellipsis")
                yield from label.render(console)
                yield newline
            if plain_only:
                plain = clean(flow(s.shown if s.shown is not None else s.text))
                if plain.isascii() or not _MAYBE_WIDE.search(plain):
                    # The bullet, then one unstyled segment for all the lines (styles
                    # are dropped anyway); the bullet stays apart because Rich measures
                    # a short segment once but a line with "•" in it char by char.
                    cuts = [0, *_breaks(plain, avail), len(plain)]
                    parts = []
                    for k in range(0, len(cuts), 2):
                        if k:
                            parts.append(pad.text)
                        parts.append(plain[cuts[k] : cuts[k + 1]])
                        parts.append("\n")
                    yield bullet
                    yield Segment("".join(parts))
                    continue
                text = Text(plain)
            else:
                text = highlight(s) if self.highlight_cues else safe(flow(s.shown if s.shown is not None else s.text))
                plain = text.plain
            narrow = plain.isascii() or not _MAYBE_WIDE.search(plain)
            if narrow and len(plain) <= avail:
                lines = [text]
            elif narrow:
                lines = list(text.divide(_breaks(plain, avail)))[::2]  # drop the gaps
            else:
                lines = text.wrap(console, avail)
            for k, line in enumerate(lines):
                yield bullet if k == 0 else pad
                yield from line.render(console)
                yield newline


# Characters that may not take exactly one terminal cell (wide, combining, zero-width,
# controls): text with any of them is wrapped by Rich instead of the fast path.
_MAYBE_WIDE = re.compile("[^\x20-\x7e\u00a0-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e]")


def _breaks(plain: str, avail: int) -> list[int]:
    """Cut points for a greedy wrap at ``avail`` columns of single-cell text.

    The result alternates line ends and next-line starts, so that
    ``Text.divide`` yields line, gap, line, gap ... (gaps are the spaces dropped).
    """
    cuts: list[int] = []
    start, n = 0, len(plain)
    while n - start > avail:
        cut = plain.rfind(" ", start, start + avail + 1)
        if cut <= start:
            cut = nxt = start + avail  # a word longer than the line: split it
        else:
            nxt = cut + 1
            while nxt < n and plain[nxt] == " ":
                nxt += 1
        cuts.extend((cut, nxt))
        start = nxt
    return cuts


def render_hedges(report: HedgeReport, title: str | None = None, reported: bool = False) -> RenderableType:
    """The speculation profile, then the hedged (or, with ``reported``, the factual) sentences.

    Args:
        report: the result of :func:`osce_brief.hedges.analyze`.
        title: the document title for a header line, if any.
        reported: list the sentences stated as fact instead of the hedged ones.
    """
    parts: list[RenderableType] = []
    if title:
        parts.append(safe(flow(title), "bold"))
        parts.append(Text(""))
    if not report.sentences:
        parts.append(Text("(no prose sentences to analyse)", "dim"))
        return Group(*parts)
    parts.extend(_profile(report))
    parts.append(Text(""))
    chosen = report.reported() if reported else report.hedged()
    kind = "stated as fact" if reported else "hedged"
    if not chosen:
        parts.append(Text(f"(no sentence is {kind})", "dim"))
        return Group(*parts)
    heading = Text("Reported sentences" if reported else "Hedged sentences", "bold")
    heading.append(" (cue words highlighted)" if not reported else "", "dim")
    parts.append(heading)
    parts.append(_SentenceList(chosen, highlight_cues=not reported))
    parts.append(Text(""))
    foot = f"{len(chosen):,} of {report.total:,} sentences {kind} ({len(chosen) / report.total:.0%})"
    if not reported:
        foot += " · `--reported` lists the others"
    parts.append(Text(foot, "dim"))
    return Group(*parts)
