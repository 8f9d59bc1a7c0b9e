"""``brief digest``: records equal the single commands' JSON, error records,
input order, resuming, the SQLite schema and FTS5, and the Dask engine."""

from __future__ import annotations

import json
import socket
import sqlite3

import pytest

from osce_brief.digest.run import run_digest
from osce_brief.errors import UsageError

from .conftest import BUNDLED, SHARED, build_text, jsonl

BBC = SHARED / "corpus" / "bbc-news.jsonl"


def _one(invoke, *args) -> dict:
    r = invoke(*args)
    assert r.exit_code == 0, r.stderr
    (obj,) = jsonl(r.stdout)
    return obj


def _docs(tmp_path, n: int = 4) -> list[str]:
    paths = []
    for i in range(n):
        p = tmp_path / f"doc{i}.txt"
        p.write_text(build_text((f"Part {i} begins", f"Ministers met on day {i}. They may agree a deal soon. "
                                 "Officials said the talks were long."), ("Later", "The talks ended. Nobody knows why.")),
                     encoding="utf-8")
        paths.append(str(p))
    return paths


def test_the_bundled_article_digest_equals_the_single_commands(invoke):
    path = str(BUNDLED)
    (rec,) = jsonl(invoke("digest", path).stdout)
    outline = _one(invoke, "outline", "--json", path)
    summary = _one(invoke, "summary", "--json", path)
    keywords = _one(invoke, "keywords", "--json", path)
    hedges = _one(invoke, "hedges", "--json", path)
    assert rec["path"] == outline["path"] == path
    assert (rec["title"], rec["author"], rec["words"]) == (outline["title"], outline["author"], outline["words"])
    assert rec["sections"] == outline["sections"]
    assert rec["summary"] == summary["sentences"]
    assert rec["keywords"] == keywords["keywords"]
    assert rec["hedges"] == {k: hedges[k] for k in ("ratio", "total", "hedged", "sections")}
    assert len(rec["hash"]) == 64 and "error" not in rec
    source = BUNDLED.read_text(encoding="utf-8")
    assert all(source[s["start"]:s["end"]] == s["text"] for s in rec["summary"])


def test_without_a_path_the_bundled_article(invoke):
    (rec,) = jsonl(invoke("digest").stdout)
    outline = _one(invoke, "outline", "--json")
    assert rec["path"] == "<bundled>" == outline["path"] and rec["sections"] == outline["sections"]
    assert rec["summary"] == _one(invoke, "summary", "--json")["sentences"]


def test_lengths_follow_the_options(invoke):
    (rec,) = jsonl(invoke("digest", str(BUNDLED), "-n", "5", "-k", "4").stdout)
    assert rec["summary"] == _one(invoke, "summary", "--json", "-n", "5", str(BUNDLED))["sentences"]
    assert rec["keywords"] == _one(invoke, "keywords", "--json", "-n", "4", str(BUNDLED))["keywords"]


def test_json_lines_articles(invoke, tmp_path):
    feed = tmp_path / "feed.jsonl"
    text = "The minister may resign. The vote was held on Monday. Turnout was high."
    feed.write_text(json.dumps({"id": "a1", "title": "Vote day", "text": text}) + "\n\n"
                    + json.dumps({"id": "a2", "title": "Other", "body": text}) + "\n", encoding="utf-8")
    r = invoke("digest", str(feed))
    a1, a2 = jsonl(r.stdout)
    assert r.exit_code == 0
    assert a1["id"] == "a1" and a1["title"] == "Vote day" and "path" not in a1
    assert all(text[s["start"]:s["end"]] == s["text"] for s in a1["summary"])
    assert a2["id"] == "a2" and "--text-field" in a2["error"] and "body" in a2["error"]
    assert r.stderr.count("\n") == 1 and "a2" in r.stderr
    (b2,) = [x for x in jsonl(invoke("digest", str(feed), "--text-field", "body").stdout) if x["id"] == "a2"]
    assert b2["summary"] == a1["summary"]


