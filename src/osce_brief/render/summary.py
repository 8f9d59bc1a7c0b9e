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
    parts.append(
        Text(
            f"{len(summary.sentences)} of {summary.candidates} sentences · {summary.words:,} words · method {summary.method}",
            "dim",
        )
    )
    return Group(*parts)


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
