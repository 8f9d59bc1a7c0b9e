"""Heading detection quality on ../shared/eval/sections-dev (run by hand).

For each NAME.txt, compare detected heading lines with the true ones in NAME.json
(precision, recall, F1 over 1-based line numbers, micro-averaged), and check that
NAME.md loaded as Markdown gives exactly the headings of NAME.json.

Usage: python bench/headings.py [DIR] [-v]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from osce_brief.loaders import parse


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "sections-dev"
    tp = fp = fn = 0
    md_ok = md_n = 0
    for js in sorted(root.glob("*.json")):
        truth = json.loads(js.read_text())
        want = {h["line"] for h in truth["headings"]}
        txt = js.with_suffix(".txt").read_text(encoding="utf-8")
        doc = parse(txt, str(js.with_suffix(".txt")), "text")
        got = {txt.count("\n", 0, s.heading_start) + 1 for s in doc.sections}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if verbose and got != want:
            lines = txt.splitlines()
            for ln in sorted(got - want):
                print(f"  FP {js.stem}:{ln}: {lines[ln - 1][:90]}")
            for ln in sorted(want - got):
                print(f"  FN {js.stem}:{ln}: {lines[ln - 1][:90]}")
        md = js.with_suffix(".md")
        if md.exists():
            md_n += 1
            mdoc = parse(md.read_text(encoding="utf-8"), str(md), "markdown")
            got_md = [(s.title) for s in mdoc.sections]
            want_md = [h["text"] for h in truth["headings"]]
            if got_md == want_md:
                md_ok += 1
            elif verbose:
                print(f"  MD {js.stem}: got {got_md[:6]} want {want_md[:6]}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"plain text: precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    print(f"markdown twins with exactly the true headings: {md_ok}/{md_n}")


if __name__ == "__main__":
    main()
