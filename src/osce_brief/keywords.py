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
   ("Lavrov" after "Sergey Lavrov", or the reverse), that differs from one only
   by inflection, that overlaps one by two words (two pieces of one longer
   name) or whose word three better phrases already hold is skipped.

URLs, mail addresses, paths, file names, bug references, HTML tags and
entities, Markdown link targets, terminal escapes and changelog sign-offs are
cut out of the text first (they count as breaks), so no key phrase is a piece
of markup. The counting runs on numpy arrays of word ids: each distinct
whitespace-delimited token is cut into words once, and phrases are counted by
sorting, so a book takes about a second.

Example:
    >>> from osce_brief import load
    >>> [k.phrase for k in keywords(load(), n=3)]  # doctest: +SKIP
    ['Lavrov', 'Blinken', 'Malta']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import Document
from .summarize import _HTML_TAG, _LINK_TARGET, _SIGNOFF, STOPWORDS, _numpy, stem

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


_BARE_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+")


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
            t = sent.text
            if ("@" in t or "-by" in t or "urgency=" in t) and _SIGNOFF.search(t):
                continue  # a changelog sign-off: names, mail addresses and dates
            if doc.markup is None:
                out.append((t, False))
            else:  # Markdown: the displayed text, without markup or bare URLs
                out.append((_BARE_URL.sub(" ", sent.shown), False))
    return out


# ------------------------------------------------------------------ not words
# URLs, mail addresses, paths, markup and terminal escapes are cut out of the
# text before words are found (they count as breaks), so none of their pieces
# ("https", "www", "href", "0m", "var" of /var/mail) becomes a key phrase.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_]?)")
_SGR = re.compile(r"(?:\^\[)?\[[\d;]*m")
_URL_TOKEN = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://|\bwww\.[\w\-]+\.|\bmailto:|[\w.+\-]@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
_ENTITY = re.compile(r"&(?:#\d+|#x[\da-fA-F]+|[A-Za-z]\w*);")
_PATH = re.compile(r"(?:~|\.{1,2})?/[^/\s]|[^/\s]/[^/\s]*/|/[^/\s]*\.[A-Za-z0-9]{1,5}$")
# The vocabulary of URLs and markup: never a key phrase or part of one ("HTTP"
# and "HTML" in capitals are the protocols and the language, and stay).
_MARKUP_WORDS = frozenset("http https html htm md".split())
_MARKUP_WORDS_ANY_CASE = frozenset("href src nbsp amp quot mailto www".split())
_MARKUP_HINT = ("<", "\x1b", "](", "][", ":")
# a file name ("README.md", "bash.1") and a bug reference ("bgo#123")
_FILE_NAME = re.compile(
    r"[\w\-+]+(?:\.[\w\-+]+)*\.(?:txt|md|rst|html?|xml|json|ya?ml|toml|ini|cfg|conf|c|h|cc|cpp|hpp|py|rb|go|rs|java"
    r"|sh|pl|gz|bz2|xz|tar|zip|deb|rpm|png|jpe?g|gif|svg|pdf|log|in|am|ac|patch|diff)|[\w\-+.]*[A-Za-z]\.[1-9]"
)
_BUG_REF = re.compile(r"[A-Za-z]+#\d+")
# the label of a reference: "Closes: #123", "LP: #123", "See-also: <https://...>"
_REF_LABEL = re.compile(r"(?<![\w\-])[\w\-]+:[ \t]*(?=#\d|<?[A-Za-z][\w+.\-]*://|<[^<>\s]+@)")


def _unmark(text: str) -> str:
    """``text`` with HTML tags, Markdown link targets and terminal escapes turned into breaks."""
    if "\x1b" in text:
        text = _ESCAPE.sub(" | ", text)
    if "<" in text:
        text = _HTML_TAG.sub(" | ", text)
    if "](" in text or "][" in text:
        text = _LINK_TARGET.sub("] | ", text)
    if ":" in text and ("#" in text or "//" in text or "@" in text):
        text = _REF_LABEL.sub(" | ", text)
    return text


