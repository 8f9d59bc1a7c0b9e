""""Did you mean": words of the documents close to a term that matched nothing."""

from __future__ import annotations

from collections.abc import Iterable

from ..textnorm import fold_str
from .query import _WORDISH, Query



# ---------------------------------------------------------------- suggestions
def suggest(query: Query, texts: Iterable[str], n: int = 3) -> list[str]:
    """Words of ``texts`` close to the query's words that do not occur there.

    Example:
        >>> suggest(compile_query(["blinkin"]), ["Antony Blinken met Lavrov."])
        ['Blinken']
    """
    import difflib
    from collections import Counter

    forms: dict[str, Counter] = {}
    for text in texts:
        for w in _WORDISH.findall(text):
            if len(w) >= 3:
                key = fold_str(w).lower()
                c = forms.get(key)
                if c is None:
                    forms[key] = c = Counter()
                c[w] += 1
    out: list[str] = []
    for t in query.terms:
        for w in fold_str(t.text).split():
            wl = w.lower()
            if not _WORDISH.fullmatch(wl) or wl in forms:
                continue
            for cand in difflib.get_close_matches(wl, forms.keys(), n=n, cutoff=0.75):
                best = forms[cand].most_common(1)[0][0]
                if best not in out:
                    out.append(best)
    return out[:n]
