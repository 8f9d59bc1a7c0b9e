"""The ``brief`` command line: the only module that prints or exits.

Each command parses its options, calls one function of the public library API
(:mod:`osce_brief.api`) and prints the result, either through a renderer
(``render/``) or as JSON Lines (the result's ``to_dict()``). Errors from the
library (:class:`~osce_brief.errors.BriefError`) become one line on stderr and a
named exit code (see :class:`~osce_brief.errors.ExitCode`).

Defaults for any option may come from a config file (:mod:`osce_brief.config`);
shell completion is Typer's, with section numbers and headings completed for
SECTION (:mod:`osce_brief.completion`).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, Iterable, Optional

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from . import __version__
from .errors import BriefError, ExitCode
from .loaders import DEFAULT_MAX_BYTES
from .output import _silence_stdout, _styled, emit, emit_json, fail, page

COMPLETE_VAR = "_BRIEF_COMPLETE"


def _polish(params) -> None:
    """Help without type placeholders: no ``<bool>`` after a flag, no
    ``<list[str]>`` after an argument (its metavar says it); options with a value
    show their metavar (``--depth N``)."""
    for p in params:
        if isinstance(p, TyperOption) and p.is_flag and p.metavar is None:
            p.metavar = ""
        elif isinstance(p, TyperArgument):
            p.display_type_rich = lambda ctx: None  # the metavar (PATH..., SECTION) is shown instead


def _root_config_arg(args: list[str]) -> str | None:
    """The value of ``--config`` among the options before the command name."""
    k = 0
    while k < len(args):
        tok = args[k]
        if tok == "--config":
            return args[k + 1] if k + 1 < len(args) else None
        if tok.startswith("--config="):
            return tok.split("=", 1)[1]
        if tok == "--show-completion":
            k += 1
        elif not tok.startswith("-"):
            break
        k += 1
    return None


def _plain_help_option(option):
    if option is not None and option.metavar is None:
        option.metavar = ""
    return option


class BriefCommand(TyperCommand):
    """A command whose config-file defaults give way to the command line: an
    option given there replaces the file's value for it and for the options it
    excludes (``-n`` drops a configured ``--ratio``; see
    :data:`osce_brief.config.EXCLUSIVE`)."""

    def get_help_option(self, ctx):  # type: ignore[override]
        return _plain_help_option(super().get_help_option(ctx))

    def invoke(self, ctx):  # type: ignore[override]
        from typer._click.core import ParameterSource

        from .config import without_overridden

        source = ctx.get_parameter_source
        from_file = {n: v for n, v in ctx.params.items() if source(n) == ParameterSource.DEFAULT_MAP}
        if from_file:
            given = {n for n in ctx.params if source(n) == ParameterSource.COMMANDLINE}
            kept = without_overridden(from_file, given)
            for p in self.params:
                if p.name in from_file and p.name not in kept:
                    ctx.params[p.name] = p.default
        return super().invoke(ctx)


class BriefGroup(TyperGroup):
    """Typer group that turns every failure into one stderr line and an exit code,
    applies the config file's defaults, and keeps the help free of placeholders."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        _polish(self.params)
        for cmd in self.commands.values():
            _polish(cmd.params)

    def get_help_option(self, ctx):  # type: ignore[override]
        return _plain_help_option(super().get_help_option(ctx))

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None) -> None:  # type: ignore[override]
        if os.environ.get(complete_var or COMPLETE_VAR):
            import typer.completion
            from typer._completion_classes import BashComplete
            from typer._click.shell_completion import add_completion_class

            from .completion import bash_words

            class Bash(BashComplete):
                """Typer's bash completion, keeping the empty word under the cursor."""

                def get_completion_args(self) -> tuple[list[str], str]:
                    words, cword = bash_words(os.environ["COMP_WORDS"]), int(os.environ["COMP_CWORD"])
                    return words[1:cword], (words[cword] if cword < len(words) else "")

            typer.completion.completion_init()  # Typer's bash/zsh/fish/PowerShell formats
            add_completion_class(Bash, "bash")
            _attach_completers(self)
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        from typer import _click

        args = list(sys.argv[1:] if args is None else args)
        try:
            if not os.environ.get(COMPLETE_VAR) and not {"-h", "--help", "--version"}.intersection(args):
                from .config import config_path, load_config

                found = config_path(_root_config_arg(args))
                if found is not None:
                    extra.setdefault("default_map", load_config(*found))
            rv = super().main(
                args=args, prog_name=prog_name or "brief", complete_var=complete_var, standalone_mode=False, **extra
            )
            code = rv if isinstance(rv, int) else ExitCode.OK
        except BriefError as e:
            code = fail(e.message, e.hint, e.exit_code)
        except _click.exceptions.NoArgsIsHelpError as e:
            # `brief` alone: the help (Rich has printed it already), exit 2 as Click does
            if e.format_message().strip():
                sys.stdout.write(e.format_message().rstrip("\n") + "\n")
            code = ExitCode.USAGE
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
    "0 ok, 1 nothing found, 2 bad usage or input (also `brief` alone, after the help), "
    "130 interrupted. Defaults for any option can be set in ~/.config/brief/config.toml.",
    add_completion=False,  # our own --install-completion / --show-completion SHELL below
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
command = app.command  # every command: app.command(cls=BriefCommand)


