"""Hedge detection: which sentences are reported as fact, and which are speculation.

Sentence-level uncertainty detection in the sense of the CoNLL-2010 shared task:

* epistemic and doxastic hedges ("may", "probably", "is believed to", "seems");
* conditionals that make a claim speculative ("if", "unless", "whether");
* weasel attributions ("some experts argue", "it is said", "many believe").

Attribution alone is *not* a hedge: "..., say political consultants" reports what
was said, and reporting verbs (say, tell, according to) are never cues.

How it works, in three layers, all pure Python:

1. **Candidates.** Every word of a learned cue lexicon is a candidate cue: the words
   people marked as cues in the training data (at least once, and in at least 15% of
   their occurrences, counted per corpus so that a word that is a cue in news but rare
   among the five times more Wikipedia sentences still counts), plus a short hand list.
2. **Classifier.** A logistic regression scores each candidate from its word, stem and
   context: the neighbouring words and their shapes, the word classes of the
   neighbours (a cheap stand-in for part-of-speech tags: "would" + BE, "could" + an
   ``-ed`` form, a determiner before "expected"), negation nearby, a reporting verb
   before it, "if" earlier or later in the sentence, a question mark, capitalisation,
   and bags of the words further away ("Under the plan, holders would ..."). The
   context features are also keyed by the cue's groups (the modals together, the
   inflections of one stem, one word class), so that rare cue words borrow strength
   from their kin. The model is trained on Wikipedia and news together with
   feature-augmentation domain adaptation towards news (see
   ``bench/train_hedges.py``). Its weights ship in ``hedge_model.json`` next to this
   module (about 220 KB, loaded lazily, plain Python at run time: no numpy). A
   sentence is hedged when one candidate scores above the model's threshold, or a
   rule below fires.
3. **Context rules** that the data is too small to learn reliably: "May" the month,
   "no doubt", factual past ability ("could see", "could not"), "possible" as a
   degree ("the fastest possible", "as soon as possible"), the modal perfect ("might
   have reiterated"), hearsay adverbs ("reportedly"), attribution verbs, and weasel
   attributions ("some analysts argue", "it is said").

Speed: a sentence is first checked with one compiled regex of every word that can
start a cue; only the few sentences with a hit are tokenised around their candidates
and scored. Scoring does not build the feature strings: each cue word's weights
(its own, its stem's, its groups') are folded once into per-slot lookup tables
(:meth:`HedgeModel.table`), and :func:`_context_score` adds up a dozen lookups; a
test checks it against the spelled-out features used in training.

Rebuild the weights with::

    python bench/train_hedges.py            # writes src/osce_brief/hedge_model.json

and measure them with ``python bench/eval_hedges.py`` (cross-validated F1: the
lexicon and the weights are learned from the training folds only; the threshold is a
fixed parameter, or tuned by an inner cross-validation on the training folds with
``--param inner=3``). Both read
the Szeged Uncertainty Corpus files in ``../shared/eval/hedge/``; training is pure
Python, takes seconds and is deterministic.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import repeat
from pathlib import Path
from typing import Iterable, Sequence

from .segment import merge_spans
from .model import Document

MODEL_PATH = Path(__file__).with_name("hedge_model.json")
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

#: Hedging vocabulary from general knowledge: always candidates, and they share a
#: prior feature (``hand``) so that words rare or absent in the training data count.
HAND_LEXICON = frozenset(
    """
    may might could would perhaps maybe possibly probably likely unlikely presumably
    apparently allegedly reportedly supposedly seemingly arguably conceivably purportedly
    ostensibly doubtless putatively possible probable plausible plausibly potential
    potentially seem seems seemed seeming appear appears appeared suggest suggests
    suggested suggesting suggestion speculate speculates speculated speculation
    speculative rumor rumors rumored rumour rumours rumoured alleged allege alleges
    alleging allegation allegations believe believes believed believing belief think
    thinks thought suspect suspects suspected suspicion assume assumed assumes
    assumption presume presumed uncertain uncertainty unclear unknown unconfirmed
    doubt doubts doubtful doubted whether if unless expected expect expects
    estimated guess guessed hypothesis hypothetical hypothesized hypothesised
    predict predicts predicted predicting prediction forecast forecasts foresee foresees
    anticipate anticipates anticipated expecting expectation estimate estimates
    suppose supposed supposes wonder wondered wonders possibility possibilities
    likelihood probability fear fears feared prospect prospects indicate indicates
    indication imply implies implied allegedly tentative tentatively
    """.split()
)

# Reporting verbs: attribution, never a hedge on their own.
_ATTRIBUTION = frozenset(
    """
    say says said saying tell tells told telling according report reports reported
    announce announces announced state states stated add adds added note notes noted
    explain explains explained write writes wrote
    """.split()
)

_PERCEPTION = frozenset(
    """
    see saw hear feel smell taste make sense notice understand remember recall
    recognize recognise distinguish discern
    """.split()
)

_MONTH_PREV = frozenset(
    "in of on since until till by early late mid during last next this from through "
    "before after between and to".split()
)

# Weasel attributions and impersonal hearsay: vague source + opinion verb.
_PEOPLE = (
    r"(?:experts?|analysts?|observers?|critics?|scholars?|historians?|commentators?|"
    r"people|sources|officials|researchers|scientists|economists|pundits|insiders|"
    r"diplomats|politicians|writers|authors|academics|specialists|theorists|"
    r"skeptics|sceptics|supporters|opponents|proponents|advocates|others?)"
)
_OPINION = (
    r"(?:argue[ds]?|believe[ds]?|claim(?:s|ed)?|contend(?:s|ed)?|suggest(?:s|ed)?|say|said|"
    r"think|thought|feel|felt|maintain(?:s|ed)?|assert(?:s|ed)?|speculate[ds]?|"
    r"insist(?:s|ed)?|hold|held|suspect(?:s|ed)?|fear(?:s|ed)?|predict(?:s|ed)?|"
    r"doubt(?:s|ed)?|wonder(?:s|ed)?)"
)
_QUANTIFIERS = frozenset("some many several certain most numerous various few number others".split())
_OPINION_WORDS = frozenset(
    """
    argue argues argued believe believes believed claim claims claimed contend contends
    contended suggest suggests suggested say said think thought feel felt maintain
    maintains maintained assert asserts asserted speculate speculates speculated insist
    insists insisted hold held suspect suspects suspected fear fears feared predict
    predicts predicted doubt doubts doubted wonder wonders wondered
    """.split()
)
_HEARSAY = frozenset(
    "said believed claimed thought rumored rumoured alleged reported feared suspected "
    "speculated suggested argued assumed presumed reputed supposed".split()
)
_WEASEL_VAGUE = re.compile(
    r"\b(?:(?:some|many|several|certain|most|numerous|various|a\s+few|a\s+number\s+of)"
    r"\s+(?:[a-z-]+\s+){0,2}?" + _PEOPLE + r"|others|some|many)"
    r"\s+(?:(?:have|had|has|would|might|may|will)\s+(?:also\s+)?)?(?:also\s+)?" + _OPINION + r"\b",
    re.IGNORECASE,
)
_WEASEL_IT = re.compile(
    r"\bit\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+|often\s+|commonly\s+|generally\s+)?"
    r"(?:said|believed|claimed|thought|rumou?red|alleged|reported|feared|suspected|"
    r"speculated|suggested|argued|assumed|presumed)\b",
    re.IGNORECASE,
)
_WEASEL_TO = re.compile(
    r"\b(?:is|are|was|were)\s+(?:widely\s+|often\s+|commonly\s+|generally\s+)?"
    r"(?:said|rumou?red|reported|alleged|reputed|believed|thought|supposed)\s+to\b",
    re.IGNORECASE,
)
_WEASEL_SEEN = re.compile(
    r"\bremains?\s+to\s+be\s+seen\b|\b(?:is|are|was)\s+yet\s+to\s+be\s+(?:seen|determined)\b",
    re.IGNORECASE,
)
#: (words one of which must occur, other words one of which must occur, pattern):
#: the word checks are set operations, so the patterns run on few sentences.
_WEASELS = (
    (_QUANTIFIERS, _OPINION_WORDS, _WEASEL_VAGUE),
    (frozenset({"it"}), _HEARSAY, _WEASEL_IT),
    (frozenset({"is", "are", "was", "were"}), _HEARSAY, _WEASEL_TO),
    (frozenset({"remain", "remains", "yet"}), frozenset({"seen", "determined"}), _WEASEL_SEEN),
)
_WEASEL_ANY = frozenset().union(*(also for _, also, _ in _WEASELS))


def _lower_case(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern without IGNORECASE, for lowercased text (much faster)."""
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


