"""Extractive summaries: the article's own sentences, with offsets and sections.

The default method is unsupervised and needs nothing from the network:

1. **Candidates.** Every prose sentence, always whole (only a news dateline
   such as ``London (CNN) --`` that opens a paragraph is trimmed off). Text
   that is not prose is never picked (:func:`junk_reason`: code, separator
   lines, changelog sign-offs, navigation, bare URLs, markup lines, lead-ins
   ending in ":"); boilerplate is set aside while enough other sentences
   remain (bylines, calls to action such as "Click here", questions and asides
   addressed to the reader, authorial signposting such as "let's dive deeper",
   copyright notices and very short sentences).
2. **Centrality.** PACSUM-style directed centrality (Zheng & Lapata 2019) over
   TF-IDF cosine similarity between sentences: a sentence scores when later
   sentences elaborate on it and loses when it merely repeats earlier ones.
3. **Position.** A lead prior ``1 / (1 + i / 4)`` on the sentence's index
   inside its section (news puts the gist first; a headed article has a small
   lead in each section), added at half weight to the centrality rescaled to
   [0, 1].
4. **Redundancy.** Maximal Marginal Relevance picks the sentences one by one,
   penalising similarity to those already picked; a near-duplicate of a picked
   sentence (60% of its content terms shared) comes only when nothing else is left.

Long documents (books) are summarized hierarchically: each section (or block of
at most :data:`BLOCK` sentences) is ranked on its own, its best sentences go
into a pool, and the pool is ranked against the centroid of the whole pool, so
memory and time grow linearly with the length of the text.

Baselines ``lead``, ``textrank`` (Mihalcea & Tarau 2004) and ``lexrank``
(Erkan & Radev 2004, continuous) are implemented here too, for comparison.

Example:
    >>> from osce_brief import load
    >>> s = summarize(load(), n=3)
    >>> [x.section_index for x in s.sentences] == sorted(x.section_index for x in s.sentences)
    True
"""

from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .errors import UsageError
from .model import Document, Section, Sentence

METHODS = ("default", "lead", "textrank", "lexrank")

#: Sentences ranked together at most; longer texts are split (sections first).
BLOCK = 400

# ------------------------------------------------------------------ parameters
# Chosen on the first halves of the development sets and checked on the second
# halves (see bench/eval_summary.py); few knobs, so they transfer.
PACSUM_BETA = 0.0  # edges below min + beta*(max-min) are dropped
PACSUM_BACK = -0.5  # weight of edges to earlier sentences (lambda1)
PACSUM_FWD = 1.0  # weight of edges to later sentences (lambda2)
POSITION_WEIGHT = 0.5  # weight of the lead prior against centrality
POSITION_DECAY = 1.0  # prior = 1 / (1 + i / POSITION_SCALE) ** decay
POSITION_SCALE = 4.0
MMR_LAMBDA = 0.5  # redundancy penalty
MIN_WORDS = 6  # shorter sentences are skipped while others remain

# ------------------------------------------------------------------ text helpers
STOPWORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another any anybody
    anyone anything are aren't around as at be became because become been before being below between both
    but by can can't cannot could couldn't did didn't do does doesn't doing don't done down during each
    either else enough even ever every few for from further get gets getting got had hadn't has hasn't
    have haven't having he he'd he'll he's her here here's hers herself him himself his how how's however
    i i'd i'll i'm i've if in into is isn't it it's its itself just least less let let's like made make
    many may me might more most much must mustn't my myself n't neither never no nor not now of off often
    on once one only or other others otherwise ought our ours ourselves out over own per perhaps quite
    rather really said same say says shall shan't she she'd she'll she's should shouldn't since so some
    such than that that's the their theirs them themselves then there there's these they they'd they'll
    they're they've this those though through thus to too under until up upon us very was wasn't we we'd
    we'll we're we've were weren't what what's whatever when when's where where's whether which while who
    who's whom whose why why's will with within without won't would wouldn't yet you you'd you'll you're
    you've your yours yourself yourselves 's 're 've 'll 'd 'm mr mrs ms
    """.split()
)

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def stem(word: str) -> str:
    """A light English suffix stripper (plurals, -ing, -ed), enough to match
    "talks"/"talked"/"talking"; no dictionary, no dependency."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2]
    return word


_TERM_CACHE: dict[str, str] = {}


def content_terms(text: str) -> list[str]:
    """Lowercased, stemmed content words of ``text`` (stopwords dropped)."""
    cache = _TERM_CACHE
    if len(cache) > 500_000:
        cache.clear()
    out = []
    for w in _TOKEN.findall(text.lower()):
        t = cache.get(w)
        if t is None:
            v = w.replace("\u2019", "'")
            if v.endswith("'s"):
                v = v[:-2]
            t = "" if (v in STOPWORDS or len(v) < 2) else stem(v)
            cache[w] = t
        if t:
            out.append(t)
    return out


