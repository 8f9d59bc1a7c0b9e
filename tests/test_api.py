"""The public library API (``osce_brief.api``, re-exported by the package).

Each result's ``to_dict()`` is exactly what the matching ``brief ... --json``
prints; the README's Library examples and the API's docstring examples run.
"""

from __future__ import annotations

import doctest
import importlib
import re
import sys

import pytest

import osce_brief
from osce_brief import api
from osce_brief.errors import SectionError, UsageError
from osce_brief.hedges import HedgeReport
from osce_brief.keywords import Keywords
from osce_brief.model import Document
from osce_brief.outline import Outline
from osce_brief.search import SearchResult
from osce_brief.select import Selection
from osce_brief.summarize import SectionSummary, Summary

from .conftest import BUNDLED, ROOT, build_text, jsonl

API_NAMES = ("load", "parse", "outline", "select", "search", "summarize", "keywords", "hedges")

MARKDOWN = """# Field notes

## Rivers

The river rose after the rain. It may flood the lower town by Friday. Engineers
say the levee held last year.

### Bridges

The old bridge closed. A new bridge opens next spring, officials reportedly said.

## Forests

Rangers counted the trees. The forest probably grew by a tenth. Rain helped.
"""


@pytest.fixture(scope="module")
def doc() -> Document:
    return api.load()