def _attach_completers(group) -> None:
    """Value completion for SECTION (numbers and headings) and for the options
    with fixed choices. Attached only when the shell asks for completions, so a
    normal run does not pay for building them (Typer's ``autocompletion=``
    inspects each callback's signature on every run: ~4 ms)."""
    from typer._click.shell_completion import CompletionItem

    from .completion import complete_section

    def section(ctx, param, incomplete: str) -> list:
        return [CompletionItem(v, help=h) for v, h in complete_section(ctx.params, incomplete) if v.startswith(incomplete)]

    def choices(*values: str):
        return lambda ctx, param, incomplete: [CompletionItem(v) for v in values if v.startswith(incomplete)]

    by_name = {"section": section, "fmt": choices("text", "markdown", "html"),
               "method": choices("default", "lead", "textrank", "lexrank"), "unit": choices("sentence", "paragraph")}
    for cmd in group.commands.values():
        for p in cmd.params:
            if p.name in by_name:
                p._custom_shell_complete = by_name[p.name]  # click's shell_complete= hook


# ---------------------------------------------------------------- shared options
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON Lines (one object per document).")]
PathArg = Annotated[
    Optional[str],
    typer.Argument(metavar="PATH", help="Article file or http(s) URL, or - for stdin. Default: the bundled article.", show_default=False),
]
PathsArg = Annotated[
    Optional[list[str]],
    typer.Argument(metavar="PATH", help="Article files or http(s) URLs, or - for stdin. Default: the bundled article.", show_default=False),
]
EncodingOpt = Annotated[
    Optional[str],
    typer.Option("--encoding", "-E", metavar="NAME", help="Text encoding of the input (default: BOM, then UTF-8), e.g. latin-1, cp1252.", show_default=False),
]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", metavar="N", help="Refuse inputs larger than this many bytes.", min=1)
]
WidthOpt = Annotated[
    Optional[int], typer.Option("--width", "-w", metavar="COLS", help="Wrap output at this many columns (default: terminal width).", min=20, show_default=False)
]
FormatOpt = Annotated[
    Optional[str],
    typer.Option("--format", "-f", metavar="FORMAT", help="Force the input format: text, markdown or html (default: detect).",
                 show_default=False),
]
RawTextOpt = Annotated[
    bool,
    typer.Option("--raw-text", help="Keep the text as decoded: no repair of mojibake (UTF-8 read as Latin-1, e.g. \"NatÃ¡sha\")."),
]
SaveOpt = Annotated[
    Optional[str],
    typer.Option("--save", metavar="FILE", help="Also write the input as read (e.g. a fetched web page) to FILE, for offline reading.", show_default=False),
]
SectionOpt = Annotated[
    Optional[str],
    typer.Option("--section", "-s", metavar="SECTION", show_default=False,
                 help="Only this section: number, range 2-4, list 1,3 or heading words."),
]


def load_doc(
    path: str | None, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, fmt: str | None = None,
    save: str | None = None, raw_text: bool = False,
):
    """Load one document for a command (None = bundled article; URLs are fetched)."""
    from .api import load

    return load(path, encoding=encoding, max_bytes=max_bytes, fmt=fmt, save=save, raw_text=raw_text)


