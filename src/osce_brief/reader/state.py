"""The reader's memory: where each document was left, and its bookmarks.

One JSON file, ``reader.json`` under the user state directory (platformdirs'
``user_state_dir("brief")``, i.e. ``$XDG_STATE_HOME/brief`` on Linux), keyed by
the SHA-256 of the document's text so a renamed file keeps its place. Positions
are source offsets, so they survive a different terminal width.

Nothing here raises: a missing, broken or unwritable file means the reader goes
on without memory (:attr:`State.error` says why, for the status line).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile

MAX_DOCS = 200  # documents remembered (the least recently read are dropped)


def state_path() -> str:
    """Where the state file lives (``$BRIEF_STATE_DIR`` overrides, for tests and odd setups)."""
    base = os.environ.get("BRIEF_STATE_DIR")
    if not base:
        try:
            from platformdirs import user_state_dir

            base = user_state_dir("brief", appauthor=False)
        except ImportError:  # pragma: no cover - Textual brings platformdirs
            base = os.path.join(os.environ.get("XDG_STATE_HOME") or os.path.expanduser("~/.local/state"), "brief")
    return os.path.join(base, "reader.json")


def doc_key(source: str) -> str:
    """The key of a document: the hash of its text."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class State:
    """The remembered position and bookmarks of one document.

    Args:
        source: the document's text (its hash is the key).
        path: the state file (default :func:`state_path`).
    """

    def __init__(self, source: str, path: str | None = None) -> None:
        self.path = path or state_path()
        self.key = doc_key(source)
        self.error: str | None = None
        self.position: int | None = None
        self.bookmarks: list[int] = []
        data = self._read()
        entry = data.get(self.key) if isinstance(data, dict) else None
        if isinstance(entry, dict):
            pos = entry.get("position")
            if isinstance(pos, int) and 0 <= pos <= len(source):
                self.position = pos
            marks = entry.get("bookmarks")
            if isinstance(marks, list):
                self.bookmarks = sorted({m for m in marks if isinstance(m, int) and 0 <= m <= len(source)})

    def _read(self) -> dict:
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return data
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, UnicodeDecodeError) as e:
            self.error = f"state file ignored ({type(e).__name__})"
            return {}

    def toggle_bookmark(self, offset: int) -> bool:
        """Add a bookmark at ``offset`` (or remove it if there is one): True if added."""
        if offset in self.bookmarks:
            self.bookmarks.remove(offset)
            return False
        self.bookmarks = sorted(self.bookmarks + [offset])
        return True

    def save(self, position: int | None = None) -> bool:
        """Write this document's entry (other documents' entries are kept). False on failure."""
        if position is not None:
            self.position = position
        data = self._read()
        if self.error and data == {}:
            data = {}  # a broken file is replaced
        entry = {"position": self.position, "bookmarks": self.bookmarks}
        data.pop(self.key, None)
        data[self.key] = entry  # most recent last
        while len(data) > MAX_DOCS:
            data.pop(next(iter(data)))
        try:
            folder = os.path.dirname(self.path)
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".reader-", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f)
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
            return True
        except OSError as e:
            self.error = f"state not saved ({e.strerror or type(e).__name__})"
            return False