def _strip_token(t: str) -> str:
    """What is left of a whitespace-free token for finding words: "" for a
    URL, a mail address, a path, a file name or a bug reference; entities and
    colour codes cut out."""
    if _URL_TOKEN.search(t) or "\\" in t:
        return ""
    core = t.strip("\"'()[]{}<>,.;:!?\u201c\u201d\u2018\u2019`*")
    if "/" in t and _PATH.search(core):
        return ""
    if _FILE_NAME.fullmatch(core) or _BUG_REF.fullmatch(core):
        return ""
    if "&" in t:
        t = _ENTITY.sub("|", t)
    if "[" in t:
        t = _SGR.sub("|", t)
    return t


def _pagerank(seq, pers, window: int, iters: int = 30):
    """Biased PageRank over the co-occurrence graph of ``seq`` (numpy, sparse edges).

    Args:
        seq: word ids (0..V-1) in reading order.
        pers: the bias of each word id (unnormalised, length V).
        window: words closer than this in ``seq`` are linked.
        iters: power iterations.

    Returns:
        The score of each word id (a float array of length V).
    """
    np = _numpy()

    V = len(pers)
    ids = np.asarray(seq, dtype=np.int64)
    keeps = [ids[:-d] != ids[d:] for d in range(1, max(2, window))]
    pers = np.array(pers, dtype=np.float64)
    pers /= pers.sum() or 1.0
    if not sum(int(x.sum()) for x in keeps):
        return pers
    # edges in both directions, window by window: [a->b, b->a] for each distance
    src_a = np.concatenate([x for d, kp in enumerate(keeps, 1) for x in (ids[:-d][kp], ids[d:][kp])])
    dst_a = np.concatenate([x for d, kp in enumerate(keeps, 1) for x in (ids[d:][kp], ids[:-d][kp])])
    del keeps
    outdeg = np.bincount(src_a, minlength=V).astype(np.float64)
    outdeg[outdeg == 0] = 1.0  # (no edge leaves such a word: never read)
    r = pers.copy()
    for _ in range(iters):
        flow = np.bincount(dst_a, weights=(r / outdeg)[src_a], minlength=V)
        r = 0.15 * pers + 0.85 * flow
    return r


#: Characters of text tokenized per batch (bounds the memory held by token strings).
_BATCH_CHARS = 1 << 15

#: Whitespace-delimited tokens that are a break only between two spaces
#: (``_BREAK``'s ``\s--\s``, ``\s-\s`` and ``\s'\s``).
_SPACED_BREAKS = frozenset(("--", "-", "'"))
_ODD_CHARS = re.compile(r"[:/@\\&\[#]|www\.|\.\w")


def _batches(units: list[tuple[str, bool]]):
    """Consecutive slices of ``units`` holding about :data:`_BATCH_CHARS` characters each."""
    start = size = 0
    for i, (t, _) in enumerate(units):
        size += len(t) + 1
        if size >= _BATCH_CHARS:
            yield units[start : i + 1]
            start, size = i + 1, 0
    if start < len(units):
        yield units[start:]


