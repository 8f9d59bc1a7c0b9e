"""CLI tests for the reader commands: exit codes, output modes, JSON, errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from osce_brief.cli import app
from osce_brief.errors import ExitCode

from .conftest import BUNDLED, ROOT, WAR_AND_PEACE, jsonl

ANSI = re.compile(r"\x1b\[")
GOLDEN = Path(__file__).parent / "golden"


def test_outline_bundled_plain(invoke):
    r = invoke("outline")
    assert r.exit_code == ExitCode.OK
    out = r.stdout
    assert not ANSI.search(out)
    lines = out.splitlines()
    assert lines[0] == "Lavrov And Blinken Meet In Malta: Key Diplomacy?"
    assert "by Admin" in lines[1] and "49 views" in lines[1]
    assert lines[2] == "Sergey Lavrov and Antony Blinken Met at an OSCE Meeting in Malta"
    assert re.search(r"^\s*4\s+Expert Opinions and Analysis\s+325\s+1 min", out, re.M)
    assert "6 sections" in out and "1,904 words" in out


def test_outline_json_golden(invoke):
    r = invoke("outline", "--json")
    assert r.exit_code == 0
    assert jsonl(r.stdout) == jsonl((GOLDEN / "outline_bundled.json").read_text())
    (obj,) = jsonl(r.stdout)
    src = BUNDLED.read_text(encoding="utf-8")
    for s in obj["sections"]:
        assert src[s["start"] : s["end"]].startswith(s["title"])
        assert set(s) >= {"index", "level", "title", "start", "end", "words"}


def test_show_json_golden(invoke):
    r = invoke("show", "4", "--json")
    assert r.exit_code == 0
    assert jsonl(r.stdout) == jsonl((GOLDEN / "show_4_bundled.json").read_text())
    src = BUNDLED.read_text(encoding="utf-8")
    for s in jsonl(r.stdout)[0]["sections"]:
        assert src[s["start"] : s["end"]] == s["text"]


def test_show_by_words_and_ranges(invoke):
    r = invoke("show", "expert")
    assert r.exit_code == 0
    assert r.stdout.startswith("4  Expert Opinions and Analysis")
    r = invoke("show", "2-3", "--json")
    assert [s["index"] for s in jsonl(r.stdout)[0]["sections"]] == [2, 3]
    r = invoke("show", "1,6", "--json")
    assert [s["index"] for s in jsonl(r.stdout)[0]["sections"]] == [1, 6]
    r = invoke("show", "all")
    assert r.exit_code == 0 and all(t in r.stdout for t in ["High-Stakes", "Final Thoughts"])


def test_show_wraps_to_width(invoke):
    r = invoke("show", "1", "--width", "50")
    assert r.exit_code == 0
    assert max(len(line) for line in r.stdout.splitlines()) <= 50
    r = invoke("show", "1")
    body = [line for line in r.stdout.splitlines() if line.startswith("In the ever-dynamic")]
    assert body  # piped without --width: one line per paragraph, not cut


@pytest.mark.parametrize(
    "args, needle",
    [
        (["show", "9"], "no section 9"),
        (["show", "0"], "no lead"),  # 0 is the lead; the bundled article has none beyond its title
        (["show", "2-1"], "empty range 2-1"),
        (["show", "1-99999"], "no section 99999"),
        (["show", "a"], "matches"),
        (["show", "nothing-like-this"], "no section matches"),
        (["show"], "Missing argument"),
        (["outline", "/no/such/file.txt"], "no such file"),
        (["outline", "--depth", "0"], "--depth"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_usage_errors_exit_2_one_line(invoke, args, needle):
    r = invoke(*args)
    assert r.exit_code == ExitCode.USAGE
    err = r.stderr.strip()
    assert needle in err
    assert len(err.splitlines()) == 1 and err.startswith("brief: error:")
    assert "Traceback" not in r.output


def test_directory_and_empty_input(invoke, tmp_path):
    r = invoke("outline", str(tmp_path))
    assert r.exit_code == 2 and "is a directory" in r.stderr
    empty = tmp_path / "e.txt"
    empty.write_text("  \n\n")
    r = invoke("outline", str(empty))
    assert r.exit_code == 2 and "empty" in r.stderr


def test_invalid_utf8_names_encoding_option(invoke, tmp_path):
    f = tmp_path / "l1.txt"
    f.write_bytes("Titre\n\nCaf\u00e9 cr\u00e8me, a long sentence of text.\n".encode("latin-1"))
    r = invoke("outline", str(f))
    assert r.exit_code == 2 and "--encoding" in r.stderr and "byte" in r.stderr
    r = invoke("show", "all", str(f), "--encoding", "latin-1")
    assert r.exit_code == 0 and "Caf\u00e9" in r.stdout


def test_stdin(invoke):
    text = "Stdin Title\n\nFirst Part\n\nSome body text that is long enough to count.\n"
    r = invoke("outline", "-", "--json", input=text)
    assert r.exit_code == 0
    obj = jsonl(r.stdout)[0]
    assert obj["path"] == "-" and obj["title"] == "Stdin Title"
    assert [s["title"] for s in obj["sections"]] == ["First Part"]


def test_markdown_rendered_as_markdown(invoke, tmp_path):
    f = tmp_path / "n.md"
    f.write_text("# Title\n\n## Part\n\nSome **bold** text and `code`.\n\n- one\n- two\n")
    r = invoke("show", "1", str(f))
    assert r.exit_code == 0
    assert "**bold**" not in r.stdout and "bold" in r.stdout
    assert "one" in r.stdout


def test_markup_in_article_is_literal(invoke, tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("T\n\n[bold]Heading[/bold] [/]\n\nBody [link=file:///etc/passwd]x[/link] and [/bold] text here.\n")
    r = invoke("show", "all", str(f))
    assert r.exit_code == 0
    assert "[link=file:///etc/passwd]x[/link]" in r.stdout and "[/bold]" in r.stdout


def test_color_only_when_forced(invoke):
    r = invoke("outline", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert ANSI.search(r.stdout)
    r = invoke("outline", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    # NO_COLOR: no colour codes (38;5 / 3x), bold and italics may stay
    assert not re.search(r"\x1b\[[0-9;]*3[0-9](;|m)", r.stdout)
    r = invoke("outline", env={"FORCE_COLOR": "", "NO_COLOR": ""})
    assert not ANSI.search(r.stdout)


def test_every_command_has_help_with_example(invoke):
    cmd = typer.main.get_command(app)
    for name in cmd.commands:  # type: ignore[attr-defined]
        r = invoke(name, "--help")
        assert r.exit_code == 0, name
        assert "Example" in r.stdout and f"brief {name}" in r.stdout, name


def _run(args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "osce_brief", *args], capture_output=True, text=True, env=env, **kw)


def test_python_m_and_closed_pipe():
    r = _run(["outline"])
    assert r.returncode == 0 and "Expert Opinions" in r.stdout
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    p = subprocess.run(
        f"'{sys.executable}' -m osce_brief show all | head -3", shell=True, capture_output=True, text=True, env=env
    )
    assert p.stderr == ""
    assert len(p.stdout.splitlines()) == 3


@pytest.mark.skipif(not WAR_AND_PEACE.exists(), reason="shared corpus not present")
def test_war_and_peace_outline_cli(invoke):
    r = invoke("outline", str(WAR_AND_PEACE))
    assert r.exit_code == 0
    rows = [line for line in r.stdout.splitlines() if re.match(r"^\s*\d+\s+(BOOK|FIRST|SECOND)", line)]
    assert len(rows) == 17  # collapsed to the top level by default
    assert "(28 chapters)" in r.stdout  # BOOK ONE has 28 chapters
    r = invoke("outline", "--json", str(WAR_AND_PEACE))
    obj = jsonl(r.stdout)[0]
    assert sum(1 for s in obj["sections"] if s["level"] == 2) == 365
    r = invoke("outline", "--depth", "2", str(WAR_AND_PEACE))
    assert len(re.findall(r"CHAPTER [IVXLC]+", r.stdout)) == 365
