"""The reader: bundled article structure, loaders, encodings, section selection."""

from __future__ import annotations

import codecs

import pytest

from osce_brief import load, parse
from osce_brief.errors import InputError, SectionError
from osce_brief.loaders import bundled_bytes, decode, detect_format
from osce_brief.select import select_sections

from .conftest import BUNDLED, SHARED, build_doc

TITLES = [
    "High-Stakes Diplomacy: Lavrov and Blinken's Malta Meeting",
    "Key Issues on the Table: Ukraine and Beyond",
    "Potential Outcomes and Implications",
    "Expert Opinions and Analysis",
    "The Broader Geopolitical Context",
    "Final Thoughts: A Step Forward?",
]


def test_bundled_ships_byte_for_byte():
    seed = SHARED / "seed" / "000_f0111f5063931328.txt"
    assert BUNDLED.read_bytes() == bundled_bytes()
    if seed.exists():
        assert seed.read_bytes() == BUNDLED.read_bytes()


def test_bundled_header():
    doc = load()
    assert doc.title == "Lavrov And Blinken Meet In Malta: Key Diplomacy?"
    assert doc.author == "Admin"
    assert doc.meta["views"] == 49
    assert doc.subtitle == "Sergey Lavrov and Antony Blinken Met at an OSCE Meeting in Malta"
    assert doc.path is None and doc.display_path == "<bundled>"


def test_bundled_sections_and_offsets():
    doc = load()
    src = doc.source
    assert [s.title for s in doc.sections] == TITLES
    assert [s.index for s in doc.sections] == [1, 2, 3, 4, 5, 6]
    assert all(s.level == 1 and s.parent is None for s in doc.sections)
    for s in doc.sections:
        assert src[s.heading_start : s.heading_end] == s.title
        assert src.startswith(s.title, s.start)
        assert len(s.paragraphs) == 1
        p = s.paragraphs[0]
        assert src[p.start : p.end] == p.text
    assert doc.sections[0].start == src.index(TITLES[0])
    assert doc.sections[-1].end == len(src)
    # the title, byline and subtitle are lead matter, not sections
    assert doc.lead is not None and doc.lead.start == 0 and doc.lead.end == doc.sections[0].start
    assert [p.kind for p in doc.lead.paragraphs] == ["meta", "meta", "meta"]


def test_sentences_map_to_source():
    doc = load()
    sents = list(doc.sentences())
    assert len(sents) > 80
    for _, s in sents:
        assert doc.source[s.start : s.end] == s.text
    first = doc.sections[0].paragraphs[0].sentences[0].text
    assert first.startswith("In the ever-dynamic world") and first.endswith("(OSCE) meeting.")
    # "U.S." inside a sentence does not end it
    assert any("U.S.'s unwavering support" in s.text and s.text.startswith("Blinken likely") for _, s in sents)


def test_sections_tile_the_source():
    doc = load()
    parts = list(doc.all_sections())
    assert parts[0].start == 0 and parts[-1].end == len(doc.source)
    for a, b in zip(parts, parts[1:]):
        assert a.end == b.start


def test_plain_text_headings_and_non_headings():
    text = (
        "My Post Title\n\n"
        "Fortune favors the prepared mind. - Louis Pasteur\n\n"
        "Intro paragraph that is long enough to be body text, it really is.\n\n"
        "Why This Matters?\n\n"
        "Body text of the first section goes here and it is long enough.\n\n"
        "- a list item\n- another list item\n\n"
        "What We Learned:\n\n"
        "More body text that follows the colon heading, again long enough.\n\n"
        "gofmt -w yourcode.go\n\n"
        "Advertisement\n\n"
        "Code lines above are not headings, and this sentence is body text.\n\n"
        "LONDON, March 3 -- A dateline is not a heading either, this is body.\n"
    )
    doc = parse(text, "t.txt")
    assert doc.title == "My Post Title"
    assert [s.title for s in doc.sections] == ["Why This Matters?", "What We Learned:"]
    assert doc.lead is not None and any("Pasteur" in p.text for p in doc.lead.paragraphs)