def test_bad_documents_get_error_records_and_the_run_goes_on(invoke, tmp_path):
    good = _docs(tmp_path, 1)[0]
    (tmp_path / "binary.txt").write_bytes(b"abc\x00\x01\x02def")
    (tmp_path / "bad.txt").write_bytes(b"caf\xc3\x28 ok")
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "big.txt").write_text("word " * 400, encoding="utf-8")
    feed = tmp_path / "x.jsonl"
    feed.write_text('{"id": 1, "text": "fine text. It is."}\nnot json\n', encoding="utf-8")
    names = ["binary.txt", "bad.txt", "empty.txt", "big.txt", "missing.txt"]
    args = [str(tmp_path / n) for n in names] + [good, str(feed)]
    r = invoke("digest", "--max-bytes", "1000", *args)
    assert r.exit_code == 0
    recs = jsonl(r.stdout)
    assert [x.get("path") or x.get("id") for x in recs] == args[:-1] + ["1", f"{feed}:2"]
    errors = [x for x in recs if "error" in x]
    assert len(errors) == 6 and len(r.stderr.splitlines()) == 6
    for word, rec in zip(["binary", "UTF-8", "empty", "larger than", "no such file", "not valid JSON"], errors):
        assert word in rec["error"], rec
    r = invoke("digest", "--max-bytes", "1000", *[str(tmp_path / n) for n in names])
    assert r.exit_code == 2 and "nothing digested" in r.stderr.splitlines()[-1]


def test_no_documents_is_a_usage_error(invoke, tmp_path):
    r = invoke("digest", str(tmp_path))
    assert r.exit_code == 2 and "no documents found" in r.stderr
    r = invoke("digest", "-", input="Some text. More text.")
    assert r.exit_code == 2 and "stdin" in r.stderr


def test_order_is_the_input_order_with_processes(invoke, tmp_path):
    paths = _docs(tmp_path, 6)
    one = invoke("digest", "-j", "1", *reversed(paths))
    two = invoke("digest", "-j", "2", *reversed(paths))
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert [x["path"] for x in jsonl(one.stdout)] == list(reversed(paths))
    assert [x["path"] for x in jsonl(invoke("digest", str(tmp_path)).stdout)] == sorted(paths)


@pytest.mark.parametrize("ext", [".jsonl", ".db"])
def test_resume_after_an_interrupted_run(tmp_path, ext):
    paths = _docs(tmp_path, 5)
    out = str(tmp_path / f"out{ext}")
    seen = []

    def interrupt(n):
        seen.append(n)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_digest(paths, out=out, jobs=1, on_progress=interrupt)
    if ext == ".jsonl":
        with open(out, "ab") as fh:
            fh.write(b'{"path": "cut short')  # a line the interruption cut
    stats = run_digest(paths, out=out, jobs=1)
    assert (stats.total, stats.skipped, stats.digested) == (5, 2, 3)
    if ext == ".jsonl":
        got = [json.loads(line)["path"] for line in open(out, encoding="utf-8")]
    else:
        got = [p for (p,) in sqlite3.connect(out).execute("SELECT path FROM documents ORDER BY id")]
    assert got == paths
    again = run_digest(paths, out=out, jobs=1)
    assert (again.skipped, again.digested) == (5, 0)
    with open(paths[1], "a", encoding="utf-8") as fh:
        fh.write("A new sentence was added.\n")
    changed = run_digest(paths, out=out, jobs=1)
    assert (changed.skipped, changed.digested) == (4, 1)


def test_a_rerun_with_other_options_is_refused(tmp_path):
    paths = _docs(tmp_path, 1)
    out = str(tmp_path / "d.db")
    run_digest(paths, out=out, jobs=1)
    with pytest.raises(UsageError, match="other options"):
        run_digest(paths, out=out, jobs=1, sentences=5)


def test_sqlite_schema_and_full_text_search(invoke, tmp_path):
    paths = _docs(tmp_path, 3)
    (tmp_path / "zbad.txt").write_bytes(b"\x00\x00binary")
    out = str(tmp_path / "d.db")
    r = invoke("digest", str(BUNDLED), str(tmp_path), "--out", out)
    assert r.exit_code == 0 and r.stdout == ""
    db = sqlite3.connect(out)
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "sections", "summary_sentences", "keywords", "documents_fts", "digest_meta"} <= tables
    for child in ("sections", "summary_sentences", "keywords"):
        fks = db.execute(f"PRAGMA foreign_key_list({child})").fetchall()
        assert [(fk[2], fk[3], fk[4]) for fk in fks] == [("documents", "document_id", "id")]
    assert db.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    assert db.execute("SELECT count(*) FROM documents WHERE error IS NOT NULL").fetchone() == (1,)
    rec = json.loads(db.execute("SELECT record FROM documents WHERE path = ?", (str(BUNDLED),)).fetchone()[0])
    (first,) = jsonl(invoke("digest", str(BUNDLED)).stdout)
    assert rec == first
    rows = db.execute("SELECT position, s.text, start_char, end_char FROM summary_sentences s JOIN documents d "
                      "ON d.id = s.document_id WHERE d.path = ? ORDER BY position", (str(BUNDLED),)).fetchall()
    assert [(t, a, b) for _, t, a, b in rows] == [(s["text"], s["start"], s["end"]) for s in first["summary"]]
    hits = db.execute("SELECT d.path FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
                      "WHERE documents_fts MATCH 'blinken AND malta'").fetchall()
    assert hits == [(str(BUNDLED),)]
    hits = db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'title:begins'").fetchall()
    assert hits == []  # a heading, not a title
    assert db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'ministers'").fetchone() == (3,)
    kw = db.execute("SELECT phrase FROM keywords k JOIN documents d ON d.id = k.document_id WHERE d.path = ? "
                    "ORDER BY rank", (str(BUNDLED),)).fetchall()
    assert [p for (p,) in kw] == [k["phrase"] for k in first["keywords"]]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_unknown_output_type_and_engine_options(invoke, tmp_path):
    r = invoke("digest", str(BUNDLED), "--out", str(tmp_path / "x.csv"))
    assert r.exit_code == 2 and ".jsonl" in r.stderr
    r = invoke("digest", str(BUNDLED), "--engine", "dask")
    assert r.exit_code == 2 and "--scheduler" in r.stderr
    r = invoke("digest", str(BUNDLED), "--scheduler", "tcp://127.0.0.1:8786")
    assert r.exit_code == 2 and "--engine dask" in r.stderr


