"""osce_brief: read, navigate, search and summarize long articles in a terminal.

Public API::

    from osce_brief import load, parse, Document
    doc = load()                  # the bundled OSCE article
    doc = load("story.md")        # any text or Markdown file, "-" for stdin
    for section in doc.sections:
        print(section.index, section.title)
"""

from .loaders import load, parse
from .model import Document, Paragraph, Section, Sentence

__all__ = ["load", "parse", "Document", "Section", "Paragraph", "Sentence"]
__version__ = "0.1.0"
