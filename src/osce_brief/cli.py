"""The ``brief`` command line: the only module that prints or exits.

Each command parses its options, calls one library function and prints the
result, either through a renderer (``render/``) or as JSON Lines. Errors from the
library (:class:`~osce_brief.errors.BriefError`) become one line on stderr and a
named exit code (see :class:`~osce_brief.errors.ExitCode`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from typing import Annotated, Any, Iterable, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import BriefError, ExitCode
from .loaders import DEFAULT_MAX_BYTES
from .sanitize import clean


class BriefGroup(TyperGroup):
    """Typer group that turns every failure into one stderr line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        from typer import _click

        try:
            rv = super().main(
                args=args, prog_name=prog_name or "brief", complete_var=complete_var, standalone_mode=False, **extra
            )
            code = rv if isinstance(rv, int) else ExitCode.OK
        except BriefError as e:
            code = fail(e.message, e.hint, e.exit_code)
        except _click.exceptions.UsageError as e:
            cmd = e.ctx.command_path if e.ctx is not None else "brief"
            code = fail(e.format_message().rstrip("."), f"see `{cmd} --help`", ExitCode.USAGE)
        except _click.exceptions.ClickException as e:
            code = fail(e.format_message(), None, ExitCode.USAGE)
        except (_click.exceptions.Abort, KeyboardInterrupt):
            code = ExitCode.INTERRUPTED
        except BrokenPipeError:
            _silence_stdout()
            code = ExitCode.OK
        if standalone_mode:
            sys.exit(int(code))
        return int(code)


app = typer.Typer(
    cls=BriefGroup,
    name="brief",
    help="Read, navigate, search and summarize a long article in the terminal.\n\n"
    "Without a PATH every command reads the bundled OSCE article. Exit codes: "
    "0 ok, 1 nothing found, 2 bad usage or input, 130 interrupted.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# ---------------------------------------------------------------- shared options
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON Lines (one object per document).")]
PathArg = Annotated[
    Optional[str],
    typer.Argument(metavar="[PATH]", help="Article file, or - for stdin. Default: the bundled article.", show_default=False),
]
PathsArg = Annotated[
    Optional[list[str]],
    typer.Argument(metavar="[PATH...]", help="Article files, or - for stdin. Default: the bundled article.", show_default=False),
]
EncodingOpt = Annotated[
    Optional[str],
    typer.Option("--encoding", "-E", help="Text encoding of the input (default: BOM, then UTF-8), e.g. latin-1, cp1252.", show_default=False),
]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Refuse inputs larger than this many bytes.", min=1)
]
WidthOpt = Annotated[
    Optional[int], typer.Option("--width", "-w", help="Wrap output at this many columns (default: terminal width).", min=20, show_default=False)
]
FormatOpt = Annotated[
    Optional[str], typer.Option("--format", "-f", help="Force the input format: text or markdown (default: detect).", show_default=False)
]


# ---------------------------------------------------------------- output helpers
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


def out_console(width: int | None = None):
    """The stdout Console: styled only on a terminal; NO_COLOR/FORCE_COLOR honoured."""
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


_JSON_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def emit_json(obj: Any) -> None:
    """Print one JSON object on one line; control and bidi characters are escaped."""
    line = json.dumps(obj, ensure_ascii=False)
    line = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", line)
    sys.stdout.write(line + "\n")


def emit(renderable, *, width: int | None = None, pager: bool | None = None) -> None:
    """Print a renderable to stdout, through a pager when asked or when it is
    taller than the terminal (``--pager`` / automatic on a terminal, like git)."""
    console = out_console(width)
    if pager is False or (pager is None and not sys.stdout.isatty()):
        console.print(renderable)
        return
    with console.capture() as cap:
        console.print(renderable)
    text = cap.get()
    if pager or text.count("\n") > console.height:
        _page(text)
    else:
        sys.stdout.write(text)


def _page(text: str) -> None:
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


def load_doc(path: str | None, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, fmt: str | None = None):
    """Load one document for a command (None = bundled article)."""
    from .loaders import load

    return load(path, encoding=encoding, max_bytes=max_bytes, fmt=fmt)


def iter_docs(paths: Iterable[str] | None, encoding=None, max_bytes=DEFAULT_MAX_BYTES, fmt=None):
    """Yield the documents named by ``paths`` (the bundled article when empty)."""
    for p in list(paths or []) or [None]:
        yield load_doc(p, encoding, max_bytes, fmt)


# ---------------------------------------------------------------- commands
def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"brief {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Read, navigate, search and summarize a long article in the terminal."""


@app.command()
def outline(
    paths: PathsArg = None,
    depth: Annotated[
        Optional[int],
        typer.Option("--depth", "-d", min=1, help="Show headings down to this level (default: all that fit a screen).", show_default=False),
    ] = None,
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
) -> None:
    """Show the title, byline and numbered headings with words and reading time.

    Books collapse to their top levels so the outline fits a screen; --depth N
    shows more.

    Examples:

        brief outline

        brief outline --depth 2 war-and-peace.txt

        brief outline --json notes.md | jq '.sections[].title'
    """
    from .outline import outline as build

    for doc in iter_docs(paths, encoding, max_bytes, fmt):
        result = build(doc, depth=depth, auto=not json_out)
        if json_out:
            emit_json(result.to_dict())
        else:
            from .render.outline import render_outline

            emit(render_outline(result), width=width, pager=False)


@app.command()
def show(
    section: Annotated[str, typer.Argument(help="Section number (1-based), range 2-4, list 1,3, heading words, or 'all'.")],
    path: PathArg = None,
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    pager: Annotated[
        Optional[bool],
        typer.Option("--pager/--no-pager", help="Page the output (default: on a terminal when taller than the screen).", show_default=False),
    ] = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
) -> None:
    """Read one or more sections, set for the terminal.

    A section with subsections is shown with them. 'all' reads the whole article.

    Examples:

        brief show 3

        brief show expert

        brief show 2-4 article.md

        brief show all --pager
    """
    from .select import select_sections, with_children

    doc = load_doc(path, encoding, max_bytes, fmt)
    chosen = []
    for s in select_sections(doc, section):
        for c in with_children(doc, s):
            if c not in chosen:
                chosen.append(c)
    if json_out:
        emit_json(
            {
                "path": doc.display_path,
                "sections": [
                    {"index": s.index, "level": s.level, "title": s.title, "start": s.start, "end": s.end, "text": doc.source[s.start : s.end]}
                    for s in chosen
                ],
            }
        )
        return
    from .render.show import render_sections

    emit(render_sections(doc, chosen), width=width, pager=pager)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
