"""Evaluate reading web pages on ../shared/eval/html-dev/ (run by hand, not in CI).

Three measures, as issue 5 asks:

(a) Extraction quality: the text of all sections (what ``brief show all --json
    page.html`` prints, rebuilt here with the same library calls) against the
    people-made ``article_body``, with the benchmark's metric: word 4-grams, case
    kept, precision and recall averaged over pages, F1 of the averages. Also
    scored: trafilatura's own plain text and its raw Markdown, so we see what our
    pipeline (Markdown -> cleaning -> sections) loses or gains.
(b) Speed: median wall time of ``brief outline page.html`` over the pages vs the
    median ``brief outline`` on the bundled article (each a fresh process).
(c) Headings: for pages whose ``headings_in_body`` is non-empty, how many of those
    headings are sections, and how many clutter headings are.

Usage::

    python bench/eval_html.py [--data ../shared/eval/html-dev] [--no-speed] [--show-pages]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TOKEN = re.compile(r"\w+")


def ngrams(text: str, n: int = 4) -> Counter:
    """Counter of word n-grams (case kept), the benchmark's shingles."""
    toks = TOKEN.findall(text or "")
    return Counter(tuple(toks[i : i + n]) for i in range(max(len(toks) - n + 1, 0)))


def precision_recall(pred: str, true: str) -> tuple[float, float]:
    """Precision and recall of ``pred`` 4-grams against ``true`` 4-grams."""
    p, t = ngrams(pred), ngrams(true)
    tp = sum((p & t).values())
    np_, nt = sum(p.values()), sum(t.values())
    prec = tp / np_ if np_ else (1.0 if not nt else 0.0)
    rec = tp / nt if nt else 1.0
    return prec, rec


def f1(p: float, r: float) -> float:
    """Harmonic mean."""
    return 2 * p * r / (p + r) if p + r else 0.0


def sections_text(doc) -> str:
    """The text of ``brief show all --json``: source[start:end] of every selected section."""
    from osce_brief.select import select_sections

    return "\n".join(doc.source[s.start : s.end] for s in select_sections(doc, "all"))


