"""Light output helpers shared by the Typer CLI and the fast entry point.

Nothing here imports Rich or Typer: error lines, warnings, JSON Lines and the
"styled or plain?" decision cost no start-up time.
"""

from __future__ import annotations

import os
import re
import sys

from .sanitize import clean

_JSON_UNSAFE = re.compile("[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def fail(message: str, hint: str | None, code: int) -> int:
    """Write one error line to stderr and return ``code``."""
    line = f"brief: error: {message}" + (f"; {hint}" if hint else "")
    line = clean(line).replace("\n", " ")
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    return code


def warn(message: str) -> None:
    """Write one warning line to stderr; the command goes on."""
    try:
        sys.stderr.write(clean(f"brief: warning: {message}").replace("\n", " ") + "\n")
    except (BrokenPipeError, ValueError):
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null (after a closed pipe, so the exit flush cannot fail)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _styled() -> bool:
    """True when stdout should get styles (a terminal, or FORCE_COLOR set)."""
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return sys.stdout.isatty()
    except ValueError:
        return False


def emit_json(obj: object) -> None:
    """Print one JSON object on one line; control and bidi characters are escaped."""
    import json

    line = json.dumps(obj, ensure_ascii=False)
    line = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line)
    sys.stdout.write(line + "\n")