def iter_docs(paths: Iterable[str] | None, encoding=None, max_bytes=DEFAULT_MAX_BYTES, fmt=None, save=None, raw_text=False):
    """Yield the documents named by ``paths`` (the bundled article when empty)."""
    paths = list(paths or [])
    if save and len(paths) > 1:
        from .errors import UsageError

        raise UsageError("--save takes one input", "give one path or URL with --save FILE")
    for p in paths or [None]:
        yield load_doc(p, encoding, max_bytes, fmt, save, raw_text)


# ---------------------------------------------------------------- the root
class Shell(str, Enum):
    """Shells Typer writes completion scripts for."""

    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"brief {__version__}\n")
        raise typer.Exit()


def _show_completion(ctx: typer.Context, param: typer.CallbackParam, value: Optional[Shell]) -> None:
    if value is not None and not ctx.resilient_parsing:
        import typer.completion

        typer.completion.show_callback(ctx, param, value.value)  # prints the script, exits 0


def _install_completion(ctx: typer.Context, param: typer.CallbackParam, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        import typer.completion

        typer.completion.install_callback(ctx, param, value)  # detects the shell, exits 0


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    config: Annotated[
        Optional[str],
        typer.Option("--config", metavar="FILE", show_default=False,
                     help="Read option defaults from FILE (default: $BRIEF_CONFIG, else "
                     "$XDG_CONFIG_HOME/brief/config.toml; \"\" for none)."),
    ] = None,
    install_completion: Annotated[
        bool, typer.Option("--install-completion", callback=_install_completion, expose_value=False,
                           help="Install completion for the current shell (bash, zsh, fish).")
    ] = False,
    show_completion: Annotated[
        Optional[Shell], typer.Option("--show-completion", metavar="SHELL", callback=_show_completion, expose_value=False,
                                      show_default=False, help="Print the completion script for SHELL: bash, zsh or fish.")
    ] = None,
) -> None:
    """Read, navigate, search and summarize a long article in the terminal.

    Examples:

        brief outline

        brief --show-completion zsh > ~/.zfunc/_brief

        brief --config ~/work.toml summary report.md
    """


# ---------------------------------------------------------------- commands
@command(cls=BriefCommand)
def outline(
    paths: PathsArg = None,
    depth: Annotated[
        Optional[int],
        typer.Option("--depth", "-d", metavar="N", min=1, help="Show headings down to this level (default: all that fit a screen).", show_default=False),
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
    raw_text: RawTextOpt = False,
) -> None:
    """Show the title, byline and numbered headings with words and reading time.

    Books collapse to their top levels so the outline fits a screen; --depth N
    shows more. --hedges adds each section's share of hedged sentences; --save
    keeps a fetched page (brief outline https://example.org/story --save story.html).

    Examples:

        brief outline

        brief outline --depth 2 war-and-peace.txt

        brief outline --json notes.md | jq '.sections[].title'
    """
    from .api import outline as build

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save, raw_text):
        result = build(doc, depth=depth, auto=not json_out, hedges=hedges_col)
        if json_out:
            emit_json(result.to_dict())
        else:
            from .render.outline import render_outline

            extra = None
            if result.hedged is not None:
                from .render.hedges import share_cell

                extra = {"Hedged": {i: share_cell(r) for i, r in result.hedged.items() if r is not None}}
            emit(render_outline(result, extra), width=width, pager=False)


