"""The record classes that stand in for dataclasses on the start-up path."""

from __future__ import annotations

import pickle
import sys
import subprocess

import pytest

from osce_brief.model import Document, Paragraph, Sentence
from osce_brief.record import FrozenInstanceError, field, fields, record, replace
from osce_brief.search import Passage, search


@record(frozen=True, slots=True)
class _P:
    x: int
    y: int = 0
    tags: tuple = ()


@record
class _M:
    items: list = field(default_factory=list)
    note: str = field(default="", repr=False, compare=False)


def test_init_defaults_repr_eq_hash():
    assert _P(1) == _P(1, 0) and _P(1) != _P(2) and hash(_P(1, 2)) == hash(_P(1, 2))
    assert repr(_P(2, y=3)) == "_P(x=2, y=3, tags=())"
    a, b = _M(), _M()
    a.items.append(1)
    assert b.items == [] and a != b  # a fresh list each time
    assert _M([1], note="x") == _M([1], note="y") and repr(_M()) == "_M(items=[])"
    with pytest.raises(TypeError):
        hash(_M())  # mutable and compared by value: unhashable, as with dataclasses
    assert [f.name for f in fields(_P)] == ["x", "y", "tags"]


def test_frozen_slots_and_pickle():
    p = _P(1, 2)
    with pytest.raises(FrozenInstanceError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.z = 1  # type: ignore[attr-defined]
    assert not hasattr(p, "__dict__")
    assert pickle.loads(pickle.dumps(p)) == p
    s = Sentence(0, 3, "abc")
    assert pickle.loads(pickle.dumps(s)) == s


def test_model_records_behave_as_before():
    para = Paragraph(0, 9, "One. Two.")
    assert [x.text for x in para.sentences] == ["One.", "Two."]  # cached on a frozen record
    assert para != Paragraph(0, 9, "One. Two.")  # eq=False: identity
    doc = Document("x", None, "text")
    assert replace(doc, title="T").title == "T" and doc.title is None
    with pytest.raises(TypeError):
        replace(doc, nope=1)
    r = search(["ukraine"])
    assert isinstance(r.passages[0], Passage) and pickle.loads(pickle.dumps(r)) == r


def test_a_default_before_a_required_field_is_refused():
    with pytest.raises(TypeError):
        @record
        class _Bad:
            a: int = 1
            b: int


def test_search_starts_without_dataclasses_or_inspect():
    code = ("import sys, osce_brief.entry, osce_brief.search, osce_brief.loaders.text, osce_brief.search.accel;"
            "print(sorted(m for m in ('dataclasses', 'inspect', 'typing') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
