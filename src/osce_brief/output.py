"""Light output helpers shared by the Typer CLI and the fast entry point.

Nothing here imports Rich or Typer at module level: error lines, warnings, JSON
Lines, the "styled or plain?" decision and the printing of a search result
(:func:`finish_search`) cost no start-up time. Both :mod:`osce_brief.entry` and
:mod:`osce_brief.cli` import from here; this module imports neither.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

from .errors import BriefError, InputError, NoMatch
from .sanitize import clean

_JSON_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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


def no_match_error(result) -> BriefError:
    """The exit-1 error for a search that found nothing (exit 2 when inputs failed)."""
    message, hint = result.no_match_message()
    if result.errors:
        return InputError(message + f" ({len(result.errors)} input(s) could not be read)", hint)
    return NoMatch(message, hint)


def finish_search(result, paths: Sequence[str], mode: str, json_out: bool, rich_emit=None) -> None:
    """Print a search result, then raise the no-match error when nothing matched.

    Args:
        mode: ``passages``, ``count`` or ``files``.
        json_out: JSON Lines (one object per passage or file, then a summary).
        rich_emit: prints a Rich renderable (a terminal, or ``--width``); None
            prints plain lines for a pipe, without importing Rich.
    """
    for path, message in result.errors:
        warn(f"{path}: {message}")
    if json_out:
        if mode == "passages":
            for p in result.passages:
                emit_json(p.to_dict())
        else:
            for f in result.files:
                emit_json(f.to_dict() if mode == "count" else {"type": "file", "path": f.path})
        emit_json(result.to_dict(counted=mode != "files"))
    elif result.found or (mode == "count" and len(paths) <= 1):  # a lone file's count is printed even when 0
        if rich_emit is None:
            from .render import plain

            writer = {"passages": plain.plain_passages, "count": plain.plain_counts, "files": plain.plain_files}[mode]
            sys.stdout.write(writer(result))
        else:
            from .render import search as render

            writer = {"passages": render.render_passages, "count": render.render_counts, "files": render.render_files}[mode]
            rich_emit(writer(result))
    if not result.found:
        raise no_match_error(result)