@command(cls=BriefCommand)
def show(
    section: Annotated[
        str,
        typer.Argument(metavar="SECTION",
                       help="Section number as the outline prints it, range 2-4, list 1,3, heading words, 0 or 'lead' "
                            "(the outline's \"(lead)\" row: text before the first heading), or 'all'."),
    ],
    path: PathArg = None,
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    pager: Annotated[
        Optional[bool],
        typer.Option("--pager/--no-pager", help="Page the output (default: on a terminal when taller than the screen).", show_default=False),
    ] = None,
    export: Annotated[
        Optional[str],
        typer.Option("--export", metavar="FILE", show_default=False,
                     help="Write what show prints to FILE instead, by its extension: .html or .svg "
                     "(styled as on a terminal) or .md (clean Markdown: headings and text)."),
    ] = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
    save: SaveOpt = None,
    raw_text: RawTextOpt = False,
) -> None:
    """Read one or more sections, set for the terminal.

    A section with subsections is shown with them. 'all' reads the whole article;
    0 or 'lead' reads the text before the first heading (the outline's "(lead)").
    Heading words pick the heading they start exactly (fs.open picks
    "fs.open(path...)", not "fs.opendir(...)"). --export keeps the cleaned text of
    a web page or a document.

    Examples:

        brief show 3

        brief show expert article.md

        brief show all page.html --export page.md
    """
    from .api import select

    if export is not None:
        from .render.export import export_format

        export_format(export)  # an unknown extension fails before any reading
        if json_out:
            from .errors import UsageError

            raise UsageError("--export and --json exclude each other", "give one of them")
    doc = load_doc(path, encoding, max_bytes, fmt, save, raw_text)
    selected = select(doc, section)
    if json_out:
        emit_json(selected.to_dict())
        return
    chosen = selected.in_document(doc)
    if export is not None:
        from .render.export import export_sections

        export_sections(doc, chosen, export, width)
        return
    if not _styled() and doc.format != "markdown":
        from .render.show import plain_sections

        text = plain_sections(doc, chosen, width)
        page(text) if pager else sys.stdout.write(text)
        return
    from .render.show import render_sections

    emit(render_sections(doc, chosen), width=width, pager=pager, crop=doc.format != "markdown")


@command(cls=BriefCommand)
def summary(
    paths: PathsArg = None,
    sentences: Annotated[int, typer.Option("--sentences", "-n", metavar="N", min=1, help="Number of sentences.")] = 3,
    ratio: Annotated[
        Optional[float],
        typer.Option("--ratio", metavar="FRACTION", min=0.0, max=1.0, help="Instead of -n: this fraction of the sentences, e.g. 0.05.", show_default=False),
    ] = None,
    words: Annotated[
        Optional[int], typer.Option("--words", metavar="N", min=1, help="Instead of -n: as many top sentences as fit in N words.", show_default=False)
    ] = None,
    section: SectionOpt = None,
    by_section: Annotated[bool, typer.Option("--by-section", help="One gist per section, as an outline.")] = False,
    reported: Annotated[
        bool, typer.Option("--reported", help="Prefer sentences stated as fact over hedged ones (see `brief hedges`).")
    ] = False,
    method: Annotated[
        str,
        typer.Option("--method", "-m", metavar="METHOD", help="default, or a baseline: lead, textrank, lexrank."),
    ] = "default",
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
    save: SaveOpt = None,
    raw_text: RawTextOpt = False,
) -> None:
    """Summarize with the article's own sentences, each tagged with its section.

    Sentences come out in document order; check one with `brief show N`.
    --reported prefers sentences stated as fact; --method picks a baseline.

    Examples:

        brief summary -n 5 story.txt

        brief summary --by-section

        brief summary --section 3 --json | jq '.sentences[].text'
    """
    from .api import summarize

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save, raw_text):
        if by_section:  # one sentence per section (-n, --ratio and --words are for whole summaries)
            result = summarize(doc, method=method, section=section, by_section=True, reported=reported)
        else:
            result = summarize(doc, sentences, ratio=ratio, words=words, method=method, section=section, reported=reported)
        if json_out:
            emit_json(result.to_dict())
        elif by_section:
            from .render.summary import render_by_section

            emit(render_by_section(result, doc.title), width=width, pager=False)
        else:
            from .render.summary import render_summary

            emit(render_summary(result, doc.title), width=width, pager=False)


@command(cls=BriefCommand)
def keywords(
    paths: PathsArg = None,
    n: Annotated[int, typer.Option("-n", "--number", metavar="N", min=1, help="Number of key phrases.")] = 10,
    json_out: JsonOpt = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
    save: SaveOpt = None,
    raw_text: RawTextOpt = False,
) -> None:
    """Show the key phrases (1-3 words) with scores and occurrence counts.

    Examples:

        brief keywords

        brief keywords -n 20 story.txt

        brief keywords --json *.txt | jq -r '.keywords[0].phrase'
    """
    from .api import keywords as extract

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save, raw_text):
        result = extract(doc, n=n)
        if json_out:
            emit_json(result.to_dict())
        else:
            from .render.keywords import render_keywords

            emit(render_keywords(list(result.keywords), doc.title), width=width, pager=False)


