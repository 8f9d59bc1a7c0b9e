"""Render a :class:`~osce_brief.summarize.Summary` or a by-section gist outline.

Each summary sentence is shown with the section it comes from (``§2``), so the
reader can check it with ``brief show 2``. Article text enters Rich only as
cleaned :class:`rich.text.Text`.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..summarize import SectionSummary, Summary, SummarySentence
from . import flow, safe


def _tag(s: SummarySentence) -> Text:
    if s.section_index > 0:
        return Text(f"§{s.section_index}", "cyan")
    return Text("lead" if s.section_index == 0 else "end", "dim cyan")


def render_summary(summary: Summary, title: str | None = None, show_sections: bool = True) -> RenderableType:
    """The summary as a numbered list of sentences, each tagged with its section.

    Args:
        summary: the result of :func:`osce_brief.summarize.summarize`.
        title: a header line (the document title), if any.
        show_sections: add the section number and heading after each sentence.
    """
    parts: list[RenderableType] = []
    if title:
        parts.append(safe(title, "bold"))
        parts.append(Text(""))
    if not summary.sentences:
        parts.append(Text("(nothing to summarize: no prose sentences)", "dim"))
        return Group(*parts)
    if any(len(s.shown if s.shown is not None else s.text) > LONG for s in summary.sentences):
        parts.append(_LongRows(summary, show_sections))
        parts.append(_footer(summary))
        return Group(*parts)
    table = Table(box=None, show_header=False, pad_edge=False, expand=False)
    table.add_column("tag", justify="right", no_wrap=True)
    table.add_column("sentence", overflow="fold")
    for s in summary.sentences:
        body = safe(flow(s.shown if s.shown is not None else s.text))
        if show_sections and s.section_title:
            body.append("\n")
            body.append_text(safe(f"— {flow(s.section_title)}", "dim italic"))
        table.add_row(_tag(s), body)
        table.add_row("", "")
    parts.append(table)
    parts.append(_footer(summary))
    return Group(*parts)


def _footer(summary: Summary) -> Text:
    return Text(
        f"{len(summary.sentences)} of {summary.candidates} sentences · {summary.words:,} words · method {summary.method}",
        "dim",
    )


#: A sentence longer than this (a hostile or unpunctuated text) is laid out by
#: :class:`_LongRows` instead of a Rich table, which measures text cell by cell.
LONG = 5_000


class _LongRows:
    """The table's layout (tag, two spaces, wrapped sentence), in linear time."""

    def __init__(self, summary: Summary, show_sections: bool) -> None:
        self.summary, self.show_sections = summary, show_sections

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        from ..sanitize import clean
        from .hedges import _MAYBE_WIDE, _breaks

        tags = [_tag(s) for s in self.summary.sentences]
        wt = max(t.cell_len for t in tags)
        avail = max(10, options.max_width - wt - 2)
        pad = Segment(" " * (wt + 2))
        for s, tag in zip(self.summary.sentences, tags):
            plain = clean(flow(s.shown if s.shown is not None else s.text))
            if plain.isascii() or not _MAYBE_WIDE.search(plain):
                cuts = [0, *_breaks(plain, avail), len(plain)]
                lines = [plain[cuts[k] : cuts[k + 1]] for k in range(0, len(cuts), 2)]
            else:  # wide characters: cut by characters, two cells each at most
                step = max(1, avail // 2)
                lines = [plain[k : k + step] for k in range(0, len(plain), step)] or [""]
            yield Segment(" " * (wt - tag.cell_len))
            yield from tag.render(console)
            yield Segment("  ")
            for k, line in enumerate(lines):
                if k:
                    yield pad
                yield Segment(line)
                yield Segment.line()
            if self.show_sections and s.section_title:
                yield pad
                yield from safe(f"— {flow(s.section_title)}", "dim italic").render(console)
                yield Segment.line()
            yield Segment.line()


def render_by_section(result: SectionSummary, title: str | None = None) -> RenderableType:
    """An outline with a one-line gist under each heading."""
    parts: list[RenderableType] = []
    if title:
        parts.append(safe(title, "bold"))
        parts.append(Text(""))
    if not result.sections:
        parts.append(Text("(no headings found; try `brief summary` without --by-section)", "dim"))
        return Group(*parts)
    for g in result.sections:
        head = Text("  " * max(0, g.level - 1))
        head.append(f"{g.index}  ", "cyan")
        head.append_text(safe(flow(g.title), "bold"))
        parts.append(head)
        for s in g.sentences:
            parts.append(Padding(safe(flow(s.shown if s.shown is not None else s.text), "italic"), (0, 0, 0, 2 * max(0, g.level - 1) + 3)))
        parts.append(Text(""))
    return Group(*parts)
