"""Render an :class:`~osce_brief.outline.Outline` as a header plus a numbered tree."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..outline import Outline
from . import minutes, safe


def render_header(title: str | None, author: str | None, subtitle: str | None, meta: dict) -> list[RenderableType]:
    """Title, byline and subtitle lines, set apart from the sections."""
    out: list[RenderableType] = []
    if title:
        out.append(safe(title, "bold"))
    byline = Text()
    if author:
        byline.append("by ", "dim")
        byline.append_text(safe(author, "italic"))
    for key in ("date", "sitename"):
        if meta.get(key):
            if byline:
                byline.append(" · ", "dim")
            byline.append_text(safe(str(meta[key]), "dim"))
    if meta.get("views") is not None:
        if byline:
            byline.append(" · ", "dim")
        byline.append(f"{meta['views']:,} views", "dim")
    if byline:
        out.append(byline)
    if subtitle:
        out.append(safe(subtitle, "italic"))
    return out


def render_outline(o: Outline, extra_columns: dict[str, dict[int, Text]] | None = None) -> RenderableType:
    """The outline: header, then one row per heading with words and reading time.

    Args:
        o: the outline.
        extra_columns: optional ``{column title: {section index: cell}}`` added
            after the reading time (used by ``--hedges``).
    """
    parts: list[RenderableType] = render_header(o.title, o.author, o.subtitle, o.meta)
    if parts:
        parts.append(Text(""))
    rows = o.visible()
    table = Table(box=None, show_header=True, header_style="bold dim", pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="cyan", no_wrap=True)
    table.add_column("Section", overflow="fold")
    table.add_column("Words", justify="right", style="dim")
    table.add_column("Read", justify="right", style="dim", no_wrap=True)
    for name in extra_columns or {}:
        table.add_column(name, justify="right", no_wrap=True)
    if o.lead_words:
        cells = ["", Text("(lead)", "italic dim"), f"{o.lead_words:,}", minutes(o.lead_words)]
        cells += [Text("") for _ in extra_columns or {}]
        table.add_row(*cells)
    for e in rows:
        title = Text("  " * (e.level - 1))
        title.append_text(safe(e.title, "bold" if e.level == 1 else ""))
        if o.depth is not None and e.level == o.depth and e.children:
            title.append(f"  ({_hidden_label(o, e)})", "dim")
        cells = [str(e.index), title, f"{e.words:,}", minutes(e.words)]
        for col in (extra_columns or {}).values():
            cells.append(col.get(e.index, Text("")))
        table.add_row(*cells)
    if not rows and not o.lead_words:
        parts.append(Text("(no headings found)", "dim"))
    else:
        parts.append(table)
    foot = Text(f"{len(o.entries)} sections · {o.total_words:,} words · {minutes(o.total_words)}", "dim")
    if o.depth is not None and len(rows) < len(o.entries):
        foot.append(f" · showing levels 1-{o.depth} (use --depth {o.max_level} for all)", "dim")
    parts.append(Text(""))
    parts.append(foot)
    return Group(*parts)


def _hidden_label(o: Outline, entry) -> str:
    """``28 chapters`` when the hidden headings share a first word, else ``+N below``."""
    below = []
    for e in o.entries[entry.index :]:
        if e.level <= entry.level:
            break
        below.append(e)
    words = {e.title.split()[0].lower() for e in below if e.title.split()}
    if len(words) == 1:
        word = words.pop().strip(":.")
        if word.isalpha():
            return f"{len(below)} {word}{'' if len(below) == 1 else 's'}"
    return f"+{len(below)} below"
