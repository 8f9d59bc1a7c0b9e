"""Benchmark for `brief search`, side by side with ripgrep (run by hand, not in CI).

Measures wall time (median of N runs, the commands of each comparison interleaved)
and peak memory of each command, in one run:

1. bundled article: ``brief search ukraine`` against ``brief outline`` (target <= 1.2x);
2. War and Peace: every "Napoleon" passage printed (target <= 1.0 s);
3. a 100 MB file (War and Peace x 30, written to /tmp): ``brief search --count
   napoleon`` against ``rg -c -i napoleon`` (target <= 10x, peak memory <= 3x the file),
   also with an empty pattern cache (a term's first search) and without the native
   scanner (``BRIEF_NO_ACCEL=1``);
4. a 3,000-file folder (BBC articles plus the eval JSONL articles written out as
   files in /tmp): ``brief search -l``, ``-c`` and the full passage output against
   ``rg -i -l`` (target <= 10x), and the passages against ``rg -i`` too.

ripgrep is needed for the comparisons (``apt-get install ripgrep``); without it
those rows are skipped. Compiled bytecode is allowed (PYTHONDONTWRITEBYTECODE is
unset and every command runs once before timing), as on an installed system.

With ``--baseline BRIEF`` (another installation's ``brief``, e.g. the previous
release in its own venv), every brief command also runs with it, interleaved in the
same run, and each row shows the baseline's time and the ratio after/before
(each installation keeps its own pattern cache).

Usage: python bench/bench_search.py [-n RUNS] [--baseline PATH/TO/brief]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WP = SHARED / "corpus" / "war-and-peace.txt"
BBC = SHARED / "corpus" / "bbc-news.jsonl"
EVAL = SHARED / "eval"
BIG = Path("/tmp/brief-bench-wp30.txt")
FOLDER = Path("/tmp/brief-bench-corpus")


def brief_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("brief")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "osce_brief"]


def env() -> dict:
    e = dict(os.environ)
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    e.pop("FORCE_COLOR", None)
    return e


def run_once(cmd: list[str]) -> tuple[float, int, int, float]:
    """(seconds, peak RSS in KB, exit code, CPU seconds incl. children) of one run, output discarded."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, ru.ru_maxrss, p.returncode, ru.ru_utime + ru.ru_stime


def summarize(runs: list[tuple[float, int, int, float]]) -> dict:
    return {
        "median_s": statistics.median(r[0] for r in runs),
        "min_s": min(r[0] for r in runs),
        "peak_kb": max(r[1] for r in runs),
        "exit": runs[-1][2],
        "cpu_s": statistics.median(r[3] for r in runs),
    }


def measure(*cmds: list[str], n: int) -> list[dict]:
    """Each command ``n`` times, interleaved (a, b, a, b, ...) so load swings hit all alike."""
    for cmd in cmds:
        run_once(cmd)  # warm-up: page cache, bytecode
    runs: list[list] = [[] for _ in cmds]
    for _ in range(n):
        for k, cmd in enumerate(cmds):
            runs[k].append(run_once(cmd))
    return [summarize(r) for r in runs]


def scanner() -> str:
    """Which scanner the streamed counts use (the fast extra's Hyperscan, or pure Python)."""
    code = "from osce_brief.search.accel import hyperscan_module as h; m = h(); print(m.__version__ if m else '')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env()).stdout.strip()
    return f"Hyperscan {out} (the fast extra)" if out else "none: pure Python (pip install '.[fast]' for Hyperscan)"


def build_big() -> None:
    if BIG.exists() and BIG.stat().st_size == 30 * WP.stat().st_size:
        return
    data = WP.read_bytes()
    with open(BIG, "wb") as fh:
        for _ in range(30):
            fh.write(data)


def build_folder() -> int:
    marker = FOLDER / ".complete"
    if marker.exists():
        return int(marker.read_text())
    shutil.rmtree(FOLDER, ignore_errors=True)
    (FOLDER / "bbc").mkdir(parents=True)
    (FOLDER / "eval").mkdir()
    n = 0
    sources = [(BBC, "bbc")] + [(p, "eval") for p in sorted(EVAL.glob("*.jsonl"))]
    for src, sub in sources:
        for i, line in enumerate(src.open(encoding="utf-8")):
            d = json.loads(line)
            body = d.get("article") or d.get("text")
            if not isinstance(body, str) or not body.strip():
                continue
            title = d.get("title") if isinstance(d.get("title"), str) else ""
            name = FOLDER / sub / f"{src.stem}-{i:05d}.txt"
            name.write_text((title + "\n\n" if title else "") + body.strip() + "\n", encoding="utf-8")
            n += 1
    marker.write_text(str(n))
    return n


BASELINE: list[str] | None = None


def with_cache(cmd: list[str], tag: str) -> list[str]:
    """``cmd`` with a pattern cache of its own (unless it sets one itself)."""
    return ["env", f"BRIEF_CACHE_DIR=/tmp/brief-bench-cache-{tag}", *cmd]


def measure_pair(*cmds: list[str], n: int) -> list[dict]:
    """As :func:`measure`; with a baseline, brief commands also run with it, interleaved,
    and each result holds the baseline's figures under ``"base"``."""
    if BASELINE is None:
        return measure(*cmds, n=n)
    brief = brief_cmd()
    all_cmds: list[list[str]] = []
    index: list[tuple[int, int | None]] = []
    for cmd in cmds:
        k = next((i for i in range(len(cmd) - len(brief) + 1) if cmd[i : i + len(brief)] == brief), None)
        all_cmds.append(with_cache(cmd, "new") if k is not None else cmd)
        if k is not None:
            all_cmds.append(with_cache(cmd[:k] + BASELINE + cmd[k + len(brief) :], "base"))
            index.append((len(all_cmds) - 2, len(all_cmds) - 1))
        else:
            index.append((len(all_cmds) - 1, None))
    got = measure(*all_cmds, n=n)
    out = []
    for a, b in index:
        m = dict(got[a])
        if b is not None:
            m["base"] = got[b]
        out.append(m)
    return out


