"""Scaling of every command on hostile shapes (run by hand, not in CI).

Input sizes double; a linear command's time doubles too. Prints the median wall
time per size and the growth ratio from one size to the next (about 2.0 is
linear, about 4.0 would be quadratic).

Shapes: many headings (up to 50,000 heading lines), one huge line (up to 10 MB),
many tiny paragraphs.

``--markdown`` instead runs every command once on hostile Markdown shapes of
about 10 MB (issue #13.6) and prints wall time and peak memory (the child's
maximum resident set size): an unclosed code fence of short lines, a table, a
flood of ``[``, 22 MB of unclosed front matter, 50,000 headings, list items,
tiny paragraphs, emphasis markers and a 60-level list; ``search`` looks for a
word found in every line or item of the shape (the costly case). Targets: every command
<= 20 s and <= 1 GB; ``outline`` on 1 MB of ``[`` <= 5 s.

Usage: python bench/scaling.py [-n RUNS] [--commands outline,show,...] [--markdown [--shapes a,b]]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ARGS = {"outline": [], "show": ["all"], "search": ["heading"], "summary": [], "keywords": [], "hedges": []}


def shapes(k: int) -> dict[str, bytes]:
    """Inputs at scale ``k`` (1, 2, 4, 8)."""
    return {
        "headings": b"Title\n\n" + b"\n\n".join(b"Heading %d\n\nBody for heading %d, a sentence." % (i, i) for i in range(6250 * k)),
        "long-line": (b"word and heading. " * (70_000 * k))[: 1_250_000 * k],
        "paragraphs": b"\n\n".join(b"Short paragraph %d may be here." % i for i in range(12_500 * k)),
    }


def brief() -> list[str]:
    exe = Path(sys.executable).with_name("brief")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "osce_brief"]


def run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


MB = 1_000_000


def markdown_shapes() -> dict[str, Callable[[], bytes]]:
    """Hostile Markdown inputs of about 10 MB (22 MB for the front matter), made
    one at a time (a big parent process would count in each child's peak memory)."""
    return {
        "fence": lambda: b"```\n" + b"x = 1\n" * (10 * MB // 6),
        "table": lambda: b"| a | b |\n|---|---|\n" + b"| 1 | two |\n" * (10 * MB // 12),
        "brackets-1MB": lambda: b"[" * MB,
        "brackets": lambda: b"[" * (10 * MB),
        "bracket-lines": lambda: b"[\n" * (5 * MB),
        "front-22MB": lambda: b"---\n" + b"key: value\n" * (22 * MB // 11),
        "headings": lambda: b"".join(b"# Heading %d\n\nBody text for heading %d, a sentence.\n\n" % (i, i) for i in range(50_000)),
        "items": lambda: b"- an item\n" * (10 * MB // 10),
        "paragraphs": lambda: b"".join(b"Short paragraph %d may be here.\n\n" % i for i in range(10 * MB // 34)),
        "emphasis": lambda: b"*a " * (10 * MB // 3),
        "deep-lists": lambda: (b"".join(b"  " * i + b"- item\n" for i in range(60)) + b"\nA paragraph after the list.\n\n") * 3000,
    }


MD_ARGS = {"outline": [], "show": ["all"], "search": [], "summary": [], "keywords": [], "hedges": []}
#: A word found in every line, item or paragraph of each shape (the costly search).
MD_TERM = {"fence": "x", "table": "two", "brackets-1MB": "[", "brackets": "[", "bracket-lines": "[",
           "front-22MB": "key", "headings": "heading", "items": "item", "paragraphs": "paragraph",
           "emphasis": "a", "deep-lists": "item"}


def run_measured(cmd: list[str], timeout: float = 120.0) -> tuple[float, float, int]:
    """Wall time, peak memory (MB) and exit code of one run (POSIX ``wait4``)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return float("inf"), usage.ru_maxrss / 1024, -9
        time.sleep(0.02)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main_markdown() -> None:
    cmds = sys.argv[sys.argv.index("--commands") + 1].split(",") if "--commands" in sys.argv else list(MD_ARGS)
    shapes = markdown_shapes()
    if "--shapes" in sys.argv:
        keep = sys.argv[sys.argv.index("--shapes") + 1].split(",")
        shapes = {k: v for k, v in shapes.items() if k in keep}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'shape':<14} {'MB':>5}  " + "  ".join(f"{c:>16}" for c in cmds))
        for name, make in shapes.items():
            path = Path(tmp) / f"{name}.md"
            data = make()
            path.write_bytes(data)
            size = len(data)
            del data
            cells = []
            for c in cmds:
                args = [MD_TERM.get(name, "the")] if c == "search" else MD_ARGS[c]
                secs, mem, rc = run_measured([*brief(), c, *args, str(path)])
                flag = "" if rc in (0, 1) else "!"
                cells.append(f"{secs:6.1f}s {mem:5.0f}MB{flag}")
            print(f"{name:<14} {size / MB:5.1f}  " + "  ".join(f"{x:>16}" for x in cells), flush=True)
            path.unlink()


def main() -> None:
    if "--markdown" in sys.argv:
        main_markdown()
        return
    n = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 3
    cmds = sys.argv[sys.argv.index("--commands") + 1].split(",") if "--commands" in sys.argv else list(ARGS)
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[tuple[str, int], Path] = {}
        for k in (1, 2, 4, 8):
            for name, data in shapes(k).items():
                p = Path(tmp) / f"{name}-{k}.txt"
                p.write_bytes(data)
                files[(name, k)] = p
        print(f"{'shape':<11} {'command':<9} " + " ".join(f"{'x' + str(k):>14}" for k in (1, 2, 4, 8)) + "   growth")
        for name in ("headings", "long-line", "paragraphs"):
            for c in cmds:
                times = []
                for k in (1, 2, 4, 8):
                    p = files[(name, k)]
                    times.append(statistics.median(run([*brief(), c, *ARGS[c], str(p)]) for _ in range(n)))
                sizes = [files[(name, k)].stat().st_size / 1e6 for k in (1, 2, 4, 8)]
                cells = " ".join(f"{t:6.2f}s/{s:4.1f}MB" for t, s in zip(times, sizes))
                growth = " ".join(f"{b / a:.1f}" for a, b in zip(times, times[1:]))
                print(f"{name:<11} {c:<9} {cells}   {growth}")


if __name__ == "__main__":
    main()
