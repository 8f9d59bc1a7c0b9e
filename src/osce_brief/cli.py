"""The ``brief`` command line: the only module that prints or exits.

Each command parses its options, calls one library function and prints the
result, either through a renderer (``render/``) or as JSON Lines. Errors from the
library (:class:`~osce_brief.errors.BriefError`) become one line on stderr and a
named exit code (see :class:`~osce_brief.errors.ExitCode`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import Annotated, Iterable, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import BriefError, ExitCode
from .loaders import DEFAULT_MAX_BYTES
from .output import _silence_stdout, _styled, emit_json, fail


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
        except (typer.Abort, KeyboardInterrupt):
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
    typer.Argument(metavar="[PATH]", help="Article file or http(s) URL, or - for stdin. Default: the bundled article.", show_default=False),
]
PathsArg = Annotated[
    Optional[list[str]],
    typer.Argument(metavar="[PATH...]", help="Article files or http(s) URLs, or - for stdin. Default: the bundled article.", show_default=False),
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
    Optional[str], typer.Option("--format", "-f", help="Force the input format: text, markdown or html (default: detect).", show_default=False)
]
SaveOpt = Annotated[
    Optional[str],
    typer.Option("--save", metavar="FILE", help="Also write the input as read (e.g. a fetched web page) to FILE, for offline reading.", show_default=False),
]


# ---------------------------------------------------------------- output helpers
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


def load_doc(
    path: str | None, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, fmt: str | None = None, save: str | None = None
):
    """Load one document for a command (None = bundled article; URLs are fetched)."""
    from .loaders import load

    return load(path, encoding=encoding, max_bytes=max_bytes, fmt=fmt, save=save)


def iter_docs(paths: Iterable[str] | None, encoding=None, max_bytes=DEFAULT_MAX_BYTES, fmt=None, save=None):
    """Yield the documents named by ``paths`` (the bundled article when empty)."""
    paths = list(paths or [])
    if save and len(paths) > 1:
        from .errors import UsageError

        raise UsageError("--save takes one input", "give one path or URL with --save FILE")
    for p in paths or [None]:
        yield load_doc(p, encoding, max_bytes, fmt, save)


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
    hedges_col: Annotated[
        bool, typer.Option("--hedges", help="Add each section's share of hedged sentences (see `brief hedges`).")
    ] = False,
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
    save: SaveOpt = None,
) -> None:
    """Show the title, byline and numbered headings with words and reading time.

    Books collapse to their top levels so the outline fits a screen; --depth N
    shows more.

    Examples:

        brief outline

        brief outline --depth 2 war-and-peace.txt

        brief outline --json notes.md | jq '.sections[].title'

        brief outline https://example.org/story --save story.html

        brief outline --hedges
    """
    from .outline import outline as build

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save):
        result = build(doc, depth=depth, auto=not json_out)
        shares = None
        if hedges_col:
            from .hedges import analyze, rollup

            shares = rollup(analyze(doc), doc)
        if json_out:
            d = result.to_dict()
            if shares is not None:
                for sec in d["sections"]:
                    sh = shares.get(sec["index"])
                    sec["hedged"] = round(sh.ratio, 4) if sh is not None and sh.sentences else None
            emit_json(d)
        else:
            from .render.outline import render_outline

            extra = None
            if shares is not None:
                from .render.hedges import share_cell

                extra = {"Hedged": {i: share_cell(sh.ratio) for i, sh in shares.items() if sh.sentences}}
            emit(render_outline(result, extra), width=width, pager=False)


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
    save: SaveOpt = None,
) -> None:
    """Read one or more sections, set for the terminal.

    A section with subsections is shown with them. 'all' reads the whole article.

    Examples:

        brief show 3

        brief show expert

        brief show 2-4 article.md

        brief show all --pager
    """
    from .select import select_with_children

    doc = load_doc(path, encoding, max_bytes, fmt, save)
    chosen = select_with_children(doc, section)
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
    if not _styled() and doc.format != "markdown":
        from .render.show import plain_sections

        text = plain_sections(doc, chosen, width)
        _page(text) if pager else sys.stdout.write(text)
        return
    from .render.show import render_sections

    emit(render_sections(doc, chosen), width=width, pager=pager, crop=doc.format != "markdown")


@app.command()
def summary(
    paths: PathsArg = None,
    sentences: Annotated[int, typer.Option("--sentences", "-n", min=1, help="Number of sentences.")] = 3,
    ratio: Annotated[
        Optional[float],
        typer.Option("--ratio", min=0.0, max=1.0, help="Instead of -n: this fraction of the sentences, e.g. 0.05.", show_default=False),
    ] = None,
    words: Annotated[
        Optional[int], typer.Option("--words", min=1, help="Instead of -n: as many top sentences as fit in N words.", show_default=False)
    ] = None,
    section: Annotated[
        Optional[str],
        typer.Option("--section", "-s", help="Summarize only this section: number, range 2-4, list 1,3 or heading words.", show_default=False),
    ] = None,
    by_section: Annotated[bool, typer.Option("--by-section", help="One gist per section, as an outline.")] = False,
    reported: Annotated[
        bool, typer.Option("--reported", help="Prefer sentences stated as fact over hedged ones (see `brief hedges`).")
    ] = False,
    method: Annotated[
        str, typer.Option("--method", "-m", help="default, or a baseline: lead, textrank, lexrank.")
    ] = "default",
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
    save: SaveOpt = None,
) -> None:
    """Summarize with the article's own sentences, each tagged with its section.

    Sentences come out in document order; check one with `brief show N`.

    Examples:

        brief summary

        brief summary -n 5 story.txt

        brief summary --by-section

        brief summary --reported

        brief summary --section 3 --method lexrank --json | jq '.sentences[].text'
    """
    from .summarize import by_section as gists
    from .summarize import summarize

    prefer = reported  # True: summarize() prefers sentences osce_brief.hedges finds unhedged

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save):
        chosen = None
        if section is not None:
            from .select import select_with_children

            chosen = select_with_children(doc, section)
        if by_section:
            result = gists(doc, method=method, sections=chosen, reported=prefer)
            if json_out:
                emit_json({"path": doc.display_path, **result.to_dict()})
            else:
                from .render.summary import render_by_section

                emit(render_by_section(result, doc.title), width=width, pager=False)
            continue
        result = summarize(doc, n=sentences, ratio=ratio, words=words, method=method, section=chosen, reported=prefer)
        if json_out:
            emit_json({"path": doc.display_path, **result.to_dict()})
        else:
            from .render.summary import render_summary

            emit(render_summary(result, doc.title), width=width, pager=False)


@app.command()
def keywords(
    paths: PathsArg = None,
    n: Annotated[int, typer.Option("-n", "--number", min=1, help="Number of key phrases.")] = 10,
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
    save: SaveOpt = None,
) -> None:
    """Show the key phrases (1-3 words) with scores and occurrence counts.

    Examples:

        brief keywords

        brief keywords -n 20 story.txt

        brief keywords --json *.txt | jq -r '.keywords[0].phrase'
    """
    from .keywords import keywords as extract

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save):
        result = extract(doc, n=n)
        if json_out:
            emit_json({"path": doc.display_path, "keywords": [k.to_dict() for k in result]})
        else:
            from .render.keywords import render_keywords

            emit(render_keywords(result, doc.title), width=width, pager=False)


@app.command()
def search(
    args: Annotated[
        list[str],
        typer.Argument(metavar="TERM... [PATH...]", help="Terms (a phrase in quotes is one term), then files or directories. Default: the bundled article.", show_default=False),
    ],
    unit: Annotated[str, typer.Option("--unit", "-u", help="Passage unit: sentence or paragraph.")] = "sentence",
    context: Annotated[int, typer.Option("--context", "-C", min=0, help="Sentences of context on each side.")] = 0,
    case_sensitive: Annotated[bool, typer.Option("--case-sensitive", "-s", help="Match case (default: only when a term has a capital).")] = False,
    ignore_case: Annotated[bool, typer.Option("--ignore-case", "-i", help="Ignore case, even for terms with capitals.")] = False,
    word: Annotated[bool, typer.Option("--word", help="Whole words only.")] = False,
    regex: Annotated[bool, typer.Option("--regex", "-e", help="Terms are Python regular expressions.")] = False,
    exact: Annotated[bool, typer.Option("--exact", help="No other word forms (stemming off).")] = False,
    any_term: Annotated[bool, typer.Option("--any", help="A passage needs any one term, not all.")] = False,
    section: Annotated[
        Optional[str],
        typer.Option("--section", "-S", help="Search only this section: number, range 2-4, list 1,3 or heading words.", show_default=False),
    ] = None,
    count: Annotated[bool, typer.Option("--count", "-c", help="Print the number of matching passages (per file).")] = False,
    files_with_matches: Annotated[bool, typer.Option("--files-with-matches", "-l", help="Print only the files that match.")] = False,
    max_passages: Annotated[Optional[int], typer.Option("--max", "-m", min=1, help="Show at most N passages.", show_default=False)] = None,
    rank: Annotated[bool, typer.Option("--rank", help="Order passages by relevance (BM25), not document order.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON Lines: one object per passage, then a summary.")] = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: Annotated[
        Optional[int],
        typer.Option("--max-bytes", min=1, help="Refuse files larger than this (default 64 MiB; --count/-l stream bigger files).", show_default=False),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Find the passages (sentences or paragraphs) that mention the terms.

    Case is ignored unless a term has a capital; accents and curly quotes are
    optional; word forms match (negotiate finds negotiations; --exact turns that
    off). With several terms a passage must hold all of them (--any: one).
    PATHs may be files or directories (searched for .txt and .md). Exit 1 when
    nothing matches.

    Examples:

        brief search ukraine

        brief search "arms control" -C 1

        brief search napoleon moscow war-and-peace.txt --rank --max 5

        brief search -l blair corpus/

        brief search --json ukraine | jq -r .text
    """
    from .errors import UsageError
    from .search import search as run_search
    from .search import split_terms_paths

    if case_sensitive and ignore_case:
        raise UsageError("--case-sensitive and --ignore-case exclude each other", "give one of them")
    if count and files_with_matches:
        raise UsageError("--count and --files-with-matches exclude each other", "give one of them")
    terms, paths = split_terms_paths(args)
    mode = "count" if count else "files" if files_with_matches else "passages"
    result = run_search(
        terms, paths, regex=regex, case="sensitive" if case_sensitive else "insensitive" if ignore_case else "smart",
        word=word, exact=exact, any_term=any_term, unit=unit, context=context, section=section, rank=rank,
        max_passages=max_passages, mode=mode, encoding=encoding, max_bytes=max_bytes, fmt=fmt,
    )
    from .entry import finish_search

    rich_emit = None if width is None and not _styled() else (lambda r: emit(r, width=width, pager=False))
    finish_search(result, paths, mode, json_out, rich_emit)


@app.command()
def hedges(
    paths: PathsArg = None,
    reported: Annotated[
        bool, typer.Option("--reported", help="List the sentences stated as fact instead of the hedged ones.")
    ] = False,
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
    save: SaveOpt = None,
) -> None:
    """Show how much of the article is reported and how much is speculation.

    A profile gives each section's share of hedged sentences (may, might,
    likely, probably, reportedly, it is believed, remains to be seen, some
    experts argue...); then come the hedged sentences with their cue words
    highlighted. --json prints every sentence with its verdict and cue offsets
    (--reported changes only the listing).

    Examples:

        brief hedges

        brief hedges --reported

        brief hedges --json story.txt | jq .ratio
    """
    from .hedges import analyze

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save):
        result = analyze(doc)
        if json_out:
            emit_json(result.to_dict())
        else:
            from .render.hedges import render_hedges

            emit(render_hedges(result, doc.title, reported=reported), width=width, pager=False)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
