"""Regression harness for issue #12: every command over real documents, defects counted.

Runs ``outline``, ``show all``, ``search`` (a few terms), ``summary``, ``keywords`` and
``hedges``, each plain (as piped) and with ``--json``, in-process through the Typer
app, over the documents issue #12 names, taken from this machine: licences in
/usr/share/common-licenses, Node's API docs (.md and .html), Rust's releases.md,
pyenv's README/CHANGELOG, IDLE's NEWS.txt, the sed FAQ, dbus and coreutils READMEs,
bc.html, bash NEWS, the libpng manual, and man pages (``man -P cat NAME | col -bx``).
Missing documents are skipped. ``.gz`` documents are decompressed into the work
folder (so that older code can read them too) and, separately, read directly
(the ``gz`` column).

Defect classes (columns), counted per document:

* ``err``: crashes (tracebacks) and non-zero exits (exit 1 of a search with no hit
  is not one);
* ``off``: JSON elements (any object with ``start``, ``end`` and ``text``) whose
  ``text`` is not ``source[start:end]`` of the loaded document;
* ``ref``, ``lnk``, ``tick``: in ``show all``: raw reference links (``[label]``
  for a label the document defines with ``[label]: url``), raw inline links
  (``](url``), and backticks beyond those inside the source's fenced code (Markdown
  and HTML inputs only);
* ``disp``: search passages, summary and hedge sentences whose shown text has raw
  markup (an inline code span, a raw or reference link, ``<a href``, ``\\_``),
  counted only when that markup is really printed (Markdown and HTML inputs);
* ``sum``: summary sentences with markup (as ``disp``) or a cut start: a sentence
  that starts lowercase or with a digit although the text before it in its
  paragraph does not end a sentence ("2007 Free Software...", "is the body...");
* ``kw``: URL or markup fragments among the top-10 key phrases (www, href, nbsp,
  SGR "0m", "://", ".com", brackets, backticks, and http/https/html in lowercase);
* ``empty``: no summary sentence, or no key phrase, for a document that has text;
* ``long``: search passages longer than 2,500 characters (``maxp``: the longest);
* ``ctl``: control characters (C0 except tab/newline, C1, bidi controls) in any output;
* ``gz``: a ``.gz`` original that cannot be read directly or whose outline differs
  from its decompressed copy's;
* ``secs``: headings found (all levels, from ``outline --json``).

Then man pages: heading precision/recall/F1 against the ``.SH``/``.SS`` (``.Sh``/``.Ss``)
lines of the man source (titles compared case- and space-insensitively), and
numbered clauses: licence lines such as "  0. Definitions." or an underlined
"1. Definitions" (a number, a short title, a blank line or underline after it)
against the outline's headings (GPL-3 has 18).

Usage:
    python bench/realdocs.py [--src DIR] [--only SUBSTR] [-j N] [--save FILE] [--compare FILE] [-v]

``--src /work/main/src`` measures another checkout's code with this script (put
first on ``sys.path``); ``--save``/``--compare`` keep and compare the totals. It takes
about a minute on two CPUs.
"""

from __future__ import annotations

import argparse
import bisect
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HOME = Path.home()
NODE_API = "/usr/share/doc/nodejs/api"
NODE_MD = ["fs", "buffer", "child_process", "events", "http", "path", "process", "stream", "url", "util"]
LICENCES = ["GPL-3", "GPL-2", "LGPL-2.1", "LGPL-3", "Apache-2.0", "MPL-2.0", "Artistic", "GFDL-1.3", "CC0-1.0", "BSD"]
MAN_PAGES = ["grep", "bash", "ls", "find", "sed", "tar", "ssh", "curl", "git", "less", "chmod", "newgrp", "cp",
             "ps", "xargs", "gzip", "make", "man", "dpkg", "useradd"]
SEARCH_TERMS = ["file", "version", "license"]


def _first(*patterns: str) -> str | None:
    for pat in patterns:
        hits = sorted(glob.glob(os.path.expanduser(pat)))
        if hits:
            return hits[-1]
    return None