class _Tokens:
    """Every word of the units, as arrays over the distinct spellings.

    Words never span whitespace, so each unit is cut at whitespace (fast, in C)
    and each distinct whitespace-delimited token is cut into words and breaks
    (``_WORD``, ``_BREAK``) once; numpy then lays the words out in reading order.

    Attributes:
        vocab: distinct raw words (``_WORD`` matches), first occurrence first.
        ids: the raw-word id of each word in reading order (numpy int64).
        chunk: the chunk (text between two ``_BREAK`` matches) of each word.
        heading: True for the words of a title or heading.
        at_start: True for a word that starts its chunk (no text before it).
    """

    def __init__(self, units: list[tuple[str, bool]]):
        np = _numpy()
        from itertools import chain
        from operator import itemgetter

        first, second, opening = itemgetter(0), itemgetter(1), itemgetter(slice(0, 1))

        self._vocab: dict[str, int] = {}
        self._types: dict[str, int] = {}
        # per token type: where its words start in the word tables, how many, its
        # breaks, and whether it is a spaced break ("--")
        self._t_cols: tuple[list, list, list, list] = ([], [], [], [])
        # per word of a token type: raw id, chunk inside the token, starts that chunk
        self._w_cols: tuple[list, list, list] = ([], [], [])
        t_arr = [np.zeros(0, dtype=np.int64)] * 3 + [np.zeros(0, dtype=bool)]
        w_arr = [np.zeros(0, dtype=np.int64)] * 2 + [np.zeros(0, dtype=bool)]

        ids, chunk, heading, at_start = [], [], [], []
        n_breaks = 0  # breaks and unit ends so far: chunk ids never repeat
        for batch in _batches(units):
            texts = list(map(first, batch))
            joined = "\n".join(texts)
            if any(h in joined for h in _MARKUP_HINT):
                texts = [_unmark(t) for t in texts]
            del joined
            per_unit = list(map(str.split, texts))
            flat = list(chain.from_iterable(per_unit))
            types = self._types
            self._add_types([t for t in dict.fromkeys(flat) if t not in types])
            t_arr = [np.concatenate((a, np.asarray(c[len(a) :], dtype=a.dtype))) for a, c in zip(t_arr, self._t_cols)]
            w_arr = [np.concatenate((a, np.asarray(c[len(a) :], dtype=a.dtype))) for a, c in zip(w_arr, self._w_cols)]
            t_start, t_len, t_breaks, t_spaced = t_arr
            occ = np.fromiter(map(types.__getitem__, flat), dtype=np.int64, count=len(flat))
            n_tok = np.fromiter(map(len, per_unit), dtype=np.int64, count=len(batch))
            unit = np.repeat(np.arange(len(batch)), n_tok)
            first_tok = np.zeros(len(flat), dtype=bool)
            first_tok[(np.cumsum(n_tok) - n_tok)[n_tok > 0]] = True
            # a unit that opens with a space has none of its tokens at its very start
            lead_space = np.fromiter(map(str.isspace, map(opening, texts)), dtype=bool, count=len(batch))
            opens = first_tok & ~lead_space[unit]
            spaced = t_spaced[occ] & ~opens  # "--" between spaces is a break
            nb = t_breaks[occ] + spaced
            base = np.cumsum(nb) - nb + unit + n_breaks
            n_breaks += int(nb.sum()) + len(batch)
            # the words of each token occurrence, in order
            counts = t_len[occ]
            total = int(counts.sum())
            occ_of = np.repeat(np.arange(len(flat)), counts)
            widx = np.repeat(t_start[occ] - (np.cumsum(counts) - counts), counts) + np.arange(total)
            w_raw, w_chunk, w_first = (a[widx] for a in w_arr)
            # the space after a spaced "--" is taken with it
            after_spaced = np.zeros(len(flat), dtype=bool)
            after_spaced[1:] = spaced[:-1] & ~first_tok[1:]
            ids.append(w_raw)
            chunk.append(base[occ_of] + w_chunk)
            unit_head = np.fromiter(map(second, batch), dtype=bool, count=len(batch))
            heading.append(unit_head[unit[occ_of]])
            starts = w_first & ((w_chunk > 0) | opens[occ_of] | after_spaced[occ_of])
            # ... if only one space follows it: such units (rare) are read word by word
            odd = np.flatnonzero(np.bincount(unit[spaced], minlength=len(batch)))
            if len(odd):
                per_unit_words = np.bincount(unit[occ_of], minlength=len(batch))
                offs = np.cumsum(per_unit_words) - per_unit_words
                for u in odd.tolist():
                    bare = _NON_SPACE.sub(lambda m: _bare(m.group(0)) or "|", texts[u])
                    exact = [m.start() == 0 for c in _BREAK.split(bare) for m in _WORD.finditer(c)]
                    starts[offs[u] : offs[u] + len(exact)] = exact
            at_start.append(starts)
        self.vocab = list(self._vocab)
        cat = lambda parts, dt: np.concatenate(parts) if parts else np.zeros(0, dtype=dt)  # noqa: E731
        self.ids = cat(ids, np.int64)
        self.chunk = cat(chunk, np.int64)
        self.heading = cat(heading, bool)
        self.at_start = cat(at_start, bool)

    def _add_types(self, new: list[str]) -> None:
        """Cut each new whitespace-free token into chunks and words, once."""
        types, vocab = self._types, self._vocab
        t_start, t_len, t_breaks, t_spaced = self._t_cols
        w_raw, w_chunk, w_first = self._w_cols
        for t in new:
            types[t] = len(types)
            t_start.append(len(w_raw))
            if t.isalpha():  # the common case: one word, no break
                r = vocab.get(t)
                if r is None:
                    r = vocab[t] = len(vocab)
                w_raw.append(r)
                w_chunk.append(0)
                w_first.append(True)
                t_len.append(1)
                t_breaks.append(0)
                t_spaced.append(False)
                continue
            bare = _bare(t)
            parts = _BREAK.split(bare) if bare else ["", ""]
            n = 0
            for ci, part in enumerate(parts):
                for j, w in enumerate(_WORD.findall(part)):
                    r = vocab.get(w)
                    if r is None:
                        r = vocab[w] = len(vocab)
                    w_raw.append(r)
                    w_chunk.append(ci)
                    w_first.append(j == 0 and part.startswith(w))
                    n += 1
            t_len.append(n)
            t_breaks.append(len(parts) - 1)
            t_spaced.append(t in _SPACED_BREAKS)


