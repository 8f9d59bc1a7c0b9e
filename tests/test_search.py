"""Tests for `brief search`: passages, matching rules, filters, many files, JSON."""

from __future__ import annotations

import importlib

import pytest
from rich.console import Console

from osce_brief import load, parse
from osce_brief import parallel
from osce_brief.search import files as SF, stream as SS
from osce_brief.errors import ExitCode, UsageError
from osce_brief.render.search import passage_text, render_passages

from .conftest import WAR_AND_PEACE, build_text, jsonl

S = importlib.import_module("osce_brief.search")  # the module: `osce_brief.search` is the API function


def flat(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def bundled():
    return load()


# ---------------------------------------------------------------- the bundled article
def test_ukraine_every_sentence_with_its_section(invoke, bundled):
    r = invoke("search", "ukraine")
    assert r.exit_code == ExitCode.OK
    out = flat(r.stdout)
    wanted = [(sec, s) for sec, s in bundled.sentences() if "ukraine" in s.text.lower()]
    assert len(wanted) >= 10
    for sec, s in wanted:
        assert flat(s.text) in out
        label = f"\u00a7{sec.index} {sec.title}"
        # the label comes before the sentence
        assert out.index(flat(label)) < out.index(flat(s.text))
    # JSON: each such sentence lies inside a passage of its section
    objs = jsonl(invoke("search", "ukraine", "--json").stdout)
    passages = [o for o in objs if o["type"] == "passage"]
    for sec, s in wanted:
        assert any(p["start"] <= s.start and s.end <= p["end"] and p["section"]["index"] == sec.index for p in passages)


def test_negotiate_finds_word_forms(invoke, bundled):
    objs = jsonl(invoke("search", "negotiate", "--json").stdout)
    words = {bundled.source[s:e].lower() for o in objs if o["type"] == "passage" for s, e in o["hits"]}
    assert {"negotiated", "negotiations"} <= words
    exact = jsonl(invoke("search", "negotiate", "--exact", "--json").stdout)
    assert exact[-1]["type"] == "summary"
    assert {bundled.source[s:e].lower() for o in exact if o["type"] == "passage" for s, e in o["hits"]} <= {"negotiate"}


def test_phrase_arms_control_both_occurrences(invoke, bundled):
    r = invoke("search", "arms control", "--json")
    assert r.exit_code == 0
    hits = [bundled.source[s:e] for o in jsonl(r.stdout) if o["type"] == "passage" for s, e in o["hits"]]
    assert [h.lower() for h in hits] == ["arms control", "arms control"]
    summary = jsonl(r.stdout)[-1]
    assert summary["type"] == "summary" and summary["passages"] == 2 and summary["hits"] == 2


def test_no_match_suggests_close_word(invoke):
    r = invoke("search", "blinkin")
    assert r.exit_code == ExitCode.NO_MATCH
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "did you mean: Blinken?" in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["ukraine"],
        ["russia", "-C", "1"],
        ["blinken", "--unit", "paragraph"],
        ["--regex", r"U\.S\.|OSCE"],
        ["lavrov", "blinken"],
        ["lavrov", "nato", "--any", "--rank"],
        ["malta", "--word"],
    ],
)
def test_json_offsets_check_against_source(invoke, bundled, args):
    r = invoke("search", *args, "--json")
    assert r.exit_code == 0, r.stderr
    objs = jsonl(r.stdout)
    assert objs[-1]["type"] == "summary"
    passages = [o for o in objs if o["type"] == "passage"]
    assert passages and objs[-1]["shown"] == len(passages)
    src = bundled.source
    for p in passages:
        assert src[p["start"] : p["end"]] == p["text"]
        assert p["path"] == "<bundled>"
        for s, e in p["hits"]:
            assert p["start"] <= s < e <= p["end"]
        assert p["hits"] == sorted(p["hits"])


def test_smart_case_and_overrides(invoke):
    assert invoke("search", "ukraine").exit_code == 0
    assert invoke("search", "Ukraine").exit_code == 0
    assert invoke("search", "UKRAINE").exit_code == ExitCode.NO_MATCH
    assert invoke("search", "UKRAINE", "--ignore-case").exit_code == 0
    assert invoke("search", "ukraine", "--case-sensitive").exit_code == ExitCode.NO_MATCH
    assert invoke("search", "x", "-s", "-i").exit_code == ExitCode.USAGE