def documents() -> list[tuple[str, str, str]]:
    """``(label, kind, source)``: kind is ``file`` or ``man``; missing files are dropped."""
    out: list[tuple[str, str, str | None]] = []
    out += [(name, "file", f"/usr/share/common-licenses/{name}") for name in LICENCES]
    out += [(f"{m}.md", "file", f"{NODE_API}/{m}.md") for m in NODE_MD]
    out += [(f"{m}.html", "file", f"{NODE_API}/{m}.html") for m in ("fs", "path")]
    out += [("node-GOVERNANCE.md", "file", "/usr/share/doc/nodejs/GOVERNANCE.md")]
    out += [("rust-releases.md", "file", _first("~/.rustup/toolchains/stable-*/share/doc/rust/html/releases.md",
                                                "/root/.rustup/toolchains/*/share/doc/rust/html/releases.md"))]
    out += [(f"pyenv-{n}", "file", _first(f"~/.pyenv/{n}", f"/root/.pyenv/{n}")) for n in ("README.md", "CHANGELOG.md")]
    out += [("idle-NEWS.txt", "file", _first("~/.pyenv/versions/3.1[2-9]*/lib/python3.*/idlelib/NEWS.txt",
                                             "~/.pyenv/versions/*/lib/python3.*/idlelib/NEWS.txt",
                                             "/usr/lib/python3*/idlelib/NEWS.txt"))]
    out += [
        ("sedfaq.txt", "file", "/usr/share/doc/sed/sedfaq.txt.gz"),
        ("dbus-README", "file", "/usr/share/doc/dbus/README.gz"),
        ("bc.html", "file", "/usr/share/doc/bc/bc.html"),
        ("coreutils-README", "file", "/usr/share/doc/coreutils/README.gz"),
        ("bash-NEWS", "file", "/usr/share/doc/bash/NEWS.gz"),
        ("libpng-manual.txt", "file", _first("/usr/share/doc/libpng*/libpng-manual.txt.gz", "/usr/share/doc/libpng*/libpng-manual.txt")),
    ]
    out += [(f"man-{m}.txt", "man", m) for m in MAN_PAGES]
    keep = []
    for label, kind, src in out:
        if kind == "file" and (not src or not os.path.isfile(src)):
            continue
        keep.append((label, kind, src))
    return keep  # type: ignore[return-value]


# ---------------------------------------------------------------- materializing
def materialize(docs, work: Path) -> list[dict]:
    """Write each document as a plain file in ``work``; returns one record per document."""
    have_man = shutil.which("man") and shutil.which("col")
    env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
    out = []
    for label, kind, src in docs:
        dest = work / label
        rec = {"label": label, "path": str(dest), "gz": None, "man_source": None}
        if kind == "man":
            if not have_man:
                continue
            try:
                text = subprocess.run(f"man -P cat {src} 2>/dev/null | col -bx", shell=True, env=env,
                                      capture_output=True, timeout=60).stdout
                where = subprocess.run(["man", "-w", src], capture_output=True, text=True, timeout=30).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                continue
            if not text.strip():
                continue
            dest.write_bytes(text)
            rec["man_source"] = where or None
        else:
            data = Path(src).read_bytes()
            if src.endswith(".gz"):
                rec["gz"] = src
                data = gzip.decompress(data)
            dest.write_bytes(data)
        out.append(rec)
    return out


# ---------------------------------------------------------------- ground truths
_ROFF_ESC = [
    (re.compile(r"\\f(?:\[[^\]]*\]|\(..|.)"), ""), (re.compile(r"\\s[+-]?\d"), ""), (re.compile(r"\\\((?:em|en)"), "-"),
    (re.compile(r"\\\((?:aq|cq)"), "'"), (re.compile(r"\\\((?:lq|rq|dq)"), '"'), (re.compile(r"\\\(..|\\\[[^\]]*\]"), ""),
    (re.compile(r"\\\*(?:\(..|\[[^\]]*\]|.)"), ""), (re.compile(r"\\[-]"), "-"), (re.compile(r"\\[ ~0]"), " "),
    (re.compile(r"\\[&|^%:,/]"), ""), (re.compile(r"\\e"), "\\\\"),
]


def _roff_text(s: str) -> str:
    for pat, rep in _ROFF_ESC:
        s = pat.sub(rep, s)
    s = s.strip()
    args = re.findall(r'"([^"]*)"|(\S+)', s)
    return " ".join(a or b for a, b in args).strip()


