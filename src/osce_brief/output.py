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

from .errors import BriefError, InputError, NoMatch
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


def out_console(width: int | None = None):
    """The stdout Console: styled only on a terminal; NO_COLOR/FORCE_COLOR honoured."""
    import shutil

    from rich.console import Console

    styled = _styled()
    if width is None and not styled:
        width = shutil.get_terminal_size((100, 24)).columns if os.environ.get("COLUMNS") else 100
    return Console(
        width=width,
        force_terminal=styled,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


_TRAILING = re.compile(r"[ \t]+(?=\n|\Z)")


def emit(renderable, *, width: int | None = None, pager: bool | None = None, crop: bool = True) -> None:
    """Print a renderable to stdout, through a pager when asked or when it is
    taller than the terminal (``--pager`` / automatic on a terminal, like git).
    ``crop=False`` skips Rich's line-by-line cropping (for renderables that keep
    to the width themselves; it costs seconds on a million lines)."""
    console = out_console(width)
    if not console.is_terminal and not pager:
        # plain text for pipes: no padding spaces at line ends (tables, indents)
        with console.capture() as cap:
            console.print(renderable, crop=crop)
        sys.stdout.write(_TRAILING.sub("", cap.get()))
        return
    if pager is False or (pager is None and not sys.stdout.isatty()):
        console.print(renderable, crop=crop)
        return
    with console.capture() as cap:
        console.print(renderable, crop=crop)
    text = cap.get()
    if pager or text.count("\n") > console.height:
        page(text)
    else:
        sys.stdout.write(text)


def page(text: str) -> None:
    """Show ``text`` through ``$BRIEF_PAGER``, ``$PAGER`` or ``less`` (``LESS=FRX``), as git does."""
    import shutil
    import subprocess

    cmd = os.environ.get("BRIEF_PAGER") or os.environ.get("PAGER") or "less"
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    if cmd.split()[0] == "less" and not shutil.which("less"):
        sys.stdout.write(text)
        return
    try:
        proc = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    try:
        assert proc.stdin is not None
        proc.stdin.write(text.encode("utf-8", "replace"))
        proc.stdin.close()
    except BrokenPipeError:
        pass
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:
            continue  # the pager handles Ctrl-C itself


def no_match_error(result) -> BriefError:
    """The exit-1 error for a search that found nothing (exit 2 when inputs failed)."""
    message, hint = result.no_match_message()
    if result.errors:
        return InputError(message + f" ({len(result.errors)} input(s) could not be read)", hint)
    return NoMatch(message, hint)


def finish_search(result, inputs: int, json_out: bool, rich_emit=None) -> None:
    """Print a search result (:class:`osce_brief.search.SearchResult`, whose
    ``mode`` says passages, counts or files), then raise the no-match error
    when nothing matched.

    Args:
        inputs: how many paths were given (a lone file's count is printed even when 0).
        json_out: JSON Lines: the result's ``records()``.
        rich_emit: prints a Rich renderable (a terminal, or ``--width``); None
            prints plain lines for a pipe, without importing Rich.
    """
    for path, message in result.errors:
        warn(f"{path}: {message}")
    mode = result.mode
    if json_out:
        for obj in result.records():
            emit_json(obj)
    elif result.found or (mode == "count" and inputs <= 1):
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
