"""Byte-level plans of a query: deciding hits in UTF-8 bytes before decoding.

Each term with an ASCII anchor (the text every hit holds once folded) gets a
:class:`_StreamTerm`: its literal, its stem and caches of words and tokens
already decided. :func:`_ascii_hits` decides anchor occurrences with ASCII
neighbours in bytes; a non-ASCII character next to one (or one that could fold
into the anchor, :func:`_fold_into`) leaves a candidate for the text path. Both
the file pre-screen (:mod:`.files`) and streamed counts (:mod:`.stream`) start
from these plans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..record import field, record
from ..textnorm import fold_str
from .query import _WORDISH, Query, _stem_prefix, is_identifier, stem, word_key

_ASCII_BYTES = bytes(range(128))
#: groff's line-end hyphenation in bytes (see :data:`osce_brief.textnorm.SOFT_BREAK`).
_SOFT_BREAK_B = re.compile(rb"\xe2\x80\x90[ \t]*[\r\n]")
#: ASCII bytes that are word characters (``\w``); every non-ASCII byte is 0.
_WORDB = bytes(1 if (chr(b).isalnum() or b == 0x5F) else 0 for b in range(128)) + bytes(128)


@lru_cache(maxsize=65536)
def _fold_into(c: str, anchor: str, insensitive: bool) -> str | None:
    """The fold of the non-ASCII character ``c`` (lowercased for an insensitive
    term) when it can be part of an occurrence of ``anchor`` once folded, else None.

    A character that folds to nothing (an accent, a zero-width one) can sit inside
    any anchor of two or more characters. ``re.IGNORECASE`` also matches K, ſ, İ
    and ı with ASCII letters their fold does not give.
    """
    from ..textnorm import fold_char

    f = fold_char(c)
    if insensitive:
        f = f.lower()
        if c in "\u212a\u017f\u0130\u0131" and not any(ch in anchor for ch in f):
            f = c.lower()
    if (f == "" and len(anchor) > 1) or any(ch in anchor for ch in f):
        return f
    return None


def _trie_regex(words: Iterable[bytes]) -> bytes:
    """A regex (bytes) matching exactly the given byte strings, as a trie."""
    trie: dict = {}
    for w in words:
        node = trie
        for byte in w:
            node = node.setdefault(byte, {})
        node[None] = True

    def build(node: dict) -> bytes:
        end = None in node
        kids = [(k, v) for k, v in node.items() if k is not None]
        if not kids:
            return b""
        leaves = [k for k, v in kids if list(v) == [None]]
        alts = [re.escape(bytes([k])) + build(v) for k, v in kids if list(v) != [None]]
        if leaves:
            alts.append(_byte_class(leaves))
        body = alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"
        return b"(?:" + body + b")?" if end else body

    return build(trie)


def _byte_class(values: Iterable[int]) -> bytes:
    vs = sorted(set(values))
    if len(vs) == 1:
        return re.escape(bytes(vs))
    return b"[" + b"".join(re.escape(bytes([v])) for v in vs) + b"]"


def _cont_trie(items: dict[bytes, set[bytes]]) -> bytes:
    """A regex for continuation-byte sequences, each followed by one of its checks
    (lookarounds); a sequence ends where no continuation byte follows."""
    trie: dict = {}
    for conts, checks in items.items():
        node = trie
        for byte in conts:
            node = node.setdefault(byte, {})
        node.setdefault(None, set()).update(checks)

    def check(checks: set[bytes]) -> bytes:
        if b"" in checks:
            return b""
        cs = sorted(checks)
        return cs[0] if len(cs) == 1 else b"(?:" + b"|".join(cs) + b")"

    def build(node: dict) -> bytes:
        alts = []
        # children that end right away with the same check share a class
        leaves: dict[bytes, list[int]] = {}
        for k in sorted(k for k in node if k is not None):
            child = node[k]
            if list(child) == [None]:
                leaves.setdefault(check(child[None]), []).append(k)
            else:
                alts.append(re.escape(bytes([k])) + build(child))
        for chk, ks in sorted(leaves.items()):
            alts.append(_byte_class(ks) + rb"(?![\x80-\xbf])" + chk)
        if None in node:
            alts.append(rb"(?![\x80-\xbf])" + check(node[None]))
        return alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"

    return build(trie)


@record
class _StreamTerm:
    anchor: bytes  # ASCII anchor every hit contains (folded; lowercase when insensitive)
    insensitive: bool
    rel: dict  # UTF-8 of each non-ASCII character seen that may fold into the anchor -> its fold
    simple: bool  # a one-word literal/stem term that bytes alone can decide
    lit: bytes = b""  # the folded word (lowercase when insensitive)
    stem: str | None = None  # its stem when word forms are on
    word: bool = False  # whole words only
    fast: bool = False  # hits start and end with word characters (sentence punctuation never touches them)
    tokens: dict = field(default_factory=dict)  # token bytes -> holds the anchor once folded
    words: dict = field(default_factory=dict)  # word bytes -> has the term's stem
    seen: dict = field(default_factory=dict)  # non-ASCII character -> may fold into the anchor
    others: list = field(default_factory=list)  # a phrase: ASCII text each later word's matches hold
    pats: dict = field(default_factory=dict)  # present relevant characters -> scan patterns

    def fuzzy(self, nonascii: bytes) -> list[re.Pattern]:
        """Scan patterns for the relevant characters present in ``nonascii`` (the
        chunk's non-ASCII bytes): one per lead byte, so each has a literal prefix.

        Context checks keep most characters from being candidates. Take the last
        non-ASCII character of an occurrence of the anchor in the folded text:
        the anchor goes on after it in ASCII (or it holds the anchor's end), and
        before it stands the previous anchor character, in ASCII or as a present
        character whose fold ends with it (or one that folds to nothing). So a
        character standing for anchor[i] needs such a predecessor when i > 0
        always, and anchor[i+1] in ASCII after it when i < len - 1 always; one
        that folds to nothing needs that between two anchor characters."""
        seen = self.seen
        present = []
        for c in set(nonascii.decode("utf-8", "replace")):
            r = seen.get(c)
            if r is None:
                r = seen[c] = self._relevant(c)
            if r:
                present.append(c.encode())
        present = frozenset(present)
        pats = self.pats.get(present)
        if pats is None:
            pats = self._patterns(present)
            if len(self.pats) < 256:
                self.pats[present] = pats
        return pats

    def _relevant(self, c: str) -> bool:
        """Can ``c`` be part of an occurrence of the anchor? Records its fold in ``rel``."""
        ff = _fold_into(c, self.anchor.decode(), self.insensitive)
        if ff is None:
            return False
        self.rel[c.encode()] = ff
        return True

    def _patterns(self, present: frozenset) -> list[re.Pattern]:
        al = self.anchor.decode()  # lowercase when insensitive, as the folds in rel
        rel = self.rel
        n = len(al)

        def before(xs: Iterable[str], width: int) -> bytes:
            """Lookbehind: one of ``xs`` (ASCII, or a present character whose fold
            ends with it, or folds to nothing), then ``width`` bytes."""
            xs = set(xs)
            tail = rb"[\x80-\xff]" * width
            alts = [b"(?<=[" + _cls(xs) + b"]" + tail + b")"]
            by_len: dict[int, list[bytes]] = {}
            for e in sorted(present):
                f = rel[e]
                if f == "" or f[-1] in xs:
                    by_len.setdefault(len(e), []).append(e)
            for _k, es in sorted(by_len.items()):
                alts.append(b"(?<=" + _trie_regex(es) + tail + b")")
            return alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"

        by_lead: dict[int, dict[bytes, set[bytes]]] = {}
        for e in present:
            ff = rel[e]
            chk = b""
            if ff == "":
                pairs: dict[str, set[str]] = {}
                for i in range(1, n):
                    pairs.setdefault(al[i - 1], set()).add(al[i])
                chk = b"(?:" + b"|".join(before(x, len(e)) + b"(?=[" + _cls(ys) + b"])"
                                         for x, ys in sorted(pairs.items())) + b")"
            elif len(ff) == 1:
                pos = [i for i, ch in enumerate(al) if ch == ff]
                if pos and all(i > 0 for i in pos):
                    chk += before((al[i - 1] for i in pos), len(e))
                if pos and all(i < n - 1 for i in pos):
                    chk += b"(?=[" + _cls(al[i + 1] for i in pos) + b"])"
            by_lead.setdefault(e[0], {}).setdefault(e[1:], set()).add(chk)
        return [re.compile(re.escape(bytes([lead])) + _cont_trie(v)) for lead, v in sorted(by_lead.items())]


def _cls(chars: Iterable[str]) -> bytes:
    return b"".join(re.escape(ch.encode()) for ch in sorted(set(chars)))


def _stream_terms(query: Query) -> list[_StreamTerm] | None:
    """Byte-level plans for each term, or None when a term needs a full scan."""
    out = []
    for t in query.terms:
        if t.regex:
            return None
        words = fold_str(t.text).split()
        if not words or any(not w.isascii() for w in words):
            return None
        insens = not t.case_sensitive
        w0 = words[0]
        if t.stemmed is not None and _WORDISH.fullmatch(w0) and not is_identifier(w0):
            st = stem(w0.lower())
            anchor = w0[: len(_stem_prefix(w0.lower(), st))]
        else:
            anchor = w0
        if insens:
            anchor = anchor.lower()
        a = anchor.encode()
        pl = _StreamTerm(a, insens, {}, False)
        pl.simple = simple = len(words) == 1
        for w in words[1:]:
            if t.stemmed is not None and _WORDISH.fullmatch(w) and not is_identifier(w):
                w = w[: len(_stem_prefix(w.lower(), stem(w.lower())))]
            pl.others.append((w.lower() if insens else w).encode())
        if simple:
            w = words[0].lower() if insens else words[0]
            pl.lit = w.encode()
            pl.word = t.word
            if t.stemmed is not None and _WORDISH.fullmatch(words[0]):
                pl.stem = t.stems[0]
            pl.fast = all(_WORDB[b] for b in pl.lit)  # the anchor, a prefix of the word, too
        out.append(pl)
    return out


_kinds: dict[bytes, int] = {}


def _kind(enc: bytes) -> int:
    """For the UTF-8 of one character: bit 1 = its fold starts with a word
    character, bit 2 = ends with one; -1 when it folds to nothing or is not UTF-8."""
    r = _kinds.get(enc)
    if r is None:
        from ..textnorm import fold_char

        try:
            c = enc.decode("utf-8")
        except UnicodeDecodeError:
            c = ""
        f = fold_char(c) if len(c) == 1 else ""
        if not f:
            r = -1
        else:
            r = (1 if (f[0].isalnum() or f[0] == "_") else 0) | (2 if (f[-1].isalnum() or f[-1] == "_") else 0)
        if len(_kinds) < 65536:
            _kinds[enc] = r
    return r


def _kind_at(buf, i: int) -> int:
    """:func:`_kind` of the character whose UTF-8 starts at ``buf[i]`` (non-ASCII)."""
    b = buf[i]
    n = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
    return _kind(bytes(buf[i : i + n])) if b >= 0xC0 else -1


def _kind_before(buf, i: int) -> int:
    """:func:`_kind` of the character whose UTF-8 ends just before ``buf[i]`` (non-ASCII)."""
    k = i - 1
    while k > 0 and k > i - 4 and 0x80 <= buf[k] < 0xC0:
        k -= 1
    return _kind(bytes(buf[k:i]))


_WORD_LC = re.compile(rb"[a-z0-9_]*")
_WORD_ANY = re.compile(rb"[A-Za-z0-9_]*")


def _anchor_starts(hay, anchor: bytes, limit: int) -> list[int]:
    """Start offsets of every occurrence of ``anchor`` in ``hay[:limit]`` (overlapping ones too)."""
    out = []
    find = hay.find
    p = find(anchor, 0, limit)
    while p >= 0:
        out.append(p)
        p = find(anchor, p + 1, limit)
    return out


def _ascii_hits(pl: _StreamTerm, hay, raw, ti: int, out: list, limit: int, starts: list[int] | None = None,
                fold_case: bool = False) -> None:
    """Append ``(pos, ti, spans)`` for each anchor occurrence before ``limit`` in
    ``hay`` (the lowered chunk when insensitive): ``spans`` are the hits (byte
    spans, maybe none) it makes, or None when the bytes cannot tell (a non-ASCII
    character next to it whose fold matters). ``starts`` may give the
    occurrences (:func:`_anchor_starts`, or the native scanner's); with
    ``fold_case``, ``hay`` is the raw chunk and the words are lowered here."""
    n = len(hay)
    lit, ln, st, anchor = pl.lit, len(pl.lit), pl.stem, pl.anchor
    wordb, words, word_mode = _WORDB, pl.words, pl.word
    wmatch = (_WORD_LC if pl.insensitive and not fold_case else _WORD_ANY).match
    la = len(anchor)
    last_lit = -1  # literal matches do not overlap (re.finditer)
    q = -1  # end of the current ASCII word
    for p in _anchor_starts(hay, anchor, limit) if starts is None else starts:
        if p >= q:
            q = wmatch(hay, p + la).end()
        # Is p a word start? (True / False / None: unknown)
        if p == 0:
            start = True
        else:
            b = hay[p - 1]
            if b < 128:
                start = not wordb[b]
            else:
                k = _kind_before(raw, p)
                start = None if k < 0 else not (k & 2)
        # Does the word end at q? (True / False / None)
        if q < n and hay[q] >= 128:
            k = _kind_at(raw, q)
            endw = None if k < 0 else not (k & 1)
            if p + ln > q:  # the literal could run on through the folded character
                out.append((p, ti, None))
                continue
        else:
            endw = True
        end = -1
        if p >= last_lit and (hay[p : p + ln].lower() == lit if fold_case else hay.startswith(lit, p)):
            if word_mode:
                if start is None or (p + ln == q and endw is None):
                    out.append((p, ti, None))
                    continue
                if start and p + ln == q and endw:
                    end = p + ln
            else:
                end = p + ln
            if end >= 0:
                last_lit = end
        if st is not None and start is not False:
            if start is None or not endw:
                out.append((p, ti, None))
                continue
            w = raw[p:q]  # its own case: an identifier is never stemmed
            ok = words.get(w)
            if ok is None:
                ok = word_key(w.decode("ascii")) == st
                if len(words) < 65536:
                    words[w] = ok
            if ok and q > end:
                end = q
        out.append((p, ti, [(p, end)] if end >= 0 else []))


def _find_hits_generic(pl: _StreamTerm, hay, raw, ti: int, out: list, query: Query, limit: int,
                       starts: list[int] | None = None) -> None:
    """Anchor occurrences of any simple term (the old way): one candidate each."""
    for k in _anchor_starts(hay, pl.anchor, limit) if starts is None else starts:
        sp = _hit_span(hay, raw, (k, ti, 0), query, pl) if pl.simple and not pl.word else False
        out.append((k, ti, None if sp is False else ([sp] if sp else [])))


_ASCII_WORD = re.compile(rb"[A-Za-z0-9_]*")
_TOKEN = re.compile(rb"\S+")
_LAST_WS = re.compile(rb"[\t\r\f\v](?!.*[\t\r\f\v])", re.S)


def _token_has(hay: bytes, p: int, pl: _StreamTerm) -> bool:
    """Does the whitespace-delimited token around byte ``p`` hold the anchor once
    folded? (An anchor has no whitespace, so it never crosses ASCII whitespace.)"""
    a = max(0, p - 256)
    s = max(hay.rfind(b" ", a, p), hay.rfind(b"\n", a, p)) + 1
    m = _LAST_WS.search(hay, s, p)  # rarer whitespace inside
    if m:
        s = m.end()
    e = _TOKEN.match(hay, p, p + 256)
    end = e.end() if e else p
    if (s == 0 and a > 0) or end >= p + 256:
        return True  # a very long token: keep the candidate
    tok = hay[s:end]
    r = pl.tokens.get(tok)
    if r is None:
        f = fold_str(tok.decode("utf-8", "replace"))
        r = pl.anchor.decode() in (f.lower() if pl.insensitive else f)
        if len(pl.tokens) < 65536:
            pl.tokens[tok] = r
    return r


def _hit_span(hay, raw, cand: tuple[int, int, int], query: Query, pl: _StreamTerm):
    """The hit (byte span) an ASCII candidate of a one-word term makes, None if it
    makes none, or False when the bytes alone cannot tell (non-ASCII neighbours)."""
    p, _ti, _k = cand
    q = _ASCII_WORD.match(hay, p).end()
    if q < len(hay) and hay[q] >= 0x80:
        return False
    before = hay[p - 1] if p > 0 else 0x20
    if before >= 0x80:
        return False
    lit = pl.lit
    end = p + len(lit) if hay.startswith(lit, p) else None
    if pl.stem is not None and not (chr(before).isalnum() or before == 0x5F):
        w = raw[p:q].decode("ascii")
        if w and word_key(w) == pl.stem:
            end = q if end is None else max(end, q)
    return None if end is None else (p, end)