def test_hard_wrapped_paragraphs_are_joined():
    body = "This is a long paragraph\nthat was hard wrapped\nat a narrow width. It goes on."
    doc = build_doc(("First Heading", body), ("Second Heading", "Another paragraph here, long enough."))
    p = doc.sections[0].paragraphs[0]
    assert p.text == body
    assert [s.text for s in p.sentences] == ["This is a long paragraph\nthat was hard wrapped\nat a narrow width.", "It goes on."]


def test_underlined_and_allcaps_headings():
    text = "Doc\n\nIntro text is here and it is long enough to be a paragraph.\n\nPart One\n========\n\nBody of part one, written as a full sentence.\n\nA Subpart\n---------\n\nBody of the subpart, also a full sentence here.\n\nCONCLUSION\n\nThe end of the document, written as a sentence.\n"
    doc = parse(text, "u.txt")
    assert [(s.title, s.level) for s in doc.sections] == [("Part One", 1), ("A Subpart", 2), ("CONCLUSION", 3)]
    assert doc.sections[1].parent == 1


def test_gutenberg_book_structure():
    text = (
        "The Project Gutenberg EBook of Tiny, by Someone\n\nTitle: Tiny\n\nAuthor: Someone\n\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK TINY ***\n\n"
        "CONTENTS\n\n    BOOK ONE: 1805\n\n    CHAPTER I\n\n    CHAPTER II\n\n"
        "BOOK ONE: 1805\n\nCHAPTER I\n\n\u201cWell,\u201d said he. It was a long\nwrapped line of prose.\n\n"
        "Pierre heard her say:\n\n\u201cYes.\u201d\n\nCHAPTER II\n\nMore prose here, and more.\n\n"
        "*** END OF THIS PROJECT GUTENBERG EBOOK TINY ***\n\nLicence text here.\n"
    )
    doc = parse(text, "tiny.txt")
    assert [(s.title, s.level) for s in doc.sections] == [("BOOK ONE: 1805", 1), ("CHAPTER I", 2), ("CHAPTER II", 2)]
    assert doc.title == "Tiny" and doc.author == "Someone"
    assert doc.lead is not None and "CONTENTS" in doc.source[doc.lead.start : doc.lead.end]
    assert doc.back is not None and "Licence text" in doc.source[doc.back.start : doc.back.end]
    assert doc.sections[1].parent == 1


@pytest.mark.skipif(not (SHARED / "corpus" / "war-and-peace.txt").exists(), reason="shared corpus not present")
def test_war_and_peace_outline():
    doc = load(str(SHARED / "corpus" / "war-and-peace.txt"))
    top = [s for s in doc.sections if s.level == 1]
    assert len(top) == 17
    assert sum(1 for t in top if t.title.startswith("BOOK")) == 15
    assert sum(1 for t in top if "EPILOGUE" in t.title) == 2
    assert sum(1 for s in doc.sections if s.level == 2 and s.title.startswith("CHAPTER")) == 365
    assert len(doc.sections) == 382
    # no paragraph boundary at a hard line break: paragraphs are separated by blank lines
    src = doc.source
    prev = None
    for _, p in doc.paragraphs():
        if prev is not None:
            gap = src[prev.end : p.start]
            assert gap.count("\n") >= 2 or gap.count("\r") >= 2, repr(gap)
        prev = p


def test_markdown_loader():
    text = (
        "---\ntitle: \"Front Title\"\nauthor: Jane\ndate: 2020-01-02\n---\n\n"
        "Intro paragraph. Second sentence.\n\n## First\n\nBody one. Body two.\n\n"
        "```\ncode. not. sentences.\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "### Nested\n\n- item one. still item\n- item two\n\n## Second &amp; last\n\n> quoted. text.\n"
    )
    doc = parse(text, "x.md")
    assert doc.format == "markdown"
    assert doc.title == "Front Title" and doc.author == "Jane" and doc.meta["date"] == "2020-01-02"
    assert [(s.title, s.level, s.parent) for s in doc.sections] == [("First", 1, None), ("Nested", 2, 1), ("Second & last", 1, None)]
    kinds = [p.kind for p in doc.sections[0].paragraphs]
    assert kinds == ["text", "code", "table"]
    assert doc.sections[0].paragraphs[1].sentences == ()
    # a list keeps its kind, and its items' prose gives sentences (one item never runs into the next)
    items = doc.sections[1].paragraphs[0]
    assert items.kind == "list" and [s.text for s in items.sentences] == ["item one.", "still item", "item two"]
    assert [q.text for q in items.parts] == ["item one. still item", "item two"]
    # front matter is lead "meta", never body text
    assert doc.lead.paragraphs[0].kind == "meta" and "title:" in doc.lead.paragraphs[0].text
    assert [p.kind for p in doc.lead.paragraphs] == ["meta", "text"]
    for _, p in doc.paragraphs():
        assert text[p.start : p.end] == p.text


