"""Tests for ``brief hedges``: detection, context rules, offsets, profile, rendering, CLI."""

from __future__ import annotations

import io
import json
import math

import pytest
from rich.console import Console

from osce_brief import load
from osce_brief.errors import ExitCode
from osce_brief.hedges import (
    MODEL_PATH,
    HedgeReport,
    analyze,
    candidates,
    default_model,
    find_cues,
    hedged_predicate,
    is_hedged,
    tokenize,
)
from osce_brief.render.hedges import _breaks, bar, highlight, render_hedges

from .conftest import BUNDLED, build_doc, jsonl


@pytest.fixture(scope="module")
def doc():
    return load()


@pytest.fixture(scope="module")
def report(doc) -> HedgeReport:
    return analyze(doc)


def cue_words(text: str) -> list[str]:
    return [text[s:e] for s, e in find_cues(text)]


def find(report: HedgeReport, prefix: str):
    hits = [s for s in report.sentences if s.text.startswith(prefix)]
    assert hits, f"no sentence starts with {prefix!r}"
    return hits[0]


# ------------------------------------------------------------------ bundled article


def test_blinken_likely_is_hedged_with_likely(doc, report):
    s = find(report, "Blinken likely reiterated")
    assert s.hedged
    assert [doc.source[a:b] for a, b in s.cues] == ["likely"]
    assert s.section_index == 2


def test_opening_sentence_is_reported(report):
    s = find(report, "In the ever-dynamic world")
    assert "all eyes were on Malta as Sergey Lavrov" in s.text
    assert s.text.endswith("(OSCE) meeting.")
    assert "convened at the" in s.text
    assert not s.hedged and s.cues == ()
    assert s.section_index == 1


def test_other_article_hedges(doc, report):
    assert find(report, "He might have reiterated").hedged
    s = find(report, "Beyond Ukraine, the meeting probably")
    assert [doc.source[a:b] for a, b in s.cues] == ["probably"]
    s = find(report, "Whether this meeting will ultimately")
    assert "remains to be seen" in [doc.source[a:b] for a, b in s.cues]


def test_profile_has_a_share_per_section(doc, report):
    assert [p.index for p in report.sections] == [1, 2, 3, 4, 5, 6]
    assert [p.title for p in report.sections] == [s.title for s in doc.sections]
    for p in report.sections:
        assert p.sentences > 0
        assert 0 <= p.hedged <= p.sentences
        assert p.ratio == pytest.approx(p.hedged / p.sentences)
        assert p.hedged == sum(1 for s in report.sentences if s.section_index == p.index and s.hedged)
    assert report.total == sum(p.sentences for p in report.sections)
    assert report.hedged_count == sum(p.hedged for p in report.sections)
    # The article is mostly conjecture in its middle sections, mostly fact in section 5.
    assert 0.2 < report.ratio < 0.7
    assert report.sections[2].ratio > report.sections[4].ratio


def test_offsets_point_into_the_source(doc, report):
    for s in report.sentences:
        assert doc.source[s.start : s.end] == s.text
        assert s.hedged == bool(s.cues)
        for a, b in s.cues:
            assert s.start <= a < b <= s.end
        sec = doc.section_at(s.start)
        assert sec is not None and sec.index == s.section_index and sec.title == s.section_title


def test_to_dict_schema(report):
    d = report.to_dict()
    assert set(d) >= {"path", "ratio", "sections", "sentences"}
    assert d["path"] == "<bundled>"
    first = d["sentences"][0]
    assert set(first) == {"text", "start", "end", "hedged", "cues", "section"}
    assert set(first["section"]) == {"index", "title"}
    assert all(isinstance(c, list) and len(c) == 2 for s in d["sentences"] for c in s["cues"])
    json.dumps(d)


# ------------------------------------------------------------------ context rules


@pytest.mark.parametrize(
    "text",
    [
        "The summit is planned for May 2025 in Vienna.",
        "In May, the ministers met in Vienna.",
        "May 5 was the date of the vote.",
        "The talks ended on 12 May with a joint statement.",
    ],
)
def test_may_the_month_is_not_a_hedge(text):
    assert not is_hedged(text), cue_words(text)


def test_may_the_modal_is_a_hedge():
    assert cue_words("The ministers may meet again in Vienna.") == ["may"]
    assert is_hedged("May the talks resume next year, the envoy may return.")


@pytest.mark.parametrize(
    "text",
    [
        "There is no doubt that the talks ended.",
        "He could not open the door of the embassy.",
        "She couldn't find the minister's office.",
        "From the window she could see the harbour.",
        "The stakes couldn't have been higher.",
    ],
)
def test_negated_and_factual_cues_are_not_hedges(text):
    assert not is_hedged(text), cue_words(text)


