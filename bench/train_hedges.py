"""Train the hedge-cue classifier shipped as ``src/osce_brief/hedges/hedge_model.json``.

Usage (from the repository root)::

    python bench/train_hedges.py                       # both training files -> the shipped model
    python bench/train_hedges.py --data ../shared/eval/hedge/wiki-train.jsonl --out /tmp/m.json

The data is the Szeged Uncertainty Corpus as laid out in ``shared/eval/hedge/``
(one JSON object per sentence with ``text``, ``uncertain``, ``cues``). Training is
pure Python (AdaGrad logistic regression over the features of
:func:`osce_brief.hedges.candidate_features`), about ten seconds on both files; the
result is deterministic for a given seed.

Rebuild the shipped weights (the exact command; a few seconds, deterministic)::

    /work/venv/bin/python bench/train_hedges.py   # -> src/osce_brief/hedges/hedge_model.json, about 220 KB

Steps: (1) a cue lexicon per corpus (``dataset``), then their union; (2) every
candidate of the training sentences becomes an example, labelled by whether it lies
in a gold cue; news (FactBank) examples also get domain-specific feature copies
(feature augmentation), folded back into one weight table afterwards; (3) AdaGrad
logistic regression (``bags`` > 1 averages several shuffles; ``tw`` weights the news
examples; both off by default, neither helped), then rare and near-zero weights are
dropped (``prune``; the bag-of-words features, the most numerous, below
``prune_bag``, which keeps the file small at no measured cost). The threshold is
``PARAMS["threshold"]``; with ``inner=3`` it is instead picked by a 3-fold inner
cross-validation on the training rows (off by default: it helps FactBank-only
training but hurts the Wikipedia -> news transfer).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from osce_brief.hedges import (  # noqa: E402
    HAND_LEXICON,
    MODEL_PATH,
    HedgeModel,
    candidates,
    normalize,
    tokenize,
)

DATA_DIR = ROOT.parent / "shared" / "eval" / "hedge"
DEFAULT_FILES = ("wiki-train.jsonl", "factbank-train.jsonl")

# Tokens inside multi-word cues that are not cues by themselves.
FUNCTION_WORDS = frozenset(
    """
    a an the to be is are was were been being of or and in on at for by with as that
    this it its not no n't nor any some all one can will would should must do does did
    have has had so there than then very more most much well also yet little far under
    """.split()
) - {"would", "can", "will", "should", "must"}

# Defaults chosen by cross-validation (bench/eval_hedges.py); see its output.
PARAMS = dict(epochs=12, lr=0.05, l2=1e-5, min_ratio=0.15, min_pos=1, threshold=0.45, prune=0.1, prune_bag=0.2,
              min_count=2, seed=13, inner=0, bags=1, tw=1.0)


def read_rows(paths) -> list[dict]:
    """Read JSON Lines files into a list of dicts."""
    rows = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def _tokens(row: dict):
    toks = tokenize(row["text"])
    words = [t for t, _, _ in toks]
    low = normalize(words)
    cues = row.get("cues") or []
    gold = [any(s < e2 and s2 < e for s2, e2 in cues) for _, s, e in toks]
    return toks, words, low, gold


def build_lexicon(rows: list[dict], min_pos: int = 1, min_ratio: float = 0.15) -> frozenset[str]:
    """Candidate cue words: tokens marked inside cues often enough, plus the hand list.

    A word is kept when it lies inside a gold cue at least ``min_pos`` times and in at
    least ``min_ratio`` of its occurrences (this drops "some", "when" and the like).
    """
    pos: Counter = Counter()
    occ: Counter = Counter()
    for row in rows:
        _, _, low, gold = _tokens(row)
        for w, g in zip(low, gold):
            occ[w] += 1
            if g:
                pos[w] += 1
    lex = {
        w
        for w, c in pos.items()
        if c >= min_pos and c / occ[w] >= min_ratio and w not in FUNCTION_WORDS and w.isalpha()
    }
    return frozenset(lex | HAND_LEXICON)


def examples(rows: list[dict], lexicon: frozenset[str], target: str | None = None, weight: float = 1.0):
    """(features, label, weight) for every candidate cue in ``rows``, rules applied.

    ``weight`` multiplies the gradient of the ``target`` domain's examples.

    With ``target`` (a ``dataset`` name such as ``szeged_factbank``), the rows of that
    domain also get a domain-specific copy of each feature (``T:`` prefix), Daume's
    "frustratingly easy" domain adaptation; :func:`train_model` folds the copies back
    into the shared weights, so inference is unchanged.
    """
    out = []
    for row in rows:
        cues = row.get("cues") or []
        aug = target is not None and row.get("dataset") == target
        for s, e, feats, _forced in candidates(row["text"], lexicon):
            if not feats:
                continue  # vetoed or forced by a context rule: nothing to learn
            if aug:
                feats = feats + ["T:" + x for x in feats]
            out.append((feats, 1.0 if any(s < ce and cs < e for cs, ce in cues) else 0.0, weight if aug else 1.0))
    return out


def fit(data, epochs: int, lr: float, l2: float, seed: int) -> dict[str, float]:
    """AdaGrad logistic regression; returns feature -> weight."""
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            feats, y, wt = data[k]
            z = sum(w.get(f, 0.0) for f in feats)
            z = max(-30.0, min(30.0, z))
            p = 1.0 / (1.0 + math.exp(-z))
            g = (p - y) * wt
            for f in feats:
                wf = w.get(f, 0.0)
                grad = g + l2 * wf
                acc = g2.get(f, 1e-8) + grad * grad
                g2[f] = acc
                w[f] = wf - lr * grad / math.sqrt(acc)
    return w


def train_model(rows: list[dict], target: str | None = None, **kw) -> HedgeModel:
    """Train a :class:`HedgeModel` on ``rows`` (keyword arguments override :data:`PARAMS`).

    Args:
        rows: training sentences (any mix of datasets).
        target: the ``dataset`` whose domain the model is for (domain adaptation), or None.
    """
    prm = {**PARAMS, **kw}
    # One lexicon per corpus, then their union: a word that is a cue in news but
    # rare among the (five times more) Wikipedia sentences still becomes a candidate.
    by_ds: dict = {}
    for r in rows:
        by_ds.setdefault(r.get("dataset"), []).append(r)
    lexicon = frozenset().union(*(build_lexicon(part, prm["min_pos"], prm["min_ratio"]) for part in by_ds.values()))
    data = examples(rows, lexicon, target, prm.get("tw", 1.0))
    if prm["min_count"] > 1:  # rare context features overfit and bloat the file
        seen = Counter(f for feats, _, _ in data for f in feats)
        data = [([f for f in feats if seen[f] >= prm["min_count"]], y, wt) for feats, y, wt in data]
    bags = int(prm.get("bags", 1))
    w = {}
    for b in range(bags):  # several shuffles, weights averaged (one linear model)
        wb = fit(data, prm["epochs"], prm["lr"], prm["l2"], prm["seed"] + 1000 * b)
        for k, v in wb.items():
            w[k] = w.get(k, 0.0) + v / bags
    if target is not None:
        merged: dict[str, float] = {}
        for k, v in w.items():
            key = k[2:] if k.startswith("T:") else k
            merged[key] = merged.get(key, 0.0) + v
        w = merged
    # Drop near-zero weights (the bags of words, most of the features, more firmly).
    pb = prm.get("prune_bag", prm["prune"])
    w = {k: v for k, v in w.items() if abs(v) >= (pb if k.startswith(("bw=", "aw=")) else prm["prune"]) or k == "b"}
    threshold = prm["threshold"]
    meta = {"params": prm, "sentences": len(rows), "candidates": len(data)}
    if prm.get("inner", 0) > 1:
        threshold = inner_threshold(rows, target, prm)
        meta["inner_threshold"] = threshold
    return HedgeModel(lexicon=lexicon, weights=w, threshold=threshold, meta=meta)


def sentence_score(model: HedgeModel, text: str) -> float:
    """The highest candidate logit of a sentence (rules applied; weasels not counted)."""
    best = -math.inf
    for _s, _e, feats, forced in candidates(text, model.lexicon):
        if forced:
            return math.inf
        if feats is not None:
            best = max(best, model.score(feats))
    return best


def inner_threshold(rows: list[dict], target: str | None, prm: dict) -> float:
    """The probability threshold that maximises sentence F1 in an inner CV on ``rows``.

    The documents of ``rows`` are dealt into ``prm["inner"]`` folds; a model trained on
    the others scores each fold; the threshold is picked on those out-of-fold scores
    (of the ``target`` domain's sentences only, when a target is given).
    """
    k = int(prm["inner"])
    docs = sorted({r.get("doc_id") for r in rows})
    random.Random(prm["seed"]).shuffle(docs)
    fold_of = {d: i % k for i, d in enumerate(docs)}
    scored: list[tuple[float, bool]] = []
    sub = {**prm, "inner": 0}
    for i in range(k):
        train = [r for r in rows if fold_of[r.get("doc_id")] != i]
        test = [r for r in rows if fold_of[r.get("doc_id")] == i and (target is None or r.get("dataset") == target)]
        m = train_model(train, target=target, **sub)
        scored.extend((sentence_score(m, r["text"]), bool(r["uncertain"])) for r in test)
    pos = sum(g for _, g in scored)
    best_f, best_t = -1.0, prm["threshold"]
    grid = [x / 100 for x in range(20, 81, 2)]
    for t in grid:
        z = math.log(t / (1 - t))
        tp = sum(1 for sc, g in scored if g and sc > z)
        fp = sum(1 for sc, g in scored if not g and sc > z)
        f = 2 * tp / (pos + tp + fp) if pos + tp + fp else 0.0
        if f > best_f + 1e-9:
            best_f, best_t = f, t
    return best_t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", nargs="*", default=[str(DATA_DIR / f) for f in DEFAULT_FILES])
    ap.add_argument("--out", default=str(MODEL_PATH))
    args = ap.parse_args(argv)
    rows = read_rows(args.data)
    # News is the target domain: FactBank rows get domain-specific feature copies.
    target = "szeged_factbank" if any(r.get("dataset") == "szeged_factbank" for r in rows) else None
    model = train_model(rows, target=target)
    d = model.to_dict()
    d["meta"]["data"] = [Path(p).name for p in args.data]
    d["meta"]["target"] = target
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(d, fh, separators=(",", ":"), ensure_ascii=False)
        fh.write("\n")
    size = Path(args.out).stat().st_size
    print(f"trained on {len(rows)} sentences, {d['meta']['candidates']} candidates, "
          f"{len(d['lexicon'])} lexicon words, {len(d['weights'])} weights -> {args.out} ({size/1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
