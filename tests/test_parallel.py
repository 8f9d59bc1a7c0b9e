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
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert parallel.second_cpu()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    assert not parallel.second_cpu()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not parallel.second_cpu()