def test_bad_regex_and_empty_term_exit_2(invoke):
    r = invoke("search", "--regex", "(unclosed")
    assert r.exit_code == ExitCode.USAGE
    assert "invalid regular expression" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert invoke("search", "").exit_code == ExitCode.USAGE
    assert invoke("search", "   ").exit_code == ExitCode.USAGE


def test_section_filter(invoke):
    objs = jsonl(invoke("search", "ukraine", "--section", "2", "--json").stdout)
    assert {o["section"]["index"] for o in objs if o["type"] == "passage"} == {2}
    r = invoke("search", "ukraine", "--section", "99")
    assert r.exit_code == ExitCode.USAGE and "no section 99" in r.stderr


def test_count_max_rank(invoke):
    r = invoke("search", "ukraine", "--count")
    assert r.exit_code == 0
    n = int(r.stdout.strip())
    objs = jsonl(invoke("search", "ukraine", "--json").stdout)
    assert n == objs[-1]["passages"] == len(objs) - 1
    capped = jsonl(invoke("search", "ukraine", "--max", "3", "--json").stdout)
    assert len(capped) == 4 and capped[-1]["shown"] == 3 and capped[-1]["passages"] == n
    ranked = [o for o in jsonl(invoke("search", "ukraine", "russia", "--any", "--rank", "--json").stdout) if o["type"] == "passage"]
    scores = [o["score"] for o in ranked]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_help_has_examples(invoke):
    r = invoke("search", "--help")
    assert r.exit_code == 0
    assert "brief search ukraine" in r.stdout and "--files-with-matches" in r.stdout


# ---------------------------------------------------------------- matching rules on own fixtures
def _doc(body: str, title: str = "Notes"):
    return parse(build_text(("First part", body), title=title), "t.txt", "text")


def _hit_texts(doc, terms, **kw):
    q = S.compile_query(terms, **{k: v for k, v in kw.items() if k in ("regex", "case", "word", "exact", "any_term")})
    res = S.search_document(doc, q, **{k: v for k, v in kw.items() if k in ("unit", "context", "section", "rank", "max_passages")})
    return [doc.source[s:e] for p in res.passages for s, e in p.hits], res


def test_accents_and_quotes_are_optional():
    doc = _doc("We met at the caf\u00e9 in S\u00e3o Paulo. He said \u201cdon\u2019t\u201d twice. A decomposed cafe\u0301 too.")
    hits, _ = _hit_texts(doc, ["cafe"])
    assert hits == ["caf\u00e9", "cafe\u0301"]
    assert _hit_texts(doc, ["Sao Paulo"])[0] == ["S\u00e3o Paulo"]
    assert _hit_texts(doc, ["don't"])[0] == ["don\u2019t"]
    assert _hit_texts(doc, ["\u201cdon\u2019t\u201d"])[0] == ["\u201cdon\u2019t\u201d"]
    assert _hit_texts(doc, ["caf\u00e9"])[0] == ["caf\u00e9", "cafe\u0301"]


def test_length_changing_folds_keep_source_offsets():
    doc = _doc("Die Stra\u00dfe ist lang. The \ufb01ne print matters.")
    assert _hit_texts(doc, ["strasse"])[0] == ["Stra\u00dfe"]
    assert _hit_texts(doc, ["fine"])[0] == ["\ufb01ne"]
    assert _hit_texts(doc, ["print"])[0] == ["print"]


def test_word_exact_and_substring():
    doc = _doc("The army has arms. An armadillo is not armed. Harm done.")
    assert _hit_texts(doc, ["arm"], exact=True)[0] == ["arm", "arm", "arm", "arm", "arm"]
    assert _hit_texts(doc, ["arm"], exact=True, word=True)[0] == []
    assert _hit_texts(doc, ["arms"], exact=True, word=True)[0] == ["arms"]
    # word forms: "arm" finds arms and armed as whole words (plus substrings)
    hits = _hit_texts(doc, ["arm"], word=True)[0]
    assert hits == ["arms", "armed"]