#: Case-sensitive twins of the patterns above, run on lowercased text.
_WEASELS_LC = tuple((need, also, _lower_case(rx)) for need, also, rx in _WEASELS)

# Phrases a cue widens to when highlighted (the cue token lies inside them).
_PHRASES = re.compile(
    r"\bmight\s+(?:well\s+)?(?:not\s+)?have\b|\bmay\s+(?:well\s+)?(?:not\s+)?have\b"
    r"|\bcould\s+(?:well\s+|also\s+)?have\b|\bwould\s+have\b"
    r"|\bmay\s*,?\s+or\s+may\s+not\b|\bmight\s+or\s+might\s+not\b|\bwhether\s+or\s+not\b"
    r"|\bin\s+all\s+likelihood\b|\b(?:not|no\s+longer)\s+(?:yet\s+)?clear\b"
    r"|\bno\s+(?:solid\s+|conclusive\s+|clear\s+)?(?:evidence|proof)\b|\blittle\s+is\s+known\b",
    re.IGNORECASE,
)
_PHRASES_LC = _lower_case(_PHRASES)
#: Every word of ``_PHRASES``: a sentence whose cues are none of these needs no widening.
_PHRASE_WORDS = frozenset(
    "might may could would well not also have or whether in all likelihood no longer yet clear "
    "solid conclusive evidence proof little is known".split()
)