# ------------------------------------------------------------------ boilerplate
# A dateline at the start of a sentence: "(CNN)", "London (CNN) --", "( cnn ) --".
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'\-]*(?:[ ,]+[A-Z][\w.'\-]*){0,4}[ ,]*)?"
    r"\(\s*(?P<who>[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,2}|cnn|ap|reuters|afp)\s*\)\s*(?P<dash>--|\u2014|\u2013)?\s*"
)
_BYLINE = re.compile(
    r"^(?:by\s+[.\w][\w.' \-]{0,60}$|by\s*\.|published\s*:|updated\s*:|last updated\b|posted\b.{0,30}\d)",
    re.I,
)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:gmt|est|edt|bst|utc|pst|et)\b", re.I)
_CTA_START = re.compile(
    r"^(?:(?:so|now|well|okay|ok|and|but)\s*,?\s*)*(?:guys\s*,?\s*)?"
    r"(?:click|scroll|read\s+more|watch|follow\s+us|sign\s+up|subscribe|share\s+this|join\s+us|check\s+out|tell\s+us|"
    r"let'?s|let\s+us|don'?t\s+forget|stay\s+tuned|find\s+out\s+more|learn\s+more|download|visit\s+our|contact\s+us|"
    r"see\s+also|video\s*:|photos?\s*:|related\s*:|more\s*:)\b",
    re.I,
)
_CTA_ANY = re.compile(
    r"\b(?:click\s+here|scroll\s+down|sign\s+up\s+(?:for|to)|subscribe\s+to|follow\s+(?:us|him|her|them)\s+on|"
    r"all\s+rights\s+reserved|for\s+more\s+(?:news|information|details|stories)|comments?\s+below|"
    r"share\s+your\s+thoughts|keep\s+the\s+conversation|let\s+us\s+know)\b",
    re.I,
)
_READER = re.compile(r"\b(?:you|your|yours|yourself|guys|folks|y'all|we'll|let's|let\s+us)\b")
_QUOTES = re.compile("[\"\u201c\u201d\u2018\u2019`]|(?:^|\\s)'|'(?:\\s|$)")
_CTA_HINTS = ("click", "scroll", "sign up", "subscribe", "follow", "reserved", "for more", "comment", "share your", "conversation", "let us know")
_READER_HINTS = ("you", "guys", "folks", "y'all", "we'll", "let")
_INTERJECTION = re.compile(r"^(?:well|okay|ok|oh|hey|look|anyway|alright)\s*,", re.I)
_COPYRIGHT = re.compile(r"^(?:copyright\b|\(c\)\s*(?:\d|copyright)|\u00a9)", re.I)
_LABEL = re.compile(r"^(?:[A-Z][A-Z0-9 &'\-]{2,30}|[A-Z][a-z]{2,15}):")  # "PHOTOS:", "Stability:"


def dateline_end(text: str, opens: bool = True) -> int:
    """Length of a leading dateline such as ``London (CNN) --``, or 0.

    Only a dateline that opens a paragraph (``opens``) and that a sentence
    follows counts: after it comes a dash, or a capital letter, or the
    parenthesis names a news agency. "Copyright (C) 2007 ..." and "The
    Technical Steering Committee (TSC) is ..." are whole sentences, never cut.
    """
    if not opens:
        return 0
    m = _DATELINE.match(text)
    if not m or m.end() >= len(text):
        return 0
    inside = m.group("who").strip()
    if sum(ch.isalpha() for ch in inside) < 2:
        return 0  # "(C)", "(R)": a sign, not an agency
    if m.group("dash") or inside.lower() in _AGENCIES:
        return m.end()
    rest = text[m.end() :].lstrip("\"'\u201c\u2018")
    return m.end() if rest[:1].isupper() else 0


_AGENCIES = frozenset("cnn ap afp reuters upi dpa ians pti xinhua".split())

