"""The document model: Document > Section > Paragraph > Sentence.

Every element carries ``[start, end)`` character offsets into ``Document.source``
(the decoded text) and ``source[start:end] == element.text`` always holds.
The records are frozen; loaders build them, everything else only reads them.
"""

from __future__ import annotations

from .record import field, record
from collections.abc import Iterator

#: Paragraph kinds. ``text`` paragraphs are prose and are split into sentences;
#: ``code``, ``table``, ``list``, ``quote`` (Markdown) and ``meta`` (title, byline,
#: subtitle, front matter lines) are never split: they hold one sentence-less block
#: (but a Markdown list or quote gives the sentences of the prose inside it, see
#: :attr:`Paragraph.parts`). ``refs`` (Markdown link-reference definitions) and
#: ``comment`` (HTML comments) are kept so that nothing is lost, but are never
#: search passages, sentences or keyword sources.
PARAGRAPH_KINDS = ("text", "code", "table", "list", "quote", "html", "rule", "meta", "refs", "comment")
#: Kinds that are kept in the model but never shown as passages or used as prose.
HIDDEN_KINDS = ("refs", "comment")


@record(frozen=True, slots=True)
class Sentence:
    """One sentence: ``source[start:end] == text``.

    Attributes:
        start: offset of the first character in the source.
        end: offset after the last character.
        text: ``source[start:end]``, markup included.
        view: for Markdown, the displayed text with its map to source offsets
            (:class:`osce_brief.inline.Shown`); None when the sentence is
            displayed as it is in the source.
    """

    start: int
    end: int
    text: str
    view: object = field(default=None, repr=False, compare=False)

    @property
    def shown(self) -> str:
        """The sentence as a reader sees it (Markdown markup rendered)."""
        return self.view.text if self.view is not None else self.text  # type: ignore[attr-defined]