_CONDITIONAL_RX = re.compile(r"\b(?:if|unless)\b", re.ASCII)  # run on lowercased text
_BEFORE_CHARS = 90  # characters looked at before a candidate (about eight tokens)
_AFTER_CHARS = 50  # and after it (about five tokens)


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


def _trie(words: Iterable[str]) -> str:
    """A regex alternation shaped as a trie, so matching does not try every word."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + ("?" if "" in node else "")

    return emit(root)


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


@dataclass(frozen=True, slots=True)
class HedgedSentence:
    """One sentence with its verdict.

    Attributes:
        text: ``source[start:end]``.
        start: offset into ``Document.source``.
        end: offset after the sentence.
        hedged: True when at least one cue was found.
        cues: absolute ``(start, end)`` offsets of the cue words in the source.
        section_index: the section's number (0 for the lead).
        section_title: the section's heading.
        shown: the sentence as displayed (Markdown markup rendered), or None
            when it is displayed as in the source.
        shown_cues: the cues as offsets into ``shown``.
    """

    text: str
    start: int
    end: int
    hedged: bool
    cues: tuple[tuple[int, int], ...]
    section_index: int
    section_title: str
    shown: str | None = None
    shown_cues: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "hedged": self.hedged,
            "cues": [[s, e] for s, e in self.cues],
            "section": {"index": self.section_index, "title": self.section_title},
            **({"shown": self.shown} if self.shown is not None and self.shown != self.text else {}),
        }


@dataclass(frozen=True, slots=True)
class SectionHedges:
    """The hedge profile of one section."""

    index: int
    title: str
    sentences: int
    hedged: int

    @property
    def ratio(self) -> float:
        """Share of hedged sentences (0.0 for a section without sentences)."""
        return self.hedged / self.sentences if self.sentences else 0.0

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "index": self.index,
            "title": self.title,
            "sentences": self.sentences,
            "hedged": self.hedged,
            "ratio": round(self.ratio, 4),
        }


@dataclass(frozen=True)
class HedgeReport:
    """The result of :func:`analyze`: a per-section profile and every sentence.

    Attributes:
        path: the document's display path.
        sections: the profile, in document order (sections with sentences only).
        sentences: every prose sentence with its verdict, in document order.
    """

    path: str
    sections: tuple[SectionHedges, ...]
    sentences: tuple[HedgedSentence, ...]

    @property
    def total(self) -> int:
        """Number of sentences analysed."""
        return len(self.sentences)

    @property
    def hedged_count(self) -> int:
        """Number of hedged sentences."""
        return sum(1 for s in self.sentences if s.hedged)

    @property
    def ratio(self) -> float:
        """Share of hedged sentences in the whole document."""
        return self.hedged_count / self.total if self.total else 0.0

    def hedged(self) -> list[HedgedSentence]:
        """The speculative sentences."""
        return [s for s in self.sentences if s.hedged]

    def reported(self) -> list[HedgedSentence]:
        """The sentences stated as fact."""
        return [s for s in self.sentences if not s.hedged]

    def to_dict(self) -> dict:
        """JSON-ready form: ``{path, ratio, sentences_total, hedged, sections, sentences}``."""
        return {
            "path": self.path,
            "ratio": round(self.ratio, 4),
            "total": self.total,
            "hedged": self.hedged_count,
            "sections": [s.to_dict() for s in self.sections],
            "sentences": [s.to_dict() for s in self.sentences],
        }


#: Documents at least this long (characters) are analysed in two processes.
PARALLEL_CHARS = 1_000_000


def _verdicts(secs: Sequence, model: HedgeModel, weasels: bool) -> list[list[tuple]]:
    """For each section, ``(start, end, cues)`` of each prose sentence (cues absolute).

    A Markdown sentence is read as displayed: its row is ``(start, end, cues,
    shown, shown_cues)``, the cues mapped back to source offsets.
    """
    out = []
    for sec in secs:
        rows = []
        for sent in sec.sentences:
            a = sent.start
            view = sent.view
            if view is None:
                cues = _cues(sent.text, model, weasels)
                rows.append((a, sent.end, tuple((a + x, a + y) for x, y in cues) if cues else ()))
            else:
                cues = _cues(view.text, model, weasels)
                src_cues = tuple(view.source_span(x, y) for x, y in cues if y > x) if cues else ()
                rows.append((a, sent.end, src_cues, view.text, tuple(cues) if cues else ()))
        out.append(rows)
    return out


def _verdicts_forked(secs: Sequence, model: HedgeModel, weasels: bool) -> list[list[tuple[int, int, tuple]]]:
    """:func:`_verdicts` with the second half of the text (by size) done by a
    second process (:mod:`osce_brief.parallel`)."""
    from .parallel import FAILED, in_child

    sizes = [sec.end - sec.start for sec in secs]
    total, acc, cut = sum(sizes), 0, len(secs)
    for i, size in enumerate(sizes):
        if acc >= total / 2:
            cut = i
            break
        acc += size
    if cut in (0, len(secs)):
        return _verdicts(secs, model, weasels)
    wait = in_child(lambda: _verdicts(secs[cut:], model, weasels))
    try:
        head = _verdicts(secs[:cut], model, weasels)
    finally:
        tail = wait()
    if tail is FAILED:
        tail = _verdicts(secs[cut:], model, weasels)
    return head + tail


def analyze(doc: Document, model: HedgeModel | None = None, *, weasels: bool = True,
            workers: int | None = None) -> HedgeReport:
    """Classify every prose sentence of ``doc`` as hedged or reported.

    Back matter (a licence footer) is skipped; the lead counts only when it holds
    prose sentences.

    Args:
        doc: the loaded document.
        model: the classifier; the shipped one by default.
        weasels: also count weasel attributions as hedges.
        workers: processes to use; default 2 for documents of
            :data:`PARALLEL_CHARS` or more when a second CPU is free.

    Returns:
        A :class:`HedgeReport` whose offsets point into ``doc.source``.

    Example:
        >>> from osce_brief import parse
        >>> r = analyze(parse("Title\\n\\nIt may rain. It rained."))
        >>> [s.hedged for s in r.sentences]
        [True, False]
    """
    model = model or default_model()
    secs = [sec for sec in doc.all_sections() if sec.kind != "back"]
    if workers is None:
        from .parallel import second_cpu

        workers = 2 if len(doc.source) >= PARALLEL_CHARS and second_cpu() else 1
    rows = _verdicts(secs, model, weasels) if workers < 2 else _verdicts_forked(secs, model, weasels)
    out: list[HedgedSentence] = []
    profile: list[SectionHedges] = []
    add = out.append
    empty: tuple = ()
    src = doc.source
    for sec, verdicts in zip(secs, rows):
        n = h = 0
        idx, title = sec.index, sec.title
        for a, b, cues, *shown in verdicts:
            n += 1
            if cues:
                h += 1
                add(HedgedSentence(src[a:b], a, b, True, cues, idx, title, *shown))
            else:
                add(HedgedSentence(src[a:b], a, b, False, empty, idx, title, *shown))
        if n or sec.kind == "section":
            profile.append(SectionHedges(sec.index, sec.title, n, h))
    return HedgeReport(doc.display_path, tuple(profile), tuple(out))


def rollup(report: HedgeReport, doc: Document) -> dict[int, SectionHedges]:
    """Per numbered section, its counts with those of all its subsections added.

    For ``brief outline --hedges``: a book's part heading has no prose of its
    own, so its share is that of its chapters.
    """
    counts = {p.index: [p.sentences, p.hedged] for p in report.sections if p.index > 0}
    for sec in reversed(doc.sections):
        c = counts.setdefault(sec.index, [0, 0])
        if sec.parent is not None and sec.parent > 0:
            pc = counts.setdefault(sec.parent, [0, 0])
            pc[0] += c[0]
            pc[1] += c[1]
    return {sec.index: SectionHedges(sec.index, sec.title, *counts[sec.index]) for sec in doc.sections}


def hedged_predicate(model: HedgeModel | None = None):
    """A ``text -> bool`` predicate that is True for sentences stated as fact.

    The complement of :func:`is_hedged`, bound to one model, for filters such as
    ``filter(hedged_predicate(), sentences)``. (``summarize(reported=...)`` takes
    :func:`is_hedged` itself.)
    """
    model = model or default_model()
    return lambda text: not is_hedged(text, model)
