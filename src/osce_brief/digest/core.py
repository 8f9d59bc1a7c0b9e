"""The per-document function of ``brief digest``, the same for every engine.

A work item is a plain tuple (cheap to pickle, so only the path or the text
travels to a worker process or a Dask worker)::

    (position, kind, key, payload, title, hash)

``kind`` is ``"path"`` (``payload`` is a file path the worker reads),
``"bundled"`` (the bundled article),
``"text"`` (``payload`` is the article text, from a JSON Lines file) or
``"error"`` or ``"text-error"`` (``payload`` is the message: the file or the
JSON Lines article could not even be read).
``key`` is what the record is named by (the path, or the article's ``id``),
``title`` the article's title when the JSON Lines file gives one, ``hash`` the
SHA-256 of the content (what a resumed run skips on).

:func:`digest_item` never raises for a bad document: it returns an ``error``
record instead, so one bad document never stops a run.
"""

from __future__ import annotations

#: Options every item is digested with (see :func:`options`).
DEFAULTS = {"sentences": 3, "keywords": 10, "encoding": None, "max_bytes": None, "fmt": None, "with_text": False}


def options(**given) -> dict:
    """The digest options: :data:`DEFAULTS` with ``given`` (None values left out) applied.

    Example:
        >>> options(sentences=5)["sentences"], options()["keywords"]
        (5, 10)
    """
    opts = dict(DEFAULTS)
    opts.update({k: v for k, v in given.items() if v is not None or k not in opts})
    unknown = set(opts) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown digest options: {', '.join(sorted(unknown))}")
    return opts


def digest_document(doc, *, sentences: int = 3, keywords: int = 10, title: str | None = None,
                    ident: str | None = None) -> dict:
    """One document's digest record, built from the public library API.

    Args:
        doc: a :class:`~osce_brief.model.Document`.
        sentences: summary length (``brief summary -n``).
        keywords: how many key phrases (``brief keywords -n``).
        title: the title to record instead of the document's own (a JSON Lines
            article's ``title`` field).
        ident: record the document under this ``id`` instead of its ``path``.

    Returns:
        ``{"path" or "id", "title", "author", "date", "words", "sections",
        "summary", "keywords", "hedges"}``: ``sections`` is ``brief outline
        --json``'s list, ``summary`` ``brief summary --json``'s sentences,
        ``keywords`` ``brief keywords --json``'s phrases, ``hedges`` the
        ``ratio``, ``total``, ``hedged`` and per-section ``sections`` of
        ``brief hedges --json`` (without its sentence list).

    Example:
        >>> from osce_brief import load
        >>> rec = digest_document(load())
        >>> rec["title"], len(rec["summary"]), rec["hedges"]["ratio"]
        ('Lavrov And Blinken Meet In Malta: Key Diplomacy?', 3, 0.4762)
    """
    from ..api import hedges as _hedges
    from ..api import keywords as _keywords
    from ..api import outline as _outline
    from ..api import summarize as _summarize

    o = _outline(doc).to_dict()
    s = _summarize(doc, n=sentences).to_dict()
    k = _keywords(doc, n=keywords).to_dict()
    h = _hedges(doc).to_dict()
    rec: dict = {"id": ident} if ident is not None else {"path": o["path"]}
    rec.update(
        title=title if title else o["title"],
        author=o.get("author"),
        date=_date((o.get("meta") or {}).get("date")),
        words=o["words"],
        sections=o["sections"],
        summary=s["sentences"],
        keywords=k["keywords"],
        hedges={"ratio": h["ratio"], "total": h["total"], "hedged": h["hedged"], "sections": h["sections"]},
    )
    return rec


def _date(value) -> str | None:
    return None if value is None else str(value)


def error_record(kind: str, key: str, message: str, digest: str | None) -> dict:
    """The record of a document that could not be digested."""
    return {"id" if kind.startswith("text") else "path": key, "error": message, "hash": digest}


def digest_item(item: tuple, opts: dict) -> tuple[dict, str | None]:
    """Digest one work item: ``(record, text)``; ``text`` is the document's
    source when ``opts["with_text"]`` (for a full-text index), else None.

    Never raises for a bad document: a :class:`~osce_brief.errors.BriefError`
    (binary, undecodable, empty, too large...) or any failure of the analysis
    becomes an ``error`` record.
    """
    from ..errors import BriefError, InputError

    _pos, kind, key, payload, title, digest = item
    try:
        if kind in ("error", "text-error"):
            raise InputError(payload)
        if kind in ("path", "bundled"):
            from ..api import load

            doc = load(payload, encoding=opts["encoding"], max_bytes=opts["max_bytes"], fmt=opts["fmt"])
        else:
            doc = parse_text(key, payload, opts)
        rec = digest_document(doc, sentences=opts["sentences"], keywords=opts["keywords"], title=title,
                              ident=key if kind == "text" else None)
        if kind == "path":
            rec["path"] = key  # (the path as given: a Dask worker may have got it made absolute)
    except BriefError as e:
        return error_record(kind, key, str(e), digest), None
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
        return error_record(kind, key, f"{key}: cannot be digested ({type(e).__name__}: {e})", digest), None
    rec["hash"] = digest
    return rec, (doc.source if opts["with_text"] else None)


def parse_text(key: str, text: str, opts: dict):
    """A Document from an article's text (a JSON Lines ``text`` field)."""
    from ..api import parse
    from ..errors import InputError
    from ..loaders import DEFAULT_MAX_BYTES

    cap = opts["max_bytes"] or DEFAULT_MAX_BYTES
    if len(text) > cap // 4 and len(text.encode("utf-8")) > cap:  # (a character is at most 4 bytes)
        raise InputError(f"{key}: text is larger than --max-bytes ({cap:,} bytes)", "raise it with --max-bytes N")
    if not text.strip():
        raise InputError(f"{key}: empty text", "give the article's text in its text field")
    if "\x00" in text:
        raise InputError(f"{key}: binary text (NUL character)", "give the article as text")
    return parse(text, key, opts["fmt"])


def digest_batch(items: list[tuple], opts: dict) -> list[tuple[int, dict, str | None]]:
    """:func:`digest_item` for each item: ``[(position, record, text), ...]``
    (what a process pool or a Dask worker runs)."""
    out = []
    for item in items:
        rec, text = digest_item(item, opts)
        out.append((item[0], rec, text))
    return out


def warm_up() -> None:
    """Import what digesting needs (and load the hedge model) now, so worker
    processes forked afterwards start ready."""
    from ..api import parse

    digest_document(parse("Warm up\n\nThis may be a short text. It was written to warm up.", "warm.txt", "text"))
