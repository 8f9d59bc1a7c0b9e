"""``brief digest``: brief many documents at once, on this machine or on a Dask cluster.

A digest is one record per document, made only of the public library API's
results (:mod:`osce_brief.api`), so each part equals what the single command's
``--json`` prints for that document::

    from osce_brief import load
    from osce_brief.digest import digest_document

    rec = digest_document(load())
    rec["summary"]      # == summarize(doc).to_dict()["sentences"]
    rec["keywords"]     # == keywords(doc).to_dict()["keywords"]

The modules:

* :mod:`.core`: the per-document function (:func:`digest_item`), the same for
  every engine: it gets a path or a text and gives back a record (or an
  ``error`` record, never an exception).
* :mod:`.inputs`: files, directories (the rules of ``brief search``) and JSON
  Lines files of articles, expanded lazily into work items with content hashes.
* :mod:`.engines`: in this process, a local process pool, or Dask distributed;
  all give results back in input order, with a bounded number in flight.
* :mod:`.sinks`: JSON Lines (stdout or a file) or SQLite, both resumable.
* :mod:`.run`: ties them together (:func:`run_digest`).
"""

from __future__ import annotations

from .core import digest_document

__all__ = ["digest_document"]
