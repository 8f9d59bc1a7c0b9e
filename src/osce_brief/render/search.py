"""Render a :class:`~osce_brief.search.SearchResult`: labelled passages with highlights.

Passage text is cleaned piece by piece (:func:`osce_brief.sanitize.clean`) and the
hits are styled spans on the cleaned text (``Text.stylize``); nothing from the
article is ever read as Rich markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from ..sanitize import clean
from ..search import Passage, SearchResult
from . import flow_spans
from .plain import section_label, summary_text

HIT_STYLE = "bold reverse"
LABEL_STYLE = "cyan"
PATH_STYLE = "magenta"


def passage_text(p: Passage) -> Text:
    """The passage as one flowing Text (line breaks joined, see
    :func:`~osce_brief.render.flow`), hits highlighted.

    Markdown passages show their displayed text (``p.shown``, markup rendered)
    with the hits mapped onto it. The text between and inside hits is cleaned
    separately, so the highlight spans stay on the right characters after
    cleaning.
    """
    if p.shown is not None:
        return highlighted(p.shown, p.shown_hits)
    return highlighted(p.text, tuple((s - p.start, e - p.start) for s, e in p.hits))


def highlighted(text: str, hits, style: str = HIT_STYLE) -> Text:
    """``text`` flowed and cleaned, with ``hits`` (offsets into ``text``) styled."""
    out = Text()
    text, hits = flow_spans(text, [(s, e) for s, e in hits])
    pos = 0
    spans: list[tuple[int, int]] = []
    for s, e in hits:
        s = max(s, pos)
        if e <= s:
            continue
        if s > pos:
            out.append(clean(text[pos:s]))
        a = len(out.plain)
        out.append(clean(text[s:e]))
        spans.append((a, len(out.plain)))
        pos = e
    if pos < len(text):
        out.append(clean(text[pos:]))
    for a, b in spans:
        if b > a:
            out.stylize(style, a, b)
    return out


def passage_header(p: Passage, show_path: bool) -> Text:
    """The label line: path (when several files), section, score when ranked."""
    head = Text()
    if show_path:
        head.append(clean(p.path), PATH_STYLE)
        head.append(" ")
    head.append(clean(section_label(p.section_index, p.section_title)), LABEL_STYLE)
    if p.score is not None:
        head.append(f"  score {p.score:.2f}", "dim")
    return head


def render_passages(result: SearchResult, show_path: bool | None = None, wrap: bool = True) -> RenderableType:
    """Every passage under its label, then a one-line summary.

    Args:
        result: the search result.
        show_path: label passages with their file; default: when several files matched.
        wrap: wrap passages to the console width, indented; when False (output
            piped) each passage is one line, which is also much faster to print.
    """
    from rich.padding import Padding

    if show_path is None:
        show_path = len(result.files) > 1 or result.searched > 1
    parts: list[RenderableType] = []
    for p in result.passages:
        head = passage_header(p, show_path)
        body = passage_text(p)
        if wrap:
            parts.append(head)
            parts.append(Padding(body, (0, 0, 0, 2)))
        else:
            head.no_wrap = body.no_wrap = True
            head.overflow = body.overflow = "ignore"
            body = Text("  ", no_wrap=True, overflow="ignore").append_text(body)
            parts.append(head)
            parts.append(body)
        parts.append(Text(""))
    parts.append(summary_line(result))
    return Group(*parts)


def summary_line(result: SearchResult) -> Text:
    """``12 passages · 15 hits · 1 file`` (and how many were shown)."""
    return Text(summary_text(result), "dim")


def render_counts(result: SearchResult, show_path: bool | None = None) -> Text:
    """``--count``: the number of matching passages, per file when several were searched."""
    if show_path is None:
        show_path = result.searched > 1
    out = Text()
    if not show_path:
        out.append(str(result.total_passages))
        return out
    for i, f in enumerate(result.files):
        if i:
            out.append("\n")
        out.append(clean(f.path), PATH_STYLE)
        out.append(f":{f.passages}")
    return out


def render_files(result: SearchResult) -> Text:
    """``--files-with-matches``: one matching path per line."""
    return Text("\n".join(clean(f.path) for f in result.files), PATH_STYLE)