@pytest.mark.parametrize(
    "text",
    [
        "The vote has become a turning point, say political consultants.",
        "The minister said the talks ended on Tuesday.",
        "According to the ministry, the border was closed.",
        "The spokesman told reporters that the envoy had left.",
    ],
)
def test_attribution_alone_is_not_a_hedge(text):
    assert not is_hedged(text), cue_words(text)


@pytest.mark.parametrize(
    "text, cue",
    [
        ("Some experts argue that the treaty failed.", "Some experts argue"),
        ("Many believe the envoy left early.", "Many believe"),
        ("It is said that the envoy left early.", "It is said"),
        ("The envoy is rumoured to have resigned.", "is rumoured to"),
    ],
)
def test_weasel_attributions_are_hedges(text, cue):
    assert cue in cue_words(text)


@pytest.mark.parametrize(
    "text, cue",
    [
        ("The envoy might have left early.", "might have"),
        ("The talks could collapse next week.", "could"),
        ("The deal will probably fail.", "probably"),
        ("Whether the deal holds remains to be seen.", "remains to be seen"),
        ("The fighting reportedly resumed at dawn.", "reportedly"),
        ("The minister is believed to favour a truce.", "believed"),
        ("If the talks fail, sanctions will follow.", "If"),
        ("It seems that nobody was ready.", "seems"),
    ],
)
def test_epistemic_doxastic_and_conditional_cues(text, cue):
    assert any(cue in w for w in cue_words(text)), cue_words(text)


def test_weasels_can_be_switched_off():
    text = "Some experts argue that the treaty failed."
    assert is_hedged(text) and not is_hedged(text, weasels=False)


def test_plain_facts_are_reported():
    for text in ("The ministers met in Vienna on Tuesday.", "Prices rose by 5% in 2023.", ""):
        assert find_cues(text) == []


def test_cues_are_sorted_and_disjoint():
    text = "He may, or may not, return; it could be that the talks might resume if asked."
    cues = find_cues(text)
    assert cues == sorted(cues)
    assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:]))
    assert "may, or may not" in [text[s:e] for s, e in cues]


def test_tokenize_splits_contractions():
    text = "It couldn't be, we don\u2019t know."
    toks = tokenize(text)
    assert [t for t, _, _ in toks][:4] == ["It", "could", "n't", "be"]
    assert all(text[s:e] == t for t, s, e in toks)


def test_predicate_for_summary_prefers_reported():
    pred = hedged_predicate()
    assert pred("The ministers met in Vienna.") is True
    assert pred("The ministers may meet in Vienna.") is False


@pytest.mark.parametrize(
    "text",
    [
        "They called for the fastest possible ratification of the treaty.",
        "The envoy will answer as soon as possible.",
        "Prices were held at the lowest possible level.",
    ],
)
def test_possible_as_degree_is_not_a_hedge(text):
    assert not is_hedged(text), cue_words(text)


def test_possible_as_doubt_is_a_hedge():
    assert cue_words("It is possible that the talks failed.") == ["possible"]


@pytest.mark.parametrize("word", ["reportedly", "allegedly", "supposedly"])
def test_hearsay_adverbs_are_hedges(word):
    text = f"The envoy {word} resigned at dawn on Monday."
    assert cue_words(text) == [word]


# Own sentences that exercise every feature: contractions, capitals, questions,
# "if" before and after, reporting verbs, non-ASCII text, long windows.
_SCORING_CASES = [
    "Perhaps the ministers would meet again if the ceasefire held.",
    "He wouldn't say whether the envoy could return, the spokesman said.",
    "Under the plan, holders would receive $42 a share, the company said it would add.",
    "Would the talks resume? Nobody could tell, and some thought they might not.",
    "The caf\u00e9 may close in May if prices rise, according to its owner, who expects losses.",
    "The ministers, who had travelled from Vienna, Geneva, Brussels and Paris for the "
    "long-delayed and much-discussed meeting, were expected to sign the accord that would, "
    "in all likelihood, settle the dispute should both sides agree.",
    "It seems likely, and is believed by many, that the treaty suggests a possible truce.",
    "They couldn't have known; he can't, she won't.",
]


def test_fast_scores_equal_the_feature_weights(doc):
    """Inference sums per-word tables instead of building the features: same logits."""
    m = default_model()
    texts = _SCORING_CASES + [s.text for sec in doc.all_sections() for s in sec.sentences]
    scored = 0
    for text in texts:
        slow = candidates(text, m.lexicon)
        fast = candidates(text, m.lexicon, model=m)
        assert [(s, e, fo) for s, e, _, fo in slow] == [(s, e, fo) for s, e, _, fo in fast]
        for (_, _, feats, forced), (_, _, z, _) in zip(slow, fast):
            if feats is None:
                assert z is None
            elif not forced:
                assert z == pytest.approx(m.score(feats), abs=1e-9)
                scored += 1
    assert scored > 50


