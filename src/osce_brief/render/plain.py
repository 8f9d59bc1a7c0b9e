"""Search output for pipes, without Rich: one passage per line, plain lines for
``--count`` and ``-l``.

Importing this module costs nothing beyond the standard library, so the fast
entry point (:mod:`osce_brief.entry`) prints with the same functions as the
Typer command. Article text goes through :func:`osce_brief.sanitize.clean`.
"""

from __future__ import annotations

from ..sanitize import clean
from . import flow


def section_label(index: int, title: str) -> str:
    """``§2 Title``, ``(lead)`` or ``(back matter)``."""
    if index == 0:
        return "(lead)"
    if index < 0:
        return "(back matter)"
    return f"\u00a7{index} {title}" if title else f"\u00a7{index}"


def summary_text(result) -> str:
    """``12 passages · 15 hits · 1 file`` (and how many were shown)."""
    n = result.total_passages
    line = f"{n:,} passage{'s' if n != 1 else ''} \u00b7 {result.total_hits:,} hit{'s' if result.total_hits != 1 else ''}"
    if result.searched > 1:
        line += f" \u00b7 {len(result.files):,} of {result.searched:,} files"
    if len(result.passages) < n:
        line += f" \u00b7 showing {len(result.passages):,} (--max)"
    return line


def plain_passages(result, show_path: bool | None = None) -> str:
    """Every passage under its label, one line each, then the summary line.

    The layout of the Rich renderer with wrapping off; tens of thousands of
    passages print in a fraction of a second.
    """
    if show_path is None:
        show_path = len(result.files) > 1 or result.searched > 1
    out: list[str] = []
    for p in result.passages:
        head = (clean(p.path) + " " if show_path else "") + clean(section_label(p.section_index, p.section_title))
        if p.score is not None:
            head += f"  score {p.score:.2f}"
        body = p.shown if p.shown is not None else p.text
        out.append(f"{head}\n  {clean(flow(body))}\n\n")
    out.append(summary_text(result) + "\n")
    return "".join(out)


def plain_counts(result, show_path: bool | None = None) -> str:
    """``--count``: the number, or ``path:count`` lines (never wrapped)."""
    if show_path is None:
        show_path = result.searched > 1
    if not show_path:
        return f"{result.total_passages}\n"
    return "".join(f"{clean(f.path)}:{f.passages}\n" for f in result.files)


def plain_files(result) -> str:
    """``--files-with-matches``: one path per line."""
    return "".join(clean(f.path) + "\n" for f in result.files)
