"""Render an :class:`~osce_brief.outline.Outline` as a header plus a numbered tree."""

from __future__ import annotations

from rich.console import Group, RenderableType
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


class _Rows:
    """The outline's table, laid out by hand: linear in the number of rows (a
    Rich Table measures every cell and takes seconds on 50,000 headings)."""

    def __init__(self, o: Outline, rows: list, extra: dict[str, dict[int, Text]]) -> None:
        self.o, self.rows, self.extra = o, rows, extra

    def __rich_console__(self, console, options):
        o, rows, extra = self.o, self.rows, self.extra
        data = []
        if o.lead_words:
            data.append(("0", Text("(lead)", "italic dim"), f"{o.lead_words:,}", minutes(o.lead_words), [Text("")] * len(extra)))
        for e in rows:
            title = Text("  " * (e.level - 1))
            title.append_text(safe(e.title, "bold" if e.level == 1 else ""))
            if o.depth is not None and e.level == o.depth and e.children:
                title.append(f"  ({_hidden_label(o, e)})", "dim")
            cells = [col.get(e.index, Text("")) for col in extra.values()]
            data.append((str(e.index), title, f"{e.words:,}", minutes(e.words), cells))
        wi = max([1] + [len(d[0]) for d in data])
        ww = max([5] + [len(d[2]) for d in data])
        wr = max([4] + [len(d[3]) for d in data])
        wx = [max([len(name)] + [d[4][k].cell_len for d in data]) for k, name in enumerate(extra)]
        fixed = wi + ww + wr + sum(wx) + 2 * (3 + len(wx))
        wt = max(10, min(max([7] + [d[1].cell_len for d in data]), options.max_width - fixed))
        head = Text(style="bold dim")
        head.append("#".rjust(wi) + "  " + "Section".ljust(wt) + "  " + "Words".rjust(ww) + "  " + "Read".rjust(wr))
        for k, name in enumerate(extra):
            head.append("  " + name.rjust(wx[k]))
        yield head
        for idx, title, words, read, cells in data:
            line = Text(idx.rjust(wi), "cyan")
            line.append("  ")
            if title.cell_len > wt:
                title.truncate(wt, overflow="ellipsis")
            line.append_text(title)
            line.append(" " * (wt - title.cell_len) + "  ")
            line.append(words.rjust(ww) + "  " + read.rjust(wr), "dim")
            for k, cell in enumerate(cells):
                line.append("  " + " " * (wx[k] - cell.cell_len))
                line.append_text(cell)
            line.no_wrap = True
            line.overflow = "ellipsis"
            yield line


def render_outline(o: Outline, extra_columns: dict[str, dict[int, Text]] | None = None) -> RenderableType:
    """The outline: header, then one row per heading with words and reading time.

    Args:
        o: the outline.
        extra_columns: optional ``{column title: {section index: cell}}`` added
            after the reading time (used by ``--hedges``).
    """
    parts: list[RenderableType] = render_header(o.title, o.author, o.subtitle, o.meta)
    note = repair_note(o.meta)
    if note is not None:
        parts.append(note)
    if parts:
        parts.append(Text(""))
    rows = o.visible()
    if not rows and not o.lead_words:
        parts.append(Text("(no headings found)", "dim"))
    else:
        parts.append(_Rows(o, rows, extra_columns or {}))
    if o.hidden_rows():
        parts.append(Text(f"… {o.hidden_rows():,} more (use --depth {o.depth or o.max_level} to list them all, or --json)", "dim"))
    foot = Text(f"{len(o.entries):,} sections · {o.total_words:,} words · {minutes(o.total_words)}", "dim")
    if o.depth is not None and o.depth < o.max_level:
        foot.append(f" · showing levels 1-{o.depth} (use --depth {o.max_level} for all)", "dim")
    parts.append(Text(""))
    parts.append(foot)
    return Group(*parts)


def repair_note(meta: dict) -> Text | None:
    """The header line saying that mojibake was repaired on load, or None."""
    info = meta.get("repaired")
    count = info.get("mojibake") if isinstance(info, dict) else None
    if not isinstance(count, int) or count <= 0:
        return None
    seq = "sequence" if count == 1 else "sequences"
    return Text(f"repaired {count:,} mojibake {seq} (UTF-8 read as Latin-1); --raw-text shows the text as decoded", "dim")


def _hidden_label(o: Outline, entry) -> str:
    """``28 chapters`` when the hidden headings share a first word, else ``+N below``."""
    below = []
    for i in range(entry.index, len(o.entries)):  # no slice per row: that would be quadratic
        e = o.entries[i]
        if e.level <= entry.level:
            break
        below.append(e)
    words = {e.title.split()[0].lower() for e in below if e.title.split()}
    if len(words) == 1:
        word = words.pop().strip(":.")
        if word.isalpha():
            return f"{len(below)} {word}{'' if len(below) == 1 else 's'}"
    return f"+{len(below)} below"
