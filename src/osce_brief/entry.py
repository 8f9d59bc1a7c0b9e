"""Console-script entry point: ``brief``.

Every command goes to the Typer app in :mod:`osce_brief.cli`, except one case
that must start as fast as grep: ``brief search`` with its output going to a
pipe or file (plain passages, ``--count``, ``-l`` or ``--json``). Typer, Click
and Rich cost 100-250 ms to import, more than counting a thousand files takes,
so that case is parsed here with the same meaning as the Typer command and
printed by the same functions (:func:`finish_search`). Anything this parser
does not know (``--width``, ``--encoding``, ``--help``, ``--``, stdin, a value
out of range, a terminal on stdout) goes to Typer, which then also gives the
usual error messages.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .errors import BriefError, ExitCode, InputError, NoMatch

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
    from .output import emit_json, warn

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


def _fast_search(opts: dict, args: list[str]) -> int:
    from .output import _silence_stdout, fail
    from .search import search, split_terms_paths

    try:
        terms, paths = split_terms_paths(args)
        mode = "count" if opts.get("count") else "files" if opts.get("files") else "passages"
        case = "sensitive" if opts.get("case_sensitive") else "insensitive" if opts.get("ignore_case") else "smart"
        result = search(
            terms, paths, regex=opts.get("regex", False), case=case, word=opts.get("word", False),
            exact=opts.get("exact", False), any_term=opts.get("any_term", False), unit=opts.get("unit", "sentence"),
            context=opts.get("context", 0), section=opts.get("section"), rank=opts.get("rank", False),
            max_passages=opts.get("max_passages"), mode=mode, raw_text=opts.get("raw_text", False),
        )
        finish_search(result, paths, mode, opts.get("json_out", False))
        sys.stdout.flush()
        return ExitCode.OK
    except BriefError as e:
        return fail(e.message, e.hint, e.exit_code)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK


def main() -> None:
    """Run ``brief`` with ``sys.argv``."""
    argv = sys.argv[1:]
    if argv[:1] == ["search"]:
        from .output import _styled

        plan = parse_fast_search(argv[1:])
        if plan is not None and not _styled():
            sys.exit(int(_fast_search(*plan)))
    from .cli import main as typer_main

    typer_main()


if __name__ == "__main__":
    main()