def test_all_terms_or_any_and_merging():
    doc = _doc("Cats purr. Cats sleep. Dogs bark. Cats and dogs play. Birds sing.")
    _, res = _hit_texts(doc, ["cats"])
    # the two first sentences touch: one passage
    assert [p.text for p in res.passages] == ["Cats purr. Cats sleep.", "Cats and dogs play."]
    _, res = _hit_texts(doc, ["cats", "dogs"])
    assert [p.text for p in res.passages] == ["Cats and dogs play."]
    _, res = _hit_texts(doc, ["cats", "birds"], any_term=True)
    assert [p.text for p in res.passages] == ["Cats purr. Cats sleep.", "Cats and dogs play. Birds sing."]
    _, res = _hit_texts(doc, ["bark"], context=1)
    assert [p.text for p in res.passages] == ["Cats sleep. Dogs bark. Cats and dogs play."]
    _, res = _hit_texts(doc, ["bark"], unit="paragraph")
    assert res.passages[0].text.startswith("Cats purr.") and res.passages[0].text.endswith("Birds sing.")


def test_phrase_across_line_break_and_regex_empty_matches():
    doc = _doc("Talks on arms\ncontrol went on. Nothing else.")
    assert _hit_texts(doc, ["arms control"])[0] == ["arms\ncontrol"]
    assert _hit_texts(doc, ["x*"], regex=True)[0] == []  # empty matches are not hits


def test_heading_lines_are_searched():
    doc = parse(build_text(("Budget talks", "Nothing here is about it at all, sadly."), ("Weather", "Sunny days.")), "t.txt", "text")
    hits, res = _hit_texts(doc, ["budget"])
    assert hits == ["Budget"] and res.passages[0].section_title == "Budget talks"


def test_usage_errors():
    with pytest.raises(UsageError):
        S.compile_query([])
    with pytest.raises(UsageError):
        S.compile_query(["a("], regex=True)
    with pytest.raises(UsageError):
        S.search(["x"], unit="page")


