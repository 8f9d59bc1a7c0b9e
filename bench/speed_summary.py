"""Speed of ``brief summary`` on a book (run by hand).

Times the default summary of War and Peace (load + summarize, median of
several runs) with peak memory (tracemalloc for Python allocations, and the
process's max RSS from ``resource``), then compares the default method with
sumy's LexRank on the same 300 KB slice.

    NLTK_DATA=/tmp/nltk_data PYTHONPATH=src python bench/speed_summary.py [--runs 5] [--book PATH] [--no-sumy]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from osce_brief.loaders import load, parse  # noqa: E402
from osce_brief.summarize import summarize  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--book", default=str(HERE.parent.parent / "shared" / "corpus" / "war-and-peace.txt"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--slice", type=int, default=300_000)
    ap.add_argument("--no-sumy", action="store_true", help="skip the (slow, ~90 s a run) sumy comparison")
    a = ap.parse_args()
    book = a.book if Path(a.book).exists() else "/work/shared/corpus/war-and-peace.txt"

    doc = load(book)
    n_sent = sum(1 for _ in doc.sentences())
    t_load, _ = timed(lambda: load(book), a.runs)
    t_sum, s = timed(lambda: summarize(doc, n=3), a.runs)
    t_all, _ = timed(lambda: summarize(load(book), n=3), a.runs)
    tracemalloc.start()
    summarize(load(book), n=3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"War and Peace: {len(doc.source) / 1e6:.1f} MB, {n_sent:,} sentences, {len(doc.sections)} sections")
    print(f"  load (parse)        median {t_load:.2f} s")
    print(f"  summarize (default) median {t_sum:.2f} s")
    print(f"  load + summarize    median {t_all:.2f} s  (target <= 3 s)")
    print(f"  peak traced memory  {peak / 2**20:.0f} MB; max RSS of this process {rss:.0f} MB  (target <= 400 MB)")
    for x in s.sentences:
        print(f"  §{x.section_index} {x.section_title[:30]!r}: {x.text[:90]!r}")

    text = Path(book).read_text(encoding="utf-8")
    cut = text.rfind("\n\n", 0, a.slice)
    piece = text[: cut if cut > 0 else a.slice]
    pdoc = parse(piece, None, "text")
    t_ours, _ = timed(lambda: summarize(parse(piece, None, "text"), n=3), a.runs)
    t_ours_only, _ = timed(lambda: summarize(pdoc, n=3), a.runs)
    if a.no_sumy:
        print(f"300 KB slice: ours parse+summarize {t_ours:.3f} s (summarize only {t_ours_only:.3f} s)")
        return
    try:
        from sumy.nlp.stemmers import Stemmer
        from sumy.nlp.tokenizers import Tokenizer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.utils import get_stop_words

        summ = LexRankSummarizer(Stemmer("english"))
        summ.stop_words = get_stop_words("english")

        def sumy_run():
            return summ(PlaintextParser.from_string(piece, Tokenizer("english")).document, 3)

        t_sumy, _ = timed(sumy_run, max(1, min(a.runs, 3)))
    except Exception as e:  # sumy or punkt missing
        print(f"  sumy unavailable: {e}")
        return
    print(f"300 KB slice ({len(piece):,} chars, {sum(1 for _ in pdoc.sentences()):,} sentences):")
    print(f"  ours parse+summarize {t_ours:.3f} s (summarize only {t_ours_only:.3f} s); sumy LexRank {t_sumy:.2f} s")
    print(f"  ours is {t_sumy / t_ours:.0f}x faster")


if __name__ == "__main__":
    main()