# ------------------------------------------------------------------ not prose
# Text that is not a sentence a summary may quote: code, separators, markup,
# changelog sign-offs, navigation, bare URLs, shouted headings and lead-ins
# that end in a colon (what they introduce is not part of them).
_URL = re.compile(r"\b(?:https?|ftp|file|git|ssh)://|\bwww\.[\w\-]+\.[a-z]", re.I)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}\b", re.I)
_LINK_TARGET = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)|\]\[[^\]\n]*\]|^\s*\[[^\]\n]+\]:\s*\S+", re.M)
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_SEPARATOR_LINE = re.compile(r"^[ \t]*([-=*_~#+.\u2500-\u257f\u2014\u2013])(?:[ \t]*\1){2,}[ \t]*$", re.M)
_MARKUP_LINE = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]|\*{2,}[ \t]|[=+]{2,}|\[ [^\]\n]+ \][ \t]*$|\.\.[ \t]+[\w\-]+::|\|.*\||<(?:[A-Za-z][\w\-]*|/[A-Za-z][\w\-]*|!--)[\s>/]|:[a-z]+:`)",
    re.M,
)
# "... the following conditions are met:\n1." (a lead-in and the marker of what it introduces)
_LEAD_IN = re.compile(r":[ \t]*\n[ \t]*(?:\(?[0-9a-zA-Z]{1,3}[.)]|[-*\u2022+])[ \t]*$")
_WORDISH = re.compile(r"[^\W\d_]{2}")
_ODD_FIRST = frozenset(":=;|&~^<>{}%\\")
_BRACKETED = re.compile(r"^\[[^\[\]]+\][.:]?$")
_BULLET_LINE = re.compile(r"^[ \t]*(?:[-*\u2022+]|\d+[.)])[ \t]+\S", re.M)
_HTML_TAG = re.compile(r"</?[A-Za-z][\w\-]*(?:\s+[\w\-:]+(?:=(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=`][^\s<>]*))?)*\s*/?>")
_SIGNOFF = re.compile(
    r"^[ \t]*--[ \t]+\S[^\n]*<[^<>\s]+@[^<>\s]+>"  # Debian: " -- Name <mail>  date"
    r"|^[ \t]*(?:Signed-off-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by|Co-authored-by|Cc)[ \t]*:"
    r"|^\d{4}-\d{2}-\d{2}[ \t]+\S[^\n]*<[^<>\s]+@[^<>\s]+>"  # GNU ChangeLog: "2023-05-01  Name  <mail>"
    r"|^[a-z0-9][a-z0-9+.\-]+[ \t]+\([^()\s]+\)[ \t]+[\w\-]+(?:[ \t]+[\w\-]+)*;[ \t]*urgency=",  # Debian entry head
    re.M | re.I,
)
_NAVIGATION = re.compile(
    r"^(?:(?:next|previous|prev|up|home|contents|index|top)[ \t]*:"
    r"|(?:back[ \t]+to[ \t]+top|skip[ \t]+to[ \t]+(?:main[ \t]+)?content|jump[ \t]+to|table[ \t]+of[ \t]+contents|edit[ \t]+(?:this[ \t]+page|on[ \t]+github))\b"
    r"|(?:for[ \t\n]+(?:more|further|detailed|additional|full|the[ \t\n]+full)?[ \t\n]*(?:information|details|info|documentation|examples?|help)\b[^.!?\n]{0,40}?,[ \t\n]*)?"
    r"(?:please[ \t\n]+)?(?:see|refer[ \t\n]+to|consult|visit|go[ \t\n]+to|check[ \t\n]+out|read[ \t\n]+more"
    r"|read[ \t\n]+(?:the[ \t\n]+)?(?:file|manual|documentation|docs|guide|section|chapter|faq|page|readme|install)\b)\b)",
    re.I,
)
_PROMPT_LINE = re.compile(r"^[ \t]*(?:[$%#][ \t]+[a-z./~]|>>>[ \t]|#!/|[A-Z]:\\>)", re.M)
_CODE_LINE = re.compile(
    r"^[ \t]*(?:(?:const|let|var)[ \t]+[\w$]+[ \t]*=|(?:def|function|class)[ \t]+\w+[ \t]*[(:{]"
    r"|from[ \t]+[\w.]+[ \t]+import\b|import[ \t]+[\w.{}, *]+(?:[ \t]+from\b|;|$)|#include[ \t]*[<\"]|#define[ \t]+\w"
    r"|(?:public|private|static)[ \t]+[\w<>\[\]]+[ \t]+\w+[ \t]*[(=;])"
    # an option line: "--color[=WHEN]", "-x, --extract", "--jobs N, -j N", "-f <file>", "-anewer reference"
    r"|^[ \t]*-{1,2}[A-Za-z][\w\-]*(?:\[|=|,|[ \t]+(?:[A-Z][A-Z_]*|<[\w\-]+>)(?:[,\s]|$)|(?:[ \t]+[a-z][\w\-]*)?[ \t]*$)"
    # a synopsis: "tar -A [OPTIONS] ARCHIVE", "frobnicate [-v] FILE"
    r"|^[ \t]*[a-z][\w.\-]*(?:[ \t]+(?:-{1,2}[A-Za-z][\w\-=]*|\[[^\]\n]*\]|[A-Z][A-Z_.]*|\.\.\.))+[ \t]*$"
    # a manual reference, an environment variable or a mount option alone on its line:
    # "git-blame(1)", "TAR_ARCHIVE", "uid="
    r"|^[ \t]*(?:[\w.\-]+\(\d\w*\)|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[\w.\-]+=[\w.\-]*)[ \t]*$"
    r"|(?:=>|->|::|&&|\|\||!=|==|\+=|<<|>>)",
    re.M,
)
_PLAIN_TOKEN = re.compile(
    r"[(\"'\u201c\u2018\[]*(?:[^\W_]+(?:['\u2019.\-][^\W_]+)*|[$\u00a3\u20ac]?\d[\d,.:%]*(?:[^\W\d_]{1,3})?)"
    r"[)\"'\u201d\u2019\],.;:!?]*"
    r"|[(),.;:!?\"'\u201c\u201d\u2018\u2019\-\u2013\u2014`]+"  # punctuation on its own (tokenized text)
)
# a character or a shape that no plain word, number or punctuation mark has
_ODD_CHAR = re.compile(r"[{}<>=|\\^~*#@$&/_+%]|::|->")
_ODD_OPTION = re.compile(r"(?:^|[\s\[(])--?[^\W_]")
_ODD_CALL = re.compile(r"\w[(\[]|[)\]]\w")


def _has_odd(t: str) -> bool:
    """True when ``t`` has a character or a shape of code or markup (cheap checks first)."""
    if _ODD_CHAR.search(t):
        return True
    if ("(" in t or "[" in t or ")" in t or "]" in t) and _ODD_CALL.search(t):
        return True
    return "-" in t and (t[:1] == "-" or " -" in t or "[-" in t or "(-" in t or "\n-" in t or "\t-" in t) and (
        _ODD_OPTION.search(t) is not None
    )


# an API parameter or return value with a JSDoc-style type: "offset {integer} ...",
# "Returns: {Promise} ...", "modulusLength: {number} ..."
_SIGNATURE = re.compile(r"[\w.$]+(?:\[[^\]\n]*\])?[ \t]*:?[ \t]*\{[^{}\n]{1,80}\}")
_OPTION_START = re.compile(r"-{1,2}[A-Za-z0-9][\w\-]*[ \t\n]")
_STATEMENT_END = re.compile(r"(?:;|\{|\}|\)\s*\{)\s*$")