def test_markdown_single_h1_is_title():
    doc = parse("# The Title\n\nIntro.\n\n## A\n\nText a.\n\n## B\n\nText b.\n", "t.md")
    assert doc.title == "The Title"
    assert [s.title for s in doc.sections] == ["A", "B"]


def test_detect_format():
    assert detect_format("# A\n\ntext\n\n## B\n", None) == "markdown"
    assert detect_format("plain\n\ntext", None) == "text"
    assert detect_format("anything", "x.md") == "markdown"


@pytest.mark.parametrize(
    "data",
    [
        "Title\n\nBody text. More.".encode("utf-8"),
        codecs.BOM_UTF8 + "Title\n\nBody text. More.".encode("utf-8"),
        "Title\n\nBody text. More.".encode("utf-16"),
        "Title\n\nBody text. More.".encode("utf-16-le"),
        "Title\n\nBody text. More.".encode("utf-16-be"),
    ],
)
def test_decodings(data):
    assert decode(data) == "Title\n\nBody text. More."


def test_decode_errors_name_offset_and_option():
    with pytest.raises(InputError) as e:
        decode(b"abc\xff\xfedef", "f.txt")
    assert "byte 3" in str(e.value) and "--encoding" in str(e.value)
    with pytest.raises(InputError) as e:
        decode(b"\x7fELF\x00\x00\x01", "a.out")
    assert "binary" in str(e.value)
    assert decode("caf\u00e9".encode("latin-1"), encoding="latin-1") == "caf\u00e9"
    assert decode("\u201cq\u201d".encode("cp1252"), encoding="cp1252") == "\u201cq\u201d"


def test_section_selection():
    doc = load()
    assert [s.index for s in select_sections(doc, "3")] == [3]
    assert [s.index for s in select_sections(doc, "2-4")] == [2, 3, 4]
    assert [s.index for s in select_sections(doc, "1,3")] == [1, 3]
    assert [s.index for s in select_sections(doc, "expert")] == [4]
    assert [s.index for s in select_sections(doc, "EXPERT opinions")] == [4]
    assert [s.index for s in select_sections(doc, "geopolitical")] == [5]
    assert [s.index for s in select_sections(doc, "all")] == [0, 1, 2, 3, 4, 5, 6]
    for bad in ["0", "7", "-1", "2-1", "1-99999", "xyzzy", "a"]:
        with pytest.raises(SectionError):
            select_sections(doc, bad)


def _gutenberg_bounds_line_by_line(text: str):
    """The plain reading: every line in turn, the first START line, then the first END line after it."""
    from osce_brief.loaders import text as T

    start = None
    for m in T._LINE.finditer(text):
        if m.start() == m.end():
            break
        line = m.group(0).strip()
        if start is None and T._GUTENBERG_START.match(line):
            start = m.end()
        elif start is not None and T._GUTENBERG_END.match(line):
            return start, m.start()
    return start, None


def test_gutenberg_bounds_equal_the_line_by_line_reading():
    import random

    from osce_brief.loaders.text import _gutenberg_bounds

    rng = random.Random(3)
    pieces = ["*** START OF THE PROJECT GUTENBERG EBOOK X ***", "*** END OF THE PROJECT GUTENBERG EBOOK X ***",
              "End of the Project Gutenberg", "  *** start of this project gutenberg", "gutenberg", "text", "",
              "\u00df", "Project Gutenberg", "*** END OF THIS PROJECT GUTENBERG", " \t", "\u0130"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) + rng.choice(["\n", "\r\n", "\r", "", " "]) for _ in range(rng.randint(0, 8)))
        assert _gutenberg_bounds(text) == _gutenberg_bounds_line_by_line(text), repr(text)
