"""The polished face of ``brief``: help, completion, the config file, ``show --export``."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer

from osce_brief import config as cfg
from osce_brief.cli import app
from osce_brief.errors import ExitCode

from .conftest import BUNDLED, ROOT, jsonl

COMMANDS = ("outline", "show", "summary", "keywords", "search", "hedges", "read", "digest")
PLACEHOLDER = re.compile(r"<(?:bool|str|int|float|list|path|text|int range|float range)[^>]*>")


def _brief(*args, env=None, input=None):
    full = dict(os.environ, PYTHONPATH=str(ROOT / "src"), **(env or {}))
    full.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "osce_brief", *args], capture_output=True, text=True, env=full,
                          input=input, timeout=120)


# ---------------------------------------------------------------- help
def test_brief_alone_prints_the_help_and_no_error_line(invoke):
    r = invoke()
    assert r.exit_code == ExitCode.USAGE  # as Click/Typer: no command is a usage error
    assert "Usage: brief" in r.stdout and "Commands" in r.stdout
    assert r.stderr == ""


def test_brief_alone_in_a_real_process():
    r = _brief()
    assert r.returncode == 2 and "Usage: brief" in r.stdout and r.stderr == ""


@pytest.mark.parametrize("args", [["--help"], *[[c, "--help"] for c in COMMANDS]])
def test_help_shows_no_type_placeholders(invoke, args):
    r = invoke(*args)
    assert r.exit_code == 0
    assert not PLACEHOLDER.search(r.stdout), PLACEHOLDER.search(r.stdout).group(0)
    assert "[[" not in r.stdout


def test_every_command_has_help_ending_with_two_or_three_examples():
    group = typer.main.get_command(app)
    assert set(group.commands) == set(COMMANDS)  # type: ignore[attr-defined]
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        text = cmd.help or ""
        assert text.strip() and "\n\n" in text, name
        head, _, examples = text.rpartition("Examples:")
        assert head.strip(), f"{name}: a description before the examples"
        lines = [line.strip() for line in examples.strip().splitlines() if line.strip()]
        assert 2 <= len(lines) <= 3, (name, lines)
        assert all(line.startswith(f"brief {name}") for line in lines), (name, lines)


def test_examples_in_the_help_are_shown(invoke):
    for name in COMMANDS:
        r = invoke(name, "--help")
        assert r.exit_code == 0 and "Examples" in r.stdout and f"brief {name}" in r.stdout


# ---------------------------------------------------------------- completion
@pytest.mark.parametrize("shell, marker", [("bash", "complete -o default -F"), ("zsh", "#compdef brief"), ("fish", "complete --command brief")])
def test_show_completion_prints_typers_script(invoke, shell, marker):
    r = invoke("--show-completion", shell)
    assert r.exit_code == 0, r.stderr
    assert marker in r.stdout and "_BRIEF_COMPLETE" in r.stdout


def test_show_completion_refuses_other_shells(invoke):
    r = invoke("--show-completion", "tcsh")
    assert r.exit_code == ExitCode.USAGE and r.stderr.count("\n") == 1 and "bash" in r.stderr


def test_install_completion(invoke, tmp_path, monkeypatch):
    import typer._completion_shared as shared

    monkeypatch.setattr(shared, "_get_shell_name", lambda: "bash")
    r = invoke("--install-completion", env={"HOME": str(tmp_path)})
    assert r.exit_code == 0, r.stderr
    script = tmp_path / ".bash_completions" / "brief.sh"
    assert "_BRIEF_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


def complete(invoke, shell: str, line: str, cursor: int | None = None, **env) -> list[str]:
    """Completion candidates (one per line) for ``line``, as each shell asks for them."""
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS="\n".join(words), COMP_CWORD=str(len(words) - 1 if cursor is None else cursor))
    else:
        env.update(_TYPER_COMPLETE_ARGS=line)
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    r = invoke(env={"_BRIEF_COMPLETE": f"complete_{shell}", **env})
    assert r.exit_code == 0, r.stderr
    return [x for x in r.stdout.splitlines() if x]


def test_commands_and_options_complete(invoke):
    assert complete(invoke, "bash", "brief sh") == ["show"]
    assert complete(invoke, "bash", "brief search --un") == ["--unit"]
    assert complete(invoke, "bash", "brief summary --method lex") == ["lexrank"]


def test_show_completes_section_numbers_and_headings(invoke):
    assert complete(invoke, "bash", "brief show ")[:7] == ["1", "2", "3", "4", "5", "6", "all"]
    assert complete(invoke, "bash", "brief show exp") == [r"expert\ Opinions\ and\ Analysis"]
    assert complete(invoke, "bash", "brief show 2-") == ["2-2", "2-3", "2-4", "2-5", "2-6"]
    fish = complete(invoke, "fish", "brief show exp")
    assert fish == ["expert Opinions and Analysis\t§4"]
    zsh = "\n".join(complete(invoke, "zsh", "brief show "))
    assert zsh.startswith("_arguments") and '"4":"Expert Opinions and Analysis"' in zsh


def test_section_completion_reads_the_given_document(invoke, tmp_path):
    doc = tmp_path / "notes.md"
    doc.write_text("# Notes\n\n## Rivers\n\nWater.\n\n## Forests\n\nTrees.\n", encoding="utf-8")
    # bash passes the whole line: the path may come after the cursor
    assert complete(invoke, "bash", f"brief show  {doc}", cursor=2)[:2] == ["1", "2"]
    assert complete(invoke, "bash", f"brief show for {doc}", cursor=2) == ["forests"]
    # zsh and fish pass the line up to the cursor: a path before it counts
    assert complete(invoke, "fish", f"brief summary {doc} --section r") == ["rivers\t§1"]
    assert complete(invoke, "bash", f"brief search water {doc} -S f") == ["forests"]


def test_paths_are_left_to_the_shell(invoke):
    assert complete(invoke, "bash", "brief show 3 ") == []  # bash: `complete -o default` lists files
    assert complete(invoke, "zsh", "brief outline ") == ["_files"]
    r = invoke(env={"_BRIEF_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "is-args",
                    "_TYPER_COMPLETE_ARGS": "brief outline "})
    assert r.exit_code == 1  # fish: no candidates, so its own file completion


def test_completion_of_an_unreadable_document_is_quiet(invoke, tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02")
    assert complete(invoke, "bash", f"brief show  {binary}", cursor=2) == []


def test_completion_in_a_real_process():
    r = _brief(env={"_BRIEF_COMPLETE": "complete_bash", "COMP_WORDS": "brief\nshow\nexp", "COMP_CWORD": "2"})
    assert r.returncode == 0 and r.stdout.strip() == r"expert\ Opinions\ and\ Analysis"


# ---------------------------------------------------------------- config
def test_config_schema_matches_the_commands():
    from osce_brief.loaders import PARSERS
    from osce_brief.summarize import METHODS

    group = typer.main.get_command(app)
    per_run = {"help", "save", "section", "export"}
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        options = {}
        for p in cmd.params:
            long = [o for o in p.opts if o.startswith("--")]
            if p.param_type_name == "option" and long and long[0][2:] not in per_run:
                options[long[0][2:]] = p
        assert set(options) == set(cfg.SCHEMA[name]), name
        for key, p in options.items():
            param_name, kind = cfg.SCHEMA[name][key]
            assert param_name == p.name, (name, key)
            if p.is_flag or key == "pager":
                assert kind == ("bool",), (name, key)
            elif kind[0] in ("int", "float"):
                assert p.min == kind[1], (name, key)
    assert set(cfg._METHODS) == set(METHODS) and set(cfg._FORMATS) == set(PARSERS)


def write(tmp_path, text: str, name: str = "config.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_config_file_in_xdg_config_home(invoke, tmp_path):
    (tmp_path / "brief").mkdir()
    write(tmp_path / "brief", '[summary]\nsentences = 1\nmethod = "lead"\n')
    r = invoke("summary", "--json", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert r.exit_code == 0, r.stderr
    out = jsonl(r.stdout)[0]
    assert out["method"] == "lead" and len(out["sentences"]) == 1


def test_config_flag_and_env_and_flags_win(invoke, tmp_path):
    path = write(tmp_path, "[keywords]\nnumber = 3\n")
    assert len(jsonl(invoke("--config", path, "keywords", "--json").stdout)[0]["keywords"]) == 3
    assert len(jsonl(invoke("keywords", "--json", env={"BRIEF_CONFIG": path}).stdout)[0]["keywords"]) == 3
    assert len(jsonl(invoke("keywords", "--json", "-n", "5", env={"BRIEF_CONFIG": path}).stdout)[0]["keywords"]) == 5
    assert len(jsonl(invoke("keywords", "--json", env={"BRIEF_CONFIG": ""}).stdout)[0]["keywords"]) == 10


def test_top_level_keys_apply_to_every_command_that_has_the_option(invoke, tmp_path):
    path = write(tmp_path, "width = 40\njson = true\n")
    r = invoke("outline", env={"BRIEF_CONFIG": path})
    assert r.exit_code == 0 and jsonl(r.stdout)[0]["path"] == "<bundled>"
    r = invoke("outline", env={"BRIEF_CONFIG": write(tmp_path, "width = 40\n", "w.toml")})
    assert r.exit_code == 0 and max(len(line) for line in r.stdout.splitlines()) <= 40


def test_a_flag_replaces_the_options_it_excludes(invoke, tmp_path):
    path = write(tmp_path, "[summary]\nratio = 0.5\n[search]\nignore-case = true\n")
    assert len(jsonl(invoke("summary", "--json", env={"BRIEF_CONFIG": path}).stdout)[0]["sentences"]) > 5
    assert len(jsonl(invoke("summary", "--json", "-n", "2", env={"BRIEF_CONFIG": path}).stdout)[0]["sentences"]) == 2
    r = invoke("search", "-s", "-c", "Ukraine", env={"BRIEF_CONFIG": path})  # no "exclude each other" error
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("text, words", [
    ('colour = "dark"\n', ["unknown key 'colour'", "allowed:", "width"]),  # (theme is `read`'s now)
    ('[summary]\nsentences = "five"\n', ["summary.sentences", "an integer >= 1", '"five"']),
    ("[summary]\nratio = 2\n", ["summary.ratio", "from 0.0 to 1.0"]),
    ('[summary]\nmethod = "best"\n', ["summary.method", '"lexrank"']),
    ("[search]\ncontext = -1\n", ["search.context", ">= 0"]),
    ("[show]\npager = 1\n", ["show.pager", "true or false"]),
    ("[summary]\nbogus = 1\n", ["unknown key summary.bogus", "sentences"]),
    ("summary = 3\n", ["summary must be a table"]),
    ("[summary\n", ["not valid TOML"]),
])
def test_a_bad_config_is_one_error_line(invoke, tmp_path, text, words):
    path = write(tmp_path, text)
    r = invoke("outline", env={"BRIEF_CONFIG": path})
    assert r.exit_code == ExitCode.USAGE and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"brief: error: {path}")
    for w in words:
        assert w in r.stderr, (w, r.stderr)


def test_a_missing_config_file_is_an_error_only_when_named(invoke, tmp_path):
    r = invoke("--config", str(tmp_path / "nope.toml"), "outline")
    assert r.exit_code == ExitCode.USAGE and "not found" in r.stderr
    assert invoke("outline", env={"XDG_CONFIG_HOME": str(tmp_path)}).exit_code == 0
    assert invoke("--help", env={"BRIEF_CONFIG": str(tmp_path / "nope.toml")}).exit_code == 0


def test_the_readme_config_example_is_valid():
    import tomllib

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```toml\n(.*?)^```", text, flags=re.S | re.M).group(1)
    parsed = cfg.parse_config(tomllib.loads(block), "README.md")
    assert parsed["summary"]["method"] == "lexrank" and parsed["hedges"]["width"] == 100


def test_the_fast_search_path_reads_the_config(tmp_path):
    path = write(tmp_path, '[search]\nunit = "paragraph"\n')
    sentences = _brief("search", "-c", "ukraine").stdout.strip()
    paragraphs = _brief("search", "-c", "ukraine", env={"BRIEF_CONFIG": path}).stdout.strip()
    assert int(paragraphs) < int(sentences)
    assert _brief("search", "-c", "--unit", "sentence", "ukraine", env={"BRIEF_CONFIG": path}).stdout.strip() == sentences
    bad = _brief("search", "ukraine", env={"BRIEF_CONFIG": write(tmp_path, "[search]\nmax = 0\n", "bad.toml")})
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "search.max" in bad.stderr
    wide = _brief("search", "arms control", env={"BRIEF_CONFIG": write(tmp_path, "width = 40\n", "w.toml")})
    assert wide.returncode == 0 and max(len(line) for line in wide.stdout.splitlines()) <= 40  # via Typer


def test_with_config_merges_as_typer_does(tmp_path, monkeypatch):
    from osce_brief.entry import with_config

    monkeypatch.setenv("BRIEF_CONFIG", write(tmp_path, "[search]\ncount = true\ncontext = 2\n"))
    assert with_config({}) == {"count": True, "context": 2}
    assert with_config({"files": True}) == {"files": True, "context": 2}
    monkeypatch.setenv("BRIEF_CONFIG", write(tmp_path, "[search]\nencoding = \"latin-1\"\n", "e.toml"))
    assert with_config({}) is None  # --encoding: Typer's path


# ---------------------------------------------------------------- show --export
def test_export_markdown_is_clean(invoke, tmp_path):
    out = tmp_path / "article.md"
    r = invoke("show", "all", "--export", str(out))
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Lavrov And Blinken Meet In Malta: Key Diplomacy?\n\n")
    assert "\n## Expert Opinions and Analysis\n\n" in text
    assert "49 views" not in text and "─" not in text and "§" not in text  # no byline, rules or labels
    source = BUNDLED.read_text(encoding="utf-8")
    body = [p for p in text.split("\n\n") if not p.startswith(("#", "*"))]
    assert all(" ".join(p.split()) in " ".join(source.split()) for p in body)  # the text, re-flowed


def test_export_markdown_of_markdown_keeps_its_markup(invoke, tmp_path):
    src = tmp_path / "notes.md"
    src.write_text("# Notes\n\n## Code\n\nRun `make`:\n\n```\nmake all\n```\n\n- one\n- two\n", encoding="utf-8")
    out = tmp_path / "out.md"
    assert invoke("show", "code", str(src), "--export", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == "## Code\n\nRun `make`:\n\n```\nmake all\n```\n\n- one\n- two\n"


@pytest.mark.parametrize("ext, marker", [(".html", "<!DOCTYPE html>"), (".htm", "<!DOCTYPE html>"), (".svg", "<svg")])
def test_export_html_and_svg(invoke, tmp_path, ext, marker):
    out = tmp_path / f"section{ext}"
    r = invoke("show", "4", "--export", str(out), "--width", "70")
    assert r.exit_code == 0 and r.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert marker in text and "Expert" in text


def test_export_to_an_unknown_extension_is_one_error_line(invoke, tmp_path):
    out = tmp_path / "section.pdf"
    r = invoke("show", "4", "--export", str(out))
    assert r.exit_code == ExitCode.USAGE and r.stderr.count("\n") == 1
    assert "'.pdf'" in r.stderr and ".html, .svg or .md" in r.stderr and not out.exists()
    r = invoke("show", "4", "--export", str(tmp_path / "noext"))
    assert r.exit_code == ExitCode.USAGE and "no extension" in r.stderr


def test_export_errors(invoke, tmp_path):
    r = invoke("show", "4", "--export", str(tmp_path / "no" / "such" / "dir.md"))
    assert r.exit_code == ExitCode.USAGE and "cannot write" in r.stderr
    r = invoke("show", "4", "--json", "--export", str(tmp_path / "x.md"))
    assert r.exit_code == ExitCode.USAGE and "exclude each other" in r.stderr
