"""Scaling of every command on hostile shapes (run by hand, not in CI).

Input sizes double; a linear command's time doubles too. Prints the median wall
time per size and the growth ratio from one size to the next (about 2.0 is
linear, about 4.0 would be quadratic).

Shapes: many headings (up to 50,000 heading lines), one huge line (up to 10 MB),
many tiny paragraphs.

Usage: python bench/scaling.py [-n RUNS] [--commands outline,show,...]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
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
