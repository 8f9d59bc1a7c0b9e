"""Heading detection on man pages rendered as plain text (run by hand, not in CI).

For each man page, the true headings are taken from its roff source, not from
the rendered text: every ``.SH``/``.SS`` (man) or ``.Sh``/``.Ss`` (mdoc) title is
looked up, in order, in ``man -P cat PAGE | col -bx`` (case, font escapes and
spacing ignored). The rendered text is then loaded as plain text and the heading
lines found are compared with the true ones: precision, recall and F1 over line
numbers, micro-averaged over the pages.

Pages are drawn at random (seeded) from the machine's man1/3/5/7/8 sections,
skipping ``.so`` aliases of pages already drawn and pages whose source cannot be
read. ``--half tune`` and ``--half held`` split the sample in two disjoint halves
(tune on one, check on the other).

Usage::

    python bench/manpages.py [--n 30] [--seed 12] [--half tune|held|all] [--width 80] [-v] [PAGE ...]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MAN_ROOT = Path("/usr/share/man")
SECTIONS = ("man1", "man3", "man5", "man7", "man8")
_HEAD = re.compile(r'^\.(SH|SS|Sh|Ss)(?:\s+(.*))?$')


def _read_source(path: Path, depth: int = 0) -> tuple[Path, str] | None:
    """The roff source of a page, following ``.so`` links."""
    try:
        raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    except OSError:
        return None
    text = raw.decode("utf-8", "replace")
    m = re.match(r"\s*\.so\s+(\S+)", text)
    if m and depth < 3:
        target = MAN_ROOT / m.group(1)
        for cand in (target, Path(str(target) + ".gz")):
            if cand.exists():
                return _read_source(cand, depth + 1)
        return None
    return path, text


def _norm(s: str) -> str:
    """Letters and digits only, lowercased: what a heading line and its source share."""
    s = re.sub(r"\\f(?:\[[^\]]*\]|\(..|.)", "", s)  # font changes
    s = re.sub(r"\\\*(?:\[[^\]]*\]|\(..|.)", "", s)  # strings
    s = re.sub(r"\\\((..)", "", s)  # special characters
    s = re.sub(r"\\[&|^%]|\\s[-+]?\d", "", s)
    s = s.replace("\\-", "-").replace("\\e", "\\")
    return re.sub(r"[^0-9a-z]", "", s.lower())


def true_headings(source: str) -> list[str]:
    """The normalised ``.SH``/``.SS`` titles of a roff source, in order."""
    lines = source.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = _HEAD.match(line)
        if not m:
            continue
        arg = (m.group(2) or "").strip()
        if not arg and i + 1 < len(lines):
            arg = re.sub(r"^\.(?:B|I|BI|IB|BR|RB|IR|RI)\s+", "", lines[i + 1])
        if m.group(1) in ("Sh", "Ss"):  # mdoc arguments may hold macro names: keep the words
            arg = re.sub(r"\b(?:Nm|Xr|Ar|Fl|Cm|Li|Pa|Ql|Dq|Sq|Ns)\b", "", arg)
        arg = arg.strip().strip('"')
        n = _norm(arg)
        if n:
            out.append(("~" if "\\*" in arg else "") + n)  # "~": a string escape, compared by containment
    return out


def render(page: Path, width: int = 80) -> str | None:
    """``man -P cat`` of a page file, through ``col -bx``."""
    env = dict(os.environ, MANWIDTH=str(width), MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
    try:
        out = subprocess.run(["man", "-P", "cat", "-l", str(page)], capture_output=True, env=env, timeout=30, cwd=MAN_ROOT)
        col = subprocess.run(["col", "-bx"], input=out.stdout, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = col.stdout.decode("utf-8", "replace")
    return text if text.strip() else None


def truth_lines(text: str, heads: list[str]) -> tuple[set[int], list[str]]:
    """Line numbers (1-based) of the true headings in the rendered text, and the
    titles not found there."""
    lines = text.splitlines()
    norm = [_norm(ln) if len(ln) - len(ln.lstrip()) <= 4 else None for ln in lines]
    found: set[int] = set()
    missing = []
    pos = 0
    for h in heads:
        part = h.startswith("~")
        h = h.lstrip("~")
        for k in range(pos, len(lines)):
            if norm[k] == h or (part and norm[k] is not None and h in norm[k]):
                found.add(k + 1)
                pos = k + 1
                break
        else:
            missing.append(h)
    return found, missing


def sample(n: int, seed: int) -> list[Path]:
    """``n`` distinct pages (by resolved source), drawn with ``seed``."""
    pages = [MAN_ROOT / s / f for s in SECTIONS if (MAN_ROOT / s).is_dir() for f in sorted(os.listdir(MAN_ROOT / s))
             if not f.startswith("gcloud")]
    random.Random(seed).shuffle(pages)
    out: list[Path] = []
    seen: set[Path] = set()
    for p in pages:
        r = _read_source(Path(os.path.realpath(p)))
        if r is None or r[0] in seen or not true_headings(r[1]):
            continue
        seen.add(r[0])
        out.append(r[0])
        if len(out) == n:
            break
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="*")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--half", choices=("tune", "held", "all"), default="all")
    ap.add_argument("--width", type=int, default=80, help="MANWIDTH (default 80, as when piped)")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    from osce_brief.loaders import parse

    pages = [Path(p) for p in a.pages] or sample(a.n, a.seed)
    if not a.pages and a.half != "all":
        pages = pages[0::2] if a.half == "tune" else pages[1::2]
    tp = fp = fn = 0
    for page in pages:
        src = _read_source(page)
        text = render(page, a.width)
        if src is None or text is None:
            print(f"  skip {page}")
            continue
        want, missing = truth_lines(text, true_headings(src[1]))
        doc = parse(text, page.name, "text")
        got = {text.count("\n", 0, s.heading_start) + 1 for s in doc.sections}
        t, f, n = len(got & want), len(got - want), len(want - got)
        tp, fp, fn = tp + t, fp + f, fn + n
        if a.v:
            lines = text.splitlines()
            print(f"{page.name}: tp {t} fp {f} fn {n}" + (f" (not rendered: {missing})" if missing else ""))
            for ln in sorted(got - want):
                print(f"    FP {ln}: {lines[ln - 1][:80]}")
            for ln in sorted(want - got):
                print(f"    FN {ln}: {lines[ln - 1][:80]}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{len(pages)} man pages: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