_NON_SPACE = re.compile(r"\S+")


def _bare(t: str) -> str:
    """The whitespace-free token ``t`` as words are found in it (see :func:`_strip_token`)."""
    return _strip_token(t) if _ODD_CHARS.search(t) else t


def _surface(raw: str) -> str:
    """A word as it is shown: trailing periods and quotes and a possessive 's dropped."""
    surf = raw.rstrip(".'\u2019")
    if _INITIALISM.match(surf + "."):
        surf += "."  # "U.S." keeps its last period
    if surf.lower().endswith(("'s", "\u2019s")):
        surf = surf[:-2]
    return surf


class _Words:
    """The candidate words of a text (content words, in reading order).

    Attributes:
        key: the key (stem) id of each candidate word; keys are numbered in
            order of first occurrence and ``keys[i]`` is the stem of id ``i``.
        raw: its raw-word id (an index into ``surfs``).
        pos: its position among all words (1-based).
        run: its run (candidate words between two non-candidates or breaks).
        heading: True when it is in a title or heading.
        named: True when its word is a name (capitalised mid-sentence).
        bad_end: per key, True when a phrase may not start or end with it
            (a verb form in -ed that is not a name).
    """

    def __init__(self, tok: _Tokens, has_case: bool):
        np = _numpy()

        # per distinct spelling: surface form, normal form, content word?
        self.surfs = surfs = [_surface(raw) for raw in tok.vocab]
        norm_of: dict[str, int] = {}
        raw_norm = np.fromiter(
            (norm_of.setdefault(_norm(x), len(norm_of)) for x in surfs), dtype=np.int64, count=len(surfs)
        )
        norms = list(norm_of)
        N = len(norms)
        is_content = np.fromiter(map(_is_content, norms), dtype=bool, count=N)

        # names: words capitalised more often than not in mid-sentence
        proper = np.zeros(N, dtype=bool)
        if has_case:
            alpha0 = np.fromiter((x[:1].isalpha() for x in surfs), dtype=bool, count=len(surfs))
            upper0 = np.fromiter((x[:1].isupper() for x in surfs), dtype=bool, count=len(surfs))
            mid = tok.ids[~tok.heading & ~tok.at_start & alpha0[tok.ids]]
            up = upper0[mid]
            nid = raw_norm[mid]
            proper = np.bincount(nid[up], minlength=N) > np.bincount(nid[~up], minlength=N)
            del mid, up, nid

        # candidate words and their runs (markup words are never candidates)
        raw_ok = is_content[raw_norm]
        for i, x in enumerate(surfs):
            if x in _MARKUP_WORDS or x.lower() in _MARKUP_WORDS_ANY_CASE:
                raw_ok[i] = False
        cpos = np.flatnonzero(raw_ok[tok.ids])
        self.raw = tok.ids[cpos]
        new_run = np.ones(len(cpos), dtype=bool)
        new_run[1:] = (cpos[1:] != cpos[:-1] + 1) | (tok.chunk[cpos[1:]] != tok.chunk[cpos[:-1]])
        self.run = np.cumsum(new_run) - 1
        del new_run
        self.heading = tok.heading[cpos]
        self.pos = cpos + 1
        del cpos
        cnorm = raw_norm[self.raw]
        self.named = proper[cnorm]

        # keys (stems), numbered in order of first occurrence
        stem_of: dict[str, int] = {}
        norm_key = np.fromiter((stem_of.setdefault(stem(w), len(stem_of)) for w in norms), dtype=np.int64, count=N)
        kraw = norm_key[cnorm]
        uniq, first = np.unique(kraw, return_index=True)
        uniq = uniq[np.argsort(first, kind="stable")]
        relabel = np.full(len(stem_of), -1, dtype=np.int64)
        relabel[uniq] = np.arange(len(uniq))
        self.key = relabel[kraw]
        del kraw
        stems = list(stem_of)
        self.keys = [stems[i] for i in uniq.tolist()]
        V = len(uniq)

        verbish = np.zeros(V, dtype=bool)
        for i in np.unique(cnorm).tolist():
            w = norms[i]
            if w.endswith("ed") and len(w) > 3 and not w.endswith("eed") and w not in _ED_NOUNS:
                verbish[relabel[norm_key[i]]] = True
        # stems of names (a name's stem may also be a candidate word's)
        name_keys = relabel[norm_key[proper]]
        proper_key = np.zeros(V, dtype=bool)
        proper_key[name_keys[name_keys >= 0]] = True
        self.bad_end = verbish & ~(proper_key & has_case)