def test_shipped_model_is_small_and_sane():
    assert MODEL_PATH.stat().st_size < 400_000
    m = default_model()
    assert {"may", "might", "likely", "probably"} <= m.lexicon
    assert all(math.isfinite(v) for v in m.weights.values())
    assert 0 < m.threshold < 1


# ------------------------------------------------------------------ built documents


def test_sections_without_hedges_and_lead():
    doc = build_doc(
        ("First Part", "The council met on Monday. It adopted a budget."),
        ("Second Part", "The envoy may resign. Observers probably expect it. The vote was held."),
    )
    r = analyze(doc)
    assert [(p.index, p.sentences, p.hedged) for p in r.sections] == [(1, 2, 0), (2, 3, 2)]
    assert r.ratio == pytest.approx(2 / 5)
    assert [s.hedged for s in r.reported()] == [False] * 3


def test_empty_report():
    r = HedgeReport("empty.txt", (), ())
    assert r.total == 0 and r.ratio == 0.0 and r.to_dict()["sentences"] == []
    out = _render(render_hedges(r, "Only A Title"))
    assert "no prose sentences" in out


# ------------------------------------------------------------------ rendering


def _render(renderable, width: int = 80) -> str:
    console = Console(record=True, width=width, color_system="truecolor", force_terminal=True)
    console.print(renderable)
    return console.export_text()


def test_render_profile_and_sentences(doc, report):
    out = _render(render_hedges(report, doc.title))
    assert "total" in out
    for p in report.sections:
        assert f"{p.ratio * 100:.0f}%" in out
    flat = " ".join(out.split())
    assert "Blinken likely reiterated" in flat
    assert "In the ever-dynamic world" not in flat
    assert all(len(line) <= 80 for line in out.splitlines())


def test_render_reported(doc, report):
    out = _render(render_hedges(report, doc.title, reported=True))
    flat = " ".join(out.split())
    assert "In the ever-dynamic world" in flat
    assert "Blinken likely reiterated" not in flat
    assert "Reported sentences" in out


def test_highlight_spans_sit_on_cues(report):
    s = find(report, "Lavrov, on the other hand, likely presented")
    text = highlight(s)
    styled = [text.plain[sp.start : sp.end] for sp in text.spans]
    assert styled == [s.text[a - s.start : b - s.start] for a, b in s.cues]
    assert "likely" in styled


def test_highlight_after_cleaning_controls():
    doc = build_doc(("Part", "The \x1b[31mdeal\x1b[0m may \x07fail. Markup like [bold]x[/bold] may stay."))
    r = analyze(doc)
    assert all(s.hedged for s in r.sentences)
    for s in r.sentences:
        text = highlight(s)
        assert "\x1b" not in text.plain and "\x07" not in text.plain
        assert [text.plain[sp.start : sp.end] for sp in text.spans] == ["may"]
    out = _render(render_hedges(r, "A Title"))
    assert "\x1b[31m" not in out and "[bold]x[/bold]" in " ".join(out.split())


def test_plain_console_output_has_no_styles(report):
    buf = io.StringIO()
    console = Console(file=buf, width=60, color_system=None, force_terminal=False)
    console.print(render_hedges(report))
    out = buf.getvalue()
    assert "\x1b" not in out
    lines = out.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert any(line.startswith("  \u2022 ") for line in lines)


@pytest.mark.parametrize("color_system", [None, "truecolor"])
def test_long_words_and_wide_text_stay_within_width(color_system):
    doc = build_doc(
        (
            "Part",
            "The envoy may visit https://example.org/" + "x" * 120 + " tomorrow. "
            "The envoy might visit 東京 東京 東京 "
            + "東京 " * 30 + "soon. Tabs	may	appear here.",
        )
    )
    r = analyze(doc)
    assert r.hedged_count == 3
    buf = io.StringIO()
    console = Console(file=buf, width=50, color_system=color_system, force_terminal=color_system is not None)
    console.print(render_hedges(r))
    from rich.cells import cell_len
    from rich.text import Text

    for line in buf.getvalue().splitlines():
        assert cell_len(Text.from_ansi(line).plain) <= 50, line


