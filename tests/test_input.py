"""Input repairs and selectors: mojibake (#12.7), gzip input (#13.7), ``show 0``/``lead``
and exact-prefix heading selectors (#12.8)."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osce_brief import mojibake
from osce_brief.errors import InputError, SectionError
from osce_brief.loaders import bundled_bytes, gunzip, load, parse
from osce_brief.select import select_sections, select_with_children

from .conftest import WAR_AND_PEACE, jsonl


def moji(s: str) -> str:
    """What ``s`` becomes when its UTF-8 bytes are read as Windows-1252 (Latin-1 where cp1252 has a hole)."""
    out = []
    for b in s.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


NOVEL = (
    "A Russian Novel\n\nby Someone\n\n"
    "CHAPTER I\n\n"
    "“Well, Prince,” said Anna Pávlovna Schérer to Prince Vasíli Kurágin, “so Genoa and Lucca are now "
    "just family estates.” Natásha laughed. Natásha ran to the ballroom.\n\n"
    "CHAPTER II\n\n"
    "Natásha and Pierre spoke of Rostóv and of Bolkónski at the Rostóvs’ house in Moscow. "
    "Natásha sang. Pierre listened, à la française.\n"
)


# ---------------------------------------------------------------- mojibake: the repair itself
def test_repair_restores_utf8_read_as_latin1():
    broken = moji(NOVEL)
    assert "NatÃ¡sha" in broken
    fixed, n = mojibake.repair(broken)
    assert fixed == NOVEL
    assert n >= 10


@pytest.mark.parametrize(
    "text",
    [
        "SÃO PAULO É GRANDE. IRMÃ E IRMÃO. NÃO.",  # Portuguese capitals: Ã before a letter
        "Ça va, à bientôt. Les Misérables. Größe über Maß. Ångström Ø.",
        "Tomáš Janoušek and Lukáš Nykrýn fixed it.",  # á then š looks like a pair; it is not mojibake
        "中文文本。日本語のテキスト。Русский текст. Ελληνικά.",
        "The price is 5 € and “quoted” — with a dash… ™",
        "plain ASCII text only",
    ],
)
def test_repair_leaves_correct_text_alone(text):
    assert mojibake.repair(text) == (text, 0)


def test_repair_leaves_a_text_that_explains_mojibake_alone():
    # a few mojibake examples among correctly decoded letters: quoted on purpose
    text = ("Decoding café as Latin-1 gives 'cafÃ©'. The word résumé, the name José and the town Zürich "
            "are fine here; only the quoted example is garbled.\n")
    assert mojibake.repair(text) == (text, 0)


def test_repair_keeps_everything_else_byte_for_byte():
    broken = "  “Curly”  quotes\u00a0stay,\ttabs\r\nand ligatures, full width — NatÃ¡sha.\x07\n"
    fixed, n = mojibake.repair(broken)
    assert n == 1
    assert fixed == broken.replace("NatÃ¡sha", "Natásha")


def test_repair_a_grave_with_lost_nbsp():
    # "à" is C3 A0 in UTF-8; read as Latin-1 and with its no-break space made a space, it is "Ã "
    fixed, n = mojibake.repair(moji("Il était une fois, à la cour.").replace("\u00a0", " "))
    assert n == 2 and fixed.startswith("Il était une fois, à ") and "Ã" not in fixed


def test_has_candidates_is_cheap_gate():
    assert not mojibake.has_candidates("abc")
    assert mojibake.has_candidates("PÃ¡v")
    assert mojibake.bytes_have_candidates("PÃ¡v".encode())
    assert not mojibake.bytes_have_candidates("Páv".encode())


# (ftfy itself cannot tell "ÄŒ" from a real "Ä" and "Œ", so "Čapek" is not among them.)
WORDS = ["Natásha", "Schérer", "Kurágin", "Bolkónski", "Rostóv", "naïve", "Düsseldorf", "garçon",
         "Ærø", "São", "Ñandú", "Größe", "fiancée", "Zürich", "Łódź", "Москва", "Αθήνα", "東京"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["the", "and", "of", "1805", "—", "“", "”", ","]), min_size=1, max_size=25))
def test_repair_round_trip(words):
    text = " ".join(words) + ".\n"
    fixed, n = mojibake.repair(moji(text))
    if text.isascii():
        assert n == 0 and fixed == text
    else:
        assert fixed == text


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n") + ["é", "Ã", "©", "¡", "â", "€", "™", "\u00a0", "“", "Å", "\x81"]),
               max_size=60))
def test_repair_changes_only_what_it_reports(text):
    fixed, n = mojibake.repair(text)
    if n == 0:
        assert fixed is text
    spans = mojibake.find_repairs(text)
    assert len(spans) == n
    pos, rebuilt = 0, []
    for s, e, f in spans:
        assert pos <= s < e
        rebuilt += [text[pos:s], f]
        pos = e
    assert "".join(rebuilt + [text[pos:]]) == fixed


# ---------------------------------------------------------------- mojibake: loading and commands
def test_parse_repairs_and_says_so():
    doc = parse(moji(NOVEL), "novel.txt")
    assert doc.source == NOVEL
    assert doc.meta["repaired"]["mojibake"] >= 10
    for s, sent in doc.sentences():
        assert doc.source[sent.start : sent.end] == sent.text
    raw = parse(moji(NOVEL), "novel.txt", repair=False)
    assert raw.source == moji(NOVEL) and "repaired" not in raw.meta


def test_bundled_article_is_untouched():
    doc = load()
    assert doc.source == bundled_bytes().decode("utf-8")
    assert "repaired" not in doc.meta


def test_commands_repair_and_raw_text_keeps(invoke, tmp_path):
    path = tmp_path / "novel.txt"
    path.write_text(moji(NOVEL), encoding="utf-8")
    r = invoke("outline", str(path))
    assert r.exit_code == 0
    assert "repaired" in r.stdout and "mojibake" in r.stdout and "--raw-text" in r.stdout
    meta = jsonl(invoke("outline", "--json", str(path)).stdout)[0]["meta"]
    assert meta["repaired"]["mojibake"] >= 10
    raw = invoke("outline", "--raw-text", str(path))
    assert raw.exit_code == 0 and "repaired" not in raw.stdout
    assert "repaired" not in jsonl(invoke("outline", "--json", "--raw-text", str(path)).stdout)[0]["meta"]
    kw = invoke("keywords", "--json", str(path)).stdout
    assert "Natásha" in kw and "Ã" not in kw
    assert "Ã" not in invoke("show", "all", str(path)).stdout
    raw_show = invoke("show", "all", "--raw-text", str(path)).stdout
    assert "NatÃ¡sha" in raw_show and "ballroom" in raw_show  # a C1 control from "”" does not swallow the rest
    for cmd in ("summary", "hedges", "keywords"):
        assert "Ã" in invoke(cmd, "--json", "--raw-text", str(path)).stdout or cmd != "keywords"
        assert invoke(cmd, "--raw-text", str(path)).exit_code == 0


def test_search_offsets_refer_to_the_repaired_text(invoke, tmp_path):
    path = tmp_path / "novel.txt"
    path.write_text(moji(NOVEL), encoding="utf-8")
    doc = load(str(path))
    r = invoke("search", "--json", "natasha", str(path))
    assert r.exit_code == 0
    passages = [p for p in jsonl(r.stdout) if p["type"] == "passage"]
    hits = [h for p in passages for h in p["hits"]]
    assert len(hits) == 4
    for p in passages:
        assert doc.source[p["start"] : p["end"]] == p["text"]
    for a, b in hits:
        assert doc.source[a:b] == "Natásha"
    assert invoke("search", "--count", "natasha", str(path)).stdout.strip() == str(len(passages))
    # as decoded, "NatÃ¡sha" is no "natasha"
    assert invoke("search", "--raw-text", "natasha", str(path)).exit_code == 1
    # the byte pre-screen does not rule a file out on its mojibake bytes
    assert invoke("search", "-l", "Natásha", str(path), str(tmp_path)).exit_code == 0


def test_streamed_count_agrees_with_the_repaired_document(invoke, tmp_path, monkeypatch):
    from osce_brief.search import files as SF

    path = tmp_path / "novel.txt"
    path.write_text(moji(NOVEL) * 20, encoding="utf-8")
    want = SF.search(["natasha"], [str(path)]).total_passages
    assert want >= 40
    monkeypatch.setattr(SF, "STREAM_THRESHOLD", 100)
    assert invoke("search", "--count", "natasha", str(path)).stdout.strip() == str(want)


@pytest.mark.skipif(not WAR_AND_PEACE.exists(), reason="needs ../shared/corpus/war-and-peace.txt")
def test_war_and_peace_is_repaired(invoke, tmp_path):
    doc = load(str(WAR_AND_PEACE))
    assert doc.meta["repaired"]["mojibake"] > 10_000
    assert "NatÃ¡sha" not in doc.source and "Natásha" in doc.source
    # keywords on the first 300 KB (the whole book takes seconds)
    head = WAR_AND_PEACE.read_text(encoding="utf-8")[:300_000]
    part = tmp_path / "wp.txt"
    part.write_text(head[: head.rindex("\n\n")], encoding="utf-8")
    r = invoke("keywords", "--json", "-n", "30", str(part))
    assert r.exit_code == 0 and "Ã" not in r.stdout and "Prince Vasíli" in r.stdout
    assert "Ã" in invoke("keywords", "--json", "-n", "30", "--raw-text", str(part)).stdout  # "Prince VasÃ li"


# ---------------------------------------------------------------- gzip
MD = "# Guide\n\nIntro text for the guide.\n\n## Install\n\nRun the installer. It takes a minute.\n\n## Use\n\nOpen the app.\n"


def test_gunzip_members_and_cap():
    two = gzip.compress(b"one ") + gzip.compress(b"two")
    assert gunzip(two) == b"one two"
    assert gunzip(two + b"\x00" * 8) == b"one two"  # tar-style zero padding
    with pytest.raises(InputError, match="larger than --max-bytes"):
        gunzip(gzip.compress(b"x" * 10_000), max_bytes=9_999)
    assert gunzip(gzip.compress(b"x" * 10_000), max_bytes=10_000) == b"x" * 10_000
    with pytest.raises(InputError, match="truncated"):
        gunzip(gzip.compress(b"hello world " * 100)[:30])
    with pytest.raises(InputError, match="corrupt"):
        gunzip(b"\x1f\x8b\x08\x00" + b"\xff" * 40)


def test_gzip_markdown_text_and_unnamed(invoke, tmp_path):
    md = tmp_path / "guide.md.gz"
    md.write_bytes(gzip.compress(MD.encode()))
    doc = load(str(md))
    assert doc.format == "markdown" and [s.title for s in doc.sections] == ["Install", "Use"]
    assert doc.source == MD
    txt = tmp_path / "NEWS.gz"
    txt.write_bytes(gzip.compress(b"Release notes\n\nVersion 2 fixes the parser. It is faster.\n"))
    assert load(str(txt)).format == "text"
    odd = tmp_path / "guide.md"  # gzip bytes without a .gz name: the magic bytes tell
    odd.write_bytes(gzip.compress(MD.encode()))
    assert load(str(odd)).source == MD
    for args in (("outline",), ("show", "all"), ("summary",), ("keywords",), ("hedges",), ("search", "minute")):
        r = invoke(*args, str(md))
        assert r.exit_code == 0, (args, r.stderr)
    r = invoke("search", "--json", "minute", str(md))
    hit = jsonl(r.stdout)[0]
    assert MD[hit["start"] : hit["end"]] == hit["text"]
    assert invoke("search", "--count", "minute", str(md)).stdout.strip() == "1"
    r = invoke("outline", "-", input=gzip.compress(MD.encode()))
    assert r.exit_code == 0 and "Install" in r.stdout


def test_gzip_bomb_is_capped_on_its_decompressed_size(invoke, tmp_path):
    bomb = tmp_path / "page.html"  # a gzip-compressed .html: the case
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb.write_bytes(c.compress(b"<html><body><p>" + b"A" * 3_000_000) + c.flush())
    assert bomb.stat().st_size < 20_000
    for args in (("outline",), ("show", "all"), ("search", "foo"), ("search", "--count", "foo")):
        r = invoke(*args, "--max-bytes", "1000000", str(bomb))
        assert r.exit_code == 2
        assert r.stderr.count("\n") == 1 and "decompressed input is larger than --max-bytes" in r.stderr
    big = tmp_path / "notes.txt.gz"
    big.write_bytes(gzip.compress(b"Some words here.\n" * 200_000))
    r = invoke("search", "--count", "--max-bytes", "100000", "words", str(big))
    assert r.exit_code == 2 and "decompressed" in r.stderr


def test_gzip_streamed_count_path_reads_it_decompressed(invoke, tmp_path, monkeypatch):
    from osce_brief.search import files as SF

    body = b"Title\n\nThe treaty holds. The treaty was signed.\n\nNo more.\n"
    plain = tmp_path / "plain.txt"
    plain.write_bytes(body)
    want = invoke("search", "--count", "treaty", str(plain)).stdout
    monkeypatch.setattr(SF, "STREAM_THRESHOLD", 10)
    p = tmp_path / "notes"  # no .gz name: the stream sees the magic bytes and hands it to the loader
    p.write_bytes(gzip.compress(body))
    r = invoke("search", "--count", "treaty", str(p))
    assert r.exit_code == 0 and r.stdout == want


def test_gzip_html(invoke, tmp_path):
    pytest.importorskip("trafilatura")
    page = ("<!doctype html><html><head><title>Guide</title></head><body><article><h1>Guide</h1>"
            + "<p>This guide explains the installer in plain words for every reader of it.</p>" * 5
            + "</article></body></html>")
    p = tmp_path / "guide.html.gz"
    p.write_bytes(gzip.compress(page.encode()))
    r = invoke("outline", "--json", str(p))
    assert r.exit_code == 0, r.stderr
    assert jsonl(r.stdout)[0]["title"] == "Guide"


# ---------------------------------------------------------------- show 0 / lead and prefix selectors
LEAD_MD = (
    "# File system\n\nThe fs module reads files. It writes them too.\n\n"
    "## fs.open(path[, flags[, mode]], callback)\n\nOpens a file.\n\n"
    "## fs.openAsBlob(path[, options])\n\nReturns a blob.\n\n"
    "## fs.opendir(path[, options], callback)\n\nOpens a directory.\n\n"
    "## fsPromises.open(path, flags[, mode])\n\nOpens a file, with a promise.\n\n"
    "## `fs.read(fd)`\n\nReads.\n\n"
    "## fs.readdir(path)\n\nLists.\n\n"
    "## Options for reading\n\nSome options.\n\n"
    "## Options for writing\n\nMore options.\n\n"
    "## Introduction to streams\n\nStreams.\n"
)


def test_show_0_and_lead_are_the_outline_lead_row(invoke, tmp_path):
    p = tmp_path / "fs.md"
    p.write_text(LEAD_MD)
    out = invoke("outline", str(p)).stdout
    assert any(line.split()[:2] == ["0", "(lead)"] for line in out.splitlines())
    for sel in ("0", "lead"):
        r = invoke("show", sel, str(p))
        assert r.exit_code == 0 and "The fs module reads files." in r.stdout and "Opens a file" not in r.stdout
        got = jsonl(invoke("show", "--json", sel, str(p)).stdout)[0]["sections"]
        assert [s["index"] for s in got] == [0]
    got = jsonl(invoke("show", "--json", "0-1", str(p)).stdout)[0]["sections"]
    assert [s["index"] for s in got] == [0, 1]
    assert jsonl(invoke("summary", "--json", "--section", "0", str(p)).stdout)[0]["sentences"]


def test_show_0_without_lead_text_says_why(invoke):
    # the bundled article has only a title and byline before its first heading: no "(lead)" row
    assert "(lead)" not in invoke("outline").stdout
    for sel in ("0", "lead"):
        r = invoke("show", sel)
        assert r.exit_code == 2
        assert "no lead" in r.stderr and "sections start at 1" in r.stderr


def test_exact_prefix_selector_wins():
    doc = parse(LEAD_MD, "fs.md")
    title = lambda spec: [s.title for s in select_sections(doc, spec)]  # noqa: E731
    assert title("fs.open") == ["fs.open(path[, flags[, mode]], callback)"]
    assert title("fs.openAsBlob") == ["fs.openAsBlob(path[, options])"]
    assert title("fs.opendir") == ["fs.opendir(path[, options], callback)"]
    assert title("fsPromises.open") == ["fsPromises.open(path, flags[, mode])"]
    assert title("FS.OPEN(path") == ["fs.open(path[, flags[, mode]], callback)"]
    assert title("fs.read") == ["fs.read(fd)"]
    assert title("options for reading") == ["Options for reading"]
    assert title("intro") == ["Introduction to streams"]  # a heading wins over the lead alias
    with pytest.raises(SectionError, match="matches"):
        select_sections(doc, "options for")  # a prefix of two headings stays ambiguous
    with pytest.raises(SectionError, match="matches"):
        select_sections(doc, "fs.op")  # not at a boundary: ambiguous as before


def test_prefix_selector_in_commands(invoke, tmp_path):
    p = tmp_path / "fs.md"
    p.write_text(LEAD_MD)
    r = invoke("show", "fs.open", str(p))
    assert r.exit_code == 0 and "Opens a file." in r.stdout and "blob" not in r.stdout
    sections = select_with_children(parse(LEAD_MD, "fs.md"), "fs.open")
    assert len(sections) == 1


def test_unterminated_string_control_keeps_the_text():
    from osce_brief.sanitize import clean

    # "”" read as Windows-1252 ends in U+009D, an 8-bit OSC introducer with no terminator
    assert clean("â€œWellâ€\x9d, he said.\nMore text.") == "â€œWellâ€<U+009D>, he said.\nMore text."
    assert clean("a\x1b]0;title\x07b \x9d0;x\x9c c") == "ab  c"  # terminated sequences still go


def test_fast_search_path_knows_raw_text():
    from osce_brief.entry import parse_fast_search

    assert parse_fast_search(["--raw-text", "-c", "natasha", "x.txt"]) == ({"raw_text": True, "count": True}, ["natasha", "x.txt"])


def test_html_mojibake_is_repaired(tmp_path):
    pytest.importorskip("trafilatura")
    body = "".join(f"<p>Anna Pávlovna Schérer said that Natásha danced with Pierre, paragraph {i}.</p>" for i in range(6))
    page = f"<!doctype html><html><head><title>Novel</title></head><body><article><h1>Novel</h1>{body}</article></body></html>"
    p = tmp_path / "novel.html"
    p.write_text(moji(page), encoding="utf-8")
    doc = load(str(p))
    assert "Natásha" in doc.source and "Ã" not in doc.source
    assert doc.meta["repaired"]["mojibake"] >= 12
    raw = load(str(p), raw_text=True)
    assert "NatÃ¡sha" in raw.source and "repaired" not in raw.meta
