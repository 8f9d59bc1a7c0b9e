"""Where ``brief digest`` writes its records: JSON Lines or SQLite.

Both are resumable: opened on an existing output, they report the documents
already digested (:attr:`Sink.done`: their path or id with the hash of their
content), which a rerun skips; records are flushed (JSON Lines) or committed (SQLite, every
:data:`COMMIT_EVERY` records or second) as they come, so Ctrl-C loses nothing
already written. Error records are not "done": a rerun tries them again (the
SQLite sink drops their old rows first; a JSON Lines file keeps them, and gets
the new attempt appended).

The SQLite schema (plain tables, so ``datasette FILE.db`` and ``sqlite-utils``
browse it as is; the README documents it):

* ``documents``: one row per document (``path`` or ``article_id``, ``title``,
  ``author``, ``date``, ``words``, ``hedge_ratio``, ``hedged``, ``prose_sentences``,
  ``hash``, ``error``, ``text`` and the whole JSON ``record``);
* ``sections``, ``summary_sentences``, ``keywords``: rows of a document
  (``document_id`` references ``documents(id)``);
* ``documents_fts``: an FTS5 index over ``title`` and ``text`` (external
  content: ``documents``, in sqlite-utils' naming, which datasette's search box uses);
* ``digest_meta``: the options the digest was made with.
"""

from __future__ import annotations

import json
import os
import time

from ..errors import UsageError

#: The SQLite sink commits at least this often (records, seconds).
COMMIT_EVERY = 64
COMMIT_SECONDS = 1.0


def _line(rec: dict) -> str:
    from ..output import _JSON_UNSAFE

    line = json.dumps(rec, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line)


class Sink:
    """Base sink: ``done`` hashes, ``write(record, text)``, ``close()``."""

    wants_text = False

    def __init__(self) -> None:
        self.done: set[tuple[str, str]] = set()  # (path or id, content hash) of the records already written

    def write(self, rec: dict, text: str | None) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        """Flush and close (also after Ctrl-C)."""


class StreamSink(Sink):
    """JSON Lines to an open text stream (stdout), flushed per record."""

    def __init__(self, stream) -> None:
        super().__init__()
        self.stream = stream

    def write(self, rec: dict, text: str | None) -> None:
        self.stream.write(_line(rec) + "\n")
        self.stream.flush()


