"""A heavier fuzz run (by hand, before resolving): long Hypothesis profile.

1. The loader/span properties of tests/test_props.py with many examples.
2. Every CLI command (plain and --json) on random bytes and random structured text,
   through typer's CliRunner: no traceback, exit code in {0, 1, 2}, one stderr line
   on failure, no raw control bytes on stdout.

Prints the number of inputs tried and the crashes found.

Usage: python bench/fuzz.py [EXAMPLES]     (default 3000 per property)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
os.environ["BRIEF_PROP_EXAMPLES"] = str(N)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from osce_brief.cli import app  # noqa: E402
from tests import test_props  # noqa: E402
from tests.test_hostile import COMMAND_ARGS, COMMANDS, RAW_CONTROL  # noqa: E402

counts = {"inputs": 0, "crashes": 0}
runner = CliRunner()


def cli_check(data: bytes) -> None:
    counts["inputs"] += 1
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as f:
        f.write(data)
    try:
        for c in COMMANDS:
            for extra in ([], ["--json"]):
                r = runner.invoke(app, [c, *COMMAND_ARGS[c], *extra, f.name])
                ok = (
                    r.exit_code in (0, 1, 2)
                    and "Traceback" not in r.output
                    and not RAW_CONTROL.search(r.stdout)
                    and (r.exit_code == 0 or len(r.stderr.strip().splitlines()) == 1)
                )
                if not ok:
                    counts["crashes"] += 1
                    print(f"CRASH {c} {extra}: exit {r.exit_code} {r.stderr[-300:]!r} input {data[:200]!r}")
                    if r.exception and not isinstance(r.exception, SystemExit):
                        import traceback

                        traceback.print_exception(r.exception)
    finally:
        os.unlink(f.name)


FUZZ = settings(max_examples=max(50, N // 10), deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.binary(max_size=2000))
def fuzz_bytes(data: bytes) -> None:
    cli_check(data)


@FUZZ
@given(test_props.DOCS)
def fuzz_text(text: str) -> None:
    cli_check(text.encode("utf-8", "surrogatepass"))


def main() -> None:
    t0 = time.time()
    props = [test_props.test_plain_text_invariants, test_props.test_markdown_invariants, test_props.test_sentences_cover_all_non_space]
    prop_fail = 0
    for prop in props:
        try:
            prop()
        except Exception as e:  # noqa: BLE001
            prop_fail += 1
            print(f"PROPERTY FAILED {prop.__name__}: {e}")
    print(f"span properties: {len(props)} x {N} examples, failures: {prop_fail}")
    for f in (fuzz_bytes, fuzz_text):
        try:
            f()
        except Exception as e:  # noqa: BLE001
            counts["crashes"] += 1
            print(f"FUZZ FAILED {f.__name__}: {e}")
    print(f"CLI fuzz: {counts['inputs']} inputs x {len(COMMANDS)} commands x 2 modes, crashes: {counts['crashes']}")
    print(f"elapsed {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