def test_split_terms_paths(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x")
    assert S.split_terms_paths(["arms control", str(f)]) == (["arms control"], [str(f)])
    assert S.split_terms_paths(["one", "two"]) == (["one", "two"], [])
    assert S.split_terms_paths([str(f)]) == ([str(f)], [])


def test_suggest():
    q = S.compile_query(["blinkin", "malta"])
    assert S.suggest(q, ["Antony Blinken flew to Malta."]) == ["Blinken"]


# ---------------------------------------------------------------- rendering
def test_render_highlights_are_spans_and_markup_is_inert():
    doc = _doc("A [bold]trap[/bold] \x1b[31mred\x1b[0m word here. Other text.")
    q = S.compile_query(["trap"])
    res = S.search_document(doc, q)
    t = passage_text(res.passages[0])
    assert "[bold]trap[/bold]" in t.plain and "\x1b" not in t.plain
    styled = [t.plain[s.start : s.end] for s in t.spans]
    assert styled == ["trap"]
    console = Console(record=True, width=80, force_terminal=True)
    console.print(render_passages(res))
    text = console.export_text()
    assert "[bold]trap[/bold]" in text and "\u00a71 First part" in text


# ---------------------------------------------------------------- many files
def test_directory_search_and_unreadable_files(invoke, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Alpha\n\nThe treaty was signed in spring.\n", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("# Beta\n\nNo treaty here? Yes, a treaty.\n", encoding="utf-8")
    (tmp_path / "sub" / "c.txt").write_text("Gamma\n\nNothing to see.\n", encoding="utf-8")
    (tmp_path / "sub" / "bad.txt").write_bytes(b"\x00\x01binary treaty")
    (tmp_path / "skip.json").write_text("treaty")
    r = invoke("search", "treaty", str(tmp_path), "--json")
    assert r.exit_code == 0
    objs = jsonl(r.stdout)
    paths = {o["path"] for o in objs if o["type"] == "passage"}
    assert paths == {str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.md")}
    summary = objs[-1]
    assert summary["files_searched"] == 3 and summary["files_matched"] == 2
    assert "bad.txt" in r.stderr and "binary" in r.stderr
    for o in objs[:-1]:
        src = open(o["path"], encoding="utf-8").read()
        assert src[o["start"] : o["end"]] == o["text"]
    r = invoke("search", "-l", "treaty", str(tmp_path))
    assert r.exit_code == 0
    assert r.stdout.split() == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.md")]
    objs = jsonl(invoke("search", "-l", "--json", "treaty", str(tmp_path)).stdout)
    assert [o["path"] for o in objs[:-1]] == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.md")]
    assert objs[-1]["files_matched"] == 2 and objs[-1]["passages"] is None and objs[-1]["hits"] is None
    r = invoke("search", "--count", "treaty", str(tmp_path))
    assert r.stdout.split() == [f"{tmp_path / 'a.txt'}:1", f"{tmp_path / 'sub' / 'b.md'}:1"]
    plain = invoke("search", "treaty", str(tmp_path)).stdout
    assert str(tmp_path / "a.txt") in plain  # several files: passages carry their path
    r = invoke("search", "zebra", str(tmp_path))
    assert r.exit_code == ExitCode.USAGE  # nothing found and a file could not be read


def test_missing_single_file(invoke, tmp_path):
    r = invoke("search", "x", str(tmp_path / "nope.txt"))
    assert r.exit_code == ExitCode.USAGE and "no such file" in r.stderr


# ---------------------------------------------------------------- streaming counts
def _gutenberg_like() -> str:
    body = "\n\n".join(
        f"CHAPTER {n}\n\nNapole\u00adon rode on. The army\nwaited, and Napoleon's aides, he said, \u201cnegotiated\u201d.\n"
        f"- Napoleon\n- another napoleon item\n\nA plain paragraph. Nothing. Napol\u00e9on again."
        for n in ("I", "II", "III", "IV")
    )
    return (
        "The Project Gutenberg eBook of Tests\n\nTitle: Tests\n\n*** START OF THE PROJECT GUTENBERG EBOOK TESTS ***\n\n"
        + body
        + "\n\n*** END OF THE PROJECT GUTENBERG EBOOK TESTS ***\n\nNapoleon in the licence. Napoleon twice.\n"
    )


@pytest.mark.parametrize("terms,kw", [
    (["napoleon"], {}),
    (["Napoleon"], {}),
    (["negotiate"], {}),
    (["napoleon", "army"], {}),
    (["napoleon"], {"context": 1}),
    (["napoleon"], {"unit": "paragraph"}),
    (["army waited"], {}),
    (["napol.on"], {"regex": True}),
])
@pytest.mark.parametrize("workers", [1, 2])
def test_stream_count_equals_document_count(tmp_path, monkeypatch, terms, kw, workers):
    text = _gutenberg_like() * 3
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(SS, "_CHUNK", 300)  # many chunks, cut at blank lines
    q = S.compile_query(terms, **{k: v for k, v in kw.items() if k == "regex"})
    opts = {k: v for k, v in kw.items() if k in ("unit", "context")}
    got = SS.count_file(str(path), q, workers=workers, **opts)
    ref = S.search(terms, [str(path)], **kw)
    assert got == (ref.total_passages, ref.total_hits)


@pytest.mark.skipif(not WAR_AND_PEACE.exists(), reason="needs the shared corpus")
def test_stream_count_war_and_peace(monkeypatch):
    monkeypatch.setattr(SS, "_CHUNK", 1 << 20)
    for terms in (["napoleon"], ["prince", "andrew"]):
        q = S.compile_query(terms)
        ref = S.search(terms, [str(WAR_AND_PEACE)], raw_text=True)
        assert SS.count_file(str(WAR_AND_PEACE), q, workers=2, raw_text=True) == (ref.total_passages, ref.total_hits)
        # with mojibake repair (the default) the file is counted the ordinary way
        assert SS.count_file(str(WAR_AND_PEACE), q) is None


def test_count_command_uses_stream_for_big_files(invoke, tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text(_gutenberg_like() * 5, encoding="utf-8")
    monkeypatch.setattr(SF, "STREAM_THRESHOLD", 1000)
    calls = []
    real = SS.count_file
    monkeypatch.setattr(SS, "count_file", lambda *a, **k: calls.append(1) or real(*a, **k))
    r = invoke("search", "--count", "napoleon", str(path))
    assert r.exit_code == 0 and calls
    assert int(r.stdout.strip()) == S.search(["napoleon"], [str(path)]).total_passages
    assert invoke("search", "-l", "napoleon", str(path)).stdout.strip() == str(path)


def test_many_files_in_two_processes_match_one(tmp_path, monkeypatch):
    for i in range(12):
        body = "The treaty holds. " * (i % 3) + "Talks went on.\n\nA second paragraph on the treaty.\n" * (i % 2)
        (tmp_path / f"f{i:02d}.txt").write_text(f"Title {i}\n\n{body or 'Nothing.'}\n", encoding="utf-8")
    (tmp_path / "zz-bad.txt").write_bytes(b"\x00bad")
    one = S.search(["treaty"], [str(tmp_path)], mode="count")
    monkeypatch.setattr(SF, "PARALLEL_FILES", 2)
    monkeypatch.setattr(SF, "SHARED_BLOCK", 2)
    monkeypatch.setattr(parallel, "second_cpu", lambda: True)
    two = S.search(["treaty"], [str(tmp_path)], mode="count")
    assert one.files == two.files and one.total_passages == two.total_passages and one.total_hits == two.total_hits
    assert one.errors == two.errors and one.searched == two.searched == 12
    assert [f.path for f in S.search(["treaty"], [str(tmp_path)], mode="files").files] == [f.path for f in one.files]


@pytest.mark.parametrize("terms, kw", [(["treaty"], {}), (["treaty"], {"rank": True, "max_passages": 5}),
                                       (["treaty", "talks"], {"any_term": True, "context": 1}), (["treety"], {})])
def test_passages_from_two_processes_match_one(tmp_path, monkeypatch, terms, kw):
    for i in range(12):
        body = "The treaty holds. " * (i % 3) + "Talks went on.\n\nA second paragraph on the treaty.\n" * (i % 2)
        (tmp_path / f"f{i:02d}.txt").write_text(f"Title {i}\n\n{body or 'Nothing.'}\n", encoding="utf-8")
    (tmp_path / "zz-bad.txt").write_bytes(b"\x00bad")
    one = S.search(terms, [str(tmp_path)], **kw)
    monkeypatch.setattr(SF, "PARALLEL_FILES", 2)
    monkeypatch.setattr(SF, "SHARED_BLOCK", 2)
    monkeypatch.setattr(parallel, "second_cpu", lambda: True)
    two = S.search(terms, [str(tmp_path)], **kw)
    assert one == two  # passages (in the same order), files, counts, errors, suggestions
    assert (one.total_passages > 0) == (terms != ["treety"])
    if terms == ["treety"]:
        assert two.suggestions == ("treaty",)


def test_phrases_and_regex_hits_stop_at_blank_lines(tmp_path, monkeypatch):
    doc = _doc("He spoke of arms\n\ncontrol and arms\ncontrol. Then\n\nend.")
    assert _hit_texts(doc, ["arms control"])[0] == ["arms\ncontrol"]
    assert _hit_texts(doc, [r"Then\s+end"], regex=True)[0] == []
    path = tmp_path / "p.txt"
    path.write_text(doc.source, encoding="utf-8")
    monkeypatch.setattr(SS, "_CHUNK", 16)
    for terms, kw in ((["arms control"], {}), ([r"then\s+end", r"arms\s+control"], {"regex": True, "any_term": True})):
        ref = S.search(terms, [str(path)], **kw)
        assert SS.count_file(str(path), S.compile_query(terms, **kw), workers=1) == (ref.total_passages, ref.total_hits)


def test_empty_directory_is_bad_input(invoke, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    r = invoke("search", "treaty", str(tmp_path))
    assert r.exit_code == ExitCode.USAGE
    assert r.stderr.count("\n") == 1 and "no .txt or .md files in" in r.stderr


def test_a_regex_match_beside_one_that_crosses_a_blank_line_is_kept():
    # (found by Hypothesis: the two matches touched, were merged, and the merged span was dropped)
    q = S.compile_query([r"a\s+b"], regex=True, case="sensitive")
    assert S.find_hits(q, "a ba\n\nb") == [[(0, 3)]]
