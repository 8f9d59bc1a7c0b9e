"""Console-script entry point: ``brief``.

``brief read [PATH] [--theme T]`` on a terminal, without a config file, also
starts here without Typer (the reader's first screen comes sooner).

Every command goes to the Typer app in :mod:`osce_brief.cli`, except one case
that must start as fast as grep: ``brief search`` with its output going to a
pipe or file (plain passages, ``--count``, ``-l`` or ``--json``). Typer, Click
and Rich cost 100-250 ms to import, more than counting a thousand files takes,
so that case is parsed here with the same meaning as the Typer command and
printed by the same functions (:func:`osce_brief.output.finish_search`). Anything this parser
does not know (``--width``, ``--encoding``, ``--help``, ``--``, stdin, a value
out of range, a terminal on stdout) goes to Typer, which then also gives the
usual error messages. Defaults from the config file (:mod:`osce_brief.config`)
apply here as in Typer; one this parser does not know (``width = 100``) sends
the command to Typer too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .errors import BriefError, ExitCode

#: Flag options of ``brief search`` that the fast path understands: name -> field.
_LONG = {
    "--count": "count",
    "--files-with-matches": "files",
    "--case-sensitive": "case_sensitive",
    "--ignore-case": "ignore_case",
    "--word": "word",
    "--regex": "regex",
    "--exact": "exact",
    "--any": "any_term",
    "--json": "json_out",
    "--rank": "rank",
    "--raw-text": "raw_text",
}
_SHORT = {"c": "count", "l": "files", "s": "case_sensitive", "i": "ignore_case", "e": "regex"}
#: Options with a value: name -> (field, type check). A value the check refuses
#: sends the command to Typer, which prints its usual message.
_VALUED = {"--unit": "unit", "-u": "unit", "--context": "context", "-C": "context",
           "--max": "max_passages", "-m": "max_passages", "--section": "section", "-S": "section"}
_MIN = {"context": 0, "max_passages": 1}


def parse_fast_search(argv: Sequence[str]) -> tuple[dict, list[str]] | None:
    """Options and positional arguments of ``search ARGS``, or None to use Typer.

    Example:
        >>> parse_fast_search(["-ci", "blair", "corpus/"])
        ({'count': True, 'ignore_case': True}, ['blair', 'corpus/'])
        >>> parse_fast_search(["--max", "3", "--unit=paragraph", "blair"])
        ({'max_passages': 3, 'unit': 'paragraph'}, ['blair'])
        >>> parse_fast_search(["--width", "60", "blair"]) is None
        True
    """
    opts: dict = {}
    args: list[str] = []
    toks = list(argv)
    k = 0
    while k < len(toks):
        tok = toks[k]
        k += 1
        if tok == "-" or tok == "--" or tok in ("-h", "--help"):
            return None  # stdin, "--" and help: Typer
        if not tok.startswith("-"):
            args.append(tok)
            continue
        name, value = tok, None
        if tok.startswith("--") and "=" in tok:
            name, value = tok.split("=", 1)
        elif not tok.startswith("--") and len(tok) > 2 and tok[:2] in _VALUED:
            name, value = tok[:2], tok[2:]  # -C2
        if name in _VALUED:
            if value is None:
                if k >= len(toks):
                    return None
                value = toks[k]
                k += 1
            field = _VALUED[name]
            if field in _MIN:
                try:
                    number = int(value)
                except ValueError:
                    return None
                if number < _MIN[field]:
                    return None
                opts[field] = number
            else:
                opts[field] = value
        elif value is not None:
            return None  # --count=x
        elif name.startswith("--"):
            if name not in _LONG:
                return None
            opts[_LONG[name]] = True
        else:
            for ch in name[1:]:
                if ch not in _SHORT:
                    return None
                opts[_SHORT[ch]] = True
    if not args or (opts.get("count") and opts.get("files")):
        return None  # no term, or both -c and -l: Typer says what is wrong
    if opts.get("case_sensitive") and opts.get("ignore_case"):
        return None
    return opts, args


def _fast_search(opts: dict, args: list[str]) -> int:
    from .api import search
    from .output import _silence_stdout, fail, finish_search
    from .search import split_terms_paths

    try:
        terms, paths = split_terms_paths(args)
        mode = "count" if opts.get("count") else "files" if opts.get("files") else "passages"
        case = "sensitive" if opts.get("case_sensitive") else "insensitive" if opts.get("ignore_case") else "smart"
        result = search(
            paths, terms, regex=opts.get("regex", False), case=case, word=opts.get("word", False),
            exact=opts.get("exact", False), any_term=opts.get("any_term", False), unit=opts.get("unit", "sentence"),
            context=opts.get("context", 0), section=opts.get("section"), rank=opts.get("rank", False),
            max_passages=opts.get("max_passages"), mode=mode, raw_text=opts.get("raw_text", False),
        )
        finish_search(result, len(paths), opts.get("json_out", False))
        sys.stdout.flush()
        return ExitCode.OK
    except BriefError as e:
        return fail(e.message, e.hint, e.exit_code)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK


#: Parameter names of ``brief search`` (config keys) -> fields of the fast parser.
_FIELD = {"files_with_matches": "files", **{f: f for f in _LONG.values() if f != "files"},
          "unit": "unit", "context": "context", "max_passages": "max_passages"}


def with_config(opts: dict) -> dict | None:
    """``opts`` with the config file's ``search`` defaults for the options not
    given (see :func:`osce_brief.config.without_overridden`); None when the file
    sets one this parser does not handle (Typer then runs the command).

    Raises:
        UsageError: a bad config file.
    """
    from .config import config_path, load_config, without_overridden

    found = config_path()
    if found is None:
        return opts
    defaults = load_config(*found)["search"]
    given = {name for name, field in _FIELD.items() if field in opts}
    kept = without_overridden(defaults, given)
    if any(name not in _FIELD for name in kept):
        return None
    merged = {**{_FIELD[name]: value for name, value in kept.items()}, **opts}
    if (merged.get("count") and merged.get("files")) or (merged.get("case_sensitive") and merged.get("ignore_case")):
        return None  # Typer says what is wrong
    return merged


def parse_fast_read(argv: Sequence[str]) -> tuple[str | None, str] | None:
    """``(path, theme)`` of ``read [PATH] [--theme T]``, or None to use Typer.

    Example:
        >>> parse_fast_read(["war-and-peace.txt", "--theme", "light"])
        ('war-and-peace.txt', 'light')
        >>> parse_fast_read(["--encoding", "latin-1", "x.txt"]) is None
        True
    """
    path, theme = None, "dark"
    toks = list(argv)
    k = 0
    while k < len(toks):
        tok = toks[k]
        k += 1
        if tok in ("--theme", "--theme=dark", "--theme=light"):
            if tok == "--theme":
                if k >= len(toks):
                    return None
                tok, k = "--theme=" + toks[k], k + 1
            theme = tok.split("=", 1)[1]
            if theme not in ("dark", "light"):
                return None
        elif tok.startswith("-") or path is not None:
            return None  # stdin, other options, --help, a second path: Typer
        else:
            path = tok
    return path, theme


def _fast_read(path: str | None, theme: str) -> int:
    """``brief read`` on a terminal without Typer (saves its import before the first screen)."""
    from .api import load
    from .output import fail

    try:
        doc = load(path)
        from .reader import run

        return run(doc, theme=theme)
    except BriefError as e:
        return fail(e.message, e.hint, e.exit_code)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED


def main() -> None:
    """Run ``brief`` with ``sys.argv``."""
    argv = sys.argv[1:]
    if argv[:1] == ["read"] and sys.stdin.isatty() and sys.stdout.isatty():
        plan = parse_fast_read(argv[1:])
        if plan is not None:
            from .config import config_path

            if config_path() is None:  # a config file may set read's options: Typer applies it
                sys.exit(int(_fast_read(*plan)))
    if argv[:1] == ["search"]:
        from .output import _styled

        plan = parse_fast_search(argv[1:])
        if plan is not None and not _styled():
            try:
                opts = with_config(plan[0])
            except BriefError as e:
                from .output import fail

                sys.exit(fail(e.message, e.hint, e.exit_code))
            if opts is not None:
                sys.exit(int(_fast_search(opts, plan[1])))
    from .cli import main as typer_main

    typer_main()


if __name__ == "__main__":
    main()
