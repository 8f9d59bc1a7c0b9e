"""`brief show all` on hostile Markdown shapes of 10 MB (run by hand, not in CI).

For each shape: the whole command (wall time, CPU time, peak memory of the process)
and, measured inside one process, the part spent laying out the Markdown
(render/markdown.py) apart from loading, with the peak memory after loading and
after laying out. CPU times are the ones to compare on a busy
machine; wall times include waiting for the CPU.

Shapes: an unterminated code fence of short lines, a pipe table, 50,000 headings, one
paragraph dense with inline markup, one long list, a list nested 60 levels over and
over, a block quote, a raw HTML block, an HTML table, one 10 MB word, many small
tables, many tiny paragraphs, 1 MB of ``[``.

Usage: python bench/show_markdown.py [--mb 10] [--shapes fence,table,...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MB = 1_000_000


def shapes(size: int) -> dict[str, Callable[[], bytes]]:
    """Makers of Markdown inputs of about ``size`` bytes (the headings shape is 50,000
    headings). Each input is made only when measured: a child process starts with
    its parent's peak memory counted as its own, so the parent stays small."""
    h = b"# T\n\n## S\n\n"
    row = b"| cell one | cell two | cell three |\n"
    return {
        "fence": lambda: h + b"```\n" + b"x = 1\n" * (size // 6),
        "table": lambda: h + b"| a | b | c |\n|---|---|---|\n" + row * (size // len(row)),
        "headings": lambda: b"# T\n\n" + b"".join(b"## Heading %d\n\nBody %d with *emphasis*.\n\n" % (i, i) for i in range(50_000)),
        "inline": lambda: h + b"word and *more* words `x` [l](http://e.com) " * (size // 45),
        "list": lambda: h + b"".join(b"- item %d\n" % i for i in range(size // 12)),
        "nested": lambda: h + b"".join(b"  " * (i % 60) + b"- x\n" for i in range(size // 64)),
        "quote": lambda: h + b"> quoted line here\n" * (size // 19),
        "html": lambda: h + b"<div>\n" + b"<p>para <b>x</b></p>\n" * (size // 21),
        "htmltable": lambda: h + b"<table>\n" + b"<tr><td>a</td><td>b</td></tr>\n" * (size // 31) + b"</table>\n",
        "longword": lambda: h + b"x" * size,
        "smalltables": lambda: h + b"| a | b |\n|---|---|\n| c | d |\n\n" * (size // 30),
        "paragraphs": lambda: h + b"\n\n".join(b"Short paragraph %d may be here." % i for i in range(size // 32)),
        "brackets": lambda: h + b"[" * min(size, MB),
    }


def brief() -> list[str]:
    exe = Path(sys.executable).with_name("brief")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "osce_brief"]


def whole(path: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of ``brief show all PATH`` with output to /dev/null."""
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen([*brief(), "show", "all", str(path)], stdout=null, stderr=null)
        _, _, ru = os.wait4(proc.pid, 0)
    return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


RENDER = r"""
import io, json, sys, time, resource
from rich.console import Console
from osce_brief.loaders import load
from osce_brief.select import select_with_children
from osce_brief.render.show import render_sections
t = time.process_time(); doc = load(sys.argv[1]); load_s = time.process_time() - t
chosen = select_with_children(doc, "all")
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
c = Console(file=io.StringIO(), width=100, force_terminal=False, highlight=False, markup=False, emoji=False)
t = time.process_time()
with c.capture() as cap:
    c.print(render_sections(doc, chosen), crop=False)
n = len(cap.get())
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"load": load_s, "render": time.process_time() - t, "out": n, "rss_load": rss0 / 1024, "rss_render": rss1 / 1024}))
"""


def parts(path: Path) -> dict:
    """CPU seconds of loading and of laying out, in one process."""
    r = subprocess.run([sys.executable, "-c", RENDER, str(path)], capture_output=True, text=True)
    nan = float("nan")
    return json.loads(r.stdout) if r.returncode == 0 else {"load": nan, "render": nan, "out": 0, "rss_load": nan, "rss_render": nan}


def main() -> None:
    if "--make" in sys.argv:
        k = sys.argv.index("--make")
        name, size, path = sys.argv[k + 1], int(sys.argv[k + 2]), sys.argv[k + 3]
        Path(path).write_bytes(shapes(size)[name]())
        return
    size = int(float(sys.argv[sys.argv.index("--mb") + 1]) * MB) if "--mb" in sys.argv else 10 * MB
    chosen = sys.argv[sys.argv.index("--shapes") + 1].split(",") if "--shapes" in sys.argv else None
    print(f"{'shape':<12} {'size':>7} {'wall':>7} {'cpu':>7} {'peak':>8}   {'load cpu':>8} {'layout cpu':>10} {'peak after load':>15} {'after layout':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in shapes(size):
            if chosen and name not in chosen:
                continue
            p = Path(tmp) / f"{name}.md"
            # made in a child process: the parent's peak memory would count in every child's
            subprocess.run([sys.executable, __file__, "--make", name, str(size), str(p)], check=True)
            n = p.stat().st_size
            wall, cpu, rss = whole(p)
            pr = parts(p)
            print(
                f"{name:<12} {n / MB:5.1f}MB {wall:6.1f}s {cpu:6.1f}s {rss:6.0f}MB   {pr['load']:7.1f}s {pr['render']:9.1f}s"
                f" {pr['rss_load']:13.0f}MB {pr['rss_render']:10.0f}MB",
                flush=True,
            )
            p.unlink()


if __name__ == "__main__":
    main()
