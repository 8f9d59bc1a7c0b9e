"""Render selected sections for reading: heading set apart, paragraphs flowed.

Plain-text sources are re-flowed (hard line breaks joined) and wrapped to the
console width; Markdown sources are rendered as Markdown by Rich.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from ..model import Document, Section
from ..sanitize import clean
from . import flow, safe
from .outline import render_header


def _heading(doc: Document, s: Section) -> RenderableType:
    if s.kind == "lead":
        return Group(*render_header(doc.title, doc.author, doc.subtitle, doc.meta)) if doc.title else Text("")
    label = Text(f"{s.index}  ", "cyan")
    label.append_text(safe(s.title, "bold underline" if s.level == 1 else "bold"))
    return label


def render_section(doc: Document, s: Section) -> RenderableType:
    """One section: its heading, then its body."""
    parts: list[RenderableType] = [_heading(doc, s), Text("")]
    if doc.format == "markdown":
        from rich.markdown import Markdown

        paras = [p for p in s.paragraphs if p.kind != "meta"]
        if paras:
            body = doc.source[paras[0].start : paras[-1].end]
            parts.append(Markdown(clean(body), hyperlinks=False))
        return Group(*parts)
    for p in s.paragraphs:
        if p.kind == "meta":
            continue
        if p.kind == "text":
            parts.append(safe(flow(p.text)))
        else:
            parts.append(safe(p.text))
        parts.append(Text(""))
    return Group(*parts)


def render_sections(doc: Document, sections: list[Section]) -> RenderableType:
    """Several sections separated by rules."""
    out: list[RenderableType] = []
    for i, s in enumerate(sections):
        if i:
            out.append(Rule(style="dim"))
        out.append(render_section(doc, s))
    return Group(*out)