def test_breaks_wrap_within_width():
    text = "word " * 40 + "x" * 70 + " end"
    cuts = [0, *_breaks(text, 30), len(text)]
    lines = [text[cuts[k] : cuts[k + 1]] for k in range(0, len(cuts), 2)]
    assert all(0 < len(line) <= 30 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_bar():
    assert bar(0).plain == "\u00b7" * 12
    assert bar(1).plain == "\u2588" * 12
    assert bar(0.01).plain.startswith("\u2588")


# ------------------------------------------------------------------ CLI


def test_cli_hedges_bundled(invoke):
    r = invoke("hedges")
    assert r.exit_code == ExitCode.OK, r.stderr
    flat = " ".join(r.stdout.split())
    assert "Blinken likely reiterated" in flat
    assert "total" in r.stdout and "\x1b" not in r.stdout


def test_cli_hedges_reported(invoke):
    r = invoke("hedges", "--reported")
    assert r.exit_code == ExitCode.OK, r.stderr
    flat = " ".join(r.stdout.split())
    assert "all eyes were on Malta" in flat
    assert "Blinken likely reiterated" not in flat


def test_cli_hedges_json_offsets(invoke, doc):
    r = invoke("hedges", "--json", str(BUNDLED), str(BUNDLED))
    assert r.exit_code == ExitCode.OK, r.stderr
    objs = jsonl(r.stdout)
    assert len(objs) == 2
    source = load(str(BUNDLED)).source
    for obj in objs:
        assert obj["path"] == str(BUNDLED)
        assert 0 < obj["ratio"] < 1
        assert len(obj["sections"]) == 6
        for s in obj["sentences"]:
            assert source[s["start"] : s["end"]] == s["text"]
            for a, b in s["cues"]:
                assert s["start"] <= a < b <= s["end"]
        likely = [s for s in obj["sentences"] if s["text"].startswith("Blinken likely reiterated")][0]
        assert likely["hedged"] and [source[a:b] for a, b in likely["cues"]] == ["likely"]
        assert likely["section"] == {"index": 2, "title": "Key Issues on the Table: Ukraine and Beyond"}


def test_cli_hedges_stdin(invoke):
    r = invoke("hedges", "--json", "-", input="Title\n\nThe envoy may resign. The vote was held.\n")
    assert r.exit_code == ExitCode.OK, r.stderr
    (obj,) = jsonl(r.stdout)
    assert [s["hedged"] for s in obj["sentences"]] == [True, False]
    assert obj["ratio"] == 0.5


def test_cli_hedges_missing_file(invoke, tmp_path):
    r = invoke("hedges", str(tmp_path / "nope.txt"))
    assert r.exit_code == ExitCode.USAGE
    assert r.stderr.startswith("brief: error:")


def test_cli_hedges_help_has_example(invoke):
    r = invoke("hedges", "--help")
    assert r.exit_code == ExitCode.OK
    assert "brief hedges --reported" in r.stdout


# ------------------------------------------------------------------ other commands


def test_cli_outline_hedges_column(invoke, report):
    r = invoke("outline", "--hedges")
    assert r.exit_code == ExitCode.OK, r.stderr
    assert "Hedged" in r.stdout
    for p in report.sections:
        assert f"{p.ratio * 100:.0f}%" in r.stdout
    r = invoke("outline", "--hedges", "--json")
    assert r.exit_code == ExitCode.OK, r.stderr
    (obj,) = jsonl(r.stdout)
    assert [s["hedged"] for s in obj["sections"]] == [round(p.ratio, 4) for p in report.sections]


def test_rollup_adds_subsections():
    from osce_brief import parse
    from osce_brief.hedges import rollup

    doc = parse(
        "# Title\n\n## Book\n\n### One\n\nThe envoy may resign. The vote was held.\n\n"
        "### Two\n\nIt rained. Prices rose.\n",
        "book.md",
    )
    shares = rollup(analyze(doc), doc)
    top = shares[doc.sections[0].index]
    assert (top.sentences, top.hedged) == (4, 1)


def test_cli_summary_reported_prefers_facts(invoke):
    plain = jsonl(invoke("summary", "-n", "5", "--json").stdout)[0]
    r = invoke("summary", "-n", "5", "--reported", "--json")
    assert r.exit_code == ExitCode.OK, r.stderr
    facts = jsonl(r.stdout)[0]
    assert len(facts["sentences"]) == 5
    assert not any(is_hedged(s["text"]) for s in facts["sentences"])
    assert any(is_hedged(s["text"]) for s in plain["sentences"])
    r = invoke("summary", "--reported", "--by-section")
    assert r.exit_code == ExitCode.OK, r.stderr


def test_two_processes_give_the_same_report(monkeypatch):
    """Big documents are analysed in two processes; the report must not change."""
    import os

    from osce_brief.loaders import parse

    from osce_brief.hedges import analyze

    body = []
    for i in range(1, 9):
        body.append(f"CHAPTER {i}")
        body.append(
            f"The talks in round {i} may resume soon. Officials met on Monday. "
            "It is believed that a deal could follow. The minister said the plan works."
        )
    doc = parse("A Title\n\n" + "\n\n".join(body) + "\n", "book.txt", "text")
    one = analyze(doc, workers=1)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    two = analyze(parse(doc.source, "book.txt", "text"), workers=2)
    assert forks == [1]
    assert one.sections == two.sections and one.sentences == two.sentences
    assert len(one.sections) >= 8 and one.hedged_count > 0