def _is_list_run(t: str) -> bool:
    """True for several list items or short lines (versions, names) run together
    into one "sentence": three bullets, or three lines of four words or fewer
    making up most of the lines. Hard-wrapped prose has long lines."""
    if len(_BULLET_LINE.findall(t)) >= 3:
        return True
    lines = [ln for ln in t.splitlines() if ln.strip()]
    short = sum(1 for ln in lines if len(ln.split()) <= 4)
    return short >= 3 and short * 3 >= len(lines) * 2


def junk_reason(text: str, markdown: bool = False, line_start: bool = False) -> str | None:
    """Why ``text`` is not a sentence a summary may quote, or None.

    The reasons: ``signoff`` (a changelog sign-off or entry head),
    ``separator`` (a line of ``----``, ``====``, ``****``), ``markup`` (a
    heading marker, table row or HTML line, or a bare URL), ``navigation``
    ("Next: ...", "See ...", "For details, see ..."), ``code`` (a command, a
    statement, an option line, or mostly tokens that are not words),
    ``heading`` (no lower-case letter: a shouted title) and ``lead-in`` (it
    ends in ":"; what it introduces is not part of it).

    Inline code spans and Markdown link targets are text a reader does not
    see as markup, so they do not count; nor do inline HTML tags when
    ``markdown`` is true (they are rendered, not shown). With ``line_start``
    (the text starts a line of the source), a first line of one word over
    more text is a term or heading run into its body ("upgrade" then
    "upgrade is used to ...", as in a manual page): ``heading``.

    Example:
        >>> junk_reason(" -- Jane Doe <jane@example.org>  Mon, 01 Jan 2024 10:00:00 +0000")
        'signoff'
        >>> junk_reason("The council voted to close the bridge.") is None
        True
    """
    t = text.strip()
    if not t:
        return "markup"
    if t.endswith(":") or (":" in t[-8:] and _LEAD_IN.search(t)):
        return "lead-in"
    if _BRACKETED.match(t) or ("\n" in t and _is_list_run(t)):
        return "markup"  # a bracketed note or heading, or a whole list run together
    if line_start and "\n" in t:
        head = t[: t.index("\n")].strip()
        if head and " " not in head and "\t" not in head and head[-1] not in ".!?,;:\"'\u201d\u2019)":
            return "heading"
    if ("@" in t or "-by" in t or "-By" in t or "urgency=" in t) and _SIGNOFF.search(t):
        return "signoff"
    if _SEPARATOR_LINE.search(t):
        return "separator"
    if _NAVIGATION.match(t):
        return "navigation"
    if not _WORDISH.search(t) or t[0] in _ODD_FIRST:
        return "markup"  # no word at all ("#635612"), or a command character first (": label", "= ...")
    if markdown and "](" in t:
        return "markup"  # displayed Markdown that still reads as a raw link ("[x](y, z)" in code)
    shown = t
    if "](" in shown or "][" in shown or "]:" in shown:
        shown = _LINK_TARGET.sub("]", shown)
    if "`" in shown:
        shown = _CODE_SPAN.sub("code", shown)
    if markdown and "<" in shown:
        shown = _HTML_TAG.sub("", shown)
    # (code and markup lines have a character no plain word has)
    odd = _has_odd(shown)
    if (odd or "[ " in shown) and (_MARKUP_LINE.search(shown) or ("<" in shown and _HTML_TAG.search(shown))):
        return "markup"
    if ("://" in shown or "www." in shown or "@" in shown) and (_URL.search(shown) or _EMAIL.search(shown)):
        return "link"  # (picked only from documents with almost nothing else: see _candidates)
    if shown.upper() == shown and sum(1 for w in shown.split() if sum(map(str.isupper, w)) >= 2) >= 2:
        return "heading"
    if odd:
        if _PROMPT_LINE.search(shown) or _CODE_LINE.search(shown) or _STATEMENT_END.search(shown):
            return "code"
        if "{" in shown and _SIGNATURE.match(shown):
            return "code"  # a parameter and its type: "offset {integer} Number of bytes ..."
        if _OPTION_START.match(shown):
            return "code"  # an option and its description: "-empty File is empty ..."
        tokens = shown.split()
        bad = sum(1 for w in tokens if not _PLAIN_TOKEN.fullmatch(w))
        if bad >= 2 and bad * 3 >= len(tokens):
            return "code"
    elif shown.endswith(";") or ("import" in shown and _CODE_LINE.search(shown)):
        return "code"
    return None


def is_filler(text: str) -> bool:
    """True for boilerplate and rhetorical filler rather than content.

    General rules, not a list of phrases from one article: bylines and
    timestamps, calls to action ("Click here", "Scroll down for video"),
    sentences addressed to the reader (second person or "let's" outside
    quotation marks), questions, labels ("PHOTOS:"), copyright notices and
    sentences of fewer than :data:`MIN_WORDS` words.
    """
    t = text.strip()
    words = t.split()
    if len(words) < MIN_WORDS:
        return True
    low = t.lower()
    if _BYLINE.match(t) or _CTA_START.match(t) or _INTERJECTION.match(t) or _COPYRIGHT.match(t):
        return True
    if ":" in t and (_CLOCK.search(t) or (_LABEL.match(t) and len(words) < 12)):
        return True
    if any(k in low for k in _CTA_HINTS) and _CTA_ANY.search(t):
        return True
    quoted = bool(_QUOTES.search(t))
    if not quoted:
        if t.rstrip("\"')\u201d\u2019 ").endswith("?"):
            return True  # a question put to the reader
        if any(k in low for k in _READER_HINTS) and _READER.search(low):
            return True
    return False