@record(frozen=True, slots=True, eq=False)
class Paragraph:
    """A block of body text; hard-wrapped lines are already joined into it.

    Attributes:
        start: offset of the first character.
        end: offset after the last character.
        text: ``source[start:end]`` (may contain the original line breaks).
        kind: one of :data:`PARAGRAPH_KINDS`.
        presplit: sentences given by the builder; when None (the loaders' case)
            :attr:`sentences` splits the text on first use and caches the result,
            so commands that never look at sentences (outline) never pay for them.
        markup: the format's meaning of the block (Markdown: a
            :class:`osce_brief.loaders.markdown.MarkdownBlock`), which gives its
            parts, sentences, displayed text and search units; None for plain text.
    """

    start: int
    end: int
    text: str
    kind: str = "text"
    presplit: tuple[Sentence, ...] | None = field(default=None, repr=False, compare=False)
    markup: object = field(default=None, repr=False, compare=False)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences of a ``text`` paragraph (offsets into the source); () otherwise.

        A Markdown list or quote gives the sentences of the prose inside it.
        """
        if self.presplit is None:
            if self.markup is not None:
                value: tuple[Sentence, ...] = self.markup.sentences(self)  # type: ignore[attr-defined]
            elif self.kind != "text":
                value = ()
            else:
                from .segment import sentence_spans

                o, t = self.start, self.text
                value = tuple(Sentence(o + a, o + b, t[a:b]) for a, b in sentence_spans(t))
            object.__setattr__(self, "presplit", value)
        return self.presplit  # type: ignore[return-value]

    @property
    def is_prose(self) -> bool:
        """True for paragraphs made of sentences (not code, tables, lists...)."""
        return self.kind == "text"

    @property
    def parts(self) -> tuple[Paragraph, ...]:
        """The units a passage never crosses: each item of a Markdown list (nested
        ones too), each block of a quote; ``(self,)`` for any other block."""
        if self.markup is not None:
            return self.markup.parts(self)  # type: ignore[attr-defined]
        return (self,)

    @property
    def shown(self):
        """The displayed text of a Markdown prose part with its source map
        (:class:`osce_brief.inline.Shown`), or None (displayed as in the source)."""
        if self.markup is not None:
            return self.markup.view(self)  # type: ignore[attr-defined]
        return None

    @property
    def words(self) -> int:
        """Word count; for Markdown only the words a reader sees (no link targets
        or markup; none in link definitions and comments)."""
        if self.markup is not None:
            return self.markup.words(self)  # type: ignore[attr-defined]
        return len(self.text.split())

    def units(self, unit: str = "sentence") -> list[tuple[int, int]]:
        """Search units of this part: ``(start, end)`` spans for ``sentence`` or
        ``paragraph`` units (never crossing the part)."""
        if self.markup is not None:
            return self.markup.units(self, unit)  # type: ignore[attr-defined]
        if unit == "sentence":
            sents = self.sentences
            if sents:
                return [(s.start, s.end) for s in sents]
        return [(self.start, self.end)]

    def view_span(self, start: int, end: int):
        """The displayed text of ``source[start:end]`` inside this part, or None
        when it is displayed as in the source."""
        if self.markup is not None:
            return self.markup.view_span(self, start, end)  # type: ignore[attr-defined]
        return None


@record(frozen=True, slots=True, eq=False)
class Section:
    """A headed part of the document, or its lead/front/back matter.

    Attributes:
        index: 1-based number as ``brief outline`` prints it; 0 for the lead
            (front matter) and -1 for back matter, which are not numbered.
        level: heading depth, 1 = top; 0 for lead/back matter.
        title: the heading text, stripped of markers (``##``, underlines).
        start: offset where the section starts (its heading line).
        end: offset where the next section starts (or the end of the text).
        heading_start: offset of the heading text in the source.
        heading_end: end of the heading text (``source[heading_start:heading_end]``
            contains the heading, possibly with Markdown markers).
        parent: ``index`` of the enclosing section, or None at top level.
        paragraphs: the body blocks, in order.
        kind: ``section``, ``lead`` (text before the first heading) or ``back``
            (licence footer and similar back matter).
    """

    index: int
    level: int
    title: str
    start: int
    end: int
    heading_start: int
    heading_end: int
    parent: int | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    kind: str = "section"

    @property
    def sentences(self) -> Iterator[Sentence]:
        """All sentences of the section's prose paragraphs, in order."""
        for p in self.paragraphs:
            yield from p.sentences

    @property
    def words(self) -> int:
        """Word count of the body (heading excluded); see :attr:`Paragraph.words`."""
        return sum(p.words for p in self.paragraphs)


@record(frozen=True, eq=False)
class Document:
    """A loaded article.

    Attributes:
        source: the full decoded text; every offset points into it.
        path: what the user gave (a file path, ``-`` for stdin, or ``None`` for
            the bundled article, shown as ``<bundled>``).
        format: ``text`` or ``markdown`` (or another loader's name).
        title: the article title, or None.
        author: the byline author, or None.
        subtitle: the dek/subtitle, or None.
        meta: other metadata (``views``, ``date``, front-matter keys...).
        sections: the numbered sections, in document order (index 1..n).
        lead: text before the first heading (title, byline, front matter), or None.
        back: back matter such as a Project Gutenberg licence footer, or None.
        markup: format data shared by the blocks (Markdown: a
            :class:`osce_brief.loaders.markdown.MarkdownInfo` with the whole
            document's link references), or None.
    """

    source: str
    path: str | None
    format: str
    title: str | None = None
    author: str | None = None
    subtitle: str | None = None
    meta: dict = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    lead: Section | None = None
    back: Section | None = None
    markup: object = field(default=None, repr=False, compare=False)

    @property
    def display_path(self) -> str:
        """The path as shown to the user."""
        return self.path if self.path is not None else "<bundled>"

    def all_sections(self) -> Iterator[Section]:
        """Lead, numbered sections and back matter: together they tile the source."""
        if self.lead is not None:
            yield self.lead
        yield from self.sections
        if self.back is not None:
            yield self.back

    def paragraphs(self) -> Iterator[tuple[Section, Paragraph]]:
        """Every (section, paragraph) pair in document order, lead and back included."""
        for s in self.all_sections():
            for p in s.paragraphs:
                yield s, p

    def sentences(self) -> Iterator[tuple[Section, Sentence]]:
        """Every (section, sentence) pair in document order, lead and back included."""
        for s in self.all_sections():
            for p in s.paragraphs:
                for sent in p.sentences:
                    yield s, sent

    def section(self, index: int) -> Section:
        """The numbered section ``index`` (1-based)."""
        return self.sections[index - 1]

    def section_at(self, offset: int) -> Section | None:
        """The section (lead/back included) containing ``offset``."""
        for s in self.all_sections():
            if s.start <= offset < s.end:
                return s
        return None

    @property
    def words(self) -> int:
        """Word count of all body text."""
        return sum(s.words for s in self.all_sections())