class JsonlSink(Sink):
    """JSON Lines to a file, appended to and resumable.

    A last line cut short by an interrupted run is dropped on reopening."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        try:
            self.fh = open(path, "a+b")  # noqa: SIM115 - closed in close()
        except OSError as e:
            raise UsageError(f"cannot write {path}: {(e.strerror or str(e)).lower()}", "check the path") from None
        self.fh.seek(0)
        good = 0
        for line in self.fh:
            if not line.endswith(b"\n"):
                break
            try:
                rec = json.loads(line)
            except ValueError:
                raise UsageError(f"{path} is not a digest (a line is not JSON)",
                                 "give a new --out file, or the one a digest wrote") from None
            if isinstance(rec, dict) and rec.get("hash") and "error" not in rec:
                self.done.add((rec.get("path", rec.get("id")), rec["hash"]))
            good += len(line)
        self.fh.truncate(good)
        self.fh.seek(good)

    def write(self, rec: dict, text: str | None) -> None:
        self.fh.write((_line(rec) + "\n").encode("utf-8", "surrogatepass"))
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


SCHEMA = """
CREATE TABLE IF NOT EXISTS digest_meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    path TEXT,
    article_id TEXT,
    title TEXT,
    author TEXT,
    date TEXT,
    words INTEGER,
    hedge_ratio REAL,
    hedged INTEGER,
    prose_sentences INTEGER,
    hash TEXT,
    error TEXT,
    text TEXT,
    record TEXT
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents (hash);
CREATE TABLE IF NOT EXISTS sections (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    level INTEGER,
    parent INTEGER,
    title TEXT,
    words INTEGER,
    start_char INTEGER,
    end_char INTEGER,
    sentences INTEGER,
    hedged INTEGER,
    hedge_ratio REAL,
    PRIMARY KEY (document_id, number)
);
CREATE TABLE IF NOT EXISTS summary_sentences (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT,
    start_char INTEGER,
    end_char INTEGER,
    section_number INTEGER,
    section_title TEXT,
    PRIMARY KEY (document_id, position)
);
CREATE TABLE IF NOT EXISTS keywords (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    phrase TEXT,
    score REAL,
    count INTEGER,
    PRIMARY KEY (document_id, rank)
);
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5 (
    title, text, content = 'documents', content_rowid = 'id'
);
"""


class SqliteSink(Sink):
    """A SQLite database (see the module docstring for the schema), resumable.

    Args:
        path: the database file (created if missing).
        settings: the digest options that change records (``sentences``,
            ``keywords``...); a database made with others is refused.
    """

    wants_text = True

    def __init__(self, path: str, settings: dict) -> None:
        import sqlite3

        super().__init__()
        self.path = path
        try:
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as e:
            raise UsageError(f"cannot use {path} as a digest database ({e})",
                             "give a new --out file, or one a digest wrote") from None
        wanted = json.dumps(settings, sort_keys=True)
        row = self.db.execute("SELECT value FROM digest_meta WHERE key = 'options'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO digest_meta (key, value) VALUES ('options', ?)", (wanted,))
        elif row[0] != wanted:
            self.db.close()
            raise UsageError(f"{path} was digested with other options ({row[0]})",
                             "rerun with the same options, or give a new --out file")
        self.db.execute("DELETE FROM documents WHERE error IS NOT NULL")  # tried again
        self.db.commit()
        self.done = set(self.db.execute("SELECT coalesce(path, article_id), hash FROM documents WHERE hash IS NOT NULL"))
        self.pending = 0
        self.last = time.monotonic()

    def write(self, rec: dict, text: str | None) -> None:
        """Insert one record's rows, all or none (a savepoint: Ctrl-C in the
        middle leaves no half-written document behind)."""
        db = self.db
        db.execute("SAVEPOINT record")
        try:
            self._insert(rec, text)
        except BaseException:
            db.execute("ROLLBACK TO record")
            db.execute("RELEASE record")
            raise
        db.execute("RELEASE record")
        self.pending += 1
        now = time.monotonic()
        if self.pending >= COMMIT_EVERY or now - self.last >= COMMIT_SECONDS:
            db.commit()
            self.pending, self.last = 0, now

    def _insert(self, rec: dict, text: str | None) -> None:
        db = self.db
        hedges = rec.get("hedges") or {}
        cur = db.execute(
            "INSERT INTO documents (path, article_id, title, author, date, words, hedge_ratio, hedged,"
            " prose_sentences, hash, error, text, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rec.get("path"), rec.get("id"), rec.get("title"), rec.get("author"), rec.get("date"), rec.get("words"),
             hedges.get("ratio"), hedges.get("hedged"), hedges.get("total"), rec.get("hash"), rec.get("error"),
             text, json.dumps(rec, ensure_ascii=False)),
        )
        doc_id = cur.lastrowid
        if "error" not in rec:
            shares = {s["index"]: s for s in hedges.get("sections", [])}
            db.executemany(
                "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, s["index"], s.get("level"), s.get("parent"), s.get("title"), s.get("words"), s.get("start"),
                  s.get("end"), shares.get(s["index"], {}).get("sentences"), shares.get(s["index"], {}).get("hedged"),
                  shares.get(s["index"], {}).get("ratio")) for s in rec.get("sections", [])],
            )
            db.executemany(
                "INSERT INTO summary_sentences VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, i, s["text"], s["start"], s["end"], (s.get("section") or {}).get("index"),
                  (s.get("section") or {}).get("title")) for i, s in enumerate(rec.get("summary", []), 1)],
            )
            db.executemany(
                "INSERT INTO keywords VALUES (?, ?, ?, ?, ?)",
                [(doc_id, i, k["phrase"], k["score"], k["count"]) for i, k in enumerate(rec.get("keywords", []), 1)],
            )
            db.execute("INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)",
                       (doc_id, rec.get("title"), text))

    def close(self) -> None:
        try:
            self.db.commit()
        finally:
            self.db.close()


def open_sink(out: str | None, stream, settings: dict) -> Sink:
    """The sink for ``--out`` (None: JSON Lines on ``stream``): by extension,
    ``.db``/``.sqlite``/``.sqlite3`` is SQLite, ``.jsonl``/``.ndjson``/``.json`` JSON Lines.

    Raises:
        UsageError: another extension, or an output that cannot be used.
    """
    if out is None or out == "-":
        return StreamSink(stream)
    ext = os.path.splitext(out)[1].lower()
    if ext in (".db", ".sqlite", ".sqlite3"):
        return SqliteSink(out, settings)
    if ext in (".jsonl", ".ndjson", ".json"):
        return JsonlSink(out)
    raise UsageError(f"--out {out}: unknown output type {ext or '(no extension)'}",
                     "name a .jsonl file (JSON Lines) or a .db file (SQLite)")
