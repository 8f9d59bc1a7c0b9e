"""``brief read``: a full-screen reader (Textual) for one document.

Nothing here is imported by the other commands: Textual loads only when
``brief read`` runs. :func:`run` opens the app; :mod:`.layout` lays the text
out lazily, :mod:`.state` keeps positions and bookmarks, :mod:`.app` is the
Textual app itself.
"""

from __future__ import annotations


def run(doc, theme: str = "dark") -> None:
    """Open the reader on ``doc`` and return when the reader quits."""
    from .app import ReaderApp

    ReaderApp(doc, theme=theme).run()
