"""Property tests for search: hits really match, none is missed, offsets hold.

Each property compares the search engine with a plain ``re`` scan of random text.
"""

from __future__ import annotations

import importlib
import os
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osce_brief import parse
from osce_brief.search import stream as SS
from osce_brief.textnorm import fold, fold_str

S = importlib.import_module("osce_brief.search")  # the module: `osce_brief.search` is the API function


SETTINGS = settings(max_examples=int(os.environ.get("BRIEF_PROP_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

ascii_text = st.text(alphabet="abcAB .,\n'-", max_size=120)
ascii_term = st.text(alphabet="abcAB", min_size=1, max_size=4)


def merged(spans):
    return SS.merge_spans(sorted(spans))


@SETTINGS
@given(ascii_text, ascii_term)
def test_exact_case_sensitive_equals_re(text, term):
    q = S.compile_query([term], exact=True, case="sensitive")
    got = S.find_hits(q, text)[0]
    assert got == merged((m.start(), m.end()) for m in re.finditer(re.escape(term), text))


@SETTINGS
@given(ascii_text, ascii_term)
def test_exact_ignore_case_equals_re(text, term):
    q = S.compile_query([term], exact=True, case="insensitive")
    got = S.find_hits(q, text)[0]
    assert got == merged((m.start(), m.end()) for m in re.finditer(re.escape(term), text, re.I))


@SETTINGS
@given(ascii_text, ascii_term)
def test_word_mode_equals_re(text, term):
    q = S.compile_query([term], exact=True, case="insensitive", word=True)
    got = S.find_hits(q, text)[0]
    pat = rf"(?<!\w){re.escape(term)}(?!\w)"
    assert got == merged((m.start(), m.end()) for m in re.finditer(pat, text, re.I))


@SETTINGS
@given(st.text(alphabet="ab a\nb.", max_size=80), st.sampled_from([r"a+", r"b\.", r"a\s+b", r"(?:ab)+", r"a|b"]))
def test_regex_equals_re(text, pattern):
    q = S.compile_query([pattern], regex=True, case="sensitive")
    got = S.find_hits(q, text)[0]
    # hits never run across a blank line
    blank = re.compile(r"\n[^\S\n]*\n")
    want = [m.span() for m in re.finditer(pattern, text) if m.end() > m.start() and not blank.search(m.group())]
    assert got == merged(want)


# Text with accents (precomposed and combining), curly quotes, ligatures and ß:
# each reported hit folds to text that contains the term, and every occurrence of
# the term in the folded text lies inside a reported hit.
fancy_text = st.text(alphabet="aeAE \u00e1\u00e9\u00c1\u0301\u2019'\ufb01s\u00df\n", max_size=100)
fancy_term = st.text(alphabet="aeAE'fis", min_size=1, max_size=3)


@SETTINGS
@given(fancy_text, fancy_term)
def test_folded_hits_really_match_and_none_is_missed(text, term):
    q = S.compile_query([term], exact=True, case="insensitive")
    hits = S.find_hits(q, text)[0]
    f = fold(text)
    want = term.lower()
    for s, e in hits:
        assert 0 <= s < e <= len(text)
        assert want in fold_str(text[s:e]).lower()
    for m in re.finditer(re.escape(want), f.text.lower()):
        s, e = f.to_source(m.start(), m.end())
        assert any(hs <= s and e <= he for hs, he in hits), (m.span(), (s, e), hits)


@SETTINGS
@given(fancy_text)
def test_fold_map_is_monotonic_and_in_bounds(text):
    f = fold(text)
    prev = (0, 0)
    for i in range(len(f.text)):
        s, e = f.to_source(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert s >= prev[0]
        prev = (s, e)
    # folding the source piece that a folded character maps to gives that character back
    for i, ch in enumerate(f.text):
        s, e = f.to_source(i, i + 1)
        assert ch in fold_str(text[s:e]) or unicodedata.combining(text[s])


words = st.sampled_from(["cats", "dogs", "Cats", "sleep", "negotiated", "talks", "arms", "control", "caf\u00e9"])
sentence = st.lists(words, min_size=1, max_size=6).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)


@SETTINGS
@given(
    st.lists(paragraph, min_size=1, max_size=5),
    st.lists(st.sampled_from(["cats", "dogs", "negotiate", "arms control", "cafe"]), min_size=1, max_size=2),
    st.booleans(),
    st.integers(min_value=0, max_value=2),
    st.sampled_from(["sentence", "paragraph"]),
)
def test_passages_offsets_and_coverage(paras, terms, any_term, context, unit):
    text = "Title line\n\n" + "\n\n".join(paras) + "\n"
    doc = parse(text, "p.txt", "text")
    q = S.compile_query(terms, any_term=any_term)
    res = S.search_document(doc, q, unit=unit, context=context)
    hits_by_term = S.find_hits(q, text)
    last_end = -1
    for p in res.passages:
        assert text[p.start : p.end] == p.text
        assert p.start > last_end  # document order, no overlap
        last_end = p.end
        for s, e in p.hits:
            assert p.start <= s < e <= p.end
    # every sentence holding all terms (or one, with any_term) is inside a passage
    if unit == "sentence":
        for _sec, sent in doc.sentences():
            has = [any(sent.start <= s and e <= sent.end for s, e in spans) for spans in hits_by_term]
            if any(has) if any_term else all(has):
                assert any(p.start <= sent.start and sent.end <= p.end for p in res.passages)


stream_words = st.sampled_from(
    ["Napoleon", "napol\u00e9on", "Napo\u00adleon", "army", "arm\u00e9e", "negotiated", "talks", "\u00c3\u00a9",
     "na\u0301poleon", "- item", "\u201cquoted\u201d", "don\u2019t", "don't"]
)
stream_para = st.lists(st.lists(stream_words, min_size=1, max_size=5).map(lambda ws: " ".join(ws) + "."),
                       min_size=1, max_size=4).map(lambda ss: "\n".join(ss))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    st.lists(stream_para, min_size=1, max_size=8),
    st.sampled_from([["napoleon"], ["Napoleon"], ["negotiate"], ["army"], ["don't"], ["napoleon", "army"], ["arm"]]),
    st.integers(min_value=0, max_value=1),
)
def test_stream_count_equals_document_count_random(tmp_path_factory, paras, terms, context):
    text = "Some title\n\n" + "\n\n".join(paras) + "\n"
    path = tmp_path_factory.mktemp("s") / "doc.txt"
    path.write_text(text, encoding="utf-8")
    old = SS._CHUNK
    SS._CHUNK = 64
    try:
        got = SS.count_file(str(path), S.compile_query(terms), context=context, workers=1, raw_text=True)
    finally:
        SS._CHUNK = old
    ref = S.search(terms, [str(path)], context=context, raw_text=True)
    assert got == (ref.total_passages, ref.total_hits)


@SETTINGS
@given(st.text(alphabet="kKsSiIa \u212a\u017f\u0130\u0131\u00df\u01c5\u2126\u03a3\u03c2\u00e9\u0301", max_size=60),
       st.text(alphabet="ksia", min_size=1, max_size=3))
def test_lowercase_scan_equals_ignorecase_on_folded_text(text, term):
    # case-insensitive terms scan lowercased folded text: same hits as IGNORECASE
    q = S.compile_query([term], exact=True, case="insensitive")
    f = fold(text)
    want = merged(f.to_source(*m.span()) for m in re.finditer(re.escape(term), f.text, re.I))
    assert S.find_hits(q, text)[0] == want
