"""osce_brief: read, navigate, search and summarize long articles in a terminal.

Public API::

    from osce_brief import load, parse, Document
    doc = load()                  # the bundled OSCE article
    doc = load("story.md")        # any text or Markdown file, "-" for stdin
    for section in doc.sections:
        print(section.index, section.title)

The names are imported on first use, so ``brief search --count`` can start
without loading the parsers.
"""

from __future__ import annotations

__all__ = ["Document", "Paragraph", "Section", "Sentence", "load", "parse"]
__version__ = "0.1.0"

TYPE_CHECKING = False  # (not typing.TYPE_CHECKING: importing typing costs ~10 ms at start-up)
if TYPE_CHECKING:  # pragma: no cover
    from .loaders import load, parse
    from .model import Document, Paragraph, Section, Sentence

_HOME = {"load": "loaders", "parse": "loaders", "Document": "model", "Section": "model",
         "Paragraph": "model", "Sentence": "model"}


def __getattr__(name: str):
    mod = _HOME.get(name)
    if mod is None:
        raise AttributeError(f"module 'osce_brief' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