@command(cls=BriefCommand)
def search(
    args: Annotated[
        list[str],
        typer.Argument(metavar="TERM... [PATH...]", help="Terms (a phrase in quotes is one term), then files or directories. Default: the bundled article.", show_default=False),
    ],
    unit: Annotated[
        str, typer.Option("--unit", "-u", metavar="UNIT", help="Passage unit: sentence or paragraph.")
    ] = "sentence",
    context: Annotated[int, typer.Option("--context", "-C", metavar="N", min=0, help="Sentences of context on each side.")] = 0,
    case_sensitive: Annotated[bool, typer.Option("--case-sensitive", "-s", help="Match case (default: only when a term has a capital).")] = False,
    ignore_case: Annotated[bool, typer.Option("--ignore-case", "-i", help="Ignore case, even for terms with capitals.")] = False,
    word: Annotated[bool, typer.Option("--word", help="Whole words only.")] = False,
    regex: Annotated[bool, typer.Option("--regex", "-e", help="Terms are Python regular expressions.")] = False,
    exact: Annotated[bool, typer.Option("--exact", help="No other word forms (stemming off).")] = False,
    any_term: Annotated[bool, typer.Option("--any", help="A passage needs any one term, not all.")] = False,
    section: Annotated[
        Optional[str],
        typer.Option("--section", "-S", metavar="SECTION", show_default=False,
                     help="Search only this section: number, range 2-4, list 1,3 or heading words."),
    ] = None,
    count: Annotated[bool, typer.Option("--count", "-c", help="Print the number of matching passages (per file).")] = False,
    files_with_matches: Annotated[bool, typer.Option("--files-with-matches", "-l", help="Print only the files that match.")] = False,
    max_passages: Annotated[Optional[int], typer.Option("--max", "-m", metavar="N", min=1, help="Show at most N passages.", show_default=False)] = None,
    rank: Annotated[bool, typer.Option("--rank", help="Order passages by relevance (BM25), not document order.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON Lines: one object per passage, then a summary.")] = False,
    width: WidthOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: Annotated[
        Optional[int],
        typer.Option("--max-bytes", metavar="N", min=1, help="Refuse files larger than this (default 64 MiB; --count/-l stream bigger files).", show_default=False),
    ] = None,
    fmt: FormatOpt = None,
    raw_text: RawTextOpt = False,
) -> None:
    """Find the passages (sentences or paragraphs) that mention the terms.

    Case is ignored unless a term has a capital; accents and curly quotes are
    optional; word forms match (negotiate finds negotiations; --exact turns that
    off). With several terms a passage must hold all of them (--any: one).
    PATHs may be files or directories (searched for .txt and .md); -l lists the
    files that match (--files-with-matches). Exit 1 when nothing matches.

    Examples:

        brief search ukraine

        brief search "arms control" -C 1 --rank

        brief search -l blair corpus/
    """
    from .api import search as run_search
    from .errors import UsageError
    from .output import finish_search
    from .search import split_terms_paths

    if case_sensitive and ignore_case:
        raise UsageError("--case-sensitive and --ignore-case exclude each other", "give one of them")
    if count and files_with_matches:
        raise UsageError("--count and --files-with-matches exclude each other", "give one of them")
    terms, paths = split_terms_paths(args)
    mode = "count" if count else "files" if files_with_matches else "passages"
    result = run_search(
        paths, terms, regex=regex, case="sensitive" if case_sensitive else "insensitive" if ignore_case else "smart",
        word=word, exact=exact, any_term=any_term, unit=unit, context=context, section=section, rank=rank,
        max_passages=max_passages, mode=mode, encoding=encoding, max_bytes=max_bytes, fmt=fmt, raw_text=raw_text,
    )
    rich_emit = None if width is None and not _styled() else (lambda r: emit(r, width=width, pager=False))
    finish_search(result, len(paths), json_out, rich_emit)


@command(cls=BriefCommand)
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
    raw_text: RawTextOpt = False,
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
    from .api import hedges as analyze

    for doc in iter_docs(paths, encoding, max_bytes, fmt, save, raw_text):
        result = analyze(doc)
        if json_out:
            emit_json(result.to_dict())
        else:
            from .render.hedges import render_hedges

            emit(render_hedges(result, doc.title, reported=reported), width=width, pager=False)


