"""FIFOs, sockets, devices and dangling links met in a searched folder are skipped,
as ``grep -r`` and ripgrep do, and nothing is ever opened in a way that blocks
(issue 13.5). A FIFO named on the command line is still read (up to the cap)."""

from __future__ import annotations

import importlib

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest

S = importlib.import_module("osce_brief.search")  # the module: `osce_brief.search` is the API function
from osce_brief.search import files as SF
from osce_brief.search import stream as SS
from osce_brief.errors import InputError

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


class Blocked(BaseException):
    """Raised by the alarm: not an OSError or Exception, so no handler swallows it."""


@contextmanager
def deadline(seconds: int = 20):
    """Fail (instead of hanging the suite) when the body blocks."""

    def late(*_a):
        raise Blocked("blocked")

    old = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    os.mkfifo(d / "a.txt")
    os.mkfifo(d / "sub" / "c.md")
    (d / "b.txt").write_text("foo in a file.\n")
    (d / "sub" / "e.md").write_text("# E\n\nfoo again.\n")
    os.symlink(d / "a.txt", d / "link-to-fifo.txt")
    os.symlink(d / "missing.txt", d / "dangling.txt")
    os.symlink(d / "b.txt", d / "link-to-file.txt")  # a symlink to a regular file is searched
    if os.path.exists("/dev/zero"):
        os.symlink("/dev/zero", d / "zero.txt")
    try:
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(d / "sock.txt"))
    except (OSError, AttributeError):  # (a path too long for a socket)
        s = None
    yield d
    if s is not None:
        s.close()


WANT = ["b.txt", "link-to-file.txt", "sub/e.md"]


def _rel(d, files) -> list[str]:
    return sorted(os.path.relpath(f.path, d) for f in files)


@pytest.mark.parametrize("mode", ["passages", "count", "files"])
def test_a_fifo_in_a_folder_is_skipped(folder, mode):
    with deadline():
        got = S.search(["foo"], [str(folder)], mode=mode)
    assert _rel(folder, got.files) == WANT
    assert not got.errors
    assert list(SF.iter_paths([str(folder)], lambda p, m: None)) == [str(folder / x) for x in WANT]


def test_the_cli_finishes_on_a_folder_with_a_fifo(folder, tmp_path):
    """`mkdir d; mkfifo d/a.txt; echo foo > d/b.txt; brief search foo d` (the fast
    path without Typer: output to a pipe), and --count, -l, --json."""
    for args in (["foo", "d"], ["-c", "foo", "d"], ["-l", "foo", "d"], ["--json", "foo", "d"]):
        t = time.monotonic()
        p = subprocess.run([sys.executable, "-m", "osce_brief", "search", *args], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert p.returncode == 0, (args, p.stderr)
        assert "b.txt" in p.stdout and "a.txt" not in p.stdout and p.stderr == ""
        assert time.monotonic() - t < 30


def test_the_typer_command_skips_a_fifo_too(folder, invoke):
    with deadline():
        r = invoke("search", "--width", "70", "foo", str(folder))
    assert r.exit_code == 0 and "b.txt" in r.stdout and "a.txt" not in r.stdout


def test_the_second_process_skips_fifos(tmp_path, monkeypatch):
    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    from osce_brief import parallel

    d = tmp_path / "many"
    d.mkdir()
    for i in range(40):
        if i % 4 == 0:
            os.mkfifo(d / f"f{i:02d}.txt")
        else:
            (d / f"f{i:02d}.txt").write_text(f"foo {i}.\n" if i % 2 else "nothing here.\n")
    monkeypatch.setattr(SF, "PARALLEL_FILES", 8)
    monkeypatch.setattr(SF, "SHARED_BLOCK", 4)
    monkeypatch.setattr(parallel, "second_cpu", lambda: True)
    with deadline():
        got = S.search(["foo"], [str(d)], mode="count")
    assert _rel(d, got.files) == [f"f{i:02d}.txt" for i in range(40) if i % 2]
    assert not got.errors and got.searched == 30


def test_a_file_that_becomes_a_fifo_after_the_listing_is_skipped(folder, monkeypatch):
    """The race: listed as a regular file, a FIFO when opened (never a blocking open)."""
    real = SF._walk

    def listing(top, on_error):
        yield str(folder / "a.txt")  # (a FIFO by now)
        yield str(folder / "sock.txt")
        yield from real(top, on_error)

    monkeypatch.setattr(SF, "_walk", listing)
    for mode in ("passages", "count"):
        for fmt in (None, "markdown", "html"):
            with deadline():
                got = S.search(["foo"], [str(folder)], mode=mode, fmt=fmt)
            assert not any(p.endswith(("a.txt", "sock.txt")) for p, _m in got.errors)
            if fmt != "html":  # (the files hold no HTML article: errors for them)
                assert _rel(folder, got.files) == WANT


def test_a_vanished_or_unreadable_file_in_a_folder_is_still_reported(folder, monkeypatch):
    def listing(top, on_error):
        yield str(folder / "gone.txt")
        yield str(folder / "b.txt")

    monkeypatch.setattr(SF, "_walk", listing)
    got = S.search(["foo"], [str(folder)])
    assert [(os.path.basename(p), m) for p, m in got.errors] == [
        ("gone.txt", "no such file; check the path, or use - to read stdin")]
    monkeypatch.setattr(SF, "_walk", lambda top, on_error: iter([str(folder / "b.txt")]))
    got = S.search(["foo"], [str(folder)], max_bytes=4)
    assert got.errors and "larger than --max-bytes" in got.errors[0][1]


def test_streaming_never_opens_a_fifo(folder):
    with deadline():
        with pytest.raises(InputError, match="not a regular file"):
            SS.count_file(str(folder / "a.txt"), S.compile_query(["foo"]))
    with pytest.raises(InputError, match="replaced"):
        SS.open_regular(str(folder / "b.txt"), os.stat(folder / "sub" / "e.md"))


def test_a_fifo_named_on_the_command_line_is_read(folder):
    fifo = str(folder / "a.txt")

    def write():
        with open(fifo, "w") as fh:
            fh.write("foo from a pipe.\n")

    t = threading.Thread(target=write)
    t.start()
    with deadline():
        got = S.search(["foo"], [fifo, str(folder / "b.txt")], mode="count")
    t.join()
    assert [(os.path.basename(f.path), f.hits) for f in got.files] == [("a.txt", 1), ("b.txt", 1)]