def _word_scores(words: _Words, window: int, name_boost: float):
    """PositionRank: each key's PageRank, biased to early and named words."""
    np = _numpy()

    p = words.pos.astype(np.float64)
    named = words.named
    k = words.key
    # each word adds 1/(1+p), and a name as much again, summed in reading order
    reps = 1 + named.astype(np.int64)
    at = np.cumsum(reps) - reps
    wk = np.empty(int(reps.sum()), dtype=np.int64)
    ww = np.empty(len(wk), dtype=np.float64)
    wk[at], ww[at] = k, 1.0 / (1.0 + p / 1.0)
    wk[at[named] + 1], ww[at[named] + 1] = k[named], name_boost / (1.0 + p[named] / 1.0)
    bias = np.bincount(wk, weights=ww, minlength=len(words.keys))
    del p, reps, at, wk, ww
    return _pagerank(k, bias, window)


def _ngrams(k, run, L, heading, size: int, pair=None):
    """Distinct phrases of ``size`` words and their counts.

    Args:
        k: the key id of each candidate word (reading order).
        run: the run of each candidate word.
        L: the length of each run.
        heading: True for candidate words in a heading.
        size: 1, 2 or 3.
        pair: for size 3, the bigram id starting at each position.

    Returns:
        ``(at, inverse, first, count, body, alone)``: the start positions of
        the phrase's occurrences, the phrase id of each, the first occurrence of
        each phrase, and its counts (all, outside headings, as a whole run or a
        trigram of a longer run).
    """
    np = _numpy()

    m = len(k)
    if m < size:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z, z, z, z
    at = np.flatnonzero(run[: m - size + 1] == run[size - 1 :])
    if size == 1:
        code = k
    elif size == 2:
        code = k[at] * (int(k.max()) + 1) + k[at + 1]
    else:
        code = pair[at] * (int(k.max()) + 1) + k[at + 2]
    _, first, inv, count = np.unique(code, return_index=True, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    P = len(count)
    body = np.bincount(inv[~heading[at]], minlength=P)
    Lr = L[run[at]]
    alone = np.bincount(inv[(Lr == size) | ((Lr > 3) & (size == 3))], minlength=P)
    return at, inv, at[first], count, body, alone


def _phrases(words: _Words, score, frag: float, count_alone: bool, length_exp: float, count_exp: float):
    """Every candidate phrase of 1-3 words with its score, best first.

    Returns:
        ``(order, S, C, W)``: the candidates' order (score, then the phrase's
        keys as strings), their scores, counts and key ids (``W[:, j]`` is the
        j-th word, -1 past the end).
    """
    np = _numpy()

    k, run, head = words.key, words.run, words.heading
    V = len(words.keys)
    L = np.bincount(run)
    n_runs = len(L)
    _a1, _i1, f1, c1, b1, al1 = _ngrams(k, run, L, head, 1)
    a2, inv2, f2, c2, b2, al2 = _ngrams(k, run, L, head, 2)
    pair = np.full(len(k), -1, dtype=np.int64)
    pair[a2] = inv2
    del a2, inv2
    _a3, _i3, f3, c3, b3, al3 = _ngrams(k, run, L, head, 3, pair)
    del _a1, _i1, _a3, _i3
    # a fragment nearly always sits inside the same longer phrase (in a
    # phrase "x x" the word x sits twice)
    par1 = np.zeros(len(c1), dtype=np.int64)
    if len(c2):
        x, y = k[f2], k[f2 + 1]
        val = c2 * np.where(x == y, 2, 1)
        np.maximum.at(par1, x, val)
        np.maximum.at(par1, y, val)
    par2 = np.zeros(len(c2), dtype=np.int64)
    if len(c3):
        x, y = pair[f3], pair[f3 + 1]
        val = c3 * np.where(x == y, 2, 1)
        np.maximum.at(par2, x, val)
        np.maximum.at(par2, y, val)
    par3 = np.zeros(len(c3), dtype=np.int64)

    cols: list[list] = [[], [], []]  # score, count, words
    for size, first, c, b, al, par in zip((1, 2, 3), (f1, f2, f3), (c1, c2, c3), (b1, b2, b3), (al1, al2, al3), (par1, par2, par3)):
        if not len(c):
            continue
        W = np.full((len(c), 3), -1, dtype=np.int64)
        for j in range(size):
            W[:, j] = k[first + j]
        mean = score[W[:, 0]]
        for j in range(1, size):
            mean = mean + score[W[:, j]]
        mean = mean / size
        ok = np.ones(len(c), dtype=bool)
        for i in range(size):
            for j in range(i + 1, size):
                ok &= W[:, i] != W[:, j]  # "new new"
        if n_runs > 3:
            ok &= b > 0  # only in the headline: often a verb phrase
        ok &= ~((par > 0) & (par >= frag * c))
        ok &= ~(words.bad_end[W[:, 0]] | words.bad_end[W[:, size - 1]])
        cc = (al + 1) if count_alone else c
        vals, where = np.unique(cc, return_inverse=True)
        ccp = np.array([int(v) ** count_exp for v in vals.tolist()], dtype=np.float64)[where.reshape(-1)]
        s = mean * (size**length_exp) * ccp
        for col, v in zip(cols, (s, c, W)):
            col.append(v[ok])
    if not cols[0]:
        return None
    S, C, W = (np.concatenate(col) for col in cols)
    # ties: compare the keys as strings, a shorter phrase first ("x" < "x y")
    rank = np.empty(V + 1, dtype=np.int64)
    rank[np.argsort(np.array(words.keys, dtype=object), kind="stable")] = np.arange(V)
    rank[V] = -1
    R = rank[np.where(W >= 0, W, V)]
    order = np.lexsort((R[:, 2], R[:, 1], R[:, 0], -S))
    return order, S, C, W


def _overlaps(p: tuple, q: tuple, least: int) -> bool:
    """True when ``p`` and ``q`` are overlapping pieces of one longer phrase:
    the end of one is the start of the other, ``least`` words or more
    ("Johannes Schauer Marin" and "Schauer Marin Rodrigues")."""
    for L in range(least, min(len(p), len(q))):
        if p[-L:] == q[:L] or q[-L:] == p[:L]:
            return True
    return False


def _pick(
    order, S, C, W, n: int, merge: float, merge_count: float, overlap: int = 2, share: int = 0
) -> list[list]:
    """Take the best phrases in ``order``, without near-duplicates.

    A phrase whose words are all in a chosen one is skipped, and so is one
    that overlaps a chosen one by ``overlap`` words or more (both pieces of one
    longer name); a longer phrase holding chosen ones replaces them in place
    when it scores at least ``merge`` times as much (and occurs at least
    ``merge_count`` times as often, and twice). With ``share``, a phrase is
    skipped when that many chosen phrases already hold one of its words.

    Returns:
        ``[score, phrase key ids, count]`` of each chosen phrase.
    """
    chosen: list[list] = []
    Sl, Cl, Wl = S.tolist(), C.tolist(), W.tolist()
    for i in order.tolist():
        s = Sl[i]
        if len(chosen) >= n and merge and s < merge * min(t[0] for t in chosen):
            break  # nothing further can replace a chosen phrase
        c = Cl[i]
        ph = tuple(w for w in Wl[i] if w >= 0)
        ws = set(ph)
        if any(ws <= set(t[1]) for t in chosen):
            continue
        if overlap and len(ph) > overlap and any(_overlaps(ph, t[1], overlap) for t in chosen):
            continue
        if share and any(sum(1 for t in chosen if w in t[1]) >= share for w in ph):
            continue
        holders = [t for t in chosen if set(t[1]) <= ws]
        if holders:
            if merge and all(s >= merge * t[0] and c >= max(2, merge_count * t[2]) for t in holders):
                first_at = chosen.index(holders[0])
                chosen[first_at] = [holders[0][0], ph, c]
                for t in holders[1:]:
                    chosen.remove(t)
            continue
        if len(chosen) < n:
            chosen.append([s, ph, c])
        elif not merge:
            break
    return chosen[:n]


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
    overlap: int = 2,
    share: int = 3,
) -> list[Keyphrase]:
    """The ``n`` best key phrases of ``doc``, best first.

    The counting is done on numpy arrays of word ids (the text is cut into
    words once, then counted by sorting), so a book takes about a second.

    Args:
        doc: the document.
        n: how many phrases (at least 1).
        window: co-occurrence window (in candidate words) for the word graph.
        name_boost: extra weight for words capitalised mid-sentence.
        length_exp: phrase score grows as (number of words) ** length_exp.
        count_exp: phrase score grows as (occurrences) ** count_exp.
        frag: drop a phrase found inside the same longer phrase this often.
        count_alone: score by how often a phrase stands alone (else by all
            its occurrences).
        merge: a longer phrase holding chosen ones replaces them if it scores at
            least this share of each (0: never).
        merge_count: ... and occurs at least this share as often.
        overlap: skip a phrase that overlaps a chosen one by this many words
            (0: never).
        share: skip a phrase when this many chosen phrases hold one of its
            words (0: never).

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
    tok = _Tokens(units)
    del units
    words = _Words(tok, has_case)
    del tok
    if not len(words.key):
        return []
    score = _word_scores(words, window, name_boost)
    ranked = _phrases(words, score, frag, count_alone, length_exp, count_exp)
    if ranked is None:
        return []
    chosen = _pick(*ranked, n, merge, merge_count, overlap, share)
    best = chosen[0][0] if chosen else 1.0
    return [
        Keyphrase(phrase=_pick_surface(_forms(ph, words)), score=round(s / best, 4), count=c) for s, ph, c in chosen
    ]


def _forms(ph: tuple, words: _Words) -> Counter:
    """How often each spelling of phrase ``ph`` (key ids) occurs."""
    np = _numpy()

    k, run, raw, surfs = words.key, words.run, words.raw, words.surfs
    size = len(ph)
    m = len(k) - size + 1
    hit = run[:m] == run[size - 1 :]
    for i, w in enumerate(ph):
        hit &= k[i : i + m] == w
    at = np.flatnonzero(hit)
    # the same spellings recur: join the words of each distinct sequence once
    seqs = np.stack([raw[at + i] for i in range(size)], axis=1)
    distinct, count = np.unique(seqs, axis=0, return_counts=True)
    forms: Counter = Counter()
    for row, c in zip(distinct.tolist(), count.tolist()):
        forms[" ".join(surfs[r] for r in row)] += c
    return forms


def _pick_surface(forms: Counter) -> str:
    """The most frequent spelling; among ties, prefer a capitalised one."""
    return max(forms.items(), key=lambda kv: (kv[1], kv[0][:1].isupper(), kv[0]))[0]