@command(cls=BriefCommand)
def read(
    path: PathArg = None,
    theme: Annotated[
        str, typer.Option("--theme", metavar="THEME", help="Colours: dark or light (d switches while reading).")
    ] = "dark",
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
) -> int:
    """Read the article full-screen: outline, search, summary and hedges at hand.

    Scroll with j/k, space/b, g/G; ] and [ move by section; : goes to a section
    (as `brief show` takes it); / searches, n/N step through the matches; s, K
    and h show the summary, key phrases and hedged sentences; ? lists all keys;
    q quits. The place is remembered per document. Needs a terminal (pipes:
    use `brief show all`).

    Examples:

        brief read

        brief read war-and-peace.txt

        brief read notes.md --theme light
    """
    from .errors import UsageError

    if theme not in ("dark", "light"):
        raise UsageError(f"unknown theme {theme!r}", "use --theme dark or --theme light")
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        raise UsageError("brief read needs a terminal", "to print the whole article, use `brief show all`")
    doc = load_doc(path, encoding, max_bytes, fmt)
    from .reader import run

    return run(doc, theme=theme)


@command(cls=BriefCommand)
def digest(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="PATH", show_default=False,
                       help="Files, directories (searched for .txt and .md, as `brief search` does) and "
                       ".jsonl files of articles, one JSON object per line. Default: the bundled article."),
    ] = None,
    out: Annotated[
        Optional[str],
        typer.Option("--out", "-o", metavar="FILE", show_default=False,
                     help="Write to FILE.jsonl (JSON Lines) or FILE.db (SQLite, with a full-text index) "
                     "instead of stdout; rerunning with the same FILE skips what is done."),
    ] = None,
    jobs: Annotated[
        Optional[int],
        typer.Option("--jobs", "-j", metavar="N", min=1, show_default=False,
                     help="Local worker processes (default: the usable CPUs)."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", metavar="ENGINE", help="local (processes here) or dask (a Dask cluster).")
    ] = "local",
    scheduler: Annotated[
        Optional[str],
        typer.Option("--scheduler", metavar="ADDRESS", show_default=False,
                     help="The Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    text_field: Annotated[
        str, typer.Option("--text-field", metavar="NAME", help="The key of an article's text in .jsonl inputs.")
    ] = "text",
    sentences: Annotated[int, typer.Option("--sentences", "-n", metavar="N", min=1, help="Summary sentences per document.")] = 3,
    keywords_n: Annotated[int, typer.Option("--keywords", "-k", metavar="N", min=1, help="Key phrases per document.")] = 10,
    json_out: Annotated[bool, typer.Option("--json", help="JSON Lines (the only output of digest; for symmetry).")] = False,
    progress: Annotated[
        Optional[bool],
        typer.Option("--progress/--no-progress", show_default=False,
                     help="Show a progress bar on stderr (default: when stderr is a terminal)."),
    ] = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fmt: FormatOpt = None,
) -> None:
    """Brief many documents at once, here or on a Dask cluster.

    One JSON record per document: title, byline, words, sections, summary, key
    phrases and hedging, each part what the single command's --json prints. A
    document that cannot be read gets an error record and one stderr line; the
    run goes on (exit 2 only when nothing was digested). Records come in input
    order; --out FILE.db builds a SQLite database (tables documents, sections,
    summary_sentences, keywords; FTS5 search); a rerun skips what is done.

    Examples:

        brief digest docs/ --out digest.db

        brief digest bbc-news.jsonl --text-field article -j 2 | jq .title

        brief digest feed.jsonl --engine dask --scheduler tcp://HOST:8786
    """
    from .digest.run import run_digest
    from .errors import InputError
    from .output import warn

    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from .progress import digest_progress

        bar = digest_progress()
    try:
        stats = run_digest(
            paths or [], out=out, stream=sys.stdout, engine=engine, jobs=jobs, scheduler=scheduler, text_field=text_field,
            sentences=sentences, keywords=keywords_n, encoding=encoding, max_bytes=max_bytes, fmt=fmt,
            on_start=bar.start if bar else None, on_progress=bar.advance if bar else None,
            on_error=(lambda msg: bar.warn(msg)) if bar else warn,
        )
    finally:
        if bar:
            bar.stop()
    if stats.digested + stats.skipped == 0:
        if stats.failed <= 1:  # its one stderr line said why
            raise typer.Exit(ExitCode.USAGE)
        raise InputError(f"nothing digested: all {stats.failed} documents failed", "see the lines above")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
