"""Hedge features: tokens, word shapes and classes, and a candidate cue's context
features (spelled out for training, folded into lookup tables for scoring)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat
from typing import Sequence

from .lexicon import _ATTRIBUTION, HAND_LEXICON

_ZEROS = repeat(0.0)  # defaults for map(dict.get, features, _ZEROS)

# --------------------------------------------------------------------------- tokens

# Words (letters with inner hyphens/apostrophes), "n't" split off ("could" + "n't"),
# numbers, or single symbols.
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*|\d+(?:[.,:]\d+)*|\S")
# The same tokens on ASCII text, about a third faster.
_TOKEN_ASCII = re.compile(r"[A-Za-z]+(?:[-'\u2019][A-Za-z]+)*|[0-9]+(?:[.,:][0-9]+)*|\S")
_NT = ("n't", "n\u2019t")
# Cheap pre-filter: lowercase word forms, intersected with the lexicon.
_WORDS = re.compile(r"[a-z]+")
_NORM = {"ca": "can", "wo": "will", "sha": "shall", "ai": "be", "n\u2019t": "n't"}
_NEGATIONS = frozenset({"not", "n't", "never", "no", "nor", "neither", "without", "hardly"})


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` into ``(token, start, end)``; "couldn't" gives "could" + "n't".

    Example:
        >>> [t for t, _, _ in tokenize("It couldn't be.")]
        ['It', 'could', "n't", 'be', '.']
    """
    out = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if "n't" in text or "n\u2019t" in text:
        split = []
        for tok, s, e in out:
            if len(tok) > 3 and tok.endswith(_NT):
                split.append((tok[:-3], s, e - 3))
                split.append((tok[-3:], e - 3, e))
            else:
                split.append((tok, s, e))
        out = split
    return out


def _split_nt(toks: list[str]) -> list[str]:
    out = []
    for tok in toks:
        if len(tok) > 3 and tok.endswith(_NT):
            out.append(tok[:-3])
            out.append(tok[-3:])
        else:
            out.append(tok)
    return out


def normalize(tokens: Sequence[str]) -> list[str]:
    """Lowercase tokens; in a sentence with "n't", contractions are mapped ("ca" -> "can")."""
    low = [t.lower() for t in tokens]
    if "n't" in low or "n\u2019t" in low:
        low = [_NORM.get(x, x) for x in low]
    return low


def stem(word: str) -> str:
    """A crude suffix stripper that groups inflections ("suggests" -> "suggest").

    Example:
        >>> stem("speculated"), stem("believes"), stem("possibly")
        ('speculat', 'believ', 'possib')
    """
    for suf in ("ingly", "edly", "ation", "ions", "ion", "ness", "ing", "ies", "ied",
                "ed", "es", "ly", "le", "s", "e"):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


_stem = lru_cache(maxsize=4096)(stem)


def _shape(tok: str) -> str:
    sh = _SHAPES.get(tok)
    if sh is not None:
        return sh
    sh = _shape1(tok)
    if len(_SHAPES) < 50_000:
        _SHAPES[tok] = sh
    return sh


_SHAPES: dict[str, str] = {}  # memo of _shape


def _shape1(tok: str) -> str:
    c = tok[0]
    if c.isdigit():
        return "NUM"
    if not c.isalpha():
        return "P" + tok if tok in ",;:()\"'?!." else "SYM"
    if tok.isupper() and len(tok) > 1:
        return "ALLCAP"
    if c.isupper():
        return "CAP"
    return "low"


def _static_features(w: str, st: str) -> list[str]:
    f = ["b", "w=" + w, "st=" + st]
    if w in HAND_LEXICON:
        f.append("hand")
    return f


def _flags(low: Sequence[str], i: int, question: bool, conditional: bool, cond_after: bool) -> list[str]:
    """The sentence-level flags of candidate ``i`` (negation, question, "if" before or
    after, a reporting verb before, "have" after)."""
    flags = []
    if not (_NEGATIONS.isdisjoint(low[max(0, i - 3):i]) and _NEGATIONS.isdisjoint(low[i + 1:i + 3])):
        flags.append("neg")
    if question:
        flags.append("q")
    if conditional:
        flags.append("cond")
    if cond_after:
        flags.append("conda")  # "would strike ... unless", "would be surprised if"
    if not _ATTRIBUTION.isdisjoint(low[max(0, i - 8):i]):
        flags.append("rep")
    if "have" in low[i + 1:i + 3]:
        flags.append("have")
    return flags


