"""The hedge-cue classifier: a logistic regression over a cue's context features,
its weights shipped in ``hedge_model.json`` beside this module."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable

from .features import _FLAGS, _KEYED, _ZEROS, _groups, _static_features, stem
from .lexicon import _WEASEL_ANY, _trie


MODEL_PATH = Path(__file__).with_name("hedge_model.json")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class HedgeModel:
    """Logistic-regression weights over :func:`candidate_features`.

    Attributes:
        lexicon: the candidate cue words (normalised lowercase tokens).
        weights: feature name -> weight (the bias is the feature ``b``).
        threshold: probability above which a candidate is a cue.
        meta: how the model was trained (data, sizes, parameters).
    """

    lexicon: frozenset[str]
    weights: dict[str, float]
    threshold: float = 0.5
    meta: dict | None = None

    @cached_property
    def static_scores(self) -> dict[str, float]:
        """Per lexicon word, the summed weights of its word-only features."""
        get = self.weights.get
        return {w: sum(get(x, 0.0) for x in _static_features(w, stem(w))) for w in self.lexicon}

    @cached_property
    def _index(self) -> dict[str, dict[str, float]]:
        """The weights by template and key: ``"n1=would|" -> {"be": 0.4, ...}``."""
        index: dict[str, dict[str, float]] = {}
        for name, v in self.weights.items():
            if name.startswith("g:"):  # "g:MOD|n1=be", "g:MOD|nc2=BE|ed", "g:MOD|neg"
                k = name.index("|") + 1
                j = name.find("=", k)
                pk, val = (name[:k] + "flag", name[k:]) if j < 0 else (name[: j + 1], name[j + 1:])
            else:
                j = name.find("=") + 1
                tmpl = name[:j]
                if tmpl in _KEYED:  # "n1=would|be", "nc2=would|BE|ed"
                    k = name.index("|", j) + 1
                    pk, val = name[:k], name[k:]
                else:  # "nn1=be", "neg=would", "b"
                    pk, val = tmpl, name[j:]
            index.setdefault(pk, {})[val] = v
        return index

    @cached_property
    def _tables(self) -> dict[str, dict]:
        return {}

    def table(self, w: str) -> dict:
        """Per cue word, its weights folded into one lookup table per feature slot
        (the word's own, its stem's, its groups' and the word-free ones), built on
        first use; :func:`_context_score` reads it."""
        t = self._tables.get(w)
        if t is not None:
            return t
        ix = self._index
        empty: dict = {}
        st = stem(w)
        gs = _groups(w, st)

        def merged(*keys: str) -> dict[str, float]:
            parts = [d for d in map(ix.get, keys) if d]
            if len(parts) < 2:  # shared, not copied
                return parts[0] if parts else empty
            out = dict(parts[0])
            for d in parts[1:]:
                for val, v in d.items():
                    out[val] = out.get(val, 0.0) + v
            return out

        t = {
            "b": self.static_scores.get(w, 0.0) if w in self.lexicon else
            sum(self.weights.get(x, 0.0) for x in _static_features(w, st)),
            "p1": merged(f"p1={w}|", f"sp1={st}|"),
            "n1": merged(f"n1={w}|", f"sn1={st}|", *(f"g:{g}|n1=" for g in gs)),
            "pp1": ix.get("pp1=", empty),  # shared by all words, not copied
            "nn1": ix.get("nn1=", empty),
            "ps": merged(f"ps={w}|"),
            "ns": merged(f"ns={w}|"),
            "nc": merged(f"nc={w}|", *(f"g:{g}|nc=" for g in gs)),
            "pc": merged(f"pc={w}|", *(f"g:{g}|pc=" for g in gs)),
            "nc2": merged(f"nc2={w}|", *(f"g:{g}|nc2=" for g in gs)),
            "first": ix.get("first=", empty).get(w, 0.0),
            "cap": ix.get("cap=", empty).get(w, 0.0),
            "flag": {
                x: ix.get(x + "=", empty).get(w, 0.0) + sum(ix.get(f"g:{g}|flag", empty).get(x, 0.0) for g in gs)
                for x in _FLAGS
            },
            # The bags of the groups are large: a list of the tables, not one merged copy.
            "bw": [d for d in map(ix.get, (f"bw={w}|", *(f"bw={g}|" for g in gs))) if d],
            "aw": [d for d in map(ix.get, (f"aw={w}|", *(f"aw={g}|" for g in gs))) if d],
        }
        self._tables[w] = t
        return t

    @cached_property
    def prefilter(self) -> frozenset[str]:
        """Lexicon words as ``[a-z]+`` sees them: "couldn't" reads "couldn", "won't" "won"."""
        return self.lexicon | {w + "n" for w in self.lexicon} | {"won", "shan"}

    @cached_property
    def triggers(self) -> frozenset[str]:
        """Words without which a sentence can have no cue (candidates and weasel verbs)."""
        return self.prefilter | _WEASEL_ANY

    @cached_property
    def trigger_regex(self) -> re.Pattern[str]:
        """Finds any of :attr:`triggers` in lowercased ASCII text (a fast pre-filter)."""
        return re.compile(r"\b(?:" + _trie(sorted(self.triggers)) + r")\b", re.ASCII)

    @cached_property
    def margin(self) -> float:
        """The threshold as a logit, so inference can skip the sigmoid."""
        t = min(max(self.threshold, 1e-6), 1 - 1e-6)
        return math.log(t / (1 - t))

    def score(self, feats: Iterable[str]) -> float:
        """Logit of a candidate: the sum of its features' weights."""
        get = self.weights.get
        return sum(map(get, feats, _ZEROS))

    def to_dict(self) -> dict:
        """The JSON form written by ``bench/train_hedges.py``."""
        return {
            "format": "osce_brief.hedges/1",
            "threshold": self.threshold,
            "meta": self.meta or {},
            "lexicon": sorted(self.lexicon),
            "weights": {k: round(v, 3) for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_dict(cls, d: dict) -> "HedgeModel":
        """Inverse of :meth:`to_dict`."""
        return cls(
            lexicon=frozenset(d["lexicon"]),
            weights=dict(d["weights"]),
            threshold=float(d.get("threshold", 0.5)),
            meta=d.get("meta"),
        )


@lru_cache(maxsize=1)
def default_model() -> HedgeModel:
    """The shipped model (``hedge_model.json``), loaded once."""
    with MODEL_PATH.open(encoding="utf-8") as fh:
        return HedgeModel.from_dict(json.load(fh))
