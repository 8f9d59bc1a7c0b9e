"""Benchmark for ``brief read`` (run by hand, not in CI).

Through a real pseudo-terminal (120x40), for the bundled article and War and
Peace: the time from launch to the first full screen (the status line and the
first section's text drawn) and the peak memory (max RSS of the process), as
medians of N runs. Then, with Textual's Pilot on War and Peace, the time of a
jump (``:second epilogue``, ``:1``, ``]``) and of a search step (``n``), each
including the repaint, as medians.

Usage: python bench/read.py [-n RUNS]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WP = ROOT.parent / "shared" / "corpus" / "war-and-peace.txt"


def brief_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("brief")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "osce_brief"]


PEER = """
from textual.app import App
from textual.widgets import Footer, Static
class Peer(App):
    BINDINGS = [("q", "quit", "quit")]
    def compose(self):
        yield Static("ever-dynamic 0%")
        yield Footer()
Peer().run()
"""


def first_screen(args: list[str], marker: bytes, state: str, cmd: list[str] | None = None) -> tuple[float, int]:
    """Seconds until the screen shows ``marker`` and the status line, and peak RSS (KiB)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", BRIEF_STATE_DIR=state, COLUMNS="120", LINES="40")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd or [*brief_cmd(), "read", *args], stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    seen = b""
    shown = None
    while time.perf_counter() - t0 < 30:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            seen += chunk
            if shown is None and marker in seen and b"%" in seen and b"quit" in seen:
                shown = time.perf_counter() - t0
                os.write(master, b"q")
        elif shown is not None:
            os.write(master, b"q")
        pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
    else:
        pid = 0
    if not pid:
        deadline = time.perf_counter() + 5
        while not pid and time.perf_counter() < deadline:
            time.sleep(0.02)
            pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
        if not pid:
            proc.kill()
            pid, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here (wait4 gives the child's peak RSS)
    os.close(master)
    if shown is None:
        raise SystemExit(f"no first screen for {args}: {seen[-300:]!r}")
    return shown, usage.ru_maxrss


def pilot_steps(path: Path, n: int) -> dict[str, float]:
    """Median milliseconds of jumps and search steps on ``path`` (with repaint)."""
    from osce_brief import load
    from osce_brief.reader.app import ReaderApp

    doc = load(str(path))
    times: dict[str, list[float]] = {"goto second epilogue": [], "goto 1": [], "next section ]": [],
                                     "search napoleon": [], "search step n": []}

    async def main():
        app = ReaderApp(doc)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()

            async def timed(name, fn):
                t = time.perf_counter()
                fn()
                await pilot.pause()
                times[name].append(1000 * (time.perf_counter() - t))

            for _ in range(n):
                await timed("goto second epilogue", lambda: app.goto("second epilogue"))
                await timed("goto 1", lambda: app.goto("1"))
                await timed("next section ]", lambda: app.action_section(1))
                await timed("search napoleon", lambda: app.run_search("napoleon"))
                for _ in range(5):
                    await timed("search step n", lambda: app.action_hit(1))
                app.clear_search()

    asyncio.run(main())
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5, help="runs per measure (median)")
    a = ap.parse_args()
    cases = [("peer: bare Textual", [], b"ever-dynamic"), ("bundled article", [], b"ever-dynamic")]
    if WP.exists():
        cases.append(("War and Peace", [str(WP)], b"WAR AND PEACE"))
    print(f"first full screen through a pty (120x40), median of {a.n}; peak RSS max of runs")
    with tempfile.TemporaryDirectory() as state:
        for name, args, marker in cases:
            cmd = [sys.executable, "-c", PEER] if name.startswith("peer") else None
            runs = [first_screen(args, marker, state + f"/{k}", cmd) for k in range(a.n)]
            t = statistics.median(r[0] for r in runs)
            rss = max(r[1] for r in runs) / 1024
            print(f"  {name:16s} {t:6.2f} s   peak {rss:6.0f} MB")
    if WP.exists():
        print(f"War and Peace with Pilot (median of {a.n}, ms, repaint included)")
        os.environ["BRIEF_STATE_DIR"] = tempfile.mkdtemp()
        for k, v in pilot_steps(WP, a.n).items():
            print(f"  {k:22s} {v:7.1f} ms")


if __name__ == "__main__":
    main()
