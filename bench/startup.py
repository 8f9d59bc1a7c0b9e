"""Start-up and scale benchmark for the reader (run by hand, not in CI).

Measures, side by side in one run (medians of N runs, wall time):
- ``brief outline`` on the bundled article against a floor: a minimal Typer app
  that prints one line with Rich;
- ``brief outline`` and ``brief show all`` on War and Peace, with peak memory.

Usage: python bench/startup.py [-n RUNS]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WP = ROOT.parent / "shared" / "corpus" / "war-and-peace.txt"
FLOOR = '''
import typer
from rich.console import Console
app = typer.Typer()
@app.command()
def main() -> None:
    Console().print("hello")
app()
'''


def brief_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("brief")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "osce_brief"]


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd] if Path("/usr/bin/time").exists() else cmd,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    try:
        rss = int(proc.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        rss = 0
    return dt, rss


def median_of(cmd: list[str], n: int) -> tuple[float, int]:
    runs = [timed(cmd) for _ in range(n)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    n = int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 11
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(FLOOR)
    floor_cmd = [sys.executable, f.name]
    brief = brief_cmd()
    # interleave the peers so that machine noise hits both alike
    floor_t, brief_t = [], []
    for _ in range(n):
        floor_t.append(timed(floor_cmd)[0])
        brief_t.append(timed([*brief, "outline"])[0])
    fm, bm = statistics.median(floor_t), statistics.median(brief_t)
    print(f"start-up ({n} runs, medians): floor {fm*1000:.0f} ms, brief outline {bm*1000:.0f} ms, ratio {bm/fm:.2f} (target <= 1.30)")
    if WP.exists():
        for args in (["outline", str(WP)], ["outline", "--json", str(WP)], ["show", "all", str(WP)]):
            t, rss = median_of([*brief, *args], max(3, n // 3))
            print(f"war-and-peace: brief {' '.join(args[:-1])}: median {t:.2f} s, peak RSS {rss/1024:.0f} MB (target <= 1.5 s, 300 MB)")
    os.unlink(f.name)


if __name__ == "__main__":
    main()