_FLAGS = ("neg", "q", "cond", "conda", "rep", "have")


def _groups(w: str, st: str) -> tuple[str, ...]:
    """The groups a cue word shares its context weights with, so that rare words
    borrow strength from their kin: the modals together, the inflections of one
    stem ("expects", "expected"), and one word class (-ly adverbs, -ed forms ...)."""
    if w in _MODALS:
        return ("MOD",)
    if st != w:
        return ("S" + st, "C" + _wclass(w))
    return ("C" + _wclass(w),)


def _bags(low: Sequence[str], i: int) -> tuple[set[str], set[str]]:
    """The words further away: before the previous word (up to eight tokens back) and
    after the next one ("Under the plan, holders would ...", "said ... would")."""
    before = {x for x in low[max(0, i - 8):max(0, i - 1)] if x[:1].isalpha()}
    after = {x for x in low[i + 2:i + 6] if x[:1].isalpha()}
    return before, after


def _context_features(
    toks: Sequence[str], low: Sequence[str], i: int, st: str, question: bool, conditional: bool,
    cond_after: bool = False,
) -> list[str]:
    """The context features of candidate ``i``; see :func:`candidate_features`.

    Inference sums the same weights without spelling the features out
    (:func:`_context_score`); a test checks that the two agree.
    """
    w = low[i]
    n = len(low)
    p1 = low[i - 1] if i > 0 else "<s>"
    n1 = low[i + 1] if i + 1 < n else "</s>"
    c1 = _wclass(n1)
    pc = _wclass(p1)
    c2 = _wclass(low[i + 2]) if i + 2 < n else ""
    f = [
        f"p1={w}|{p1}",
        f"n1={w}|{n1}",
        f"ps={w}|{_shape(toks[i - 1]) if i > 0 else '<s>'}",
        f"ns={w}|{_shape(toks[i + 1]) if i + 1 < n else '</s>'}",
        "nn1=" + n1,
        "pp1=" + p1,
        # Word classes of the neighbours ("would" + BE, "could" + -ed, DET +
        # "expected"): a cheap stand-in for part-of-speech tags.
        f"nc={w}|{c1}",
        f"pc={w}|{pc}",
    ]
    if c2:
        f.append(f"nc2={w}|{c1}|{c2}")
    if st != w:
        f += [f"sn1={st}|{n1}", f"sp1={st}|{p1}"]
    if i == 0:
        f.append("first=" + w)
    elif toks[i][:1].isupper():
        f.append("cap=" + w)
    flags = _flags(low, i, question, conditional, cond_after)
    f += [x + "=" + w for x in flags]
    before, after = _bags(low, i)
    f += ["bw=" + w + "|" + x for x in before]
    f += ["aw=" + w + "|" + x for x in after]
    for g in _groups(w, st):
        f += [f"g:{g}|n1={n1}", f"g:{g}|nc={c1}", f"g:{g}|pc={pc}"]
        if c2:
            f.append(f"g:{g}|nc2={c1}|{c2}")
        f += ["g:" + g + "|" + x for x in flags]
        f += ["bw=" + g + "|" + x for x in before]
        f += ["aw=" + g + "|" + x for x in after]
    return f


