"""Render key phrases as a ranked table: phrase, score bar, occurrences."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..keywords import Keyphrase
from . import safe


def render_keywords(phrases: list[Keyphrase], title: str | None = None) -> RenderableType:
    """A table of key phrases, best first.

    Args:
        phrases: the result of :func:`osce_brief.keywords.keywords`.
        title: a header line (the document title), if any.
    """
    parts: list[RenderableType] = []
    if title:
        parts.append(safe(title, "bold"))
        parts.append(Text(""))
    if not phrases:
        parts.append(Text("(no key phrases found)", "dim"))
        return Group(*parts)
    table = Table(box=None, show_header=True, header_style="bold dim", pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    table.add_column("Phrase", overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("Count", justify="right", style="dim", no_wrap=True)
    for i, k in enumerate(phrases, 1):
        bar = Text("█" * max(1, round(k.score * 10)), "green")
        table.add_row(str(i), safe(k.phrase, "bold" if i <= 3 else ""), f"{k.score:.2f}", bar, str(k.count))
    parts.append(table)
    return Group(*parts)
