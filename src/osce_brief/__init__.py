"""osce_brief: read, navigate, search and summarize long articles in a terminal.

Public API (see :mod:`osce_brief.api` and the README's Library section)::

    from osce_brief import load, outline, select, search, summarize, keywords, hedges
    doc = load()                  # the bundled OSCE article
    doc = load("story.md")        # any text, Markdown or HTML file, a URL, "-" for stdin
    for entry in outline(doc).sections:
        print(entry.index, entry.title)
    print(summarize(doc, n=3).to_dict())     # what `brief summary --json` prints

The names are imported on first use, so ``brief search --count`` can start
without loading the parsers.

Six of the functions share their names with the modules that implement them
(``osce_brief.search`` and so on). The package keeps the names bound to the
functions even after those modules are imported; reach a module's own names
with ``from osce_brief.search import compile_query`` (or
``importlib.import_module("osce_brief.search")``), not with attribute access on
the package.
"""

from __future__ import annotations

import sys

__all__ = [
    "Document", "Paragraph", "Section", "Sentence",
    "hedges", "keywords", "load", "outline", "parse", "search", "select", "summarize",
]
__version__ = "0.1.0"

TYPE_CHECKING = False  # (not typing.TYPE_CHECKING: importing typing costs ~10 ms at start-up)
if TYPE_CHECKING:  # pragma: no cover
    from .api import hedges, keywords, load, outline, parse, search, select, summarize
    from .model import Document, Paragraph, Section, Sentence

_API = ("hedges", "keywords", "load", "outline", "parse", "search", "select", "summarize")
_HOME = {name: "api" for name in _API}
_HOME.update({"Document": "model", "Section": "model", "Paragraph": "model", "Sentence": "model"})


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


class _Package(type(sys)):
    """The package's module type: importing ``osce_brief.search`` (the module) does
    not rebind ``osce_brief.search`` (the function), as the import system would."""

    def __setattr__(self, name: str, value) -> None:
        if name in _API and isinstance(value, type(sys)):
            return  # a submodule of the same name: sys.modules has it
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
