"""Time ``brief hedges`` on War and Peace (the target is at most 2 s).

Usage (from the repository root)::

    python bench/speed_hedges.py                 # 5 runs, War and Peace from ../shared/corpus
    python bench/speed_hedges.py --runs 9 --path some-book.txt

Each run is a fresh process (``python -m osce_brief hedges PATH``, output to
/dev/null), so interpreter start-up, imports, loading, sentence splitting,
detection and rendering are all counted. Prints every run, the median and the ratio
to the 2 s budget, then an in-process breakdown of one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "war-and-peace.txt"
BUDGET = 2.0


def one_run(path: str, extra: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one ``brief hedges`` process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "osce_brief", "hedges", path, *extra],
        stdout=subprocess.DEVNULL,
        check=True,
        env=env,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def breakdown(path: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import io

    from rich.console import Console

    from osce_brief import load
    from osce_brief.hedges import analyze, default_model
    from osce_brief.render.hedges import render_hedges

    t = [time.perf_counter()]
    doc = load(path)
    t.append(time.perf_counter())
    n = sum(1 for _ in doc.sentences())
    t.append(time.perf_counter())
    default_model()
    t.append(time.perf_counter())
    report = analyze(doc)
    t.append(time.perf_counter())
    Console(file=io.StringIO(), width=100, color_system=None).print(render_hedges(report, doc.title))
    t.append(time.perf_counter())
    names = ("load", "split sentences", "load model", "analyze", "render")
    parts = ", ".join(f"{k} {b - a:.2f}s" for k, a, b in zip(names, t, t[1:]))
    print(f"in-process: {parts}  ({n:,} sentences, {report.hedged_count:,} hedged)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--path", default=str(DEFAULT))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="time `brief hedges --json` instead")
    args = ap.parse_args(argv)
    extra = ["--json"] if args.json else []
    one_run(args.path, extra)  # warm the file cache and .pyc files
    runs = [one_run(args.path, extra) for _ in range(args.runs)]
    med = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    print("runs (wall s): " + " ".join(f"{w:.2f}" for w, _ in runs))
    print(f"brief hedges {'--json ' if extra else ''}{Path(args.path).name}: median {med:.2f}s wall, "
          f"{cpu:.2f}s CPU ({med / BUDGET:.2f}x the {BUDGET:.0f}s budget)")
    print(f"load average now: {os.getloadavg()[0]:.2f} (other work on the machine slows the wall clock)")
    breakdown(args.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