def _context_score(
    t: dict, toks: Sequence[str], low: Sequence[str], i: int, question: bool, conditional: bool, cond_after: bool
) -> float:
    """The logit of candidate ``i`` from its word's table (:meth:`HedgeModel.table`):
    the weights of :func:`candidate_features` summed without building them (the
    flags and bags of :func:`_flags` and :func:`_bags` inlined, for speed)."""
    n = len(low)
    if i:
        p1 = low[i - 1]
        z = t["ps"].get(_shape(toks[i - 1]), 0.0)
        if toks[i][:1].isupper():
            z += t["cap"]
    else:
        p1 = "<s>"
        z = t["ps"].get("<s>", 0.0) + t["first"]
    if i + 1 < n:
        n1 = low[i + 1]
        z += t["ns"].get(_shape(toks[i + 1]), 0.0)
    else:
        n1 = "</s>"
        z += t["ns"].get("</s>", 0.0)
    c1 = _CLASS.get(n1) or _wclass(n1)
    z += t["b"] + t["p1"].get(p1, 0.0) + t["n1"].get(n1, 0.0) + t["nc"].get(c1, 0.0)
    z += t["pp1"].get(p1, 0.0) + t["nn1"].get(n1, 0.0)
    z += t["pc"].get(_CLASS.get(p1) or _wclass(p1), 0.0)
    if i + 2 < n:
        n2 = low[i + 2]
        z += t["nc2"].get(c1 + "|" + (_CLASS.get(n2) or _wclass(n2)), 0.0)
    fl = t["flag"]
    if not (_NEGATIONS.isdisjoint(low[max(0, i - 3):i]) and _NEGATIONS.isdisjoint(low[i + 1:i + 3])):
        z += fl["neg"]
    if question:
        z += fl["q"]
    if conditional:
        z += fl["cond"]
    if cond_after:
        z += fl["conda"]
    if not _ATTRIBUTION.isdisjoint(low[max(0, i - 8):i]):
        z += fl["rep"]
    if "have" in low[i + 1:i + 3]:
        z += fl["have"]
    # The bags: the tables hold words only, so other tokens add nothing.
    if i > 1:
        bw = t["bw"]
        if bw:
            words = set(low[max(0, i - 8):i - 1])
            for d in bw:
                z += sum(map(d.get, words, _ZEROS))
    if i + 2 < n:
        aw = t["aw"]
        if aw:
            words = set(low[i + 2:i + 6])
            for d in aw:
                z += sum(map(d.get, words, _ZEROS))
    return z


_MODALS = frozenset("may might could would should can will must shall".split())
# Feature templates keyed by a word, stem or group ("n1=would|be"), for HedgeModel._index.
_KEYED = frozenset("p1= n1= sn1= sp1= ps= ns= nc= pc= nc2= bw= aw=".split())


_DET = frozenset("the a an its his her their our your my this that these those any all some".split())
_PRON = frozenset("i we you they he she it".split())
_BE = frozenset("be is are was were been being am".split())
_KEEP = frozenset("to that if whether of for in on by with".split())
_CLASS: dict[str, str] = {}  # memo of _wclass


def _wclass(x: str) -> str:
    """A coarse word class: BE, HAVE, NEG, DET, PRON, a few function words as
    themselves, PUNCT, NUM, or the suffix (-ing, -ed, -ly, -ion, -s), else W."""
    c = _CLASS.get(x)
    if c is not None:
        return c
    if x in _BE:
        c = "BE"
    elif x in ("have", "has", "had"):
        c = "HAVE"
    elif x in _NEGATIONS:
        c = "NEG"
    elif x in _DET:
        c = "DET"
    elif x in _PRON:
        c = "PRON"
    elif x in _KEEP:
        c = x
    elif not x[:1].isalpha():
        c = "NUM" if x[:1].isdigit() else "PUNCT"
    else:
        c = "W"
        for suf in ("ing", "ed", "ly", "ion", "s"):
            if x.endswith(suf) and len(x) > len(suf) + 2:
                c = suf
                break
    if len(_CLASS) < 50_000:
        _CLASS[x] = c
    return c


def candidate_features(
    toks: Sequence[str], low: Sequence[str], i: int, *, question: bool = False, conditional: bool = False,
    cond_after: bool = False,
) -> list[str]:
    """Feature strings for the candidate cue at token ``i``.

    Args:
        toks: the tokens around the candidate as written (a window of its sentence,
            see :func:`candidates`).
        low: the same tokens normalised (lowercase, "ca" -> "can").
        i: the candidate's index in ``toks``.
        question: the sentence has a question mark after the candidate.
        conditional: "if" or "unless" occurs before the candidate in the sentence.

    Returns:
        Feature names; the classifier sums their weights. Training
        (``bench/train_hedges.py``) and evaluation use them as they are; inference
        sums the same weights through :meth:`HedgeModel.table` and
        :func:`_context_score` (a test checks that the two agree). The word-only
        features (bias, word, stem, hand lexicon) come first, then the context ones.
    """
    w = low[i]
    st = stem(w)
    return _static_features(w, st) + _context_features(toks, low, i, st, question, conditional, cond_after)