def row(name: str, m: dict, ref: dict | None = None, target: str = "") -> None:
    ratio = f"{m['median_s'] / ref['median_s']:6.1f}x" if ref else "       "
    cpu_ratio = f"{m['cpu_s'] / max(ref['cpu_s'], 1e-3):6.1f}x" if ref else "       "
    print(
        f"  {name:<38} {m['median_s']:7.3f} s {ratio} | cpu {m['cpu_s']:6.3f} s {cpu_ratio} | "
        f"peak {m['peak_kb'] / 1024:6.1f} MB  exit {m['exit']}  {target}"
    )
    base = m.get("base")
    if base is not None:
        bratio = f"{base['median_s'] / ref['median_s']:6.1f}x" if ref else "       "
        if ref and "base" in ref:
            bratio = f"{base['median_s'] / ref['base']['median_s']:6.1f}x"
        print(f"  {'  baseline':<38} {base['median_s']:7.3f} s {bratio} | cpu {base['cpu_s']:6.3f} s "
              f"        | peak {base['peak_kb'] / 1024:6.1f} MB  exit {base['exit']}  "
              f"(after/before {m['median_s'] / base['median_s']:.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="timed runs per command (median reported)")
    ap.add_argument("--baseline", help="another installation's brief, run interleaved with this one")
    args = ap.parse_args()
    global BASELINE
    BASELINE = [args.baseline] if args.baseline else None
    brief = brief_cmd()
    rg = shutil.which("rg")
    print(f"brief: {' '.join(brief)}   ripgrep: {rg or 'missing (rg rows skipped)'}   runs: {args.n}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(wall = median wall time; cpu = median user+sys time, children included)")

    print("\n1. bundled article (start-up bound; target search <= 1.2x outline)")
    outline, search = measure_pair(brief + ["outline"], brief + ["search", "ukraine"], n=args.n)
    row("brief outline", outline)
    row("brief search ukraine", search, outline, "vs outline")

    print("\n2. War and Peace, every Napoleon passage (target <= 1.0 s)")
    if rg:
        rgwp, wp = measure_pair([rg, "-i", "napoleon", str(WP)], brief + ["search", "napoleon", str(WP)], n=args.n)
        row("rg -i napoleon", rgwp)
        row("brief search napoleon", wp, rgwp, "vs rg")
    else:
        (wp,) = measure_pair(brief + ["search", "napoleon", str(WP)], n=args.n)
        row("brief search napoleon", wp)

    print("\n3. 100 MB file (target <= 10x rg -c -i, peak memory <= 3x file size)")
    print(f"  native scanner: {scanner()}")
    build_big()
    size_mb = BIG.stat().st_size / 2**20
    big_cmd = brief + ["search", "--count", "napoleon", str(BIG)]
    # a first search for a term compiles its patterns (cached after): each run gets an empty cache
    cold_cmd = ["sh", "-c", 'd=$(mktemp -d) && BRIEF_CACHE_DIR="$d" "$@"; s=$?; rm -rf "$d"; exit $s', "sh", *big_cmd]
    pure_cmd = ["env", "BRIEF_NO_ACCEL=1", *big_cmd]
    if rg:
        rgbig, big, cold, pure = measure_pair([rg, "-c", "-i", "napoleon", str(BIG)], big_cmd, cold_cmd, pure_cmd, n=args.n)
        row("rg -c -i napoleon", rgbig)
        row("brief search --count napoleon", big, rgbig, "vs rg")
        row("  the same, empty pattern cache", cold, rgbig, "vs rg")
        row("  the same, BRIEF_NO_ACCEL=1", pure, rgbig, "vs rg")
    else:
        big, cold, pure = measure_pair(big_cmd, cold_cmd, pure_cmd, n=args.n)
        row("brief search --count napoleon", big)
        row("  the same, empty pattern cache", cold)
        row("  the same, BRIEF_NO_ACCEL=1", pure)
    print(f"  file {size_mb:.1f} MB; brief peak memory = {big['peak_kb'] / 1024 / size_mb:.2f}x the file size")

    print("\n4. 3,000-file folder (target: brief search <= 10x rg -i -l)")
    n = build_folder()
    print(f"  {n} files in {FOLDER}")
    cmds = [brief + ["search", "-l", "blair", str(FOLDER)], brief + ["search", "-c", "blair", str(FOLDER)],
            brief + ["search", "blair", str(FOLDER)]]
    if rg:
        rgl, rga, files_l, files_c, files_all = measure_pair(
            [rg, "-i", "-l", "blair", str(FOLDER)], [rg, "-i", "blair", str(FOLDER)], *cmds, n=args.n)
        row("rg -i -l blair", rgl)
        row("brief search -l blair", files_l, rgl, "vs rg -l")
        row("brief search -c blair", files_c, rgl, "vs rg -l")
        row("brief search blair (all passages)", files_all, rgl, "vs rg -l")
        row("rg -i blair", rga)
        row("brief search blair (all passages)", files_all, rga, "vs rg")
    else:
        for name, m in zip(("-l", "-c", "(all passages)"), measure_pair(*cmds, n=args.n)):
            row(f"brief search {name} blair", m)


if __name__ == "__main__":
    main()
