"""Render selected sections for reading: heading set apart, paragraphs flowed.

Plain-text sources are re-flowed (hard line breaks joined, justified spacing
and groff hyphenation undone) and wrapped to the console width, paragraph by
paragraph as :func:`osce_brief.render.pieces` lays them out: code verbatim, list
items one per line, a man page's option tag over its text. Markdown sources (and
HTML pages, read as Markdown) are laid out by :mod:`osce_brief.render.markdown`,
every section with the whole document's link references.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from ..model import Document, Section
from ..sanitize import clean
from . import pieces, safe
from .outline import render_header


def _heading(doc: Document, s: Section) -> RenderableType:
    if s.kind == "lead":
        return Group(*render_header(doc.title, doc.author, doc.subtitle, doc.meta)) if doc.title else Text("")
    label = Text(f"{s.index}  ", "cyan")
    label.append_text(safe(s.title, "bold underline" if s.level == 1 else "bold"))
    return label


def render_section(doc: Document, s: Section, view=None) -> RenderableType:
    """One section: its heading, then its body.

    Args:
        doc: the document.
        s: the section.
        view: for Markdown, the :class:`~osce_brief.render.markdown.MarkdownView`
            shared by the sections printed together (made here when not given).
    """
    parts: list[RenderableType] = [_heading(doc, s), Text("")]
    if doc.format == "markdown":
        from .markdown import MarkdownView

        if view is None:
            view = MarkdownView(doc)
        parts.append(view.body(s))
        return Group(*parts)
    from rich.padding import Padding

    for p in s.paragraphs:
        if p.kind == "meta":
            continue
        for indent, body, wrap in pieces(doc.source, p, doc.format):
            t = safe(body)
            if not wrap and doc.format == "text":  # verbatim lines: cut, never re-wrapped
                t.no_wrap = True
                t.overflow = "fold"
            parts.append(Padding(t, (0, 0, 0, indent)) if indent else t)
        parts.append(Text(""))
    return Group(*parts)


def render_sections(doc: Document, sections: list[Section]) -> RenderableType:
    """Several sections separated by rules.

    Every character printed goes through :func:`~osce_brief.sanitize.clean` on its
    way out (character references such as ``&#x202E;`` are decoded by the Markdown
    parser, after the source was read).
    """
    from .markdown import Sanitized

    if doc.format == "markdown":
        return Sanitized(_MarkdownSections(doc, sections))
    out: list[RenderableType] = []
    for i, s in enumerate(sections):
        if i:
            out.append(Rule(style="dim"))
        out.append(render_section(doc, s))
    return Sanitized(Group(*out))


class _MarkdownSections:
    """Markdown sections, laid out as they are printed (one shared view: the whole
    document's link references and one cost budget)."""

    def __init__(self, doc: Document, sections: list[Section]) -> None:
        self.doc = doc
        self.sections = sections

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        from .markdown import MarkdownView, render_fast

        view = MarkdownView(self.doc)
        rule = [Segment("\u2500" * options.max_width, console.get_style("dim")), Segment.line()]
        blank = Segment.line()
        for i, s in enumerate(self.sections):
            if i:
                yield from rule
            yield from render_fast(console, options, _heading(self.doc, s))
            yield blank
            yield from render_fast(console, options, view.body(s))


def plain_sections(doc: Document, sections: list[Section], width: int | None = None) -> str:
    """The same layout as :func:`render_sections` as plain text, for pipes.

    Rich is skipped: a 3 MB book goes out in well under a second. Paragraphs are
    flowed onto one line each (or wrapped at ``width``); Markdown sources are
    given as their Markdown text. The result is cleaned of control sequences.
    """
    import textwrap

    out: list[str] = []
    for i, s in enumerate(sections):
        if i:
            out.append("\u2500" * min(width or 40, 40) + "\n")
        if s.kind == "lead":
            head = [x for x in (doc.title, _byline(doc), doc.subtitle) if x]
            if head:
                out.append("\n".join(head) + "\n\n")
        else:
            head = f"{s.index}  {s.title}"
            out.append((textwrap.fill(head, width, subsequent_indent="   ") if width else head) + "\n\n")
        for p in s.paragraphs:
            if p.kind == "meta":
                continue
            if doc.format == "markdown":
                out.append(p.text + "\n\n")
                continue
            done = []
            for indent, body, wrap in pieces(doc.source, p, doc.format):
                pad = " " * indent
                if wrap and width:
                    body = textwrap.fill(body, width, initial_indent=pad, subsequent_indent=pad, break_on_hyphens=False)
                elif pad:
                    body = "\n".join(pad + ln for ln in body.split("\n"))
                done.append(body)
            out.append("\n".join(done) + "\n\n")
    return clean("".join(out))


def _byline(doc: Document) -> str | None:
    bits = [f"by {doc.author}"] if doc.author else []
    if doc.meta.get("views") is not None:
        bits.append(f"{doc.meta['views']:,} views")
    return " \u00b7 ".join(bits) or None
