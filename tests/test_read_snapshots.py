"""SVG snapshots of `brief read` screens (pytest-textual-snapshot).

After a deliberate change of the reader's looks, look at the new screens and
accept them with ``pytest tests/test_read_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytest_textual_snapshot")

from osce_brief import load  # noqa: E402
from osce_brief.reader.app import ReaderApp  # noqa: E402


@pytest.fixture(autouse=True)
def _state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_STATE_DIR", str(tmp_path / "state"))


def test_start_screen(snap_compare):
    assert snap_compare(ReaderApp(load()), terminal_size=(120, 40))


def test_search_ukraine(snap_compare):
    press = ["slash", *"ukraine", "enter"]
    assert snap_compare(ReaderApp(load()), press=press, terminal_size=(120, 40))


def test_go_to_section_4_small_screen(snap_compare):
    assert snap_compare(ReaderApp(load()), press=["colon", "4", "enter"], terminal_size=(80, 24))
