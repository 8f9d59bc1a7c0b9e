"""Hedge cue word lists: the hand lexicon, attribution and perception verbs,
weasel phrases and the characters around a conditional; plus :func:`_trie` for
compiling word lists into one regex."""

from __future__ import annotations

import re
from typing import Iterable


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
