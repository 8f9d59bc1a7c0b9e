"""Shared test helpers: document builders and a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import os
import threading
from contextlib import contextmanager

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from osce_brief.cli import app
from osce_brief.loaders import parse

# CI runs the property tests on a fixed sequence of examples (Hypothesis' advice for
# CI: no run fails on an example no earlier run met); by hand they explore anew,
# and BRIEF_PROP_EXAMPLES=2000 explores harder.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "lavrov-blinken-osce-malta.txt"
SHARED = ROOT.parent / "shared"
WAR_AND_PEACE = SHARED / "corpus" / "war-and-peace.txt"


def build_text(*sections: tuple[str, str], title: str | None = "A Title") -> str:
    """Plain text with a title and headed sections of body text."""
    parts = [title] if title else []
    for heading, body in sections:
        parts += [heading, body]
    return "\n\n".join(parts) + "\n"


def build_doc(*sections: tuple[str, str], title: str | None = "A Title"):
    """A Document from :func:`build_text`."""
    return parse(build_text(*sections, title=title), "built.txt", "text")


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory):
    """Compiled search patterns (the ``fast`` extra) go to a temporary cache, not ~/.cache."""
    import os

    old = os.environ.get("BRIEF_CACHE_DIR")
    os.environ["BRIEF_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("BRIEF_CACHE_DIR", None)
    else:
        os.environ["BRIEF_CACHE_DIR"] = old


@pytest.fixture(autouse=True, scope="session")
def _no_user_config(tmp_path_factory):
    """A user's ~/.config/brief/config.toml or $BRIEF_CONFIG never reaches the tests."""
    import os

    saved = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "BRIEF_CONFIG")}
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("xdg-config"))
    os.environ.pop("BRIEF_CONFIG", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run ``brief ARGS`` and return the result (stdout and stderr separate)."""

    def run(*args: str, input: str | bytes | None = None, env: dict | None = None):
        return runner.invoke(app, list(args), input=input, env=env)

    return run


def jsonl(output: str) -> list[dict]:
    """Parse JSON Lines output."""
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@contextmanager
def loopback(server, stop: threading.Event):
    """Serve ``server`` (bound to 127.0.0.1) on a thread; yield its base URL.

    ``stop`` is set on the way out, so handlers that trickle or loop can end.
    """
    stop.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def no_proxy(monkeypatch):
    """Loopback requests must not go through a proxy set in the environment."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
