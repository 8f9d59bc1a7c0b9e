"""Cues in a sentence: candidates from the lexicon, scored by the model, then the
context rules (the month "May", factual "could", the modal perfect, weasels...)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from ..segment import merge_spans
from .features import (
    _NORM, _NT, _TOKEN, _TOKEN_ASCII, _WORDS, _context_features, _context_score, _split_nt, _stem,
    candidate_features,
)
from .lexicon import (
    _AFTER_CHARS, _ATTRIBUTION, _BEFORE_CHARS, _CONDITIONAL_RX, _MONTH_PREV, _PERCEPTION, _PHRASE_WORDS, _PHRASES,
    _PHRASES_LC, _WEASEL_ANY, _WEASELS, _WEASELS_LC, _trie,
)
from .model import HedgeModel, default_model



# --------------------------------------------------------------------------- rules


def _rule_veto(toks: Sequence[str], low: Sequence[str], i: int) -> bool:
    """True when a context rule says candidate ``i`` is not a hedge."""
    w = low[i]
    n = len(low)
    n1 = low[i + 1] if i + 1 < n else ""
    p1 = low[i - 1] if i > 0 else ""
    if w in _ATTRIBUTION:
        return True
    if w == "may" and toks[i] == "May":
        # The month: "in May", "May 5", "5 May", "May 2024", or mid-sentence capital.
        if i > 0 or n1[:1].isdigit() or p1[:1].isdigit() or p1 in _MONTH_PREV:
            return True
        if i + 1 < n and toks[i + 1][:1].isupper():
            return True  # "May Day", "May Ball"
    if w == "could":
        # Factual past ability/inability: "could see", "could not find", "couldn't".
        j = i + 1
        while j < n and low[j] in ("only", "just", "clearly", "still", "even", "easily"):
            j += 1
        nxt = low[j] if j < n else ""
        if nxt in _PERCEPTION:
            return True
        if nxt in ("not", "n't", "never", "hardly", "scarcely", "barely"):
            after = low[j + 1] if j + 1 < n else ""
            if after != "be":  # "could not be ruled out" stays a judgement
                return True
    if w == "doubt" and p1 in ("no", "without", "beyond", "little"):
        return True
    if w == "possible" and (
        p1 in _SUPERLATIVE or (p1.endswith("est") and len(p1) > 4) or (p1 == "as" and i > 2 and low[i - 3] == "as")
    ):
        return True  # "the fastest possible", "as soon as possible": degree, not doubt
    return False


_SUPERLATIVE = frozenset("most least best worst utmost".split())


_MODAL_PERFECT = frozenset({"could", "might", "may"})
_HEARSAY_ADVERBS = frozenset({"reportedly", "allegedly", "supposedly", "purportedly"})
_ADVERBS = frozenset({"well", "also", "easily", "only", "just", "even", "already", "still"})


def _rule_force(low: Sequence[str], i: int) -> bool:
    """True when a context rule says candidate ``i`` is a hedge whatever the model says.

    The modal perfect ("might have reiterated", "could have also been addressed") is
    speculation about the past; the hearsay adverbs ("reportedly", "allegedly") mark a
    claim as unverified by definition (the corpus marks "reportedly" only half the time).
    """
    if low[i] in _HEARSAY_ADVERBS:
        return True
    if low[i] not in _MODAL_PERFECT:
        return False
    j = i + 1
    n = len(low)
    while j < n and low[j] in _ADVERBS:
        j += 1
    return j + 1 < n and low[j] == "have" and low[j + 1] not in ("to", "a", "an", "the", "no", "not")


@lru_cache(maxsize=8)
def candidate_regex(lexicon: frozenset[str], flags: int = 0) -> re.Pattern[str]:
    """Matches the lexicon words in lowercased text (a word, or the "could" of "couldn't").

    ``flags``: ``re.ASCII`` for ASCII text (same matches, faster), ``re.IGNORECASE``
    for text that could not be lowercased in place.
    """
    return re.compile(r"\b(?:" + _trie(sorted(lexicon)) + r")(?:\b|(?=n['\u2019]t\b))", flags)


def candidates(
    text: str, lexicon: frozenset[str], *, lowered: str | None = None, full: bool = True,
    model: HedgeModel | None = None,
) -> list[tuple[int, int, list[str] | None, bool]]:
    """Every candidate cue of one sentence, with its features.

    A candidate is a lexicon word standing as a whole token; its features come
    from a window of tokens around it (up to eight before, five after) plus two
    sentence-level flags. Shared by inference and training
    (``bench/train_hedges.py``), so the two cannot drift.

    Args:
        text: one sentence.
        lexicon: the candidate words.
        lowered: ``text.lower()``, if the caller has it.
        full: all features (training); False leaves out the word-only ones
            (:attr:`HedgeModel.static_scores` holds their sum per word).
        model: score with this model (inference): the third element of each
            candidate is then its logit, summed from the model's per-word tables
            without building the features.

    Returns:
        ``[(start, end, features, forced), ...]`` with offsets into ``text``:
        ``features`` (the logit, with ``model``) is None when a context rule vetoes
        the candidate; ``forced`` is True when a rule makes it a cue.
    """
    if lowered is None:
        lowered = text.lower()
    ascii_only = text.isascii()
    tokens = _TOKEN_ASCII if ascii_only else _TOKEN
    if ascii_only:
        found = candidate_regex(lexicon, re.ASCII).finditer(lowered)
    elif len(lowered) == len(text):
        found = candidate_regex(lexicon).finditer(lowered)
    else:  # lowercasing changed the length (rare letters): match the text itself
        lowered = text
        found = candidate_regex(lexicon, re.IGNORECASE).finditer(text)
    out: list[tuple[int, int, list[str] | None, bool]] = []
    cond_at = -2
    n = len(text)
    has_nt = "n't" in lowered or "n\u2019t" in lowered
    for m in found:
        s, e = m.span()
        if s > 1 and text[s - 1] in "-'\u2019" and text[s - 2].isalpha():
            continue  # inside "well-known" or "o'may"
        if e + 1 < n and text[e] in "-'\u2019" and text[e + 1].isalpha() and lowered[e : e + 3] not in _NT:
            continue
        # Up to eight tokens before and five after, within a character window; a
        # word cut by a window edge is dropped. Only the two windows are tokenised.
        head = max(s - _BEFORE_CHARS, 0)
        before = tokens.findall(text, head, s)
        if head > 0 and before and text[head - 1].isalnum() and text[head].isalnum():
            del before[0]
        del before[:-8]
        tail = e + _AFTER_CHARS
        after = tokens.findall(text, e, tail)
        if tail < n and after and text[tail - 1].isalnum() and text[tail].isalnum():
            del after[-1]
        del after[5:]
        i = len(before)
        toks = [*before, text[s:e], *after]
        low = [t.lower() for t in toks]
        if has_nt and any(t.endswith(_NT) for t in low):  # contractions: "didn't" -> "did" + "n't"
            before = _split_nt(before)
            i = len(before)
            toks = [*before, text[s:e], *_split_nt(after)]
            low = [_NORM.get(x, x) for x in (t.lower() for t in toks)]
        if _rule_veto(toks, low, i):
            out.append((s, e, None, False))
            continue
        if _rule_force(low, i):
            out.append((s, e, [], True))
            continue
        if cond_at == -2:
            conds = [c.start() for c in _CONDITIONAL_RX.finditer(lowered if lowered is not text else text.lower())]
            cond_at = conds[0] if conds else n
            cond_last = conds[-1] if conds else -1
        question = text.find("?", e) >= 0
        if model is not None:
            feats = _context_score(model.table(low[i]), toks, low, i, question, cond_at < s, cond_last > s)
        elif full:
            feats = candidate_features(toks, low, i, question=question, conditional=cond_at < s,
                                       cond_after=cond_last > s)
        else:
            feats = _context_features(toks, low, i, _stem(low[i]), question, cond_at < s, cond_last > s)
        out.append((s, e, feats, False))
    return out


# --------------------------------------------------------------------------- API


def find_cues(text: str, model: HedgeModel | None = None, *, weasels: bool = True) -> list[tuple[int, int]]:
    """Hedge cues of one sentence, as ``[(start, end), ...]`` offsets into ``text``.

    Args:
        text: one sentence.
        model: the classifier; the shipped one by default.
        weasels: also mark weasel attributions ("some experts argue", "it is said").

    Returns:
        Sorted, non-overlapping cue spans; empty when the sentence is reported as fact.

    Example:
        >>> [("The deal " + "may fail.")[s:e] for s, e in find_cues("The deal may fail.")]
        ['may']
    """
    return _cues(text, model or default_model(), weasels)


def _cues(text: str, model: HedgeModel, weasels: bool, lowered: str | None = None) -> list[tuple[int, int]]:
    lexicon = model.lexicon
    if lowered is None:
        lowered = text.lower()
    if text.isascii():
        # The trigger words present (a set of a few words; none in most sentences).
        words = set(model.trigger_regex.findall(lowered))
        if not words:
            return []
    else:
        words = _WORDS.findall(lowered)
        if model.triggers.isdisjoint(words):
            return []
    spans: list[tuple[int, int]] = []
    if not model.prefilter.isdisjoint(words):
        margin = model.margin
        for s, e, z, forced in candidates(text, lexicon, lowered=lowered, model=model):
            if forced or (z is not None and z > margin):
                spans.append((s, e))
    same = len(lowered) == len(text)  # lowercasing kept the offsets
    if weasels and not _WEASEL_ANY.isdisjoint(words):
        # Each pattern needs one of its ``also`` words (all of them triggers); the
        # ``need`` words only spare a regex run where the word list is at hand.
        wset = set(words)
        for need, also, rx in _WEASELS_LC if same else _WEASELS:
            if not also.isdisjoint(wset) and (isinstance(words, set) or not need.isdisjoint(wset)):
                spans.extend(m.span() for m in rx.finditer(lowered if same else text))
    if not spans:
        return spans
    if same and _PHRASE_WORDS.isdisjoint([lowered[s:e] for s, e in spans]):
        return merge_spans(spans)  # no cue a phrase could widen
    phrases = list((_PHRASES_LC if same else _PHRASES).finditer(lowered if same else text))
    if phrases:
        widened = []
        phrases = [m.span() for m in phrases]
        for s, e in spans:
            for ps, pe in phrases:
                if ps <= s and e <= pe:
                    s, e = ps, pe
                    break
            widened.append((s, e))
        spans = widened
    return merge_spans(spans)


def is_hedged(text: str, model: HedgeModel | None = None, *, weasels: bool = True) -> bool:
    """True when the sentence is speculation rather than reported fact.

    Example:
        >>> is_hedged("Blinken probably raised the issue."), is_hedged("Blinken raised it.")
        (True, False)
    """
    return bool(find_cues(text, model, weasels=weasels))
