"""Key phrases: what an article is about, in 1-3 word noun-phrase-like phrases.

No model, no tagger, no data download. The method:

1. **Candidates.** Runs of content words between stopwords and punctuation
   (the RAKE idea), with words that are rarely nouns set aside by spelling and
   small word lists (adverbs in -ly, common verbs and their forms, pronouns,
   numbers). Every 1-3 word sub-run is a candidate; a phrase is dropped as a
   *fragment* when it almost never stands on its own ("arms" only inside "arms
   control").
2. **Word scores.** PositionRank (Florescu & Caragea 2017): PageRank over the
   co-occurrence graph of candidate words, biased towards words that occur early
   and often; words capitalised in mid-sentence (names of people, places,
   organisations) get extra weight when the text has case.
3. **Phrase scores.** The mean word score scaled by how often the phrase itself
   occurs; the title and headings count as early text.
4. **No near-duplicates.** A phrase whose words are all in a better phrase
   ("Lavrov" after "Sergey Lavrov", or the reverse) or that differs from one only
   by inflection is skipped.

Example:
    >>> from osce_brief import load
    >>> [k.phrase for k in keywords(load(), n=3)]  # doctest: +SKIP
    ['Lavrov', 'Blinken', 'Malta']
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .model import Document
from .summarize import STOPWORDS, _numpy, stem

# Function words, common verbs, adverbs and vague nouns that do not make key
# phrases on their own (written for this project).
_EXTRA_STOP = frozenset(
    """
    according across add added adding additional affect affected ago ahead allow allowed alone already
    among announce announced another anything appear appeared appears approximately around ask asked asking
    away back bad began begin believe believed best better big bring brought call called calling calls came
    can certain certainly clear clearly come comes coming continue continued continues could day days decide
    decided despite did different do does done due during early earlier else end ended even eventually ever
    every everything example expect expected fact far feel felt find first five found four full gave general
    get give given gives go goes going gone good got great group had half happen happened hard has have held
    help high however important include included includes including instead kept key know known large last
    late later lead least leave left less let like likely little long look looked looking lot made main
    major make makes making many matter may mean means meanwhile might million billion more moreover most
    move much must near nearly need needed never new next nine nothing now number often old once one ones
    only open others part past per place plan planned possible put quickly rather reached read real
    recent recently remain remained remains report reported reports run said saw say saying says second see
    seem seemed seems seen set seven several show showed shown side since six small so some something
    sometimes soon start started still such sure take taken takes taking tell ten than thing things think
    third though thought three through time times today told took top toward towards tried try trying turn
    turned two under unlike until use used uses using usually various very want wanted wants was way ways
    week weeks well went whether while whole wide will within without work worked working would year years
    january february march april june july august september october november december
    yesterday yet monday tuesday wednesday thursday friday saturday sunday am pm etc also just even really
    already almost always among around became become becomes becoming being enough especially expected
    further hence indeed least less likely mostly nevertheless perhaps quite rather simply together unless
    whereas whose via upon onto ie eg vs lot lots kind kinds sort type types thus therefore else elsewhere
    everyone someone anyone nobody somebody everybody something anything nothing everything hundreds
    thousands dozens millions percent per cent mr mrs ms dr beyond along amid amidst behind beside besides
    throughout underneath inside outside versus hit hits win wins won lose loses lost met meet meets spoke speak
    speaks fell falls rose rises kill kills die dies sent send sends pay pays paid hold holds keep keeps bought
    buy buys sold sell sells led leads built builds join joins warn warns urge urges seek seeks sought gets
    became begins gave goes knew means told ran run runs occur occurs sue sues contain contains remove removes
    beat beats seem seems tend tends refuse refuses agree agrees
    """.split()
)
_STOP = STOPWORDS | _EXTRA_STOP

# -ly words that are nouns or names, not adverbs.
_ED_NOUNS = frozenset("hundred sacred naked wicked kindred shed sled red bed fed ted bred".split())
_LY_NOUNS = frozenset("family italy supply july assembly rally ally anomaly monopoly reply fly belly bully holly poly".split())

_WORD = re.compile(r"[^\W\d_][\w'\u2019.\-]*[^\W_]|[^\W\d_]|\d+[a-zA-Z][\w\-]*|[a-zA-Z]+-\d+")
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_BREAK = re.compile(r"[,;:!?()\[\]{}\"\u201c\u201d\u2018\u2014\u2013|/]|\.(?=\s|$)|\s--\s|\s-\s|''|``|\s'\s")


@dataclass(frozen=True, slots=True)
class Keyphrase:
    """One key phrase.

    Attributes:
        phrase: the phrase as it most often appears in the text.
        score: relative importance (the best phrase of a text scores 1.0).
        count: how many times the phrase occurs.
    """

    phrase: str
    score: float
    count: int

    def to_dict(self) -> dict:
        """``{phrase, score, count}``."""
        return {"phrase": self.phrase, "score": self.score, "count": self.count}


@dataclass(frozen=True)
class Keywords:
    """The key phrases of one document, best first: what ``brief keywords --json`` prints."""

    path: str
    keywords: tuple[Keyphrase, ...]

    def to_dict(self) -> dict:
        """``{path, keywords: [{phrase, score, count}, ...]}``."""
        return {"path": self.path, "keywords": [k.to_dict() for k in self.keywords]}


def _norm(word: str) -> str:
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip(".'")


def _is_content(w: str) -> bool:
    """A word that can be part of a noun phrase (spelling rules, no tagger)."""
    if len(w) < 2 or w in _STOP:
        return False
    if w.endswith("ly") and len(w) > 4 and w not in _LY_NOUNS:
        return False
    if not any(ch.isalpha() for ch in w):
        return False
    return True


_STRUCTURAL = re.compile(
    r"^\s*(?:(?:chapter|book|part|volume|section|epilogue|appendix|act|scene)\b[\s\w.:,\-]{0,40}|[ivxlcdm]+\.?|\d+\.?)\s*$",
    re.I,
)


def _units(doc: Document) -> list[tuple[str, bool]]:
    """Text units in reading order: (text, is_heading).

    Structural headings ("CHAPTER XII", "BOOK ONE: 1805") are left out, and so
    is the front matter of a long document (a licence header, a table of contents).
    """
    out: list[tuple[str, bool]] = []
    for t in (doc.title, doc.subtitle):
        if t:
            out.append((t, True))
    long_doc = sum(1 for s in doc.sections for _ in s.sentences) > 400
    for sec in doc.all_sections():
        if sec.kind == "back" or (sec.kind == "lead" and long_doc):
            continue
        if sec.title and not _STRUCTURAL.match(sec.title):
            out.append((sec.title, True))
        for sent in sec.sentences:
            out.append((sent.text, False))
    return out


def _pagerank(seq: list[str], bias: dict[str, float], window: int, iters: int = 30) -> dict[str, float]:
    """Biased PageRank over the co-occurrence graph of ``seq`` (numpy, sparse edges)."""
    np = _numpy()

    keys = list(bias)
    index = {k: i for i, k in enumerate(keys)}
    V = len(keys)
    ids = np.fromiter((index[k] for k in seq), dtype=np.int64, count=len(seq))
    src, dst = [], []
    for d in range(1, max(2, window)):
        a, b = ids[:-d], ids[d:]
        keep = a != b
        src += [a[keep], b[keep]]
        dst += [b[keep], a[keep]]
    pers = np.asarray([bias[k] for k in keys], dtype=np.float64)
    pers /= pers.sum() or 1.0
    if not src or not sum(len(x) for x in src):
        return dict(zip(keys, pers.tolist()))
    src_a = np.concatenate(src)
    dst_a = np.concatenate(dst)
    outdeg = np.bincount(src_a, minlength=V).astype(np.float64)
    r = pers.copy()
    for _ in range(iters):
        flow = np.bincount(dst_a, weights=r[src_a] / outdeg[src_a], minlength=V)
        r = 0.15 * pers + 0.85 * flow
    return dict(zip(keys, r.tolist()))


def keywords(
    doc: Document,
    n: int = 10,
    window: int = 3,
    name_boost: float = 1.0,
    length_exp: float = 0.5,
    count_exp: float = 0.5,
    frag: float = 0.8,
    count_alone: bool = True,
    merge: float = 0.3,
    merge_count: float = 0.0,
) -> list[Keyphrase]:
    """The ``n`` best key phrases of ``doc``, best first.

    Args:
        doc: the document.
        n: how many phrases (at least 1).
        window: co-occurrence window (in candidate words) for the word graph.
        name_boost: extra weight for words capitalised mid-sentence.
        length_exp: phrase score grows as (number of words) ** length_exp.
        count_exp: phrase score grows as (occurrences) ** count_exp.
        frag: drop a phrase found inside the same longer phrase this often.

    Returns:
        A list of :class:`Keyphrase`, best first, without fragments or
        near-duplicates.

    Example:
        >>> from osce_brief import parse
        >>> d = parse("Oil spill\\n\\nThe oil spill hit Alaska. Crews fought the oil spill in Alaska for weeks.")
        >>> [k.phrase for k in keywords(d, n=2)]
        ['oil spill', 'Alaska']
    """
    if n < 1:
        from .errors import UsageError

        raise UsageError(f"-n must be at least 1, not {n}", "e.g. -n 10")
    units = _units(doc)
    has_case = any(ch.isupper() for t, _ in units[:50] for ch in t[:200])

    # --- tokenize into runs of candidate words
    runs: list[tuple[list[tuple[str, str, int]], bool]] = []  # ([(norm, surface, position)], heading)
    cap_mid: dict[str, int] = {}  # (plain dicts: a Counter's missing key is a Python call)
    low_mid: dict[str, int] = {}
    pos = 0
    tokens: dict[str, tuple[str, str, bool]] = {}  # raw token -> (surface, normal form, content word?)
    for text, heading in units:
        for chunk in _BREAK.split(text):
            run: list[tuple[str, str, int]] = []
            for m in _WORD.finditer(chunk):
                raw = m.group(0)
                tok = tokens.get(raw)
                if tok is None:
                    surf = raw.rstrip(".'\u2019")
                    if _INITIALISM.match(surf + "."):
                        surf += "."  # "U.S." keeps its last period
                    if surf.lower().endswith(("'s", "\u2019s")):
                        surf = surf[:-2]
                    w = _norm(surf)
                    tok = tokens[raw] = (surf, w, _is_content(w))
                surf, w, content = tok
                pos += 1
                if not heading and m.start() > 0 and surf[:1].isalpha():
                    if surf[0].isupper():
                        cap_mid[w] = cap_mid.get(w, 0) + 1
                    else:
                        low_mid[w] = low_mid.get(w, 0) + 1
                if content:
                    run.append((w, surf, pos))
                else:
                    if run:
                        runs.append((run, heading))
                    run = []
            if run:
                runs.append((run, heading))
    if not runs:
        return []
    total_pos = max(pos, 1)

    # --- words: graph + position bias
    stems: dict[str, str] = {}

    def key(w: str) -> str:
        k = stems.get(w)
        if k is None:
            k = stems[w] = stem(w)
        return k

    proper = {w for w in cap_mid if has_case and cap_mid[w] > low_mid.get(w, 0)}
    bias: dict[str, float] = defaultdict(float)
    seq: list[str] = []
    verbish = set()
    proper_keys = {key(w) for w in proper}
    for run, _h in runs:
        for w, _s, p in run:
            if w.endswith("ed") and len(w) > 3 and not w.endswith("eed") and w not in _ED_NOUNS:
                verbish.add(key(w))
            k = key(w)
            bias[k] += 1.0 / (1.0 + p / 1.0)
            seq.append(k)
            if w in proper:
                bias[k] += name_boost / (1.0 + p / 1.0)
    score = _pagerank(seq, bias, window)

    # --- phrases
    count: dict[tuple, int] = {}
    body: dict[tuple, int] = {}
    alone: dict[tuple, int] = {}
    surface: dict[tuple, dict[str, int]] = {}  # phrase -> its spellings, counted
    parent: dict[tuple, dict[tuple, int]] = {}  # phrase -> longer phrases holding it, counted
    for run, heading in runs:
        L = len(run)
        keys = [key(w) for w, _, _ in run]
        surfs = [s for _, s, _ in run]
        for size in (1, 2, 3):
            for i in range(0, L - size + 1):
                ph = tuple(keys[i : i + size])
                count[ph] = count.get(ph, 0) + 1
                if not heading:
                    body[ph] = body.get(ph, 0) + 1
                forms = surface.get(ph)
                if forms is None:
                    forms = surface[ph] = {}
                form = " ".join(surfs[i : i + size])
                forms[form] = forms.get(form, 0) + 1
                if size == L or (L > 3 and size == 3):
                    alone[ph] = alone.get(ph, 0) + 1
                if size < 3 and (i > 0 or i + size < L):
                    holders = parent.get(ph)
                    if holders is None:
                        holders = parent[ph] = {}
                    if i > 0:
                        big = tuple(keys[i - 1 : i + size])
                        holders[big] = holders.get(big, 0) + 1
                    if i + size < L:
                        big = tuple(keys[i : i + size + 1])
                        holders[big] = holders.get(big, 0) + 1
    cands = []
    for ph, c in count.items():
        if body.get(ph, 0) == 0 and len(runs) > 3:
            continue  # only in the headline: often a verb phrase
        if len(ph) > 1 and len(set(ph)) < len(ph):
            continue
        holders_of = parent.get(ph)
        if holders_of and max(holders_of.values()) >= frag * c:
            continue  # a fragment: nearly always inside the same longer phrase
        if any(k in verbish and not (has_case and k in proper_keys) for k in (ph[0], ph[-1])):
            continue
        mean = sum(score.get(k, 0.0) for k in ph) / len(ph)
        cc = (alone.get(ph, 0) + 1) if count_alone else c
        s = mean * (len(ph) ** length_exp) * (cc ** count_exp)
        cands.append((s, ph, c))
    cands.sort(key=lambda t: (-t[0], t[1]))

    # --- pick, without near-duplicates: a phrase inside a chosen one is
    # skipped; a longer phrase holding a chosen one replaces it in place.
    chosen: list[list] = []  # [score, phrase key, count, set of the phrase's words]
    for s, ph, c in cands:
        words = set(ph)
        if any(words <= t[3] for t in chosen):
            continue
        holders = [t for t in chosen if t[3] <= words]
        if holders:
            if merge and all(s >= merge * t[0] and c >= max(2, merge_count * t[2]) for t in holders):
                first_at = chosen.index(holders[0])
                chosen[first_at] = [holders[0][0], ph, c, words]
                for t in holders[1:]:
                    chosen.remove(t)
            continue
        if len(chosen) < n:
            chosen.append([s, ph, c, words])
        elif not merge:
            break
    best = chosen[0][0] if chosen else 1.0
    return [
        Keyphrase(phrase=_pick_surface(surface[ph]), score=round(s / best, 4), count=c) for s, ph, c, _w in chosen[:n]
    ]


def _pick_surface(forms: dict[str, int]) -> str:
    """The most frequent spelling; among ties, prefer a capitalised one."""
    return max(forms.items(), key=lambda kv: (kv[1], kv[0][:1].isupper(), kv[0]))[0]
