"""Time and peak memory of ``brief outline`` on hostile HTML shapes (issue 13.2; run by hand).

Each shape is about ``--mb`` megabytes of one construct inside an otherwise normal
page, with a paragraph after it that must survive. Every run is a fresh process
(``/usr/bin/time`` for the peak memory); the bundled article's ``brief outline`` is
measured in the same run as a peer, because this machine's speed varies with load.

Usage::

    python bench/html_shapes.py [--mb 10] [--only deep_ul,divs] [--timeout 120]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AFTER = "The closing paragraph comes after the structure and must not be lost."


def _page(body: str) -> str:
    return (
        "<!doctype html><html><head><title>Shape</title></head><body><article><h1>Shape</h1>"
        "<p>First paragraph of the page, with enough words to count as real prose.</p>"
        + body
        + f"<h2>After</h2><p>{AFTER}</p></article></body></html>"
    )


def shapes(size: int) -> dict[str, str]:
    """Name -> page of about ``size`` bytes."""

    def rep(unit: str) -> str:
        return unit * max(1, size // len(unit))

    n_div = size // 11
    return {
        "nested_divs": "<div>" * n_div + "deep text inside" + "</div>" * n_div,
        "deep_ul": rep("<ul><li>x"),
        "flat_p": rep("<p>Some words in a paragraph here.</p>\n"),
        "flat_div": rep("<div>x</div>"),
        "headings": rep("<h2>Head</h2><p>Body text.</p>\n"),
        "table": "<table>" + rep("<tr><td>a</td><td>b</td></tr>") + "</table>",
        "links": rep('<a href="/x">link</a> '),
        "br": rep("<br>"),
        "one_text": rep("word "),
        "pre": "<pre>" + rep("code line here\n") + "</pre>",
        "unclosed_b": rep("<b>x "),
    }


def run(cmd: list[str], env: dict, timeout: float) -> tuple[float, int, int, str]:
    """(seconds, peak KB, exit code, last stdout line) of one fresh process."""
    t0 = time.perf_counter()
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - t0, -1, -1, "timeout"
    dt = time.perf_counter() - t0
    kb = int(re.findall(r"^(\d+)$", r.stderr, re.M)[-1]) if re.findall(r"^(\d+)$", r.stderr, re.M) else -1
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr.strip()[:80]
    return dt, kb, r.returncode, last


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    brief = [sys.executable, "-m", "osce_brief"]
    pages = shapes(int(args.mb * 1_000_000))
    only = {x for x in args.only.split(",") if x}
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in pages.items():
            if only and name not in only:
                continue
            path = Path(tmp) / f"{name}.html"
            path.write_text(_page(body), encoding="utf-8")
            peer, _, _, _ = run([*brief, "outline"], env, args.timeout)
            dt, kb, code, last = run([*brief, "outline", str(path)], env, args.timeout)
            t0 = time.perf_counter()
            try:
                shown = subprocess.run([*brief, "show", "all", "--json", str(path)], env=env, capture_output=True, text=True, timeout=args.timeout)
                kept, dt_show = AFTER in shown.stdout, time.perf_counter() - t0
            except subprocess.TimeoutExpired:
                kept, dt_show = False, float("inf")
            print(
                f"{name:12s} {path.stat().st_size / 1e6:5.1f} MB  outline {dt:6.1f} s  peak {kb / 1024:6.0f} MB  exit {code}"
                f"  (bundled peer {peer:4.2f} s, ratio {dt / peer:5.1f}x)  show all --json {dt_show:5.1f} s, text after kept: {kept}"
                f"  | {last[:50]}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
