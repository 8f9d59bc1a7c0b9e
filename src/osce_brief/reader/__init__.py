"""``brief read``: a full-screen reader (Textual) for one document.

Nothing here is imported by the other commands: Textual loads only when
``brief read`` runs. :func:`run` opens the app; :mod:`.layout` lays the text
out lazily, :mod:`.state` keeps positions and bookmarks, :mod:`.app` is the
Textual app itself.
"""

from __future__ import annotations


def run(doc, theme: str = "dark") -> int:
    """Open the reader on ``doc``; when it quits, return the exit code (130 after Ctrl+C)."""
    from .app import ReaderApp

    app = ReaderApp(doc, theme=theme)
    app.run()
    return app.return_code or 0