# ------------------------------------------------------------------ results
@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a summary: ``doc.source[start:end] == text``.

    Attributes:
        text: the sentence, exactly as in the source (a leading dateline trimmed).
        start: offset of its first character in ``Document.source``.
        end: offset after its last character.
        section_index: the section it comes from (0 = lead, -1 = back matter).
        section_title: that section's heading ("" for the lead).
        position: its index among the document's sentences.
        score: the method's score (higher = more central), for display.
        shown: the sentence as displayed (Markdown markup rendered), or None
            when it is displayed as in the source.
    """

    text: str
    start: int
    end: int
    section_index: int
    section_title: str
    position: int
    score: float = 0.0
    shown: str | None = None

    def to_dict(self) -> dict:
        """``{text, start, end, section: {index, title}}``, plus ``shown`` when the
        displayed text differs from ``text``."""
        d = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "section": {"index": self.section_index, "title": self.section_title},
        }
        if self.shown is not None and self.shown != self.text:
            d["shown"] = self.shown
        return d


@dataclass(frozen=True)
class Summary:
    """An extractive summary: sentences in document order (``path``: the document's)."""

    method: str
    sentences: tuple[SummarySentence, ...] = ()
    candidates: int = 0
    path: str | None = None

    @property
    def words(self) -> int:
        """Word count of the summary."""
        return sum(len(s.text.split()) for s in self.sentences)

    def to_dict(self) -> dict:
        """``{path, method, sentences: [...]}``: what ``brief summary --json`` prints."""
        return {"path": self.path, "method": self.method, "sentences": [s.to_dict() for s in self.sentences]}


@dataclass(frozen=True)
class SectionGist:
    """The gist of one section for ``--by-section``."""

    index: int
    level: int
    title: str
    sentences: tuple[SummarySentence, ...] = ()

    def to_dict(self) -> dict:
        """``{index, level, title, sentences: [...]}``."""
        return {
            "index": self.index,
            "level": self.level,
            "title": self.title,
            "sentences": [s.to_dict() for s in self.sentences],
        }


@dataclass(frozen=True)
class SectionSummary:
    """One gist per section, in outline order (``path``: the document's)."""

    method: str
    sections: tuple[SectionGist, ...] = field(default_factory=tuple)
    path: str | None = None

    def to_dict(self) -> dict:
        """``{path, method, sections: [...]}``: what ``brief summary --by-section --json`` prints."""
        return {"path": self.path, "method": self.method, "sections": [g.to_dict() for g in self.sections]}


# ------------------------------------------------------------------ candidates
@dataclass(slots=True)
class _Cand:
    sent: Sentence
    section: Section
    pos: int  # index in the document
    start: int
    text: str
    markdown: bool = False
    source: str = ""  # the document's text (to see whether the sentence starts a line)
    links_ok: bool = False  # a sentence holding a URL or mail address may be picked
    _filler: bool | None = None
    _junk: bool | None = None

    @property
    def filler(self) -> bool:
        """:func:`is_filler` of the text, computed on first use."""
        if self._filler is None:
            self._filler = is_filler(self.text)
        return self._filler

    @property
    def line_start(self) -> bool:
        """True when the sentence starts its line (only blanks before it), uncut."""
        if self.start != self.sent.start:
            return False
        src, j = self.source, self.start - 1
        while j >= 0 and src[j] in " \t":
            j -= 1
        return j < 0 or src[j] == "\n"

    @property
    def junk(self) -> bool:
        """True when :func:`junk_reason` finds the text is not prose (never picked)."""
        if self._junk is None:
            why = junk_reason(self.text, self.markdown, self.line_start)
            self._junk = why is not None and not (why == "link" and self.links_ok)
        return self._junk


def _candidates(doc: Document, sections: Sequence[Section] | None) -> list[_Cand]:
    """Every prose sentence of ``sections`` (default: the whole document).

    Back matter (a licence footer) is left out; so is the front matter of a long
    document with numbered sections (a book's licence header and contents).
    """
    if sections is None:
        sections = [sec for sec in doc.all_sections() if sec.kind != "back"]
        numbered = sum(1 for sec in sections if sec.kind == "section" for _ in sec.sentences)
        if numbered > BLOCK:
            sections = [sec for sec in sections if sec.kind != "lead"]
    out: list[_Cand] = []
    pos = 0
    markdown = doc.format == "markdown"
    src = doc.source
    for sec in sections:
        for para in sec.paragraphs:
            opens = True
            for sent in para.sentences:
                view = sent.view  # Markdown: rank and filter the displayed text
                if view is None and not opens:  # (the common case, made cheap)
                    out.append(_Cand(sent, sec, pos, sent.start, sent.text, markdown, src))
                    pos += 1
                    continue
                shown = view.text if view is not None else sent.text
                cut = dateline_end(shown, opens=opens)
                opens = False
                text = shown[cut:] if cut else shown
                start = sent.start + cut if view is None else (view.source_start_of(cut) if cut else sent.start)
                out.append(_Cand(sent, sec, pos, start, text, markdown, src))
                pos += 1
    prose = 0
    for c in out[:2000]:
        prose += not c.junk
        if prose >= 3:
            break
    if prose < 3:
        # Almost nothing but lines with links (a changelog of "Add X by @a in URL"
        # items): those are the document's sentences, so they may be picked.
        for c in out:
            c.links_ok, c._junk = True, None
    return out


# ------------------------------------------------------------------ scoring
def _numpy():
    """Import numpy, single-threaded BLAS if it is not loaded yet.

    The products here are small (one section at a time); threaded BLAS only
    adds start-up and, on a busy machine, makes them several times slower.
    A caller that imported numpy first keeps its own settings.
    """
    if "numpy" not in sys.modules:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
    import numpy

    return numpy


def _tfidf(token_lists: list[list[str]]):
    """Row-normalised TF-IDF matrix (numpy, dense over the block's shared vocabulary).

    Rows have unit norm over all their terms; only the columns of terms found in
    two or more sentences are kept, so ``X @ X.T`` gives the exact cosine
    similarities between different sentences (the diagonal is not used).
    """
    np = _numpy()

    vocab: dict[str, int] = {}
    ids: list[int] = []
    lens: list[int] = []
    for toks in token_lists:
        for t in toks:
            j = vocab.get(t)
            if j is None:
                j = vocab[t] = len(vocab)
            ids.append(j)
        lens.append(len(toks))
    m = len(token_lists)
    V = max(1, len(vocab))
    X = np.zeros((m, V), dtype=np.float32)
    if ids:
        rows = np.repeat(np.arange(m), lens)
        np.add.at(X, (rows, np.asarray(ids)), 1.0)
        nz = X > 0
        X[nz] = 1.0 + np.log(X[nz])
        df = nz.sum(axis=0).astype(np.float32)
        idf = np.log((m + 1.0) / (df + 0.5)).astype(np.float32)
        X *= idf
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        X /= norms
        # Terms in one sentence only add nothing to similarities between
        # sentences: drop them (after normalising) to keep the products small.
        X = X[:, df >= 2] if m > 1 else X
    return X


def _rescale(v):
    np = _numpy()

    v = np.asarray(v, dtype=np.float64)
    if v.size == 0:
        return v
    lo, hi = float(v.min()), float(v.max())
    if hi - lo < 1e-12:
        return np.zeros_like(v)
    return (v - lo) / (hi - lo)


def _pacsum(S, params: dict):
    """Directed, position-aware centrality over similarity matrix ``S``."""
    np = _numpy()

    m = S.shape[0]
    if m <= 1:
        return np.ones(m)
    off = S[~np.eye(m, dtype=bool)]
    lo, hi = float(off.min()), float(off.max())
    E = S - (lo + params["beta"] * (hi - lo))
    E[E < 0] = 0.0
    np.fill_diagonal(E, 0.0)
    fwd = np.triu(E, 1).sum(axis=1)  # edges to later sentences
    back = np.tril(E, -1).sum(axis=1)  # edges to earlier sentences
    return params["fwd"] * fwd + params["back"] * back


def _textrank_scores(token_lists: list[list[str]]):
    """TextRank: word-overlap similarity normalised by log lengths, PageRank."""
    np = _numpy()

    m = len(token_lists)
    sets = [set(t) for t in token_lists]
    W = np.zeros((m, m))
    for i in range(m):
        if len(token_lists[i]) < 2:
            continue
        for j in range(i + 1, m):
            if len(token_lists[j]) < 2:
                continue
            common = len(sets[i] & sets[j])
            if common:
                w = common / (math.log(len(token_lists[i])) + math.log(len(token_lists[j])))
                W[i, j] = W[j, i] = w
    return _pagerank(W)


def _lexrank_scores(X):
    """Continuous LexRank: cosine over TF-IDF, PageRank over the weighted graph."""
    W = X @ X.T
    W[W < 0.1] = 0.0
    np = _numpy()

    np.fill_diagonal(W, 0.0)
    return _pagerank(W)


def _pagerank(W, d: float = 0.85, iters: int = 50):
    np = _numpy()

    m = W.shape[0]
    if m == 0:
        return np.zeros(0)
    out = W.sum(axis=1)
    P = np.where(out[:, None] > 0, W / np.where(out[:, None] > 0, out[:, None], 1), 1.0 / m)
    r = np.full(m, 1.0 / m)
    for _ in range(iters):
        nr = (1 - d) / m + d * (P.T @ r)
        if np.abs(nr - r).sum() < 1e-8:
            r = nr
            break
        r = nr
    return r


_DEFAULT_PARAMS = {
    "beta": PACSUM_BETA,
    "back": PACSUM_BACK,
    "fwd": PACSUM_FWD,
    "pos_w": POSITION_WEIGHT,
    "pos_decay": POSITION_DECAY,
    "pos_h": POSITION_SCALE,
    "mmr": MMR_LAMBDA,
}


def _score_block(method: str, cands: list[_Cand], tokens: list[list[str]], params: dict):
    """Scores for one block of consecutive candidates, plus its TF-IDF matrix."""
    np = _numpy()

    X = _tfidf(tokens)
    m = len(cands)
    if method == "lead":
        return -np.arange(m, dtype=np.float64), X
    if method == "textrank":
        return _textrank_scores(tokens), X
    if method == "lexrank":
        return _lexrank_scores(X), X
    S = X @ X.T
    cent = _rescale(_pacsum(S, params))
    # Position inside the section: a multi-section article has a lead in
    # every section, a flat news story only at the top.
    idx = np.zeros(m)
    for i in range(1, m):
        idx[i] = 0 if cands[i].section is not cands[i - 1].section else idx[i - 1] + 1
    prior = 1.0 / (1.0 + idx / params.get("pos_h", 1.0)) ** params["pos_decay"]
    score = cent + params["pos_w"] * prior
    return score, X


def _mmr(
    order_scores, X, k: int, lam: float, eligible, accept: Callable[[int], bool] | None = None, terms=None
) -> list[int]:
    """Greedy MMR over rows of ``X``; returns chosen row indices.

    ``accept(i)``, when given, is asked lazily about each row MMR would pick
    (so costly checks run on a few rows, not all). With ``terms`` (each row's
    content terms), a row that is a near-duplicate of a chosen one (see
    :func:`_near_duplicate`) is chosen only when nothing else is left.
    """
    np = _numpy()

    s = _rescale(order_scores)
    chosen: list[int] = []
    dups: list[int] = []
    maxsim = np.zeros(len(s))
    avail = np.array(eligible, dtype=bool)
    while len(chosen) < k and avail.any():
        val = np.where(avail, s - lam * maxsim, -np.inf)
        i = int(np.argmax(val))
        avail[i] = False
        if accept is not None and not accept(i):
            continue
        if terms is not None and any(_near_duplicate(terms[i], terms[j]) for j in chosen):
            dups.append(i)
            continue
        chosen.append(i)
        maxsim = np.maximum(maxsim, X @ X[i])
    return chosen + dups[: k - len(chosen)]


#: Two sentences sharing this share of their content terms say the same thing.
DUPLICATE = 0.6


def _near_duplicate(a: list[str], b: list[str]) -> bool:
    """True when the term sets of ``a`` and ``b`` overlap by :data:`DUPLICATE` or more
    (Jaccard): "If --range is given several times, the last value is used." and
    the same sentence about another option."""
    sa, sb = set(a), set(b)
    return bool(sa) and len(sa & sb) >= DUPLICATE * len(sa | sb)


def _blocks(cands: list[_Cand]) -> list[list[int]]:
    """Split candidate indices into blocks: by section, then by at most BLOCK."""
    blocks: list[list[int]] = []
    cur: list[int] = []
    cur_sec = None
    for i, c in enumerate(cands):
        if (c.section is not cur_sec and cur) or len(cur) >= BLOCK:
            blocks.append(cur)
            cur = []
        cur_sec = c.section
        cur.append(i)
    if cur:
        blocks.append(cur)
    # merge tiny neighbouring blocks so each has some context
    merged: list[list[int]] = []
    for b in blocks:
        if merged and len(merged[-1]) < 20 and len(merged[-1]) + len(b) <= BLOCK:
            merged[-1].extend(b)
        else:
            merged.append(b)
    return merged


def _rank(cands: list[_Cand], k: int, method: str, params: dict, words: int | None) -> list[tuple[int, float]]:
    """Choose ``k`` candidates (or up to ``words`` words); returns (index, score)."""
    np = _numpy()

    if not cands:
        return []
    method_filters = method == "default" and params.get("filter", True)
    tokens = [content_terms(c.text) for c in cands]
    want = k if words is None else len(cands)

    if len(cands) <= BLOCK:
        # Text that is not prose is never picked; filler only while enough
        # other sentences remain.
        usable = [not c.junk and bool(tokens[i]) for i, c in enumerate(cands)]
        eligible = [u and not (method_filters and c.filler) for u, c in zip(usable, cands)]
        if sum(eligible) < min(k, sum(usable)):
            eligible = usable
        if not any(eligible):
            return []
        scores, X = _score_block(method, cands, tokens, params)
        if method == "default":
            picked = _mmr(scores, X, want, params["mmr"], eligible, terms=tokens)
        else:
            order = sorted((i for i in range(len(cands)) if eligible[i]), key=lambda i: -scores[i])
            picked = order[:want]
        sc = _rescale(scores)
        return _cut_words([(i, float(sc[i])) for i in picked], cands, k, words)

    # Hierarchical: rank inside each block, pool the best, rank the pool.
    pool: list[int] = []
    pool_score: list[float] = []
    per_block = max(2, min(k, 5))
    for b in _blocks(cands):
        bc = [cands[i] for i in b]
        bt = [tokens[i] for i in b]
        be = [bool(t) for t in bt]
        scores, X = _score_block(method, bc, bt, params)
        if method == "default":
            if method_filters:
                ok = lambda j, bc=bc: not bc[j].filler and not bc[j].junk  # noqa: E731
            else:
                ok = lambda j, bc=bc: not bc[j].junk  # noqa: E731
            picked = _mmr(scores, X, per_block, params["mmr"], be, ok, bt)
        else:
            order = sorted((j for j in range(len(b)) if be[j]), key=lambda j: -scores[j])
            picked = [j for j in order if not bc[j].junk][:per_block]
        sc = _rescale(scores)
        for j in picked:
            pool.append(b[j])
            pool_score.append(float(sc[j]))
    if not pool:
        return []
    pt = [tokens[i] for i in pool]
    X = _tfidf(pt)
    centroid = X.sum(axis=0)
    norm = float(np.linalg.norm(centroid)) or 1.0
    cent = _rescale(X @ (centroid / norm))
    final = cent + np.asarray(pool_score)
    picked = _mmr(final, X, want, params["mmr"], [True] * len(pool), terms=pt)
    fs = _rescale(final)
    return _cut_words([(pool[j], float(fs[j])) for j in picked], cands, k, words)


def _cut_words(picked: list[tuple[int, float]], cands: list[_Cand], k: int, words: int | None):
    if words is None:
        return picked[:k]
    out, total = [], 0
    for i, s in picked:
        w = len(cands[i].text.split())
        if out and total + w > words:
            break
        out.append((i, s))
        total += w
    return out


# ------------------------------------------------------------------ public API
def summary_length(n_candidates: int, n: int | None = 3, ratio: float | None = None) -> int:
    """How many sentences to pick: ``ratio`` of the candidates if given, else ``n``.

    Raises:
        UsageError: ``n`` < 1 or ``ratio`` outside (0, 1].
    """
    if ratio is not None:
        if not 0 < ratio <= 1:
            raise UsageError(f"--ratio must be in (0, 1], not {ratio}", "e.g. --ratio 0.1 for a tenth of the sentences")
        return max(1, round(ratio * n_candidates))
    if n is None:
        n = 3
    if n < 1:
        raise UsageError(f"-n must be at least 1, not {n}", "e.g. -n 3")
    return n


def _default_prefer() -> Callable[[str], bool] | None:
    """"Stated as fact" from ``osce_brief.hedges``, if that module is there."""
    try:
        from .hedges import is_hedged
    except ImportError:
        return None
    return lambda text: not is_hedged(text)


def summarize(
    doc: Document,
    n: int = 3,
    ratio: float | None = None,
    words: int | None = None,
    method: str = "default",
    section: Sequence[Section] | None = None,
    reported: bool | Callable[[str], bool] = False,
    params: dict | None = None,
) -> Summary:
    """Summarize ``doc`` with its own sentences.

    Args:
        doc: the document.
        n: number of sentences (default 3).
        ratio: instead of ``n``, this fraction of the sentences (0 < ratio <= 1).
        words: instead of ``n``, as many top sentences as fit in this many words
            (at least one).
        method: ``default``, ``lead``, ``textrank`` or ``lexrank``.
        section: only summarize these sections (e.g. from
            :func:`osce_brief.select.select_sections`).
        reported: prefer some sentences (the hook behind ``--reported``): a
            predicate ``prefer(sentence_text) -> bool`` that is True for the
            sentences to keep (e.g. stated as fact, not hedged), or ``True`` for
            ``not osce_brief.hedges.is_hedged(text)`` when that module is there.
            Other sentences are left out while enough preferred ones remain.
            ``False`` (default) changes nothing.
        params: override tuning parameters (bench only).

    Returns:
        A :class:`Summary` whose sentences are in document order.

    Raises:
        UsageError: unknown method or bad length.

    Example:
        >>> from osce_brief import parse
        >>> s = summarize(parse("Title\\n\\nThe cat sat on the mat today. The dog barked at the cat all day."), n=1)
        >>> len(s.sentences)
        1
    """
    if method not in METHODS:
        raise UsageError(f"unknown method {method!r}", f"use one of: {', '.join(METHODS)}")
    if words is not None and words < 1:
        raise UsageError(f"--words must be at least 1, not {words}", "e.g. --words 60")
    p = dict(_DEFAULT_PARAMS)
    if params:
        p.update(params)
    cands = _candidates(doc, section)
    k = summary_length(len(cands), n, ratio)
    if reported and cands:
        prefer = reported if callable(reported) else _default_prefer()
        if prefer is not None:
            preferred = [c for c in cands if prefer(c.text)]
            if len(preferred) >= min(k, len(cands)):
                # Rank among reported sentences only (keeping their document positions).
                cands = preferred
    picked = _rank(cands, k, method, p, words)
    picked.sort(key=lambda t: cands[t[0]].pos)
    out = []
    for i, s in picked:
        c = cands[i]
        sec = c.section
        out.append(
            SummarySentence(
                text=c.sent.text[c.start - c.sent.start :],
                start=c.start,
                end=c.sent.end,
                section_index=sec.index,
                section_title=sec.title,
                position=c.pos,
                score=round(s, 4),
                shown=c.text if c.sent.view is not None else None,
            )
        )
    return Summary(method=method, sentences=tuple(out), candidates=len(cands), path=doc.display_path)


def by_section(
    doc: Document,
    n: int = 1,
    method: str = "default",
    sections: Iterable[Section] | None = None,
    reported: bool | Callable[[str], bool] = False,
) -> SectionSummary:
    """One gist (``n`` sentences, default 1) per numbered section.

    Sections without prose of their own (a book's part heading) get no sentence
    but keep their place in the outline.

    Example:
        >>> from osce_brief import load
        >>> len(by_section(load()).sections)
        6
    """
    gists = []
    for sec in sections if sections is not None else doc.sections:
        if any(True for _ in sec.sentences):
            s = summarize(doc, n=n, method=method, section=[sec], reported=reported)
            sents = s.sentences
        else:
            sents = ()
        gists.append(SectionGist(index=sec.index, level=sec.level, title=sec.title, sentences=sents))
    return SectionSummary(method=method, sections=tuple(gists), path=doc.display_path)