def test_dask_missing_says_how_to_install_it(invoke, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    r = invoke("digest", str(BUNDLED), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786")
    assert r.exit_code == 2 and "osce_brief[cluster]" in r.stderr and len(r.stderr.splitlines()) == 1


def test_an_unreachable_scheduler_is_one_error_line(invoke):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = invoke("digest", str(BUNDLED), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}")
    assert r.exit_code == 2 and r.stdout == ""
    assert len(r.stderr.splitlines()) == 1 and "cannot reach the Dask scheduler" in r.stderr


@pytest.mark.skipif(not BBC.exists(), reason="needs ../shared/corpus/bbc-news.jsonl")
def test_dask_gives_the_same_records_as_one_process(tmp_path):
    distributed = pytest.importorskip("distributed")
    import io

    feed = tmp_path / "bbc.jsonl"
    with open(BBC, encoding="utf-8") as src:
        lines = src.readlines()
    feed.write_text("".join(lines[::50]), encoding="utf-8")  # 42 articles of every category
    local = io.StringIO()
    run_digest([str(feed)], stream=local, jobs=1, text_field="article")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = io.StringIO()
        stats = run_digest([str(feed)], stream=remote, engine="dask", scheduler=cluster.scheduler_address,
                           text_field="article")
    assert stats.digested == 42
    assert remote.getvalue() == local.getvalue()


def test_progress_bar_on_request_and_none_when_piped(invoke, tmp_path):
    paths = _docs(tmp_path, 2)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01")
    plain = invoke("digest", *paths, str(tmp_path / "bin.txt"))
    assert "digest" not in plain.stderr and len(plain.stderr.splitlines()) == 1  # piped: no bar
    bar = invoke("digest", "--progress", *paths, str(tmp_path / "bin.txt"))
    assert bar.exit_code == 0 and bar.stdout == plain.stdout
    assert "3/3" in bar.stderr and "docs/s" in bar.stderr and "binary file" in bar.stderr


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab c.\n\n#-!?\u00e9\u2019\x00\x1b")), max_size=300))
def test_any_text_gives_a_record_or_an_error_record(text):
    from osce_brief.digest.core import digest_item, options

    rec, _ = digest_item((0, "text", "k", text, None, "h"), options())
    assert rec["id"] == "k" and rec["hash"] == "h"
    if "error" not in rec:
        assert all(text[s["start"]:s["end"]] == s["text"] for s in rec["summary"])


def test_an_interrupted_record_leaves_no_rows(tmp_path, monkeypatch):
    from osce_brief.digest import sinks

    paths = _docs(tmp_path, 2)
    out = str(tmp_path / "d.db")
    sink = sinks.SqliteSink(out, {})
    real = sink.db
    calls = []

    class Flaky:
        def __getattr__(self, name):
            return getattr(real, name)

        def executemany(self, sql, rows):
            calls.append(sql)
            if "summary_sentences" in sql:
                raise KeyboardInterrupt  # Ctrl-C between a document's rows
            return real.executemany(sql, rows)

    from osce_brief.digest.core import digest_item, options

    rec, text = digest_item((0, "path", paths[0], paths[0], None, "h0"), options(with_text=True))
    sink.db = Flaky()
    with pytest.raises(KeyboardInterrupt):
        sink.write(rec, text)
    sink.db = real
    sink.close()
    db = sqlite3.connect(out)
    assert [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "sections")] == [0, 0]
