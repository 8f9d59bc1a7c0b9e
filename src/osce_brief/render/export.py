"""``brief show SECTION --export FILE``: what ``show`` prints, kept in a file.

The file's extension chooses the form:

* ``.html``/``.htm``: the styled terminal rendering as a standalone HTML page
  (Rich's ``export_html``, inline styles);
* ``.svg``: the same as an SVG picture of a terminal (Rich's ``export_svg``);
* ``.md``/``.markdown``: clean Markdown, headings and text only: ``#`` headings
  by level (the title is the ``#`` heading when the document has one), prose
  paragraphs re-flowed onto one line, code fenced, Markdown sources kept as
  written; no section numbers, rules, bylines or other furniture.

Text goes through :func:`osce_brief.sanitize.clean` as it does on a terminal.
"""

from __future__ import annotations

import os

from ..errors import InputError, UsageError
from ..model import Document, Section
from ..sanitize import clean
from . import flow

#: extension -> format
FORMATS = {".html": "html", ".htm": "html", ".svg": "svg", ".md": "markdown", ".markdown": "markdown"}


def export_format(path: str) -> str:
    """``html``, ``svg`` or ``markdown`` for a file name.

    Raises:
        UsageError: any other extension.

    Example:
        >>> export_format("notes.MD"), export_format("page.htm")
        ('markdown', 'html')
    """
    ext = os.path.splitext(path)[1].lower()
    try:
        return FORMATS[ext]
    except KeyError:
        shown = f"extension {ext!r}" if ext else "no extension"
        raise UsageError(f"cannot export to {path!r}: {shown}",
                         "give a file name ending in .html, .svg or .md") from None


def markdown_sections(doc: Document, sections: list[Section]) -> str:
    """The sections as clean Markdown (see the module docstring).

    Example:
        >>> from osce_brief import parse
        >>> d = parse("A Title\\n\\nIntro\\n\\nFirst\\n\\nSome hard-\\nwrapped text here. And more.\\n", "t.txt", "text")
        >>> print(markdown_sections(d, list(d.all_sections())), end="")
        # A Title
        <BLANKLINE>
        ## Intro
        <BLANKLINE>
        ...
    """
    shift = 1 if doc.title else 0
    markdown = doc.format == "markdown"
    out: list[str] = []
    for s in sections:
        if s.kind == "lead":
            if doc.title:
                out.append(f"# {' '.join(doc.title.split())}")
            if doc.subtitle:
                out.append(f"*{' '.join(doc.subtitle.split())}*")
        elif s.kind == "section":
            out.append("#" * min(6, max(1, s.level + shift)) + " " + " ".join(s.title.split()))
        for p in s.paragraphs:
            if p.kind in ("meta", "rule"):
                continue
            if markdown:
                out.append(p.text.strip("\n"))
            elif p.kind == "text":
                out.append(flow(p.text).strip())
            elif p.kind == "code":
                fence = "````" if "```" in p.text else "```"
                out.append(f"{fence}\n{p.text.rstrip()}\n{fence}")
            else:
                out.append(p.text.strip("\n"))
    return clean("\n\n".join(x for x in out if x.strip()) + "\n")


def rich_export(renderable, form: str, *, width: int | None = None, title: str = "brief") -> str:
    """A Rich renderable as HTML or SVG, styled as on a terminal."""
    import io

    from rich.console import Console

    console = Console(record=True, file=io.StringIO(), width=width or 100, force_terminal=True,
                      color_system="truecolor", highlight=False, markup=False, emoji=False, soft_wrap=False)
    console.print(renderable)
    if form == "svg":
        return console.export_svg(title=title)
    return console.export_html(inline_styles=True)


def export_sections(doc: Document, sections: list[Section], path: str, width: int | None = None) -> None:
    """Write ``sections`` of ``doc`` to ``path`` in the form its extension names.

    Raises:
        UsageError: an unknown extension. InputError: the file cannot be written.
    """
    form = export_format(path)
    if form == "markdown":
        text = markdown_sections(doc, sections)
    else:
        from .show import render_sections

        text = rich_export(render_sections(doc, sections), form, width=width, title=clean(doc.title or doc.display_path))
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as e:
        raise InputError(f"cannot write {path}: {(e.strerror or str(e)).lower()}",
                         "give a path in an existing, writable folder") from None
