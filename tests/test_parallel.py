"""The second-process helper: results come back, failures are reported, never lost."""

from __future__ import annotations

import os

import pytest

from osce_brief import parallel

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_result_comes_back_pickled():
    wait = parallel.in_child(lambda: {"rows": [(1, 2, ((3, 4),))], "n": 5})
    assert wait() == {"rows": [(1, 2, ((3, 4),))], "n": 5}


def test_a_failing_child_is_reported_not_raised():
    def boom():
        raise ValueError("in the child")

    assert parallel.in_child(boom)() is parallel.FAILED


def test_no_fork_means_failed(monkeypatch):
    def no_fork():
        raise OSError("no processes left")

    monkeypatch.setattr(os, "fork", no_fork)
    assert parallel.in_child(lambda: 1)() is parallel.FAILED


def test_second_cpu_follows_the_load(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(parallel, "_runnable", lambda: 1)  # only this process runs
    assert parallel.second_cpu()
    monkeypatch.setattr(parallel, "_runnable", lambda: 2)  # another one has the second CPU
    assert not parallel.second_cpu()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    monkeypatch.setattr(parallel, "_runnable", lambda: 1)
    assert not parallel.second_cpu()


def test_second_cpu_without_proc(monkeypatch):
    """Where the instant count is unknown, the one-minute load average decides."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(parallel, "_runnable", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert parallel.second_cpu()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    assert not parallel.second_cpu()


def test_runnable_counts_this_process():
    n = parallel._runnable()
    assert n is None or n >= 1


def test_share_keeps_order():
    got = parallel.share(40, lambda i: (i, os.getpid()))
    assert [g[0] for g in got] == list(range(40))
    assert parallel.share(0, lambda i: i) == []


def test_share_recomputes_what_a_failed_child_took():
    parent = os.getpid()

    def work(i):
        if os.getpid() != parent and i % 2:
            raise RuntimeError("the child fails on odd items")
        return i * 10

    assert parallel.share(30, work) == [i * 10 for i in range(30)]


def test_share_without_fork(monkeypatch):
    def no_fork():
        raise OSError("no processes left")

    monkeypatch.setattr(os, "fork", no_fork)
    assert parallel.share(5, lambda i: -i) == [0, -1, -2, -3, -4]


def test_share_takes_its_most_items_without_blocking():
    assert parallel.share(parallel.MAX_SHARED, lambda i: i) == list(range(parallel.MAX_SHARED))


def test_share_refuses_too_many_items():
    with pytest.raises(ValueError):
        parallel.share(parallel.MAX_SHARED + 1, lambda i: i)
