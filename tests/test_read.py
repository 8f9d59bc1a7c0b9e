"""`brief read`: the full-screen reader, driven with Textual's Pilot."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

from osce_brief import load, parse
from osce_brief.errors import ExitCode

from .conftest import WAR_AND_PEACE

pytest.importorskip("textual")

from osce_brief.reader.app import ReaderApp  # noqa: E402
from osce_brief.reader.layout import DocLines  # noqa: E402
from osce_brief.reader.state import State, doc_key  # noqa: E402

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    """Each test remembers positions in its own folder."""
    monkeypatch.setenv("BRIEF_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


def drive(doc, steps, size=SIZE, **kw):
    """Run the app on ``doc``; ``steps(app, pilot)`` is awaited inside."""

    async def main():
        app = ReaderApp(doc, **kw)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(app, pilot)
        return app

    return asyncio.run(main())


async def keys(pilot, *ks):
    for k in ks:
        await pilot.press(*k) if isinstance(k, tuple) else await pilot.press(k)
    await pilot.pause()


async def ask(pilot, key, text):
    """Open the prompt with ``key`` (colon or slash), type ``text`` and press Enter."""
    await pilot.press(key)
    pilot.app.query_one("#prompt-input").value = text
    await keys(pilot, "enter")


def status(app) -> str:
    return str(app.query_one("#status").render())


def screen_text(app) -> str:
    """What the text pane shows, as plain lines."""
    view = app.view
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def test_opens_on_the_title_outline_and_first_section():
    async def steps(app, pilot):
        text = screen_text(app)
        assert "Lavrov And Blinken Meet In Malta: Key Diplomacy?" in text
        assert "1  High-Stakes Diplomacy" in text and "In the ever-dynamic world" in text
        tree = app.query_one("#outline")
        labels = [str(n.label) for n in tree.root.children]
        assert len([x for x in labels if x[0].isdigit()]) == 6
        assert labels[-1].startswith("6 Final Thoughts")
        assert "Lavrov And Blinken" in status(app) and "0%" in status(app)
        width = max(len(line.rstrip()) for line in text.splitlines())
        assert width <= app.view.size.width

    drive(load(), steps)


def test_go_to_prompt_and_next_section():
    async def steps(app, pilot):
        await ask(pilot, "colon", "4")
        assert "\u00a74 of 6" in status(app)
        assert screen_text(app).lstrip("\n ").startswith("4  Expert Opinions and Analysis")
        await keys(pilot, "right_square_bracket")
        assert "\u00a75 of 6" in status(app)
        await keys(pilot, "j", "j", "left_square_bracket")  # inside a section: back to its start
        assert "\u00a75 of 6" in status(app)
        await keys(pilot, "left_square_bracket")
        assert "\u00a74 of 6" in status(app)
        # a bad spec says so in the prompt, and nothing moves
        await ask(pilot, "colon", "zebra")
        label = str(app.query_one("#prompt-label").render())
        assert "zebra" in label and app.prompt_mode == "goto"
        await keys(pilot, "escape")
        assert app.prompt_mode == "" and "\u00a74 of 6" in status(app)
        await ask(pilot, "colon", "9")
        assert "1-6" in str(app.query_one("#prompt-label").render())
        await keys(pilot, "escape", "g")
        assert "0%" in status(app)
        await keys(pilot, "G")
        assert "100%" in status(app) and "\u00a76 of 6" in status(app)

    drive(load(), steps)


def test_search_ukraine_steps_through_15_hits():
    async def steps(app, pilot):
        await ask(pilot, "slash", "ukraine")
        assert "match 1 of 15" in status(app)
        hit = app.hits[0]
        assert app.doc.source[hit[0]:hit[1]].lower().startswith("ukrain")
        assert app.lines.line_of_offset(hit[0]) in range(round(app.view.scroll_y), round(app.view.scroll_y) + 40)
        for k in range(2, 16):
            if k < 4 or k > 13:
                await keys(pilot, "n")
            else:
                app.action_hit(1)
            assert f"match {k} of 15" in status(app)
            a = app.hits[k - 1][0]
            y = app.lines.line_of_offset(a)
            assert round(app.view.scroll_y) <= y < round(app.view.scroll_y) + app.view.size.height
        await keys(pilot, "n")
        assert "match 1 of 15" in status(app)
        await keys(pilot, "N")
        assert "match 15 of 15" in status(app)
        # per-section hit counts in the outline
        labels = [str(n.label) for n in app.query_one("#outline").root.children]
        assert sum(int(x.rsplit("\u2022", 1)[1]) for x in labels if "\u2022" in x) == 15
        await keys(pilot, "escape")
        assert "match" not in status(app) and not app.lines.marks

    drive(load(), steps)


def test_search_without_a_hit_offers_a_suggestion():
    async def steps(app, pilot):
        await ask(pilot, "slash", "ukrane")
        label = str(app.query_one("#prompt-label").render())
        assert "no match" in label and "Ukraine" in label
        assert not app.hits

    drive(load(), steps)


def test_hedges_toggle_marks_sentences_and_outline():
    async def steps(app, pilot):
        await keys(pilot, "h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.hedges_on and app.hedge_marks
        assert any(k == "cue" for _, _, k in app.lines.marks)
        labels = [str(n.label) for n in app.query_one("#outline").root.children]
        assert any("%h" in x for x in labels)
        await keys(pilot, "h")
        assert not app.hedges_on and not app.lines.marks

    drive(load(), steps)


def test_summary_panel_jumps_to_its_sentence():
    async def steps(app, pilot):
        await keys(pilot, "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        olist = app.query_one("#panel-list")
        assert olist.option_count == 3
        await keys(pilot, "down", "down", "enter")
        kind, a, b = app.panel_items[2]
        assert app.focus_mark == (a, b)
        y = app.lines.line_of_offset(a)
        assert round(app.view.scroll_y) <= y < round(app.view.scroll_y) + app.view.size.height
        assert (a, b, "focus") in app.lines.marks
        await keys(pilot, "escape")
        assert app.panel_mode == ""

    drive(load(), steps)


def test_key_phrases_search_for_the_phrase():
    async def steps(app, pilot):
        await keys(pilot, "K")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one("#panel-list").option_count > 3
        await keys(pilot, "enter")
        assert app.hits and "match 1 of" in status(app)

    drive(load(), steps)


def test_bookmarks_and_resume(_state_dir):
    doc = load()

    async def first(app, pilot):
        await ask(pilot, "colon", "3")
        await keys(pilot, "m")
        assert "bookmark set" in status(app)
        await ask(pilot, "colon", "5")
        await keys(pilot, "q")

    drive(doc, first)
    state = State(doc.source)
    assert state.bookmarks == [doc.sections[2].start]
    assert doc.sections[4].start <= state.position < doc.sections[4].end

    async def second(app, pilot):
        await pilot.pause()
        assert "\u00a75 of 6" in status(app)
        await keys(pilot, "apostrophe")
        assert app.query_one("#panel-list").option_count == 1
        await keys(pilot, "enter")
        assert "\u00a73 of 6" in status(app)

    drive(doc, second)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"%s": {"position": "x", "bookmarks": [-1, "a"]}}'])
def test_a_broken_state_file_is_ignored(_state_dir, content):
    doc = load()
    _state_dir.mkdir(parents=True)
    (_state_dir / "reader.json").write_text(content.replace("%s", doc_key(doc.source)))

    async def steps(app, pilot):
        await ask(pilot, "colon", "2")
        await keys(pilot, "m")
        assert "\u00a72 of 6" in status(app)

    drive(doc, steps)
    data = json.loads((_state_dir / "reader.json").read_text())
    assert data[doc_key(doc.source)]["bookmarks"] == [doc.sections[1].start]


def test_an_unwritable_state_dir_never_stops_the_reader(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BRIEF_STATE_DIR", str(blocker / "sub"))

    async def steps(app, pilot):
        await keys(pilot, "m")
        assert "not saved" in status(app)
        await keys(pilot, "q")

    drive(load(), steps)


HOSTILE = (
    "Hostile [bold]Title[/bold]\n\n"
    "First [red]part[/red]\n\n"
    "Click [@click=app.quit]here[/] and \x1b[31mred\x1b[0m text \x1b]0;owned\x07 with [link=x]y[/link] and\n"
    "a bell \x07 and \u202eevil\u202c. [b]Bold?[/b] More text to read here, sentence two.\n\n"
    "Second [i]part\n\n"
    "Nothing [dim]special[/] here at all. It may be so.\n"
)


def test_hostile_article_shows_markup_literally_and_no_escapes():
    doc = parse(HOSTILE, "hostile.txt", "text")

    async def steps(app, pilot):
        text = screen_text(app)
        assert "[@click=app.quit]here[/]" in text and "[bold]Title[/bold]" in text
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        labels = " ".join(str(n.label) for n in app.query_one("#outline").root.children)
        assert "[i]part" in labels and "[red]part[/red]" in text
        for strip_y in range(app.view.size.height):
            for seg in app.view.render_line(strip_y):
                assert "\x1b" not in seg.text
        await ask(pilot, "slash", "[b]")  # the search bar takes it as text too
        await keys(pilot, "escape", "escape")
        await keys(pilot, "h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await keys(pilot, "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running

    drive(doc, steps)


def test_small_screen_and_outline_toggle():
    async def steps(app, pilot):
        assert app.lines.measure <= 88
        await keys(pilot, "t")
        assert app.query_one("#outline").has_class("hidden")
        await pilot.pause()
        assert app.lines.measure <= 78 and "High-Stakes" in screen_text(app)
        await keys(pilot, "t", "question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await keys(pilot, "escape")
        await keys(pilot, "d")
        assert app.theme == "textual-light"

    drive(load(), steps, size=(80, 24))


def test_layout_offsets_map_back():
    doc = load()
    lines = DocLines(doc, 60)
    for i in range(len(lines.sections)):
        lines.laid(i)
    for s in doc.sections:
        for sent in list(s.sentences)[:3]:
            y = lines.line_of_offset(sent.start)
            shown = "".join(seg.text for seg in lines.line(y))
            assert sent.text.split()[0] in shown
    assert lines.total == sum(lines.heights)


@pytest.mark.skipif(not WAR_AND_PEACE.exists(), reason="needs ../shared/corpus")
def test_war_and_peace_jumps_are_instant():
    import time

    doc = load(str(WAR_AND_PEACE))

    async def steps(app, pilot):
        t = time.perf_counter()
        await ask(pilot, "colon", "second epilogue")
        assert "SECOND EPILOGUE" in screen_text(app)
        assert not app.lines.cache.keys() - set(range(len(app.lines.sections) - 40, len(app.lines.sections))) - {0, 1, 2, 3, 4}
        t = time.perf_counter()
        app.goto("1")
        assert "BOOK ONE" in screen_text(app) and time.perf_counter() - t < 1.0

    drive(doc, steps)


def test_read_needs_a_terminal(invoke):
    r = invoke("read")
    assert r.exit_code == ExitCode.USAGE
    assert "brief show all" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_read_refuses_an_unknown_theme(invoke):
    r = invoke("read", "--theme", "blue")
    assert r.exit_code == ExitCode.USAGE and "--theme" in r.stderr


def test_no_color_is_honoured(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def steps(app, pilot):
        assert not app.color and not app.lines.color

    drive(load(), steps)
    os.environ.pop("NO_COLOR", None)


def test_other_commands_never_import_textual():
    import subprocess
    import sys

    code = ("import sys\nfrom osce_brief.cli import app\n"
            "try:\n    app(['outline'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "assert not [m for m in sys.modules if m.startswith(('textual', 'osce_brief.reader'))], 'textual imported'\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


MARKDOWN = """# Field Notes