@pytest.fixture
def md_file(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return str(path)


def one(invoke, *args) -> dict:
    r = invoke(*args)
    assert r.exit_code == 0, r.stderr
    lines = jsonl(r.stdout)
    assert len(lines) == 1
    return lines[0]


# ---------------------------------------------------------------- the package surface
def test_package_exports_the_api_functions():
    for name in API_NAMES:
        assert getattr(osce_brief, name) is getattr(api, name)
        assert name in osce_brief.__all__


def test_importing_a_module_of_the_same_name_keeps_the_function():
    for name in ("outline", "select", "search", "summarize", "keywords", "hedges"):
        module = importlib.import_module(f"osce_brief.{name}")
        assert module is sys.modules[f"osce_brief.{name}"] and module is not getattr(api, name)
        assert getattr(osce_brief, name) is getattr(api, name)
    from osce_brief import search  # after the module was imported: still the function

    assert search is api.search


def test_import_osce_brief_loads_no_module(tmp_path):
    import subprocess

    code = "import sys, osce_brief; print(sorted(m for m in sys.modules if m.startswith('osce_brief.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_functions_take_a_path_or_none(md_file):
    assert api.outline(md_file).path == md_file
    assert api.outline().path == "<bundled>"
    assert api.keywords(md_file, n=3).path == md_file
    assert api.select(md_file, "rivers").sections[0].title == "Rivers"


# ---------------------------------------------------------------- results == --json
@pytest.mark.parametrize("args, kwargs", [
    ((), {}),
    (("--depth", "1"), {"depth": 1}),
    (("--hedges",), {"hedges": True}),
])
def test_outline_is_the_json(invoke, doc, args, kwargs):
    result = api.outline(doc, **kwargs)
    assert isinstance(result, Outline)
    assert result.to_dict() == one(invoke, "outline", "--json", *args)
    assert result.words == result.total_words and result.sections == result.visible()


def test_outline_of_markdown_with_hedges_is_the_json(invoke, md_file):
    result = api.outline(md_file, hedges=True)
    assert result.to_dict() == one(invoke, "outline", "--json", "--hedges", md_file)
    assert set(result.hedged) == {e.index for e in result.entries}


@pytest.mark.parametrize("spec", ["3", "expert", "2-4", "1,3", "all"])
def test_select_is_the_show_json(invoke, doc, spec):
    result = api.select(doc, spec)
    assert isinstance(result, Selection)
    assert result.to_dict() == one(invoke, "show", spec, "--json")
    for s in result.sections:
        assert doc.source[s.start : s.end] == s.text
    assert [s.index for s in result.in_document(doc)] == [s.index for s in result.sections]


def test_select_without_children(md_file):
    assert [s.title for s in api.select(md_file, "rivers").sections] == ["Rivers", "Bridges"]
    assert [s.title for s in api.select(md_file, "rivers", children=False).sections] == ["Rivers"]
    with pytest.raises(SectionError):
        api.select(md_file, "9")


@pytest.mark.parametrize("args, kwargs", [
    ((), {}),
    (("-n", "5"), {"n": 5}),
    (("--ratio", "0.1"), {"ratio": 0.1}),
    (("--words", "60"), {"words": 60}),
    (("--method", "lexrank", "--section", "2-3"), {"method": "lexrank", "section": "2-3"}),
    (("--reported",), {"reported": True}),
])
def test_summarize_is_the_json(invoke, doc, args, kwargs):
    result = api.summarize(doc, **kwargs)
    assert isinstance(result, Summary)
    assert result.to_dict() == one(invoke, "summary", "--json", *args)


def test_summarize_by_section_is_the_json(invoke, doc):
    result = api.summarize(doc, by_section=True)
    assert isinstance(result, SectionSummary)
    assert result.to_dict() == one(invoke, "summary", "--json", "--by-section")
    assert all(len(g.sentences) <= 1 for g in result.sections)


def test_summarize_takes_a_selection(doc):
    chosen = api.select(doc, "2")
    assert api.summarize(doc, n=1, section=chosen) == api.summarize(doc, n=1, section="2")


def test_keywords_are_the_json(invoke, doc):
    result = api.keywords(doc, n=5)
    assert isinstance(result, Keywords) and len(result.keywords) == 5
    assert result.to_dict() == one(invoke, "keywords", "--json", "-n", "5")


def test_hedges_are_the_json(invoke, doc, md_file):
    result = api.hedges(doc)
    assert isinstance(result, HedgeReport)
    assert result.to_dict() == one(invoke, "hedges", "--json")
    assert api.hedges(md_file).to_dict() == one(invoke, "hedges", "--json", md_file)


@pytest.mark.parametrize("args, kwargs", [
    ((), {}),
    (("-C", "1", "--unit", "sentence"), {"context": 1}),
    (("--unit", "paragraph"), {"unit": "paragraph"}),
    (("--rank", "--max", "3"), {"rank": True, "max_passages": 3}),
    (("--section", "2"), {"section": "2"}),
    (("--count",), {"mode": "count"}),
    (("-l",), {"mode": "files"}),
])
def test_search_records_are_the_json(invoke, args, kwargs):
    result = api.search(None, "ukraine", **kwargs)
    assert isinstance(result, SearchResult)
    r = invoke("search", "--json", *args, "ukraine")
    assert r.exit_code == 0, r.stderr
    assert result.records() == jsonl(r.stdout)


def test_search_of_files_and_of_documents_agree(invoke, md_file, tmp_path):
    other = tmp_path / "more.txt"
    other.write_text(build_text(("Weather", "The rain fell on the river. Rivers rose.")), encoding="utf-8")
    by_path = api.search([md_file, str(other)], "river", rank=True)
    by_doc = api.search([api.load(md_file), api.load(str(other))], "river", rank=True)
    assert by_path.records() == by_doc.records()
    r = invoke("search", "--json", "--rank", "river", md_file, str(other))
    assert by_path.records() == jsonl(r.stdout)
    counted = api.search([api.load(md_file)], "river", mode="count")
    assert counted.passages == () and counted.total_passages == by_doc.files[0].passages


def test_search_terms_and_errors(doc):
    assert api.search(doc, "arms control").terms == ("arms control",)  # one string: one term (a phrase)
    assert api.search(doc, ["arms", "control"]).total_passages >= api.search(doc, "arms control").total_passages
    with pytest.raises(UsageError):
        api.search(doc, "x", unit="chapter")
    with pytest.raises(UsageError):
        api.search(doc, "x", mode="lines")
    with pytest.raises(TypeError):
        api.search([doc, str(BUNDLED)], "x")
    nothing = api.search(doc, "blinkin")
    assert not nothing.found and "Blinken" in nothing.suggestions


def test_results_are_frozen(doc):
    from dataclasses import FrozenInstanceError as DataclassFrozen

    from osce_brief.record import FrozenInstanceError

    for result in (api.outline(doc), api.summarize(doc), api.keywords(doc), api.hedges(doc)):
        with pytest.raises(DataclassFrozen):
            result.path = "x"
    for result in (api.select(doc, "1"), api.search(doc, "ukraine")):
        with pytest.raises(FrozenInstanceError):
            result.mode = "x"


# ---------------------------------------------------------------- examples run
def test_api_docstring_examples_run():
    failed, attempted = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert attempted >= 7 and failed == 0


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_an_example_per_api_function():
    code = "\n".join(readme_python_blocks())
    for name in API_NAMES:
        assert re.search(rf"\b{name}\(", code), name


@pytest.mark.parametrize("block", readme_python_blocks(), ids=lambda b: b.split("import", 2)[1].split("\n")[0].strip())
def test_readme_python_examples_run(block, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out  # each example shows something
