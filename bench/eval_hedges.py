"""Evaluate hedge detection: sentence-level F1 of the "uncertain" class.

Usage (from the repository root)::

    python bench/eval_hedges.py                 # 5-fold CV on each file + cross-domain + baselines
    python bench/eval_hedges.py --folds 5 --seed 1

Protocol:

* 5-fold cross-validation grouped by ``doc_id`` on each training file
  (``wiki-train.jsonl``, ``factbank-train.jsonl``): the documents are shuffled with a
  fixed seed and dealt into folds; every model (and the baseline lexicon) is built
  from the training folds only, then scored on the held-out fold. Counts are pooled
  over the folds (micro F1).
* Cross-domain: train on all of Wikipedia, test on all of FactBank.
* Baseline: a plain lexicon of the cue strings marked as cues in at least half of
  their occurrences in the training part; a sentence is uncertain when it holds one.

For FactBank a fourth line, ``model+wiki (DA)``, trains on the FactBank training
folds plus all of Wikipedia with feature-augmentation domain adaptation (how the
shipped model is built); the held-out FactBank fold is still never seen.

The shipped detector adds a weasel-attribution rule ("some experts argue") that the
corpus does not annotate; it is scored both without (``model``) and with
(``model+weasels``) that rule.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_hedges import DATA_DIR, read_rows, train_model  # noqa: E402

from osce_brief.hedges import find_cues  # noqa: E402


def folds_by_doc(rows: list[dict], k: int, seed: int) -> list[list[int]]:
    """Row indices of each fold; all sentences of a document share a fold."""
    docs = sorted({r["doc_id"] for r in rows})
    random.Random(seed).shuffle(docs)
    fold_of = {d: i % k for i, d in enumerate(docs)}
    out: list[list[int]] = [[] for _ in range(k)]
    for i, r in enumerate(rows):
        out[fold_of[r["doc_id"]]].append(i)
    return out


class PRF:
    """Pooled counts for the positive (uncertain) class."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, gold: bool, pred: bool) -> None:
        self.tp += gold and pred
        self.fp += pred and not gold
        self.fn += gold and not pred

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def __str__(self) -> str:
        return f"P {self.p:.3f}  R {self.r:.3f}  F1 {self.f1:.3f}"


def lexicon_baseline(train: list[dict]):
    """Predictor from cue strings marked in >= half of their occurrences in ``train``."""
    cues = Counter()
    for r in train:
        for s, e in r["cues"]:
            cues[r["text"][s:e].lower().strip()] += 1
    cues = {c for c in cues if c and re.search(r"\w", c)}
    if not cues:
        return lambda text: False
    pat = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, cues), key=len, reverse=True)) + r")\b", re.I)
    occ = Counter()
    marked = Counter()
    for r in train:
        spans = r["cues"]
        for m in pat.finditer(r["text"]):
            c = m.group().lower()
            occ[c] += 1
            if any(s <= m.start() and m.end() <= e for s, e in spans):
                marked[c] += 1
    keep = [c for c in cues if occ[c] and marked[c] / occ[c] >= 0.5]
    if not keep:
        return lambda text: False
    pat2 = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, keep), key=len, reverse=True)) + r")\b", re.I)
    return lambda text: pat2.search(text) is not None


def score(test: list[dict], predict) -> PRF:
    m = PRF()
    for r in test:
        m.add(bool(r["uncertain"]), bool(predict(r["text"])))
    return m


def systems(train: list[dict], params: dict, extra: list[dict] | None = None, target: str | None = None):
    """The predictors built from ``train`` only (plus ``extra`` out-of-domain rows, if given)."""
    model = train_model(train, **params)
    out = {
        "baseline lexicon": lexicon_baseline(train),
        "model": lambda t: bool(find_cues(t, model, weasels=False)),
        "model+weasels": lambda t: bool(find_cues(t, model, weasels=True)),
    }
    if extra:
        adapted = train_model(train + extra, target=target, **params)
        out["model+wiki (DA)"] = lambda t: bool(find_cues(t, adapted, weasels=False))
    return out


def cross_validate(rows: list[dict], k: int, seed: int, params: dict,
                   extra: list[dict] | None = None) -> dict[str, PRF]:
    """Pooled scores of k-fold CV grouped by document; nothing of the held-out fold is seen."""
    res: dict[str, PRF] = {}
    folds = folds_by_doc(rows, k, seed)
    target = rows[0].get("dataset") if extra else None
    for i in range(k):
        held = set(folds[i])
        train = [r for j, r in enumerate(rows) if j not in held]
        test = [rows[j] for j in folds[i]]
        for name, pred in systems(train, params, extra, target).items():
            m = res.setdefault(name, PRF())
            for r in test:
                m.add(bool(r["uncertain"]), pred(r["text"]))
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=str(DATA_DIR))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--param", action="append", default=[], help="override a training parameter, e.g. threshold=0.4")
    args = ap.parse_args(argv)
    params = {}
    for kv in args.param:
        key, val = kv.split("=", 1)
        params[key] = float(val) if "." in val or "e" in val else int(val)
    d = Path(args.data_dir)
    wiki = read_rows([d / "wiki-train.jsonl"])
    fb = read_rows([d / "factbank-train.jsonl"])
    t0 = time.perf_counter()
    print(f"params: {params or 'defaults'}; {args.folds}-fold CV grouped by doc_id, seed {args.seed}")
    for name, rows, extra in (("wiki", wiki, None), ("factbank", fb, wiki)):
        res = cross_validate(rows, args.folds, args.seed, params, extra)
        for sys_name, m in res.items():
            print(f"{name:9s} CV  {sys_name:17s} {m}")
    for sys_name, pred in systems(wiki, params).items():
        print(f"wiki->factbank {sys_name:17s} {score(fb, pred)}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