Some lead text.

## Alpha

The *first* part mentions [bold]markup[/bold] and the word sparrow. It may rain.

- a list item
- another

## Beta

```
code \x1b[31mblock\x1b[0m
```

The second part has a sparrow too.
"""


def test_markdown_is_rendered_as_markdown_and_searchable():
    doc = parse(MARKDOWN, "notes.md", "markdown")

    async def steps(app, pilot):
        text = screen_text(app)
        assert "Alpha" in text and "first" in text and "*first*" not in text
        assert "[bold]markup[/bold]" in text and "\x1b" not in text
        await ask(pilot, "slash", "sparrow")
        assert "match 1 of 2" in status(app)
        await ask(pilot, "colon", "beta")
        assert "Beta" in screen_text(app)

    drive(doc, steps)


def test_outline_enter_jumps_and_failed_work_is_a_message(monkeypatch):
    async def steps(app, pilot):
        tree = app.query_one("#outline")
        tree.focus()
        await pilot.pause()
        tree.move_cursor(app.nodes[3])
        await keys(pilot, "enter")
        assert "\u00a73 of 6" in status(app)
        await keys(pilot, "tab")
        assert app.focused is app.view

        def boom(*a, **k):
            raise RuntimeError("broken")

        monkeypatch.setattr("osce_brief.api.summarize", boom)
        await keys(pilot, "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no summary: broken" in status(app) and app.is_running

    drive(load(), steps)


def test_empty_document_opens():
    async def steps(app, pilot):
        await keys(pilot, "G", "right_square_bracket", "h")
        await app.workers.wait_for_complete()
        await keys(pilot, "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running

    drive(parse("", "empty.txt", "text"), steps)


@pytest.mark.skipif(not WAR_AND_PEACE.exists(), reason="needs ../shared/corpus")
def test_scrolling_up_after_a_jump_is_smooth():
    doc = load(str(WAR_AND_PEACE))

    async def steps(app, pilot):
        await ask(pilot, "colon", "200")
        for _ in range(4):
            before = screen_text(app).splitlines()
            await keys(pilot, "k")
            after = screen_text(app).splitlines()
            assert after[1:] == before[:-1]

    drive(doc, steps)


def test_fast_read_parser():
    from osce_brief.entry import parse_fast_read

    assert parse_fast_read([]) == (None, "dark")
    assert parse_fast_read(["a.txt", "--theme=light"]) == ("a.txt", "light")
    for args in (["--theme", "blue"], ["-"], ["a", "b"], ["--help"], ["-E", "latin-1", "a"], ["--theme"]):
        assert parse_fast_read(args) is None, args