def man_truth(path: str) -> list[str]:
    """Titles of the ``.SH``/``.SS`` (mdoc ``.Sh``/``.Ss``) headings of a man source file."""
    try:
        raw = Path(path).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except OSError:
        return []
    lines = raw.decode("utf-8", "replace").splitlines()
    out = []
    in_macro = False
    for i, line in enumerate(lines):
        if line.startswith(".de ") or line.startswith(".de\t"):
            in_macro = True
        elif line.startswith(".."):
            in_macro = False
        if in_macro:
            continue
        m = re.match(r"^\.(SH|SS|Sh|Ss)\b\s*(.*)$", line)
        if not m:
            continue
        title = _roff_text(m.group(2))
        if not title and i + 1 < len(lines) and not lines[i + 1].startswith("."):
            title = _roff_text(lines[i + 1])
        if title:
            out.append(title)
    return out


def _norm_title(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\"'`:]", "", s)).strip().casefold()


_CLAUSE = re.compile(r"^[ \t]{0,6}(\d{1,2}(?:\.\d{1,2})*)\.[ \t]+(\S[^\n]{0,70})$")


def clause_truth(text: str) -> list[str]:
    """Numbered clause headings of a licence: a short numbered line with a blank line
    or an underline after it, and no sentence after its title."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = _CLAUSE.match(line)
        if not m:
            continue
        title = m.group(2).strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        under = re.fullmatch(r"\s*[-=~^]{3,}\s*", nxt) is not None
        if not (under or not nxt.strip()):
            continue
        if len(title.split()) > 10 or title.endswith((",", ";")) or re.search(r"[.;:] \S", title):
            continue
        if not title[:1].isupper():
            continue
        out.append(m.group(1))
    return out


# ---------------------------------------------------------------- checks
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INLINE_LINK = re.compile(r"\]\((?:https?:|mailto:|#|\.{0,2}/|[\w.-]+\.(?:md|html?)\b)")
_CODE_SPAN = re.compile(r"`[^`\n]{1,200}`")
_ESCAPED = re.compile(r"\\[_*\[\]<>#`]")
_KW_BAD_TOKENS = {"www", "href", "nbsp", "amp", "quot", "mailto"}
#: URL parts that are words too ("HTTP server"): bad only as written in a URL, in lowercase.
_KW_URLISH = {"http", "https", "html", "htm", "md"}
_KW_BAD = re.compile(r"://|[<>\[\]{}`\\|]|\]\(|^\d+m$|(?:^|\s)\d+m(?:\s|$)|\.(?:com|org|io|net)\b")
_SENT_END = re.compile(r"[.!?:;…][\"'”’)\]]*\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[-*+•‣◦]|\d{1,3}[.)]|\(?[a-zA-Z0-9]{1,3}\)|#+)\s*$")


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _label(s: str) -> str:
    """A link label as compared: folded, single spaces, no backticks (a renderer drops them)."""
    return _squash(s.replace("`", "")).strip().casefold()


def ref_labels(source: str) -> set[str]:
    """Reference-link labels the Markdown source defines (``[label]: url``), folded."""
    return {_label(m.group(1)) for m in re.finditer(r"(?m)^ {0,3}\[([^\]\n]+)\]:\s*\S", source)}


def count_refs(text: str, labels: set[str]) -> int:
    """``[label]`` occurrences in printed text for defined labels (raw reference links)."""
    if not labels:
        return 0
    n = 0
    for m in re.finditer(r"\[([^\[\]\n]{1,200})\]", _squash(text)):
        if _label(m.group(1)) in labels:
            n += 1
    return n


def fenced_backticks(source: str) -> int:
    """Backticks inside fenced code blocks of the source (legitimate in ``show`` output)."""
    n, fence = 0, None
    for line in source.splitlines():
        s = line.lstrip()
        if fence is None:
            m = re.match(r"(`{3,}|~{3,})", s)
            if m:
                fence = m.group(1)
            continue
        if s.startswith(fence[:3]) and s.strip(fence[0]) == "":
            fence = None
            continue
        n += line.count("`")
    return n


def markup_tokens(text: str, labels: set[str]) -> list[str]:
    """Raw markup in a displayed text: code spans, links, ``<a href``, escapes."""
    toks = [m.group(0) for m in _CODE_SPAN.finditer(text)]
    toks += [m.group(0) for m in _INLINE_LINK.finditer(text)]
    toks += [m.group(0) for m in re.finditer(r"<a\s+href|</a>", text, re.I)]
    toks += [m.group(0) for m in _ESCAPED.finditer(text)]
    for m in re.finditer(r"\[([^\[\]\n]{1,200})\]", text):
        if _label(m.group(1)) in labels:
            toks.append(m.group(0))
    return toks


def shown(tok: str, plain: str) -> bool:
    """Is ``tok`` printed in ``plain`` (whitespace-insensitive, as wrapping splits lines)?"""
    return re.sub(r"\s+", "", tok) in plain


def keyword_bad(phrase: str) -> bool:
    """A key phrase that is a URL or markup fragment."""
    low = phrase.casefold()
    if _KW_BAD.search(low) or any(t in _KW_BAD_TOKENS for t in re.findall(r"[a-z0-9]+", low)):
        return True
    return any(t in _KW_URLISH for t in re.findall(r"[A-Za-z0-9]+", phrase))


def _display(d: dict) -> str:
    for key in ("display", "rendered", "plain"):
        if isinstance(d.get(key), str):
            return d[key]
    return d.get("text", "")


def walk_spans(obj):
    """Every JSON object with int ``start``/``end`` and a str ``text``."""
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int) and isinstance(obj.get("text"), str):
            yield obj
        for v in obj.values():
            yield from walk_spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk_spans(v)


class Paragraphs:
    """Paragraph lookup by offset in a loaded Document."""

    def __init__(self, doc) -> None:
        self.paras = sorted((p.start, p.end, p.kind) for _s, p in doc.paragraphs())
        self.starts = [p[0] for p in self.paras]

    def at(self, off: int):
        i = bisect.bisect_right(self.starts, off) - 1
        if i >= 0 and self.paras[i][0] <= off < max(self.paras[i][1], self.paras[i][0] + 1):
            return self.paras[i]
        return None


def cut_start(source: str, paras: Paragraphs, start: int, text: str) -> bool:
    """A summary sentence that starts mid-sentence (see the module docstring)."""
    first = text.lstrip()[:1]
    if not first or not (first.islower() or first.isdigit()):
        return False
    p = paras.at(start)
    if p is None:
        return False
    before = source[p[0] : start]
    last = before.rstrip().rsplit("\n", 1)[-1]
    if not before.strip() or _LIST_MARK.match(last):
        return False
    return not _SENT_END.search(before)


# ---------------------------------------------------------------- running
def run_doc(rec: dict) -> dict:
    """All commands over one document; returns its counts."""
    from typer.testing import CliRunner

    from osce_brief.cli import app
    from osce_brief.loaders import load

    path = rec["path"]
    runner = CliRunner()
    res: dict = {"label": rec["label"], "errors": [], "times": {}}
    c = Counter()

    def run(*args: str):
        t0 = time.perf_counter()
        try:
            r = runner.invoke(app, list(args))
        except Exception as e:  # noqa: BLE001 - the harness itself must not die
            res["errors"].append(f"{' '.join(args[:2])}: harness {type(e).__name__}: {e}")
            c["err"] += 1
            return None
        res["times"][" ".join(a for a in args if a != path)] = round(time.perf_counter() - t0, 3)
        ok = (0, 1) if args[0] == "search" else (0,)
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            c["err"] += 1
            res["errors"].append(f"{' '.join(args[:2])}: {type(r.exception).__name__}: {r.exception}")
        elif r.exit_code not in ok:
            c["err"] += 1
            res["errors"].append(f"{' '.join(args[:2])}: exit {r.exit_code}: {r.stderr.strip()[:160]}")
        out = r.stdout
        c["ctl"] += len(_CTRL.findall(out))
        return out

    try:
        doc = load(path)
    except Exception as e:  # noqa: BLE001
        res["errors"].append(f"load: {type(e).__name__}: {e}")
        c["err"] += 1
        res["counts"] = dict(c)
        return res
    src = doc.source
    md = doc.format in ("markdown", "html")
    labels = ref_labels(src) if md else set()
    paras = Paragraphs(doc)
    res["format"] = doc.format
    jsons: dict[str, list] = {}

    def run_json(name: str, *args: str) -> list:
        out = run(*args, "--json")
        items = []
        for line in (out or "").splitlines():
            try:
                items.append(json.loads(line))
            except ValueError:
                pass
        jsons[name] = items
        for span in walk_spans(items):
            s, e, t = span["start"], span["end"], span["text"]
            if src[s:e] != t and not any(isinstance(v, str) and v == src[s:e] for v in span.values()):
                c["off"] += 1
        return items

    # outline
    run("outline", path)
    outl = run_json("outline", "outline", path)
    titles = [s["title"] for o in outl for s in o.get("sections", [])]
    res["titles"] = titles
    c["secs"] = len(titles)
    # show all
    show = run("show", "all", path, "--no-pager") or ""
    run_json("show", "show", "all", path)
    if md:
        c["ref"] += count_refs(show, labels)
        c["lnk"] += len(_INLINE_LINK.findall(_squash(show)))
        c["tick"] += max(0, show.count("`") - fenced_backticks(src))
    # displayed text: search, summary, hedges (plain output confirms what is printed)
    flat = {}
    for name, args in (("search", ("search", "--any", *SEARCH_TERMS, path)), ("summary", ("summary", path)),
                       ("hedges", ("hedges", path))):
        plain = run(*args) or ""
        flat[name] = re.sub(r"\s+", "", plain)
        items = run_json(name, *args)
        spans = [d for d in walk_spans(items) if d.get("type", "passage") == "passage"]
        for d in spans:
            p = paras.at(d["start"])
            if p is not None and p[2] in ("code",):
                continue
            toks = markup_tokens(_display(d), labels) if md else []
            bad_markup = any(shown(t, flat[name]) for t in toks)
            if name == "search":
                n = d["end"] - d["start"]
                c["maxp"] = max(c["maxp"], n)
                if n > 2500:
                    c["long"] += 1
            if name == "summary":
                c["sum_n"] += 1
                if bad_markup or cut_start(src, paras, d["start"], d["text"]):
                    c["sum"] += 1
                    res.setdefault("bad_summary", []).append(_display(d)[:120])
            if bad_markup:
                c["disp"] += 1
    # keywords
    run("keywords", path)
    kws = run_json("keywords", "keywords", path)
    phrases = [k["phrase"] for o in kws for k in o.get("keywords", [])][:10]
    if not phrases:
        c["empty"] += 1
    if not c["sum_n"]:
        c["empty"] += 1
    bad = [p for p in phrases if keyword_bad(p)]
    c["kw"] += len(bad)
    if bad:
        res["bad_keywords"] = bad
    # gzip original read directly
    if rec.get("gz"):
        r = runner.invoke(app, ["outline", "--json", rec["gz"]])
        try:
            gz_titles = [s["title"] for s in json.loads(r.stdout.splitlines()[0])["sections"]] if r.exit_code == 0 else None
        except (ValueError, IndexError, KeyError):
            gz_titles = None
        if gz_titles != titles:
            c["gz"] += 1
    # man pages and numbered clauses
    if rec.get("man_source"):
        truth = [_norm_title(t) for t in man_truth(rec["man_source"])]
        got = Counter(_norm_title(t) for t in titles)
        want = Counter(truth)
        res["man"] = {"tp": sum((got & want).values()), "got": sum(got.values()), "want": sum(want.values()),
                      "missed": sorted((want - got).elements())[:8], "extra": sorted((got - want).elements())[:8]}
    clauses = clause_truth(src) if rec["label"] in LICENCES else []
    if clauses:
        found = 0
        for num in clauses:
            pat = re.compile(rf"^\s*{re.escape(num)}\.?(?:\s|$)")
            if any(pat.match(t) for t in titles):
                found += 1
        res["clauses"] = {"found": found, "want": len(clauses)}
    res["counts"] = dict(c)
    return res


COLUMNS = ["err", "off", "ref", "lnk", "tick", "disp", "sum", "kw", "empty", "long", "maxp", "ctl", "gz", "secs"]


def report(results: list[dict], verbose: bool) -> dict:
    """Print the tables; return the totals."""
    w = max([8] + [len(r["label"]) for r in results])
    head = f"{'document':<{w}}  {'fmt':<8}" + "".join(f"{c:>7}" for c in COLUMNS)
    print(head)
    print("-" * len(head))
    tot = Counter()
    for r in results:
        c = r.get("counts", {})
        cells = []
        for col in COLUMNS:
            v = c.get(col, 0)
            cells.append(f"{v:>7,}" if col != "sum" else f"{v:>3}/{c.get('sum_n', 0):<3}")
            if col == "maxp":
                tot[col] = max(tot[col], v)
            else:
                tot[col] += v
        tot["sum_n"] += c.get("sum_n", 0)
        print(f"{r['label']:<{w}}  {r.get('format', '?'):<8}" + "".join(cells))
    print("-" * len(head))
    print(f"{'TOTAL':<{w}}  {'':<8}" + "".join(f"{tot[c]:>7,}" if c != "sum" else f"{tot['sum']:>3}/{tot['sum_n']:<3}"
                                           for c in COLUMNS))
    # man pages
    mans = [r for r in results if "man" in r]
    if mans:
        print("\nman-page headings (truth: .SH/.SS of the man source)")
        tp = got = want = 0
        for r in mans:
            m = r["man"]
            p = m["tp"] / m["got"] if m["got"] else 0.0
            rc = m["tp"] / m["want"] if m["want"] else 0.0
            f = 2 * p * rc / (p + rc) if p + rc else 0.0
            tp, got, want = tp + m["tp"], got + m["got"], want + m["want"]
            print(f"  {r['label']:<{w}}  found {m['tp']:>3}/{m['want']:<3}  P {p:.2f}  R {rc:.2f}  F1 {f:.2f}")
            if verbose and (m["missed"] or m["extra"]):
                print(f"      missed {m['missed']}\n      extra  {m['extra']}")
        p = tp / got if got else 0.0
        rc = tp / want if want else 0.0
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        print(f"  {'micro':<{w}}  found {tp:>3}/{want:<3}  P {p:.2f}  R {rc:.2f}  F1 {f1:.2f}")
        tot["man_f1"] = round(f1, 3)
    cl = [r for r in results if "clauses" in r]
    if cl:
        print("\nnumbered clauses found as headings")
        for r in cl:
            print(f"  {r['label']:<{w}}  {r['clauses']['found']:>3}/{r['clauses']['want']}")
        tot["clauses_found"] = sum(r["clauses"]["found"] for r in cl)
        tot["clauses_want"] = sum(r["clauses"]["want"] for r in cl)
    errs = [(r["label"], e) for r in results for e in r["errors"]]
    if errs:
        print(f"\nerrors ({len(errs)})")
        for label, e in errs[: None if verbose else 12]:
            print(f"  {label}: {e}")
    if verbose:
        for r in results:
            for key in ("bad_summary", "bad_keywords"):
                if r.get(key):
                    print(f"  {r['label']} {key}: {r[key][:5]}")
    slow = sorted(((t, r["label"], k) for r in results for k, t in r["times"].items()), reverse=True)[:5]
    if slow:
        print("\nslowest runs: " + "; ".join(f"{label} {k} {t:.2f}s" for t, label, k in slow))
    return dict(tot)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", help="import osce_brief from this folder (e.g. another checkout's src)")
    ap.add_argument("--only", action="append", default=[], help="only documents whose label contains this")
    ap.add_argument("-j", type=int, default=2, help="processes (default 2)")
    ap.add_argument("--save", help="write the totals and per-document counts to this JSON file")
    ap.add_argument("--compare", help="print these saved totals next to this run's")
    ap.add_argument("--work", help="folder for the materialized documents (default: a temporary one)")
    ap.add_argument("-v", action="store_true", help="list missed/extra headings, bad summaries and keywords")
    args = ap.parse_args()
    if args.src:
        sys.path.insert(0, os.path.abspath(args.src))
    import osce_brief

    t0 = time.perf_counter()
    docs = [d for d in documents() if not args.only or any(o in d[0] for o in args.only)]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="realdocs-"))
    work.mkdir(parents=True, exist_ok=True)
    recs = materialize(docs, work)
    print(f"osce_brief from {os.path.dirname(osce_brief.__file__)}; {len(recs)} documents in {work}\n")
    # biggest first, so that two processes finish together
    recs.sort(key=lambda r: -os.path.getsize(r["path"]))
    if args.j > 1 and len(recs) > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(args.j) as pool:
            results = pool.map(run_doc, recs, chunksize=1)
    else:
        results = [run_doc(r) for r in recs]
    order = {d[0]: i for i, d in enumerate(docs)}
    results.sort(key=lambda r: order.get(r["label"], 0))
    totals = report(results, args.v)
    print(f"\n{len(results)} documents in {time.perf_counter() - t0:.0f} s")
    if args.compare:
        old = json.loads(Path(args.compare).read_text())["totals"]
        keys = [k for k in COLUMNS + ["sum_n", "man_f1", "clauses_found", "clauses_want"] if k in old or k in totals]
        print("\n" + f"{'':<14}" + "".join(f"{k:>14}" for k in ("before", "now")))
        for k in keys:
            print(f"{k:<14}{old.get(k, '-')!s:>14}{totals.get(k, '-')!s:>14}")
    if args.save:
        Path(args.save).write_text(json.dumps({"totals": totals, "documents": [
            {k: r.get(k) for k in ("label", "format", "counts", "man", "clauses", "errors")} for r in results]}, indent=1))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
