"""The hedge report of a document: each prose sentence with its cues, each
section's share, the totals (in two processes for books)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..model import Document
from .cues import _cues, is_hedged
from .model import HedgeModel, default_model



@dataclass(frozen=True, slots=True)
class HedgedSentence:
    """One sentence with its verdict.

    Attributes:
        text: ``source[start:end]``.
        start: offset into ``Document.source``.
        end: offset after the sentence.
        hedged: True when at least one cue was found.
        cues: absolute ``(start, end)`` offsets of the cue words in the source.
        section_index: the section's number (0 for the lead).
        section_title: the section's heading.
        shown: the sentence as displayed (Markdown markup rendered), or None
            when it is displayed as in the source.
        shown_cues: the cues as offsets into ``shown``.
    """

    text: str
    start: int
    end: int
    hedged: bool
    cues: tuple[tuple[int, int], ...]
    section_index: int
    section_title: str
    shown: str | None = None
    shown_cues: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "hedged": self.hedged,
            "cues": [[s, e] for s, e in self.cues],
            "section": {"index": self.section_index, "title": self.section_title},
            **({"shown": self.shown} if self.shown is not None and self.shown != self.text else {}),
        }


@dataclass(frozen=True, slots=True)
class SectionHedges:
    """The hedge profile of one section."""

    index: int
    title: str
    sentences: int
    hedged: int

    @property
    def ratio(self) -> float:
        """Share of hedged sentences (0.0 for a section without sentences)."""
        return self.hedged / self.sentences if self.sentences else 0.0

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "index": self.index,
            "title": self.title,
            "sentences": self.sentences,
            "hedged": self.hedged,
            "ratio": round(self.ratio, 4),
        }


@dataclass(frozen=True)
class HedgeReport:
    """The result of :func:`analyze`: a per-section profile and every sentence.

    Attributes:
        path: the document's display path.
        sections: the profile, in document order (sections with sentences only).
        sentences: every prose sentence with its verdict, in document order.
    """

    path: str
    sections: tuple[SectionHedges, ...]
    sentences: tuple[HedgedSentence, ...]

    @property
    def total(self) -> int:
        """Number of sentences analysed."""
        return len(self.sentences)

    @property
    def hedged_count(self) -> int:
        """Number of hedged sentences."""
        return sum(1 for s in self.sentences if s.hedged)

    @property
    def ratio(self) -> float:
        """Share of hedged sentences in the whole document."""
        return self.hedged_count / self.total if self.total else 0.0

    def hedged(self) -> list[HedgedSentence]:
        """The speculative sentences."""
        return [s for s in self.sentences if s.hedged]

    def reported(self) -> list[HedgedSentence]:
        """The sentences stated as fact."""
        return [s for s in self.sentences if not s.hedged]

    def to_dict(self) -> dict:
        """JSON-ready form: ``{path, ratio, sentences_total, hedged, sections, sentences}``."""
        return {
            "path": self.path,
            "ratio": round(self.ratio, 4),
            "total": self.total,
            "hedged": self.hedged_count,
            "sections": [s.to_dict() for s in self.sections],
            "sentences": [s.to_dict() for s in self.sentences],
        }


#: Documents at least this long (characters) are analysed in two processes.
PARALLEL_CHARS = 1_000_000


def _verdicts(secs: Sequence, model: HedgeModel, weasels: bool) -> list[list[tuple]]:
    """For each section, ``(start, end, cues)`` of each prose sentence (cues absolute).

    A Markdown sentence is read as displayed: its row is ``(start, end, cues,
    shown, shown_cues)``, the cues mapped back to source offsets.
    """
    out = []
    for sec in secs:
        rows = []
        for sent in sec.sentences:
            a = sent.start
            view = sent.view
            if view is None:
                cues = _cues(sent.text, model, weasels)
                rows.append((a, sent.end, tuple((a + x, a + y) for x, y in cues) if cues else ()))
            else:
                cues = _cues(view.text, model, weasels)
                src_cues = tuple(view.source_span(x, y) for x, y in cues if y > x) if cues else ()
                rows.append((a, sent.end, src_cues, view.text, tuple(cues) if cues else ()))
        out.append(rows)
    return out


def _verdicts_forked(secs: Sequence, model: HedgeModel, weasels: bool) -> list[list[tuple[int, int, tuple]]]:
    """:func:`_verdicts` with the second half of the text (by size) done by a
    second process (:mod:`osce_brief.parallel`)."""
    from ..parallel import FAILED, in_child

    sizes = [sec.end - sec.start for sec in secs]
    total, acc, cut = sum(sizes), 0, len(secs)
    for i, size in enumerate(sizes):
        if acc >= total / 2:
            cut = i
            break
        acc += size
    if cut in (0, len(secs)):
        return _verdicts(secs, model, weasels)
    wait = in_child(lambda: _verdicts(secs[cut:], model, weasels))
    try:
        head = _verdicts(secs[:cut], model, weasels)
    finally:
        tail = wait()
    if tail is FAILED:
        tail = _verdicts(secs[cut:], model, weasels)
    return head + tail


def analyze(doc: Document, model: HedgeModel | None = None, *, weasels: bool = True,
            workers: int | None = None) -> HedgeReport:
    """Classify every prose sentence of ``doc`` as hedged or reported.

    Back matter (a licence footer) is skipped; the lead counts only when it holds
    prose sentences.

    Args:
        doc: the loaded document.
        model: the classifier; the shipped one by default.
        weasels: also count weasel attributions as hedges.
        workers: processes to use; default 2 for documents of
            :data:`PARALLEL_CHARS` or more when a second CPU is free.

    Returns:
        A :class:`HedgeReport` whose offsets point into ``doc.source``.

    Example:
        >>> from osce_brief import parse
        >>> r = analyze(parse("Title\\n\\nIt may rain. It rained."))
        >>> [s.hedged for s in r.sentences]
        [True, False]
    """
    model = model or default_model()
    secs = [sec for sec in doc.all_sections() if sec.kind != "back"]
    if workers is None:
        from ..parallel import second_cpu

        workers = 2 if len(doc.source) >= PARALLEL_CHARS and second_cpu() else 1
    rows = _verdicts(secs, model, weasels) if workers < 2 else _verdicts_forked(secs, model, weasels)
    out: list[HedgedSentence] = []
    profile: list[SectionHedges] = []
    add = out.append
    empty: tuple = ()
    src = doc.source
    for sec, verdicts in zip(secs, rows):
        n = h = 0
        idx, title = sec.index, sec.title
        for a, b, cues, *shown in verdicts:
            n += 1
            if cues:
                h += 1
                add(HedgedSentence(src[a:b], a, b, True, cues, idx, title, *shown))
            else:
                add(HedgedSentence(src[a:b], a, b, False, empty, idx, title, *shown))
        if n or sec.kind == "section":
            profile.append(SectionHedges(sec.index, sec.title, n, h))
    return HedgeReport(doc.display_path, tuple(profile), tuple(out))


def rollup(report: HedgeReport, doc: Document) -> dict[int, SectionHedges]:
    """Per numbered section, its counts with those of all its subsections added.

    For ``brief outline --hedges``: a book's part heading has no prose of its
    own, so its share is that of its chapters.
    """
    counts = {p.index: [p.sentences, p.hedged] for p in report.sections if p.index > 0}
    for sec in reversed(doc.sections):
        c = counts.setdefault(sec.index, [0, 0])
        if sec.parent is not None and sec.parent > 0:
            pc = counts.setdefault(sec.parent, [0, 0])
            pc[0] += c[0]
            pc[1] += c[1]
    return {sec.index: SectionHedges(sec.index, sec.title, *counts[sec.index]) for sec in doc.sections}


def hedged_predicate(model: HedgeModel | None = None):
    """A ``text -> bool`` predicate that is True for sentences stated as fact.

    The complement of :func:`is_hedged`, bound to one model, for filters such as
    ``filter(hedged_predicate(), sentences)``. (``summarize(reported=...)`` takes
    :func:`is_hedged` itself.)
    """
    model = model or default_model()
    return lambda text: not is_hedged(text, model)
