"""Hostile inputs through every command: a clear error or a faithful result.

Every registered command runs on every input, plain and with --json, and with
FORCE_COLOR. We assert the exit code, the single stderr line, and that no raw
control byte or escape sequence from the article reaches stdout.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import threading

import pytest
import typer

from osce_brief.cli import app

# Arguments each command needs besides a path. A new command must be added here.
COMMAND_ARGS: dict[str, list[str]] = {
    "outline": [],
    "show": ["all"],
    "search": ["the"],
    "summary": [],
    "keywords": [],
    "hedges": [],
    "read": [],  # without a terminal: one error line pointing at `brief show all`
    "digest": [],
}
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]

EVIL = (
    "Evil \x1b]0;pwned\x07Title\x1b[2J\n\n"
    "Heading \x1b[31mred\x1b[0m here\n\n"
    "Body with CSI \x1b[1;31mbold red\x1b[0m and OSC 52 \x1b]52;c;aGVsbG8=\x07 clipboard. "
    "A link \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ here. "
    "DCS \x1bPq#0;2;0;0;0\x1b\\ and APC \x1b_hidden\x1b\\ and 8-bit \x9b31m CSI \x9d0;x\x9c. "
    "Bidi \u202eevil\u202c and \u2066iso\u2069, bell \x07 backspace \x08 del \x7f. "
    "Markup [bold]x[/bold] [/] [link=file:///etc/passwd]y[/link] stays literal. The end.\n"
)

HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "whitespace": b"  \n\t\n\r\n   ",
    "binary": b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" + bytes(range(256)) * 4,
    "nul-in-text": b"Title\n\nSome text\x00with a NUL byte. More text here.\n",
    "invalid-utf8": b"Title\n\nCaf\xe9 au lait, a sentence in latin-1.\n",
    "utf16-bom": "Title\n\nHeading\n\nBody text in UTF-16 with a BOM, a sentence.\n".encode("utf-16"),
    "utf16-le-nobom": "Title\n\nHeading\n\nBody text in UTF-16 without a BOM, a sentence.\n".encode("utf-16-le"),
    "utf8-bom": codecs.BOM_UTF8 + b"Title\n\nHeading\n\nBody text with a BOM, a sentence here.\n",
    "crlf": b"Title\r\n\r\nFirst Heading\r\n\r\nBody line one\r\nwrapped line two. The end.\r\n",
    "lone-cr": b"Title\r\rFirst Heading\r\rBody line one\rwrapped line two. The end.\r",
    "escapes": EVIL.encode("utf-8"),
    "escapes-md": ("# " + EVIL.replace("\n\nHeading", "\n\n## Heading")).encode("utf-8"),
    "long-line": b"word " * 200_000,
    "many-headings": b"Title\n\n" + b"\n\n".join(b"Heading %d\n\nBody text for heading %d, a sentence." % (i, i) for i in range(3000)),
    "heading-lines-only": b"\n\n".join(b"Heading Line %d" % i for i in range(5000)),
    "nested-md": (b"".join(b"  " * i + b"- item\n" for i in range(300)) + b">" * 2000 + b" quote\n"),
    "brackets": b"[" * 10_000,
    "brackets-md": b"# T\n\n" + b"[" * 10_000 + b"](" * 2000,
    "markup": b"[bold]T[/bold]\n\n[/]\n\nBody [link=file:///etc/passwd]x[/link] and [/bold] text. End.\n",
}

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In styled output only Rich's own SGR sequences (ESC [ ... m) may appear.
NON_SGR = re.compile("\x1b(?!\\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _check(result, styled: bool = False) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr[-500:])
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    bad = (NON_SGR if styled else RAW_CONTROL).search(out)
    assert bad is None, repr(out[max(0, bad.start() - 40) : bad.end() + 40])
    if result.exit_code != 0:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("brief: ")
    assert RAW_CONTROL.search(result.stderr) is None


def test_every_command_is_covered():
    assert set(COMMANDS) <= set(COMMAND_ARGS), "add the new command to COMMAND_ARGS"


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_inputs(invoke, tmp_path, command, name):
    path = tmp_path / (f"{name}.md" if name.endswith("-md") else f"{name}.txt")
    path.write_bytes(HOSTILE[name])
    args = [command, *COMMAND_ARGS[command]]
    r = invoke(*args, str(path))
    _check(r)
    rj = invoke(*args, "--json", str(path))
    _check(rj)
    if rj.exit_code == 0:
        for line in rj.stdout.splitlines():
            json.loads(line)
    if name.startswith("escapes") or name == "markup":
        rs = invoke(*args, str(path), env={"FORCE_COLOR": "1", "NO_COLOR": ""})
        _check(rs, styled=True)


def test_escapes_are_removed_not_dropped_text(invoke, tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(EVIL.encode())
    r = invoke("show", "all", str(path))
    assert r.exit_code == 0
    assert "bold red" in r.stdout and "clipboard" in r.stdout and "click" in r.stdout
    assert "[link=file:///etc/passwd]y[/link]" in r.stdout and "[/]" in r.stdout
    assert "<U+202E>evil" in r.stdout  # bidi override made visible
    assert "\u2407" in r.stdout  # BEL shown as a control picture


def test_json_escapes_controls(invoke, tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(EVIL.encode())
    r = invoke("show", "all", "--json", str(path))
    assert r.exit_code == 0
    assert "\\u001b" in r.stdout and "\\u202e" in r.stdout and "\\u009b" in r.stdout
    obj = json.loads(r.stdout)
    src = EVIL
    for s in obj["sections"]:
        assert src[s["start"] : s["end"]] == s["text"]  # offsets still into the raw source


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_encodings_with_option(invoke, tmp_path, encoding):
    text = "Titre\n\nCaf\u00e9 cr\u00e8me \u2014 a sentence. Another one.\n" if encoding == "cp1252" else "Titre\n\nCaf\u00e9 cr\u00e8me, a sentence.\n"
    path = tmp_path / "l.txt"
    path.write_bytes(text.encode(encoding))
    r = invoke("show", "all", str(path))
    assert r.exit_code == 2 and "--encoding" in r.stderr and "byte" in r.stderr
    r = invoke("show", "all", "--encoding", encoding, str(path))
    assert r.exit_code == 0 and "Caf\u00e9 cr\u00e8me" in r.stdout
    r = invoke("show", "all", "--encoding", "no-such-codec", str(path))
    assert r.exit_code == 2 and "unknown encoding" in r.stderr


def test_binary_and_nul_are_refused(invoke, tmp_path):
    path = tmp_path / "b.bin"
    path.write_bytes(HOSTILE["binary"])
    r = invoke("outline", str(path))
    assert r.exit_code == 2 and "binary" in r.stderr


def test_crlf_and_cr_structure(invoke, tmp_path):
    for name in ("crlf", "lone-cr"):
        path = tmp_path / f"{name}.txt"
        path.write_bytes(HOSTILE[name])
        r = invoke("outline", "--json", str(path))
        obj = json.loads(r.stdout)
        assert obj["title"] == "Title"
        assert [s["title"] for s in obj["sections"]] == ["First Heading"]
        r = invoke("show", "1", str(path))
        assert "Body line one wrapped line two. The end." in r.stdout


def test_paths_that_are_not_files(invoke, tmp_path, monkeypatch):
    r = invoke("outline", str(tmp_path))
    assert r.exit_code == 2 and "directory" in r.stderr
    r = invoke("outline", str(tmp_path / "missing.txt"))
    assert r.exit_code == 2 and "no such file" in r.stderr
    locked = tmp_path / "locked.txt"
    locked.write_text("Title\n\nText.\n")

    real_open = open

    def deny(file, *a, **k):
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", deny)
    r = invoke("outline", str(locked))
    assert r.exit_code == 2 and "permission denied" in r.stderr


def test_stdin_cap(invoke):
    r = invoke("outline", "-", "--max-bytes", "1000", input="Title\n\n" + "word " * 1000)
    assert r.exit_code == 2 and "--max-bytes" in r.stderr
    r = invoke("outline", "-", "--max-bytes", "100000", input="Title\n\n" + "word " * 1000)
    assert r.exit_code == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_path(invoke, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "wb") as fh:
            fh.write(b"Fifo Title\n\nA Heading\n\nBody text from a FIFO, a sentence.\n")

    t = threading.Thread(target=writer)
    t.start()
    r = invoke("outline", "--json", str(fifo))
    t.join(5)
    assert r.exit_code == 0 and json.loads(r.stdout)["title"] == "Fifo Title"


def test_ctrl_c_exits_130_quietly():
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "osce_brief", "outline", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    time.sleep(1.5)  # it is now blocked reading an endless stdin
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert err == b"" and out == b""


@pytest.mark.parametrize("command", ["outline", "show"])
def test_full_size_inputs_reader(invoke, tmp_path, command):
    """The sizes the issue names, on the reader commands (the others get the
    smaller versions above; bench/scaling.py times all of them by size)."""
    big = tmp_path / "line.txt"
    big.write_bytes(b"word " * 2_000_000)  # a 10 MB single line
    heads = tmp_path / "heads.txt"
    heads.write_bytes(b"\n\n".join(b"Heading Line %d" % i for i in range(50_000)))
    for path in (big, heads):
        r = invoke(command, *COMMAND_ARGS[command], str(path))
        _check(r)
        assert r.exit_code == 0


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "read"])  # read refuses pipes (test_read.py)
def test_closed_pipe_is_quiet(command):
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    args = " ".join([command, *COMMAND_ARGS[command]])
    p = subprocess.run(
        f"'{sys.executable}' -m osce_brief {args} | head -1", shell=True, capture_output=True, text=True, env=env
    )
    assert p.stderr == "", p.stderr
    assert len(p.stdout.splitlines()) == 1