def body_text(doc) -> str:
    """Like :func:`sections_text` but without the headline (meta) lines."""
    from osce_brief.select import select_sections

    out = []
    for s in select_sections(doc, "all"):
        if s.kind == "section":
            out.append(doc.source[s.heading_start : s.heading_end])
        out += [p.text for p in s.paragraphs if p.kind != "meta"]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "eval" / "html-dev"))
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--show-pages", action="store_true", help="print per-page scores and headings")
    args = ap.parse_args()

    import trafilatura

    from osce_brief import load
    from osce_brief.loaders.html import is_clutter_heading

    data = Path(args.data)
    truth = {}
    for line in open(data / "ground_truth.jsonl", encoding="utf-8"):
        d = json.loads(line)
        truth[d["id"]] = d["article_body"]
    hib = {}
    for line in open(data / "headings_in_body.jsonl", encoding="utf-8"):
        d = json.loads(line)
        hib[d["id"]] = d["headings_in_body"]

    from osce_brief.loaders.html import clean_markdown

    dropped: list[str] = []
    md_heads: dict[str, set[str]] = {}
    scores: dict[str, list[tuple[float, float]]] = {"brief show all": [], "brief body (no headline)": [], "trafilatura txt": [], "trafilatura markdown": []}
    docs = {}
    t_lib = []
    for pid, gold in truth.items():
        path = data / "html" / f"{pid}.html"
        raw = path.read_bytes()
        t0 = time.perf_counter()
        doc = load(str(path))
        t_lib.append(time.perf_counter() - t0)
        docs[pid] = doc
        txt = trafilatura.extract(raw, output_format="txt", include_comments=False) or ""
        md = trafilatura.extract(raw, output_format="markdown", include_comments=False) or ""
        c = clean_markdown(md, None)
        dropped += [f"{pid[:8]}: {h}" for h in c.dropped]
        md_heads[pid] = {_norm(m.group(1)) for m in re.finditer(r"(?m)^\s{0,3}#{1,6}\s+(.+?)\s*$", md)}
        scores["brief show all"].append(precision_recall(sections_text(doc), gold))
        scores["brief body (no headline)"].append(precision_recall(body_text(doc), gold))
        scores["trafilatura txt"].append(precision_recall(txt, gold))
        scores["trafilatura markdown"].append(precision_recall(md, gold))
        if args.show_pages:
            p, r = scores["brief show all"][-1]
            pt, rt = scores["trafilatura txt"][-1]
            print(f"{pid[:8]}  brief P={p:.3f} R={r:.3f}  traf P={pt:.3f} R={rt:.3f}  {len(doc.sections)} sections")

    print(f"(a) extraction quality on {len(truth)} pages (word 4-grams, case kept; P, R averaged over pages)")
    for name, pr in scores.items():
        P = statistics.mean(p for p, _ in pr)
        R = statistics.mean(r for _, r in pr)
        print(f"    {name:26s} P={P:.3f} R={R:.3f} F1={f1(P, R):.3f}")
    print(f"    library load() per page: median {statistics.median(t_lib) * 1000:.0f} ms")

    # (c) headings
    want = found = 0
    clutter_sections: list[str] = []
    missing: list[str] = []
    all_sections = 0
    for pid, doc in docs.items():
        titles = [s.title for s in doc.sections]
        all_sections += len(titles)
        clutter_sections += [f"{pid[:8]}: {t}" for t in titles if is_clutter_heading(t)]
        norm = {_norm(t) for t in titles}
        for h in hib.get(pid) or []:
            want += 1
            if _norm(h["text"]) in norm:
                found += 1
            else:
                why = "trafilatura kept it as a heading, we dropped it" if _norm(h["text"]) in md_heads[pid] else "not a heading in trafilatura's Markdown"
                missing.append(f"{pid[:8]}: {h['text']}  [{why}]")
    n_pages = sum(1 for v in hib.values() if v)
    print(f"(c) headings: {found}/{want} body headings of {n_pages} pages appear as sections; "
          f"{len(clutter_sections)} clutter headings left as sections (of {all_sections} sections on all pages)")
    ours = sum(1 for m in missing if "we dropped" in m)
    print(f"    of the {want - found} missing: {ours} dropped by our cleaning, {want - found - ours} never headings in trafilatura's Markdown")
    print(f"    clutter headings removed by our cleaning on all pages: {len(dropped)}")
    for d in dropped:
        print("      -", d)
    if args.show_pages:
        for m in missing:
            print("    missing:", m)
        for c in clutter_sections:
            print("    clutter:", c)
        for pid, doc in docs.items():
            if doc.sections:
                print(f"    {pid[:8]} title={doc.title!r:.60} sections={[s.title for s in doc.sections]}")

    if args.no_speed:
        return 0
    # (b) speed: fresh processes, as a user runs them
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "osce_brief", "outline"]

    def run(extra: list[str]) -> float:
        t0 = time.perf_counter()
        r = subprocess.run(cmd + extra, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t0
        if r.returncode:
            raise SystemExit(f"{' '.join(cmd + extra)} failed: {r.stderr.decode()[:200]}")
        return dt

    run([])  # warm the file cache
    # Interleaved (one bundled run after each page) so that load from other
    # processes on the machine weighs on both medians alike.
    bundled, pages = [], []
    for pid in truth:
        pages.append(run([str(data / "html" / f"{pid}.html")]))
        bundled.append(run([]))
    mb, mp = statistics.median(bundled), statistics.median(pages)
    print(f"(b) speed: median `brief outline` bundled {mb * 1000:.0f} ms ({len(bundled)} runs, interleaved); "
          f"median `brief outline page.html` {mp * 1000:.0f} ms ({len(pages)} pages); ratio {mp / mb:.2f}x (target <= 2x)")
    return 0


def _norm(s: str) -> str:
    s = re.sub(r"[*_`\\]", "", s).replace("\u2019", "'").casefold()
    return " ".join(s.split()).strip(" .:!?")


if __name__ == "__main__":
    raise SystemExit(main())
