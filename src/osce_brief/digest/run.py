"""One ``brief digest`` run: inputs -> engine -> sink, with callbacks for the CLI.

Nothing here prints: bad documents are reported through ``on_error`` and
progress through ``on_progress`` (the CLI turns them into stderr lines and a
Rich progress bar).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from ..errors import UsageError
from ..record import record

ENGINES = ("local", "dask")


@record
class Stats:
    """What a run did: documents in the input, digested now, skipped (already
    in the output), failed (an ``error`` record each)."""

    total: int = 0
    digested: int = 0
    skipped: int = 0
    failed: int = 0


def run_digest(
    paths: Sequence[str],
    *,
    out: str | None = None,
    stream=None,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    text_field: str = "text",
    sentences: int = 3,
    keywords: int = 10,
    encoding: str | None = None,
    max_bytes: int | None = None,
    fmt: str | None = None,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    client=None,
) -> Stats:
    """Digest the documents ``paths`` name, in input order, into ``out``.

    Args:
        paths: files, directories (walked as ``brief search`` does) and JSON
            Lines files of articles (``.jsonl``/``.ndjson``); none: the bundled article.
        out: a ``.jsonl`` or ``.db`` file (resumed when it exists), or None
            for JSON Lines on ``stream``.
        engine: ``local`` (``jobs`` processes; default: the usable CPUs) or
            ``dask`` (on the cluster whose scheduler is ``scheduler``, or
            through ``client``, a ``distributed.Client``).
        text_field: the key of a JSON Lines article's text.
        sentences, keywords: summary length and number of key phrases.
        encoding, max_bytes, fmt: how files are read (as :func:`osce_brief.load`).
        on_start: called once with the number of documents.
        on_progress: called with 1 for each document done (digested, failed or skipped).
        on_error: called with the message of each document that failed.

    Raises:
        UsageError: bad options, an unusable output, Dask missing or its
            scheduler unreachable.
    """
    from ..loaders import DEFAULT_MAX_BYTES
    from . import engines, inputs, sinks
    from .core import options

    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}", "use --engine local or --engine dask")
    if engine == "dask" and scheduler is None and client is None:
        raise UsageError("--engine dask needs --scheduler ADDRESS", "e.g. --scheduler tcp://127.0.0.1:8786")
    if engine == "local" and scheduler is not None:
        raise UsageError("--scheduler is for --engine dask", "add --engine dask, or drop --scheduler")
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if "-" in paths:
        raise UsageError("brief digest does not read stdin", "save it to a file (or a .jsonl of articles) and give that")
    note = on_error or (lambda msg: None)
    progress = on_progress or (lambda n: None)
    files = inputs.expand(paths, lambda p, msg: note(f"{p}: {msg}"))
    stats = Stats(total=inputs.count(files))
    if stats.total == 0:
        raise UsageError("no documents found in " + ", ".join(paths),
                         "directories are searched for .txt and .md files; name other files directly")
    cap = max_bytes or DEFAULT_MAX_BYTES
    settings = {"sentences": sentences, "keywords": keywords, "text_field": text_field, "fmt": fmt,
                "encoding": encoding}
    sink = sinks.open_sink(out, stream, settings)
    try:
        opts = options(sentences=sentences, keywords=keywords, encoding=encoding, max_bytes=cap, fmt=fmt,
                       with_text=sink.wants_text)
        own_client = None
        if engine == "dask" and client is None:
            client = own_client = engines.connect(scheduler)
        if on_start:
            on_start(stats.total)

        def todo():
            for item in inputs.iter_items(files, text_field=text_field, max_bytes=cap):
                if item[5] is not None and (item[2], item[5]) in sink.done:
                    stats.skipped += 1
                    progress(1)
                    continue
                if engine == "dask" and item[1] == "path":  # workers have another working directory
                    item = (*item[:3], os.path.abspath(item[3]), *item[4:])
                yield item

        if engine == "dask":
            results = engines.run_dask(todo(), opts, client)
        else:
            results = engines.run_pool(todo(), opts, jobs or engines.usable_cpus())
        try:
            for _pos, rec, text in results:
                sink.write(rec, text)
                if "error" in rec:
                    stats.failed += 1
                    note(rec["error"])
                else:
                    stats.digested += 1
                progress(1)
        finally:
            results.close()
            if own_client is not None:
                own_client.close()
    finally:
        sink.close()
    return stats
